import { expect } from 'chai';
import { BUCKET_OF_AREA, LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { s3Lake, type Lake } from '../../store/lake';
import { ConditionalWriteConflictError, type ObjectStore } from '../../store/object-store';
import { CONFLICT_ATTEMPTS } from '../../store/s3-store';
import { LEASE_PREFIX } from '../../etl/protocol/lease';
import { runEtl } from '../../etl/run';
import { startConflictingS3, type ConflictingS3 } from '../store/conflicting-s3';
import { freshLakeBuckets, sharedMoto } from '../twin';
import { NOW, expectedFrom, mixedDataset, putRaw } from './lake-fixture';

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const object of store.list(prefix)) found.push(object.key);
  return found;
}

describe('runEtl on an S3 lake of three buckets (moto server)', function () {
  this.timeout(60_000);
  let lake: Lake;

  before(async () => {
    const server = await sharedMoto();
    lake = s3Lake({ ...server.clientOptions, buckets: await freshLakeBuckets('etl') });
  });

  it('reads raw/ from the raw bucket, writes results and state to the results bucket, moves inputs to the processed bucket', async () => {
    const files = mixedDataset();
    await putRaw(lake.store('raw'), files);
    await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
    const expected = expectedFrom(files);

    const first = await runEtl(lake, { now: NOW, log: () => undefined, threads: 2 });
    expect(first.loaded).to.equal(expected.events.size);
    expect(first.rejectedTotal).to.equal(expected.rejected.size);
    expect(first.duplicatesTotal).to.equal(expected.duplicates);
    expect(await keys(lake.store('raw'), 'raw/')).to.deep.equal([]);
    expect((await keys(lake.store('processed'), 'processed/')).sort()).to.deep.equal(files.map((file) => file.key.replace(/^raw\//, 'processed/')).sort());
    const results = lake.store('results');
    expect((await keys(results, EVENTS.prefix)).length).to.be.greaterThan(0);
    expect(await keys(results, REJECTED_EVENTS.prefix)).to.have.length(1);
    expect(await keys(results, '_etl/open/')).to.deep.equal([]);

    // The same files again: the events already stored (staged from S3 for DuckDB) make them duplicates.
    await putRaw(lake.store('raw'), files);
    const second = await runEtl(lake, { now: NOW, log: () => undefined, threads: 2 });
    expect(second.loaded).to.equal(0);
    expect(second.duplicates.already_loaded).to.equal(expected.events.size);
  });
});

describe("runEtl on an S3 lake when S3 answers 409 ConditionalRequestConflict to the lease's writes (moto behind a 409 layer)", function () {
  this.timeout(60_000);
  let layer: ConflictingS3;
  before(async () => {
    layer = await startConflictingS3(await sharedMoto());
  });
  after(async () => {
    await layer.close();
  });
  afterEach(() => {
    layer.conflicts = 0;
  });

  it('fails naming the lease object and the fix when every attempt conflicts, touches nothing, and the rerun loads the inputs', async () => {
    const buckets = await freshLakeBuckets('lease-409');
    const lake = s3Lake({ ...layer.clientOptions, buckets });
    const files = mixedDataset();
    await putRaw(lake.store('raw'), files);
    await lake.store('reference').put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
    const rawKeys = await keys(lake.store('raw'), 'raw/');

    layer.conflicts = CONFLICT_ATTEMPTS;
    const failed = await runEtl(lake, { now: NOW, log: () => undefined, threads: 2 }).catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(ConditionalWriteConflictError);
    const leaseKey = `${LEASE_PREFIX}000000000001.json`;
    expect((failed as Error).message).to.include(`s3://${buckets[BUCKET_OF_AREA.etl]}/${leaseKey}`).and.include('run the command again');
    expect(await keys(lake.store('etl'), LEASE_PREFIX), 'no lease taken').to.deep.equal([]);
    expect(await keys(lake.store('raw'), 'raw/'), 'no input touched').to.deep.equal(rawKeys);

    // The rerun's lease write conflicts on all but its last attempt: it takes the lease and loads.
    layer.conflicts = CONFLICT_ATTEMPTS - 1;
    layer.conditionalPuts.length = 0;
    const rerun = await runEtl(lake, { now: NOW, log: () => undefined, threads: 2 });
    const leasePath = `/${buckets[BUCKET_OF_AREA.etl]}/${leaseKey}`;
    expect(layer.conditionalPuts.slice(0, CONFLICT_ATTEMPTS)).to.deep.equal([
      ...Array.from({ length: CONFLICT_ATTEMPTS - 1 }, () => ({ path: leasePath, status: 409 })),
      { path: leasePath, status: 200 },
    ]);
    expect(rerun.loaded).to.equal(expectedFrom(files).events.size);
    expect(await keys(lake.store('raw'), 'raw/')).to.deep.equal([]);
  });
});
