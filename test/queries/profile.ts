import type { NamedQuery } from '../../queries/catalogue';
import type { LocalCatalog } from '../../queries/local-catalog';
import { bindParameters } from '../../queries/parameters';
import { INTEGER, VARCHAR } from '@duckdb/node-api';

interface ProfileNode {
  readonly operator_name?: string;
  readonly extra_info?: Record<string, string>;
  readonly children?: readonly ProfileNode[];
}

function scans(node: ProfileNode): ProfileNode[] {
  const own = node.extra_info?.Function === 'READ_PARQUET' ? [node] : [];
  return [...own, ...(node.children ?? []).flatMap(scans)];
}

/**
 * The parquet files DuckDB's profile says a query read (EXPLAIN ANALYZE, JSON format): how many of how
 * many it considered, and their names, over every parquet scan of the plan.
 */
export async function filesReadBy(
  catalog: LocalCatalog,
  query: NamedQuery,
  given: Readonly<Record<string, string>>,
): Promise<{ scanned: { read: number; of: number }; names: string[] }> {
  const parameters = bindParameters(query.name, query.parameters, given);
  const reader = await catalog.connection.runAndReadAll(
    `explain (analyze, format json) ${query.sql}`,
    parameters.map((parameter) => parameter.value),
    parameters.map((parameter) => (parameter.type === 'int' ? INTEGER : VARCHAR)),
  );
  const profile = JSON.parse(String(reader.getRows()[0][1])) as ProfileNode;
  let read = 0;
  let of = 0;
  const names: string[] = [];
  for (const scan of scans(profile)) {
    const [scanRead, scanOf] = (scan.extra_info?.['Scanning Files'] ?? '0/0').split('/').map(Number);
    read += scanRead;
    of += scanOf;
    names.push(...(scan.extra_info?.['Filename(s)'] ?? '').split(', ').filter((name) => name !== ''));
  }
  return { scanned: { read, of }, names: [...new Set(names)].sort() };
}
