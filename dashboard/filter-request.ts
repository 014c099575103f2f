/**
 * The filter values of a request to the local dashboard's API (`?start_date=...&continent=...`),
 * checked before any query runs: only the filters' own parameters, each of its declared type, each
 * choice one the dashboard offers. Values are bound to the queries as parameters, never spliced in.
 */
import { parseParameterValue } from '../queries/parameters';
import { filterParameters } from './check-definition';
import type { ChoiceLists } from './choices';
import type { DashboardDefinition, DashboardFilter } from './schema';

export type FilterRequest = { readonly parameters: Readonly<Record<string, string>> } | { readonly problem: string };

function describeFilter(filter: DashboardFilter): string {
  return filter.kind === 'date_range'
    ? `${filter.startParameter} and ${filter.endParameter} (dates, YYYY-MM-DD)`
    : `${filter.parameter} (${filter.allValue} or a ${filter.source === 'continents' ? 'continent' : 'country'} name)`;
}

function choiceProblem(filter: Extract<DashboardFilter, { kind: 'choice' }>, value: string, choices: ChoiceLists): string | undefined {
  if (value === filter.allValue || choices[filter.source].some((choice) => choice.value === value)) return undefined;
  const offered = filter.source === 'continents' ? choices.continents.map((choice) => choice.value).join(', ') : 'a country name as GET /api/dashboard lists it';
  return `${filter.parameter} ${JSON.stringify(value)} is not offered; use ${filter.allValue} or ${offered}`;
}

/** Parses and checks the query string; an empty value means the filter is not set. */
export function parseFilterRequest(definition: DashboardDefinition, search: URLSearchParams, choices: ChoiceLists): FilterRequest {
  const accepted = definition.filters.flatMap((filter) => filterParameters(filter).map((parameter) => ({ ...parameter, filter })));
  const parameters: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of search) {
    const parameter = accepted.find((candidate) => candidate.name === name);
    if (!parameter) {
      return { problem: `unknown parameter ${JSON.stringify(name)}; the dashboard's filters take ${definition.filters.map(describeFilter).join(', ')}` };
    }
    if (seen.has(name)) return { problem: `parameter ${name} is given twice; give it once` };
    seen.add(name);
    if (value === '') continue;
    const parsed = parseParameterValue(parameter.type, value);
    if ('problem' in parsed) return { problem: `${name}: ${parsed.problem}` };
    if (parameter.filter.kind === 'choice') {
      const problem = choiceProblem(parameter.filter, value, choices);
      if (problem) return { problem };
    }
    parameters[name] = value;
  }
  for (const filter of definition.filters) {
    if (filter.kind !== 'date_range') continue;
    const start = parameters[filter.startParameter];
    const end = parameters[filter.endParameter];
    if (start !== undefined && end !== undefined && start > end) {
      return { problem: `${filter.startParameter} ${start} is after ${filter.endParameter} ${end}; give a start on or before the end` };
    }
  }
  return { parameters };
}
