/**
 * What the local dashboard's JSON API returns: shared by the server (which builds it) and the page
 * (which reads it), so both sides are checked against the same shapes.
 */
import type { ChoiceLists } from './choices';
import type { EventDates } from './event-dates';
import type { DashboardDefinition } from './schema';

/**
 * GET /api/dashboard: the definition's parts the page draws, and the filters' choices. It names no
 * path on the server's machine: a page shows it to whoever reads the dashboard.
 */
export interface DashboardDescription extends Pick<DashboardDefinition, 'title' | 'filters' | 'visuals' | 'sheets'> {
  /** DASHBOARD_DEBUG is set: the page shows developer detail (query timings). */
  readonly debug: boolean;
  readonly choices: ChoiceLists;
  /** ISO 3166-1 alpha-2 → numeric code, to find a country's shape on the world map. */
  readonly countryNumericCodes: Readonly<Record<string, string>>;
}

/** One headline figure; null when no row matches the filters. */
export interface KpiData {
  readonly kind: 'kpi';
  readonly value: number | null;
}

/** Values per category (country, step, date, ...), one series per measure. */
export interface SeriesData {
  readonly kind: 'series';
  readonly categories: readonly string[];
  readonly series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
}

export type VisualData = KpiData | SeriesData;

/** GET /api/data?<filter parameters>: every visual's data for those filters. */
export interface DataResponse {
  /** The query parameters the filters set, as bound (defaults filled in). */
  readonly parameters: Readonly<Record<string, string>>;
  /** The first and last dates the lake holds events for, whatever the filters; null: no events yet. */
  readonly eventDates: EventDates | null;
  readonly visuals: Readonly<Record<string, VisualData>>;
  /** Time DuckDB took to answer every dataset's query. */
  readonly queryMs: number;
}

/** Any 4xx/5xx answer. */
export interface ErrorResponse {
  readonly error: string;
  /** A 400 for filter values: each wrong value, one sentence each (`error` joins them). */
  readonly problems?: readonly string[];
}
