/**
 * What a local pipeline run leaves in the lake, beside the ETL's own records (_etl/runs/):
 *
 *   _pipeline/runs/<run id>.json           outcome, the states it went through, the ETL runs it
 *                                          committed, events loaded and rejected, data freshness
 *   _pipeline/notifications/<run id>.txt   the failure notification (what SNS sends on AWS)
 *
 * On a stage, Step Functions keeps the executions; `npm run pipeline -- status` reads them there.
 */
import type { Area } from '../model/layout';
import type { ObjectStore } from '../store/object-store';

/** The results bucket's store (locally the lake folder), where the ETL keeps its records too. */
export const PIPELINE_AREA: Area = 'etl';
export const PIPELINE_PREFIX = '_pipeline/';
export const PIPELINE_RUNS_PREFIX = `${PIPELINE_PREFIX}runs/`;

export const runRecordKey = (runId: string): string => `${PIPELINE_RUNS_PREFIX}${runId}.json`;
export const notificationKey = (runId: string): string => `${PIPELINE_PREFIX}notifications/${runId}.txt`;

export type PipelineOutcome = 'succeeded' | 'failed' | 'skipped' | 'running';

export interface PipelineRunRecord {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: PipelineOutcome;
  /** Set when the run failed: the error name and its cause, as the notification says. */
  readonly error?: string;
  readonly cause?: string;
  /** The states entered, in order. */
  readonly path: readonly string[];
  /** ETL runs (batches) committed by this pipeline run. */
  readonly etlRuns: readonly string[];
  readonly loaded: number;
  readonly rejected: number;
  /** What the freshness check found, when it ran. */
  readonly freshness?: { readonly newestEventDate: string | null; readonly ageDays: number | null };
  /** Where the notification was written, when one was sent. */
  readonly notification?: string;
  /** On a stage: the Glue job run the execution started. */
  readonly glueJobRun?: { readonly id: string; readonly state: string; readonly error?: string };
}

export async function writeRunRecord(store: ObjectStore, record: PipelineRunRecord): Promise<void> {
  await store.put(runRecordKey(record.runId), `${JSON.stringify(record, null, 2)}\n`, { contentType: 'application/json' });
}

/**
 * The newest `limit` run records, newest first. Run ids sort by start time only to the second, so two
 * runs started in the same second are ordered by their recorded start (milliseconds) instead.
 */
export async function readRunRecords(store: ObjectStore, limit: number): Promise<PipelineRunRecord[]> {
  const keys: string[] = [];
  for await (const object of store.list(PIPELINE_RUNS_PREFIX)) if (object.key.endsWith('.json')) keys.push(object.key);
  const records = await Promise.all(keys.map(async (key) => JSON.parse((await store.get(key)).toString('utf8')) as PipelineRunRecord));
  const newestFirst = (a: PipelineRunRecord, b: PipelineRunRecord) =>
    b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId);
  return records.sort(newestFirst).slice(0, limit);
}
