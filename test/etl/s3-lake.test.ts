import { expect } from 'chai';
import { LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { s3Lake, type Lake } from '../../store/lake';
import type { ObjectStore } from '../../store/object-store';
import { runEtl } from '../../etl/run';
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
