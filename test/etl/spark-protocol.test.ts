/**
 * The commit protocol of the Glue job on local Spark, as test/etl/commit-protocol.test.ts checks it on
 * DuckDB: a job stopped at each protocol step leaves its run open and the lease held; after the lease
 * expires a rerun yields each valid event and each rejected line exactly once; of two jobs started at
 * once, one runs and the other is refused. Jobs run on an S3 lake on the shared moto server, on the
 * shared Spark (test/twin.ts), side by side where the test says so.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { s3Lake, type Lake } from '../../store/lake';
import type { ObjectStore } from '../../store/object-store';
import { CRASH_POINTS, CrashInjectedError } from '../../etl/protocol/crash';
import { OPEN_PREFIX } from '../../etl/protocol/run-state';
import { EtlJobError, runSparkEtl, type SparkEtlOptions } from '../../etl/spark-engine';
import { freshLakeBuckets, sharedMoto, sharedSpark } from '../twin';
import { NOW, expectedFrom, mixedDataset, putRaw, readTable, type Expected, type RawFile } from './lake-fixture';

const HOUR = 3600 * 1000;

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const object of store.list(prefix)) found.push(object.key);
  return found.sort();
}

async function newLake(label: string, files: readonly RawFile[]): Promise<Lake> {
  const server = await sharedMoto();
  const lake = s3Lake({ ...server.clientOptions, buckets: await freshLakeBuckets(label) });
  await putRaw(lake.store('raw'), files);
  await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
  return lake;
}

/** A table's rows, read with DuckDB from a local copy of its objects. */
async function tableRows(lake: Lake, prefix: string): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'spark-protocol-'));
  try {
    const store = lake.store('results');
    for (const key of await keys(store, prefix)) {
      mkdirSync(dirname(join(dir, key)), { recursive: true });
      writeFileSync(join(dir, key), await store.get(key));
    }
    return await readTable(dir, prefix);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function expectExactlyOnce(lake: Lake, expected: Expected, inputKeys: readonly string[]): Promise<void> {
  const events = await tableRows(lake, EVENTS.prefix);
  expect(events.map((row) => String(row.event_id)).sort(), 'each valid event exactly once').to.deep.equal([...expected.events.keys()].sort());
  const rejected = await tableRows(lake, REJECTED_EVENTS.prefix);
  const lines = rejected.map((row) => `${String(row.source_key)}#${Number(row.line_number)}`).sort();
  expect(lines, 'each rejected line exactly once').to.deep.equal([...expected.rejected.keys()].sort());
  expect(await keys(lake.store('raw'), 'raw/'), 'raw/ is empty').to.deep.equal([]);
  expect(await keys(lake.store('processed'), 'processed/')).to.deep.equal(inputKeys.map((key) => key.replace(/^raw\//, 'processed/')).sort());
  expect(await keys(lake.store('etl'), OPEN_PREFIX), 'no run left open').to.deep.equal([]);
}

function options(clockMs: number, extra: Partial<SparkEtlOptions> = {}): SparkEtlOptions {
  return { now: NOW, clockMs, ...extra };
}

describe('the Glue job\'s commit protocol on local Spark', function () {
  this.timeout(1_800_000);
  const files = mixedDataset();
  const expected = expectedFrom(files);
  const inputKeys = files.map((file) => file.key);

  for (const point of CRASH_POINTS) {
    it(`recovers from a crash ${point.replace('-', ' ')}: the rerun yields each valid event and each rejected line exactly once`, async () => {
      const spark = await sharedSpark();
      const lake = await newLake(`crash-${point}`, files);
      const start = NOW.getTime();
      const crash = await runSparkEtl(lake, spark, options(start, { crashAt: point })).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(crash).to.be.instanceOf(CrashInjectedError);
      expect(await keys(lake.store('etl'), OPEN_PREFIX), 'the crashed run is left open').to.not.be.empty;

      // The crashed run still holds the lease (30 minutes): a run at once is refused, one after expiry recovers.
      const refused = await runSparkEtl(lake, spark, options(start + 60_000)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(EtlJobError).and.have.property('kind', 'EtlLockedError');

      const rerun = await runSparkEtl(lake, spark, options(start + 2 * HOUR));
      const committedBeforeCrash = point === 'after-commit' || point === 'mid-move' || point === 'after-move';
      expect(rerun.recovered.map((recovery) => recovery.action)).to.deep.equal([committedBeforeCrash ? 'rolled_forward' : 'rolled_back']);
      expect(rerun.loaded).to.equal(committedBeforeCrash ? 0 : expected.events.size);
      await expectExactlyOnce(lake, expected, inputKeys);
    });
  }

  it('lets only one of two jobs started at once process the inputs', async () => {
    const spark = await sharedSpark();
    const lake = await newLake('race', files);
    const outcomes = await Promise.allSettled([runSparkEtl(lake, spark, options(NOW.getTime())), runSparkEtl(lake, spark, options(NOW.getTime()))]);
    const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(1);
    expect(rejected).to.have.length(1);
    expect(rejected[0].reason).to.be.instanceOf(EtlJobError).and.have.property('kind', 'EtlLockedError');
    expect((rejected[0].reason as Error).message).to.match(/holds the lease|took the lease/);
    await expectExactlyOnce(lake, expected, inputKeys);
  });
});
