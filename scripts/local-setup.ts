import { LOCATIONS_KEY } from '../model/layout';
import { locationsCsv, readBundledLocations } from '../model/locations';
import type { Lake } from '../store/lake';
import { openLakeFor, type OpenedLake } from '../store/open-lake';

export interface LocalLakeSetup {
  readonly lake: Lake;
  readonly setUp: OpenedLake['setUp'];
  readonly locations: number;
}

/**
 * Prepares the local lake `--store` names (store/open-lake.ts: a lake this project set up is emptied
 * when `fresh`, a new or empty folder becomes one, anything else is refused untouched), then uploads
 * the reference data to `reference/`, where the ETL and the query views read it, exactly as the stack
 * uploads it to the results bucket.
 */
export async function setUpLocalLake(spec: string, options: { readonly fresh: boolean }): Promise<LocalLakeSetup> {
  const { lake, setUp } = await openLakeFor(spec, options.fresh ? 'fresh' : 'add', { command: 'npm run local' });
  return { lake, setUp, locations: await uploadReference(lake) };
}

/** Uploads the bundled locations to the lake's `reference/` area, as the stack does; returns how many. */
export async function uploadReference(lake: Lake): Promise<number> {
  const locations = readBundledLocations();
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(locations), { contentType: 'text/csv' });
  return locations.length;
}
