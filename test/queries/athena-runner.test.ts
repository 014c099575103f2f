import {
  AthenaClient,
  BatchGetNamedQueryCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListNamedQueriesCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionOutput,
  type QueryExecutionState,
} from '@aws-sdk/client-athena';
import { expect } from 'chai';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { UnknownQueryError, findQuery, loadCatalogue } from '../../queries/catalogue';
import {
  AthenaQueryError,
  MissingCredentialsError,
  estimateCostUsd,
  runNamedQueryOnAthena,
  type AthenaTarget,
  type Clock,
} from '../../queries/athena-runner';
import { ParameterError } from '../../queries/parameters';

const TARGET: AthenaTarget = { workgroup: 'clickstream-dev-analytics', database: 'clickstream_dev', region: 'eu-west-1' };
const DAILY = findQuery(loadCatalogue(), 'daily_activity');
const TOP = findQuery(loadCatalogue(), 'top_products');

/** A clock whose sleeps return at once and advance its time, recording each wait. */
class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

function execution(state: QueryExecutionState, extra: Partial<NonNullable<GetQueryExecutionOutput['QueryExecution']>> = {}): GetQueryExecutionOutput {
  return { QueryExecution: { QueryExecutionId: 'exec-1', Status: { State: state }, ...extra } };
}

const COLUMNS = [
  { Name: 'event_date', Type: 'date' },
  { Name: 'active_users', Type: 'bigint' },
  { Name: 'events_per_session', Type: 'double' },
];
const row = (...values: (string | undefined)[]) => ({ Data: values.map((value) => (value === undefined ? {} : { VarCharValue: value })) });

describe('Athena runner', () => {
  const client = new AthenaClient({ region: TARGET.region });
  let athena: AwsClientStub<AthenaClient>;
  let clock: FakeClock;

  before(() => {
    athena = mockClient(AthenaClient);
  });

  beforeEach(() => {
    athena.reset();
    clock = new FakeClock();
    // Two pages of named-query ids, fetched in one batch: the runner must follow NextToken.
    athena
      .on(ListNamedQueriesCommand, { WorkGroup: TARGET.workgroup, NextToken: undefined })
      .resolves({ NamedQueryIds: ['id-daily'], NextToken: 'more' })
      .on(ListNamedQueriesCommand, { WorkGroup: TARGET.workgroup, NextToken: 'more' })
      .resolves({ NamedQueryIds: ['id-top'] });
    athena.on(BatchGetNamedQueryCommand).resolves({
      NamedQueries: [
        { NamedQueryId: 'id-daily', Name: DAILY.name, Description: DAILY.description, Database: TARGET.database, QueryString: DAILY.sql, WorkGroup: TARGET.workgroup },
        { NamedQueryId: 'id-top', Name: TOP.name, Description: TOP.description, Database: TARGET.database, QueryString: TOP.sql, WorkGroup: TARGET.workgroup },
      ],
    });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'exec-1' });
  });

  after(() => athena.restore());

  it('runs a named query found by name, passes parameters, waits with backoff and reads every result page', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('SUCCEEDED', { Statistics: { DataScannedInBytes: 3 * 2 ** 30, EngineExecutionTimeInMillis: 1234 } }));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'exec-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [row('event_date', 'active_users', 'events_per_session'), row('2026-01-01', '110', '3.69'), row('2026-01-02', '117', undefined)],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'exec-1', NextToken: 'page-2' })
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('2026-01-03', '125', '3.61')] }, NextToken: 'page-3' })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'exec-1', NextToken: 'page-3' })
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('2026-01-04', '9007199254740993', '1')] } });

    const run = await runNamedQueryOnAthena(client, TARGET, 'daily_activity', { start_date: '2026-01-01' }, { clock, firstPollDelayMs: 100, maxPollDelayMs: 300 });

    const start = athena.commandCalls(StartQueryExecutionCommand);
    expect(start).to.have.length(1);
    expect(start[0].args[0].input).to.deep.equal({
      QueryString: DAILY.sql,
      WorkGroup: TARGET.workgroup,
      QueryExecutionContext: { Database: TARGET.database },
      ExecutionParameters: ["'2026-01-01'", "'9999-12-31'", "'all'", "'all'"],
    });
    expect(clock.sleeps).to.deep.equal([100, 200, 300]);
    expect(run.result.columns.map((column) => `${column.name}:${column.kind}`)).to.deep.equal([
      'event_date:date',
      'active_users:integer',
      'events_per_session:decimal',
    ]);
    expect(run.result.rows).to.deep.equal([
      ['2026-01-01', 110, 3.69],
      ['2026-01-02', 117, null],
      ['2026-01-03', 125, 3.61],
      // Past 2^53 a count keeps its digits as text rather than lose precision.
      ['2026-01-04', '9007199254740993', 1],
    ]);
    expect(run.queryExecutionId).to.equal('exec-1');
    expect(run.dataScannedBytes).to.equal(3 * 2 ** 30);
    expect(run.estimatedCostUsd).to.be.closeTo((3 / 1024) * 5, 1e-12);
  });

  it('estimates cost at $5 per TB with a 10 MB minimum', () => {
    expect(estimateCostUsd(0)).to.equal(estimateCostUsd(10 * 2 ** 20));
    expect(estimateCostUsd(0)).to.be.closeTo((10 / 2 ** 20) * 5, 1e-15);
    expect(estimateCostUsd(2 ** 40)).to.equal(5);
  });

  it('reports a failed query with the reason Athena gives', async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      execution('FAILED', { Status: { State: 'FAILED', StateChangeReason: 'line 3:8: Column x cannot be resolved', AthenaError: { ErrorMessage: 'COLUMN_NOT_FOUND: line 3:8: Column x cannot be resolved' } } }),
    );
    const failure = await runNamedQueryOnAthena(client, TARGET, 'daily_activity', {}, { clock }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(AthenaQueryError).with.property('kind', 'failed');
    expect((failure as Error).message).to.equal(
      'query "daily_activity" failed on Athena (execution exec-1): COLUMN_NOT_FOUND: line 3:8: Column x cannot be resolved',
    );
    expect(athena.commandCalls(GetQueryResultsCommand)).to.be.empty;
  });

  it('reports a cancelled query, with Athena\'s reason', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('CANCELLED', { Status: { State: 'CANCELLED', StateChangeReason: 'Query exhausted the bytes scanned limit' } }));
    const failure = await runNamedQueryOnAthena(client, TARGET, 'daily_activity', {}, { clock }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(AthenaQueryError).with.property('kind', 'cancelled');
    expect((failure as Error).message).to.match(/^query "daily_activity" was cancelled \(execution exec-1\): Query exhausted the bytes scanned limit; /);
  });

  it('stops a query that outlives the timeout and says how to give it longer', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const failure = await runNamedQueryOnAthena(client, TARGET, 'daily_activity', {}, { clock, timeoutMs: 10_000, firstPollDelayMs: 1000, maxPollDelayMs: 4000 }).catch(
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(AthenaQueryError).with.property('kind', 'timeout');
    expect((failure as Error).message).to.equal(
      'query "daily_activity" was still RUNNING after 10 s, so it was stopped (execution exec-1); give it longer with --timeout <seconds> or narrow the date range',
    );
    expect(clock.sleeps).to.deep.equal([1000, 2000, 4000, 3000]);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((call) => call.args[0].input)).to.deep.equal([{ QueryExecutionId: 'exec-1' }]);
  });

  it('names an unknown query and lists those the workgroup holds, starting nothing', async () => {
    const failure = await runNamedQueryOnAthena(client, TARGET, 'top_product', {}, { clock }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(UnknownQueryError);
    expect((failure as Error).message).to.equal(
      'no named query "top_product" in Athena workgroup clickstream-dev-analytics (eu-west-1); known queries: daily_activity, top_products (list them with --list)',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).to.be.empty;
  });

  it('checks parameters against the deployed query before starting it', async () => {
    const failure = await runNamedQueryOnAthena(client, TARGET, 'top_products', { top_n: 'all' }, { clock }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(ParameterError).with.property('message').that.match(/parameter top_n: "all" is not a whole number/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).to.be.empty;
  });

  it('turns missing credentials into an error that says how to provide them', async () => {
    athena.on(ListNamedQueriesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const failure = await runNamedQueryOnAthena(client, TARGET, 'daily_activity', {}, { clock }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(MissingCredentialsError);
    expect((failure as Error).message).to.match(/^no usable AWS credentials to call Athena in eu-west-1 \(Could not load credentials from any providers\); set AWS_PROFILE/);
  });
});
