/**
 * The lake the dashboard tests read: about 12,000 generated events over ten days, loaded by the ETL
 * into a temporary folder. Built once per test process and shared by the API and browser tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEtl } from '../../etl/run';
import { runGenerator } from '../../generator/run';
import { LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { localLake, type Lake } from '../../store/lake';

export interface TestLake {
  readonly dir: string;
  readonly lake: Lake;
}

const START = Date.UTC(2026, 0, 5) / 1000;

/** Puts the reference data, generates `events` over ten days from 2026-01-05 and loads them. */
export async function loadTestEvents(lake: Lake, events: number): Promise<void> {
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
  await runGenerator(lake.store('raw'), { seed: 'dashboard', start: START, durationHours: 10 * 24, events, users: Math.ceil(events / 20), eventsPerFile: 4000 });
  await runEtl(lake, { log: () => undefined });
}

async function build(): Promise<TestLake> {
  const dir = await mkdtemp(join(tmpdir(), 'dashboard-lake-'));
  const lake = localLake(dir);
  await loadTestEvents(lake, 12_000);
  return { dir, lake };
}

let shared: Promise<TestLake> | undefined;
let users = 0;

/** The shared lake; call `releaseTestLake` once done with it (the last user removes it). */
export function acquireTestLake(): Promise<TestLake> {
  users += 1;
  shared ??= build();
  return shared;
}

export async function releaseTestLake(): Promise<void> {
  users -= 1;
  if (users > 0 || !shared) return;
  const { dir } = await shared;
  shared = undefined;
  await rm(dir, { recursive: true, force: true });
}
