/**
 * The dataset `npm run local` generates: a few days of a mid-sized shop. 50,000 visitors make about
 * 70,000 events a day (0.4 visits a visitor a day, 3.5 events a visit), so the default 3 days give
 * about 210,000 events: enough for every dashboard visual to show a shape, quick to generate.
 */
import type { GenerateOptions } from './run';

export const LOCAL_DATASET_USERS = 50_000;
export const LOCAL_DATASET_DAYS = 3;
/** A year at most: the data ends today, and a run stays minutes long (about 25 million events). */
export const LOCAL_DATASET_MAX_DAYS = 366;
export const LOCAL_DATASET_SEED = 'local';

export function localDatasetOptions(days = LOCAL_DATASET_DAYS, seed = LOCAL_DATASET_SEED): GenerateOptions {
  return { seed, durationHours: days * 24, users: LOCAL_DATASET_USERS };
}
