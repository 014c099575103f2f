/**
 * The vocabulary of a dashboard definition: datasets, filters, visuals and their layout, as plain
 * typed data. `dashboard/definition.ts` writes the dashboard once in these terms; the QuickSight
 * rendering (dashboard/quicksight/) and the local page (dashboard/server.ts) both read it.
 */

/**
 * A dataset is one named query of the catalogue (queries/*.sql). Its columns are the query's result
 * columns; its filter parameters are set by the dashboard's filters; `fixedParameters` sets the
 * query's other parameters once for the dashboard.
 */
export interface DatasetBinding {
  /** The dataset identifier visuals use (snake_case). */
  readonly id: string;
  /** The named query's name (its file name without `.sql`). */
  readonly query: string;
  readonly fixedParameters?: Readonly<Record<string, string>>;
}

/** How a visual folds the rows of its dataset into one value per category (or into one value). */
export type Aggregation = 'sum' | 'max';

/** How a value is shown: a count, a number with one decimal, or a percentage (the value is 0–100). */
export type ValueFormat = 'count' | 'decimal' | 'percent';

export interface Measure {
  readonly column: string;
  readonly aggregation: Aggregation;
  readonly label: string;
  readonly format: ValueFormat;
}

export interface Dimension {
  readonly column: string;
  readonly label: string;
  /**
   * What each value of the column reads as (`product_view` → `Product view`), from the model
   * (model/events.ts); a value not listed shows as it is.
   */
  readonly displayNames?: Readonly<Record<string, string>>;
}

/** A value of a dimension as a reader sees it. */
export function displayName(dimension: Dimension, value: string): string {
  return dimension.displayNames?.[value] ?? value;
}

/** Only the dataset rows whose column equals the value (device_mix holds three dimensions). */
export interface RowSelection {
  readonly column: string;
  readonly equals: string;
}

/** Categories in the order of a column of the dataset (the category itself, the value or another). */
export interface CategoryOrder {
  readonly column: string;
  readonly direction: 'ascending' | 'descending';
}

interface VisualBase {
  /** Unique within the dashboard; also the QuickSight visual id. */
  readonly id: string;
  readonly title: string;
  /** What the visual answers, for a reader of the dashboard. */
  readonly subtitle: string;
  readonly dataset: string;
  readonly rows?: RowSelection;
}

/** One headline number. */
export interface KpiVisual extends VisualBase {
  readonly kind: 'kpi';
  readonly value: Measure;
}

/** Countries shaded by a value; the country column holds ISO 3166-1 alpha-2 codes. */
export interface FilledMapVisual extends VisualBase {
  readonly kind: 'filled_map';
  readonly country: Dimension;
  readonly value: Measure;
}

/** Stages of a funnel, narrowing from the first. */
export interface FunnelVisual extends VisualBase {
  readonly kind: 'funnel';
  readonly stage: Dimension;
  readonly value: Measure;
  readonly order: CategoryOrder;
}

/** One or more values over a date column, one point per date. */
export interface LineVisual extends VisualBase {
  readonly kind: 'line';
  readonly date: Dimension;
  readonly values: readonly Measure[];
}

/** A value per category, as bars. */
export interface BarVisual extends VisualBase {
  readonly kind: 'bar';
  readonly category: Dimension;
  readonly value: Measure;
  readonly order: CategoryOrder;
  readonly orientation: 'horizontal' | 'vertical';
}

/** Shares of a whole, as a ring. */
export interface DonutVisual extends VisualBase {
  readonly kind: 'donut';
  readonly category: Dimension;
  readonly value: Measure;
}

export type Visual = KpiVisual | FilledMapVisual | FunnelVisual | LineVisual | BarVisual | DonutVisual;
export type VisualKind = Visual['kind'];

/** A date range, setting two date parameters of every dataset's query. */
export interface DateRangeFilter {
  readonly kind: 'date_range';
  readonly id: string;
  readonly label: string;
  readonly startParameter: string;
  readonly endParameter: string;
  /**
   * QuickSight opens on the last this many days (UTC) up to today, a rolling default, so a view
   * scans that many daily partitions, not the queries' defaults (2010 to 9999, every day the stage
   * keeps). The local page opens on the lake's own first and last event dates.
   */
  readonly defaultLastDays: number;
}

/** Where a choice filter's values come from: the reference data's continents or countries. */
export type ChoiceSource = 'continents' | 'countries';

/**
 * One value out of a list, setting one string parameter of every dataset's query; `allValue` (the
 * query's default) means no restriction. `narrowedBy` names a filter whose choice narrows this
 * one's list (countries of the chosen continent).
 */
export interface ChoiceFilter {
  readonly kind: 'choice';
  readonly id: string;
  readonly label: string;
  readonly parameter: string;
  readonly source: ChoiceSource;
  readonly allValue: string;
  readonly allLabel: string;
  readonly narrowedBy?: string;
}

export type DashboardFilter = DateRangeFilter | ChoiceFilter;

/** A visual's place in a row: `width` in twelfths of the sheet's width. */
export interface LayoutCell {
  readonly visual: string;
  readonly width: number;
}

/** A row of visuals; `height` in grid rows (QuickSight's grid unit, about 30 px). */
export interface LayoutRow {
  readonly height: number;
  readonly cells: readonly LayoutCell[];
}

export interface Sheet {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly LayoutRow[];
}

export interface DashboardDefinition {
  /** Stem of the QuickSight analysis and dashboard ids. */
  readonly id: string;
  readonly title: string;
  readonly datasets: readonly DatasetBinding[];
  readonly filters: readonly DashboardFilter[];
  readonly visuals: readonly Visual[];
  readonly sheets: readonly Sheet[];
}

/** Layout widths are twelfths of a sheet. */
export const LAYOUT_COLUMNS = 12;

/** The dimensions and measures a visual reads, in field-well order. */
export function visualFields(visual: Visual): { readonly dimensions: readonly Dimension[]; readonly measures: readonly Measure[] } {
  switch (visual.kind) {
    case 'kpi':
      return { dimensions: [], measures: [visual.value] };
    case 'filled_map':
      return { dimensions: [visual.country], measures: [visual.value] };
    case 'funnel':
      return { dimensions: [visual.stage], measures: [visual.value] };
    case 'line':
      return { dimensions: [visual.date], measures: visual.values };
    case 'bar':
    case 'donut':
      return { dimensions: [visual.category], measures: [visual.value] };
  }
}

/** Every column of its dataset a visual names: fields, row selection and order. */
export function visualColumns(visual: Visual): string[] {
  const { dimensions, measures } = visualFields(visual);
  const columns = [...dimensions.map((dimension) => dimension.column), ...measures.map((measure) => measure.column)];
  if (visual.rows) columns.push(visual.rows.column);
  if (visual.kind === 'funnel' || visual.kind === 'bar') columns.push(visual.order.column);
  return [...new Set(columns)];
}
