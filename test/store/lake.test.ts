import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AREAS, BUCKET_OF_AREA } from '../../model/layout';
import { FsObjectStore } from '../../store/fs-store';
import { DEFAULT_LAKE_DIR, Lake, openLake, s3Lake, transferObject } from '../../store/lake';
import { ObjectNotFoundError, ObjectStore } from '../../store/object-store';
import { S3ObjectStore } from '../../store/s3-store';
import { MOTO_CREDENTIALS, type RunningMoto } from '../../twin/moto-server';
import { freshLakeBuckets, sharedMoto } from '../twin';

function fsRoot(lake: Lake): string {
  const store = lake.store('raw');
  expect(store).to.be.instanceOf(FsObjectStore);
  return (store as FsObjectStore).rootDir;
}

function bucketOf(lake: Lake, area: (typeof AREAS)[number]): string {
  const store = lake.store(area);
  expect(store).to.be.instanceOf(S3ObjectStore);
  return (store as S3ObjectStore).bucket;
}

describe('openLake', function () {
  describe('folder specs', function () {
    it('a path opens every area in that folder, resolved against the working directory', function () {
      const lake = openLake('some/lake', {});
      expect(fsRoot(lake)).to.equal(path.resolve('some/lake'));
      for (const area of AREAS) expect(lake.store(area)).to.equal(lake.store('raw'));
      expect(lake.description).to.equal(`file://${path.resolve('some/lake')}`);
    });

    it('the default spec is the .lake folder', function () {
      expect(fsRoot(openLake(DEFAULT_LAKE_DIR, {}))).to.equal(path.resolve('.lake'));
    });

    it('file:<path> and file:///<absolute path> URLs open the same folder', function () {
      expect(fsRoot(openLake('file:some/lake', {}))).to.equal(path.resolve('some/lake'));
      const absolute = path.resolve('a folder/with ü');
      expect(fsRoot(openLake(pathToFileURL(absolute).href, {}))).to.equal(absolute);
    });
  });

  describe('S3 specs', function () {
    it('s3://<bucket> puts every area in that one bucket', function () {
      const lake = openLake('s3://my-lake', { AWS_REGION: 'eu-west-1' });
      for (const area of AREAS) expect(bucketOf(lake, area)).to.equal('my-lake');
      expect(lake.description).to.equal('s3://my-lake');
    });

    it('s3://<raw>,<processed>,<results> puts each area in its bucket, through one client', function () {
      const lake = openLake('s3://stage-raw,stage-processed,stage-results', { AWS_REGION: 'eu-west-1' });
      const buckets = { raw: 'stage-raw', processed: 'stage-processed', results: 'stage-results' };
      expect(bucketOf(lake, 'raw')).to.equal('stage-raw');
      expect(bucketOf(lake, 'processed')).to.equal('stage-processed');
      for (const area of AREAS) expect(bucketOf(lake, area)).to.equal(buckets[BUCKET_OF_AREA[area]]);
      const clients = new Set(AREAS.map((area) => (lake.store(area) as S3ObjectStore).client));
      expect(clients.size).to.equal(1);
    });

    it('an endpoint from S3_ENDPOINT or AWS_ENDPOINT_URL_S3 switches to path-style addressing', async function () {
      for (const variable of ['S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3']) {
        const store = openLake('s3://my-lake', { [variable]: 'http://127.0.0.1:9000' }).store('raw') as S3ObjectStore;
        expect(store.client.config.forcePathStyle).to.equal(true);
        expect(await store.client.config.region()).to.equal('us-east-1');
        expect(store.description).to.include('http://127.0.0.1:9000');
      }
      const aws = openLake('s3://my-lake', { AWS_REGION: 'eu-west-1' }).store('raw') as S3ObjectStore;
      expect(aws.client.config.forcePathStyle).to.not.equal(true);
    });
  });

  describe('bad specs', function () {
    const cases: Record<string, RegExp> = {
      '': /empty/,
      '   ': /empty/,
      'file:': /names no folder/,
      's3://': /is empty/,
      's3://a-bucket,b-bucket': /names 2 buckets/,
      's3://a,b,c,d': /names 4 buckets/,
      's3://My_Bucket': /lower-case letters/,
      's3://bucket/prefix/': /contains "\/"/,
      'gs://bucket': /unsupported scheme "gs:"/,
      'https://example.com/lake': /unsupported scheme "https:"/,
    };
    for (const [spec, problem] of Object.entries(cases)) {
      it(`${JSON.stringify(spec)} fails naming the spec, the problem and the accepted forms`, function () {
        expect(() => openLake(spec, {}))
          .to.throw(Error, problem)
          .with.property('message')
          .that.includes('"file:<path>"')
          .and.includes('"s3://<raw-bucket>,<processed-bucket>,<results-bucket>"');
        if (spec.trim() !== '') expect(() => openLake(spec, {})).to.throw(`"${spec}"`);
      });
    }

    it('S3_CONDITIONAL_WRITES must be true or false', function () {
      expect(() => openLake('s3://my-lake', { S3_CONDITIONAL_WRITES: 'maybe' })).to.throw(/S3_CONDITIONAL_WRITES is "maybe"/);
    });
  });
});

describe('transferObject', function () {
  let tempRoot: string;
  let source: FsObjectStore;
  let target: FsObjectStore;
  beforeEach(async function () {
    tempRoot = await mkdtemp(path.join(tmpdir(), 'lake-'));
    source = new FsObjectStore(path.join(tempRoot, 'source'));
    target = new FsObjectStore(path.join(tempRoot, 'target'));
  });
  afterEach(async function () {
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('moves an object between two stores: target written, source gone', async function () {
    await source.put('raw/a b/ünï.json', 'event');
    await transferObject(source, 'raw/a b/ünï.json', target, 'processed/a b/ünï.json');
    expect((await target.get('processed/a b/ünï.json')).toString()).to.equal('event');
    expect(await source.head('raw/a b/ünï.json')).to.equal(undefined);
  });

  it('within one store it is a move', async function () {
    await source.put('raw/x.json', 'event');
    await transferObject(source, 'raw/x.json', source, 'processed/x.json');
    expect((await source.get('processed/x.json')).toString()).to.equal('event');
    expect(await source.head('raw/x.json')).to.equal(undefined);
  });

  it('a missing source throws ObjectNotFoundError and writes nothing', async function () {
    const error = await transferObject(source, 'raw/none.json', target, 'processed/none.json').catch((e: Error) => e);
    expect(error).to.be.instanceOf(ObjectNotFoundError);
    expect(await collectKeys(target)).to.deep.equal([]);
  });

  it('keeps the source when writing the target fails', async function () {
    await source.put('raw/x.json', 'event');
    const failing: ObjectStore = Object.assign(Object.create(target) as FsObjectStore, {
      put: () => Promise.reject(new Error('disk full')),
    });
    const error = await transferObject(source, 'raw/x.json', failing, 'processed/x.json').catch((e: Error) => e);
    expect((error as Error).message).to.equal('disk full');
    expect((await source.get('raw/x.json')).toString()).to.equal('event');
  });

  describe('between the buckets of an S3 lake (moto server)', function () {
    let server: RunningMoto;
    let buckets: { raw: string; processed: string; results: string };
    before(async function () {
      server = await sharedMoto();
      buckets = await freshLakeBuckets('lake');
    });

    it('copies on the server from the raw to the processed bucket, then deletes the source', async function () {
      const lake = s3Lake({ ...server.clientOptions, buckets });
      await lake.store('raw').put('raw/2026/a b ✓.json', 'event');
      // A server-side copy never downloads the object through this process.
      Object.assign(lake.store('raw'), { get: () => Promise.reject(new Error('downloaded instead of copying')) });
      await transferObject(lake.store('raw'), 'raw/2026/a b ✓.json', lake.store('processed'), 'processed/2026/a b ✓.json');
      expect((await lake.store('processed').get('processed/2026/a b ✓.json')).toString()).to.equal('event');
      expect(await lake.store('raw').head('raw/2026/a b ✓.json')).to.equal(undefined);
    });

    it('openLake reaches the server named by S3_ENDPOINT with credentials from the environment', async function () {
      const lake = openLake(`s3://${buckets.raw},${buckets.processed},${buckets.results}`, {
        S3_ENDPOINT: server.endpoint,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      });
      await lake.store('reference').put('reference/x.csv', 'id;name');
      const results = new S3ObjectStore({ ...server.clientOptions, bucket: buckets.results, client: server.client });
      expect((await results.get('reference/x.csv')).toString()).to.equal('id;name');
    });
  });
});

async function collectKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list('')) keys.push(object.key);
  return keys;
}
