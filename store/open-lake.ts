/**
 * The one rule every CLI (generate, etl, query, dashboard, local) follows to open its `--store`:
 * the spec is read, the folder or buckets are checked, and only then is anything written. A command
 * reads or adds to a lake; it sets a lake up only in a new or empty folder; it empties only a folder
 * it set up itself (store/lake-folder.ts). Every refusal names the store, the problem and the fix.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { BUCKET_OF_AREA } from '../model/layout';
import { emptyLake, inspectFolder, LAKE_MARKER_KEY, markLake, someNames, type FolderState } from './lake-folder';
import { DEFAULT_LAKE_DIR, localLake, openLake, parseStoreSpec, s3EndpointVariable, type Lake } from './lake';
import { S3ObjectStore, httpStatus } from './s3-store';

/**
 * - `existing`: read or load a lake that is there (query, dashboard, etl);
 * - `add`: add objects; a new or empty folder becomes a lake (generate, local --keep);
 * - `fresh`: start from an empty lake; a lake this project set up is emptied (local).
 */
export type LakeUse = 'existing' | 'add' | 'fresh';

export interface OpenLakeOptions {
  /** The command, for messages: `npm run etl`. */
  readonly command: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface OpenedLake {
  readonly lake: Lake;
  /** What was done to the store: a new lake set up, a lake emptied, or opened as it was. */
  readonly setUp: 'created' | 'emptied' | 'opened';
}

export async function openLakeFor(spec: string, use: LakeUse, options: OpenLakeOptions): Promise<OpenedLake> {
  const parsed = parseStoreSpec(spec);
  if (parsed.kind === 's3') {
    if (use === 'fresh') {
      throw new Error(
        `--store ${spec}: ${options.command} starts from an empty lake, and it never empties S3 buckets; ` +
          `give a folder (e.g. --store ${DEFAULT_LAKE_DIR}), or add to the buckets with --keep`,
      );
    }
    const lake = openLake(spec, options.env);
    await checkBuckets(lake, options.env ?? process.env);
    return { lake, setUp: 'opened' };
  }
  const dir = parsed.dir;
  const state = await inspectFolder(dir);
  const problem = folderProblem(spec, dir, state, use, options.command);
  if (problem !== undefined) throw new Error(problem);
  let setUp: OpenedLake['setUp'] = 'opened';
  if (state.kind === 'missing' || state.kind === 'empty') {
    await markLake(dir, options.command);
    setUp = 'created';
  } else if (use === 'fresh') {
    await emptyLake(dir);
    setUp = 'emptied';
  }
  return { lake: localLake(dir), setUp };
}

function folderProblem(spec: string, dir: string, state: FolderState, use: LakeUse, command: string): string | undefined {
  const fill = `make one with "npm run local -- --store ${spec}" (or "npm run generate -- --store ${spec}", then "npm run etl -- --store ${spec}")`;
  switch (state.kind) {
    case 'not-a-folder':
      return `--store ${spec}: ${dir} is a file (or lies under one), not a lake folder; give the folder of a lake (default ${DEFAULT_LAKE_DIR}) or a new folder's name`;
    case 'missing':
      return use === 'existing' ? `--store ${spec}: there is no lake at ${dir} (no such folder); ${fill}, or give the folder of a lake` : undefined;
    case 'empty':
      return use === 'existing' ? `--store ${spec}: ${dir} is an empty folder, not a lake yet; ${fill}` : undefined;
    case 'foreign':
      return (
        `--store ${spec}: ${dir} is not a lake (it holds ${someNames(state.entries)}, and no ${LAKE_MARKER_KEY}); ` +
        `${command} ${use === 'existing' ? 'reads' : 'writes'} only lakes this project set up: give a lake, or a new or empty folder for one (e.g. --store ${DEFAULT_LAKE_DIR})`
      );
    case 'unmarked-lake':
      return use === 'fresh'
        ? `--store ${spec}: ${dir} holds a lake's folders (${someNames(state.entries)}) but no ${LAKE_MARKER_KEY}, so ${command} cannot tell it made them and will not empty it; ` +
            `delete the folder yourself for a fresh start, or add to it with --keep`
        : undefined;
    case 'lake':
      return undefined;
  }
}

/**
 * Asks each bucket of an S3 lake whether it is there before any work, so that a wrong endpoint,
 * bucket or credentials is one clear message instead of a bare socket error halfway. A bucket that
 * refuses the question (403: a role that may only put objects) is left to the real requests.
 */
async function checkBuckets(lake: Lake, env: NodeJS.ProcessEnv): Promise<void> {
  const stores = [...new Set(Object.keys(BUCKET_OF_AREA).map((area) => lake.store(area as keyof typeof BUCKET_OF_AREA)))];
  for (const store of stores) {
    if (!(store instanceof S3ObjectStore)) continue;
    try {
      await store.client.send(new HeadBucketCommand({ Bucket: store.bucket }));
    } catch (error) {
      const problem = bucketProblem(store.bucket, error, env);
      if (problem !== undefined) throw new Error(problem);
    }
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function bucketProblem(bucket: string, error: unknown, env: NodeJS.ProcessEnv): string | undefined {
  const variable = s3EndpointVariable(env);
  const server = variable === undefined ? 'AWS S3' : `the S3 server ${env[variable]?.trim()} (${variable})`;
  const code = errorCode(error);
  const status = httpStatus(error);
  if (code !== undefined && UNREACHABLE.has(code)) {
    const fix = variable === undefined ? 'check the network and AWS_REGION' : `start that server, or correct or unset ${variable}`;
    return `cannot reach ${server} for bucket "${bucket}": ${code}; ${fix}`;
  }
  if (status === 404 || (error instanceof Error && (error.name === 'NoSuchBucket' || error.name === 'NotFound'))) {
    return `bucket "${bucket}" does not exist on ${server}; check the bucket names in --store (a stage's: pulumi stack output), or create it`;
  }
  if (error instanceof Error && error.name === 'CredentialsProviderError') {
    return `no AWS credentials for bucket "${bucket}" on ${server}: ${error.message}; set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (error instanceof Error && /region is missing/i.test(error.message)) {
    return `no AWS region for bucket "${bucket}" on ${server}; set AWS_REGION, e.g. AWS_REGION=eu-west-1`;
  }
  if (status === 403 || status === 301 || status === 400) return undefined;
  return `cannot use bucket "${bucket}" on ${server}: ${error instanceof Error ? error.message || error.name : String(error)}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}
