/**
 * The fixed dataset the named queries are checked on: a few thousand generated events over about two
 * weeks (with injected faults: malformed lines, unknown locations, duplicates, ...), plus a handful of
 * the original application's version 1 events, one JSON object per file, loaded by the ETL (etl/run.ts)
 * into a temporary local lake, a run per file or so. The raw lines are kept, so that the test can compute what the queries should
 * return on its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LegacyEvent } from '../../model/events';
import { LOCATIONS_KEY, PREFIXES } from '../../model/layout';
import { locationsCsv, readBundledLocations, type Location } from '../../model/locations';
import { defaultTimestampWindow, type ValidationContext } from '../../model/validate';
import { runEtl } from '../../etl/run';
import { runGenerator } from '../../generator/run';
import { Random } from '../../generator/random';
import { localLake, type Lake } from '../../store/lake';
import type { RawLine } from './expected';

export interface Dataset {
  readonly dir: string;
  readonly lake: Lake;
  readonly lines: readonly RawLine[];
  readonly locations: readonly Location[];
  /** The validation context the ETL applied (its clock is this machine's). */
  readonly context: ValidationContext;
  remove(): Promise<void>;
}

const START = Date.UTC(2026, 0, 5) / 1000;
const LEGACY_EVENTS = 30;

/** Version 1 events as the original application wrote them: `raw/<event_type>_<user_id>_<timestamp>.json`. */
function legacyEvents(random: Random, locations: readonly Location[]): LegacyEvent[] {
  const types = ['click', 'click', 'search', 'purchase'] as const;
  const actions = ['home_page', 'product_page', 'cart_page', 'checkout_page', 'search_page'] as const;
  const categories = ['electronics', 'clothing', 'books', 'home_appliances', 'toys', 'other'] as const;
  return Array.from({ length: LEGACY_EVENTS }, (_, index) => {
    const type = types[index % types.length];
    return {
      event_type: type,
      user_id: `legacyuser${index % 7}`,
      user_action: type === 'search' ? 'search_page' : actions[random.below(actions.length)],
      product_category: type === 'search' ? null : categories[random.below(categories.length)],
      location: String(locations[random.below(45)].id),
      user_age: 16 + random.below(60),
      timestamp: START + random.below(10 * 86_400),
    };
  });
}

async function rawLines(lake: Lake): Promise<RawLine[]> {
  const store = lake.store('raw');
  const lines: RawLine[] = [];
  for await (const object of store.list(PREFIXES.raw)) {
    const body = await store.get(object.key);
    const text = (object.key.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8');
    text.split('\n').forEach((line, index) => {
      if (line !== '') lines.push({ key: object.key, lineNumber: index + 1, text: line });
    });
  }
  return lines;
}

export async function buildDataset(): Promise<Dataset> {
  const dir = await mkdtemp(join(tmpdir(), 'queries-dataset-'));
  const lake = localLake(dir);
  const locations = readBundledLocations();
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(locations));
  await runGenerator(lake.store('raw'), {
    seed: 'named-queries',
    start: START,
    events: 6000,
    users: 400,
    eventsPerFile: 1500,
    gzip: true,
    faults: { malformed_json: 0.005, missing_field: 0.005, wrong_type: 0.005, unknown_location: 0.005, timestamp_out_of_window: 0.005, duplicate_event_id: 0.01 },
  });
  for (const event of legacyEvents(new Random('named-queries-legacy'), locations)) {
    await lake.store('raw').put(`${PREFIXES.raw}${event.event_type}_${event.user_id}_${event.timestamp}.json`, JSON.stringify(event));
  }
  const lines = await rawLines(lake);
  const known = new Set(locations.map((location) => String(location.id)));
  const now = new Date();
  const context: ValidationContext = { isKnownLocation: (id) => known.has(id), window: defaultTimestampWindow(now.getTime() / 1000) };
  // About one ETL run per raw file: a day's events, and some sessions, arrive over several runs, as they do
  // on a stage, so the queries over session_days must add up rows that several runs wrote.
  await runEtl(lake, { now, log: () => undefined, maxBatchBytes: 128 * 1024 });
  return { dir, lake, lines, locations, context, remove: () => rm(dir, { recursive: true, force: true }) };
}
