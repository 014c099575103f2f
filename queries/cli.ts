/**
 * `npm run query -- --list [--stage <s>]`
 * `npm run query -- <name> [--param k=v]... [--format table|csv|json] [--stage <s> [--timeout <seconds>]] [--store <spec>]`
 *
 * Without --stage the query runs locally over the lake (`--store`, default ./.lake), on DuckDB or, with
 * `--engine trino`, on Trino reading the stage's Glue table definitions from a Glue emulator; with
 * --stage it runs on that deployed stage's Athena workgroup. Results go to stdout, everything else
 * (Athena's data scanned and cost) to stderr, so `--format csv > out.csv` holds only the data.
 */
import '../cli/supported-node';
import { AthenaClient } from '@aws-sdk/client-athena';
import { parseFlagsAndPositionals } from '../cli/flags';
import { DEFAULT_LAKE_DIR } from '../store/lake';
import { openLakeFor } from '../store/open-lake';
import {
  DEFAULT_TIMEOUT_MS,
  listDeployedQueries,
  runNamedQueryOnAthena,
  type AthenaRunOptions,
  type AthenaTarget,
} from './athena-runner';
import { describeParameter, findQuery, loadCatalogue, type NamedQuery } from './catalogue';
import { OUTPUT_FORMATS, formatResult, isOutputFormat, type OutputFormat } from './format';
import { openLocalCatalog, tablesReferencedBy } from './local-catalog';
import { runLocalNamedQuery } from './local-runner';
import { parseParameterAssignments } from './parameters';
import { stageTarget } from './stage-target';
import { runTrinoNamedQuery } from './trino-runner';
import { startAthenaTwin } from '../twin/athena';

/** The local engines: DuckDB, and Trino as the twin of Athena. */
export const ENGINES = ['duckdb', 'trino'] as const;
export type Engine = (typeof ENGINES)[number];

function isEngine(text: string): text is Engine {
  return (ENGINES as readonly string[]).includes(text);
}

export const USAGE = `usage:
  npm run query -- --list [--stage <stage>]
  npm run query -- <name> [--param <name>=<value>]... [--format ${OUTPUT_FORMATS.join('|')}]
                          [--store <folder or s3://...>] [--engine ${ENGINES.join('|')}]
                          [--stage <stage> [--timeout <seconds>]]

  --list            list the named queries (the catalogue, or those deployed in the stage's workgroup)
  --param k=v       a query parameter; the rest take their defaults (see --list)
  --format f        table (default), csv or json
  --store spec      the lake to query locally; default ${DEFAULT_LAKE_DIR}
  --engine e        local engine: duckdb (default) or trino (Athena's engine, with the stage's Glue
                    table definitions on a Glue emulator; starts Trino, which takes 20-60 s)
  --stage s         run on the deployed stage's Athena workgroup instead (AWS credentials needed)
  --timeout s       Athena only: give up and stop the query after s seconds; default ${DEFAULT_TIMEOUT_MS / 1000}
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Makes the Athena client for a stage's region; replaced in tests. */
  readonly athenaClient: (region: string) => AthenaClient;
  readonly athenaOptions?: AthenaRunOptions;
}

const DEFAULT_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  athenaClient: (region) => new AthenaClient({ region }),
};

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliCommand {
  readonly list: boolean;
  readonly engine: Engine;
  readonly name?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly format: OutputFormat;
  readonly stage?: string;
  readonly store: string;
  readonly timeoutMs: number;
}

export function parseCommand(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseFlagsAndPositionals(argv, {
      list: { type: 'boolean', default: false },
      param: { type: 'string', multiple: true, default: [] },
      format: { type: 'string', default: 'table' },
      stage: { type: 'string' },
      store: { type: 'string', default: DEFAULT_LAKE_DIR },
      engine: { type: 'string', default: 'duckdb' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (!isOutputFormat(values.format)) throw new UsageError(`--format "${values.format}" is not one of ${OUTPUT_FORMATS.join(', ')}`);
  if (positionals.length > 1) throw new UsageError(`one query name at a time; got ${positionals.join(', ')}`);
  if (values.list === (positionals.length === 1)) throw new UsageError(values.list ? '--list takes no query name' : 'name a query to run, or use --list');
  if (!isEngine(values.engine)) throw new UsageError(`--engine "${values.engine}" is not one of ${ENGINES.join(', ')}`);
  if (values.stage !== undefined && values.engine !== 'duckdb') {
    throw new UsageError('--engine picks the local engine; with --stage the query runs on the stage\'s Athena. Drop one of them');
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || seconds < 1) throw new UsageError(`--timeout "${values.timeout}" is not a whole number of seconds, at least 1`);
    if (values.stage === undefined) throw new UsageError('--timeout applies to Athena runs only; add --stage <stage>');
    timeoutMs = seconds * 1000;
  }
  let params: Record<string, string>;
  try {
    params = parseParameterAssignments(values.param);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    list: values.list,
    engine: values.engine,
    name: positionals[0],
    params,
    format: values.format,
    stage: values.stage,
    store: values.store,
    timeoutMs,
  };
}

function listing(queries: readonly NamedQuery[]): string {
  return queries
    .map((query) => [`${query.name}`, `  ${query.description}`, ...query.parameters.map((parameter) => `  --param ${describeParameter(parameter)}`)].join('\n'))
    .join('\n\n') + '\n';
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MB`;
}

async function runOnStage(command: CliCommand, stage: string, io: CliIo): Promise<void> {
  const target: AthenaTarget = stageTarget(stage);
  const client = io.athenaClient(target.region);
  try {
    if (command.list) {
      const deployed = await listDeployedQueries(client, target);
      io.stdout(deployed.map((query) => `${query.name}\n  ${query.description}`).join('\n\n') + '\n');
      return;
    }
    const run = await runNamedQueryOnAthena(client, target, command.name as string, command.params, {
      ...io.athenaOptions,
      timeoutMs: command.timeoutMs,
    });
    io.stdout(formatResult(run.result, command.format));
    io.stderr(
      `Athena ${target.workgroup}: execution ${run.queryExecutionId}, data scanned ${megabytes(run.dataScannedBytes)}, ` +
        `estimated cost $${run.estimatedCostUsd.toFixed(6)} ($5 per TB, 10 MB minimum)\n`,
    );
  } finally {
    client.destroy();
  }
}

async function runLocally(command: CliCommand, io: CliIo): Promise<void> {
  const catalogue = loadCatalogue();
  if (command.list) {
    io.stdout(listing(catalogue));
    return;
  }
  const query = findQuery(catalogue, command.name as string);
  const { lake } = await openLakeFor(command.store, 'existing', { command: 'npm run query' });
  const catalog = await openLocalCatalog(lake, { tables: tablesReferencedBy(query.sql, query.source) });
  try {
    io.stdout(formatResult(await runLocalNamedQuery(catalog, query, command.params), command.format));
  } finally {
    await catalog.close();
  }
}

/** Starts Trino and the Glue emulator, registers the lake's tables, runs the query, stops both. */
async function runOnTrino(command: CliCommand, io: CliIo): Promise<void> {
  const query = findQuery(loadCatalogue(), command.name as string);
  const { lake } = await openLakeFor(command.store, 'existing', { command: 'npm run query' });
  io.stderr('starting Trino and the Glue emulator on loopback...\n');
  const twin = await startAthenaTwin();
  try {
    const target = await twin.openLake(lake, command.store);
    const run = await runTrinoNamedQuery(target, query, command.params);
    io.stdout(formatResult(run.result, command.format));
    io.stderr(
      `Trino ${twin.trino.version}: query ${run.queryId}, data scanned ${megabytes(run.stats.physicalInputBytes)}, ` +
        `${run.stats.elapsedTimeMillis} ms (server start ${(twin.trino.startupMs / 1000).toFixed(1)} s)\n`,
    );
  } finally {
    await twin.close();
  }
}

/** Returns the process exit code: 0 done, 1 failed, 2 wrong usage. */
export async function main(argv: readonly string[], io: CliIo = DEFAULT_IO): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message !== '') io.stderr(`query: ${error.message}\n\n`);
    io.stderr(USAGE);
    return error.message === '' ? 0 : 2;
  }
  try {
    if (command.stage !== undefined) await runOnStage(command, command.stage, io);
    else if (command.engine === 'trino' && !command.list) await runOnTrino(command, io);
    else await runLocally(command, io);
    return 0;
  } catch (error) {
    io.stderr(`query: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
