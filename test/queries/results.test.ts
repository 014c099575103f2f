import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { EVENT_TYPES } from '../../model/events';
import { EVENTS, SESSION_DAYS, eventTypeColumn, type TableDefinition } from '../../model/tables';
import { findQuery, loadCatalogue } from '../../queries/catalogue';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { runLocalNamedQuery } from '../../queries/local-runner';
import { rowObjects, type QueryResult } from '../../queries/result';
import { runAllLocal } from '../../queries/run-all';
import { buildDataset, type Dataset } from './dataset';
import * as expected from './expected';
import { filesReadBy } from './profile';

/** Columns the SQL rounds, and to how many decimals: the result must be the exact figure, so rounded. */
const ROUNDED: Readonly<Record<string, number>> = {
  continent_share_pct: 1,
  share_of_continent_pct: 1,
  share_of_events_pct: 1,
  continent_average_age: 1,
  conversion_from_previous_pct: 1,
  conversion_from_first_pct: 1,
  events_per_session: 2,
  average_user_age: 1,
  revenue: 2,
  average_order_value: 2,
  share_of_revenue_pct: 1,
};

function expectSameRows(actual: readonly expected.Row[], wanted: readonly expected.Row[]): void {
  expect(actual.map((row) => Object.keys(row)), 'columns').to.deep.equal(wanted.map((row) => Object.keys(row)));
  actual.forEach((row, index) => {
    for (const [column, value] of Object.entries(wanted[index])) {
      const got = row[column];
      const where = `row ${index + 1} ${column}`;
      const decimals = ROUNDED[column];
      if (decimals === undefined || value === null) {
        expect(got, where).to.equal(value);
      } else {
        expect(got, where).to.be.a('number');
        expect(got as number, where).to.be.closeTo(value as number, 0.5 * 10 ** -decimals + 1e-9);
      }
    }
  });
}

describe('named queries on a generated dataset (results checked against TypeScript)', function () {
  this.timeout(180_000);
  let dataset: Dataset;
  let catalog: LocalCatalog;
  let events: expected.OracleEvent[];
  let bounded: { start: string; end: string };
  const catalogue = loadCatalogue();

  before(async () => {
    dataset = await buildDataset();
    catalog = await openLocalCatalog(dataset.lake);
    events = expected.loadedEvents(dataset.lines, dataset.locations, dataset.context);
    const dates = [...new Set(events.map((event) => event.eventDate))].sort();
    bounded = { start: dates[2], end: dates[4] };
  });

  after(async () => {
    await catalog?.close();
    await dataset?.remove();
  });

  it('has a dataset worth checking: two weeks of events, faults to reject, duplicates and version 1 events', () => {
    expect(new Set(events.map((event) => event.eventDate)).size).to.be.at.least(10);
    expect(events.length).to.be.within(4000, 20_000);
    expect(events.length).to.be.lessThan(dataset.lines.length);
    expect(events.filter((event) => event.event.schema_version === 1)).to.have.length.at.least(20);
    expect(new Set(events.filter((event) => event.event.event_type === 'purchase').map((event) => event.event.product_category)).size).to.be.at.least(5);
  });

  /**
   * Each query's oracle, given the selected events and the parameters a scenario changes. Filter
   * parameters (dates, continent, country) are applied to the events before, as the SQL applies them.
   */
  const oracles: Readonly<Record<string, (selection: readonly expected.OracleEvent[], params: Readonly<Record<string, string>>) => expected.Row[]>> = {
    activity_summary: (selection) => expected.activitySummary(selection),
    most_active_regions: (selection, params) => expected.mostActiveRegions(selection, Number(params.countries_per_continent ?? 5)),
    popular_actions: (selection) => expected.popularActions(selection),
    user_age_breakdown: (selection) => expected.userAgeBreakdown(selection),
    conversion_funnel: (selection) => expected.conversionFunnel(selection),
    daily_activity: (selection) => expected.dailyActivity(selection),
    revenue_by_category: (selection) => expected.revenueByCategory(selection),
    top_products: (selection, params) => expected.topProducts(selection, Number(params.top_n ?? 10)),
    device_mix: (selection) => expected.deviceMix(selection),
    hourly_traffic: (selection) => expected.hourlyTraffic(selection),
  };

  interface Scenario {
    readonly title: string;
    /** The parameters to pass (those the query declares), given the three-day range. */
    readonly params: (range: { start: string; end: string }) => Record<string, string>;
  }
  const scenarios: Scenario[] = [
    { title: 'with its defaults (every date)', params: () => ({}) },
    {
      title: 'over three days, in one continent, with its other parameters changed',
      params: (range) => ({ start_date: range.start, end_date: range.end, continent: 'Europe', countries_per_continent: '2', top_n: '3' }),
    },
    { title: 'in one country', params: () => ({ country: 'Germany' }) },
  ];

  it('checks every query of the catalogue', () => {
    expect(Object.keys(oracles).sort()).to.deep.equal(catalogue.map((query) => query.name).sort());
  });

  for (const query of catalogue) {
    const declared = new Set(query.parameters.map((parameter) => parameter.name));
    const ofQuery = (params: Record<string, string>) => Object.fromEntries(Object.entries(params).filter(([name]) => declared.has(name)));
    // A scenario whose parameters a query lacks (after the first) would only repeat the defaults.
    const relevant = scenarios.filter((scenario, index) => index === 0 || Object.keys(ofQuery(scenario.params({ start: '', end: '' }))).length > 0);
    for (const scenario of relevant) {
      it(`${query.name}: equals the figures computed from the raw events ${scenario.title}`, async () => {
        const params = ofQuery(scenario.params(bounded));
        const selection = expected.selected(events, {
          start: params.start_date ?? '2010-01-01',
          end: params.end_date ?? '9999-12-31',
          continent: params.continent,
          country: params.country,
        });
        const wanted = oracles[query.name](selection, params);
        expect(wanted, 'expected rows').to.not.be.empty;
        const result = await runLocalNamedQuery(catalog, query, params);
        expectSameRows(rowObjects(result), wanted);
      });
    }
  }

  it("counts every event type of the model in popular_actions: its SQL reads each type's column of session_days", () => {
    const sql = findQuery(catalogue, 'popular_actions').sql;
    for (const type of EVENT_TYPES) {
      expect(sql, type).to.include(`sum(${eventTypeColumn(type)})`);
      expect(sql, type).to.include(`select '${type}' as event_type`);
    }
  });

  it('loads the dataset over several ETL runs: some days\' session_days rows come from more than one run', () => {
    const folder = join(dataset.dir, SESSION_DAYS.prefix);
    const filesPerDay = readdirSync(folder).map((partition) => readdirSync(join(folder, partition)).filter((file) => file.endsWith('.parquet')).length);
    expect(Math.max(...filesPerDay)).to.be.greaterThan(1);
  });

  it('reads only the partitions of a date-bounded query\'s range (DuckDB profile), from events and from session_days', async () => {
    const filesInRange = (table: TableDefinition) => {
      const folder = join(dataset.dir, table.prefix);
      const partitions = readdirSync(folder).filter((name) => name.startsWith('event_date='));
      expect(partitions.length, table.name).to.be.at.least(10);
      const inRange = partitions.filter((partition) => {
        const date = partition.slice('event_date='.length);
        return date >= bounded.start && date <= bounded.end;
      });
      expect(inRange, table.name).to.have.length(3);
      return inRange.flatMap((partition) =>
        readdirSync(join(folder, partition))
          .filter((file) => file.endsWith('.parquet'))
          .map((file) => join(folder, partition, file)),
      ).sort();
    };
    for (const [name, table] of [['daily_activity', SESSION_DAYS], ['conversion_funnel', SESSION_DAYS], ['hourly_traffic', EVENTS]] as const) {
      const wanted = filesInRange(table);
      const files = await filesReadBy(catalog, findQuery(catalogue, name), { start_date: bounded.start, end_date: bounded.end });
      expect(files.scanned.read, name).to.equal(wanted.length);
      // DuckDB's profile names the first few files it read, then "...".
      const named = files.names.filter((file) => file !== '...');
      expect(named, name).to.not.be.empty;
      expect(wanted, name).to.include.members(named);
    }
  });

  it('runs every query with its defaults and prints each result, as npm run local -- --full-results does', async () => {
    const printed: string[] = [];
    const results = await runAllLocal(dataset.lake, { print: (text) => printed.push(text), catalogue, detail: 'full' });
    expect([...results.keys()]).to.deep.equal(catalogue.map((query) => query.name));
    const text = printed.join('');
    for (const query of catalogue) {
      expect(text).to.include(`== ${query.name} ==\n${query.description}\n`);
      expect(text).to.include(`(${results.get(query.name)?.rows.length} row`);
    }
  });

  it('prints one line a query by default: its row count, and the row when there is only one', async () => {
    const printed: string[] = [];
    const results = await runAllLocal(dataset.lake, { print: (text) => printed.push(text), catalogue });
    expect(printed).to.have.length(catalogue.length);
    const summary = results.get('activity_summary') as QueryResult;
    const events = summary.rows[0][summary.columns.findIndex((column) => column.name === 'events')];
    expect(printed[0]).to.match(new RegExp(`^activity_summary +1 row: events ${(events as number).toLocaleString('en-US')}, users [\\d,]+`));
    const funnel = printed.find((line) => line.startsWith('conversion_funnel')) as string;
    expect(funnel).to.match(/^conversion_funnel +4 rows\n$/);
  });
});
