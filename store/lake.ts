/**
 * A lake is the set of stores one pipeline run uses: which ObjectStore holds each area of the key
 * layout. Locally every area is one folder; on AWS the areas live in the stage's three buckets.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AREAS, Area, BUCKET_OF_AREA, BucketRole } from '../model/layout';
import { FsObjectStore } from './fs-store';
import { ObjectStore } from './object-store';
import { S3ClientOptions, S3ObjectStore, createS3Client } from './s3-store';

export interface Lake {
  readonly description: string;
  store(area: Area): ObjectStore;
}

/** The store spec every CLI uses when none is given: a folder in the working directory. */
export const DEFAULT_LAKE_DIR = '.lake';

const BUCKET_ROLES: readonly BucketRole[] = ['raw', 'processed', 'results'];

/** Every area in one folder. */
export function localLake(rootDir: string): Lake {
  const store = new FsObjectStore(rootDir);
  return { description: store.description, store: () => store };
}

export interface S3LakeOptions extends S3ClientOptions {
  readonly buckets: Readonly<Record<BucketRole, string>>;
}

/** Each area in its bucket (model/layout.ts BUCKET_OF_AREA), all through one S3 client. */
export function s3Lake(options: S3LakeOptions): Lake {
  const { buckets, ...clientOptions } = options;
  const client = createS3Client(clientOptions);
  const byRole = new Map<BucketRole, S3ObjectStore>();
  for (const role of BUCKET_ROLES) {
    // Roles that share a bucket share a store, so transfers between them stay server-side copies.
    const existing = [...byRole.values()].find((store) => store.bucket === buckets[role]);
    byRole.set(role, existing ?? new S3ObjectStore({ ...clientOptions, bucket: buckets[role], client }));
  }
  const distinct = [...new Set(BUCKET_ROLES.map((role) => buckets[role]))];
  const where = clientOptions.endpoint === undefined ? '' : ` at ${clientOptions.endpoint}`;
  return {
    description: `s3://${distinct.join(',')}${where}`,
    store: (area) => {
      const store = byRole.get(BUCKET_OF_AREA[area]);
      if (store === undefined) throw new Error(`unknown lake area "${area}"; expected one of ${AREAS.join(', ')}`);
      return store;
    },
  };
}

/**
 * Moves one object between stores: a copy within one store (or between buckets one S3 client
 * reaches), otherwise get + put. The source is deleted only after the target is written.
 */
export async function transferObject(from: ObjectStore, fromKey: string, to: ObjectStore, toKey: string): Promise<void> {
  if (from === to) {
    await from.move(fromKey, toKey);
    return;
  }
  if (from instanceof S3ObjectStore && to instanceof S3ObjectStore && from.client === to.client) {
    await to.copyFromBucket(from.bucket, fromKey, toKey);
  } else {
    await to.put(toKey, await from.get(fromKey));
  }
  await from.delete(fromKey);
}

const ACCEPTED_SPECS =
  'a folder path, "file:<path>", "s3://<bucket>" (one bucket for every area) or ' +
  '"s3://<raw-bucket>,<processed-bucket>,<results-bucket>"';

/** What a `--store` spec names, before anything is opened: a folder, or S3 buckets. */
export type StoreSpec =
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 's3'; readonly buckets: Readonly<Record<BucketRole, string>> };

/**
 * Reads a `--store` spec without touching anything:
 * - a path or `file:<path>` (also `file:///abs/path`): every area in that folder;
 * - `s3://<bucket>`: every area in one bucket;
 * - `s3://<raw>,<processed>,<results>`: the stage's three buckets.
 */
export function parseStoreSpec(spec: string): StoreSpec {
  const trimmed = spec.trim();
  if (trimmed === '') throw new Error(`store spec is empty; expected ${ACCEPTED_SPECS}`);
  if (trimmed.startsWith('s3://')) return { kind: 's3', buckets: parseBuckets(spec, trimmed.slice('s3://'.length)) };
  if (trimmed.startsWith('file://')) return { kind: 'folder', dir: fileURLToPath(trimmed) };
  if (trimmed.startsWith('file:')) return { kind: 'folder', dir: path.resolve(requirePath(spec, trimmed.slice('file:'.length))) };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed);
  if (scheme) throw new Error(`store spec "${spec}" uses the unsupported scheme "${scheme[1]}:"; expected ${ACCEPTED_SPECS}`);
  return { kind: 'folder', dir: path.resolve(trimmed) };
}

/**
 * Opens the lake a `--store` spec names (see parseStoreSpec), without checking that it exists: CLIs
 * go through store/open-lake.ts openLakeFor, which does.
 * For S3, `S3_ENDPOINT` or `AWS_ENDPOINT_URL_S3` points at an S3-compatible server (path-style
 * addressing then), `AWS_REGION`/`AWS_DEFAULT_REGION` pick the region, `AWS_ACCESS_KEY_ID`/
 * `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` the credentials (otherwise the SDK's default chain),
 * and `S3_CONDITIONAL_WRITES=false` marks a server that ignores If-None-Match.
 */
export function openLake(spec: string, env: NodeJS.ProcessEnv = process.env): Lake {
  const parsed = parseStoreSpec(spec);
  return parsed.kind === 's3' ? s3Lake({ buckets: parsed.buckets, ...s3Env(env) }) : localLake(parsed.dir);
}

function requirePath(spec: string, folder: string): string {
  if (folder === '') throw new Error(`store spec "${spec}" names no folder; expected ${ACCEPTED_SPECS}`);
  return folder;
}

function parseBuckets(spec: string, list: string): Record<BucketRole, string> {
  const names = list.split(',').map((name) => name.trim());
  if (names.length !== 1 && names.length !== BUCKET_ROLES.length) {
    throw new Error(`store spec "${spec}" names ${names.length} buckets; expected ${ACCEPTED_SPECS}`);
  }
  for (const name of names) {
    const problem = bucketNameProblem(name);
    if (problem !== undefined) throw new Error(`store spec "${spec}": bucket "${name}" ${problem}; expected ${ACCEPTED_SPECS}`);
  }
  const [raw, processed = raw, results = raw] = names;
  return { raw, processed, results };
}

/** S3's bucket naming rules, enough to catch typos and `s3://bucket/prefix` before any request. */
function bucketNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.includes('/')) return 'contains "/" (a store spec names buckets only, no key prefix)';
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'may hold only lower-case letters, digits, "." and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** The environment variable that names the S3-compatible server, if one does (S3_ENDPOINT first). */
export function s3EndpointVariable(env: NodeJS.ProcessEnv): 'S3_ENDPOINT' | 'AWS_ENDPOINT_URL_S3' | undefined {
  if (nonEmpty(env.S3_ENDPOINT) !== undefined) return 'S3_ENDPOINT';
  return nonEmpty(env.AWS_ENDPOINT_URL_S3) === undefined ? undefined : 'AWS_ENDPOINT_URL_S3';
}

function s3Env(env: NodeJS.ProcessEnv): S3ClientOptions {
  const variable = s3EndpointVariable(env);
  const endpoint = variable === undefined ? undefined : nonEmpty(env[variable]);
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const conditional = nonEmpty(env.S3_CONDITIONAL_WRITES)?.toLowerCase();
  if (conditional !== undefined && conditional !== 'true' && conditional !== 'false') {
    throw new Error(`S3_CONDITIONAL_WRITES is "${env.S3_CONDITIONAL_WRITES}"; set it to "true" or "false" (or leave it unset)`);
  }
  return {
    endpoint,
    forcePathStyle: endpoint !== undefined,
    // An S3-compatible server needs some region to sign with; AWS itself is found by the SDK's chain.
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? (endpoint === undefined ? undefined : 'us-east-1'),
    credentials:
      accessKeyId !== undefined && secretAccessKey !== undefined
        ? { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env.AWS_SESSION_TOKEN) }
        : undefined,
    conditionalWrites: conditional === undefined ? undefined : conditional === 'true',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
