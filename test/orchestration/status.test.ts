import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import { DescribeExecutionCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { finalKey, type FinalRecord } from '../../etl/protocol/run-state';
import { runLocalPipeline } from '../../orchestration/local-run';
import type { PipelineRunRecord } from '../../orchestration/records';
import { findStateMachine, stageRuns, StateMachineNotFoundError } from '../../orchestration/stage-status';
import { setUpLocalLake } from '../../scripts/local-setup';
import { FsObjectStore } from '../../store/fs-store';
import { runCli } from '../cli/run-cli';

const TARGET = { stage: 'prod', stateMachineName: 'clickstream-prod-pipeline', glueJobName: 'clickstream-prod-etl' };
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clickstream-prod-pipeline';
const execution = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:clickstream-prod-pipeline:${name}`;

function etlRecord(runId: string, loaded: number, rejected: Record<string, number>): FinalRecord {
  return {
    runId,
    status: 'committed',
    finishedAt: '2026-11-29T10:20:00.000Z',
    inputs: 3,
    counts: { linesRead: loaded + Object.values(rejected).reduce((a, b) => a + b, 0), loaded, rejected, duplicates: {} },
  };
}

describe('npm run pipeline -- status', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-status-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  describe('on a stage (Step Functions and Glue mocked, the results bucket a folder)', () => {
    const sfn = mockClient(SFNClient);
    const glue = mockClient(GlueClient);
    afterEach(() => {
      sfn.reset();
      glue.reset();
    });
    // mockClient(GlueClient) replaces every GlueClient's send: later suites (the Glue emulator) need the real one.
    after(() => {
      sfn.restore();
      glue.restore();
    });

    it('lists the last executions with outcome, the events their ETL runs loaded and rejected, freshness and the Glue run', async () => {
      const results = new FsObjectStore(tempDir());
      // Two ETL runs inside the succeeded execution, one before it (another execution's).
      for (const record of [
        etlRecord('20261129T091600Z-00000001', 999, {}),
        etlRecord('20261129T101600Z-aaaaaaaa', 1000, { malformed_json: 3 }),
        etlRecord('20261129T101900Z-bbbbbbbb', 500, { unknown_location: 2, missing_field: 1 }),
      ]) {
        await results.put(finalKey(record.runId), JSON.stringify(record));
      }
      sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [{ name: TARGET.stateMachineName, stateMachineArn: ARN, type: 'STANDARD', creationDate: new Date() }] });
      sfn.on(ListExecutionsCommand, { stateMachineArn: ARN, maxResults: 5 }).resolves({
        executions: [
          { executionArn: execution('run-2'), stateMachineArn: ARN, name: 'run-2', status: 'FAILED', startDate: new Date('2026-11-29T11:15:00Z'), stopDate: new Date('2026-11-29T11:16:00Z') },
          { executionArn: execution('run-1'), stateMachineArn: ARN, name: 'run-1', status: 'SUCCEEDED', startDate: new Date('2026-11-29T10:15:00Z'), stopDate: new Date('2026-11-29T10:25:00Z') },
        ],
      });
      sfn.on(DescribeExecutionCommand, { executionArn: execution('run-1') }).resolves({
        executionArn: execution('run-1'),
        stateMachineArn: ARN,
        name: 'run-1',
        status: 'SUCCEEDED',
        startDate: new Date('2026-11-29T10:15:00Z'),
        stopDate: new Date('2026-11-29T10:25:00Z'),
        output: JSON.stringify({ running: { count: 1 }, etl: { jobRunId: 'jr_1', state: 'SUCCEEDED' }, freshness: { newestEventDate: '2026-11-29', ageDays: 0 } }),
      });
      sfn.on(DescribeExecutionCommand, { executionArn: execution('run-2') }).resolves({
        executionArn: execution('run-2'),
        stateMachineArn: ARN,
        name: 'run-2',
        status: 'FAILED',
        startDate: new Date('2026-11-29T11:15:00Z'),
        stopDate: new Date('2026-11-29T11:16:00Z'),
        error: 'Pipeline.DataStale',
        cause: 'the newest event_date is 2026-11-20, 9 days old (at most 1 allowed)',
      });
      glue.on(GetJobRunCommand, { JobName: TARGET.glueJobName, RunId: 'jr_1' }).resolves({ JobRun: { Id: 'jr_1', JobRunState: 'SUCCEEDED' } });

      const arn = await findStateMachine(new SFNClient({ region: 'eu-west-1' }), TARGET);
      const runs = await stageRuns(TARGET, arn, { sfn: new SFNClient({ region: 'eu-west-1' }), glue: new GlueClient({ region: 'eu-west-1' }), results }, 5);

      expect(runs.map((run) => [run.runId, run.outcome])).to.deep.equal([
        ['run-2', 'failed'],
        ['run-1', 'succeeded'],
      ]);
      expect(runs[1]).to.deep.include({
        etlRuns: ['20261129T101600Z-aaaaaaaa', '20261129T101900Z-bbbbbbbb'],
        loaded: 1500,
        rejected: 6,
        freshness: { newestEventDate: '2026-11-29', ageDays: 0 },
        glueJobRun: { id: 'jr_1', state: 'SUCCEEDED' },
      });
      expect(runs[0]).to.deep.include({ error: 'Pipeline.DataStale', loaded: 0, etlRuns: [] });
      expect(runs[0].cause).to.contain('9 days old');
    });

    it('names the stage, the missing state machine and the fix when the stage is not deployed', async () => {
      sfn.on(ListStateMachinesCommand).resolvesOnce({ stateMachines: [], nextToken: 'page-2' }).resolves({ stateMachines: [] });
      const error = await findStateMachine(new SFNClient({ region: 'eu-west-1' }), TARGET).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(StateMachineNotFoundError);
      expect((error as Error).message).to.contain('clickstream-prod-pipeline').and.to.contain('pulumi up');
      expect(sfn.commandCalls(ListStateMachinesCommand)).to.have.length(2);
    });
  });

  it('prints the last local runs, newest first, from the lake\'s run records', async () => {
    const dir = tempDir();
    const { lake } = await setUpLocalLake(dir, { fresh: true });
    const first = await runLocalPipeline(lake, { print: () => undefined });
    const second = await runLocalPipeline(lake, { print: () => undefined, maxDataAgeDays: 0 });

    const json = await runCli('orchestration/cli.ts', ['status', '--store', dir, '--json']);
    expect(json.code, json.stderr).to.equal(0);
    const runs = JSON.parse(json.stdout) as PipelineRunRecord[];
    expect(runs.map((run) => run.runId)).to.deep.equal([second.runId, first.runId]);

    const text = await runCli('orchestration/cli.ts', ['status', '--store', dir, '--limit', '1']);
    expect(text.stdout).to.contain(`pipeline run ${second.runId}: ${second.outcome}`).and.to.contain('loaded:').and.to.contain('freshness:');
    expect(text.stdout).to.not.contain(first.runId);

    const wrong = await runCli('orchestration/cli.ts', ['stats']);
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.contain('unknown command "stats"');
  });
});
