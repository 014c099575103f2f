/**
 * A real S3-protocol server for tests: s3rver on 127.0.0.1, a random port, a fresh temp folder, silent.
 *
 * It runs in a child process for two reasons: s3rver's ListObjectsV2 continuation tokens use DES,
 * which Node 17+ (OpenSSL 3) only offers with `--openssl-legacy-provider` (a flag the test process
 * should not carry), and a second process lets server and client use both cores.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { S3ClientOptions, createS3Client } from '../../store/s3-store';

export interface RunningS3rver {
  /** Client options that reach this server (endpoint, path style, its fixed credentials). */
  readonly clientOptions: S3ClientOptions;
  readonly endpoint: string;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** s3rver accepts only these credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export async function startS3rver(): Promise<RunningS3rver> {
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--require', require.resolve('tsx/cjs'), path.join(__dirname, 's3rver-server.ts'), directory],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    exited.then(([code]) => Promise.reject(new Error(`s3rver exited with code ${code} before listening`))),
  ])) as [string];
  const { port } = JSON.parse(line) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const clientOptions: S3ClientOptions = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    maxAttempts: 2,
    // s3rver ignores If-None-Match on PUT; see S3ClientOptions.conditionalWrites.
    conditionalWrites: false,
  };
  const client = createS3Client(clientOptions);
  return {
    clientOptions,
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      child.stdin.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
