/**
 * The AWS twin shared by every suite of one test run: ONE moto server (S3 and Glue on loopback) and ONE
 * Trino (Athena's engine), each started by the first suite that asks and stopped after the last test
 * (a mocha root hook, registered in .mocharc). Suites share the servers but never a bucket, a Glue
 * database or a Trino catalog: each asks for fresh ones.
 */
import { startMotoServer, type RunningMoto } from '../twin/moto-server';
import { startTrino, type RunningTrino } from '../twin/trino/server';

let moto: Promise<RunningMoto> | undefined;
let trino: Promise<RunningTrino> | undefined;
let buckets = 0;

/** The run's moto server, started on first use. */
export function sharedMoto(): Promise<RunningMoto> {
  moto ??= startMotoServer();
  return moto;
}

/** A new, empty bucket on the shared server, named `<label>-<n>` (S3 rules: lower case, 3–63 characters). */
export async function freshBucket(label: string): Promise<string> {
  const server = await sharedMoto();
  const name = `${label}-${++buckets}`;
  await server.createBucket(name);
  return name;
}

/** Fresh raw, processed and results buckets for an S3 lake. */
export async function freshLakeBuckets(label: string): Promise<{ raw: string; processed: string; results: string }> {
  return { raw: await freshBucket(`${label}-raw`), processed: await freshBucket(`${label}-processed`), results: await freshBucket(`${label}-results`) };
}

/**
 * The run's Trino, started on first use (installing it into the cache first if needed: about 450 MB
 * from Maven Central, once per machine). A suite that uses it gives its `before` hook a few minutes.
 */
export function sharedTrino(): Promise<RunningTrino> {
  trino ??= startTrino();
  return trino;
}

let names = 0;

/** A name no other suite of this run uses, for a Glue database or a Trino catalog: `<label>_<n>`. */
export function freshName(label: string): string {
  return `${label}_${++names}`;
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    const [runningMoto, runningTrino] = [moto, trino];
    moto = undefined;
    trino = undefined;
    await Promise.all([
      runningMoto?.then((server) => server.stop(), () => undefined),
      runningTrino?.then((server) => server.close(), () => undefined),
    ]);
  },
};
