import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { VisualData } from '../../dashboard/api-types';
import { DASHBOARD } from '../../dashboard/definition';
import { startDashboardServer, type DashboardServer } from '../../dashboard/server';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { asExpected, expectedVisual } from './expected';
import { acquireTestLake, releaseTestLake } from './lake';

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
      openLocalCatalog(lake, { tables: ['events'] }),
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

  it('renders every visual of the definition with data: tiles show numbers, charts draw on a canvas', async () => {
    const states = await page.$$eval('[data-visual-id]', (elements) => elements.map((element) => `${element.getAttribute('data-visual-id')}:${element.getAttribute('data-state')}`));
    expect(states).to.have.members(DASHBOARD.visuals.map((visual) => `${visual.id}:rendered`));
    for (const visual of DASHBOARD.visuals) {
      if (visual.kind === 'kpi') {
        expect(await tileNumber(page, visual.id), visual.id).to.be.greaterThan(0);
      } else {
        const size = await page.$eval(`[data-visual-id="${visual.id}"] canvas`, (canvas) => [(canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height]);
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
});
