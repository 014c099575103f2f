/**
 * AWS Signature Version 4 for S3 requests, on node:crypto. Written out rather than taken from
 * @smithy/signature-v4 because the EC2 user-data is capped at 16 KB and the library (with the parts
 * of @smithy/core it pulls in) costs about 4 KB of it gzipped. It signs one shape of request only:
 * headers in the header, no query string, a path already escaped once (S3 does not double-escape).
 * test/generator/sigv4.test.ts holds it to AWS's published examples.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  readonly method: string;
  /** The URI path, each segment already percent-escaped, e.g. `/bucket/raw/2026/x.jsonl`. */
  readonly path: string;
  /** Header names in any case; `host` must be among them. */
  readonly headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body (also sent as x-amz-content-sha256). */
  readonly payloadHash: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20130524T000000Z` */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers to send: the given ones plus x-amz-date, x-amz-content-sha256, x-amz-security-token
 * (with temporary credentials) and authorization, all names lower-case.
 */
export function signS3Request(
  request: RequestToSign,
  credentials: SigningCredentials,
  region: string,
  date: Date,
): Record<string, string> {
  const timestamp = amzDate(date);
  const day = timestamp.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['x-amz-date'] = timestamp;
  headers['x-amz-content-sha256'] = request.payloadHash;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaders, request.payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
