/**
 * `npm run local`: the whole pipeline on this machine, no cloud: a folder as the object store and
 * DuckDB as the SQL engine. Each step prints what it did. `--engine aws` runs it through the code that
 * runs on AWS instead, on loopback servers (scripts/local-aws.ts).
 */
import '../cli/supported-node';
import { parseFlags, wholeNumberFlag } from '../cli/flags';
import { checkPortFree } from '../cli/port';
import { terminalProgress } from '../cli/progress';
import { localDatasetOptions, LOCAL_DATASET_DAYS, LOCAL_DATASET_FAULT_RATE, LOCAL_DATASET_MAX_DAYS, LOCAL_DATASET_SEED } from '../generator/dataset';
import { runGenerator } from '../generator/run';
import { progressUpdate as generatorProgress, summaryText } from '../generator/summary-text';
import { formatSummary, progressUpdate as etlProgressUpdate } from '../etl/summary';
import { runLocalPipeline } from '../orchestration/local-run';
import { pipelineFailureText, pipelineRunText } from '../orchestration/run-text';
import { runAllLocal } from '../queries/run-all';
import { DEFAULT_HOST, DEFAULT_PORT, startDashboardServer, type DashboardServer } from '../dashboard/server';
import { trinoDatasets } from '../dashboard/trino-datasets';
import { DEFAULT_LAKE_DIR } from '../store/lake';
import type { OpenedLake } from '../store/open-lake';
import { setUpLocalLake } from './local-setup';
import { runAwsPipeline, startAwsTwinServers } from './local-aws';


const USAGE = `Usage: npm run local -- [--engine duckdb|aws] [--store <dir>] [--days <n>] [--seed <text>] [--faults <f>]
                        [--keep] [--full-results] [--port <n>] [--no-serve]

Runs the whole pipeline on this machine: sets up the lake, generates traffic, runs the ETL and the
named queries, then serves the dashboard until Ctrl-C.

  --engine <name>   duckdb (default): a folder lake, the ETL and the queries on DuckDB;
                    aws: the code that runs on AWS, on 127.0.0.1: moto as S3 and Glue, the generator's
                    S3 client, the Glue job on local Spark, the Glue tables, the queries and the
                    dashboard's datasets on Trino (needs npm run setup; the lake lives in moto's
                    memory and ends with the command, so --store and --keep do not apply)
  --store <dir>     folder of the local lake (default ${DEFAULT_LAKE_DIR}); a new or empty folder, or a lake
                    this command set up (only those are emptied)
  --days <n>        days of simulated traffic to generate, 1 to ${LOCAL_DATASET_MAX_DAYS} (default ${LOCAL_DATASET_DAYS})
  --seed <text>     generator seed (default ${LOCAL_DATASET_SEED})
  --faults <f>      fraction of events corrupted per fault kind, to show the quarantine (default ${LOCAL_DATASET_FAULT_RATE}; 0 for none)
  --keep            keep what the lake already holds (default: start from an empty lake)
  --full-results    print every named query's result as a table (default: one line a query)
  --port <n>        port of the dashboard (default ${DEFAULT_PORT}; 0 picks a free one)
  --no-serve        end after the queries instead of serving the dashboard
  -h, --help        show this help`;


const ENGINES = ['duckdb', 'aws'] as const;
type Engine = (typeof ENGINES)[number];

interface LocalOptions {
  readonly engine: Engine;
  /** The --store spec, opened only after every flag is checked. */
  readonly store: string;
  readonly days: number;
  readonly seed: string;
  readonly fresh: boolean;
  readonly faultRate: number;
  readonly port: number;
  readonly serve: boolean;
  readonly fullResults: boolean;
}

function parseOptions(argv: readonly string[]): LocalOptions | undefined {
  const values = parseFlags(argv, {
    engine: { type: 'string', default: 'duckdb' },
    store: { type: 'string' },
    days: { type: 'string', default: String(LOCAL_DATASET_DAYS) },
    seed: { type: 'string', default: LOCAL_DATASET_SEED },
    keep: { type: 'boolean', default: false },
    faults: { type: 'string', default: String(LOCAL_DATASET_FAULT_RATE) },
    port: { type: 'string', default: String(DEFAULT_PORT) },
    'no-serve': { type: 'boolean', default: false },
    'full-results': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return undefined;
  const engine = ENGINES.find((name) => name === values.engine);
  if (engine === undefined) throw new Error(`--engine "${values.engine}" is not an engine; give ${ENGINES.join(' or ')}`);
  if (engine === 'aws' && (values.store !== undefined || values.keep)) {
    throw new Error(`${values.store !== undefined ? '--store' : '--keep'} does not apply to --engine aws: its lake is S3 buckets on the moto server, which end with the command; leave it out, or use --engine duckdb for a lake folder`);
  }
  const days = wholeNumberFlag('days', values.days) ?? LOCAL_DATASET_DAYS;
  if (days > LOCAL_DATASET_MAX_DAYS) throw new Error(`--days "${values.days}" is more than ${LOCAL_DATASET_MAX_DAYS}; give 1 to ${LOCAL_DATASET_MAX_DAYS} days`);
  if (values.seed.trim() === '') throw new Error('--seed is empty; give any text, e.g. --seed demo');
  const faultRate = Number(values.faults);
  if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate > 0.1) {
    throw new Error(`--faults ${values.faults}: must be a fraction from 0 to 0.1`);
  }
  const port = wholeNumberFlag('port', values.port, 0) ?? DEFAULT_PORT;
  if (port > 65_535) throw new Error(`--port "${values.port}" is not a port; give 0 to 65535`);
  return { engine, store: values.store ?? DEFAULT_LAKE_DIR, days, seed: values.seed, fresh: !values.keep, faultRate, port, serve: !values['no-serve'], fullResults: values['full-results'] };
}

const SET_UP_TEXT: Readonly<Record<OpenedLake['setUp'], string>> = {
  created: 'set up a new lake in',
  emptied: 'emptied the lake',
  opened: 'kept the lake',
};

function step(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.serve) {
    await checkPortFree(options.port, DEFAULT_HOST, 'give another with --port <n> (0 picks a free one), or end before the dashboard with --no-serve');
  }
  if (options.engine === 'aws') {
    await runOnAwsTwin(options);
    return;
  }
  step('1. Local lake');
  const { lake, setUp, locations } = await setUpLocalLake(options.store, { fresh: options.fresh });
  process.stdout.write(`${SET_UP_TEXT[setUp]} ${lake.description}\nuploaded reference data: ${locations} locations\n`);

  step(`2. Generate ${options.days} days of traffic`);
  const progress = terminalProgress('generating');
  const generated = await runGenerator(
    lake.store('raw'),
    localDatasetOptions(options.days, options.seed, options.faultRate),
    (update) => progress.update(generatorProgress(update)),
  ).finally(() => progress.stop());
  process.stdout.write(`${summaryText(generated)}\n`);

  step('3. Pipeline: the state machine runs the ETL (DuckDB), checks the load and the freshness');
  const etlProgress = terminalProgress('etl');
  const run = await runLocalPipeline(lake, {
    etl: { onProgress: (update) => etlProgress.update(etlProgressUpdate(update)) },
  }).finally(() => etlProgress.stop());
  if (run.etl) process.stdout.write(formatSummary(run.etl));
  process.stdout.write(pipelineRunText(run));
  if (run.outcome === 'failed') throw new Error(pipelineFailureText(run));

  step('4. Named queries (DuckDB over the local results)');
  await runAllLocal(lake, { detail: options.fullResults ? 'full' : 'summary' });
  if (!options.fullResults) {
    process.stdout.write(`each result in full: npm run query -- <name> --store ${options.store} (or this command with --full-results)\n`);
  }

  step('5. Dashboard');
  if (!options.serve) {
    process.stdout.write(`serve it with: npm run dashboard -- --store ${options.store}\n`);
    return;
  }
  const dashboard = await startDashboardServer({ lake, port: options.port });
  process.stdout.write(`dashboard: ${dashboard.url} (Ctrl-C to stop)\n`);
  const stop = () => void dashboard.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `--engine aws`: the servers are stopped when the command ends, fails, or gets Ctrl-C (SIGINT) or SIGTERM. */
async function runOnAwsTwin(options: LocalOptions): Promise<void> {
  const print = (text: string) => process.stdout.write(text);
  const started = performance.now();
  step('1. AWS twin on 127.0.0.1: moto (S3, Glue), local Spark (the Glue job), Trino (Athena)');
  let stopping: Promise<void> | undefined;
  let servers: Awaited<ReturnType<typeof startAwsTwinServers>> | undefined;
  const stopServers = () => (stopping ??= servers?.stop() ?? Promise.resolve());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the servers\n`);
    void Promise.all([dashboard?.close(), stopServers()]).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  let dashboard: DashboardServer | undefined;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    servers = await startAwsTwinServers(print);
    const run = await runAwsPipeline(servers, {
      days: options.days,
      seed: options.seed,
      faultRate: options.faultRate,
      detail: options.fullResults ? 'full' : 'summary',
      print,
      step,
    });
    step('7. Dashboard (its datasets on Trino, as QuickSight sends them to Athena)');
    if (!options.serve) {
      process.stdout.write(`pipeline done in ${((performance.now() - started) / 1000).toFixed(1)} s; the servers stop now (without --no-serve, the dashboard is served on Trino)\n`);
      return;
    }
    dashboard = await startDashboardServer({ lake: run.lake, port: options.port, datasets: trinoDatasets(run.athena, run.lake) });
    process.stdout.write(`pipeline done in ${((performance.now() - started) / 1000).toFixed(1)} s\ndashboard: ${dashboard.url} (Ctrl-C stops it and the servers)\n`);
    await new Promise<never>(() => undefined);
  } finally {
    await stopServers();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`local: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
