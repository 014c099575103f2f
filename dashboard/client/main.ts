/**
 * The local dashboard page: draws the definition's sheet (filters, KPI tiles, charts), then asks the
 * API for every visual's data whenever a filter changes. Each visual's element carries its state
 * (`data-state`) and the values it shows (`data-values`); the body counts completed renders
 * (`data-render-count`) and names the filter values of the last one (`data-query`), so a reader, a
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
  request: AbortController | undefined;
  renders: number;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal });
  const body = (await response.json()) as T | ErrorResponse;
  if (!response.ok) throw new Error((body as ErrorResponse).error ?? `${url}: HTTP ${response.status}`);
  return body as T;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  if (text !== undefined) created.textContent = text;
  return created;
}

function showError(message: string): void {
  const banner = document.getElementById('error');
  if (banner) {
    banner.textContent = message;
    banner.hidden = false;
  }
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
      add(`${filter.label}: from`, element('input', { type: 'date' }), filter.startParameter);
      add('to', element('input', { type: 'date' }), filter.endParameter);
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
  const grid = element('main', { class: 'sheet', 'data-sheet-id': sheet.id });
  grid.style.gridTemplateColumns = `repeat(${LAYOUT_COLUMNS}, minmax(0, 1fr))`;
  const visuals = new Map(page.description.visuals.map((visual) => [visual.id, visual]));
  for (const row of sheet.rows) {
    for (const cell of row.cells) {
      const visual = visuals.get(cell.visual);
      if (!visual) continue;
      const box = element('section', { class: `visual visual-${visual.kind}`, 'data-visual-id': visual.id, 'data-kind': visual.kind, 'data-state': 'loading' });
      box.style.gridColumn = `span ${cell.width}`;
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

/** Charts measure their element: they start once the sheet is in the document. */
function startCharts(page: Page): void {
  for (const visual of page.description.visuals) {
    const body = page.elements.get(visual.id)?.querySelector<HTMLElement>('.chart');
    if (body) page.charts.set(visual.id, echarts.init(body, undefined, { renderer: 'canvas' }));
  }
}

function hasData(data: VisualData): boolean {
  return data.kind === 'kpi' ? data.value !== null : data.categories.length > 0;
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

/** The filter values that restrict anything: empty dates and "all" choices are left out. */
function currentQuery(page: Page): string {
  const unset = new Set(['', ...page.description.filters.flatMap((filter) => (filter.kind === 'choice' ? [filter.allValue] : []))]);
  const search = new URLSearchParams();
  for (const [name, control] of page.inputs) if (!unset.has(control.value)) search.set(name, control.value);
  return search.toString();
}

async function refresh(page: Page): Promise<void> {
  const started = performance.now();
  page.request?.abort();
  const request = new AbortController();
  page.request = request;
  document.body.dataset.state = 'loading';
  try {
    const query = currentQuery(page);
    const response = await getJson<DataResponse>(`/api/data?${query}`, request.signal);
    for (const visual of page.description.visuals) renderVisual(page, visual, response.visuals[visual.id]);
    const banner = document.getElementById('error');
    if (banner) banner.hidden = true;
    const status = document.getElementById('status');
    if (status && page.description.debug) status.textContent = `queries answered in ${response.queryMs} ms`;
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
    console.error(error);
    showError(error instanceof Error ? error.message : String(error));
  }
}

/** Filter values given in the page's address (`?continent=Europe`), set before the first query. */
function applyAddress(page: Page): void {
  const given = new URLSearchParams(location.search);
  for (const filter of page.description.filters) {
    const names = filter.kind === 'date_range' ? [filter.startParameter, filter.endParameter] : [filter.parameter];
    for (const name of names) {
      const control = page.inputs.get(name);
      const value = given.get(name);
      if (!control || value === null) continue;
      control.value = value;
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
  const page: Page = { description, map: mapLookup(world, description), elements: new Map(), charts: new Map(), inputs: new Map(), request: undefined, renders: 0 };
  const header = element('header');
  header.append(element('h1', {}, description.title), element('p', { id: 'status', class: 'status' }));
  const banner = element('div', { id: 'error', class: 'error', role: 'alert' });
  banner.hidden = true;
  document.body.replaceChildren(header, buildFilters(page, () => void refresh(page)), banner, buildSheet(page));
  startCharts(page);
  applyAddress(page);
  window.addEventListener('resize', () => {
    for (const chart of page.charts.values()) chart.resize();
  });
  await refresh(page);
}

start().catch((error: unknown) => showError(`the dashboard could not start: ${error instanceof Error ? error.message : String(error)}`));
