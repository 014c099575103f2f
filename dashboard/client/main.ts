/**
 * The local dashboard page: draws the definition's sheet (filters, KPI tiles, charts), then asks the
 * API for every visual's data whenever a filter changes. Each visual's element carries its state
 * (`data-state`) and the values it shows (`data-values`); the body counts completed renders
 * (`data-render-count`), names the filter values of the last one (`data-query`) and says whether
 * there was anything to show (`data-content`: `events`, `no-match` or `no-events`), so a reader, a
 * test or the benchmark can tell when the page is current.
 */
import type { DashboardDescription, DataResponse, ErrorResponse, SeriesData, VisualData } from '../api-types';
import type { ChoiceFilter, Visual } from '../schema';
import { LAYOUT_COLUMNS } from '../schema';
import { chartOption, echarts, WORLD_MAP, type MapLookup } from './charts';
import { formatValue } from './format';

const GRID_ROW_PX = 28;

interface WorldFeature {
  readonly properties: { readonly name: string; readonly label: string };
}
interface World {
  readonly type: 'FeatureCollection';
  readonly features: readonly WorldFeature[];
}

interface Page {
  readonly description: DashboardDescription;
  readonly map: MapLookup;
  readonly elements: Map<string, HTMLElement>;
  readonly charts: Map<string, echarts.ECharts>;
  readonly inputs: Map<string, HTMLInputElement | HTMLSelectElement>;
  /** Date fields the reader set (or the address did); the others show the lake's first or last date. */
  readonly chosenDates: Set<string>;
  request: AbortController | undefined;
  renders: number;
}

/** A 4xx/5xx answer of the API, with its list of wrong filter values when it has one. */
class ApiError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal });
  const body = (await response.json()) as T | ErrorResponse;
  if (!response.ok) {
    const error = body as ErrorResponse;
    throw new ApiError(error.error ?? `${url}: HTTP ${response.status}`, error.problems ?? []);
  }
  return body as T;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  if (text !== undefined) created.textContent = text;
  return created;
}

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

/** Shows which part of the page is current: the sheet, a notice instead of it, or an error. */
function showContent(content: 'events' | 'no-match' | 'no-events' | 'error'): void {
  document.body.dataset.content = content;
  byId('sheet').hidden = content !== 'events';
  byId('filters').hidden = content === 'no-events';
  byId('empty').hidden = content !== 'no-events';
  byId('no-match').hidden = content !== 'no-match';
  byId('error').hidden = content !== 'error';
}

function showError(message: string, problems: readonly string[] = []): void {
  const banner = byId('error');
  if (problems.length > 0) {
    const list = element('ul');
    for (const problem of problems) list.append(element('li', {}, problem));
    banner.replaceChildren(element('p', {}, 'The filters in this address are not valid, so nothing is shown:'), list, element('p', {}, 'Choose other values above, or '));
    const reset = element('a', { href: location.pathname }, 'show every event');
    banner.lastElementChild?.append(reset, '.');
  } else {
    banner.replaceChildren(element('p', {}, message));
  }
  showContent('error');
  document.body.dataset.state = 'error';
}

function choiceOptions(select: HTMLSelectElement, filter: ChoiceFilter, page: Page, parentValue: string | undefined): void {
  const previous = select.value;
  select.replaceChildren(element('option', { value: filter.allValue }, filter.allLabel));
  const choices = page.description.choices[filter.source].filter((choice) => parentValue === undefined || choice.parent === parentValue);
  for (const choice of choices) select.append(element('option', { value: choice.value }, choice.label));
  select.value = choices.some((choice) => choice.value === previous) ? previous : filter.allValue;
}

/** A narrowing filter (continent) re-lists the filters it narrows (countries of that continent). */
function narrowBy(page: Page, filter: ChoiceFilter): void {
  const control = page.inputs.get(filter.parameter);
  if (!control) return;
  for (const narrowed of page.description.filters.filter((candidate): candidate is ChoiceFilter => candidate.kind === 'choice' && candidate.narrowedBy === filter.id)) {
    const select = page.inputs.get(narrowed.parameter);
    if (select instanceof HTMLSelectElement) choiceOptions(select, narrowed, page, control.value === filter.allValue ? undefined : control.value);
  }
}

function buildFilters(page: Page, onChange: () => void): HTMLElement {
  const bar = element('form', { class: 'filters', id: 'filters' });
  bar.addEventListener('submit', (event) => event.preventDefault());
  const add = (label: string, control: HTMLInputElement | HTMLSelectElement, name: string) => {
    control.name = name;
    control.id = `filter-${name}`;
    page.inputs.set(name, control);
    const wrapper = element('label', { for: control.id, class: 'filter' });
    wrapper.append(element('span', {}, label), control);
    bar.append(wrapper);
  };
  for (const filter of page.description.filters) {
    if (filter.kind === 'date_range') {
      for (const [label, name] of [[`${filter.label}: from`, filter.startParameter], ['to', filter.endParameter]] as const) {
        const input = element('input', { type: 'date' });
        // A cleared field goes back to the lake's own first or last date once the answer comes.
        input.addEventListener('change', () => (input.value === '' ? page.chosenDates.delete(name) : page.chosenDates.add(name)));
        add(label, input, name);
      }
    } else {
      const select = element('select');
      add(filter.label, select, filter.parameter);
      choiceOptions(select, filter, page, undefined);
    }
  }
  for (const filter of page.description.filters) {
    if (filter.kind === 'choice') page.inputs.get(filter.parameter)?.addEventListener('change', () => narrowBy(page, filter));
  }
  for (const control of page.inputs.values()) control.addEventListener('change', onChange);
  return bar;
}

function buildSheet(page: Page): HTMLElement {
  const sheet = page.description.sheets[0];
  const grid = element('main', { class: 'sheet', id: 'sheet', 'data-sheet-id': sheet.id });
  grid.style.gridTemplateColumns = `repeat(${LAYOUT_COLUMNS}, minmax(0, 1fr))`;
  const visuals = new Map(page.description.visuals.map((visual) => [visual.id, visual]));
  for (const row of sheet.rows) {
    for (const cell of row.cells) {
      const visual = visuals.get(cell.visual);
      if (!visual) continue;
      const box = element('section', { class: `visual visual-${visual.kind}`, 'data-visual-id': visual.id, 'data-kind': visual.kind, 'data-state': 'loading' });
      // In a narrow window (style.css) the tiles go three to a row and every chart takes the whole width.
      box.style.setProperty('--span', String(cell.width));
      box.style.setProperty('--narrow-span', String(visual.kind === 'kpi' ? LAYOUT_COLUMNS / 3 : LAYOUT_COLUMNS));
      box.style.height = `${row.height * GRID_ROW_PX}px`;
      box.append(element('h2', {}, visual.title), element('p', { class: 'subtitle' }, visual.subtitle));
      const body = element('div', { class: visual.kind === 'kpi' ? 'kpi-value' : 'chart' });
      box.append(body);
      grid.append(box);
      page.elements.set(visual.id, box);
    }
  }
  return grid;
}

/** What the page shows instead of the sheet while the lake holds no events. */
function buildEmptyState(): HTMLElement {
  const panel = element('section', { id: 'empty', class: 'notice' });
  const command = (text: string) => element('code', {}, text);
  const ways = element('ul');
  const local = element('li');
  local.append(command('npm run local -- --no-serve'), ' generates three days of simulated traffic into ', command('.lake'), ' and loads it (add ', command('--store <folder>'), ' for another lake);');
  const own = element('li');
  own.append('or put JSON-lines event files under ', command('raw/'), ' in the lake and run ', command('npm run etl'), '.');
  ways.append(local, own);
  panel.append(element('h2', {}, 'No events yet'), element('p', {}, "This dashboard's lake holds no events yet. Load some, then reload this page:"), ways);
  panel.hidden = true;
  return panel;
}

/** Charts measure their element: they start once the sheet is in the document. */
function startCharts(page: Page): void {
  for (const visual of page.description.visuals) {
    const body = page.elements.get(visual.id)?.querySelector<HTMLElement>('.chart');
    if (body) page.charts.set(visual.id, echarts.init(body, undefined, { renderer: 'svg' }));
  }
}

function hasData(data: VisualData): boolean {
  return data.kind === 'kpi' ? data.value !== null : data.categories.length > 0;
}

/** No visual has a number other than zero: no event matches the filters. */
function nothingMatches(response: DataResponse): boolean {
  const numbers = Object.values(response.visuals).flatMap((data) => (data.kind === 'kpi' ? [data.value] : data.series.flatMap((series) => series.values)));
  return numbers.every((value) => value === null || value === 0);
}

function renderVisual(page: Page, visual: Visual, data: VisualData | undefined): void {
  const box = page.elements.get(visual.id);
  if (!box) return;
  if (!data) {
    box.dataset.state = 'error';
    return;
  }
  box.dataset.values = JSON.stringify(data);
  if (visual.kind === 'kpi' && data.kind === 'kpi') {
    const body = box.querySelector('.kpi-value');
    if (body) body.textContent = formatValue(data.value, visual.value.format);
  } else {
    const chart = page.charts.get(visual.id);
    chart?.setOption(chartOption(visual, data as SeriesData, page.map), { notMerge: true });
  }
  box.dataset.state = hasData(data) ? 'rendered' : 'empty';
}

/** The filter values that restrict anything: dates the reader did not set and "all" choices are left out. */
function currentQuery(page: Page): string {
  const unset = new Set(['', ...page.description.filters.flatMap((filter) => (filter.kind === 'choice' ? [filter.allValue] : []))]);
  const dates = new Set(page.description.filters.flatMap((filter) => (filter.kind === 'date_range' ? [filter.startParameter, filter.endParameter] : [])));
  const search = new URLSearchParams();
  for (const [name, control] of page.inputs) {
    if (dates.has(name) && !page.chosenDates.has(name)) continue;
    if (!unset.has(control.value)) search.set(name, control.value);
  }
  return search.toString();
}

/** Date fields the reader left alone show the range shown: the lake's first and last event dates. */
function showDateRange(page: Page, response: DataResponse): void {
  for (const filter of page.description.filters) {
    if (filter.kind !== 'date_range') continue;
    for (const [name, date] of [
      [filter.startParameter, response.eventDates?.first],
      [filter.endParameter, response.eventDates?.last],
    ] as const) {
      const control = page.inputs.get(name);
      if (!control) continue;
      if (!page.chosenDates.has(name)) control.value = date ?? '';
      if (response.eventDates) {
        control.setAttribute('min', response.eventDates.first);
        control.setAttribute('max', response.eventDates.last);
      }
    }
  }
}

function showNoMatch(response: DataResponse): void {
  const range = response.eventDates ? ` The lake holds events from ${response.eventDates.first} to ${response.eventDates.last} (UTC).` : '';
  byId('no-match').replaceChildren(element('h2', {}, 'No events match these filters'), element('p', {}, `Choose a wider date range, another continent or another country.${range}`));
}

/**
 * Asks for every visual's data and draws it. `sent` is the query string as sent: the page's own
 * controls, or at start the address as given, so that a wrong value in a bookmark is reported
 * instead of being dropped by a control that cannot hold it.
 */
async function refresh(page: Page, sent = currentQuery(page)): Promise<void> {
  const started = performance.now();
  page.request?.abort();
  const request = new AbortController();
  page.request = request;
  document.body.dataset.state = 'loading';
  try {
    const response = await getJson<DataResponse>(`/api/data?${sent}`, request.signal);
    showDateRange(page, response);
    const query = currentQuery(page);
    if (response.eventDates === null) {
      showContent('no-events');
    } else if (nothingMatches(response)) {
      showNoMatch(response);
      showContent('no-match');
    } else {
      showContent('events');
      for (const visual of page.description.visuals) renderVisual(page, visual, response.visuals[visual.id]);
    }
    if (page.description.debug) byId('status').textContent = `queries answered in ${response.queryMs} ms`;
    page.renders += 1;
    document.body.dataset.renderCount = String(page.renders);
    document.body.dataset.query = query;
    document.body.dataset.queryMs = String(response.queryMs);
    // From the filter change (or page start) to every visual drawn: charts paint synchronously.
    document.body.dataset.renderMs = String(Math.round(performance.now() - started));
    // The address names the filters, so a view can be bookmarked or shared.
    history.replaceState(null, '', query === '' ? location.pathname : `?${query}`);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (request.signal.aborted) return;
    if (error instanceof ApiError) {
      showError(error.message, error.problems);
      return;
    }
    console.error(error);
    showError(error instanceof Error ? error.message : String(error));
  }
}

/** A date field holds calendar dates (YYYY-MM-DD), a list one of its options. */
function canHold(control: HTMLInputElement | HTMLSelectElement, value: string): boolean {
  if (control instanceof HTMLSelectElement) return Array.from(control.options).some((option) => option.value === value);
  const date = new Date(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Filter values given in the page's address (`?continent=Europe`), set before the first query. */
function applyAddress(page: Page): void {
  const given = new URLSearchParams(location.search);
  for (const filter of page.description.filters) {
    const names = filter.kind === 'date_range' ? [filter.startParameter, filter.endParameter] : [filter.parameter];
    for (const name of names) {
      const control = page.inputs.get(name);
      const value = given.get(name);
      // A value the control cannot hold stays out of it: the first answer names what is wrong with it.
      if (!control || value === null || !canHold(control, value)) continue;
      control.value = value;
      if (filter.kind === 'date_range' && value !== '') page.chosenDates.add(name);
      if (filter.kind === 'choice') narrowBy(page, filter);
    }
  }
}

function mapLookup(world: World, description: DashboardDescription): MapLookup {
  const labelOf: Record<string, string> = {};
  for (const feature of world.features) labelOf[feature.properties.name] = feature.properties.label;
  return { regionOf: description.countryNumericCodes, labelOf };
}

async function start(): Promise<void> {
  const [description, world] = await Promise.all([getJson<DashboardDescription>('/api/dashboard'), getJson<World>('/api/world')]);
  echarts.registerMap(WORLD_MAP, world as unknown as Parameters<typeof echarts.registerMap>[1]);
  document.title = description.title;
  const page: Page = {
    description,
    map: mapLookup(world, description),
    elements: new Map(),
    charts: new Map(),
    inputs: new Map(),
    chosenDates: new Set(),
    request: undefined,
    renders: 0,
  };
  const header = element('header');
  // Query timings are for whoever works on the dashboard (DASHBOARD_DEBUG=1), not for its readers.
  header.append(element('h1', {}, description.title), element('p', { id: 'status', class: 'status' }));
  const banner = element('div', { id: 'error', class: 'error', role: 'alert' });
  const noMatch = element('section', { id: 'no-match', class: 'notice' });
  banner.hidden = true;
  noMatch.hidden = true;
  document.body.replaceChildren(header, buildFilters(page, () => void refresh(page)), banner, buildEmptyState(), noMatch, buildSheet(page));
  startCharts(page);
  applyAddress(page);
  window.addEventListener('resize', () => {
    for (const chart of page.charts.values()) chart.resize();
  });
  await refresh(page, location.search.slice(1));
}

start().catch((error: unknown) => showError(`the dashboard could not start: ${error instanceof Error ? error.message : String(error)}`));
