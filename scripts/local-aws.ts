/**
 * `npm run local -- --engine aws`: the pipeline through the code that runs on AWS, on loopback. A moto
 * server is S3 and the Glue Data Catalog; the generator writes over the S3 API with the EC2 instance's
 * S3 client; the Glue job (etl/glue_job.py) runs on local Spark with the deployed job's arguments; the
 * Glue tables are created with the stage's table inputs; the named queries run on Trino (Athena's
 * engine) reading those tables; the dashboard's datasets run there too, as QuickSight sends them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { terminalProgress } from '../cli/progress';
import { runSparkEtl, SPARK_JARS, sparkJarsDir, SparkRunner } from '../etl/spark-engine';
import { formatSummary, type EtlSummary } from '../etl/summary';
import { localDatasetOptions } from '../generator/dataset';
import { runGenerator, type GenerateOptions, type GenerateSummary } from '../generator/run';
import { S3PutClient } from '../generator/s3-put-client';
import { progressUpdate as generatorProgress, summaryText } from '../generator/summary-text';
import { databaseName, TABLES } from '../model/tables';
import { runAll } from '../queries/run-all';
import type { QueryResult } from '../queries/result';
import { runTrinoNamedQuery } from '../queries/trino-runner';
import { s3Lake, type Lake } from '../store/lake';
import { motoEndpoint } from '../twin/aws-endpoint';
import { MOTO_CREDENTIALS, MOTO_REGION, startMotoServer, type RunningMoto } from '../twin/moto-server';
import { VENV_PYTHON } from '../twin/python';
import { TRINO_VERSION, trinoHome } from '../twin/trino/install';
import { openTrinoLake, type TrinoLake } from '../twin/trino/lake';
import { startTrino, type RunningTrino } from '../twin/trino/server';
import { uploadReference } from './local-setup';

export type Print = (text: string) => void;

/** The three servers the AWS pipeline runs on. */
export interface AwsTwinServers {
  readonly moto: RunningMoto;
  readonly spark: SparkRunner;
  readonly trino: RunningTrino;
}

const SETUP_FIX = 'run npm run setup (it installs the Python environment, Spark\'s S3 jars and Trino, once per machine)';

/** What this machine lacks to run the AWS pipeline, each naming the fix; empty when nothing is missing. */
export function awsTwinProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  if (!existsSync(VENV_PYTHON)) problems.push(`the Python environment (moto, pyspark) is missing: ${VENV_PYTHON} does not exist`);
  const jars = SPARK_JARS.map((name) => join(sparkJarsDir(env), name)).filter((jar) => !existsSync(jar));
  if (jars.length > 0) problems.push(`Spark's S3 jars are missing: ${jars.join(', ')}`);
  const trino = trinoHome(env);
  if (!existsSync(join(trino, 'INSTALLED'))) problems.push(`Trino ${TRINO_VERSION} (Athena's engine) is not installed in ${trino}`);
  return problems;
}

function seconds(startedMs: number): string {
  return `${((performance.now() - startedMs) / 1000).toFixed(1)} s`;
}

/**
 * Starts moto, then Spark (which reaches moto's S3) beside Trino, each on 127.0.0.1 on a free port.
 * Refuses to start, naming `npm run setup`, when a part is not installed. `stop` stops all three.
 */
export async function startAwsTwinServers(print: Print): Promise<AwsTwinServers & { stop(): Promise<void> }> {
  const problems = awsTwinProblems();
  if (problems.length > 0) throw new Error(`the AWS pipeline cannot run on this machine: ${problems.join('; ')}; ${SETUP_FIX}`);
  const started: { moto?: RunningMoto; spark?: SparkRunner; trino?: RunningTrino } = {};
  const stop = async () => {
    await Promise.all([started.spark?.stop(), started.trino?.close()]);
    await started.moto?.stop();
  };
  try {
    let at = performance.now();
    started.moto = await startMotoServer();
    print(`moto (S3 and Glue APIs)  ${started.moto.endpoint}  (${seconds(at)})\n`);
    at = performance.now();
    const moto = started.moto;
    await Promise.all([
      SparkRunner.start(moto.env).then((spark) => {
        started.spark = spark;
        print(`Spark 3.5 (local[2])      ready  (${seconds(at)})\n`);
      }),
      startTrino().then((trino) => {
        started.trino = trino;
        print(`Trino ${trino.version} (Athena)     ${trino.url}  (${seconds(at)})\n`);
      }),
    ]);
    return { moto, spark: started.spark as SparkRunner, trino: started.trino as RunningTrino, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface AwsPipelineOptions {
  readonly days: number;
  readonly seed: string;
  readonly faultRate: number;
  readonly detail: 'summary' | 'full';
  readonly print: Print;
  /** Bucket, Glue database and Trino catalog names (tests give fresh ones; the buckets must not exist). */
  readonly names?: { readonly buckets: { readonly raw: string; readonly processed: string; readonly results: string }; readonly database: string; readonly catalog: string };
  /** Called when a step begins: `== <n>. <title>`, then the step's lines and its time. */
  readonly step?: (title: string) => void;
  /** Tests: a smaller audience than `npm run local`'s 50,000 users (fewer events for the same days). */
  readonly dataset?: Pick<GenerateOptions, 'users' | 'events'>;
}

export interface AwsPipelineRun {
  /** The S3 lake on moto. */
  readonly lake: Lake;
  /** The lake's Glue tables opened on Trino (close it to drop the Trino catalog). */
  readonly athena: TrinoLake;
  readonly generated: GenerateSummary;
  readonly etl: EtlSummary;
  readonly results: ReadonlyMap<string, QueryResult>;
}

export const AWS_LOCAL_BUCKETS = { raw: 'clickstream-bi-local-raw', processed: 'clickstream-bi-local-processed', results: 'clickstream-bi-local-results' } as const;

/** Steps 2 to 6 of `npm run local -- --engine aws`, on running servers (the CLI's own, or a test run's shared ones). */
export async function runAwsPipeline(servers: AwsTwinServers, options: AwsPipelineOptions): Promise<AwsPipelineRun> {
  const { moto, spark, trino } = servers;
  const { print } = options;
  const names = options.names ?? { buckets: AWS_LOCAL_BUCKETS, database: databaseName('local'), catalog: 'lake' };
  const step = options.step ?? ((title: string) => print(`\n== ${title}\n`));
  const timed = async <T>(title: string, work: () => Promise<T>): Promise<T> => {
    step(title);
    const at = performance.now();
    const value = await work();
    print(`(${seconds(at)})\n`);
    return value;
  };

  const lake = await timed('2. S3 buckets and reference data (moto)', async () => {
    for (const bucket of new Set(Object.values(names.buckets))) await moto.createBucket(bucket);
    const onS3 = s3Lake({ ...moto.clientOptions, buckets: names.buckets });
    const locations = await uploadReference(onS3);
    print(`created ${onS3.description}\nuploaded reference data: ${locations} locations\n`);
    return onS3;
  });

  const days = `${options.days} day${options.days === 1 ? '' : 's'}`;
  const generated = await timed(`3. Generate ${days} of traffic over the S3 API (the EC2 generator's S3 client, gzip as on EC2)`, async () => {
    const sink = new S3PutClient({
      bucket: names.buckets.raw,
      region: MOTO_REGION,
      endpoint: moto.endpoint,
      credentials: () => Promise.resolve(MOTO_CREDENTIALS),
    });
    const progress = terminalProgress('generating');
    // Gzip, as the EC2 settings default to (`npm run local` writes plain JSON lines).
    const dataset = { ...localDatasetOptions(options.days, options.seed, options.faultRate), gzip: true, ...options.dataset };
    const summary = await runGenerator(sink, dataset, (update) =>
      progress.update(generatorProgress(update)),
    ).finally(() => progress.stop());
    print(`${summaryText(summary)}\n`);
    if (summary.lostEvents > 0) throw new Error(`the generator could not write ${summary.lostEvents} events to ${sink.description}; see the summary above`);
    return summary;
  });

  const etl = await timed('4. ETL: the Glue job (etl/glue_job.py) on local Spark, with the deployed job\'s arguments', async () => {
    const summary = await runSparkEtl(lake, spark);
    print(formatSummary(summary));
    return summary;
  });

  const athena = await timed('5. Glue Data Catalog: the stage\'s table definitions, read by Trino', async () => {
    const opened = await openTrinoLake(lake, {
      trinoUrl: trino.url,
      glue: motoEndpoint(moto),
      s3: motoEndpoint(moto),
      database: names.database,
      catalog: names.catalog,
    });
    print(`Glue database ${names.database}: ${TABLES.map((table) => table.name).join(', ')}\n`);
    return opened;
  });

  const results = await timed('6. Named queries on Trino (Athena\'s engine), parameters bound as Athena binds them', async () =>
    runAll(async (query) => (await runTrinoNamedQuery(athena, query)).result, { print, detail: options.detail }),
  );
  return { lake, athena, generated, etl, results };
}
