/**
 * Runs a named query on the local catalog: the file's SQL as is, as a DuckDB prepared statement with
 * the bound parameters as typed values.
 */
import { DuckDBDateValue, DuckDBTimestampValue, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { NamedQuery } from './catalogue';
import type { LocalCatalog } from './local-catalog';
import { bindParameters, type BoundParameter } from './parameters';
import { columnKind, type Cell, type QueryResult } from './result';

/** Dates travel as text for `cast(? as date)`, as they do to Athena; ints as INTEGER, Trino's literal type. */
function duckdbType(parameter: BoundParameter): DuckDBType {
  return parameter.type === 'int' ? INTEGER : VARCHAR;
}

function toCell(value: DuckDBValue): Cell {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    // Counts fit a double exactly up to 2^53; beyond that keep every digit as text.
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof DuckDBDateValue || value instanceof DuckDBTimestampValue) return value.toString();
  return String(value);
}

/** Runs on `connection`, one of the catalog's (its first by default). */
export async function runLocalQuery(
  catalog: LocalCatalog,
  query: NamedQuery,
  parameters: readonly BoundParameter[],
  connection: DuckDBConnection = catalog.connection,
): Promise<QueryResult> {
  const reader = await connection
    .runAndReadAll(
      query.sql,
      parameters.map((parameter) => parameter.value),
      parameters.map(duckdbType),
    )
    .catch(async (error: unknown) => {
      throw await catalog.explainError(error);
    });
  const types = reader.columnTypes();
  const columns = reader.columnNames().map((name, index) => ({ name, kind: columnKind(String(types[index])), engineType: String(types[index]) }));
  return { columns, rows: reader.getRows().map((row) => row.map(toCell)) };
}

/** Binds `given` (name → text, defaults for the rest) and runs the query locally. */
export async function runLocalNamedQuery(catalog: LocalCatalog, query: NamedQuery, given: Readonly<Record<string, string>> = {}): Promise<QueryResult> {
  return runLocalQuery(catalog, query, bindParameters(query.name, query.parameters, given));
}
