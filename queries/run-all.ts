/**
 * Runs every named query of the catalogue, with default parameters, and prints what each returned:
 * the fourth step of `npm run local` (DuckDB; Trino for `--engine aws`). By default one line a query (its row count, and the
 * row itself when there is one); `full` prints every result as a table.
 */
import type { Lake } from '../store/lake';
import { describeParameter, loadCatalogue, type NamedQuery } from './catalogue';
import { formatTable } from './format';
import { openLocalCatalog } from './local-catalog';
import { runLocalNamedQuery } from './local-runner';
import type { Cell, QueryResult } from './result';

export type Print = (text: string) => void;

export interface RunAllOptions {
  readonly print?: Print;
  readonly catalogue?: readonly NamedQuery[];
  /** `summary` (default): one line a query; `full`: each query's description, parameters and table. */
  readonly detail?: 'summary' | 'full';
}

const printToStdout: Print = (text) => process.stdout.write(text);

/** Returns the results by query name, in catalogue order. */
export async function runAllLocal(lake: Lake | string, options: RunAllOptions = {}): Promise<Map<string, QueryResult>> {
  const catalog = await openLocalCatalog(lake);
  try {
    return await runAll((query) => runLocalNamedQuery(catalog, query), options);
  } finally {
    await catalog.close();
  }
}

/** Runs every query of the catalogue with `run` (any engine), with its defaults, printing each result. */
export async function runAll(run: (query: NamedQuery) => Promise<QueryResult>, options: RunAllOptions = {}): Promise<Map<string, QueryResult>> {
  const { print = printToStdout, catalogue = loadCatalogue(), detail = 'summary' } = options;
  const results = new Map<string, QueryResult>();
  const width = Math.max(...catalogue.map((query) => query.name.length));
  for (const query of catalogue) {
    const result = await run(query);
    results.set(query.name, result);
    print(detail === 'full' ? fullText(query, result) : `${summaryLine(query.name.padEnd(width), result)}\n`);
  }
  return results;
}

function fullText(query: NamedQuery, result: QueryResult): string {
  const parameters = query.parameters.map((parameter) => `  ${describeParameter(parameter)}\n`).join('');
  return `\n== ${query.name} ==\n${query.description}\n${parameters}\n${formatTable(result)}`;
}

/** Whole numbers with thousands separators, as the generator and ETL summaries print them. */
function cellText(cell: Cell): string {
  return typeof cell === 'number' && Number.isInteger(cell) ? cell.toLocaleString('en-US') : String(cell);
}

/** `activity_summary  1 row: events 64,700, users 14,011`; only the count when there are more rows. */
export function summaryLine(name: string, result: QueryResult): string {
  const count = `${String(result.rows.length).padStart(4)} row${result.rows.length === 1 ? ': ' : 's'}`;
  if (result.rows.length !== 1) return `${name}  ${count}`;
  const cells = result.columns.map((column, index) => `${column.name} ${cellText(result.rows[0][index])}`);
  return `${name}  ${count}${cells.join(', ')}`;
}
