/**
 * What the Trino-against-DuckDB suites share: the parameter scenarios every named query runs with
 * (defaults, one day, one continent, a country with an apostrophe, non-default counts), the few
 * events from that country they need, and the form results are compared in.
 */
import { LOCATIONS_KEY, PREFIXES } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import type { NamedQuery } from '../../queries/catalogue';
import type { QueryResult } from '../../queries/result';
import type { Lake } from '../../store/lake';

/** A country whose name holds an apostrophe (and a non-ASCII letter): the reference calls it Ivory Coast. */
export const APOSTROPHE_COUNTRY = "Côte d'Ivoire";
const APOSTROPHE_LOCATION_ID = 84;

/**
 * Puts a few version 1 events from Côte d'Ivoire, on `day`, into the lake's raw area, with the
 * reference renamed to the ISO short name, so the apostrophe filter has rows to find once an ETL runs.
 */
export async function putApostropheCountryEvents(lake: Lake, day: string): Promise<void> {
  const locations = readBundledLocations().map((location) =>
    location.id === APOSTROPHE_LOCATION_ID ? { ...location, countryName: APOSTROPHE_COUNTRY } : location,
  );
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(locations));
  const timestamp = Date.parse(`${day}T12:00:00Z`) / 1000;
  for (let index = 0; index < 5; index++) {
    const event = {
      event_type: index % 2 === 0 ? 'click' : 'purchase',
      user_id: `abidjan${index % 3}`,
      user_action: 'product_page',
      product_category: 'books',
      location: String(APOSTROPHE_LOCATION_ID),
      user_age: 30 + index,
      timestamp: timestamp + index * 60,
    };
    await lake.store('raw').put(`${PREFIXES.raw}${event.event_type}_${event.user_id}_${event.timestamp}.json`, JSON.stringify(event));
  }
}

/** A result as the suites compare it: column names with their kinds, and the rows. */
export function comparable(result: QueryResult) {
  return { columns: result.columns.map((column) => `${column.name} ${column.kind}`), rows: result.rows };
}

export interface Scenario {
  readonly title: string;
  /** Parameters for a query that takes them (others keep their defaults). */
  params(query: NamedQuery, day: string): Record<string, string>;
}

const takes = (query: NamedQuery, name: string) => query.parameters.some((parameter) => parameter.name === name);

/** `values` restricted to the parameters the query declares. */
export function only(query: NamedQuery, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => takes(query, name)));
}

export const SCENARIOS: readonly Scenario[] = [
  { title: 'with its defaults', params: () => ({}) },
  { title: 'on one day', params: (query, day) => only(query, { start_date: day, end_date: day }) },
  { title: 'in one continent', params: (query) => only(query, { continent: 'Africa' }) },
  { title: `in ${APOSTROPHE_COUNTRY}`, params: (query) => only(query, { country: APOSTROPHE_COUNTRY }) },
  { title: 'with non-default counts', params: (query) => only(query, { top_n: '3', countries_per_continent: '2' }) },
];

/** The scenarios that apply to a query: one that sets none of its parameters would repeat the defaults. */
export function scenariosFor(query: NamedQuery): readonly Scenario[] {
  return SCENARIOS.filter((scenario) => scenario === SCENARIOS[0] || Object.keys(scenario.params(query, '2026-01-01')).length > 0);
}
