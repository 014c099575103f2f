/** The options of `npm run etl`, parsed and checked; every error names the flag, the value and the fix. */
import { parseFlags, wholeNumberFlag } from '../cli/flags';
import { DEFAULT_LAKE_DIR } from '../store/lake';
import type { OutputFormat } from './duckdb-engine';
import type { EtlOptions } from './run';

export const USAGE = `Usage: npm run etl -- [options]

Loads raw/ into events (and rejected_events), exactly once, then moves the inputs to processed/.

Options:
  --engine <e>           duckdb (default), or spark: etl/glue_job.py on local Spark, as the Glue job runs it
                         (needs scripts/python-env.sh and scripts/spark-jars.sh)
  --store <spec>         lake to work on: a folder, file:<path>, s3://<bucket> or
                         s3://<raw>,<processed>,<results> (default ${DEFAULT_LAKE_DIR})
  --format <f>           events output: parquet (default) or csv (the original application's format)
  --now <time>           measure the accepted timestamp window from this time (ISO 8601 or epoch
                         seconds) instead of the wall clock, e.g. to reload old data
  --max-batch-mb <n>     most input megabytes per committed run (default 1024)
  --threads <n>          DuckDB threads (default: every core; duckdb only)
  --concurrency <n>      objects read at once (default 16; four times as many are moved at once; duckdb only)
  --lease-seconds <n>    how long a crashed run keeps others out (default 1800)
  --json                 print the summary as JSON
  -h, --help             show this help`;

export const ENGINES = ['duckdb', 'spark'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface EtlCommand {
  readonly help: boolean;
  readonly engine: EngineName;
  readonly json: boolean;
  readonly store: string;
  readonly options: EtlOptions;
}

function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Error(`--now "${value}" is not a time; give ISO 8601 (2026-11-25T12:00:00Z) or epoch seconds (1795000000)`);
  }
  return date;
}

function parseFormat(value: string | undefined): OutputFormat | undefined {
  if (value === undefined || value === 'parquet' || value === 'csv') return value;
  throw new Error(`--format "${value}" is not an output format; use parquet or csv`);
}

export function parseCli(argv: readonly string[]): EtlCommand {
  const values = parseFlags(argv, {
    store: { type: 'string' },
    engine: { type: 'string' },
    format: { type: 'string' },
    now: { type: 'string' },
    'max-batch-mb': { type: 'string' },
    threads: { type: 'string' },
    concurrency: { type: 'string' },
    'lease-seconds': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const maxBatchMb = wholeNumberFlag('max-batch-mb', values['max-batch-mb']);
  const engine = values.engine ?? 'duckdb';
  if (!(ENGINES as readonly string[]).includes(engine)) throw new Error(`--engine "${engine}" is not an engine; use ${ENGINES.join(' or ')}`);
  return {
    help: values.help === true,
    engine: engine as EngineName,
    json: values.json === true,
    store: values.store ?? DEFAULT_LAKE_DIR,
    options: {
      format: parseFormat(values.format),
      now: parseTime(values.now),
      maxBatchBytes: maxBatchMb === undefined ? undefined : maxBatchMb * 1024 * 1024,
      threads: wholeNumberFlag('threads', values.threads),
      concurrency: wholeNumberFlag('concurrency', values.concurrency),
      leaseSeconds: wholeNumberFlag('lease-seconds', values['lease-seconds']),
    },
  };
}
