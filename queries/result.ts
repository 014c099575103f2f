/**
 * A query's result as both runners return it, whatever the engine: named, typed columns and rows of
 * plain values, so that formatting and comparisons do not care where the rows came from.
 */
export type Cell = string | number | boolean | null;

/** What a column holds, as far as printing cares. Dates and timestamps are ISO text. */
export type ColumnKind = 'integer' | 'decimal' | 'boolean' | 'date' | 'timestamp' | 'string';

export interface ResultColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The engine's own type name (DuckDB `BIGINT`, Athena `bigint`), for the curious. */
  readonly engineType: string;
}

export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly Cell[])[];
}

/** Maps an engine's type name (DuckDB or Athena/Trino, any case, with or without precision) to a kind. */
export function columnKind(engineType: string): ColumnKind {
  const base = engineType.toLowerCase().replace(/\(.*$/, '').trim();
  if (['tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'utinyint', 'usmallint', 'uinteger', 'ubigint', 'uhugeint'].includes(base)) {
    return 'integer';
  }
  if (['double', 'float', 'real', 'decimal'].includes(base)) return 'decimal';
  if (base === 'boolean') return 'boolean';
  if (base === 'date') return 'date';
  if (base.startsWith('timestamp')) return 'timestamp';
  return 'string';
}

/** Rows as objects keyed by column name (for JSON output and for tests). */
export function rowObjects(result: QueryResult): Record<string, Cell>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index]])));
}
