import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lease } from '../../etl/protocol/lease';
import { runEtl } from '../../etl/run';
import { runGenerator } from '../../generator/run';
import { STATES, PIPELINE_ERRORS, ETL_RETRY } from '../../orchestration/definition';
import { runLocalPipeline, type LocalPipelineOptions } from '../../orchestration/local-run';
import { readRunRecords } from '../../orchestration/records';
import { setUpLocalLake } from '../../scripts/local-setup';
import type { Lake } from '../../store/lake';

interface TestLake {
  readonly dir: string;
  readonly lake: Lake;
}

const lakes: string[] = [];

/** A lake with the reference data and one day of generated traffic under raw/, ending before yesterday. */
async function lakeWithTraffic(start?: Date): Promise<TestLake> {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-test-lake-'));
  lakes.push(dir);
  const { lake } = await setUpLocalLake(dir, { fresh: true });
  await runGenerator(lake.store('raw'), { seed: 'pipeline', durationHours: 24, users: 2000, ...(start ? { start: start.getTime() / 1000 } : {}) });
  return { dir, lake };
}

/** Collects what the run prints (the terminal side of the notification). */
function terminal(): { readonly print: (text: string) => void; readonly text: () => string } {
  const printed: string[] = [];
  return { print: (text) => printed.push(text), text: () => printed.join('') };
}

const quiet: LocalPipelineOptions = { etl: { log: () => undefined }, retryIntervalMs: 1 };

describe('the pipeline state machine, run locally (aws-local-stepfunctions on the local engines)', function () {
  this.timeout(120_000);
  after(() => lakes.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('loads raw/ with the ETL, checks the load and the freshness, and records a succeeded run', async () => {
    const { lake, dir } = await lakeWithTraffic();
    const out = terminal();
    const run = await runLocalPipeline(lake, { ...quiet, print: out.print });

    expect(run.outcome).to.equal('succeeded');
    expect(run.path).to.deep.equal([
      STATES.prepare,
      STATES.checkRunning,
      STATES.anotherRunActive,
      STATES.checkRaw,
      STATES.rawDataWaiting,
      STATES.runEtl,
      STATES.checkLoad,
      STATES.readLoadCheck,
      STATES.loadReconciled,
      STATES.checkFreshness,
      STATES.readFreshness,
      STATES.freshnessKnown,
      STATES.readAge,
      STATES.publishAge,
      STATES.dataFresh,
      STATES.done,
    ]);
    expect(run.loaded).to.be.greaterThan(1000).and.to.equal(run.etl?.loaded);
    expect(run.freshness?.ageDays).to.be.at.most(2);
    expect(run.notification).to.equal(undefined);
    expect(out.text()).to.equal('');
    const [record] = await readRunRecords(lake.store('etl'), 1);
    expect(record).to.deep.include({ runId: run.runId, outcome: 'succeeded', loaded: run.loaded, etlRuns: run.etl?.runs });
    expect(JSON.parse(readFileSync(join(dir, '_pipeline', 'runs', `${run.runId}.json`), 'utf8')).outcome).to.equal('succeeded');

    const again = await runLocalPipeline(lake, quiet);
    expect(again.outcome, 'a second run finds raw/ empty').to.equal('succeeded');
    expect(again.path, 'no ETL when raw/ is empty, but the freshness check still runs').to.not.include(STATES.runEtl);
    expect(again.path).to.include(STATES.checkFreshness);
  });

  it('never runs two at once: of two runs started together the older loads, the newer skips', async () => {
    const { lake } = await lakeWithTraffic();
    const [older, newer] = await Promise.all([runLocalPipeline(lake, quiet), runLocalPipeline(lake, quiet)]);

    expect(older.outcome).to.equal('succeeded');
    expect(older.loaded).to.be.greaterThan(1000);
    expect(newer.outcome).to.equal('skipped');
    expect(newer.path).to.deep.equal([STATES.prepare, STATES.checkRunning, STATES.anotherRunActive, STATES.skipWhileRunning]);
  });

  it('retries an ETL that another run holds with backoff, then takes the failure path and writes the notification', async () => {
    const { lake, dir } = await lakeWithTraffic();
    // A real ETL run elsewhere holds the lake's lease for the next hour.
    await Lease.acquire(lake.store('etl'), { holder: 'another-etl-run', ttlMs: 3_600_000, now: Date.now });
    const out = terminal();
    const run = await runLocalPipeline(lake, { ...quiet, print: out.print });

    expect(run.outcome).to.equal('failed');
    expect(run.retries.filter((retry) => retry.state === STATES.runEtl)).to.have.length(ETL_RETRY.maxAttempts);
    expect(run.path.slice(-3)).to.deep.equal([STATES.runEtl, STATES.notifyFailure, STATES.failed]);
    expect(run.error).to.equal('Glue.ConcurrentRunsExceededException');
    expect(run.cause).to.contain('another-etl-run');
    expect(out.text()).to.contain(`Pipeline run ${run.runId}`).and.to.contain('another-etl-run');
    const notification = readFileSync(join(dir, '_pipeline', 'notifications', `${run.runId}.txt`), 'utf8');
    expect(notification).to.contain('pipeline run failed').and.to.contain(run.runId).and.to.contain('Glue.ConcurrentRunsExceededException');
    expect(run.notification).to.equal(`_pipeline/notifications/${run.runId}.txt`);
  });

  it('does not retry an ETL that fails outright: it notifies at once', async () => {
    const { lake } = await lakeWithTraffic();
    const out = terminal();
    const run = await runLocalPipeline(lake, { ...quiet, etl: { log: () => undefined, crashAt: 'after-manifest' }, print: out.print });

    expect(run.outcome).to.equal('failed');
    expect(run.retries).to.deep.equal([]);
    expect(run.error).to.equal('States.TaskFailed');
    expect(run.cause).to.contain('the ETL failed');
    expect(run.path.slice(-2)).to.deep.equal([STATES.notifyFailure, STATES.failed]);
    expect(out.text()).to.contain('States.TaskFailed');
  });

  it('fails a load that stored an event twice (the load check), with the counts in the notification', async () => {
    const { lake } = await lakeWithTraffic();
    const out = terminal();
    const run = await runLocalPipeline(lake, {
      ...quiet,
      print: out.print,
      // The ETL loads, then one of its Parquet files appears a second time under another name, as a
      // broken commit would leave it.
      runEtl: async (target) => {
        const summary = await runEtl(target, { log: () => undefined });
        const output = summary.outputs.find((object) => object.key.startsWith('results/events/'));
        if (!output) throw new Error('the ETL wrote no events file');
        await target.store('results').copy(output.key, output.key.replace(/\.parquet$/, '-copy.parquet'));
        return summary;
      },
    });

    expect(run.outcome).to.equal('failed');
    expect(run.error).to.equal(PIPELINE_ERRORS.loadNotReconciled);
    expect(run.path.slice(-4)).to.deep.equal([STATES.loadReconciled, STATES.loadNotReconciled, STATES.notifyFailure, STATES.failed]);
    expect(out.text()).to.match(/\d+ of the \d+ events loaded since .* repeat an event id already stored/);
  });

  it('fails a load whose data is stale, names the newest date and tells the subscribers', async () => {
    const { lake, dir } = await lakeWithTraffic(new Date(Date.UTC(2020, 0, 1)));
    const out = terminal();
    const run = await runLocalPipeline(lake, { ...quiet, print: out.print });

    expect(run.loaded, 'the old events load').to.be.greaterThan(1000);
    expect(run.outcome).to.equal('failed');
    expect(run.error).to.equal(PIPELINE_ERRORS.dataStale);
    expect(run.path).to.include(STATES.noRecentData);
    expect(run.path.slice(-2)).to.deep.equal([STATES.notifyFailure, STATES.failed]);
    expect(run.freshness).to.deep.equal({ newestEventDate: null, ageDays: null });
    expect(readFileSync(join(dir, '_pipeline', 'notifications', `${run.runId}.txt`), 'utf8')).to.contain(PIPELINE_ERRORS.dataStale);
  });

  it('fails when the newest event is older than the allowed age, with its date and age in the cause', async () => {
    const { lake } = await lakeWithTraffic();
    const run = await runLocalPipeline(lake, { ...quiet, maxDataAgeDays: 0, print: () => undefined });

    expect(run.outcome).to.equal('failed');
    expect(run.path).to.include(STATES.dataStale);
    expect(run.cause).to.match(/the newest event_date is \d{4}-\d{2}-\d{2}, \d+ days old \(at most 0 allowed\)/);
  });
});
