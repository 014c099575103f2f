/**
 * `npm run etl -- --engine spark --store s3://...` end to end, as a user runs it: the CLI starts its own
 * local Spark, which reads and writes the lake's buckets on the shared moto server through hadoop-aws
 * (S3A), and prints the same --json summary as the DuckDB engine on the same input.
 */
import { expect } from 'chai';
import { LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { s3Lake, type Lake } from '../../store/lake';
import type { ObjectStore } from '../../store/object-store';
import type { EtlSummary } from '../../etl/summary';
import { runCli } from '../cli/run-cli';
import { freshLakeBuckets, sharedMoto } from '../twin';
import { NOW, expectedFrom, mixedDataset, putRaw } from './lake-fixture';

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const object of store.list(prefix)) found.push(object.key);
  return found.sort();
}

/** Three fresh buckets on the shared moto server, holding the same raw inputs and reference table. */
async function seededLake(label: string): Promise<{ lake: Lake; spec: string }> {
  const server = await sharedMoto();
  const buckets = await freshLakeBuckets(label);
  const lake = s3Lake({ ...server.clientOptions, buckets });
  await putRaw(lake.store('raw'), mixedDataset());
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
  return { lake, spec: `s3://${buckets.raw},${buckets.processed},${buckets.results}` };
}

/** The summary without what differs from run to run: store, run ids (also in output keys), time. */
function comparable(summary: EtlSummary): Record<string, unknown> {
  const named = (key: string): string => summary.runs.reduce((text, run) => text.split(run).join('<run>'), key);
  const outputs = summary.outputs.map((output) => ({ ...output, key: named(output.key) })).sort((a, b) => (a.key < b.key ? -1 : 1));
  return { ...summary, store: undefined, runs: summary.runs.length, seconds: undefined, eventsPerSecond: undefined, stepSeconds: undefined, outputs };
}

describe('npm run etl -- --engine spark --store s3://... (the Glue job on local Spark, S3 through hadoop-aws on moto)', function () {
  this.timeout(900_000);

  it('loads the buckets end to end and prints the --json summary the DuckDB engine prints for the same input', async () => {
    const server = await sharedMoto();
    const [spark, duck] = [await seededLake('cli-spark'), await seededLake('cli-duck')];
    const args = (spec: string, engine: string): string[] => ['--engine', engine, '--store', spec, '--now', NOW.toISOString(), '--json'];
    const sparkRun = await runCli('etl/cli.ts', args(spark.spec, 'spark'), { env: server.env });
    expect(sparkRun.stderr, 'etl --engine spark').to.not.match(/^etl: /m);
    expect(sparkRun.code, sparkRun.stderr.slice(-3000)).to.equal(0);
    const duckRun = await runCli('etl/cli.ts', args(duck.spec, 'duckdb'), { env: server.env });
    expect(duckRun.code, duckRun.stderr).to.equal(0);

    const sparkSummary = JSON.parse(sparkRun.stdout) as EtlSummary;
    const duckSummary = JSON.parse(duckRun.stdout) as EtlSummary;
    expect(sparkSummary.store.startsWith(spark.spec), sparkSummary.store).to.equal(true);
    expect(comparable(sparkSummary)).to.deep.equal(comparable(duckSummary));
    const expected = expectedFrom(mixedDataset());
    expect(sparkSummary.loaded).to.equal(expected.events.size);
    expect(sparkSummary.rejectedTotal).to.equal(expected.rejected.size);

    // What the job did to the buckets: inputs moved, outputs under the results bucket, no run left open.
    expect(await keys(spark.lake.store('raw'), 'raw/')).to.deep.equal([]);
    expect(await keys(spark.lake.store('processed'), 'processed/')).to.deep.equal(await keys(duck.lake.store('processed'), 'processed/'));
    const results = await keys(spark.lake.store('results'), '');
    for (const output of sparkSummary.outputs) expect(results).to.include(output.key);
    expect(results.filter((key) => key.startsWith('_etl/open/') || key.startsWith('_etl/staging/'))).to.deep.equal([]);
  });
});
