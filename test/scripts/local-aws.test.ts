import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataResponse } from '../../dashboard/api-types';
import { startDashboardServer, type DashboardServer } from '../../dashboard/server';
import { trinoDatasets } from '../../dashboard/trino-datasets';
import { PREFIXES } from '../../model/layout';
import { runAllLocal } from '../../queries/run-all';
import { runAwsPipeline, type AwsPipelineRun } from '../../scripts/local-aws';
import { runCli } from '../cli/run-cli';
import { freshName, sharedMoto, sharedSpark, sharedTrino } from '../twin';
import { comparable } from '../queries/trino-scenarios';

const LOCAL = 'scripts/local.ts';

async function count(lake: AwsPipelineRun['lake'], area: 'raw' | 'processed', prefix: string): Promise<number> {
  let objects = 0;
  for await (const object of lake.store(area).list(prefix)) objects += object.key === '' ? 0 : 1;
  return objects;
}

/**
 * The orchestration of `npm run local -- --engine aws --no-serve --days 1` (a smaller audience: 4,000
 * events), run in this process on the test run's shared moto, Spark and Trino (a CLI subprocess would start its own Spark and Trino, two
 * more JVMs than this machine has room for beside the suite's); the CLI itself is checked below for
 * its flags and its refusal to start without what `npm run setup` installs.
 */
describe('npm run local -- --engine aws: one day through the code that runs on AWS, on loopback', function () {
  this.timeout(1_800_000);
  let run: AwsPipelineRun;
  let printed = '';
  const servers: DashboardServer[] = [];

  before(async () => {
    const [moto, spark, trino] = await Promise.all([sharedMoto(), sharedSpark(), sharedTrino()]);
    const bucket = (role: string) => freshName(`aws-local-${role}`).replace(/_/g, '-');
    run = await runAwsPipeline(
      { moto, spark, trino },
      {
        days: 1,
        seed: 'aws-local-test',
        faultRate: 0.001,
        detail: 'summary',
        print: (text) => (printed += text),
        // One day of a small shop: a few thousand events keep the Spark job short on a shared machine.
        dataset: { users: 2000, events: 4000 },
        names: {
          buckets: { raw: bucket('raw'), processed: bucket('processed'), results: bucket('results') },
          database: freshName('aws_local'),
          catalog: freshName('aws_local'),
        },
      },
    );
  });

  after(async () => {
    for (const server of servers) await server.close();
    await run?.athena.close();
  });

  it('prints each step with its time: buckets, generator, Glue job, Glue catalog, named queries', () => {
    for (const step of ['== 2. S3 buckets', '== 3. Generate 1 day of traffic over the S3 API', '== 4. ETL: the Glue job', '== 5. Glue Data Catalog', '== 6. Named queries on Trino']) {
      expect(printed).to.include(step);
    }
    expect(printed.match(/^\(\d+\.\d s\)$/gm) ?? []).to.have.length(5);
    expect(printed).to.match(/activity_summary\s+1 row: events [\d,]+/);
  });

  it('the generator wrote over the S3 API and the Glue job consumed every file: raw/ is empty, processed/ holds them', async () => {
    expect(run.generated.files).to.be.greaterThan(0);
    expect(await count(run.lake, 'raw', PREFIXES.raw)).to.equal(0);
    expect(await count(run.lake, 'processed', PREFIXES.processed)).to.equal(run.generated.files);
    expect(run.etl.loaded).to.be.greaterThan(0);
  });

  it('every named query on Trino (through the Glue tables) returns what DuckDB returns over the same S3 lake', async () => {
    const onDuckdb = await runAllLocal(run.lake, { print: () => undefined });
    expect([...run.results.keys()]).to.deep.equal([...onDuckdb.keys()]);
    for (const [name, result] of run.results) expect(comparable(result), name).to.deep.equal(comparable(onDuckdb.get(name) as typeof result));
    const summary = run.results.get('activity_summary');
    expect(summary?.rows[0][summary.columns.findIndex((column) => column.name === 'events')]).to.equal(run.etl.loaded);
  });

  it('serves the dashboard with its datasets on Trino: the same visuals and event dates as on DuckDB, for the defaults and a continent', async () => {
    const [onTrino, onDuckdb] = await Promise.all([
      startDashboardServer({ lake: run.lake, port: 0, datasets: trinoDatasets(run.athena, run.lake) }),
      startDashboardServer({ lake: run.lake, port: 0 }),
    ]);
    servers.push(onTrino, onDuckdb);
    for (const query of ['', '?continent=Europe']) {
      const [trinoAnswer, duckdbAnswer] = await Promise.all(
        [onTrino, onDuckdb].map(async (server) => {
          const response = await fetch(new URL(`/api/data${query}`, server.url));
          expect(response.status).to.equal(200);
          // Everything but the time the queries took.
          const answer = (await response.json()) as DataResponse;
          return { ...answer, queryMs: 0 };
        }),
      );
      expect(trinoAnswer.eventDates, query).to.not.equal(null);
      expect(Object.keys(trinoAnswer.visuals), query).to.not.have.length(0);
      expect(trinoAnswer, query).to.deep.equal(duckdbAnswer);
    }
  });
});

describe('npm run local -- --engine aws: flags, and what it needs installed', function () {
  this.timeout(60_000);
  let emptyCache: string;
  before(async () => {
    emptyCache = await mkdtemp(join(tmpdir(), 'local-aws-cache-'));
  });
  after(() => rm(emptyCache, { recursive: true, force: true }));

  it('refuses an unknown engine and names the two there are', async () => {
    const run = await runCli(LOCAL, ['--engine', 'athena', '--no-serve']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('--engine "athena" is not an engine; give duckdb or aws');
  });

  it('refuses --store and --keep, which apply to a lake folder, before starting anything', async () => {
    for (const flags of [['--store', '/tmp/some-lake'], ['--keep']]) {
      const run = await runCli(LOCAL, ['--engine', 'aws', '--no-serve', ...flags]);
      expect(run.code, flags.join(' ')).to.equal(1);
      expect(run.stderr).to.include(`${flags[0]} does not apply to --engine aws`).and.to.include('--engine duckdb');
      expect(run.stdout).to.not.include('== 1.');
    }
  });

  it('without Trino and Spark\'s jars in the cache, says what is missing and to run npm run setup', async () => {
    const run = await runCli(LOCAL, ['--engine', 'aws', '--no-serve', '--days', '1'], { env: { CLICKSTREAM_CACHE: emptyCache } });
    expect(run.code).to.equal(1);
    expect(run.stderr)
      .to.include(`Spark's S3 jars are missing: ${join(emptyCache, 'jars')}`)
      .and.to.include(`Trino 476 (Athena's engine) is not installed in ${join(emptyCache, 'trino', '476')}`)
      .and.to.include('run npm run setup');
  });
});
