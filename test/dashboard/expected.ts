/**
 * What each visual must show for given filters, computed in the test straight from the named
 * queries' results (run by the queries' own local runner): a KPI is its column in the selected row;
 * a chart holds, per category, the rows' values folded by the measure's aggregation.
 */
import { DASHBOARD } from '../../dashboard/definition';
import { visualFields, type Visual } from '../../dashboard/schema';
import { findQuery, loadCatalogue } from '../../queries/catalogue';
import type { LocalCatalog } from '../../queries/local-catalog';
import { runLocalNamedQuery } from '../../queries/local-runner';
import { rowObjects, type Cell } from '../../queries/result';
import type { VisualData } from '../../dashboard/api-types';

export type Expected = { readonly kind: 'kpi'; readonly value: number | null } | { readonly kind: 'series'; readonly byCategory: Map<string, (number | null)[]> };

const catalogue = loadCatalogue();

export async function datasetRows(catalog: LocalCatalog, datasetId: string, filters: Readonly<Record<string, string>>): Promise<Record<string, Cell>[]> {
  const dataset = DASHBOARD.datasets.find((candidate) => candidate.id === datasetId);
  if (!dataset) throw new Error(`no dataset ${datasetId}`);
  return rowObjects(await runLocalNamedQuery(catalog, findQuery(catalogue, dataset.query), { ...dataset.fixedParameters, ...filters }));
}

export async function expectedVisual(catalog: LocalCatalog, visual: Visual, filters: Readonly<Record<string, string>>): Promise<Expected> {
  const selection = visual.rows;
  const rows = (await datasetRows(catalog, visual.dataset, filters)).filter((row) => !selection || row[selection.column] === selection.equals);
  const { dimensions, measures } = visualFields(visual);
  if (dimensions.length === 0) {
    return { kind: 'kpi', value: rows.length === 0 ? null : (rows[0][measures[0].column] as number) };
  }
  const byCategory = new Map<string, (number | null)[]>();
  for (const row of rows) {
    const category = String(row[dimensions[0].column]);
    const values = measures.map((measure) => row[measure.column] as number | null);
    const previous = byCategory.get(category);
    byCategory.set(
      category,
      previous ? values.map((value, index) => (measures[index].aggregation === 'sum' ? (previous[index] ?? 0) + (value ?? 0) : Math.max(previous[index] ?? -Infinity, value ?? -Infinity))) : values,
    );
  }
  return { kind: 'series', byCategory };
}

/** The shown data as the same shape, to compare with `expectedVisual` (order is checked apart). */
export function asExpected(data: VisualData): Expected {
  if (data.kind === 'kpi') return data;
  return { kind: 'series', byCategory: new Map(data.categories.map((category, index) => [category, data.series.map((series) => series.values[index])])) };
}
