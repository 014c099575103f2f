/**
 * The AWS twin shared by every suite of one test run: ONE moto server (S3 on loopback) and ONE local
 * Spark (a JVM running etl/glue_job.py jobs), each started by the first suite that asks and stopped
 * after the last test (a mocha root hook, registered in .mocharc). Suites share them but never a
 * bucket or a lake: each asks for fresh ones.
 */
import { SparkRunner } from '../etl/spark-engine';
import { startMotoServer, type RunningMoto } from '../twin/moto-server';

let moto: Promise<RunningMoto> | undefined;
let spark: Promise<SparkRunner> | undefined;
let buckets = 0;

/** The run's moto server, started on first use. */
export function sharedMoto(): Promise<RunningMoto> {
  moto ??= startMotoServer();
  return moto;
}

/** The run's Spark, started on first use (it reaches the shared moto server). */
export function sharedSpark(): Promise<SparkRunner> {
  spark ??= sharedMoto().then((server) => SparkRunner.start(server.env, '1g'));
  return spark;
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
    const runner = spark;
    spark = undefined;
    if (runner !== undefined) await (await runner).stop();
    const running = moto;
    moto = undefined;
    if (running !== undefined) await (await running).stop();
  },
};
