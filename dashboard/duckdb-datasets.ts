/**
 * The local page's dataset engine: the named queries on a DuckDB catalog of the lake (the queries
 * helper's runner, the same SQL `npm run query` runs), the filter values bound as typed parameters.
 */
import { EVENTS } from '../model/tables';
import { openLocalCatalog, type LocalCatalog } from '../queries/local-catalog';
import { runLocalQuery } from '../queries/local-runner';
import { localLake, type Lake } from '../store/lake';
import type { DatasetEngine, OpenDatasetEngine } from './dataset-engine';
import { eventDatesIn } from './event-dates';

class DuckdbDatasets implements DatasetEngine {
  constructor(
    private readonly lake: Lake,
    private readonly tables: readonly string[],
    private catalog: LocalCatalog,
    /** The lake had no events file when the catalog was opened: its views are empty for good. */
    private openedEmpty: boolean,
  ) {}

  /**
   * A catalog opened on a lake without events has empty views (DuckDB reads no glob that matches
   * nothing): once the ETL has loaded events, it is opened again, so a reload shows them.
   */
  private async reopenOnceLoaded(): Promise<void> {
    if (!this.openedEmpty || (await eventDatesIn(this.lake)) === null) return;
    this.openedEmpty = false;
    const previous = this.catalog;
    this.catalog = await openLocalCatalog(this.lake, { tables: this.tables });
    await previous.close();
  }

  async run(...[query, parameters]: Parameters<DatasetEngine['run']>) {
    await this.reopenOnceLoaded();
    return runLocalQuery(this.catalog, query, parameters);
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
    return new DuckdbDatasets(lake, tables, await openLocalCatalog(lake, { tables }), openedEmpty);
  };
}
