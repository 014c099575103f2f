import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { EVENTS, REJECTED_EVENTS, TABLES, databaseName } from '../../model/tables';
import { findQuery, loadCatalogue } from '../../queries/catalogue';
import { LOCAL_DATABASE, openLocalCatalog, tablesReferencedBy } from '../../queries/local-catalog';
import { runLocalNamedQuery } from '../../queries/local-runner';
import { rowObjects } from '../../queries/result';
import { FsObjectStore } from '../../store/fs-store';
import type { Lake } from '../../store/lake';
import { remoteLike, writeLake } from './hand-made-lake';
import { filesReadBy } from './profile';

describe('local catalog (DuckDB views named like the Glue catalog)', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-catalog-'));
    await writeLake(dir);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates one view per model table, with the model columns and types, in the schema named like the stage database', async () => {
    const catalog = await openLocalCatalog(dir);
    try {
      expect(catalog.database).to.equal(databaseName('local')).and.equal(LOCAL_DATABASE);
      const columns = await catalog.connection.runAndReadAll(
        `select table_name, column_name, data_type from information_schema.columns where table_schema = ? order by table_name, ordinal_position`,
        [LOCAL_DATABASE],
      );
      const byTable = new Map<string, string[]>();
      for (const [table, column, type] of columns.getRows()) {
        byTable.set(String(table), [...(byTable.get(String(table)) ?? []), `${String(column)}:${String(type)}`]);
      }
      const expectedType = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', date: 'DATE' };
      for (const table of TABLES) {
        expect(byTable.get(table.name), table.name).to.deep.equal([...table.columns, ...table.partitionKeys].map((column) => `${column.name}:${expectedType[column.type]}`));
      }
    } finally {
      await catalog.close();
    }
  });

  it('resolves unqualified table names to that schema and reads every table\'s files', async () => {
    const catalog = await openLocalCatalog(dir);
    try {
      const count = async (table: string) => Number((await catalog.connection.runAndReadAll(`select count(*) from ${table}`)).getRows()[0][0]);
      expect(await count('events')).to.equal(6);
      expect(await count('rejected_events')).to.equal(1);
      expect(await count('locations')).to.equal(2);
      const korea = await catalog.connection.runAndReadAll(`select country_name, iso_numeric from locations where location_id = 2`);
      expect(korea.getRows()).to.deep.equal([['Korea, Republic of', '410']]);
      // The malformed raw line is the ETL's to reject; the view still reads the good one.
      const raw = await catalog.connection.runAndReadAll(`select user_id from raw_events where user_id is not null`);
      expect(raw.getRows()).to.deep.equal([['u9']]);
    } finally {
      await catalog.close();
    }
  });

  it('gives typed, empty views over an empty lake, so queries return no rows instead of failing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'local-catalog-empty-'));
    const catalog = await openLocalCatalog(empty);
    try {
      for (const query of loadCatalogue()) {
        const result = await runLocalNamedQuery(catalog, query);
        const expectedRows = query.name === 'conversion_funnel' ? 4 : 0;
        expect(result.rows, query.name).to.have.length(expectedRows);
      }
    } finally {
      await catalog.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('reads only the event_date partitions a date-bounded query asks for', async () => {
    const catalog = await openLocalCatalog(dir);
    try {
      const query = findQuery(loadCatalogue(), 'revenue_by_category');
      const files = await filesReadBy(catalog, query, { start_date: '2026-03-02', end_date: '2026-03-02' });
      expect(files.scanned).to.deep.equal({ read: 1, of: 3 });
      expect(files.names).to.deep.equal([join(dir, `${EVENTS.prefix}event_date=2026-03-02/part-0.parquet`)]);
      const result = await runLocalNamedQuery(catalog, query, { start_date: '2026-03-02', end_date: '2026-03-02' });
      // The day's one purchase: 2 units; the hand-made file has no category and no revenue column.
      expect(rowObjects(result)).to.deep.equal([
        { product_category: 'unknown', orders: 1, order_lines: 1, units: 2, revenue: 0, average_order_value: 0, share_of_revenue_pct: null },
      ]);
    } finally {
      await catalog.close();
    }
  });

  it('copies an in-memory table when it opens, and again only once its files change', async () => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'local-catalog-memory-'));
    await writeLake(lakeDir);
    const catalog = await openLocalCatalog(lakeDir, { tables: ['events'], inMemory: ['events'] });
    const count = async () => Number((await catalog.connection.runAndReadAll('select count(*) from events')).getRows()[0][0]);
    const kind = await catalog.connection.runAndReadAll(`select table_type from information_schema.tables where table_schema = ? and table_name = 'events'`, [LOCAL_DATABASE]);
    try {
      expect(kind.getRows()).to.deep.equal([['BASE TABLE']]);
      expect(await count()).to.equal(6);
      expect(await catalog.refresh(), 'nothing changed').to.equal(false);
      // A new run's file: the copy shows it after a refresh, not before.
      const folder = join(lakeDir, `${EVENTS.prefix}event_date=2026-03-04`);
      await mkdir(folder, { recursive: true });
      await copyFile(join(lakeDir, `${EVENTS.prefix}event_date=2026-03-01/part-0.parquet`), join(folder, 'part-1.parquet'));
      expect(await count()).to.equal(6);
      expect(await catalog.refresh()).to.equal(true);
      expect(await count()).to.equal(8);
      expect(await catalog.refresh(), 'copied already').to.equal(false);
    } finally {
      await catalog.close();
      await rm(lakeDir, { recursive: true, force: true });
    }
  });

  it('copies a store DuckDB cannot read into a temporary folder, only the tables asked for, and removes it on close', async () => {
    const store = remoteLike(new FsObjectStore(dir));
    const lake: Lake = { description: store.description, store: () => store };
    const catalog = await openLocalCatalog(lake, { tables: ['events', 'locations'] });
    const staging = catalog.roots.get('events') as string;
    try {
      expect(staging).to.not.equal(dir);
      expect(existsSync(join(staging, `${EVENTS.prefix}event_date=2026-03-01/part-0.parquet`))).to.equal(true);
      expect(existsSync(join(staging, REJECTED_EVENTS.prefix))).to.equal(false);
      const events = await catalog.connection.runAndReadAll(`select count(*) from events`);
      expect(Number(events.getRows()[0][0])).to.equal(6);
    } finally {
      await catalog.close();
    }
    expect(existsSync(staging)).to.equal(false);
  });

  it('finds the model tables a query names, ignoring strings and comments', () => {
    expect(tablesReferencedBy("select * from events join locations on true -- raw_events\nwhere x = 'rejected_events'", 'q')).to.deep.equal(['events', 'locations']);
    expect(tablesReferencedBy('select * from raw_events', 'q')).to.deep.equal(['raw_events']);
  });
});
