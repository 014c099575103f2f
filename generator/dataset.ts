/**
 * The dataset `npm run local` generates: a few days of a mid-sized shop. 50,000 visitors make 65,000
 * to 72,000 events a day, depending on the weekday, so the default 3 days give about 200,000 events
 * (203,584 for 25–27 November 2026, the figure the README quotes): enough for every dashboard visual
 * to show a shape, quick to generate.
 */
import { FAULT_KINDS, type FaultRates } from './faults';
import type { GenerateOptions } from './run';

export const LOCAL_DATASET_USERS = 50_000;
export const LOCAL_DATASET_DAYS = 3;
/** A year at most: the data ends today, and a run stays minutes long (about 25 million events). */
export const LOCAL_DATASET_MAX_DAYS = 366;
export const LOCAL_DATASET_SEED = 'local';

/** A few bad records of every kind, so that the local run shows rejected_events and its reasons. */
export const LOCAL_DATASET_FAULT_RATE = 0.001;

export function localDatasetOptions(days = LOCAL_DATASET_DAYS, seed = LOCAL_DATASET_SEED, faultRate = LOCAL_DATASET_FAULT_RATE): GenerateOptions {
  const faults: FaultRates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, faultRate]));
  return { seed, durationHours: days * 24, users: LOCAL_DATASET_USERS, faults };
}
