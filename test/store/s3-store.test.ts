import {
  CopyObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { ObjectExistsError, ObjectNotFoundError } from '../../store/object-store';
import { S3ObjectStore, copySource } from '../../store/s3-store';
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

    it('a claim retries 409 ConditionalRequestConflict (a concurrent write) before giving up', async function () {
      mock
        .on(PutObjectCommand)
        .rejectsOnce(serviceError('ConditionalRequestConflict', 409))
        .rejectsOnce(serviceError('PreconditionFailed', 412));
      const error = await store.put('_etl/claims/a', 'me', { ifNoneMatch: true }).catch((e: Error) => e);
      expect(error).to.be.instanceOf(ObjectExistsError);
      expect(mock.commandCalls(PutObjectCommand)).to.have.length(2);
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
