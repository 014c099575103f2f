/**
 * The result columns of named queries, asked of DuckDB without running them: each query is prepared
 * over empty views generated from the model (the same views the local catalog creates), and DuckDB
 * reports the columns and types it would return. The dashboard's dataset columns are therefore read
 * from the SQL itself; no second list can fall out of step with it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { TABLES } from '../model/tables';
import type { NamedQuery } from '../queries/catalogue';
import { LOCAL_DATABASE, viewSql } from '../queries/local-catalog';
import { columnKind, type ColumnKind } from '../queries/result';

export interface DatasetColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

export type QueryColumns = Readonly<Record<string, readonly DatasetColumn[]>>;

/** Columns of each query, by query name, in result order. */
export async function describeQueries(queries: readonly NamedQuery[]): Promise<QueryColumns> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`create schema ${identifier(LOCAL_DATABASE)}`);
    // Views without files: the model's columns and types, no rows (the root is never read).
    for (const table of TABLES) await connection.run(viewSql(LOCAL_DATABASE, '', table, undefined));
    await connection.run(`use ${identifier(LOCAL_DATABASE)}`);
    const described: Record<string, DatasetColumn[]> = {};
    for (const query of queries) {
      const prepared = await connection.prepare(query.sql);
      try {
        const columns: DatasetColumn[] = [];
        for (let index = 0; index < prepared.columnCount; index++) {
          columns.push({ name: prepared.columnName(index), kind: columnKind(prepared.columnType(index).toString()) });
        }
        described[query.name] = columns;
      } finally {
        prepared.destroySync();
      }
    }
    return described;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
