/**
 * Runs a named query on Trino (the twin's Athena) the way Athena runs it with execution parameters:
 * the file's text as is, its `?` placeholders bound to SQL literals by `EXECUTE IMMEDIATE ... USING`
 * (Athena documents ExecutionParameters as that statement). The values are never pasted into the
 * query text.
 */
import { runTrinoStatement, type TrinoStats } from '../twin/trino/client';
import type { TrinoTarget } from '../twin/trino/lake';
import type { NamedQuery } from './catalogue';
import { bindParameters, sqlLiteral, type BoundParameter } from './parameters';
import { columnKind, type Cell, type QueryResult } from './result';

export interface TrinoRun {
  readonly result: QueryResult;
  readonly queryId: string;
  readonly stats: TrinoStats;
}

/** The statement Trino runs: the query's text as a string literal, its parameters as literals after USING. */
export function executeImmediateSql(query: NamedQuery, parameters: readonly BoundParameter[]): string {
  const text = `'${query.sql.replace(/'/g, "''")}'`;
  return parameters.length === 0 ? `execute immediate ${text}` : `execute immediate ${text} using ${parameters.map(sqlLiteral).join(', ')}`;
}

function toCell(value: unknown): Cell {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Runs one statement on Trino and returns its rows as a QueryResult, with the query's id and statistics. */
export async function runTrinoSql(target: TrinoTarget, sql: string, signal?: AbortSignal): Promise<TrinoRun> {
  const run = await runTrinoStatement(target.url, sql, {
    catalog: target.catalog,
    schema: target.schema,
    properties: target.sessionProperties,
    signal,
  });
  return {
    queryId: run.queryId,
    stats: run.stats,
    result: {
      columns: run.columns.map((column) => ({ name: column.name, kind: columnKind(column.type), engineType: column.type })),
      rows: run.rows.map((row) => row.map(toCell)),
    },
  };
}

export async function runTrinoQuery(
  target: TrinoTarget,
  query: NamedQuery,
  parameters: readonly BoundParameter[],
  signal?: AbortSignal,
): Promise<TrinoRun> {
  return runTrinoSql(target, executeImmediateSql(query, parameters), signal);
}

/** Binds `given` (name → text, defaults for the rest) and runs the query on Trino. */
export async function runTrinoNamedQuery(target: TrinoTarget, query: NamedQuery, given: Readonly<Record<string, string>> = {}): Promise<TrinoRun> {
  return runTrinoQuery(target, query, bindParameters(query.name, query.parameters, given));
}
