/**
 * The filter values of a request to the local dashboard's API (`?start_date=...&continent=...`),
 * checked before any query runs: only the filters' own parameters, each of its declared type, each
 * choice one the dashboard offers, and no two choices that exclude each other (a country outside
 * the chosen continent). Every problem is reported, not only the first, so a bad bookmark is
 * explained in one go. Values are bound to the queries as parameters, never spliced in.
 */
import { parseParameterValue } from '../queries/parameters';
import { filterParameters } from './check-definition';
import type { ChoiceLists } from './choices';
import { quoteInput } from './quote-input';
import type { ChoiceFilter, DashboardDefinition, DashboardFilter } from './schema';

export type FilterRequest = { readonly parameters: Readonly<Record<string, string>> } | { readonly problems: readonly string[] };

/** Longer than any date, continent or country name: such a value is refused without parsing it. */
const LONGEST_VALUE = 100;

function sourceNoun(filter: ChoiceFilter): string {
  return filter.source === 'continents' ? 'continent' : 'country';
}

function describeFilter(filter: DashboardFilter): string {
  return filter.kind === 'date_range'
    ? `${filter.startParameter} and ${filter.endParameter} (dates, YYYY-MM-DD)`
    : `${filter.parameter} (${filter.allValue} or a ${sourceNoun(filter)} name)`;
}

function choiceProblem(filter: ChoiceFilter, value: string, choices: ChoiceLists): string | undefined {
  if (value === filter.allValue || choices[filter.source].some((choice) => choice.value === value)) return undefined;
  const offered = filter.source === 'continents' ? choices.continents.map((choice) => choice.value).join(', ') : 'a country name as GET /api/dashboard lists it';
  return `${filter.parameter} ${quoteInput(value)} is not offered; use ${filter.allValue} or ${offered}`;
}

/** A choice outside the one that narrows it (a country of another continent) can match no event. */
function narrowingProblem(definition: DashboardDefinition, filter: ChoiceFilter, parameters: Readonly<Record<string, string>>, choices: ChoiceLists): string | undefined {
  const parent = definition.filters.find((candidate): candidate is ChoiceFilter => candidate.kind === 'choice' && candidate.id === filter.narrowedBy);
  const value = parameters[filter.parameter];
  const parentValue = parent && parameters[parent.parameter];
  if (!parent || value === undefined || value === filter.allValue || parentValue === undefined || parentValue === parent.allValue) return undefined;
  const actual = choices[filter.source].find((choice) => choice.value === value)?.parent;
  if (actual === undefined || actual === parentValue) return undefined;
  return (
    `${filter.parameter} ${value} is in ${actual}, not in ${parent.parameter} ${parentValue}, so no event matches both; ` +
    `choose a ${sourceNoun(filter)} of ${parentValue}, or set ${parent.parameter} to ${actual} or ${parent.allValue}`
  );
}

/** Parses and checks the query string; an empty value means the filter is not set. */
export function parseFilterRequest(definition: DashboardDefinition, search: URLSearchParams, choices: ChoiceLists): FilterRequest {
  const accepted = definition.filters.flatMap((filter) => filterParameters(filter).map((parameter) => ({ ...parameter, filter })));
  const parameters: Record<string, string> = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [name, value] of search) {
    const parameter = accepted.find((candidate) => candidate.name === name);
    if (!parameter) {
      problems.push(`unknown parameter ${quoteInput(name)}; the dashboard's filters take ${definition.filters.map(describeFilter).join(', ')}`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`parameter ${name} is given twice; give it once`);
      continue;
    }
    seen.add(name);
    if (value === '') continue;
    if (value.length > LONGEST_VALUE) {
      problems.push(`${name} ${quoteInput(value)} is too long; it takes ${describeFilter(parameter.filter)}`);
      continue;
    }
    const parsed = parseParameterValue(parameter.type, value);
    const problem = 'problem' in parsed ? `${name}: ${parsed.problem}` : parameter.filter.kind === 'choice' ? choiceProblem(parameter.filter, value, choices) : undefined;
    if (problem) problems.push(problem);
    else parameters[name] = value;
  }
  for (const filter of definition.filters) {
    if (filter.kind === 'choice') {
      const problem = narrowingProblem(definition, filter, parameters, choices);
      if (problem) problems.push(problem);
      continue;
    }
    const start = parameters[filter.startParameter];
    const end = parameters[filter.endParameter];
    if (start !== undefined && end !== undefined && start > end) {
      problems.push(`${filter.startParameter} ${start} is after ${filter.endParameter} ${end}; give a start on or before the end`);
    }
  }
  return problems.length > 0 ? { problems } : { parameters };
}
