/**
 * The reference table the ETL enriches with: the lake's copy (model/layout.ts LOCATIONS_KEY), or the
 * one bundled with the model when the lake has none yet.
 */
import { LOCATIONS_KEY } from '../model/layout';
import { BUNDLED_LOCATIONS_PATH, parseLocationsCsv, readBundledLocations, type Location } from '../model/locations';
import type { Lake } from '../store/lake';

export async function loadLocations(lake: Lake, log: (message: string) => void): Promise<Location[]> {
  const store = lake.store('reference');
  if ((await store.head(LOCATIONS_KEY)) === undefined) {
    log(
      `reference table ${LOCATIONS_KEY} is not in ${store.description}; using the bundled ${BUNDLED_LOCATIONS_PATH} ` +
        '(upload it, e.g. with npm run local, so that Athena and the ETL read the same table)',
    );
    return readBundledLocations();
  }
  return parseLocationsCsv((await store.get(LOCATIONS_KEY)).toString('utf8'), `${store.description}/${LOCATIONS_KEY}`);
}
