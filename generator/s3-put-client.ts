/**
 * The smallest S3 client the EC2 generator needs: PutObject over Node's fetch, signed with Signature
 * V4 (sigv4.ts). The full @aws-sdk/client-s3 bundles to hundreds of kilobytes, far over the 16 KB
 * user-data limit; this is two. Retries are the runner's (run.ts).
 */
import type { PutOptions } from '../store/object-store';
import type { AwsCredentials } from './imds';
import type { ObjectSink } from './run';
import { sha256Hex, signS3Request } from './sigv4';

export interface S3PutClientOptions {
  readonly bucket: string;
  readonly region: string;
  /** An S3-compatible server (path-style requests), e.g. `http://127.0.0.1:4568`; absent for AWS. */
  readonly endpoint?: string;
  readonly credentials: () => Promise<AwsCredentials>;
  readonly serverSideEncryption?: 'AES256' | 'aws:kms';
  readonly kmsKeyId?: string;
}

/** S3 keys are escaped once in the path; the signer must not escape them again (uriEscapePath false). */
function escapeKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

export class S3PutClient implements ObjectSink {
  readonly description: string;

  constructor(private readonly options: S3PutClientOptions) {
    this.description = `s3://${options.bucket}${options.endpoint ? ` at ${options.endpoint}` : ''}`;
  }

  private url(key: string): URL {
    const { bucket, region, endpoint } = this.options;
    return endpoint === undefined
      ? new URL(`https://${bucket}.s3.${region}.amazonaws.com/${escapeKey(key)}`)
      : new URL(`${endpoint.replace(/\/+$/, '')}/${bucket}/${escapeKey(key)}`);
  }

  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<void> {
    if (options.ifNoneMatch) throw new Error('S3PutClient: conditional puts are not supported by the minimal EC2 client');
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const url = this.url(key);
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': options.contentType ?? 'application/octet-stream',
    };
    if (this.options.serverSideEncryption) headers['x-amz-server-side-encryption'] = this.options.serverSideEncryption;
    if (this.options.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = this.options.kmsKeyId;
    const signed = signS3Request(
      { method: 'PUT', path: url.pathname, headers, payloadHash: sha256Hex(payload) },
      await this.options.credentials(),
      this.options.region,
      new Date(),
    );
    // fetch sets Host itself, from the URL it was signed for.
    delete signed.host;
    const response = await fetch(url, {
      method: 'PUT',
      headers: signed,
      // Buffers made by Buffer.from and zlib sit on a plain ArrayBuffer, the body type fetch declares.
      body: payload as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? response.statusText;
      throw new Error(`PUT ${this.description}/${key} failed: ${response.status} ${code}`);
    }
    await response.arrayBuffer();
  }
}
