/**
 * The AWS engine, run here: etl/glue_job.py on local Spark (pyspark 3.5.4 from .venv, as on Glue 5.0),
 * with the job arguments the deployed Glue job gets (glueJobArguments, the function the Pulumi
 * component calls) and the artifacts it uploads (glueArtifacts), on a folder lake or an S3 lake.
 *
 * A SparkRunner is one JVM (etl/spark_local.py serve) that runs many jobs, side by side if asked: a
 * test run shares one; `npm run etl -- --engine spark` starts one for its run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Lake } from '../store/lake';
import { FsObjectStore } from '../store/fs-store';
import { S3ObjectStore } from '../store/s3-store';
import { venvPython } from '../twin/python';
import type { OutputFormat } from './duckdb-engine';
import { GLUE_CODE_PREFIX, glueArtifacts, glueJobArguments, SPARK_SQL } from './glue-artifacts';
import { CrashInjectedError, type CrashPoint } from './protocol/crash';
import { DEFAULT_MAX_BATCH_BYTES, summarize, type BatchResult } from './run';
import type { EtlSummary } from './summary';

/** hadoop-aws matching pyspark 3.5.4's Hadoop (3.3.4), and the AWS SDK bundle it was built with. */
export const SPARK_JARS = ['hadoop-aws-3.3.4.jar', 'aws-java-sdk-bundle-1.12.262.jar'] as const;

export function sparkJarsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.CLICKSTREAM_CACHE ?? path.join(homedir(), '.cache', 'clickstream-bi'), 'jars');
}

function sparkJars(): string[] {
  const jars = SPARK_JARS.map((name) => path.join(sparkJarsDir(), name));
  const missing = jars.filter((jar) => !existsSync(jar));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: Spark cannot reach S3 without them; run scripts/spark-jars.sh`);
  return jars;
}

/** Glue arguments Glue itself consumes (the job never sees them): the local runner provides their effect. */
const CONSUMED_BY_GLUE = new Set(['--extra-py-files', '--additional-python-modules']);

export interface SparkEtlOptions {
  readonly format?: OutputFormat;
  readonly now?: Date;
  /** Fixed clock for leases and records, in milliseconds (tests); default the wall clock. */
  readonly clockMs?: number;
  readonly leaseSeconds?: number;
  readonly maxBatchBytes?: number;
  /** Tests: stop as a crash would at this point of the first run. */
  readonly crashAt?: CrashPoint;
  /**
   * Tests: Spark SQL settings put over the job's own for this run, e.g.
   * `spark.sql.parquet.outputTimestampType: INT96` for a lake as Spark writes it by default. Glue never gets them.
   */
  readonly sparkConf?: Readonly<Record<string, string>>;
  /** Tests: rewrites the transform SQL the job is given, e.g. Spark's default TIMESTAMP for the job's TIMESTAMP_NTZ. */
  readonly rewriteSql?: (sql: string) => string;
}

export class EtlJobError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = kind;
  }
}

interface JobReply {
  readonly id: number;
  readonly ok: boolean;
  readonly summary?: { runs: (BatchResult & { readonly inputs: number })[]; recovered: EtlSummary['recovered']; ignored: string[]; seconds: number };
  readonly kind?: string;
  readonly error?: string;
  readonly peakRssMb?: number;
  readonly cpuSeconds?: number;
}

export class SparkRunner {
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: JobReply) => void>();
  private stderr = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly exited: Promise<unknown[]>,
  ) {}

  /** Starts the JVM; `env` reaches S3 (AWS_ENDPOINT_URL_S3, credentials), `memory` is the driver's heap. */
  static async start(env: Readonly<Record<string, string>> = {}, memory = '2g'): Promise<SparkRunner> {
    const child = spawn(venvPython(), [path.join(__dirname, 'spark_local.py'), 'serve'], {
      env: { ...process.env, ...env, SPARK_LOCAL_JARS: sparkJars().join(path.delimiter), SPARK_DRIVER_MEMORY: memory, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const runner = new SparkRunner(child, once(child, 'exit'));
    child.stderr.on('data', (chunk: Buffer) => {
      runner.stderr = `${runner.stderr}${chunk.toString()}`.slice(-20_000);
    });
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        const message = JSON.parse(line) as { ready?: boolean } & JobReply;
        if (message.ready === true) resolve();
        else runner.waiting.get(message.id)?.(message);
      });
      void runner.exited.then(([code]) => {
        const error = new Error(`local Spark (etl/spark_local.py) exited with code ${String(code)}: ${runner.stderr.trim().slice(-3000)}`);
        reject(error);
        for (const resolve of runner.waiting.values()) resolve({ id: -1, ok: false, kind: 'Error', error: error.message });
      });
    });
    await ready;
    return runner;
  }

  /**
   * Runs glue_job.py once with these job arguments, on a folder lake (`folder`) or S3 (`endpoint`, or
   * AWS); `conf` (tests) is set over the job's own Spark settings.
   */
  async run(
    argv: readonly string[],
    where: { folder?: string; endpoint?: string },
    conf: Readonly<Record<string, string>> = {},
  ): Promise<NonNullable<JobReply['summary']>> {
    const id = ++this.nextId;
    const reply = new Promise<JobReply>((resolve) => this.waiting.set(id, resolve));
    this.child.stdin.write(`${JSON.stringify({ id, argv, folder: where.folder ?? null, endpoint: where.endpoint ?? null, conf })}\n`);
    const answer = await reply.finally(() => this.waiting.delete(id));
    if (answer.ok && answer.summary) return answer.summary;
    throw new EtlJobError(answer.kind ?? 'Error', answer.error ?? 'the Spark job failed without a message');
  }

  /** Peak resident memory (MB, summed) and CPU seconds so far of the runner's process tree: Python driver, JVM, Python workers. */
  async usage(): Promise<{ peakRssMb: number; cpuSeconds: number }> {
    const id = ++this.nextId;
    const reply = new Promise<JobReply>((resolve) => this.waiting.set(id, resolve));
    this.child.stdin.write(`${JSON.stringify({ id, stats: true })}\n`);
    const answer = await reply.finally(() => this.waiting.delete(id));
    return { peakRssMb: answer.peakRssMb ?? Number.NaN, cpuSeconds: answer.cpuSeconds ?? Number.NaN };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.stdin.end();
    await this.exited;
  }
}

/** Where the job's inputs are: the lake's buckets (or its folder) and its code location. */
function lakeTarget(lake: Lake): { folder?: string; endpoint?: string; buckets: { raw: string; processed: string; results: string } } {
  const raw = lake.store('raw');
  const processed = lake.store('processed');
  const results = lake.store('results');
  if (raw instanceof FsObjectStore && processed === raw && results === raw) {
    // FolderObjects ignores bucket names: every area is in the one folder.
    return { folder: raw.rootDir, buckets: { raw: 'raw', processed: 'processed', results: 'results' } };
  }
  if (raw instanceof S3ObjectStore && processed instanceof S3ObjectStore && results instanceof S3ObjectStore) {
    return { endpoint: raw.endpoint, buckets: { raw: raw.bucket, processed: processed.bucket, results: results.bucket } };
  }
  throw new Error(`${lake.description}: the Spark engine runs on a folder lake or an S3 lake; give --store a folder or s3:// buckets`);
}

/** What the Spark JVM needs to reach the lake's S3 server (S3A reads AWS_ENDPOINT_URL_S3 at start). */
export function sparkEnvFor(lake: Lake): Record<string, string> {
  const { endpoint } = lakeTarget(lake);
  return endpoint === undefined ? {} : { AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' };
}

/** Uploads the artifacts as the Pulumi component does, then runs the job once; the summary is the DuckDB engine's. */
export async function runSparkEtl(lake: Lake, runner: SparkRunner, options: SparkEtlOptions = {}): Promise<EtlSummary> {
  const target = lakeTarget(lake);
  const code = lake.store('results');
  for (const artifact of glueArtifacts()) {
    const body = artifact.name === SPARK_SQL && options.rewriteSql ? options.rewriteSql(artifact.body) : artifact.body;
    await code.put(`${GLUE_CODE_PREFIX}${artifact.name}`, body, { contentType: artifact.contentType });
  }
  const format = options.format ?? 'parquet';
  const args = glueJobArguments({
    buckets: target.buckets,
    codeBucket: target.buckets.results,
    codePrefix: GLUE_CODE_PREFIX,
    database: 'local',
    format,
    maxBatchMb: Math.max(1, Math.round((options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES) / 1024 ** 2)),
  });
  const local: Record<string, string | undefined> = {
    '--now': options.now === undefined ? undefined : String(Math.floor(options.now.getTime() / 1000)),
    '--lease_seconds': options.leaseSeconds === undefined ? undefined : String(options.leaseSeconds),
    '--clock_ms': options.clockMs === undefined ? undefined : String(options.clockMs),
    '--crash_at': options.crashAt,
  };
  const argv = Object.entries({ ...args, ...local }).flatMap(([name, value]) => (value === undefined || CONSUMED_BY_GLUE.has(name) ? [] : [name, value]));
  let summary;
  try {
    summary = await runner.run(argv, target, options.sparkConf);
  } catch (error) {
    if (error instanceof EtlJobError && error.kind === 'CrashInjectedError' && options.crashAt !== undefined) throw new CrashInjectedError(options.crashAt);
    throw error;
  }
  const files = summary.runs.reduce((sum, run) => sum + run.inputs, 0);
  const result = summarize(lake, format, summary.runs, summary.recovered, summary.ignored, [], summary.seconds);
  return { ...result, files };
}
