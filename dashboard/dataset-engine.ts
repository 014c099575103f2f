/**
 * The engine that answers the dashboard's datasets: DuckDB over a lake (the local page's default,
 * duckdb-datasets.ts) or Trino, Athena's engine, running the SQL QuickSight sends (trino-datasets.ts).
 * DashboardData holds everything else (binding the filters, the queue, the cache, shaping visuals).
 */
import type { NamedQuery } from '../queries/catalogue';
import type { BoundParameter } from '../queries/parameters';
import type { QueryResult } from '../queries/result';
import type { EventDates } from './event-dates';

export interface DatasetEngine {
  /** One dataset's named query with its bound parameters; `signal` stops it when the page gave up on it. */
  run(query: NamedQuery, parameters: readonly BoundParameter[], signal?: AbortSignal): Promise<QueryResult>;
  /** The first and last event dates of the data the engine reads; null when it holds no events. */
  eventDates(): Promise<EventDates | null>;
  close(): Promise<void>;
}

/** Opens an engine for the tables the dashboard's queries read. */
export type OpenDatasetEngine = (tables: readonly string[]) => Promise<DatasetEngine>;
