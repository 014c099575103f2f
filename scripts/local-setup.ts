import { rm } from 'node:fs/promises';
import { LOCATIONS_KEY } from '../model/layout';
import { locationsCsv, readBundledLocations } from '../model/locations';
import { localLake, type Lake } from '../store/lake';

export interface LocalLakeSetup {
  readonly lake: Lake;
  readonly locations: number;
}

/**
 * Prepares the local lake: optionally empties it, then uploads the reference data to `reference/`,
 * where the ETL and the query views read it, exactly as the stack uploads it to the results bucket.
 */
export async function setUpLocalLake(rootDir: string, options: { readonly fresh: boolean }): Promise<LocalLakeSetup> {
  if (options.fresh) await rm(rootDir, { recursive: true, force: true });
  const lake = localLake(rootDir);
  const locations = readBundledLocations();
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(locations), { contentType: 'text/csv' });
  return { lake, locations: locations.length };
}
