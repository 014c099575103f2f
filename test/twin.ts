/**
 * The AWS twin shared by every suite of one test run: ONE moto server (S3 on loopback), started by the
 * first suite that asks and stopped after the last test (a mocha root hook, registered in .mocharc).
 * Suites share the server but never a bucket: each asks for fresh ones.
 */
import { startMotoServer, type RunningMoto } from '../twin/moto-server';

let moto: Promise<RunningMoto> | undefined;
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

export const mochaHooks = {
  async afterAll(): Promise<void> {
    const running = moto;
    moto = undefined;
    if (running !== undefined) await (await running).stop();
  },
};
