/**
 * The pipeline's post-load checks: named queries like the catalogue's (same header, same engines),
 * kept apart because they answer the pipeline, not an analyst.
 */
import { join } from 'node:path';
import { loadCatalogue, findQuery } from '../queries/catalogue';
import type { PipelineChecks } from './definition';

export const CHECKS_DIR = join(__dirname, 'checks');

export function loadChecks(dir: string = CHECKS_DIR): PipelineChecks {
  const catalogue = loadCatalogue(dir);
  return { load: findQuery(catalogue, 'load_check', 'orchestration/checks/*.sql'), freshness: findQuery(catalogue, 'data_freshness', 'orchestration/checks/*.sql') };
}
