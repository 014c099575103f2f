/**
 * `npm run bench:generator [-- --events N --s3-events N]`: how fast the generator writes, and in how
 * much memory. Each case runs in its own process (so peak RSS is that case's alone): to a local
 * folder as plain JSON lines, as gzip (default level 6, and level 1), and to s3rver on loopback
 * through the S3 object store. Prints a table; the target is 200,000 events/s to local files
 * on one core.
 */
import '../cli/supported-node';
import { runJsonChild } from './child-process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumberFlag } from '../cli/flags';
import { FsObjectStore } from '../store/fs-store';
import { S3ObjectStore } from '../store/s3-store';
import { runGenerator, type GenerateOptions, type ObjectSink } from '../generator/run';
import { startS3rver } from '../test/store/s3rver';

interface CaseResult {
  readonly name: string;
  readonly events: number;
  readonly files: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly bytes: number;
  readonly peakRssMb: number;
}

const CASES = ['folder, plain', 'folder, gzip level 6', 'folder, gzip level 1', 's3rver, gzip level 6'] as const;
type CaseName = (typeof CASES)[number];

/** A busy shop, so that files fill to eventsPerFile before the hour turns. */
function options(events: number, gzipLevel: number | undefined): GenerateOptions {
  return {
    seed: 'bench',
    start: Date.UTC(2026, 10, 2) / 1000,
    events,
    eventsPerHour: 200_000,
    eventsPerFile: 50_000,
    gzip: gzipLevel !== undefined,
    gzipLevel,
  };
}

/** Runs one case in this process and prints its result as JSON (the child side). */
async function runCase(name: CaseName, events: number, endpoint: string | undefined): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-generator-'));
  try {
    const gzipLevel = name.includes('level 6') ? 6 : name.includes('level 1') ? 1 : undefined;
    let sink: ObjectSink;
    if (name.startsWith('s3rver')) {
      if (endpoint === undefined) throw new Error('the s3rver case needs --endpoint');
      sink = new S3ObjectStore({
        bucket: 'bench',
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
    } else {
      sink = new FsObjectStore(dir);
    }
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const summary = await runGenerator(sink, options(events, gzipLevel));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const result: CaseResult = {
      name,
      events: summary.events,
      files: summary.files,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      bytes: summary.bytes,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(name: CaseName, events: number, endpoint?: string): Promise<CaseResult> {
  const args = ['--require', require.resolve('tsx/cjs'), __filename, '--case', name, '--events', String(events)];
  if (endpoint) args.push('--endpoint', endpoint);
  return runJsonChild<CaseResult>(args, `bench case "${name}"`);
}

function table(results: readonly CaseResult[]): string {
  const rows = results.map((result) => [
    result.name,
    result.events.toLocaleString('en-US'),
    String(result.files),
    result.seconds.toFixed(2),
    Math.round(result.events / result.seconds).toLocaleString('en-US'),
    Math.round(result.events / result.cpuSeconds).toLocaleString('en-US'),
    (result.bytes / 1e6).toFixed(1),
    result.peakRssMb.toFixed(0),
  ]);
  const header = ['case', 'events', 'files', 'seconds', 'events/s (wall)', 'events/s per CPU-second', 'MB written', 'peak RSS MB'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  return [line(header), `|${widths.map((width, column) => (column === 0 ? ':' : '-') + '-'.repeat(width) + (column === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string' },
      events: { type: 'string' },
      's3-events': { type: 'string' },
      endpoint: { type: 'string' },
    },
    strict: true,
  });
  const events = wholeNumberFlag('events', values.events) ?? 1_000_000;
  const s3Events = wholeNumberFlag('s3-events', values['s3-events']) ?? 200_000;
  if (values.case !== undefined) {
    if (!(CASES as readonly string[]).includes(values.case)) throw new Error(`--case "${values.case}": use one of ${CASES.join(', ')}`);
    await runCase(values.case as CaseName, events, values.endpoint);
    return;
  }

  const results: CaseResult[] = [];
  for (const name of CASES.filter((each) => !each.startsWith('s3rver'))) {
    process.stderr.write(`running: ${name}, ${events.toLocaleString('en-US')} events\n`);
    results.push(await runChild(name, events));
  }
  const server = await startS3rver();
  try {
    await server.createBucket('bench');
    process.stderr.write(`running: s3rver, gzip level 6, ${s3Events.toLocaleString('en-US')} events\n`);
    results.push(await runChild('s3rver, gzip level 6', s3Events, server.endpoint));
  } finally {
    await server.stop();
  }
  process.stdout.write(`\nGenerator benchmark (Node ${process.version}, one process per case; s3rver in its own process)\n\n${table(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:generator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
