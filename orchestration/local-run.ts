/**
 * Runs the pipeline's state machine on this machine: the definition a stage deploys, rendered for
 * the local lake, executed by aws-local-stepfunctions with its Task states bound to the local
 * engines (orchestration/local-bindings.ts). Retries, the failure path and the notification are the
 * definition's own; the run leaves a record in the lake for `npm run pipeline -- status`.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type { EtlOptions } from '../etl/run';
import type { EtlSummary } from '../etl/summary';
import { newRunId } from '../etl/protocol/run-id';
import type { Lake } from '../store/lake';
import { loadChecks } from './checks';
import { STATES } from './definition';
import { DEFAULT_MAX_DATA_AGE_DAYS, LOCAL_STATE_MACHINE, localDefinition } from './local-definition';
import { localEtl, localTaskHandlers, type LocalServiceLog } from './local-bindings';
import { PIPELINE_AREA, writeRunRecord, type PipelineOutcome, type PipelineRunRecord } from './records';

export interface LocalPipelineOptions {
  /** The newest event_date may be at most this many days old; default 2. */
  readonly maxDataAgeDays?: number;
  /** Options of the ETL the RunEtl state runs (progress; tests' crash points). */
  readonly etl?: EtlOptions;
  /** Replaces the ETL, e.g. to run it against another lake; default runEtl with `etl`. */
  readonly runEtl?: (lake: Lake) => Promise<EtlSummary>;
  /** Milliseconds between retries instead of the definition's backoff (tests; the path is the same). */
  readonly retryIntervalMs?: number;
  /** Where the notification and progress go; default stdout. */
  readonly print?: (text: string) => void;
  /** Wall clock; default Date.now. */
  readonly clock?: () => number;
}

export interface LocalPipelineResult extends PipelineRunRecord {
  /** Retries the definition made: state and attempt. */
  readonly retries: ReadonlyArray<{ readonly state: string; readonly attempt: number }>;
  readonly etl?: EtlSummary;
}

/** Pipeline runs in progress per lake, in this process: what CheckRunning lists locally. */
const inProgress = new Map<string, Set<string>>();

function outcomeOf(path: readonly string[], failed: boolean): PipelineOutcome {
  if (failed) return 'failed';
  return path.includes(STATES.skipWhileRunning) ? 'skipped' : 'succeeded';
}

export async function runLocalPipeline(lake: Lake, options: LocalPipelineOptions = {}): Promise<LocalPipelineResult> {
  const clock = options.clock ?? Date.now;
  const print = options.print ?? ((text: string) => process.stdout.write(text));
  const startMs = clock();
  const startedAt = new Date(startMs).toISOString();
  const runId = newRunId(startMs);
  const checks = loadChecks();
  const definition = localDefinition(options.maxDataAgeDays ?? DEFAULT_MAX_DATA_AGE_DAYS, checks);
  const log: LocalServiceLog = { metrics: [] };
  const running = inProgress.get(lake.description) ?? new Set<string>();
  inProgress.set(lake.description, running);
  running.add(runId);

  const handlers = localTaskHandlers(definition, {
    lake,
    checks,
    runId,
    running: () => [...running],
    etl: options.runEtl ?? localEtl(options.etl),
    print,
    log,
  });
  const retryIntervals =
    options.retryIntervalMs === undefined ? undefined : Object.fromEntries(Object.keys(handlers).map((state) => [state, options.retryIntervalMs ?? 0]));
  // The library takes its own (mutable) definition type; a deep copy also keeps ours untouched.
  const machine = new StateMachine(JSON.parse(JSON.stringify(definition)) as ConstructorParameters<typeof StateMachine>[0]);
  const execution = machine.run(
    {},
    {
      overrides: { taskResourceLocalHandlers: handlers, ...(retryIntervals ? { retryIntervalOverrides: retryIntervals } : {}) },
      context: {
        Execution: { Id: `${LOCAL_STATE_MACHINE.arn}:${runId}`, Name: runId, StartTime: startedAt, Input: {} },
        StateMachine: { Id: LOCAL_STATE_MACHINE.arn, Name: LOCAL_STATE_MACHINE.name },
      },
    },
  );

  const path: string[] = [];
  const retries: Array<{ state: string; attempt: number }> = [];
  let failure: { error: string; cause: string } | undefined;
  let freshness: PipelineRunRecord['freshness'];
  const events = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') path.push(event.state.name);
      if (event.type === 'StateRetried') retries.push({ state: event.state.name, attempt: event.retry.attempt });
      if (event.type === 'ExecutionFailed') failure = { error: event.Error, cause: String(event.Cause) };
      if (event.type === 'StateExited' && event.state.name === STATES.readAge) freshness = freshnessOf(event.state.output);
    }
  })();
  try {
    await execution.result.catch(() => undefined);
    await events;
  } finally {
    running.delete(runId);
  }
  if (freshness === undefined && path.includes(STATES.noRecentData)) freshness = { newestEventDate: null, ageDays: null };

  const record: PipelineRunRecord = {
    runId,
    startedAt,
    finishedAt: new Date(clock()).toISOString(),
    outcome: outcomeOf(path, failure !== undefined),
    ...(failure ? { error: failure.error, cause: failure.cause } : {}),
    path,
    etlRuns: log.etl?.runs ?? [],
    loaded: log.etl?.loaded ?? 0,
    rejected: log.etl?.rejectedTotal ?? 0,
    ...(freshness ? { freshness } : {}),
    ...(log.notification ? { notification: log.notification.key } : {}),
  };
  await writeRunRecord(lake.store(PIPELINE_AREA), record);
  return { ...record, retries, ...(log.etl ? { etl: log.etl } : {}) };
}

function freshnessOf(output: unknown): PipelineRunRecord['freshness'] {
  const value = (output as { freshness?: { newestEventDate?: unknown; ageDays?: unknown } } | null)?.freshness;
  return {
    newestEventDate: typeof value?.newestEventDate === 'string' ? value.newestEventDate : null,
    ageDays: typeof value?.ageDays === 'number' ? value.ageDays : null,
  };
}
