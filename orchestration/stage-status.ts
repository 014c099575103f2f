/**
 * The last pipeline runs of a deployed stage, in the shape of the local run records: the executions
 * of the stage's state machine (Step Functions), the Glue job run each started (Glue), and the
 * events its ETL runs loaded and rejected (the ETL's run records, `_etl/runs/`, in the results bucket).
 */
import { GetJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';
import { DescribeExecutionCommand, ListExecutionsCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { RUNS_PREFIX, type FinalRecord } from '../etl/protocol/run-state';
import type { ObjectStore } from '../store/object-store';
import type { PipelineOutcome, PipelineRunRecord } from './records';

export interface StageStatusTarget {
  readonly stage: string;
  readonly stateMachineName: string;
  readonly glueJobName: string;
}

export interface StageStatusClients {
  readonly sfn: SFNClient;
  readonly glue: GlueClient;
  /** The stage's results bucket, where the ETL keeps its run records. */
  readonly results: ObjectStore;
}

export class StateMachineNotFoundError extends Error {
  constructor(target: StageStatusTarget) {
    super(
      `stage ${target.stage}: no state machine named ${target.stateMachineName} in this account and region; ` +
        'deploy the stage (pulumi up), or check --stage, the region in Pulumi.<stage>.yaml and your AWS credentials (AWS_PROFILE)',
    );
    this.name = 'StateMachineNotFoundError';
  }
}

/** The ARN of the stage's state machine, found by name (it also tells the account the stage is in). */
export async function findStateMachine(sfn: SFNClient, target: StageStatusTarget): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((machine) => machine.name === target.stateMachineName);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new StateMachineNotFoundError(target);
}

/** `20261125T080102Z`: how run ids start, so a time window selects run ids by text. */
function runIdStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

async function etlRecords(results: ObjectStore): Promise<Array<{ runId: string; key: string }>> {
  const records: Array<{ runId: string; key: string }> = [];
  for await (const object of results.list(RUNS_PREFIX)) {
    if (object.key.endsWith('.json')) records.push({ runId: object.key.slice(RUNS_PREFIX.length, -'.json'.length), key: object.key });
  }
  return records;
}

function outcomeOf(status: string | undefined, output: ExecutionOutput | undefined): PipelineOutcome {
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'running';
  if (status !== 'SUCCEEDED') return 'failed';
  const running = output?.running;
  return (running?.count ?? 1) > 1 && running?.oldest !== output?.runId ? 'skipped' : 'succeeded';
}

/** What the definition leaves in a successful execution's output (orchestration/definition.ts). */
interface ExecutionOutput {
  readonly runId?: string;
  readonly running?: { readonly count?: number; readonly oldest?: string };
  readonly etl?: { readonly jobRunId?: string };
  readonly freshness?: { readonly newestEventDate?: string; readonly ageDays?: number };
}

function parseOutput(text: string | undefined): ExecutionOutput | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as ExecutionOutput;
  } catch {
    return undefined;
  }
}

export async function stageRuns(target: StageStatusTarget, arn: string, clients: StageStatusClients, limit: number): Promise<PipelineRunRecord[]> {
  const listed = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: limit }));
  const records = await etlRecords(clients.results);
  return Promise.all(
    (listed.executions ?? []).slice(0, limit).map(async (execution): Promise<PipelineRunRecord> => {
      const described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      const output = parseOutput(described.output);
      const started = described.startDate ?? execution.startDate ?? new Date(0);
      const stopped = described.stopDate ?? execution.stopDate;
      const [from, to] = [runIdStamp(started), stopped ? runIdStamp(stopped) : '~'];
      const inWindow = records.filter((record) => record.runId >= from && record.runId <= `${to}~`);
      const finals = await Promise.all(inWindow.map(async (record) => JSON.parse((await clients.results.get(record.key)).toString('utf8')) as FinalRecord));
      const committed = finals.filter((record) => record.status === 'committed' && record.counts);
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      const jobRunId = output?.etl?.jobRunId;
      const jobRun = jobRunId ? (await clients.glue.send(new GetJobRunCommand({ JobName: target.glueJobName, RunId: jobRunId }))).JobRun : undefined;
      const outcome = outcomeOf(described.status ?? execution.status, output);
      return {
        runId: described.name ?? execution.name ?? 'unknown',
        startedAt: started.toISOString(),
        finishedAt: stopped ? stopped.toISOString() : '',
        outcome,
        ...(outcome === 'failed' ? { error: described.error ?? described.status ?? 'unknown', cause: described.cause ?? '' } : {}),
        path: [],
        etlRuns: committed.map((record) => record.runId),
        loaded: sum(committed.map((record) => record.counts?.loaded ?? 0)),
        rejected: sum(committed.map((record) => sum(Object.values(record.counts?.rejected ?? {})))),
        ...(output?.freshness
          ? { freshness: { newestEventDate: output.freshness.newestEventDate ?? null, ageDays: output.freshness.ageDays ?? null } }
          : {}),
        ...(jobRun ? { glueJobRun: { id: jobRun.Id ?? jobRunId ?? '', state: jobRun.JobRunState ?? 'unknown', ...(jobRun.ErrorMessage ? { error: jobRun.ErrorMessage } : {}) } } : {}),
      };
    }),
  );
}
