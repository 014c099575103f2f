/**
 * The local page's dataset engine: the named queries on a DuckDB catalog of the lake (the queries
 * helper's runner, the same SQL `npm run query` runs), the filter values bound as typed parameters.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENTS, SESSION_DAYS } from '../model/tables';
import { openLocalCatalog, type LocalCatalog, type LocalCatalogOptions } from '../queries/local-catalog';
import { runLocalQuery } from '../queries/local-runner';
import { localLake, type Lake } from '../store/lake';
import type { DatasetEngine, OpenDatasetEngine } from './dataset-engine';
import { eventDatesIn } from './event-dates';

/**
 * The catalog the datasets read: session_days, a third of the events' rows and a few columns, is
 * copied into memory (tens of MB for millions of events), where DuckDB reads it about twice as fast as
 * from Parquet; every other table is read from its files.
 */
function catalogOptions(tables: readonly string[]): LocalCatalogOptions {
  return { tables, inMemory: tables.filter((table) => table === SESSION_DAYS.name) };
}

class DuckdbDatasets implements DatasetEngine {
  /** Connections not running a query; a query waits for one (each runs one statement at a time). */
  private idleConnections: DuckDBConnection[];
  private readonly waitingForConnection: ((connection: DuckDBConnection) => void)[] = [];
  private running = 0;
  /** The checks a request's first query starts (see `ready`), which the others wait for. */
  private readiness: Promise<void> = Promise.resolve();

  constructor(
    private readonly lake: Lake,
    private readonly tables: readonly string[],
    private catalog: LocalCatalog,
    /** The lake had no events file when the catalog was opened: its views are empty for good. */
    private openedEmpty: boolean,
  ) {
    this.idleConnections = [catalog.connection];
  }

  /**
   * A catalog opened on a lake without events has empty views (DuckDB reads no glob that matches
   * nothing): once the ETL has loaded events, it is opened again, so a reload shows them. And the
   * tables in memory are copied again once the ETL changed their files, so new runs show.
   */
  private async ready(): Promise<void> {
    if (this.openedEmpty && (await eventDatesIn(this.lake)) !== null) {
      this.openedEmpty = false;
      const previous = this.catalog;
      this.catalog = await openLocalCatalog(this.lake, catalogOptions(this.tables));
      this.idleConnections = [this.catalog.connection];
      await previous.close();
    }
    await this.catalog.refresh();
  }

  /** A connection of the catalog for one query: an idle one, a new one (up to `most`), or the next freed. */
  private async acquire(most: number): Promise<DuckDBConnection> {
    const idle = this.idleConnections.pop();
    if (idle) return idle;
    if (this.running < most) return this.catalog.connect();
    return new Promise((resolve) => this.waitingForConnection.push(resolve));
  }

  private release(connection: DuckDBConnection): void {
    const next = this.waitingForConnection.shift();
    if (next) next(connection);
    else this.idleConnections.push(connection);
  }

  async run(...[query, parameters]: Parameters<DatasetEngine['run']>) {
    // The first query of a request (none running) checks the lake; queries started beside it wait.
    if (this.running === 0) this.readiness = this.ready();
    this.running += 1;
    try {
      await this.readiness;
      const connection = await this.acquire(this.running);
      try {
        return await runLocalQuery(this.catalog, query, parameters, connection);
      } finally {
        this.release(connection);
      }
    } finally {
      this.running -= 1;
    }
  }

  /**
   * The event dates of the files the catalog reads: the lake's folder, or the copy of an S3 lake
   * staged when the catalog opened (so the dates agree with the data, and no request lists a bucket).
   */
  eventDates() {
    const root = this.catalog.roots.get(EVENTS.name);
    return eventDatesIn(root === undefined ? this.lake : localLake(root));
  }

  close() {
    return this.catalog.close();
  }
}

/** DuckDB over `lake`, opened with the tables the dashboard's queries read. */
export function duckdbDatasets(lake: Lake): OpenDatasetEngine {
  return async (tables) => {
    const openedEmpty = (await eventDatesIn(lake)) === null;
    return new DuckdbDatasets(lake, tables, await openLocalCatalog(lake, catalogOptions(tables)), openedEmpty);
  };
}
