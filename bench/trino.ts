/**
 * `npm run bench:trino [-- --events N --lake <dir> --runs N]`: each named query on Trino (the twin of
 * Athena, reading the stage's Glue table definitions from moto) and on DuckDB over the same lake, in
 * one run: median time of `--runs` runs after one warm-up each, the ratio, and what Trino read from
 * storage (its `physicalInputBytes`, what Athena bills as data scanned), with the query's defaults and
 * for its last week of events. The lake is bench:dashboard's (1,000,000 events over two weeks by
 * default), generated the first time and reused afterwards.
 */
import '../cli/supported-node';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseFlags, wholeNumberFlag } from '../cli/flags';
import { DASHBOARD } from '../dashboard/definition';
import { loadCatalogue, type NamedQuery } from '../queries/catalogue';
import { openLocalCatalog } from '../queries/local-catalog';
import { runLocalNamedQuery } from '../queries/local-runner';
import { runTrinoNamedQuery } from '../queries/trino-runner';
import { localLake } from '../store/lake';
import { startAthenaTwin } from '../twin/athena';
import { BENCH_LAKE_DIR, median, prepareLake } from './common';

async function timed(run: () => Promise<unknown>, runs: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

async function main(): Promise<void> {
  const values = parseFlags(process.argv.slice(2), {
    events: { type: 'string' },
    lake: { type: 'string', default: BENCH_LAKE_DIR },
    runs: { type: 'string' },
  });
  const events = wholeNumberFlag('events', values.events) ?? 1_000_000;
  const runs = wholeNumberFlag('runs', values.runs) ?? 3;
  const dir = resolve(values.lake);
  await prepareLake(dir, events);
  const lake = localLake(dir);

  const twin = await startAthenaTwin();
  const duckdb = await openLocalCatalog(lake);
  try {
    process.stdout.write(`Trino ${twin.trino.version} started in ${(twin.trino.startupMs / 1000).toFixed(1)} s\n`);
    const trino = await twin.openLake(lake, dir);
    const dates = (await duckdb.connection.runAndReadAll('select cast(min(event_date) as varchar), cast(max(event_date) as varchar) from events')).getRows()[0].map(String);
    const weekStart = new Date(Date.parse(`${dates[1]}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    process.stdout.write(`lake ${dir}: events from ${dates[0]} to ${dates[1]}; one week = ${weekStart} to ${dates[1]}\n`);
    process.stdout.write(`${cpus().length} cores, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}; median of ${runs} runs after a warm-up\n\n`);
    process.stdout.write('| query | DuckDB ms | Trino ms | Trino / DuckDB | Trino scanned, defaults (MB) | Trino scanned, one week (MB) |\n|---|---|---|---|---|---|\n');
    const week = (query: NamedQuery): Record<string, string> =>
      query.parameters.some((parameter) => parameter.name === 'start_date') ? { start_date: weekStart, end_date: dates[1] } : {};
    const catalogue = loadCatalogue();
    const scannedBy = new Map<string, { readonly all: number; readonly week: number }>();
    for (const query of catalogue) {
      const duckdbMs = await timed(() => runLocalNamedQuery(duckdb, query), runs);
      const trinoMs = await timed(() => runTrinoNamedQuery(trino, query), runs);
      const scanned = (await runTrinoNamedQuery(trino, query)).stats.physicalInputBytes;
      const weekScanned = (await runTrinoNamedQuery(trino, query, week(query))).stats.physicalInputBytes;
      scannedBy.set(query.name, { all: scanned, week: weekScanned });
      process.stdout.write(
        `| \`${query.name}\` | ${duckdbMs.toFixed(0)} | ${trinoMs.toFixed(0)} | ${(trinoMs / duckdbMs).toFixed(1)} | ${mb(scanned)} | ${mb(weekScanned)} |\n`,
      );
    }
    // What one view of the dashboard scans: each of its datasets' queries once (QuickSight runs them all).
    const view = DASHBOARD.datasets.map((dataset) => scannedBy.get(dataset.query) ?? { all: 0, week: 0 });
    const total = (pick: (scanned: { all: number; week: number }) => number) => mb(view.reduce((sum, scanned) => sum + pick(scanned), 0));
    process.stdout.write(
      `\na dashboard view (its ${view.length} datasets' queries): ${total((scanned) => scanned.all)} MB scanned with the queries' defaults, ` +
        `${total((scanned) => scanned.week)} MB for one week\n`,
    );
  } finally {
    await duckdb.close();
    await twin.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:trino: ${error.message}\n`);
  process.exitCode = 1;
});
