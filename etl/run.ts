/**
 * The local ETL: raw/ → events and rejected_events, exactly once, on DuckDB.
 *
 * An invocation takes the lake's lease, finishes or rolls back any run that stopped early, then
 * processes the inputs in batches; each batch is one run of the commit protocol
 * (etl/protocol/run-state.ts): manifest → outputs written under names carrying the run id → commit
 * record → inputs moved raw/ → processed/ → final record.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReasonCode } from '../model/reasons';
import { EVENTS, REJECTED_EVENTS, SESSION_DAYS, partitionFolder, type TableDefinition } from '../model/tables';
import { defaultTimestampWindow, type TimestampWindow } from '../model/validate';
import type { Lake } from '../store/lake';
import { DuckDbTransform, SMALL_OBJECT_BYTES, type OutcomeCounts, type OutputFormat, type WrittenFile } from './duckdb-engine';
import { listInputs, planBatches } from './inputs';
import { localPaths } from './local-files';
import { readableInPlace, readInput } from './read-input';
import { loadLocations } from './reference';
import { mapLimit } from './protocol/concurrency';
import { checkpointFor, CrashInjectedError, type Checkpoint, type CrashPoint } from './protocol/crash';
import { Lease } from './protocol/lease';
import { moveInputs, recoverOpenRuns, RunState, type InputObject, type OutputObject, type RunCounts } from './protocol/run-state';
import { newRunId } from './protocol/run-id';
import { StepTimes } from './step-times';
import { emptyDuplicateCounts, emptyReasonCounts, type DuplicateKind, type EtlSummary } from './summary';
import type { Location } from '../model/locations';

export type EtlPhase = 'reading' | 'transforming' | 'writing' | 'moving';

export interface EtlProgress {
  readonly runId: string;
  readonly phase: EtlPhase;
  /** Units done and total in this phase: input bytes when reading, objects when writing or moving. */
  readonly done: number;
  readonly total: number;
}

export interface EtlOptions {
  /** Output format of `events`; default parquet. `rejected_events` is always Parquet. */
  readonly format?: OutputFormat;
  /** The time the accepted timestamp window is measured from; default now. */
  readonly now?: Date;
  /** Wall clock for leases and records, in milliseconds; default Date.now (tests move it). */
  readonly clock?: () => number;
  /** How long the lease lasts without renewal; default 30 minutes. */
  readonly leaseSeconds?: number;
  /** Most input bytes per run (batch); default 1 GiB. */
  readonly maxBatchBytes?: number;
  /** Objects read at once; default 16. Four times as many are moved or deleted at once (small requests). */
  readonly concurrency?: number;
  /** DuckDB threads; default every core. */
  readonly threads?: number;
  /** Tests: stop as a crash would at this point of the first run. */
  readonly crashAt?: CrashPoint;
  readonly onProgress?: (progress: EtlProgress) => void;
  /** Notes for a person (fallbacks, recoveries); default stderr. */
  readonly log?: (message: string) => void;
}

const DEFAULT_LEASE_SECONDS = 30 * 60;
export const DEFAULT_MAX_BATCH_BYTES = 1024 ** 3;
const DEFAULT_CONCURRENCY = 16;
/** A move is a metadata operation (a rename, or an S3 server-side copy): many can be in flight. */
const MOVES_PER_READ = 4;

interface Context {
  readonly lake: Lake;
  readonly state: RunState;
  readonly lease: Lease;
  readonly format: OutputFormat;
  readonly window: TimestampWindow;
  readonly locations: readonly Location[];
  readonly clock: () => number;
  readonly concurrency: number;
  readonly threads?: number;
  readonly checkpoint: Checkpoint;
  readonly progress: (progress: EtlProgress) => void;
  readonly steps: StepTimes;
}

export interface BatchResult {
  readonly runId: string;
  readonly counts: RunCounts;
  readonly outputs: readonly OutputObject[];
  readonly moved: number;
  readonly bytes: number;
}

export async function runEtl(lake: Lake, options: EtlOptions = {}): Promise<EtlSummary> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const format = options.format ?? 'parquet';
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const invocation = newRunId(started);
  const state = new RunState(lake);

  const lease = await Lease.acquire(lake.store('etl'), {
    holder: invocation,
    ttlMs: (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000,
    now: clock,
  });
  let crashed = false;
  try {
    const recovered = await recoverOpenRuns(lake, state, invocation, () => new Date(clock()), concurrency * MOVES_PER_READ);
    for (const recovery of recovered) log(`finished run ${recovery.runId} that had stopped early: ${recovery.action.replace('_', ' ')}`);

    const { inputs, ignored } = await listInputs(lake);
    const context: Context = {
      lake,
      state,
      lease,
      format,
      window: defaultTimestampWindow((options.now?.getTime() ?? clock()) / 1000),
      locations: inputs.length === 0 ? [] : await loadLocations(lake, log),
      clock,
      concurrency,
      threads: options.threads,
      checkpoint: checkpointFor(options.crashAt),
      progress: options.onProgress ?? (() => undefined),
      steps: new StepTimes(),
    };
    const results: BatchResult[] = [];
    for (const batch of planBatches(inputs, options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES)) {
      await lease.renew();
      results.push(await runBatch(context, batch));
    }
    return { ...summarize(lake, format, results, recovered, ignored, inputs, (clock() - started) / 1000), stepSeconds: context.steps.record };
  } catch (error) {
    crashed = error instanceof CrashInjectedError;
    throw error;
  } finally {
    // A crash leaves the lease held, as a killed process would; any other failure frees it, and the
    // next run rolls the unfinished run back.
    if (!crashed) await lease.release();
  }
}

async function runBatch(context: Context, inputs: readonly InputObject[]): Promise<BatchResult> {
  const { lake, state, clock, checkpoint, steps } = context;
  const runId = newRunId(clock());
  await state.writeManifest({
    runId,
    startedAt: new Date(clock()).toISOString(),
    engine: 'duckdb',
    format: context.format,
    window: context.window,
    inputs,
  });
  checkpoint('after-manifest');

  const workDir = await mkdtemp(join(tmpdir(), `clickstream-etl-${runId}-`));
  const engine = await DuckDbTransform.open({ threads: context.threads, spillDirectory: join(workDir, 'spill'), inputDirectory: join(workDir, 'inputs') });
  try {
    await engine.prepare(context.locations, { runId, window: context.window, rejectedAt: new Date(clock()) });
    const bytes = await steps.time('reading', () => readInputs(context, runId, engine, inputs));

    context.progress({ runId, phase: 'transforming', done: 0, total: 1 });
    const dates = await steps.time('validating', () => engine.validate());
    const outcome = await steps.time('deduplicating', async () => {
      await loadExistingEvents(context, engine, dates, join(workDir, 'existing'));
      await loadExistingRejections(context, engine, join(workDir, 'existing'));
      return engine.settle();
    });
    const counts = reconcile(runId, inputs.length, engine.files, engine.linesRead, outcome);
    context.progress({ runId, phase: 'transforming', done: 1, total: 1 });

    const outputs = await writeOutputs(context, runId, engine, workDir, counts);
    await steps.time('committing', async () => {
      await context.lease.confirm();
      await state.writeCommit({ runId, committedAt: new Date(clock()).toISOString(), outputs, counts });
    });
    checkpoint('after-commit');

    const moved = await steps.time('moving', () =>
      moveInputs(lake, inputs, {
        concurrency: context.concurrency * MOVES_PER_READ,
        onMoved: (_key, done) => {
          context.progress({ runId, phase: 'moving', done, total: inputs.length });
          checkpoint('mid-move');
        },
      }),
    );
    checkpoint('after-move');
    await state.finish({ runId, status: 'committed', finishedAt: new Date(clock()).toISOString(), inputs: inputs.length, counts, outputs });
    return { runId, counts, outputs, moved, bytes };
  } finally {
    engine.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function readInputs(context: Context, runId: string, engine: DuckDbTransform, inputs: readonly InputObject[]): Promise<number> {
  const raw = context.lake.store('raw');
  const total = inputs.reduce((sum, input) => sum + input.size, 0);
  let done = 0;
  await mapLimit(inputs, context.concurrency, async (input) => {
    // A small object costs less as a row than as a file of its own.
    const file = input.size > SMALL_OBJECT_BYTES ? readableInPlace(raw, input) : undefined;
    if (file !== undefined) {
      engine.appendFile(input.key, file);
    } else {
      const read = await readInput(raw, input);
      if ('bytes' in read) engine.appendObject(input.key, read.bytes);
      else await engine.appendUnreadable(input.key, read.unreadable);
    }
    done += input.size;
    context.progress({ runId, phase: 'reading', done, total });
  });
  return total;
}

async function loadExistingEvents(context: Context, engine: DuckDbTransform, dates: readonly string[], stagingDir: string): Promise<void> {
  const store = context.lake.store(EVENTS.area);
  const keys: string[] = [];
  for (const date of dates) {
    for await (const object of store.list(`${EVENTS.prefix}${partitionFolder(EVENTS, date)}/`)) keys.push(object.key);
  }
  await engine.loadExistingEventIds(await localPaths(store, keys, stagingDir, context.concurrency));
}

async function loadExistingRejections(context: Context, engine: DuckDbTransform, stagingDir: string): Promise<void> {
  const store = context.lake.store(REJECTED_EVENTS.area);
  const keys: string[] = [];
  for await (const object of store.list(REJECTED_EVENTS.prefix)) if (object.key.endsWith('.parquet')) keys.push(object.key);
  await engine.loadExistingRejections(await localPaths(store, keys, stagingDir, context.concurrency));
}

const totalOf = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Every input is read or quarantined, and every record (a line, or an input that could not be read)
 * ends exactly one way; anything else is a bug, caught before the commit.
 */
function reconcile(runId: string, inputs: number, files: { read: number; unreadable: number }, linesRead: number, outcome: OutcomeCounts): RunCounts {
  const bug = "nothing was committed — report this as a bug with the run's manifest";
  if (files.read + files.unreadable !== inputs) {
    throw new Error(`run ${runId} does not reconcile: ${inputs} inputs but ${files.read} read + ${files.unreadable} unreadable = ${files.read + files.unreadable}; ${bug}`);
  }
  const accounted = outcome.loaded + totalOf(outcome.rejected) + totalOf(outcome.duplicates);
  if (accounted !== linesRead + files.unreadable) {
    throw new Error(
      `run ${runId} does not reconcile: ${linesRead} lines read + ${files.unreadable} unreadable files but ${outcome.loaded} loaded + ${totalOf(outcome.rejected)} rejected + ${totalOf(outcome.duplicates)} duplicates = ${accounted}; ${bug}`,
    );
  }
  return { filesRead: files.read, filesUnreadable: files.unreadable, linesRead, ...outcome };
}

async function writeOutputs(context: Context, runId: string, engine: DuckDbTransform, workDir: string, counts: RunCounts): Promise<OutputObject[]> {
  const outputsOf = async (table: TableDefinition, files: Promise<WrittenFile[]>) =>
    (await files).map((file) => ({ path: file.absolutePath, output: { area: table.area, key: `${table.prefix}${file.relativePath}` } }));
  const { steps } = context;
  const files: { path: string; output: OutputObject }[] = [
    ...(await outputsOf(EVENTS, steps.time('writingEvents', () => engine.writeEvents(join(workDir, 'events'), context.format, runId)))),
    ...(await outputsOf(SESSION_DAYS, steps.time('writingSessionDays', () => engine.writeSessionDays(join(workDir, 'session_days'), runId)))),
  ];
  if (Object.values(counts.rejected).some((count) => count > 0)) {
    const path = join(workDir, 'rejected.parquet');
    await steps.time('writingRejected', () => engine.writeRejected(path));
    files.push({ path, output: { area: REJECTED_EVENTS.area, key: rejectedOutputKey(runId) } });
  }
  const outputs = files.map((file) => file.output);
  let written = 0;
  await steps.time('uploading', async () => {
    await context.state.writeOutputs(runId, outputs);
    await mapLimit(files, context.concurrency, async (file) => {
      await context.lake.store(file.output.area).put(file.output.key, await readFile(file.path));
      written++;
      context.progress({ runId, phase: 'writing', done: written, total: files.length });
      if (written < files.length) context.checkpoint('mid-write');
    });
  });
  context.checkpoint('after-write');
  return outputs;
}

/** The one file of rejected_events a run writes. */
export function rejectedOutputKey(runId: string): string {
  return `${REJECTED_EVENTS.prefix}part-${runId}.parquet`;
}

export function summarize(
  lake: Lake,
  format: OutputFormat,
  results: readonly BatchResult[],
  recovered: EtlSummary['recovered'],
  ignored: readonly string[],
  inputs: readonly InputObject[],
  seconds: number,
): EtlSummary {
  const rejected = emptyReasonCounts();
  const duplicates = emptyDuplicateCounts();
  let linesRead = 0;
  let loaded = 0;
  let filesUnreadable = 0;
  for (const { counts } of results) {
    linesRead += counts.linesRead;
    filesUnreadable += counts.filesUnreadable ?? 0;
    loaded += counts.loaded;
    for (const [code, count] of Object.entries(counts.rejected)) rejected[code as ReasonCode] += count;
    for (const [kind, count] of Object.entries(counts.duplicates)) duplicates[kind as DuplicateKind] += count;
  }
  return {
    store: lake.description,
    format,
    runs: results.map((result) => result.runId),
    recovered,
    files: inputs.length,
    filesUnreadable,
    inputBytes: results.reduce((sum, result) => sum + result.bytes, 0),
    linesRead,
    loaded,
    rejected,
    rejectedTotal: totalOf(rejected),
    duplicates,
    duplicatesTotal: totalOf(duplicates),
    filesMoved: results.reduce((sum, result) => sum + result.moved, 0) + recovered.reduce((sum, recovery) => sum + recovery.inputsMoved, 0),
    ignoredKeys: ignored,
    outputs: results.flatMap((result) => result.outputs),
    seconds,
    eventsPerSecond: seconds > 0 ? linesRead / seconds : 0,
  };
}
