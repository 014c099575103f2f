/**
 * The Spark part of `npm run bench:etl` (issue 12): the Glue job (etl/glue_job.py) on local Spark, as
 * `npm run etl -- --engine spark` runs it, on the same generated files the DuckDB ETL reads, in the
 * same benchmark run. The job runs in a child process (`tsx bench/etl-spark.ts --dir <lake>`) that
 * starts its own Spark (one JVM, local[2]) and reports the job's seconds and the peak resident memory
 * of the runner's whole process tree: the Python driver, the JVM and Spark's Python workers, summed
 * (SparkRunner.usage()). The JVM's start is timed apart: a Glue job pays it too, but it does not grow
 * with the input.
 */
import '../cli/supported-node';
import { runJsonChild } from './child-process';
import { linkSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runSparkEtl, SparkRunner } from '../etl/spark-engine';
import { localLake } from '../store/lake';

export interface SparkFigures {
  readonly linesRead: number;
  readonly loaded: number;
  readonly rejected: number;
  readonly duplicates: number;
  /** The job alone, from its start to its summary. */
  readonly seconds: number;
  /** CPU of the runner's process tree (JVM, Python driver and workers), JVM start included. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly jvmStartSeconds: number;
}

/** The figures the comparison needs of the DuckDB ETL's run on the same files. */
export interface DuckDbEtlFigures {
  readonly linesRead: number;
  readonly loaded: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/**
 * A second lake with the same raw files as `fromDir`, as hard links (no copy of the bytes): each
 * engine moves its own lake's inputs to processed/ without touching the other's.
 */
export function linkRawInputs(fromDir: string, toDir: string): void {
  const raw = path.join(fromDir, 'raw');
  for (const entry of readdirSync(raw, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = path.join(entry.parentPath, entry.name);
    const target = path.join(toDir, path.relative(fromDir, source));
    mkdirSync(path.dirname(target), { recursive: true });
    linkSync(source, target);
  }
}

/** Runs the Spark child on the lake in `dir` (its own process, so its memory is its own). */
export function measureSpark(dir: string, now: Date): Promise<SparkFigures> {
  const args = [path.join(__dirname, '..', 'node_modules', '.bin', 'tsx'), __filename, '--dir', dir, '--now', String(now.getTime())];
  return runJsonChild<SparkFigures>(args, 'the Spark child process (bench/etl-spark.ts)');
}

const number = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Table rows (the columns of bench/etl.ts) for Spark beside the DuckDB ETL, and Spark / DuckDB. */
export function sparkRows(input: string, files: number, duck: DuckDbEtlFigures, spark: SparkFigures): string[][] {
  return [
    [input, 'Spark (Glue job)', number(files), number(spark.linesRead), number(spark.loaded), spark.seconds.toFixed(2), number(spark.linesRead / spark.seconds), spark.cpuSeconds.toFixed(1), `${number(spark.peakRssMb)} MB`],
    [input, 'Spark / DuckDB ETL', '', '', '', (spark.seconds / duck.seconds).toFixed(2), (duck.linesRead / duck.seconds / (spark.linesRead / spark.seconds)).toFixed(2), (spark.cpuSeconds / duck.cpuSeconds).toFixed(2), (spark.peakRssMb / duck.peakRssMb).toFixed(2)],
  ];
}

/** Lines under the table: what the Spark rows measure, and whether both engines agreed on the counts. */
export function sparkNotes(duck: DuckDbEtlFigures, spark: SparkFigures): string[] {
  const agree = duck.linesRead === spark.linesRead && duck.loaded === spark.loaded;
  return [
    `Spark = etl/glue_job.py on local Spark (pyspark 3.5.4, local[2], driver heap 2g), seconds of the job alone (JVM start ${spark.jvmStartSeconds.toFixed(1)} s apart); ` +
      'its CPU and peak RSS are the JVM and Python processes\' together. The Spark / DuckDB events/s column is how many times faster DuckDB is.',
    agree
      ? `both engines read ${number(spark.linesRead)} lines and loaded ${number(spark.loaded)} events`
      : `the engines DISAGREE: DuckDB read ${number(duck.linesRead)} and loaded ${number(duck.loaded)}, Spark read ${number(spark.linesRead)} and loaded ${number(spark.loaded)}`,
  ];
}

async function child(dir: string, now: Date): Promise<SparkFigures> {
  const started = performance.now();
  const runner = await SparkRunner.start();
  const jvmStartSeconds = (performance.now() - started) / 1000;
  try {
    const summary = await runSparkEtl(localLake(dir), runner, { now });
    const usage = await runner.usage();
    return {
      linesRead: summary.linesRead,
      loaded: summary.loaded,
      rejected: summary.rejectedTotal,
      duplicates: summary.duplicatesTotal,
      seconds: summary.seconds,
      cpuSeconds: usage.cpuSeconds,
      peakRssMb: usage.peakRssMb,
      jvmStartSeconds,
    };
  } finally {
    await runner.stop();
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, now: { type: 'string' } } });
  child(values.dir ?? '', new Date(Number(values.now))).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      process.stderr.write(`bench:etl (Spark): ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
