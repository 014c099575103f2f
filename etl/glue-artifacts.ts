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
import { EVENTS, REJECTED_EVENTS } from '../model/tables';
import { EARLIEST_ACCEPTED_TIMESTAMP, FUTURE_TOLERANCE_SECONDS } from '../model/validate';
import { INPUT_EXTENSIONS } from './lines';
import { LEASE_PREFIX } from './protocol/lease';
import { OPEN_PREFIX, RUNS_PREFIX } from './protocol/run-state';
import { renderSparkSql, SETTLE_STEPS, STATEMENT_MARKER, STEPS } from './transform';

export const GLUE_SCRIPT = 'glue_job.py';
export const GLUE_HELPERS = 'glue_helpers.py';
export const SPARK_SQL = 'transform.spark.sql';
export const GLUE_CONFIG = 'etl_config.json';

export interface GlueArtifact {
  /** File name; the infrastructure chooses the key prefix. */
  readonly name: string;
  readonly body: string;
  readonly contentType: string;
}

/** The settings the Glue job reads from GLUE_CONFIG; etl/glue_helpers.py documents each. */
export function glueConfig(): Record<string, unknown> {
  return {
    prefixes: PREFIXES,
    bucketOfArea: BUCKET_OF_AREA,
    locationsKey: LOCATIONS_KEY,
    eventsPrefix: EVENTS.prefix,
    eventsArea: EVENTS.area,
    rejectedPrefix: REJECTED_EVENTS.prefix,
    rejectedArea: REJECTED_EVENTS.area,
    inputExtensions: INPUT_EXTENSIONS,
    earliestAcceptedTimestamp: EARLIEST_ACCEPTED_TIMESTAMP,
    futureToleranceSeconds: FUTURE_TOLERANCE_SECONDS,
    leasePrefix: LEASE_PREFIX,
    openPrefix: OPEN_PREFIX,
    runsPrefix: RUNS_PREFIX,
    stagingPrefix: `${PREFIXES.etl}staging/`,
    statementMarker: STATEMENT_MARKER,
    steps: STEPS,
    settleSteps: SETTLE_STEPS,
    unreadableFileDetail: UNREADABLE_FILE_DETAIL,
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
}

/** The job's DefaultArguments (the script itself is the job's ScriptLocation: codePrefix + GLUE_SCRIPT). */
export function glueJobArguments(input: GlueJobArgumentsInput): Record<string, string> {
  return {
    '--raw_bucket': input.buckets.raw,
    '--processed_bucket': input.buckets.processed,
    '--results_bucket': input.buckets.results,
    '--code_bucket': input.codeBucket,
    '--sql_key': `${input.codePrefix}${SPARK_SQL}`,
    '--config_key': `${input.codePrefix}${GLUE_CONFIG}`,
    '--database': input.database,
    '--format': input.format ?? 'parquet',
    '--max_batch_mb': String(input.maxBatchMb ?? 4096),
    '--extra-py-files': `s3://${input.codeBucket}/${input.codePrefix}${GLUE_HELPERS}`,
  };
}
