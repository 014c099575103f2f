/**
 * From a dataset's rows to what one visual plots, as the definition says: keep the selected rows,
 * fold them per category with the measure's aggregation, order the categories. QuickSight does the
 * same with the same definition (field wells, aggregation functions, sorts and visual filters).
 */
import { rowObjects, type Cell, type QueryResult } from '../queries/result';
import type { KpiData, SeriesData, VisualData } from './api-types';
import { visualFields, type Aggregation, type CategoryOrder, type Visual } from './schema';

type Row = Readonly<Record<string, Cell>>;

function numberOf(cell: Cell | undefined): number | null {
  if (cell === null || cell === undefined || typeof cell === 'boolean') return null;
  const value = typeof cell === 'number' ? cell : Number(cell);
  return Number.isFinite(value) ? value : null;
}

function fold(values: readonly (number | null)[], aggregation: Aggregation): number | null {
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return null;
  return aggregation === 'sum' ? present.reduce((sum, value) => sum + value, 0) : Math.max(...present);
}

function compare(a: Cell | number | null, b: Cell | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}

function selected(visual: Visual, rows: readonly Row[]): Row[] {
  const selection = visual.rows;
  return selection ? rows.filter((row) => row[selection.column] === selection.equals) : [...rows];
}

function seriesData(visual: Visual, rows: readonly Row[], order: CategoryOrder | undefined): SeriesData {
  const { dimensions, measures } = visualFields(visual);
  const dimension = dimensions[0].column;
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = String(row[dimension]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let categories = [...groups.keys()];
  if (order) {
    const measure = measures.find((candidate) => candidate.column === order.column);
    const sortKey = (category: string): Cell | number | null => {
      const members = groups.get(category) ?? [];
      if (order.column === dimension) return category;
      if (measure) return fold(members.map((row) => numberOf(row[measure.column])), measure.aggregation);
      // Another column: its largest value in the group, as QuickSight's column sort with MAX.
      return fold(members.map((row) => numberOf(row[order.column])), 'max');
    };
    const direction = order.direction === 'ascending' ? 1 : -1;
    categories = [...categories].sort((a, b) => direction * compare(sortKey(a), sortKey(b)));
  }
  return {
    kind: 'series',
    categories,
    series: measures.map((measure) => ({
      label: measure.label,
      values: categories.map((category) => fold((groups.get(category) ?? []).map((row) => numberOf(row[measure.column])), measure.aggregation)),
    })),
  };
}

/** The data one visual plots, from its dataset's query result (the query's own row order otherwise). */
export function visualData(visual: Visual, result: QueryResult): VisualData {
  const rows = selected(visual, rowObjects(result));
  switch (visual.kind) {
    case 'kpi': {
      const data: KpiData = { kind: 'kpi', value: fold(rows.map((row) => numberOf(row[visual.value.column])), visual.value.aggregation) };
      return data;
    }
    case 'line':
      return seriesData(visual, rows, { column: visual.date.column, direction: 'ascending' });
    case 'funnel':
    case 'bar':
      return seriesData(visual, rows, visual.order);
    case 'filled_map':
    case 'donut':
      return seriesData(visual, rows, undefined);
  }
}
