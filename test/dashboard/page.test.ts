import { mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { VisualData } from '../../dashboard/api-types';
import { DASHBOARD } from '../../dashboard/definition';
import { startDashboardServer, type DashboardServer } from '../../dashboard/server';
import { EVENT_TYPE_NAMES, EVENT_TYPES } from '../../model/events';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { localLake } from '../../store/lake';
import { asExpected, expectedVisual } from './expected';
import { acquireTestLake, releaseTestLake } from './lake';
import { labelsOverShapes, textBoxProblems } from './text-boxes';

/** Debian's Chromium, driven headless (playwright's own browser download is not available here). */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** Types a date (or clears it) as a user would; the field fires its change event. */
async function setDate(page: Page, name: string, value: string): Promise<void> {
  await page.fill(`#filter-${name}`, value);
}

const SCREENSHOT = join(__dirname, '..', '..', '.out', 'test', 'dashboard.png');

/** Waits until the page shows the data of exactly these filter values (the controls' order). */
export async function renderedFor(page: Page, filters: Readonly<Record<string, string>>): Promise<void> {
  const query = new URLSearchParams(FILTER_ORDER.flatMap((name) => (filters[name] ? [[name, filters[name]]] : []))).toString();
  await page.waitForFunction((wanted) => document.body.dataset.query === wanted && document.body.dataset.state === 'ready', query);
}

const FILTER_ORDER = ['start_date', 'end_date', 'continent', 'country'];

async function shownData(page: Page): Promise<Record<string, VisualData>> {
  const pairs = await page.$$eval('[data-visual-id]', (elements) => elements.map((element) => [element.getAttribute('data-visual-id'), element.getAttribute('data-values')]));
  return Object.fromEntries(pairs.map(([id, values]) => [String(id), JSON.parse(String(values)) as VisualData]));
}

/** The number a KPI tile shows, read back from its text ("12,345", "41.2", "15.3 %"). */
async function tileNumber(page: Page, id: string): Promise<number> {
  const text = await page.textContent(`[data-visual-id="${id}"] .kpi-value`);
  return Number(String(text).replace(/[,\s%]/g, ''));
}

describe('local dashboard page in headless Chromium', function () {
  this.timeout(120_000);
  let server: DashboardServer;
  let catalog: LocalCatalog;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    const { lake } = await acquireTestLake();
    [server, catalog, browser] = await Promise.all([
      startDashboardServer({ lake, port: 0 }),
      openLocalCatalog(lake, { tables: ['events', 'session_days'] }),
      chromium.launch(CHROMIUM),
    ]);
    page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A request the page cancels because a newer filter value superseded it is not a failure.
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()}: ${request.failure()?.errorText}`);
    });
    await page.goto(server.url);
    await renderedFor(page, {});
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await catalog?.close();
    await releaseTestLake();
  });

  it('loads without a console error or warning, a page error or a failed request', () => {
    expect(problems).to.deep.equal([]);
  });

  it('renders every visual of the definition with data: tiles show numbers, charts draw as SVG', async () => {
    const states = await page.$$eval('[data-visual-id]', (elements) => elements.map((element) => `${element.getAttribute('data-visual-id')}:${element.getAttribute('data-state')}`));
    expect(states).to.have.members(DASHBOARD.visuals.map((visual) => `${visual.id}:rendered`));
    for (const visual of DASHBOARD.visuals) {
      if (visual.kind === 'kpi') {
        expect(await tileNumber(page, visual.id), visual.id).to.be.greaterThan(0);
      } else {
        const size = await page.$eval(`[data-visual-id="${visual.id}"] svg`, (svg) => [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height]);
        expect(Math.min(...size), visual.id).to.be.greaterThan(100);
      }
    }
  });

  it("shows the named queries' results: chart data, and tile numbers as printed", async () => {
    const shown = await shownData(page);
    for (const visual of DASHBOARD.visuals) {
      const expected = await expectedVisual(catalog, visual, {});
      expect(asExpected(shown[visual.id]), visual.id).to.deep.equal(expected);
      if (expected.kind === 'kpi') expect(await tileNumber(page, visual.id), visual.id).to.equal(expected.value);
    }
  });

  it('re-queries when a filter changes: a continent, then a country of it, then a date range, each time equal to the queries', async () => {
    const before = await tileNumber(page, 'kpi_events');
    await page.selectOption('#filter-continent', 'Europe');
    await renderedFor(page, { continent: 'Europe' });
    expect(await tileNumber(page, 'kpi_events')).to.be.lessThan(before);
    const countries = await page.$$eval('#filter-country option', (options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(countries).to.include('France').and.not.include('Japan');

    await page.selectOption('#filter-country', 'France');
    await renderedFor(page, { continent: 'Europe', country: 'France' });
    await setDate(page, 'start_date', '2026-01-07');
    await setDate(page, 'end_date', '2026-01-11');
    const filters = { continent: 'Europe', country: 'France', start_date: '2026-01-07', end_date: '2026-01-11' };
    await renderedFor(page, filters);
    const shown = await shownData(page);
    for (const visual of DASHBOARD.visuals) {
      expect(asExpected(shown[visual.id]), visual.id).to.deep.equal(await expectedVisual(catalog, visual, filters));
    }
    expect(problems).to.deep.equal([]);
  });

  it('writes a screenshot of the whole page to the test output folder', async () => {
    await page.selectOption('#filter-continent', 'all');
    await page.selectOption('#filter-country', 'all');
    await setDate(page, 'start_date', '');
    await setDate(page, 'end_date', '');
    await renderedFor(page, {});
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).to.be.greaterThan(50_000);
  });

  it('shows event types by their display names from the model, never as identifiers', async () => {
    const labels = await page.$$eval('[data-visual-id="bar_popular_actions"] svg text, [data-visual-id="funnel_conversion"] svg text', (texts) => texts.map((text) => text.textContent ?? ''));
    const shown = labels.join('\n');
    for (const type of EVENT_TYPES.filter((candidate) => candidate !== 'click')) expect(shown).to.include(EVENT_TYPE_NAMES[type]);
    for (const type of EVENT_TYPES) expect(shown).to.not.include(type);
  });

  it('shows the range it shows in the date fields (the lake\'s first and last dates) while the address sets none', async () => {
    expect(await page.inputValue('#filter-start_date')).to.equal('2026-01-05');
    expect(await page.inputValue('#filter-end_date')).to.equal('2026-01-14');
    expect(await page.evaluate(() => location.search)).to.equal('');
  });

  it('keeps developer detail out of the header: no lake path, no query timings', async () => {
    expect((await page.textContent('header'))?.trim()).to.equal(DASHBOARD.title);
  });
});

/** Pages of their own, on lakes of their own: one width, one address each. */
describe('local dashboard page layout and states in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: DashboardServer;
  let emptyServer: DashboardServer;
  let emptyDir: string;

  before(async () => {
    const { lake } = await acquireTestLake();
    emptyDir = await mkdtemp(join(tmpdir(), 'dashboard-page-empty-'));
    [server, emptyServer, browser] = await Promise.all([
      startDashboardServer({ lake, port: 0 }),
      startDashboardServer({ lake: localLake(emptyDir), port: 0 }),
      chromium.launch(CHROMIUM),
    ]);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await emptyServer?.close();
    await rm(emptyDir, { recursive: true, force: true });
    await releaseTestLake();
  });

  /** The page at `path`, once its first answer (or its error) is shown. */
  async function open(url: string, width: number): Promise<Page> {
    const opened = await browser.newPage({ viewport: { width, height: 900 } });
    await opened.goto(url);
    await opened.waitForFunction(() => document.body.dataset.state === 'ready' || document.body.dataset.state === 'error');
    return opened;
  }

  const visibleVisuals = (opened: Page) => opened.$$eval('[data-visual-id]', (elements) => elements.filter((element) => element.getClientRects().length > 0).length);

  for (const width of [1400, 800]) {
    it(`at ${width} px, draws every text inside its card and apart from every other text`, async () => {
      const opened = await open(server.url, width);
      expect(await opened.getAttribute('body', 'data-content')).to.equal('events');
      expect(await textBoxProblems(opened)).to.deep.equal([]);
      expect(await labelsOverShapes(opened, 'funnel_conversion'), 'funnel labels drawn over its steps').to.deep.equal([]);
      await opened.close();
    });

    it(`at ${width} px, says an empty lake holds no events yet and how to load some, instead of dashes, zeros and an empty funnel`, async () => {
      const opened = await open(emptyServer.url, width);
      expect(await opened.getAttribute('body', 'data-content')).to.equal('no-events');
      const notice = await opened.textContent('#empty');
      expect(notice).to.include('No events yet').and.include('npm run local -- --no-serve').and.include('npm run etl');
      expect(await opened.isVisible('#empty')).to.equal(true);
      expect(await visibleVisuals(opened)).to.equal(0);
      expect(await opened.isVisible('#filters')).to.equal(false);
      expect(await textBoxProblems(opened)).to.deep.equal([]);
      await opened.close();
    });
  }

  it('says what is wrong with a bookmark\'s filters instead of showing everything', async () => {
    const opened = await open(`${server.url}?continent=Narnia&start_date=2026-99-01`, 1400);
    expect(await opened.getAttribute('body', 'data-state')).to.equal('error');
    const items = await opened.$$eval('#error li', (elements) => elements.map((element) => element.textContent ?? ''));
    expect(items).to.have.length(2);
    expect(items[0]).to.match(/^continent "Narnia" is not offered; use all or Africa/);
    expect(items[1]).to.match(/^start_date: "2026-99-01" is not a calendar date/);
    expect(await visibleVisuals(opened)).to.equal(0);
    expect(await textBoxProblems(opened)).to.deep.equal([]);
    await opened.close();
  });

  it('says why a country outside the chosen continent shows nothing', async () => {
    const opened = await open(`${server.url}?continent=Europe&country=Japan`, 1400);
    expect(await opened.textContent('#error')).to.include('country Japan is in Asia, not in continent Europe');
    expect(await visibleVisuals(opened)).to.equal(0);
    await opened.close();
  });

  it('says that no event matches filters that select none, and which dates the lake holds', async () => {
    const opened = await open(`${server.url}?start_date=2026-03-01`, 1400);
    expect(await opened.getAttribute('body', 'data-content')).to.equal('no-match');
    expect(await opened.textContent('#no-match')).to.include('No events match these filters').and.include('from 2026-01-05 to 2026-01-14');
    expect(await visibleVisuals(opened)).to.equal(0);
    await opened.close();
  });
});
