/**
 * What the AWS side of the ETL needs, for the infrastructure to upload and wire: the Glue script, its
 * helper module, the Spark rendering of the transform and the configuration both read (key layout,
 * accepted window, input extensions), all rendered here from the model so that nothing is copied by
 * hand into Python.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUCKET_OF_AREA, LOCATIONS_KEY, PREFIXES } from '../model/layout';
import { UNREADABLE_FILE_DETAIL } from '../model/reasons';
import { EVENTS, REJECTED_EVENTS, SESSION_DAYS } from '../model/tables';
import { EARLIEST_ACCEPTED_TIMESTAMP, FUTURE_TOLERANCE_SECONDS } from '../model/validate';
import { sparkCsvDouble } from './dialect';
import { INPUT_EXTENSIONS } from './lines';
import { CRASH_POINTS } from './protocol/crash';
import { KEEP_GENERATIONS, LEASE_PREFIX } from './protocol/lease';
import { OPEN_PREFIX, RUNS_PREFIX } from './protocol/run-state';
import { DEFAULT_MAX_BATCH_BYTES } from './run';
import { renderSparkSql, SETTLE_STEPS, STATEMENT_MARKER, STEPS } from './transform';

export const GLUE_SCRIPT = 'glue_job.py';
export const GLUE_HELPERS = 'glue_helpers.py';
export const SPARK_SQL = 'transform.spark.sql';
export const GLUE_CONFIG = 'etl_config.json';
/** Where the artifacts live in the results bucket (on AWS) or the lake folder (local Spark runs). */
export const GLUE_CODE_PREFIX = '_code/etl/';

export interface GlueArtifact {
  /** File name; the infrastructure chooses the key prefix. */
  readonly name: string;
  readonly body: string;
  readonly contentType: string;
}

/** Where csvDoubleSql names its column: glue_job.py csv_frame puts each double column's name there. */
const CSV_COLUMN = '{column}';

/** The settings the Glue job reads from GLUE_CONFIG; etl/glue_helpers.py documents each. */
export function glueConfig(): Record<string, unknown> {
  return {
    prefixes: PREFIXES,
    bucketOfArea: BUCKET_OF_AREA,
    locationsKey: LOCATIONS_KEY,
    eventsPrefix: EVENTS.prefix,
    eventsArea: EVENTS.area,
    sessionDaysPrefix: SESSION_DAYS.prefix,
    sessionDaysArea: SESSION_DAYS.area,
    rejectedPrefix: REJECTED_EVENTS.prefix,
    rejectedArea: REJECTED_EVENTS.area,
    inputExtensions: INPUT_EXTENSIONS,
    earliestAcceptedTimestamp: EARLIEST_ACCEPTED_TIMESTAMP,
    futureToleranceSeconds: FUTURE_TOLERANCE_SECONDS,
    leasePrefix: LEASE_PREFIX,
    leaseKeepGenerations: KEEP_GENERATIONS,
    crashPoints: CRASH_POINTS,
    openPrefix: OPEN_PREFIX,
    runsPrefix: RUNS_PREFIX,
    stagingPrefix: `${PREFIXES.etl}staging/`,
    statementMarker: STATEMENT_MARKER,
    steps: STEPS,
    settleSteps: SETTLE_STEPS,
    unreadableFileDetail: UNREADABLE_FILE_DETAIL,
    csvDoubleSql: sparkCsvDouble(CSV_COLUMN),
  };
}

export function glueArtifacts(): GlueArtifact[] {
  const python = (name: string): GlueArtifact => ({ name, body: readFileSync(join(__dirname, name), 'utf8'), contentType: 'text/x-python' });
  return [
    python(GLUE_SCRIPT),
    python(GLUE_HELPERS),
    { name: SPARK_SQL, body: renderSparkSql(), contentType: 'application/sql' },
    { name: GLUE_CONFIG, body: `${JSON.stringify(glueConfig(), null, 2)}\n`, contentType: 'application/json' },
  ];
}

export interface GlueJobArgumentsInput {
  readonly buckets: { readonly raw: string; readonly processed: string; readonly results: string };
  /** Bucket and key prefix (ending in `/`) where the artifacts were uploaded. */
  readonly codeBucket: string;
  readonly codePrefix: string;
  readonly database: string;
  readonly format?: 'parquet' | 'csv';
  readonly maxBatchMb?: number;
  /**
   * The job's timeout. The lease lasts as long, so a run is never taken over while Glue still lets it
   * run (a large batch can take longer than the local engine's 30 minutes); Glue ends it by then.
   */
  readonly timeoutMinutes?: number;
}

/** The pinned requirements: what Glue 5.0 provides, then, below ADDITIONAL_MARKER, what the job adds. */
export const GLUE_REQUIREMENTS_PATH = join(__dirname, '..', 'python', 'requirements-glue.txt');
const ADDITIONAL_MARKER = '# additional-python-modules';

/** The `name==version` lines the job installs with --additional-python-modules (none when Glue provides all). */
export function additionalPythonModules(text = readFileSync(GLUE_REQUIREMENTS_PATH, 'utf8')): string[] {
  const lines = text.split('\n').map((line) => line.trim());
  const marker = lines.indexOf(ADDITIONAL_MARKER);
  if (marker < 0) throw new Error(`${GLUE_REQUIREMENTS_PATH} has no "${ADDITIONAL_MARKER}" line; restore it above the modules the job adds`);
  return lines.slice(marker + 1).filter((line) => line !== '' && !line.startsWith('#'));
}

/** The job's DefaultArguments (the script itself is the job's ScriptLocation: codePrefix + GLUE_SCRIPT). */
export function glueJobArguments(input: GlueJobArgumentsInput): Record<string, string> {
  const modules = additionalPythonModules();
  return {
    '--raw_bucket': input.buckets.raw,
    '--processed_bucket': input.buckets.processed,
    '--results_bucket': input.buckets.results,
    '--code_bucket': input.codeBucket,
    '--sql_key': `${input.codePrefix}${SPARK_SQL}`,
    '--config_key': `${input.codePrefix}${GLUE_CONFIG}`,
    '--database': input.database,
    '--format': input.format ?? 'parquet',
    '--max_batch_mb': String(input.maxBatchMb ?? DEFAULT_MAX_BATCH_BYTES / 1024 ** 2),
    ...(input.timeoutMinutes === undefined ? {} : { '--lease_seconds': String(input.timeoutMinutes * 60) }),
    '--extra-py-files': `s3://${input.codeBucket}/${input.codePrefix}${GLUE_HELPERS}`,
    ...(modules.length === 0 ? {} : { '--additional-python-modules': modules.join(',') }),
  };
}
