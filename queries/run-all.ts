/**
 * Runs every named query of the catalogue locally, with default parameters, and prints each result:
 * the last step of `npm run local`.
 */
import type { Lake } from '../store/lake';
import { describeParameter, loadCatalogue, type NamedQuery } from './catalogue';
import { formatTable } from './format';
import { openLocalCatalog } from './local-catalog';
import { runLocalNamedQuery } from './local-runner';
import type { QueryResult } from './result';

export type Print = (text: string) => void;

const printToStdout: Print = (text) => process.stdout.write(text);

/** Returns the results by query name, in catalogue order. */
export async function runAllLocal(lake: Lake | string, print: Print = printToStdout, catalogue: readonly NamedQuery[] = loadCatalogue()): Promise<Map<string, QueryResult>> {
  const results = new Map<string, QueryResult>();
  const catalog = await openLocalCatalog(lake);
  try {
    for (const query of catalogue) {
      const result = await runLocalNamedQuery(catalog, query);
      results.set(query.name, result);
      const parameters = query.parameters.map((parameter) => `  ${describeParameter(parameter)}\n`).join('');
      print(`\n== ${query.name} ==\n${query.description}\n${parameters}\n${formatTable(result)}`);
    }
  } finally {
    await catalog.close();
  }
  return results;
}
