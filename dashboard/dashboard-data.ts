/**
 * Answers the local page: runs every dataset's named query with the filter values as bound parameters
 * on a dataset engine (DuckDB over the lake by default, or Trino: dataset-engine.ts), then shapes each
 * visual's data from its dataset's result.
 */
import { findQuery, type NamedQuery } from '../queries/catalogue';
import { tablesReferencedBy } from '../queries/local-catalog';
import { bindParameters } from '../queries/parameters';
import type { QueryResult } from '../queries/result';
import type { DataResponse, VisualData } from './api-types';
import { filterParameters } from './check-definition';
import type { DatasetEngine, OpenDatasetEngine } from './dataset-engine';
import type { DashboardDefinition } from './schema';
import { visualData } from './visual-data';

/**
 * A request's queries run two at a time (DuckDB on two connections: one small query rarely keeps
 * both cores of a small machine busy, two together do).
 */
const QUERIES_AT_ONCE = 2;

/** Answers kept for going back to recent filter values; short-lived, so new ETL runs show soon. */
const CACHE_ENTRIES = 32;
const CACHE_MS = 30_000;

/** The cache's key for some filter values: the same values in any order give the same key. */
function answerKey(filterValues: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(filterValues).sort(([a], [b]) => a.localeCompare(b)));
}

export class DashboardData {
  /** Requests queue here, one dashboard at a time (Trino's node has 1 GB); within one, QUERIES_AT_ONCE queries run side by side. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<string, { readonly at: number; readonly answer: DataResponse }>();
  /** Answers started for a page being loaded (see prefetch), which its first data request awaits. */
  private readonly prefetched = new Map<string, Promise<DataResponse>>();
  private readonly datasets: readonly { readonly id: string; readonly query: NamedQuery; readonly fixed: Readonly<Record<string, string>> }[];

  private constructor(
    private readonly engine: DatasetEngine,
    private readonly definition: DashboardDefinition,
    queries: readonly NamedQuery[],
  ) {
    this.datasets = definition.datasets.map((dataset) => ({ id: dataset.id, query: findQuery(queries, dataset.query), fixed: dataset.fixedParameters ?? {} }));
  }

  /** Opens the engine with the tables the definition's queries read. */
  static async open(openEngine: OpenDatasetEngine, definition: DashboardDefinition, queries: readonly NamedQuery[]): Promise<DashboardData> {
    const datasetQueries = definition.datasets.map((dataset) => findQuery(queries, dataset.query));
    const tables = [...new Set(datasetQueries.flatMap((query) => tablesReferencedBy(query.sql, query.source)))];
    return new DashboardData(await openEngine(tables), definition, queries);
  }

  /**
   * Each dataset's result for the filter values (query parameter name → text, checked beforehand).
   * When `signal` aborts (the page asked for newer values and left), the queries not yet started
   * are skipped, so the next request does not wait for an answer no one reads.
   */
  async results(filterValues: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<Map<string, QueryResult>> {
    const run = this.queue.then(async () => {
      const results = new Map<string, QueryResult>();
      const waiting = [...this.datasets];
      // QUERIES_AT_ONCE workers take the next dataset as each finishes. Settled, not all: the next
      // request starts only once every query of this one is done.
      const settled = await Promise.allSettled(
        Array.from({ length: QUERIES_AT_ONCE }, async () => {
          for (let dataset = waiting.shift(); dataset !== undefined; dataset = waiting.shift()) {
            signal?.throwIfAborted();
            const bound = bindParameters(dataset.query.name, dataset.query.parameters, { ...dataset.fixed, ...filterValues });
            results.set(dataset.id, await this.engine.run(dataset.query, bound, signal));
          }
        }),
      );
      const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      return results;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once no query is running or waiting (before the catalog is closed). */
  async idle(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /** Waits for the running queries, then closes the engine. */
  async close(): Promise<void> {
    // Closing DuckDB under a running query would leave that query's work pending for ever.
    await this.idle();
    await this.engine.close();
  }

  /**
   * Every visual's data for the filter values; an answer for the same values in the last 30 s is
   * reused, except the answer of a lake without events, so a reload shows events as soon as they load.
   */
  async answer(filterValues: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<DataResponse> {
    const key = answerKey(filterValues);
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.answer;
    const prefetched = this.prefetched.get(key);
    if (prefetched) return prefetched;
    // Only finished answers are kept: a computation one request abandons is never handed to another.
    return this.keep(key, await this.compute(filterValues, signal));
  }

  /**
   * Starts answering for the filter values of a page being requested, so the queries run while the
   * browser loads the page's script and map; the page's first data request then waits for this
   * answer instead of starting its own. Nothing aborts it: no request owns it.
   */
  prefetch(filterValues: Readonly<Record<string, string>>): void {
    const key = answerKey(filterValues);
    const cached = this.cache.get(key);
    if ((cached && Date.now() - cached.at < CACHE_MS) || this.prefetched.has(key)) return;
    const answer = this.compute(filterValues).then((computed) => this.keep(key, computed));
    this.prefetched.set(key, answer);
    // Kept until settled; a failure reaches the request that awaits it, if any, and is reported there.
    answer.then(
      () => this.prefetched.delete(key),
      () => this.prefetched.delete(key),
    );
  }

  private keep(key: string, answer: DataResponse): DataResponse {
    if (answer.eventDates === null) return answer;
    this.cache.delete(key);
    this.cache.set(key, { at: Date.now(), answer });
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return answer;
  }

  private async compute(filterValues: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<DataResponse> {
    const started = performance.now();
    const results = await this.results(filterValues, signal);
    const queryMs = Math.round(performance.now() - started);
    // After the queries, which open DuckDB's catalog again once a lake that was empty has events.
    const eventDates = await this.engine.eventDates();
    const visuals: Record<string, VisualData> = {};
    for (const visual of this.definition.visuals) {
      const result = results.get(visual.dataset);
      if (result) visuals[visual.id] = visualData(visual, result);
    }
    return { parameters: this.boundFilterValues(filterValues), eventDates, visuals, queryMs };
  }

  /** The filter parameters as the queries bind them: given values, else the first query's defaults. */
  private boundFilterValues(filterValues: Readonly<Record<string, string>>): Record<string, string> {
    const names = this.definition.filters.flatMap((filter) => filterParameters(filter).map((parameter) => parameter.name));
    const declared = this.datasets[0]?.query.parameters ?? [];
    return Object.fromEntries(
      names.map((name) => [name, filterValues[name] ?? String(declared.find((parameter) => parameter.name === name)?.defaultValue ?? '')]),
    );
  }
}
