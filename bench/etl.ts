/**
 * `npm run bench:etl [-- --events N --days 3,60 --legacy-objects N --threads N --engines duckdb[,spark] --small-batch-mb N]`: the ETL end to end
 * on a local folder lake, side by side with DuckDB's bare conversion of the same files in the same
 * run (`read_json` of the raw files → Parquet partitioned by event_date, no validation, no dedupe, no
 * commit protocol): the yardstick of issue 16. For each spread of event dates (default 3 and 60 days)
 * it generates the JSON-lines files once, converts them bare, then runs the ETL on them; each run is
 * its own process, so its peak RSS is its alone. Also the original application's one-event objects
 * (default 20,000). Prints seconds, CPU seconds, peak memory and the ETL/bare ratios, and the bytes
 * of the events as Parquet (zstd) against the same rows as CSV and the raw JSON they came from.
 * Targets: ETL wall time <= bare (ratio <= 1), not growing with the dates; ETL peak RSS <= bare's;
 * Parquet <= 1/5 of CSV.
 *
 * The ETL also runs a second time on the same files in batches of `--small-batch-mb` (default 128; 0
 * skips it), as `npm run etl -- --max-batch-mb 128` does: a trade of time for peak memory.
 *
 * Unless `--engines duckdb`, the Glue job on local Spark (bench/etl-spark.ts) also loads the first
 * spread's files, and the table shows it beside the DuckDB ETL with the Spark / DuckDB ratios.
 */
import '../cli/supported-node';
import { runJsonChild } from './child-process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { runGenerator } from '../generator/run';
import { EVENTS } from '../model/tables';
import { PREFIXES } from '../model/layout';
import { FsObjectStore } from '../store/fs-store';
import { localLake } from '../store/lake';
import { runEtl } from '../etl/run';
import type { StepSeconds } from '../etl/step-times';
import { formatStepSeconds } from '../etl/summary';
import { bareConversionSql } from './bare-conversion';
import { linkRawInputs, measureSpark, sparkNotes, sparkRows, type SparkFigures } from './etl-spark';
import { LOCATIONS_KEY } from '../model/layout';
import { locationsCsv, readBundledLocations } from '../model/locations';

const START = Date.UTC(2026, 10, 2) / 1000;
/**
 * The batch size of the extra ETL run: the ETL's peak memory follows its batch (the typed rows of a
 * batch are held whole), and in batches this small it stays under the bare conversion's.
 */
const DEFAULT_SMALL_BATCH_MB = 128;
/** Late enough for every generated event to be inside the accepted window (60 days from START). */
const NOW = new Date((START + 80 * 86400) * 1000);

interface ProcessFigures {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

interface EtlFigures extends ProcessFigures {
  readonly linesRead: number;
  readonly loaded: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly files: number;
  readonly stepSeconds: StepSeconds;
}

interface BareFigures extends ProcessFigures {
  readonly rows: number;
}

type ChildKind = 'etl' | 'bare';

function processFigures(seconds: number, cpuBefore: NodeJS.CpuUsage): ProcessFigures {
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** The child side of an ETL run: one ETL invocation on the lake in `dir`, result as JSON on stdout. */
async function runEtlChild(dir: string, threads: number | undefined, maxBatchMb: number | undefined): Promise<EtlFigures> {
  const cpuBefore = process.cpuUsage();
  const maxBatchBytes = maxBatchMb === undefined ? undefined : maxBatchMb * 1024 * 1024;
  const summary = await runEtl(localLake(dir), { now: NOW, threads, maxBatchBytes, log: () => undefined });
  return {
    linesRead: summary.linesRead,
    loaded: summary.loaded,
    rejected: summary.rejectedTotal,
    duplicates: summary.duplicatesTotal,
    files: summary.files,
    stepSeconds: summary.stepSeconds!,
    ...processFigures(summary.seconds, cpuBefore),
  };
}

/** The child side of the yardstick: DuckDB alone converts raw/ to Parquet under `bare/`, no checks. */
async function runBareChild(dir: string, threads: number | undefined): Promise<BareFigures> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // The ETL engine's settings (etl/duckdb-engine.ts), so that only the work differs.
  const config: Record<string, string> = { preserve_insertion_order: 'false' };
  if (threads !== undefined) config.threads = String(threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  let rows: number;
  try {
    const reader = await connection.runAndReadAll(bareConversionSql(path.join(dir, PREFIXES.raw), path.join(dir, 'bare')));
    rows = Number(reader.getRowObjectsJS()[0].Count);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { rows, ...processFigures((performance.now() - started) / 1000, cpuBefore) };
}

function spawnChild<T>(kind: ChildKind, dir: string, threads: number | undefined, maxBatchMb?: number): Promise<T> {
  const args = [path.join(__dirname, '..', 'node_modules', '.bin', 'tsx'), __filename, '--child', kind, '--dir', dir];
  if (threads !== undefined) args.push('--threads', String(threads));
  if (maxBatchMb !== undefined) args.push('--max-batch-mb', String(maxBatchMb));
  return runJsonChild<T>(args, `the ${kind} child process`);
}

function bytesUnder(root: string, extension: string): number {
  let total = 0;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(extension)) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Writes the loaded events again as CSV (header, same columns) and returns its size. */
async function csvBytes(dir: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = path.join(dir, 'events.csv');
  try {
    await connection.run(
      `COPY (SELECT * FROM read_parquet('${path.join(dir, EVENTS.prefix)}**/*.parquet', hive_partitioning = true)) TO '${file}' (FORMAT csv, HEADER true)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return (await stat(file)).size;
}

async function legacyObjects(dir: string, count: number): Promise<number> {
  const actions = ['home_page', 'product_page', 'cart_page', 'checkout_page', 'search_page'];
  let bytes = 0;
  await mkdir(path.join(dir, 'raw'), { recursive: true });
  for (let index = 0; index < count; index++) {
    const type = ['click', 'search', 'purchase'][index % 3];
    const event = {
      event_type: type,
      user_id: `legacy${String(index).padStart(6, '0')}`,
      user_action: actions[index % actions.length],
      product_category: type === 'search' ? null : 'books',
      location: String(1 + (index % 45)),
      user_age: 16 + (index % 60),
      timestamp: START + index,
    };
    const body = JSON.stringify(event);
    bytes += Buffer.byteLength(body);
    await writeFile(path.join(dir, 'raw', `${type}_${event.user_id}_${event.timestamp}.json`), body);
  }
  return bytes;
}

const number = (value: number): string => Math.round(value).toLocaleString('en-US');
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const ratio = (value: number, base: number): string => (value / base).toFixed(2);

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
}

interface SpreadResult {
  readonly days: number;
  readonly files: number;
  readonly rawBytes: number;
  readonly bare: BareFigures;
  readonly etl: EtlFigures;
  /** The ETL on the same files in batches of `smallBatchMb` (npm run etl -- --max-batch-mb), when asked for. */
  readonly smallBatch?: EtlFigures;
  readonly parquetBytes: number;
  readonly csvBytes: number;
  /** The Glue job on local Spark on the same files, when asked for. */
  readonly spark?: SparkFigures;
}

/** One spread of event dates: generate, convert bare, run the ETL on the same files. */
async function measureSpread(events: number, days: number, threads: number | undefined, withSpark: boolean, smallBatchMb: number): Promise<SpreadResult> {
  const lakeDir = await mkdtemp(path.join(tmpdir(), 'bench-etl-'));
  const sparkDir = withSpark ? await mkdtemp(path.join(tmpdir(), 'bench-etl-spark-')) : undefined;
  const smallBatchDir = smallBatchMb > 0 ? await mkdtemp(path.join(tmpdir(), 'bench-etl-batches-')) : undefined;
  try {
    process.stderr.write(`generating ${number(events)} events over ${days} days into ${lakeDir} ...\n`);
    const generated = await runGenerator(new FsObjectStore(lakeDir), {
      seed: 'bench-etl',
      start: START,
      events,
      eventsPerHour: Math.ceil(events / (days * 24)),
      eventsPerFile: 50_000,
    });
    process.stderr.write(`converting ${generated.files} JSON-lines files bare, then with the ETL ...\n`);
    // Bare first: the ETL moves raw/ to processed/. Both read the files from the page cache.
    const bare = await spawnChild<BareFigures>('bare', lakeDir, threads);
    await rm(path.join(lakeDir, 'bare'), { recursive: true, force: true });
    // Spark's lake: the same raw files (hard links; the DuckDB ETL moves its own away), and the
    // reference table where the deployed job finds it.
    if (sparkDir !== undefined) {
      linkRawInputs(lakeDir, sparkDir);
      await new FsObjectStore(sparkDir).put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
    }
    if (smallBatchDir !== undefined) linkRawInputs(lakeDir, smallBatchDir);
    const etl = await spawnChild<EtlFigures>('etl', lakeDir, threads);
    if (smallBatchDir !== undefined) process.stderr.write(`loading the same files with the ETL in batches of ${smallBatchMb} MB ...\n`);
    const smallBatch = smallBatchDir === undefined ? undefined : await spawnChild<EtlFigures>('etl', smallBatchDir, threads, smallBatchMb);
    if (sparkDir !== undefined) process.stderr.write('loading the same files with the Glue job on local Spark ...\n');
    const spark = sparkDir === undefined ? undefined : await measureSpark(sparkDir, NOW);
    return {
      days,
      files: generated.files,
      rawBytes: generated.uncompressedBytes,
      bare,
      etl,
      smallBatch,
      parquetBytes: bytesUnder(path.join(lakeDir, EVENTS.prefix), '.parquet'),
      csvBytes: await csvBytes(lakeDir),
      spark,
    };
  } finally {
    await rm(lakeDir, { recursive: true, force: true });
    if (sparkDir !== undefined) await rm(sparkDir, { recursive: true, force: true });
    if (smallBatchDir !== undefined) await rm(smallBatchDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      days: { type: 'string' },
      'legacy-objects': { type: 'string' },
      threads: { type: 'string' },
      child: { type: 'string' },
      dir: { type: 'string' },
      engines: { type: 'string' },
      'max-batch-mb': { type: 'string' },
      'small-batch-mb': { type: 'string' },
    },
  });
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (values.child !== undefined) {
    const dir = values.dir ?? '';
    const maxBatchMb = values['max-batch-mb'] === undefined ? undefined : Number(values['max-batch-mb']);
    const figures = values.child === 'bare' ? await runBareChild(dir, threads) : await runEtlChild(dir, threads, maxBatchMb);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const events = Number(values.events ?? 1_000_000);
  const spreads = (values.days ?? '3,60').split(',').map(Number);
  const legacyCount = Number(values['legacy-objects'] ?? 20_000);
  const smallBatchMb = Number(values['small-batch-mb'] ?? DEFAULT_SMALL_BATCH_MB);
  if (!Number.isInteger(smallBatchMb) || smallBatchMb < 0) {
    throw new Error(`--small-batch-mb ${values['small-batch-mb']}: give a whole number of MB, e.g. 128, or 0 to skip the run in small batches`);
  }
  const engines = (values.engines ?? 'duckdb,spark').split(',');
  const unknown = engines.filter((engine) => engine !== 'duckdb' && engine !== 'spark');
  if (unknown.length > 0 || !engines.includes('duckdb')) {
    throw new Error(`--engines ${values.engines}: give duckdb, or duckdb,spark (the default; Spark runs on the first spread of dates)`);
  }
  const loadBefore = loadavg()[0];

  const results: SpreadResult[] = [];
  for (const [index, days] of spreads.entries()) results.push(await measureSpread(events, days, threads, index === 0 && engines.includes('spark'), smallBatchMb));

  const legacyDir = await mkdtemp(path.join(tmpdir(), 'bench-etl-legacy-'));
  let legacy: EtlFigures;
  let legacyBytes: number;
  try {
    process.stderr.write(`writing ${number(legacyCount)} one-event objects into ${legacyDir} ...\n`);
    legacyBytes = await legacyObjects(legacyDir, legacyCount);
    legacy = await spawnChild<EtlFigures>('etl', legacyDir, threads);
  } finally {
    await rm(legacyDir, { recursive: true, force: true });
  }

  const rows = [['input', 'run', 'files', 'lines', 'loaded', 'seconds', 'events/s', 'CPU s', 'peak RSS']];
  for (const result of results) {
    const { bare, etl } = result;
    const input = `${result.days} days of JSON lines`;
    rows.push([input, 'bare DuckDB', number(result.files), number(etl.linesRead), number(bare.rows), bare.seconds.toFixed(2), number(etl.linesRead / bare.seconds), bare.cpuSeconds.toFixed(1), `${number(bare.peakRssMb)} MB`]);
    rows.push([input, 'ETL', number(etl.files), number(etl.linesRead), number(etl.loaded), etl.seconds.toFixed(2), number(etl.linesRead / etl.seconds), etl.cpuSeconds.toFixed(1), `${number(etl.peakRssMb)} MB`]);
    rows.push([input, 'ETL / bare', '', '', '', ratio(etl.seconds, bare.seconds), '', ratio(etl.cpuSeconds, bare.cpuSeconds), ratio(etl.peakRssMb, bare.peakRssMb)]);
    const small = result.smallBatch;
    if (small !== undefined) {
      const run = `ETL, ${smallBatchMb} MB batches`;
      rows.push([input, run, number(small.files), number(small.linesRead), number(small.loaded), small.seconds.toFixed(2), number(small.linesRead / small.seconds), small.cpuSeconds.toFixed(1), `${number(small.peakRssMb)} MB`]);
      rows.push([input, `${run} / bare`, '', '', '', ratio(small.seconds, bare.seconds), '', ratio(small.cpuSeconds, bare.cpuSeconds), ratio(small.peakRssMb, bare.peakRssMb)]);
    }
    if (result.spark !== undefined) rows.push(...sparkRows(input, result.files, etl, result.spark));
  }
  rows.push(['one-event objects (original)', 'ETL', number(legacy.files), number(legacy.linesRead), number(legacy.loaded), legacy.seconds.toFixed(2), number(legacy.linesRead / legacy.seconds), legacy.cpuSeconds.toFixed(1), `${number(legacy.peakRssMb)} MB`]);

  const verdict = (met: boolean, detail: string): string => `${met ? 'met' : 'not met'} (${detail})`;
  const timeRatios = results.map((result) => result.etl.seconds / result.bare.seconds);
  const memoryRatios = results.map((result) => result.etl.peakRssMb / result.bare.peakRssMb);
  const smallBatchMemoryRatios = results.flatMap((result) => (result.smallBatch === undefined ? [] : [result.smallBatch.peakRssMb / result.bare.peakRssMb]));
  const first = results[0];
  const sizes = results.flatMap((result) => [
    `events of the ${result.days}-day run, ${number(result.etl.loaded)} rows: raw JSON ${megabytes(result.rawBytes)}, CSV ${megabytes(result.csvBytes)}, ` +
      `Parquet ${megabytes(result.parquetBytes)} (zstd) = 1/${(result.csvBytes / result.parquetBytes).toFixed(1)} of CSV, 1/${(result.rawBytes / result.parquetBytes).toFixed(1)} of raw JSON`,
  ]);
  const last = results[results.length - 1];
  process.stdout.write(
    [
      `ETL benchmark (${cpus().length} cores, DuckDB threads: ${threads ?? 'all'}, load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after)`,
      ...table(rows),
      '',
      'bare DuckDB = read_json of the same raw files → Parquet (zstd) partitioned by event_date, no validation; ' +
        'ETL = validation, quarantine, dedupe, enrichment and the commit protocol. Ratios are ETL / bare in the same run.',
      ...sizes,
      ...results.map((result) => `where the ETL's ${result.etl.seconds.toFixed(2)} s went, ${result.days} days: ${formatStepSeconds(result.etl.stepSeconds)}`),
      ...results.flatMap((result) => (result.spark === undefined ? [] : sparkNotes(result.etl, result.spark))),
      `one-event objects: ${megabytes(legacyBytes)} raw JSON`,
      '',
      'targets:',
      `  ETL wall time <= bare conversion: ${verdict(timeRatios.every((value) => value <= 1), `ratio ${timeRatios.map((value) => value.toFixed(2)).join(', ')}`)}`,
      `  ETL peak RSS <= bare conversion: ${verdict(memoryRatios.every((value) => value <= 1), `ratio ${memoryRatios.map((value) => value.toFixed(2)).join(', ')}`)}`,
      ...(smallBatchMemoryRatios.length === results.length
        ? [
            `  ETL peak RSS <= bare conversion, in ${smallBatchMb} MB batches: ${verdict(smallBatchMemoryRatios.every((value) => value <= 1), `ratio ${smallBatchMemoryRatios.map((value) => value.toFixed(2)).join(', ')}`)}`,
          ]
        : []),
      results.length > 1
        ? `  cost not growing with the dates (${first.days} → ${last.days} days): ETL CPU ${first.etl.cpuSeconds.toFixed(1)} → ${last.etl.cpuSeconds.toFixed(1)} s, ` +
          `time ratio ${timeRatios[0].toFixed(2)} → ${timeRatios[timeRatios.length - 1].toFixed(2)}`
        : '  cost over dates: run with --days 3,60 to compare',
      `  Parquet <= 1/5 of CSV: ${verdict(results.every((result) => result.parquetBytes * 5 <= result.csvBytes), 'zstd')}`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:etl: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
