import {
  CopyObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { ConditionalWriteConflictError, ObjectExistsError, ObjectNotFoundError } from '../../store/object-store';
import { CONFLICT_ATTEMPTS, S3ObjectStore, copySource } from '../../store/s3-store';
import { startConflictingS3, type ConflictingS3 } from './conflicting-s3';
import { objectStoreContract } from './object-store.contract';
import type { RunningMoto } from '../../twin/moto-server';
import { freshBucket, sharedMoto } from '../twin';

describe('S3ObjectStore', function () {
  describe('on a real S3 API (moto server)', function () {
    let server: RunningMoto;
    before(async function () {
      server = await sharedMoto();
    });

    objectStoreContract({
      newStore: async () => new S3ObjectStore({ ...server.clientOptions, bucket: await freshBucket('contract'), client: server.client }),
      // moto honours If-None-Match on PUT, as S3 does: two racing claims, one wins.
      atomicClaims: true,
    });

    it('copies between buckets on the server, keeping spaces and unicode in the key', async function () {
      const sourceBucket = await freshBucket('copy-source');
      const source = new S3ObjectStore({ ...server.clientOptions, bucket: sourceBucket, client: server.client });
      const target = new S3ObjectStore({ ...server.clientOptions, bucket: await freshBucket('copy-target'), client: server.client });
      await source.put('raw/a b/ünï ✓.json', 'across');
      await target.copyFromBucket(sourceBucket, 'raw/a b/ünï ✓.json', 'processed/a b/ünï ✓.json');
      expect((await target.get('processed/a b/ünï ✓.json')).toString()).to.equal('across');
      const missing = await target.copyFromBucket(sourceBucket, 'raw/none.json', 'x.json').catch((e: Error) => e);
      expect(missing).to.be.instanceOf(ObjectNotFoundError);
      expect((missing as Error).message).to.include('"raw/none.json"').and.include(`s3://${sourceBucket}`);
    });
  });

  describe("claims when S3 answers 409 ConditionalRequestConflict (moto behind a layer that sends S3's 409)", function () {
    let layer: ConflictingS3;
    let store: S3ObjectStore;
    before(async function () {
      layer = await startConflictingS3(await sharedMoto());
    });
    after(async function () {
      await layer.close();
    });
    beforeEach(async function () {
      store = new S3ObjectStore({ ...layer.clientOptions, bucket: await freshBucket('conflict'), client: layer.client });
      layer.conditionalPuts.length = 0;
    });
    afterEach(function () {
      layer.conflicts = 0;
    });
    const claimPath = (key: string): string => `/${store.bucket}/${key}`;

    it('a claim that conflicts twice is retried and stores the object on the third attempt', async function () {
      expect(CONFLICT_ATTEMPTS, 'two conflicts leave one attempt').to.equal(3);
      layer.conflicts = 2;
      await store.put('_etl/lease/000000000001.json', 'run-a', { ifNoneMatch: true });
      expect((await store.get('_etl/lease/000000000001.json')).toString()).to.equal('run-a');
      expect(layer.conditionalPuts.map((put) => put.status)).to.deep.equal([409, 409, 200]);
    });

    it('a claim that conflicts on every attempt fails with ConditionalWriteConflictError naming s3://bucket/key and the fix, and writes nothing', async function () {
      layer.conflicts = CONFLICT_ATTEMPTS;
      const key = '_etl/lease/000000000001.json';
      const error = await store.put(key, 'run-a', { ifNoneMatch: true }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConditionalWriteConflictError);
      const message = (error as Error).message;
      expect(message).to.include(`s3://${store.bucket}/${key}`);
      expect(message).to.include(`409 ConditionalRequestConflict to ${CONFLICT_ATTEMPTS} conditional writes`);
      expect(message).to.include('other writers kept writing that key at the same moment');
      expect(message).to.include('nothing was written').and.include('run the command again');
      expect((error as Error).cause, "the SDK's error is kept").to.have.property('name', 'ConditionalRequestConflict');
      expect(layer.conditionalPuts).to.deep.equal(Array.from({ length: CONFLICT_ATTEMPTS }, () => ({ path: claimPath(key), status: 409 })));
      expect(await store.head(key), 'nothing written').to.equal(undefined);

      // Nothing is left behind: the next claim takes the key at once.
      await store.put(key, 'run-b', { ifNoneMatch: true });
      expect((await store.get(key)).toString()).to.equal('run-b');
    });

    it('a claim on a taken key still fails with ObjectExistsError (412), also after a conflict', async function () {
      await store.put('claims/a', 'first', { ifNoneMatch: true });
      const taken = await store.put('claims/a', 'second', { ifNoneMatch: true }).catch((e: unknown) => e);
      expect(taken).to.be.instanceOf(ObjectExistsError);
      layer.conflicts = 1;
      const afterConflict = await store.put('claims/a', 'third', { ifNoneMatch: true }).catch((e: unknown) => e);
      expect(afterConflict).to.be.instanceOf(ObjectExistsError);
      expect(layer.conditionalPuts.map((put) => put.status)).to.deep.equal([200, 412, 409, 412]);
      expect((await store.get('claims/a')).toString()).to.equal('first');
    });

    it('a plain put (no If-None-Match) never meets the layer\'s 409 and replaces the object', async function () {
      layer.conflicts = CONFLICT_ATTEMPTS;
      await store.put('raw/x.json', 'one');
      await store.put('raw/x.json', 'two');
      expect((await store.get('raw/x.json')).toString()).to.equal('two');
      expect(layer.conditionalPuts).to.deep.equal([]);
    });
  });

  describe('requests it sends (mocked client)', function () {
    const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
    const mock = mockClient(client);
    const store = new S3ObjectStore({ bucket: 'claims', client });
    afterEach(function () {
      mock.reset();
    });

    const serviceError = (name: string, httpStatusCode: number): S3ServiceException =>
      new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode } });

    it('a claim sends If-None-Match: * and turns 412 Precondition Failed into ObjectExistsError', async function () {
      mock.on(PutObjectCommand).rejects(serviceError('PreconditionFailed', 412));
      const error = await store.put('_etl/claims/a', 'me', { ifNoneMatch: true }).catch((e: Error) => e);
      expect(error).to.be.instanceOf(ObjectExistsError);
      expect(mock.commandCalls(PutObjectCommand)[0].args[0].input.IfNoneMatch).to.equal('*');
    });

    it('a plain put sends no If-None-Match and does not hide a 412', async function () {
      mock.on(PutObjectCommand).rejects(serviceError('PreconditionFailed', 412));
      const error = await store.put('raw/x', 'x').catch((e: Error) => e);
      expect(error).to.not.be.instanceOf(ObjectExistsError);
      expect(mock.commandCalls(PutObjectCommand)[0].args[0].input.IfNoneMatch).to.equal(undefined);
    });

    it('with conditionalWrites: false a claim is a HEAD, then a PUT without If-None-Match', async function () {
      const fallback = new S3ObjectStore({ bucket: 'claims', client, conditionalWrites: false });
      mock.on(HeadObjectCommand).rejects(serviceError('NotFound', 404));
      mock.on(PutObjectCommand).resolves({});
      await fallback.put('_etl/claims/b', 'me', { ifNoneMatch: true });
      expect(mock.commandCalls(HeadObjectCommand)).to.have.length(1);
      expect(mock.commandCalls(PutObjectCommand)[0].args[0].input.IfNoneMatch).to.equal(undefined);
    });

    it('copy sends a CopySource that decodes back to bucket/key', async function () {
      mock.on(CopyObjectCommand).resolves({});
      const key = 'results/events/event_date=2026-01-01/ünï ✓ a+b#c?.parquet';
      await store.copy(key, 'x.parquet');
      const sent = mock.commandCalls(CopyObjectCommand)[0].args[0].input.CopySource ?? '';
      expect(sent).to.match(/^[\x21-\x7e]+$/); // printable ASCII only: no raw spaces or unicode
      expect(sent).to.include('event_date=2026-01-01'); // kept raw for servers that decode with decodeURI
      expect(sent.split('/').map(decodeURIComponent).join('/')).to.equal(`claims/${key}`);
    });
  });

  describe('copySource', function () {
    it('encodes each segment and keeps the slashes between them', function () {
      expect(copySource('b', 'a b/c')).to.equal('b/a%20b/c');
    });
  });
});
