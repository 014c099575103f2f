import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkDefinition } from '../../dashboard/check-definition';
import { describeQueries, type QueryColumns } from '../../dashboard/dataset-columns';
import { DASHBOARD } from '../../dashboard/definition';
import type { DashboardDefinition, Visual } from '../../dashboard/schema';
import { loadCatalogue } from '../../queries/catalogue';
import { openLocalCatalog } from '../../queries/local-catalog';
import { runLocalNamedQuery } from '../../queries/local-runner';

const catalogue = loadCatalogue();

function withVisual(definition: DashboardDefinition, id: string, change: (visual: Visual) => Visual): DashboardDefinition {
  return { ...definition, visuals: definition.visuals.map((visual) => (visual.id === id ? change(visual) : visual)) };
}

describe('dashboard definition', () => {
  let columns: QueryColumns;
  before(async () => {
    columns = await describeQueries(catalogue);
  });

  it('names only queries, columns and filter parameters that exist, and places every visual once', () => {
    expect(checkDefinition(DASHBOARD, catalogue, columns)).to.deep.equal([]);
  });

  it('holds the visuals the issue asks for: five headline figures, a country map, the funnel, activity over time, actions, ages and devices', () => {
    const kpiColumns = DASHBOARD.visuals.flatMap((visual) => (visual.kind === 'kpi' ? [`${visual.dataset}.${visual.value.column}`] : []));
    expect(kpiColumns).to.include.members([
      'activity_summary.events',
      'activity_summary.users',
      'activity_summary.sessions',
      'activity_summary.average_user_age',
      'conversion_funnel.conversion_from_first_pct',
    ]);
    const byDataset = (kind: Visual['kind']) => DASHBOARD.visuals.filter((visual) => visual.kind === kind).map((visual) => visual.dataset);
    expect(byDataset('filled_map')).to.deep.equal(['most_active_regions']);
    expect(byDataset('funnel')).to.deep.equal(['conversion_funnel']);
    expect(byDataset('line')).to.deep.equal(['daily_activity']);
    expect(byDataset('bar')).to.have.members(['popular_actions', 'user_age_breakdown']);
    expect(byDataset('donut')).to.deep.equal(['device_mix']);
  });

  it('filters by a date range and by continent and country', () => {
    expect(DASHBOARD.filters.map((filter) => (filter.kind === 'date_range' ? `${filter.startParameter}..${filter.endParameter}` : filter.parameter))).to.deep.equal([
      'start_date..end_date',
      'continent',
      'country',
    ]);
  });

  it('reads each query\'s columns and their kinds exactly as the local runner returns them', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dashboard-columns-'));
    const catalog = await openLocalCatalog(empty);
    try {
      for (const query of catalogue) {
        const result = await runLocalNamedQuery(catalog, query);
        expect(columns[query.name], query.name).to.deep.equal(result.columns.map((column) => ({ name: column.name, kind: column.kind })));
      }
    } finally {
      await catalog.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  describe('checks', () => {
    const problemsOf = (definition: DashboardDefinition) => checkDefinition(definition, catalogue, columns);

    it('name a column its dataset lacks', () => {
      const broken = withVisual(DASHBOARD, 'kpi_users', (visual) => (visual.kind === 'kpi' ? { ...visual, value: { ...visual.value, column: 'visitors' } } : visual));
      expect(problemsOf(broken)).to.deep.equal([
        'visual kpi_users: column "visitors" is not in dataset activity_summary (columns: events, users, sessions, average_user_age)',
      ]);
    });

    it('name an undeclared dataset, and a declared dataset no visual uses', () => {
      const broken = withVisual(DASHBOARD, 'donut_device_mix', (visual) => ({ ...visual, dataset: 'devices' }));
      expect(problemsOf(broken)).to.deep.include.members([
        'dataset device_mix is declared but no visual uses it; remove it or add a visual',
        `visual donut_device_mix: dataset "devices" is not declared; declared: ${DASHBOARD.datasets.map((dataset) => dataset.id).join(', ')}`,
      ]);
    });

    it('name a duplicate visual id and a visual missing from the layout', () => {
      const [first, ...rest] = DASHBOARD.visuals;
      const broken = { ...DASHBOARD, visuals: [first, { ...rest[0], id: first.id }, ...rest.slice(1)] };
      expect(problemsOf(broken)).to.include.members([`visual id "${first.id}" is used twice; ids must be unique`, `the layout places "${rest[0].id}", which is not a visual`]);
      const unplaced = { ...DASHBOARD, sheets: DASHBOARD.sheets.map((sheet) => ({ ...sheet, rows: sheet.rows.slice(1) })) };
      expect(problemsOf(unplaced)).to.include('visual kpi_events is not placed in any sheet\'s layout');
    });

    it('name a query that lacks a filter\'s parameter, and a measure that is not a number', () => {
      const broken: DashboardDefinition = {
        ...withVisual(DASHBOARD, 'bar_popular_actions', (visual) => (visual.kind === 'bar' ? { ...visual, value: { ...visual.value, column: 'event_type' } } : visual)),
        datasets: [...DASHBOARD.datasets, { id: 'hourly', query: 'hourly_traffic' }],
      };
      expect(problemsOf(broken)).to.include.members([
        'dataset hourly: query hourly_traffic has no parameter continent, which filter continent sets; add it to hourly_traffic.sql',
        'visual bar_popular_actions: value column event_type is string; a measure must be a number',
      ]);
    });

    it('name a date range whose default is not a whole number of days', () => {
      const broken: DashboardDefinition = { ...DASHBOARD, filters: DASHBOARD.filters.map((filter) => (filter.kind === 'date_range' ? { ...filter, defaultLastDays: 0 } : filter)) };
      expect(problemsOf(broken)).to.deep.equal(['filter event_dates: defaultLastDays is 0; give a whole number of days, at least 1']);
    });

    it('name a row wider than the sheet', () => {
      const wide = { ...DASHBOARD, sheets: DASHBOARD.sheets.map((sheet) => ({ ...sheet, rows: sheet.rows.map((row) => ({ ...row, cells: row.cells.map((cell) => ({ ...cell, width: 7 })) })) })) };
      expect(problemsOf(wide).some((problem) => problem.startsWith('sheet overview row 1: widths must be whole twelfths'))).to.equal(true);
    });
  });
});
