/**
 * The object store on S3 (or an S3-compatible server), one bucket per store, on @aws-sdk/client-s3.
 * Retries are the SDK's standard retry mode; `maxAttempts` bounds them.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertValidKey, assertValidPrefix } from './keys';
import {
  ConditionalWriteConflictError,
  DEFAULT_PAGE_SIZE,
  ListOptions,
  ListPage,
  ObjectExistsError,
  ObjectInfo,
  ObjectNotFoundError,
  ObjectStore,
  PutOptions,
  pageSizeOf,
} from './object-store';

/** How to reach S3: everything but the bucket, so one client can serve several buckets. */
export interface S3ClientOptions {
  readonly region?: string;
  /** An S3-compatible server, e.g. `http://127.0.0.1:4568`; absent for AWS itself. */
  readonly endpoint?: string;
  /** `http://endpoint/bucket/key` instead of `http://bucket.endpoint/key`; most S3-compatible servers need it. */
  readonly forcePathStyle?: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Attempts per request, first one included (SDK standard retry mode). Default 3. */
  readonly maxAttempts?: number;
  /**
   * Whether the server honours `If-None-Match: *` on PUT (AWS S3 does since 2024). When false, an
   * `ifNoneMatch` put is a HEAD then a PUT: a key that exists is refused, but two writers racing can
   * both win. Only for servers that ignore the header (s3rver); never use it for claims between processes.
   */
  readonly conditionalWrites?: boolean;
}

export interface S3StoreOptions extends S3ClientOptions {
  readonly bucket: string;
  /** Share one client between stores (see s3Lake); the client options above are then ignored. */
  readonly client?: S3Client;
}

/** S3 answers 409 ConditionalRequestConflict when a conditional put overlaps another write: retry. */
export const CONFLICT_ATTEMPTS = 3;
/**
 * Pause before the n-th retry of a conflict: n times this, plus up to this again at random, so that two
 * writers who just collided do not send their next attempts in step. Kept short: S3's advice for this
 * 409 is simply to retry.
 */
const CONFLICT_BACKOFF_MS = 20;

export function createS3Client(options: S3ClientOptions): S3Client {
  const config: S3ClientConfig = {
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: 'standard',
  };
  if (options.endpoint !== undefined) {
    // S3-compatible servers often reject the SDK's default CRC32 checksum headers; send them only
    // where the API requires them.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  readonly bucket: string;
  readonly client: S3Client;
  /** The S3-compatible server it reaches, if not AWS itself. */
  readonly endpoint: string | undefined;
  private readonly conditionalWrites: boolean;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.endpoint = options.endpoint;
    this.client = options.client ?? createS3Client(options);
    this.conditionalWrites = options.conditionalWrites ?? true;
    this.description = options.endpoint === undefined ? `s3://${options.bucket}` : `s3://${options.bucket} at ${options.endpoint}`;
  }

  async listPage(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const pageSize = pageSizeOf(options);
    const response = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix === '' ? undefined : prefix,
        MaxKeys: Math.min(pageSize, DEFAULT_PAGE_SIZE),
        ContinuationToken: options.token,
      }),
    );
    const objects = (response.Contents ?? []).map(
      (item): ObjectInfo => ({ key: item.Key ?? '', size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) }),
    );
    return response.IsTruncated && response.NextContinuationToken
      ? { objects, nextToken: response.NextContinuationToken }
      : { objects };
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const page = await this.listPage(prefix, { token });
      yield* page.objects;
      token = page.nextToken;
    } while (token !== undefined);
  }

  async get(key: string): Promise<Buffer> {
    assertValidKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (response.Body === undefined) return Buffer.alloc(0);
      return Buffer.from(await response.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(this.description, key);
      throw error;
    }
  }

  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<void> {
    assertValidKey(key);
    const ifNoneMatch = options.ifNoneMatch === true;
    if (ifNoneMatch && !this.conditionalWrites && (await this.head(key)) !== undefined) {
      throw new ObjectExistsError(this.description, key);
    }
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: typeof body === 'string' ? Buffer.from(body) : body,
      ContentType: options.contentType,
      IfNoneMatch: ifNoneMatch && this.conditionalWrites ? '*' : undefined,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(command);
        return;
      } catch (error) {
        const status = httpStatus(error);
        if (ifNoneMatch && status === 412) throw new ObjectExistsError(this.description, key);
        if (!(ifNoneMatch && status === 409)) throw error;
        if (attempt === CONFLICT_ATTEMPTS) throw new ConditionalWriteConflictError(`s3://${this.bucket}/${key}`, attempt, error);
        await sleep(CONFLICT_BACKOFF_MS * (attempt + Math.random()));
      }
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: response.ContentLength ?? 0, lastModified: response.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.copyFromBucket(this.bucket, fromKey, toKey);
  }

  /**
   * Server-side copy from another bucket reachable with this store's client (no bytes through us).
   * Throws ObjectNotFoundError naming the source bucket and key when the source is missing.
   */
  async copyFromBucket(fromBucket: string, fromKey: string, toKey: string): Promise<void> {
    assertValidKey(fromKey);
    assertValidKey(toKey);
    if (fromBucket === this.bucket && fromKey === toKey) {
      // S3 refuses to copy an object onto itself; the result would be unchanged anyway.
      if ((await this.head(fromKey)) === undefined) throw new ObjectNotFoundError(this.description, fromKey);
      return;
    }
    try {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: copySource(fromBucket, fromKey) }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(`s3://${fromBucket}`, fromKey);
      throw error;
    }
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    await this.copy(fromKey, toKey);
    if (fromKey !== toKey) await this.delete(fromKey);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/**
 * `bucket/key` for x-amz-copy-source, which S3 wants URL-encoded: encoded per segment so spaces and
 * unicode survive. The characters RFC 3986 allows raw in a path (`=`, `:`, `@`, `,`, `;`, `$`, `&`)
 * stay raw: S3 decodes either form, and servers that decode with decodeURI (s3rver) only read them
 * raw, which matters for partition keys like `event_date=2026-01-01`.
 */
export function copySource(bucket: string, key: string): string {
  const encoded = key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%(3D|3A|40|2C|3B|24|26)/g, (escape) => decodeURIComponent(escape)))
    .join('/');
  return `${bucket}/${encoded}`;
}

/** The HTTP status of an SDK error, when it got an answer. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata: unknown = error.$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/** NoSuchKey (GET, COPY) or a bare 404 (HEAD has no body, so no error code). */
function isNotFound(error: unknown): boolean {
  if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return true;
  return httpStatus(error) === 404 && !(error instanceof Error && error.name === 'NoSuchBucket');
}
