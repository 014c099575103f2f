import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  BatchGetNamedQueryCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListNamedQueriesCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { findQuery, loadCatalogue } from '../../queries/catalogue';
import { main, parseCommand, type CliIo } from '../../queries/cli';
import { writeLake } from './hand-made-lake';

interface Captured {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
  readonly regions: string[];
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const regions: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    athenaClient: (region) => {
      regions.push(region);
      return new AthenaClient({ region });
    },
    athenaOptions: { clock: { now: () => 0, sleep: async () => undefined } },
  };
  return { io, out, err, regions };
}

describe('query CLI', () => {
  let lake: string;

  before(async () => {
    lake = await mkdtemp(join(tmpdir(), 'query-cli-'));
    await writeLake(lake);
  });

  after(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it('reads a query name, repeated --param, the format, the stage and the timeout', () => {
    expect(parseCommand(['top_products', '--param', 'top_n=3', '--param', 'start_date=2026-01-01', '--format', 'json', '--stage', 'dev', '--timeout', '30'])).to.deep.equal({
      list: false,
      engine: 'duckdb',
      name: 'top_products',
      params: { top_n: '3', start_date: '2026-01-01' },
      format: 'json',
      stage: 'dev',
      store: '.lake',
      timeoutMs: 30_000,
    });
  });

  const usage: [string[], RegExp][] = [
    [[], /name a query to run, or use --list/],
    [['--list', 'daily_activity'], /--list takes no query name/],
    [['a', 'b'], /one query name at a time; got a, b/],
    [['daily_activity', '--format', 'xml'], /--format "xml" is not one of table, csv, json/],
    [['daily_activity', '--param', 'start_date'], /--param "start_date" is not name=value/],
    [['daily_activity', '--timeout', '30'], /--timeout applies to Athena runs only; add --stage <stage>/],
    [['daily_activity', '--stage', 'dev', '--timeout', '0'], /--timeout "0" is not a whole number of seconds/],
    [['daily_activity', '--colour'], /^query: unknown option --colour; the options are --list, --param, --format, --stage, --store, --engine, --timeout, --help; run with --help/],
    [['--bogus'], /^query: unknown option --bogus;/],
    [['daily_activity', '--stage', 'dev', '--timeout', '-5'], /^query: --timeout "-5" is not a whole number of seconds/],
    [['daily_activity', '--engine', 'spark'], /--engine "spark" is not one of duckdb, trino/],
    [['daily_activity', '--engine', 'trino', '--stage', 'dev'], /with --stage the query runs on the stage's Athena/],
  ];
  for (const [argv, message] of usage) {
    it(`refuses "${argv.join(' ')}" with exit code 2, the problem and the usage`, async () => {
      const { io, out, err } = capture();
      expect(await main(argv, io)).to.equal(2);
      expect(out).to.be.empty;
      expect(err.join('')).to.match(message).and.to.include('usage:');
    });
  }

  it('lists every query of the catalogue with its parameters and their defaults', async () => {
    const { io, out } = capture();
    expect(await main(['--list'], io)).to.equal(0);
    const text = out.join('');
    for (const query of loadCatalogue()) expect(text).to.include(`${query.name}\n  ${query.description}`);
    expect(text).to.include('--param top_n (int, default 10): how many products to list');
  });

  it('runs a query locally on the lake given by --store and prints CSV', async () => {
    const { io, out, err } = capture();
    const code = await main(['revenue_by_category', '--store', lake, '--format', 'csv', '--param', 'start_date=2026-03-02'], io);
    expect(err.join('')).to.equal('');
    expect(code).to.equal(0);
    // One purchase of 2 units a day on the 2nd and 3rd; the hand-made files have no category and no revenue.
    expect(out.join('')).to.equal('product_category,orders,order_lines,units,revenue,average_order_value,share_of_revenue_pct\r\nunknown,2,2,4,0,0,\r\n');
  });

  it('fails with exit code 1 and the known names for an unknown query', async () => {
    const { io, err } = capture();
    expect(await main(['popular_action', '--store', lake], io)).to.equal(1);
    expect(err.join('')).to.match(/^query: no named query "popular_action" in the catalogue .*known queries: .*popular_actions/);
  });

  it('fails with the known stages for a stage without a Pulumi stack file', async () => {
    const { io, err } = capture();
    expect(await main(['popular_actions', '--stage', 'qa'], io)).to.equal(1);
    expect(err.join('')).to.match(/no stage "qa": .*Pulumi\.qa\.yaml does not exist; known stages: dev, prod/);
  });

  describe('with --stage', () => {
    const query = findQuery(loadCatalogue(), 'popular_actions');
    let athena: AwsClientStub<AthenaClient>;

    before(() => {
      athena = mockClient(AthenaClient);
    });

    beforeEach(() => {
      athena.reset();
      athena.on(ListNamedQueriesCommand).resolves({ NamedQueryIds: ['id-1'] });
      athena.on(BatchGetNamedQueryCommand).resolves({
        NamedQueries: [{ NamedQueryId: 'id-1', Name: query.name, Description: query.description, Database: 'clickstream_dev', QueryString: query.sql }],
      });
      athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'exec-9' });
      athena.on(GetQueryExecutionCommand).resolves({
        QueryExecution: { QueryExecutionId: 'exec-9', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 5 * 2 ** 20 } },
      });
      athena.on(GetQueryResultsCommand).resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'event_type', Type: 'varchar' }, { Name: 'events', Type: 'bigint' }] },
          Rows: [{ Data: [{ VarCharValue: 'event_type' }, { VarCharValue: 'events' }] }, { Data: [{ VarCharValue: 'page_view' }, { VarCharValue: '7' }] }],
        },
      });
    });

    after(() => athena.restore());

    it('runs the named query in the stage\'s workgroup and region, and reports data scanned and cost on stderr', async () => {
      const { io, out, err, regions } = capture();
      expect(await main(['popular_actions', '--stage', 'dev', '--format', 'json'], io)).to.equal(0);
      expect(regions).to.deep.equal(['eu-west-1']);
      expect(athena.commandCalls(ListNamedQueriesCommand)[0].args[0].input).to.include({ WorkGroup: 'clickstream-dev-analytics' });
      expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).to.include({ WorkGroup: 'clickstream-dev-analytics' });
      expect(JSON.parse(out.join(''))).to.deep.equal([{ event_type: 'page_view', events: 7 }]);
      expect(err.join('')).to.equal(
        'Athena clickstream-dev-analytics: execution exec-9, data scanned 5.00 MB, estimated cost $0.000048 ($5 per TB, 10 MB minimum)\n',
      );
    });

    it('lists the queries deployed in the stage\'s workgroup', async () => {
      const { io, out } = capture();
      expect(await main(['--list', '--stage', 'dev'], io)).to.equal(0);
      expect(out.join('')).to.equal(`popular_actions\n  ${query.description}\n`);
    });
  });
});
