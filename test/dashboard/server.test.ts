import { expect } from 'chai';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { DashboardDescription, DataResponse, ErrorResponse, SeriesData } from '../../dashboard/api-types';
import { DashboardData } from '../../dashboard/dashboard-data';
import { duckdbDatasets } from '../../dashboard/duckdb-datasets';
import { DASHBOARD } from '../../dashboard/definition';
import { startDashboardServer, type DashboardServer } from '../../dashboard/server';
import { loadCatalogue } from '../../queries/catalogue';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { localLake, s3Lake } from '../../store/lake';
import { freshLakeBuckets, sharedMoto } from '../twin';
import { asExpected, datasetRows, expectedVisual } from './expected';
import { acquireTestLake, loadTestEvents, releaseTestLake } from './lake';

/** A GET with a Host header of our choosing (fetch always sends the address's own). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { Host: host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('local dashboard server (JSON API over the local lake)', function () {
  this.timeout(120_000);
  let server: DashboardServer;
  let catalog: LocalCatalog;
  let lakeDir: string;

  before(async () => {
    const { lake, dir } = await acquireTestLake();
    lakeDir = dir;
    server = await startDashboardServer({ lake, port: 0 });
    catalog = await openLocalCatalog(lake, { tables: ['events', 'session_days'] });
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

  it("starts a page's queries when the page is requested: its first data request gets that answer and runs none of its own", async () => {
    const { lake } = await acquireTestLake();
    const dashboardData = await DashboardData.open(duckdbDatasets(lake), DASHBOARD, loadCatalogue());
    try {
      const filters = { continent: 'Oceania', start_date: '2026-01-06' };
      dashboardData.prefetch(filters);
      // A request abandoned at once would run no query of its own: it still gets the prefetched answer.
      const answer = await dashboardData.answer(filters, AbortSignal.abort());
      expect(answer.parameters).to.deep.equal({ start_date: '2026-01-06', end_date: '9999-12-31', continent: 'Oceania', country: 'all' });
      for (const visual of DASHBOARD.visuals) {
        expect(asExpected(answer.visuals[visual.id]), visual.id).to.deep.equal(await expectedVisual(catalog, visual, filters));
      }
    } finally {
      await dashboardData.close();
      await releaseTestLake();
    }
  });

  it("names the lake's first and last event dates, whatever the filters, so the page can say which range it shows", async () => {
    expect((await data('')).eventDates).to.deep.equal({ first: '2026-01-05', last: '2026-01-14' });
    expect((await data('?continent=Europe&start_date=2026-01-07&end_date=2026-01-08')).eventDates).to.deep.equal({ first: '2026-01-05', last: '2026-01-14' });
  });

  it('refuses a request whose Host is another name (DNS rebinding), and answers to localhost and IP addresses', async () => {
    const port = new URL(server.url).port;
    for (const path of ['/api/data', '/api/dashboard', '/']) {
      const refused = await getWithHost(new URL(path, server.url).toString(), 'evil.example.com');
      expect(refused.status, path).to.equal(403);
      expect((JSON.parse(refused.body) as ErrorResponse).error).to.equal(
        `Host "evil.example.com" is not an address of this dashboard, which answers only to localhost, IP addresses and its --host name (so that no other web site can read it); open the dashboard as ${server.url}`,
      );
    }
    expect((await getWithHost(new URL('/api/dashboard', server.url).toString(), `evil.example.com:${port}`)).status).to.equal(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await getWithHost(new URL('/api/dashboard', server.url).toString(), host)).status, host).to.equal(200);
    }
  });

  it("does not reveal the lake's folder in /api/dashboard, nor query timings unless DASHBOARD_DEBUG is set", async () => {
    const { body } = await get('/api/dashboard');
    const text = JSON.stringify(body);
    expect(text).to.not.include(lakeDir);
    expect(text).to.not.include('file://');
    expect((body as DashboardDescription).debug).to.equal(false);
  });

  for (const [label, path] of [
    ['parameter value', `/api/data?country=${'A'.repeat(8192)}`],
    ['date value', `/api/data?start_date=${'9'.repeat(8192)}`],
    ['parameter name', `/api/data?${'x'.repeat(8192)}=1`],
    ['path', `/${'p'.repeat(8192)}`],
  ] as const) {
    it(`names an 8 KB ${label} by its first characters and its length, without sending it back in full`, async () => {
      const { status, body } = await get(path);
      expect(status).to.be.oneOf([400, 404]);
      const { error } = body as ErrorResponse;
      expect(error).to.match(/…" \(8,19[23] characters\)/);
      expect(JSON.stringify(body).length).to.be.lessThan(600);
    });
  }

  it('lists every wrong value of a bad bookmark in one 400, each with its fix', async () => {
    const { status, body } = await get('/api/data?continent=Narnia&start_date=2026-99-01');
    expect(status).to.equal(400);
    const { error, problems } = body as ErrorResponse;
    expect(problems).to.have.length(2);
    expect(problems?.[0]).to.match(/^continent "Narnia" is not offered; use all or Africa, .*Europe/);
    expect(problems?.[1]).to.match(/^start_date: "2026-99-01" is not a calendar date as YYYY-MM-DD/);
    expect(error).to.equal(problems?.join('; '));
  });

  it('says why a country outside the chosen continent can match nothing, instead of answering nulls', async () => {
    const { status, body } = await get('/api/data?continent=Europe&country=Japan');
    expect(status).to.equal(400);
    expect((body as ErrorResponse).error).to.equal(
      'country Japan is in Asia, not in continent Europe, so no event matches both; choose a country of Europe, or set continent to Asia or all',
    );
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
    expect((missing.body as ErrorResponse).error).to.match(/^nothing at "\/api\/sql"; the dashboard serves \//);
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

describe('local dashboard server on a lake without events', function () {
  this.timeout(120_000);
  let dir: string;
  let server: DashboardServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dashboard-empty-lake-'));
    server = await startDashboardServer({ lake: localLake(dir), port: 0 });
  });

  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const data = async () => {
    const response = await fetch(new URL('/api/data', server.url));
    expect(response.status).to.equal(200);
    return (await response.json()) as DataResponse;
  };

  it('says the lake holds no events yet (no event dates), then shows events once the ETL has loaded some, without a restart', async () => {
    const empty = await data();
    expect(empty.eventDates).to.equal(null);
    expect(empty.visuals.kpi_events).to.deep.equal({ kind: 'kpi', value: null });
    await loadTestEvents(localLake(dir), 600);
    const loaded = await data();
    expect(loaded.eventDates).to.not.equal(null);
    const events = loaded.visuals.kpi_events;
    expect(events.kind === 'kpi' ? events.value : null).to.be.greaterThan(0);
  });
});

describe('local dashboard server on an S3 lake (moto server)', function () {
  this.timeout(120_000);
  let server: DashboardServer;

  before(async () => {
    const moto = await sharedMoto();
    const lake = s3Lake({ ...moto.clientOptions, buckets: await freshLakeBuckets('dashboard') });
    await loadTestEvents(lake, 600);
    server = await startDashboardServer({ lake, port: 0 });
  });

  after(async () => {
    await server?.close();
  });

  it('answers from the copy it staged, with the event dates of that copy', async () => {
    const response = await fetch(new URL('/api/data', server.url));
    const answer = (await response.json()) as DataResponse;
    expect(answer.eventDates).to.deep.equal({ first: '2026-01-05', last: '2026-01-14' });
    const events = answer.visuals.kpi_events;
    expect(events.kind === 'kpi' ? events.value : null).to.be.greaterThan(0);
  });
});
