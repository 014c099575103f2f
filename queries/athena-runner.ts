/**
 * Runs a named query on a deployed stage with Athena: finds it by name among the workgroup's named
 * queries, reads its parameters from its header (the deployed text is the catalogue file), starts it
 * with the parameters as ExecutionParameters, polls until it ends (with backoff and a timeout), and
 * pages through the results.
 */
import {
  BatchGetNamedQueryCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListNamedQueriesCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type QueryExecution,
  type Row,
} from '@aws-sdk/client-athena';
import { findQuery, parseNamedQuery, type NamedQuery } from './catalogue';
import { bindParameters, sqlLiteral } from './parameters';
import { columnKind, type Cell, type QueryResult, type ResultColumn } from './result';

/** Where a stage's queries run: from config/naming.ts `stageNames`, plus the stage's region. */
export interface AthenaTarget {
  readonly workgroup: string;
  readonly database: string;
  readonly region: string;
}

/** A named query as deployed in a workgroup. */
export interface DeployedQuery {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly database: string | undefined;
  readonly queryString: string;
}

/** Wall time, replaceable in tests so that waiting is instant. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface AthenaRunOptions {
  /** Give up (and stop the query) after this long; default 5 minutes. */
  readonly timeoutMs?: number;
  /** First wait between two status checks; doubled each time up to `maxPollDelayMs`. */
  readonly firstPollDelayMs?: number;
  readonly maxPollDelayMs?: number;
  readonly clock?: Clock;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const FIRST_POLL_DELAY_MS = 500;
const MAX_POLL_DELAY_MS = 5_000;
/** BatchGetNamedQuery takes at most 50 ids; ListNamedQueries returns at most 50 per page. */
const NAMED_QUERY_BATCH = 50;
const RESULTS_PAGE_SIZE = 1000;

export interface AthenaRun {
  readonly queryExecutionId: string;
  readonly result: QueryResult;
  readonly dataScannedBytes: number;
  readonly estimatedCostUsd: number;
  readonly engineExecutionMs: number | undefined;
}

/**
 * Athena's price: $5 per TB scanned, each query billed for at least 10 MB, rounded up to the MB
 * (binary units assumed: 1 MB = 2^20 bytes, 1 TB = 2^40 bytes).
 */
export function estimateCostUsd(dataScannedBytes: number): number {
  const megabytes = Math.max(10, Math.ceil(dataScannedBytes / 2 ** 20));
  return (megabytes / 2 ** 20) * 5;
}

export type AthenaFailureKind = 'failed' | 'cancelled' | 'timeout';

export class AthenaQueryError extends Error {
  constructor(
    readonly kind: AthenaFailureKind,
    readonly queryExecutionId: string,
    message: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

export class MissingCredentialsError extends Error {
  constructor(region: string, cause: Error, service = 'Athena') {
    super(
      `no usable AWS credentials to call ${service} in ${region} (${cause.message}); ` +
        'set AWS_PROFILE to a configured profile (and run "aws sso login --profile <name>" for SSO), ' +
        'or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys), then retry',
    );
    this.name = 'MissingCredentialsError';
  }
}

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException']);

/** Whether an AWS SDK error means the credentials are missing, expired or unknown. */
export function isCredentialsError(error: unknown): error is Error {
  return error instanceof Error && CREDENTIAL_ERRORS.has(error.name);
}

/** Sends one Athena request, turning a credentials problem into an error that says how to fix it. */
async function call<T>(target: AthenaTarget, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (isCredentialsError(error)) throw new MissingCredentialsError(target.region, error);
    throw error;
  }
}

/** Every named query of the target's workgroup. */
export async function listDeployedQueries(client: AthenaClient, target: AthenaTarget): Promise<DeployedQuery[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call(target, () =>
      client.send(new ListNamedQueriesCommand({ WorkGroup: target.workgroup, NextToken: nextToken, MaxResults: NAMED_QUERY_BATCH })),
    );
    ids.push(...(page.NamedQueryIds ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);

  const queries: DeployedQuery[] = [];
  for (let start = 0; start < ids.length; start += NAMED_QUERY_BATCH) {
    const batch = await call(target, () => client.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids.slice(start, start + NAMED_QUERY_BATCH) })));
    for (const query of batch.NamedQueries ?? []) {
      if (query.Name === undefined || query.QueryString === undefined) continue;
      queries.push({
        id: query.NamedQueryId ?? '',
        name: query.Name,
        description: query.Description ?? '',
        database: query.Database,
        queryString: query.QueryString,
      });
    }
  }
  return queries.sort((a, b) => a.name.localeCompare(b.name));
}

function workgroupLabel(target: AthenaTarget): string {
  return `Athena workgroup ${target.workgroup} (${target.region})`;
}

/** Finds a deployed query by name and reads its header; throws UnknownQueryError listing the known names. */
export async function findDeployedQuery(client: AthenaClient, target: AthenaTarget, name: string): Promise<{ deployed: DeployedQuery; query: NamedQuery }> {
  const deployed = findQuery(await listDeployedQueries(client, target), name, workgroupLabel(target));
  const query = parseNamedQuery(deployed.queryString, `named query "${name}" in ${workgroupLabel(target)}`);
  return { deployed, query };
}

/** Polls until the query ends; returns the final execution, or throws for failure, cancel or timeout. */
async function waitForCompletion(client: AthenaClient, target: AthenaTarget, id: string, name: string, options: AthenaRunOptions): Promise<QueryExecution> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxDelay = options.maxPollDelayMs ?? MAX_POLL_DELAY_MS;
  const started = clock.now();
  let delay = options.firstPollDelayMs ?? FIRST_POLL_DELAY_MS;
  for (;;) {
    const { QueryExecution: execution } = await call(target, () => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
    const status = execution?.Status;
    switch (status?.State) {
      case 'SUCCEEDED':
        return execution as QueryExecution;
      case 'FAILED': {
        const reason = status.AthenaError?.ErrorMessage ?? status.StateChangeReason ?? 'Athena gave no reason';
        throw new AthenaQueryError('failed', id, `query "${name}" failed on Athena (execution ${id}): ${reason}`);
      }
      case 'CANCELLED': {
        const reason = status.StateChangeReason === undefined ? '' : `: ${status.StateChangeReason}`;
        throw new AthenaQueryError(
          'cancelled',
          id,
          `query "${name}" was cancelled (execution ${id})${reason}; someone stopped it, or the workgroup's data-scanned limit did; run it again or raise the limit`,
        );
      }
      default:
        break;
    }
    const elapsed = clock.now() - started;
    if (elapsed >= timeoutMs) {
      await call(target, () => client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
      throw new AthenaQueryError(
        'timeout',
        id,
        `query "${name}" was still ${status?.State ?? 'pending'} after ${Math.round(elapsed / 1000)} s, so it was stopped (execution ${id}); ` +
          'give it longer with --timeout <seconds> or narrow the date range',
      );
    }
    await clock.sleep(Math.min(delay, timeoutMs - elapsed));
    delay = Math.min(delay * 2, maxDelay);
  }
}

function toCell(text: string | undefined, column: ResultColumn): Cell {
  if (text === undefined) return null;
  switch (column.kind) {
    case 'integer': {
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : text;
    }
    case 'decimal':
      return Number(text);
    case 'boolean':
      return text === 'true';
    default:
      return text;
  }
}

function rowValues(row: Row): (string | undefined)[] {
  return (row.Data ?? []).map((datum) => datum.VarCharValue);
}

/** Every page of a finished query's results; Athena's first row of a select is the header, dropped. */
async function readResults(client: AthenaClient, target: AthenaTarget, id: string): Promise<QueryResult> {
  let columns: ResultColumn[] | undefined;
  const rows: Cell[][] = [];
  let nextToken: string | undefined;
  let firstPage = true;
  do {
    const page = await call(target, () =>
      client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken, MaxResults: RESULTS_PAGE_SIZE })),
    );
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((info: ColumnInfo) => ({
      name: info.Name ?? info.Label ?? '',
      kind: columnKind(info.Type ?? 'varchar'),
      engineType: info.Type ?? 'varchar',
    }));
    const pageColumns = columns;
    let pageRows = page.ResultSet?.Rows ?? [];
    if (firstPage && pageRows.length > 0 && rowValues(pageRows[0]).every((value, index) => value === pageColumns[index]?.name)) {
      pageRows = pageRows.slice(1);
    }
    for (const row of pageRows) rows.push(rowValues(row).map((value, index) => toCell(value, pageColumns[index])));
    nextToken = page.NextToken;
    firstPage = false;
  } while (nextToken !== undefined);
  return { columns: columns ?? [], rows };
}

/** Runs the named query `name` of the target's workgroup with `given` parameters (name → text). */
export async function runNamedQueryOnAthena(
  client: AthenaClient,
  target: AthenaTarget,
  name: string,
  given: Readonly<Record<string, string>>,
  options: AthenaRunOptions = {},
): Promise<AthenaRun> {
  const { deployed, query } = await findDeployedQuery(client, target, name);
  const parameters = bindParameters(name, query.parameters, given);
  const started = await call(target, () =>
    client.send(
      new StartQueryExecutionCommand({
        QueryString: deployed.queryString,
        WorkGroup: target.workgroup,
        QueryExecutionContext: { Database: deployed.database ?? target.database },
        // Athena refuses an empty list: no parameters, no field.
        ExecutionParameters: parameters.length > 0 ? parameters.map(sqlLiteral) : undefined,
      }),
    ),
  );
  const id = started.QueryExecutionId;
  if (id === undefined) throw new Error(`Athena started query "${name}" but returned no execution id; retry`);
  const execution = await waitForCompletion(client, target, id, name, options);
  const result = await readResults(client, target, id);
  const dataScannedBytes = execution.Statistics?.DataScannedInBytes ?? 0;
  return {
    queryExecutionId: id,
    result,
    dataScannedBytes,
    estimatedCostUsd: estimateCostUsd(dataScannedBytes),
    engineExecutionMs: execution.Statistics?.EngineExecutionTimeInMillis,
  };
}
