/**
 * What the benchmarks share. The large lake: generated (by default 1,000,000 events over two weeks, seed
 * `bench-dashboard`) and loaded by the ETL into a folder the first time, reused afterwards.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runEtl } from '../etl/run';
import { runGenerator } from '../generator/run';
import { LOCATIONS_KEY } from '../model/layout';
import { locationsCsv, readBundledLocations } from '../model/locations';
import { EVENTS } from '../model/tables';
import { localLake } from '../store/lake';

/** Where bench:dashboard and bench:trino keep that lake unless told otherwise. */
export const BENCH_LAKE_DIR = join('.out', 'bench', 'dashboard-lake');

async function lakeEvents(dir: string): Promise<number> {
  const root = join(dir, EVENTS.prefix);
  if (!existsSync(root)) return 0;
  return (await readdir(root)).filter((name) => name.startsWith('event_date=')).length;
}

export async function prepareLake(dir: string, events: number): Promise<void> {
  if ((await lakeEvents(dir)) > 0) {
    process.stdout.write(`reusing the lake in ${dir} (delete it to regenerate)\n`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const lake = localLake(dir);
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
  let started = performance.now();
  const generated = await runGenerator(lake.store('raw'), {
    seed: 'bench-dashboard',
    start: Date.UTC(2026, 0, 5) / 1000,
    events,
    // About two weeks of traffic, whatever the count: a partition per day, as in production.
    eventsPerHour: Math.ceil(events / (14 * 24)),
    users: Math.max(1000, Math.round(events / 20)),
    eventsPerFile: 50_000,
  });
  process.stdout.write(`generated ${generated.events.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  started = performance.now();
  const loaded = await runEtl(lake, { log: () => undefined });
  process.stdout.write(`loaded ${loaded.loaded.toLocaleString('en-US')} events with the ETL in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The median of some timings. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
