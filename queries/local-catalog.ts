/**
 * The local stand-in for the Glue catalog: a DuckDB database whose schema is named like a stage's Glue
 * database (`clickstream_local`), with one view per model table over the lake's files. The views are
 * generated from model/tables.ts, as the Glue tables are, so a query that names `events` reads the
 * same columns with the same types on both engines. The schema is the session's default, as the
 * workgroup's database is on Athena, so queries use unqualified table names.
 *
 * A folder lake is read in place. Any other store (S3) is first copied to a temporary folder, since
 * DuckDB here cannot read s3:// (no httpfs); pass `tables` to copy only what a query needs.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TABLES, databaseName, tableByName, type Column, type ColumnType, type TableDefinition } from '../model/tables';
import { FsObjectStore } from '../store/fs-store';
import { localLake, type Lake } from '../store/lake';
import type { ObjectStore } from '../store/object-store';
import { segments } from './sql-text';
import { unreadableFileError, type LakeFile } from './unreadable-file';

/** Locally the stage is called `local`: its database is `clickstream_local`. */
export const LOCAL_STAGE = 'local';
export const LOCAL_DATABASE = databaseName(LOCAL_STAGE);

const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'varchar',
  int: 'integer',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
};

/** File names each table format is stored under (raw files may be gzipped: `.jsonl.gz`). */
const FILE_PATTERN: Readonly<Record<TableDefinition['format'], RegExp>> = {
  parquet: /\.parquet$/,
  csv: /\.csv$/,
  json: /\.jsonl?(\.gz)?$/,
};

export interface LocalCatalog {
  readonly connection: DuckDBConnection;
  /** The schema holding the views, also the session's default schema. */
  readonly database: string;
  /** Where each table's files were read from (a folder holding the table's prefix). */
  readonly roots: ReadonlyMap<string, string>;
  /** An error that names the lake file DuckDB could not read and the fix, when `error` is about one; else `error`. */
  explainError(error: unknown): Promise<unknown>;
  /**
   * Another connection to the same views (closed with the catalog): statements on different
   * connections run side by side, each a DuckDB connection running one statement at a time.
   */
  connect(): Promise<DuckDBConnection>;
  /**
   * Copies the in-memory tables again whose files changed since they were copied (a new ETL run, a
   * roll-back); true when it copied any. Run it while no query runs.
   */
  refresh(): Promise<boolean>;
  close(): Promise<void>;
}

export interface LocalCatalogOptions {
  /** Only these tables (by model name); default every table of the model. */
  readonly tables?: readonly string[];
  /**
   * Of those, the tables copied into DuckDB's memory when the catalog opens, instead of views over
   * their files: queries on them skip Parquet's decoding. `refresh()` copies them again once their
   * files change. For small tables (session_days), read many times.
   */
  readonly inMemory?: readonly string[];
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columnStruct(columns: readonly Column[]): string {
  return `{${columns.map((column) => `${literal(column.name)}: ${literal(DUCKDB_TYPES[column.type])}`).join(', ')}}`;
}

/** The files a table's view reads, as a DuckDB glob, laid out as Glue expects them. */
export function tableGlob(root: string, table: TableDefinition): string {
  const base = join(root, table.prefix);
  switch (table.format) {
    case 'parquet':
      // A partitioned table is `<prefix><key>=<value>/.../<file>.parquet`, one folder level per key.
      return table.partitionKeys.length > 0 ? `${base}${'*/'.repeat(table.partitionKeys.length)}*.parquet` : `${base}**/*.parquet`;
    case 'csv':
      return `${base}*.csv`;
    case 'json':
      return `${base}**/*.json*`;
  }
}

function readerSql(root: string, table: TableDefinition): string {
  const glob = literal(tableGlob(root, table));
  switch (table.format) {
    case 'parquet': {
      if (table.partitionKeys.length === 0) return `read_parquet(${glob}, union_by_name = true)`;
      // Typed partition keys let a filter on event_date skip whole folders (partition pruning).
      return `read_parquet(${glob}, hive_partitioning = true, hive_types = ${columnStruct(table.partitionKeys)}, union_by_name = true)`;
    }
    case 'csv':
      return `read_csv(${glob}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${columnStruct(table.columns)})`;
    case 'json':
      // Raw events are untrusted: a malformed line becomes nulls here and a rejection in the ETL.
      return `read_json(${glob}, format = 'newline_delimited', columns = ${columnStruct(table.columns)}, ignore_errors = true)`;
  }
}

/**
 * `create view` for one table: the model's columns, cast to the model's types, over its files.
 * `fileColumns` are the columns the files hold (undefined: no files yet, an empty view). A model
 * column the files lack reads as null, as Athena reads a Parquet file written before the column.
 */
export function viewSql(database: string, root: string, table: TableDefinition, fileColumns: ReadonlySet<string> | undefined, kind: 'view' | 'table' = 'view'): string {
  const columns = [...table.columns, ...table.partitionKeys];
  const name = `${identifier(database)}.${identifier(table.name)}`;
  const select = columns.map((column) => {
    const source = fileColumns?.has(column.name) ? identifier(column.name) : 'null';
    return `cast(${source} as ${DUCKDB_TYPES[column.type]}) as ${identifier(column.name)}`;
  });
  if (fileColumns === undefined) return `create or replace ${kind} ${name} as select ${select.join(', ')} where false`;
  return `create or replace ${kind} ${name} as select ${select.join(', ')} from ${readerSql(root, table)}`;
}

/** The data files of a table under `root` (a lake folder or a staged copy), by path: what a copy in memory was read from. */
async function filesUnder(root: string, table: TableDefinition): Promise<string> {
  const entries = await readdir(join(root, table.prefix), { recursive: true }).catch(() => []);
  return entries.filter((entry) => FILE_PATTERN[table.format].test(entry)).sort().join('\n');
}

/** The columns a table's files hold, or undefined when it has no files yet. */
async function fileColumnsOf(connection: DuckDBConnection, store: ObjectStore, root: string, table: TableDefinition): Promise<Set<string> | undefined> {
  if (!(await hasTableFiles(store, table))) return undefined;
  try {
    const described = await connection.runAndReadAll(`describe select * from ${readerSql(root, table)}`);
    return new Set(described.getRows().map((row) => String(row[0])));
  } catch (error) {
    throw (await unreadableFileError(error, connection, await parquetFiles(store, root, [table]), store.description)) ?? error;
  }
}

/** The Parquet files of `tables` as DuckDB reads them: under `root`, by key. */
async function parquetFiles(store: ObjectStore, root: string, tables: readonly TableDefinition[]): Promise<LakeFile[]> {
  const files: LakeFile[] = [];
  for (const table of tables) {
    if (table.format !== 'parquet') continue;
    for await (const object of store.list(table.prefix)) {
      if (FILE_PATTERN.parquet.test(object.key)) files.push({ key: object.key, path: join(root, object.key) });
    }
  }
  return files;
}

async function hasTableFiles(store: ObjectStore, table: TableDefinition): Promise<boolean> {
  for await (const object of store.list(table.prefix)) {
    if (FILE_PATTERN[table.format].test(object.key)) return true;
  }
  return false;
}

/** Copies a table's objects from a store DuckDB cannot read into `root`, under the same keys. */
async function stageTable(store: ObjectStore, table: TableDefinition, root: string): Promise<void> {
  for await (const object of store.list(table.prefix)) {
    if (!FILE_PATTERN[table.format].test(object.key)) continue;
    const path = join(root, object.key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, await store.get(object.key));
  }
}

/**
 * Opens an in-memory DuckDB with the model's tables as views over `lake` (a Lake or a folder path).
 * Close it when done: that also removes any staged copy.
 */
export async function openLocalCatalog(lake: Lake | string, options: LocalCatalogOptions = {}): Promise<LocalCatalog> {
  const source = typeof lake === 'string' ? localLake(lake) : lake;
  const tables = options.tables?.map(tableByName) ?? TABLES;
  let stagingDir: string | undefined;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const others: DuckDBConnection[] = [];
  const inMemory = new Set(options.inMemory ?? []);
  /** The files each in-memory table was copied from. */
  const copied = new Map<string, string>();
  const copyIntoMemory = async (table: TableDefinition, store: ObjectStore, root: string): Promise<string> => {
    const files = await filesUnder(root, table);
    await connection.run(viewSql(LOCAL_DATABASE, root, table, await fileColumnsOf(connection, store, root, table), 'table'));
    return files;
  };
  const close = async () => {
    for (const other of others) other.closeSync();
    connection.closeSync();
    instance.closeSync();
    if (stagingDir !== undefined) await rm(stagingDir, { recursive: true, force: true });
  };
  try {
    await connection.run(`set timezone = 'UTC'`);
    await connection.run(`create schema if not exists ${identifier(LOCAL_DATABASE)}`);
    const roots = new Map<string, string>();
    for (const table of tables) {
      const store = source.store(table.area);
      let root: string;
      if (store instanceof FsObjectStore) {
        root = store.rootDir;
      } else {
        stagingDir ??= await mkdtemp(join(tmpdir(), 'clickstream-catalog-'));
        root = stagingDir;
        await stageTable(store, table, root);
      }
      roots.set(table.name, root);
      if (inMemory.has(table.name)) {
        copied.set(table.name, await copyIntoMemory(table, store, root));
      } else {
        await connection.run(viewSql(LOCAL_DATABASE, root, table, await fileColumnsOf(connection, store, root, table)));
      }
    }
    await connection.run(`use ${identifier(LOCAL_DATABASE)}`);
    const explainError = async (error: unknown): Promise<unknown> => {
      for (const table of tables) {
        const store = source.store(table.area);
        const root = roots.get(table.name) as string;
        const explained = await unreadableFileError(error, connection, await parquetFiles(store, root, [table]), store.description);
        if (explained !== undefined) return explained;
      }
      return error;
    };
    const connect = async (): Promise<DuckDBConnection> => {
      const other = await instance.connect();
      others.push(other);
      await other.run(`set timezone = 'UTC'`);
      await other.run(`use ${identifier(LOCAL_DATABASE)}`);
      return other;
    };
    const refresh = async (): Promise<boolean> => {
      let changed = false;
      for (const table of tables.filter((candidate) => inMemory.has(candidate.name))) {
        const root = roots.get(table.name) as string;
        if ((await filesUnder(root, table)) === copied.get(table.name)) continue;
        copied.set(table.name, await copyIntoMemory(table, source.store(table.area), root));
        changed = true;
      }
      return changed;
    };
    return { connection, database: LOCAL_DATABASE, roots, explainError, connect, refresh, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The model tables a query's text names (outside strings and comments): what a copy from S3 must
 * fetch. A false positive only copies a table too many.
 */
export function tablesReferencedBy(sql: string, source: string): string[] {
  const code = segments(sql, source)
    .filter((segment) => segment.kind === 'code')
    .map((segment) => segment.text)
    .join(' ');
  return TABLES.filter((table) => new RegExp(`\\b${table.name}\\b`, 'i').test(code)).map((table) => table.name);
}
