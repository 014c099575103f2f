/**
 * The S3 API of the AWS twin: moto in server mode (from .venv) on 127.0.0.1, on a free port. Unlike
 * s3rver it honours `If-None-Match: *` on PUT, so conditional writes race as they do on AWS. Used by the
 * tests and by the Spark engine's runs on an S3 lake.
 *
 * moto runs in a child process that stops when its stdin closes, so it never outlives this process.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { S3ClientOptions, createS3Client } from '../store/s3-store';
import { venvPython } from './python';

export interface RunningMoto {
  /** e.g. `http://127.0.0.1:40123` */
  readonly endpoint: string;
  /** Client options that reach this server: endpoint, path style, region, its (any) credentials. */
  readonly clientOptions: S3ClientOptions;
  /** One client for the callers that need a raw one; stores may share it. */
  readonly client: S3Client;
  /** The environment a child process (the Spark job, a CLI) needs to reach this server. */
  readonly env: Readonly<Record<string, string>>;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** moto accepts any credentials; these make the requests signed as on AWS. */
export const MOTO_CREDENTIALS = { accessKeyId: 'twin', secretAccessKey: 'twin-secret' } as const;
export const MOTO_REGION = 'us-east-1';

export async function startMotoServer(): Promise<RunningMoto> {
  const child = spawn(venvPython(), [path.join(__dirname, 'moto_server.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString()}`.slice(-4000);
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    exited.then(([code]) => Promise.reject(new Error(`moto server (twin/moto_server.py) exited with code ${code} before listening: ${stderr.trim()}; run scripts/python-env.sh`))),
  ])) as [string];
  const { port } = JSON.parse(line) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const clientOptions: S3ClientOptions = { endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS, maxAttempts: 2 };
  const client = createS3Client(clientOptions);
  return {
    endpoint,
    clientOptions,
    client,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: MOTO_REGION,
      AWS_DEFAULT_REGION: MOTO_REGION,
    },
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        child.stdin.end();
        await exited;
      }
    },
  };
}
