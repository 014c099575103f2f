/**
 * A minimal client of Trino's HTTP protocol (POST /v1/statement, then follow `nextUri` until the
 * query ends): enough to run one statement and read its typed rows and its statistics. No driver
 * package: the protocol is a few JSON documents, and the statistics are what Athena reports as data
 * scanned.
 */

export interface TrinoColumn {
  readonly name: string;
  /** Trino's type, e.g. `bigint`, `varchar`, `date`, `decimal(10,2)`. */
  readonly type: string;
}

export interface TrinoStats {
  readonly state: string;
  /** Bytes read from storage (Parquet pages, CSV text): what Athena bills as data scanned. */
  readonly physicalInputBytes: number;
  readonly processedRows: number;
  readonly processedBytes: number;
  readonly elapsedTimeMillis: number;
  readonly cpuTimeMillis: number;
}

export interface TrinoResult {
  readonly queryId: string;
  readonly columns: readonly TrinoColumn[];
  readonly rows: readonly (readonly unknown[])[];
  readonly stats: TrinoStats;
}

export interface TrinoSession {
  readonly catalog?: string;
  readonly schema?: string;
  /** Session properties, e.g. `{ 'hive.ignore_absent_partitions': 'true' }`. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly signal?: AbortSignal;
}

interface StatementResponse {
  readonly id: string;
  readonly nextUri?: string;
  readonly columns?: readonly TrinoColumn[];
  readonly data?: readonly (readonly unknown[])[];
  readonly stats: TrinoStats;
  readonly error?: {
    readonly message: string;
    readonly errorName: string;
    readonly errorType: string;
    readonly errorLocation?: { readonly lineNumber: number; readonly columnNumber: number };
  };
}

export class TrinoQueryError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
    readonly queryId: string,
  ) {
    super(message);
    this.name = 'TrinoQueryError';
  }
}

function headers(session: TrinoSession): Record<string, string> {
  const result: Record<string, string> = { 'X-Trino-User': session.user ?? 'clickstream-bi', 'X-Trino-Source': 'clickstream-bi' };
  if (session.catalog !== undefined) result['X-Trino-Catalog'] = session.catalog;
  if (session.schema !== undefined) result['X-Trino-Schema'] = session.schema;
  const properties = Object.entries(session.properties ?? {});
  if (properties.length > 0) {
    result['X-Trino-Session'] = properties.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join(',');
  }
  return result;
}

async function readResponse(response: Response, what: string): Promise<StatementResponse> {
  if (!response.ok) {
    throw new Error(`Trino answered ${what} with HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  return (await response.json()) as StatementResponse;
}

/** Runs one statement on the server at `url` and returns every row. Throws TrinoQueryError when the query fails. */
export async function runTrinoStatement(url: string, sql: string, session: TrinoSession = {}): Promise<TrinoResult> {
  let page = await readResponse(
    await fetch(`${url}/v1/statement`, { method: 'POST', body: sql, headers: headers(session), signal: session.signal }),
    'a new statement',
  );
  const rows: (readonly unknown[])[] = [];
  let columns = page.columns;
  try {
    for (;;) {
      if (page.data) rows.push(...page.data);
      columns ??= page.columns;
      if (page.error) {
        const where = page.error.errorLocation ? ` (line ${page.error.errorLocation.lineNumber}, column ${page.error.errorLocation.columnNumber})` : '';
        throw new TrinoQueryError(`${page.error.message}${where}`, page.error.errorName, page.id);
      }
      if (page.nextUri === undefined) break;
      page = await readResponse(await fetch(page.nextUri, { headers: headers(session), signal: session.signal }), `query ${page.id}`);
    }
  } catch (error) {
    // Stop the query on the server too, when the caller gave up (abort) rather than the query failing.
    if (page.nextUri !== undefined && !(error instanceof TrinoQueryError)) {
      await fetch(page.nextUri, { method: 'DELETE', headers: headers(session) }).catch(() => undefined);
    }
    throw error;
  }
  return { queryId: page.id, columns: columns ?? [], rows, stats: page.stats };
}
