/**
 * `npm run bench:etl [-- --events N --legacy-objects N --threads N]`: the ETL end to end on a local
 * folder lake, in two input shapes: generated JSON-lines files (default 1,000,000 events) and the
 * original application's one-event objects (default 20,000). Each ETL run is its own process, so its
 * peak RSS is its alone. Prints events/s, CPU seconds, peak memory and the bytes of the events as
 * Parquet (zstd) against the same rows as CSV and the raw JSON they came from.
 * The issue's targets on a 2-core machine: >= 500,000 events/s; Parquet <= 1/5 of CSV.
 */
import '../cli/supported-node';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { runGenerator } from '../generator/run';
import { EVENTS } from '../model/tables';
import { FsObjectStore } from '../store/fs-store';
import { localLake } from '../store/lake';
import { runEtl } from '../etl/run';

const START = Date.UTC(2026, 10, 2) / 1000;
/** Late enough for every generated event to be inside the accepted window. */
const NOW = new Date((START + 30 * 86400) * 1000);

interface ChildResult {
  readonly linesRead: number;
  readonly loaded: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly files: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** The child side: one ETL invocation on the lake in `dir`, result as JSON on stdout. */
async function runChild(dir: string, threads: number | undefined): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const summary = await runEtl(localLake(dir), { now: NOW, threads, log: () => undefined });
  const cpu = process.cpuUsage(cpuBefore);
  const result: ChildResult = {
    linesRead: summary.linesRead,
    loaded: summary.loaded,
    rejected: summary.rejectedTotal,
    duplicates: summary.duplicatesTotal,
    files: summary.files,
    seconds: summary.seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function spawnChild(dir: string, threads: number | undefined): Promise<ChildResult> {
  const args = [path.join(__dirname, '..', 'node_modules', '.bin', 'tsx'), __filename, '--child', dir];
  if (threads !== undefined) args.push('--threads', String(threads));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the ETL child process exited with ${code}`));
      else resolve(JSON.parse(output.trim().split('\n').pop()!) as ChildResult);
    });
  });
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      'legacy-objects': { type: 'string' },
      threads: { type: 'string' },
      child: { type: 'string' },
    },
  });
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (values.child !== undefined) return runChild(values.child, threads);
  const events = Number(values.events ?? 1_000_000);
  const legacyCount = Number(values['legacy-objects'] ?? 20_000);

  const lakeDir = await mkdtemp(path.join(tmpdir(), 'bench-etl-'));
  const legacyDir = await mkdtemp(path.join(tmpdir(), 'bench-etl-legacy-'));
  try {
    process.stderr.write(`generating ${number(events)} events into ${lakeDir} ...\n`);
    const generated = await runGenerator(new FsObjectStore(lakeDir), {
      seed: 'bench-etl',
      start: START,
      events,
      eventsPerHour: 200_000,
      eventsPerFile: 50_000,
    });
    process.stderr.write(`running the ETL on ${generated.files} JSON-lines files ...\n`);
    const lines = await spawnChild(lakeDir, threads);
    const parquet = bytesUnder(path.join(lakeDir, EVENTS.prefix), '.parquet');
    const csv = await csvBytes(lakeDir);

    process.stderr.write(`writing ${number(legacyCount)} one-event objects into ${legacyDir} ...\n`);
    const legacyBytes = await legacyObjects(legacyDir, legacyCount);
    const legacy = await spawnChild(legacyDir, threads);

    const rows = [
      ['input', 'files', 'lines', 'loaded', 'seconds', 'events/s', 'CPU s', 'peak RSS'],
      ['JSON lines (generator)', number(lines.files), number(lines.linesRead), number(lines.loaded), lines.seconds.toFixed(2), number(lines.linesRead / lines.seconds), lines.cpuSeconds.toFixed(1), `${number(lines.peakRssMb)} MB`],
      ['one-event objects (original)', number(legacy.files), number(legacy.linesRead), number(legacy.loaded), legacy.seconds.toFixed(2), number(legacy.linesRead / legacy.seconds), legacy.cpuSeconds.toFixed(1), `${number(legacy.peakRssMb)} MB`],
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const table = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
    const rate = lines.linesRead / lines.seconds;
    process.stdout.write(
      [
        `ETL benchmark (${cpus().length} cores, DuckDB threads: ${threads ?? 'all'})`,
        ...table,
        '',
        `events of the JSON-lines run, ${number(lines.loaded)} rows:`,
        `  raw JSON    ${megabytes(generated.uncompressedBytes)}`,
        `  CSV         ${megabytes(csv)}`,
        `  Parquet     ${megabytes(parquet)} (zstd) = 1/${(csv / parquet).toFixed(1)} of CSV, 1/${(generated.uncompressedBytes / parquet).toFixed(1)} of raw JSON`,
        `  one-event objects: ${megabytes(legacyBytes)} raw JSON`,
        '',
        `targets: >= 500,000 events/s: ${rate >= 500_000 ? 'met' : `not met (${number(rate)})`}; Parquet <= 1/5 of CSV: ${parquet * 5 <= csv ? 'met' : 'not met'}`,
      ].join('\n') + '\n',
    );
  } finally {
    await rm(lakeDir, { recursive: true, force: true });
    await rm(legacyDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:etl: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
