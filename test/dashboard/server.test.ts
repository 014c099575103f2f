import { expect } from 'chai';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { DashboardDescription, DataResponse, ErrorResponse, SeriesData } from '../../dashboard/api-types';
import { DASHBOARD } from '../../dashboard/definition';
import { startDashboardServer, type DashboardServer } from '../../dashboard/server';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { asExpected, datasetRows, expectedVisual } from './expected';
import { acquireTestLake, releaseTestLake } from './lake';

describe('local dashboard server (JSON API over the local lake)', function () {
  this.timeout(120_000);
  let server: DashboardServer;
  let catalog: LocalCatalog;

  before(async () => {
    const { lake } = await acquireTestLake();
    server = await startDashboardServer({ lake, port: 0 });
    catalog = await openLocalCatalog(lake, { tables: ['events'] });
  });

  after(async () => {
    await server?.close();
    await catalog?.close();
    await releaseTestLake();
  });

  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(new URL(path, server.url), init);
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as unknown };
  };
  const data = async (query: string) => {
    const { status, body } = await get(`/api/data${query}`);
    expect(status, JSON.stringify(body)).to.equal(200);
    return body as DataResponse;
  };

  for (const [label, query, filters] of [
    ['without filters', '', {}],
    ['for a continent', '?continent=Europe', { continent: 'Europe' }],
    ['for a country and a date range', '?country=United%20States&start_date=2026-01-07&end_date=2026-01-10', { country: 'United States', start_date: '2026-01-07', end_date: '2026-01-10' }],
  ] as const) {
    it(`answers every visual with the named queries' results ${label}`, async () => {
      const answer = await data(query);
      expect(Object.keys(answer.visuals)).to.have.members(DASHBOARD.visuals.map((visual) => visual.id));
      for (const visual of DASHBOARD.visuals) {
        expect(asExpected(answer.visuals[visual.id]), visual.id).to.deep.equal(await expectedVisual(catalog, visual, filters));
      }
    });
  }

  it('orders the funnel by step, actions by frequency, ages by bracket and days by date', async () => {
    const answer = await data('');
    const categories = (id: string) => (answer.visuals[id] as SeriesData).categories;
    expect(categories('funnel_conversion')).to.deep.equal(['product_view', 'add_to_cart', 'checkout', 'purchase']);
    const actions = (await datasetRows(catalog, 'popular_actions', {})).map((row) => String(row.event_type));
    expect(categories('bar_popular_actions')).to.deep.equal(actions);
    expect(categories('bar_age_distribution')).to.deep.equal([...categories('bar_age_distribution')].sort());
    expect(categories('line_daily_activity')).to.deep.equal([...categories('line_daily_activity')].sort());
  });

  it('gives figures that agree with each other: events per type and per day add up to the events tile', async () => {
    const answer = await data('?continent=Asia');
    const total = (id: string) => (answer.visuals[id] as SeriesData).series[0].values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    const events = answer.visuals.kpi_events;
    expect(events.kind === 'kpi' && events.value).to.be.greaterThan(0);
    expect(total('bar_popular_actions')).to.equal(events.kind === 'kpi' ? events.value : NaN);
    expect(total('line_daily_activity')).to.equal(events.kind === 'kpi' ? events.value : NaN);
    expect(total('map_events_by_country')).to.equal(events.kind === 'kpi' ? events.value : NaN);
  });

  it('changes the numbers when a filter changes, and reports the parameters it bound', async () => {
    const all = await data('');
    const europe = await data('?continent=Europe');
    expect(europe.visuals.kpi_events).to.not.deep.equal(all.visuals.kpi_events);
    expect(europe.parameters).to.deep.equal({ start_date: '2010-01-01', end_date: '9999-12-31', continent: 'Europe', country: 'all' });
  });

  for (const [query, message] of [
    ['?region=Europe', /^unknown parameter "region"; the dashboard's filters take start_date and end_date \(dates, YYYY-MM-DD\), continent/],
    ['?start_date=2026-02-30', /^start_date: "2026-02-30" is not a calendar date as YYYY-MM-DD/],
    ['?start_date=2026-01-09&end_date=2026-01-02', /^start_date 2026-01-09 is after end_date 2026-01-02; give a start on or before the end$/],
    ['?continent=Atlantis', /^continent "Atlantis" is not offered; use all or Africa, .*South America$/],
    ["?country=France'%20or%20'1'='1", /^country "France' or '1'='1" is not offered; use all or a country name as GET \/api\/dashboard lists it$/],
    ['?continent=Europe&continent=Asia', /^parameter continent is given twice; give it once$/],
  ] as const) {
    it(`refuses ${decodeURIComponent(query)} with 400 and a message naming the input and the fix`, async () => {
      const { status, type, body } = await get(`/api/data${query}`);
      expect(status).to.equal(400);
      expect(type).to.match(/^application\/json/);
      expect((body as ErrorResponse).error).to.match(message);
    });
  }

  it('is read-only and answers unknown paths with 404', async () => {
    const post = await get('/api/data', { method: 'POST', body: 'select 1' });
    expect(post.status).to.equal(405);
    expect((post.body as ErrorResponse).error).to.equal('POST is not allowed: the dashboard is read-only; use GET');
    const missing = await get('/api/sql');
    expect(missing.status).to.equal(404);
    expect((missing.body as ErrorResponse).error).to.match(/^nothing at \/api\/sql; the dashboard serves \//);
  });

  it('describes the dashboard: its visuals, its filters and their choices, narrowed by continent', async () => {
    const description = (await get('/api/dashboard')).body as DashboardDescription;
    expect(description.visuals.map((visual) => visual.id)).to.deep.equal(DASHBOARD.visuals.map((visual) => visual.id));
    expect(description.choices.continents.map((choice) => choice.value)).to.include.members(['Africa', 'Europe', 'Asia']);
    expect(description.choices.countries.find((choice) => choice.value === 'France')?.parent).to.equal('Europe');
    expect(description.countryNumericCodes.FR).to.equal('250');
  });

  it('serves the page, its bundled script and the world map without any other host', async () => {
    const page = await fetch(server.url);
    const html = await page.text();
    expect(html).to.include('<script src="/assets/dashboard.js"></script>');
    expect(html).to.not.match(/https?:\/\//);
    const script = await (await fetch(new URL('/assets/dashboard.js', server.url))).text();
    expect(script.length).to.be.greaterThan(100_000);
    const world = (await get('/api/world')).body as { type: string; features: { properties: { name: string } }[] };
    expect(world.type).to.equal('FeatureCollection');
    expect(world.features.map((feature) => feature.properties.name)).to.include.members(['250', '840', '356']);
  });

  it('refuses to start on a folder that holds no lake, and says how to make one', async () => {
    const missing = join(tmpdir(), 'no-such-lake-here');
    const failure = await startDashboardServer({ storeDir: missing, port: 0 }).catch((error: unknown) => error);
    expect((failure as Error).message).to.equal(`no local lake at ${missing}: run "npm run local" to create one, or give --store <folder of a lake>`);
  });
});
