/**
 * The dashboard definition rendered as a QuickSight analysis definition (the `definition` of
 * `@pulumi/aws-native`'s quicksight.Analysis and quicksight.Dashboard): parameters and their
 * controls for the filters, mapped onto every dataset's query parameters; one QuickSight visual per
 * visual; a filter per visual row selection; a grid layout from the sheet rows.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { quicksight as Q } from '@pulumi/aws-native/types/input';
import type { NamedQuery } from '../../queries/catalogue';
import type { ChoiceLists } from '../choices';
import { filterParameters } from '../check-definition';
import type { DashboardDefinition, DateRangeFilter, Dimension, Measure, Sheet, Visual } from '../schema';
import { visualFields } from '../schema';
import { quickSightParameterName } from './datasets';

export type AnalysisDefinition = Q.AnalysisDefinitionArgs;

/** QuickSight's grid is 36 columns wide; the definition's widths are twelfths. */
export const GRID_COLUMNS_PER_TWELFTH = 3;

export interface RenderContext {
  /** The deployed QuickSight dataset of each dashboard dataset, by dataset id. */
  readonly datasetArns: Readonly<Record<string, pulumi.Input<string>>>;
  readonly queries: readonly NamedQuery[];
  readonly choices: ChoiceLists;
}

export function fieldId(visual: Visual, column: string): string {
  return `${visual.id}.${column}`;
}

function columnOf(visual: Visual, column: string): Q.AnalysisColumnIdentifierArgs {
  return { dataSetIdentifier: visual.dataset, columnName: column };
}

function numberFormat(measure: Measure): Q.AnalysisNumberFormatConfigurationArgs {
  const decimals = measure.format === 'count' ? 0 : 1;
  return {
    formatConfiguration: {
      numberDisplayFormatConfiguration: {
        decimalPlacesConfiguration: { decimalPlaces: decimals },
        ...(measure.format === 'percent' ? { suffix: '%' } : {}),
      },
    },
  };
}

function measureField(visual: Visual, measure: Measure): Q.AnalysisMeasureFieldArgs {
  return {
    numericalMeasureField: {
      fieldId: fieldId(visual, measure.column),
      column: columnOf(visual, measure.column),
      aggregationFunction: { simpleNumericalAggregation: measure.aggregation === 'sum' ? 'SUM' : 'MAX' },
      formatConfiguration: numberFormat(measure),
    },
  };
}

/** The calculated field that shows a dimension's display names (`event_type_display_name`). */
export function displayNameField(dimension: Dimension): string {
  return `${dimension.column}_display_name`;
}

/** A string literal of a QuickSight expression; the model's names and values hold no quote. */
function expressionString(text: string): string {
  if (/['\\]/.test(text)) throw new Error(`display name or value ${JSON.stringify(text)} holds a quote or backslash, which a QuickSight expression cannot carry; remove it`);
  return `'${text}'`;
}

/**
 * A dimension's display names as a QuickSight calculated field: QuickSight shows a field's values as
 * they are, so `ifelse({event_type} = 'product_view', 'Product view', ..., {event_type})` renames
 * them, with the same names (model/events.ts) the local page shows.
 */
function displayNameExpression(dimension: Dimension, names: Readonly<Record<string, string>>): string {
  const column = `{${dimension.column}}`;
  const branches = Object.entries(names).flatMap(([value, name]) => [`${column} = ${expressionString(value)}`, expressionString(name)]);
  return `ifelse(${branches.join(', ')}, ${column})`;
}

/** One calculated field per dataset and dimension with display names, whichever visuals share it. */
function displayNameFields(definition: DashboardDefinition): Q.AnalysisCalculatedFieldArgs[] {
  const fields = new Map<string, Q.AnalysisCalculatedFieldArgs>();
  for (const visual of definition.visuals) {
    for (const dimension of visualFields(visual).dimensions) {
      if (!dimension.displayNames) continue;
      const name = displayNameField(dimension);
      fields.set(`${visual.dataset}.${name}`, { dataSetIdentifier: visual.dataset, name, expression: displayNameExpression(dimension, dimension.displayNames) });
    }
  }
  return [...fields.values()];
}

function categoryField(visual: Visual, dimension: Dimension): Q.AnalysisDimensionFieldArgs {
  const column = dimension.displayNames ? displayNameField(dimension) : dimension.column;
  return { categoricalDimensionField: { fieldId: fieldId(visual, dimension.column), column: columnOf(visual, column) } };
}

function dateField(visual: Visual, dimension: Dimension): Q.AnalysisDimensionFieldArgs {
  return { dateDimensionField: { fieldId: fieldId(visual, dimension.column), column: columnOf(visual, dimension.column), dateGranularity: 'DAY' } };
}

/** Sort by a field of the visual when the order column is one, else by the column itself. */
function categorySort(visual: Visual & { readonly order: { readonly column: string; readonly direction: 'ascending' | 'descending' } }): Q.AnalysisFieldSortOptionsArgs[] {
  const direction = visual.order.direction === 'ascending' ? 'ASC' : 'DESC';
  const { dimensions, measures } = visualFields(visual);
  const inWells = [...dimensions, ...measures].some((field) => field.column === visual.order.column);
  if (inWells) return [{ fieldSort: { fieldId: fieldId(visual, visual.order.column), direction } }];
  return [
    {
      columnSort: {
        sortBy: columnOf(visual, visual.order.column),
        direction,
        aggregationFunction: { numericalAggregationFunction: { simpleNumericalAggregation: 'MAX' } },
      },
    },
  ];
}

function labels(visual: Visual) {
  return {
    title: { visibility: 'VISIBLE', formatText: { plainText: visual.title } },
    subtitle: { visibility: 'VISIBLE', formatText: { plainText: visual.subtitle } },
  } as const;
}

export function renderVisual(visual: Visual): Q.AnalysisVisualArgs {
  const common = { visualId: visual.id, ...labels(visual) };
  switch (visual.kind) {
    case 'kpi':
      return { kpiVisual: { ...common, chartConfiguration: { fieldWells: { values: [measureField(visual, visual.value)] } } } };
    case 'filled_map':
      return {
        filledMapVisual: {
          ...common,
          chartConfiguration: {
            fieldWells: { filledMapAggregatedFieldWells: { geospatial: [categoryField(visual, visual.country)], values: [measureField(visual, visual.value)] } },
          },
        },
      };
    case 'funnel':
      return {
        funnelChartVisual: {
          ...common,
          chartConfiguration: {
            fieldWells: { funnelChartAggregatedFieldWells: { category: [categoryField(visual, visual.stage)], values: [measureField(visual, visual.value)] } },
            sortConfiguration: { categorySort: categorySort(visual) },
            dataLabelOptions: { visibility: 'VISIBLE', measureDataLabelStyle: 'VALUE_AND_PERCENTAGE_BY_FIRST_STAGE' },
          },
        },
      };
    case 'line':
      return {
        lineChartVisual: {
          ...common,
          chartConfiguration: {
            fieldWells: {
              lineChartAggregatedFieldWells: {
                category: [dateField(visual, visual.date)],
                values: visual.values.map((measure) => measureField(visual, measure)),
              },
            },
            type: 'LINE',
          },
        },
      };
    case 'bar':
      return {
        barChartVisual: {
          ...common,
          chartConfiguration: {
            fieldWells: { barChartAggregatedFieldWells: { category: [categoryField(visual, visual.category)], values: [measureField(visual, visual.value)] } },
            orientation: visual.orientation === 'horizontal' ? 'HORIZONTAL' : 'VERTICAL',
            sortConfiguration: { categorySort: categorySort(visual) },
          },
        },
      };
    case 'donut':
      return {
        pieChartVisual: {
          ...common,
          chartConfiguration: {
            fieldWells: { pieChartAggregatedFieldWells: { category: [categoryField(visual, visual.category)], values: [measureField(visual, visual.value)] } },
            donutOptions: { arcOptions: { arcThickness: 'MEDIUM' } },
          },
        },
      };
  }
}

/** A visual's row selection as a filter scoped to that visual alone. */
function rowSelectionFilter(visual: Visual, sheetId: string): Q.AnalysisFilterGroupArgs[] {
  if (!visual.rows) return [];
  return [
    {
      filterGroupId: `${visual.id}_rows`,
      crossDataset: 'SINGLE_DATASET',
      status: 'ENABLED',
      filters: [
        {
          categoryFilter: {
            filterId: `${visual.id}_rows_${visual.rows.column}`,
            column: columnOf(visual, visual.rows.column),
            configuration: { filterListConfiguration: { matchOperator: 'CONTAINS', categoryValues: [visual.rows.equals], nullOption: 'NON_NULLS_ONLY' } },
          },
        },
      ],
      scopeConfiguration: { selectedSheets: { sheetVisualScopingConfigurations: [{ sheetId, scope: 'SELECTED_VISUALS', visualIds: [visual.id] }] } },
    },
  ];
}

function gridLayout(sheet: Sheet): Q.AnalysisLayoutArgs {
  const elements: Q.AnalysisGridLayoutElementArgs[] = [];
  let rowIndex = 0;
  for (const row of sheet.rows) {
    let column = 0;
    for (const cell of row.cells) {
      elements.push({
        elementId: cell.visual,
        elementType: 'VISUAL',
        columnIndex: column * GRID_COLUMNS_PER_TWELFTH,
        columnSpan: cell.width * GRID_COLUMNS_PER_TWELFTH,
        rowIndex,
        rowSpan: row.height,
      });
      column += cell.width;
    }
    rowIndex += row.height;
  }
  return { configuration: { gridLayout: { elements, canvasSizeOptions: { screenCanvasSizeOptions: { resizeOption: 'FIXED', optimizedViewPortWidth: '1600px' } } } } };
}

/**
 * QuickSight's rolling-date expressions for a date range's defaults: the last `days` days up to today
 * (UTC), both ends included.
 */
export function rollingDateDefaults(filter: DateRangeFilter): Readonly<Record<string, string>> {
  const today = "truncDate('DD', now())";
  return { [filter.startParameter]: `addDateTime(-${filter.defaultLastDays - 1}, 'DD', ${today})`, [filter.endParameter]: today };
}

/** Each filter's query parameters as analysis parameters, mapped onto every dataset that takes them. */
function parameterDeclarations(definition: DashboardDefinition, context: RenderContext): Q.AnalysisParameterDeclarationArgs[] {
  return definition.filters.flatMap((filter) =>
    filterParameters(filter).map((parameter): Q.AnalysisParameterDeclarationArgs => {
      const name = quickSightParameterName(parameter.name);
      const mapped = definition.datasets
        .filter((dataset) => context.queries.find((query) => query.name === dataset.query)?.parameters.some((declared) => declared.name === parameter.name))
        .map((dataset) => ({ dataSetIdentifier: dataset.id, dataSetParameterName: name }));
      if (filter.kind === 'date_range') {
        // A rolling default, not the queries' 2010 to 9999: an opened dashboard scans only recent days.
        return {
          dateTimeParameterDeclaration: {
            name,
            timeGranularity: 'DAY',
            mappedDataSetParameters: mapped,
            defaultValues: { rollingDate: { expression: rollingDateDefaults(filter)[parameter.name] } },
          },
        };
      }
      const query = context.queries.find((candidate) => candidate.name === definition.datasets[0]?.query);
      const fallback = query?.parameters.find((declared) => declared.name === parameter.name)?.defaultValue;
      return {
        stringParameterDeclaration: {
          name,
          parameterValueType: 'SINGLE_VALUED',
          mappedDataSetParameters: mapped,
          ...(fallback === undefined ? {} : { defaultValues: { staticValues: [String(fallback)] } }),
        },
      };
    }),
  );
}

function parameterControls(definition: DashboardDefinition, context: RenderContext): Q.AnalysisParameterControlArgs[] {
  return definition.filters.flatMap((filter): Q.AnalysisParameterControlArgs[] => {
    if (filter.kind === 'date_range') {
      return [
        { dateTimePicker: { parameterControlId: `${filter.id}_start`, title: `${filter.label}: from`, sourceParameterName: quickSightParameterName(filter.startParameter) } },
        { dateTimePicker: { parameterControlId: `${filter.id}_end`, title: `${filter.label}: to`, sourceParameterName: quickSightParameterName(filter.endParameter) } },
      ];
    }
    return [
      {
        dropdown: {
          parameterControlId: filter.id,
          title: filter.label,
          sourceParameterName: quickSightParameterName(filter.parameter),
          type: 'SINGLE_SELECT',
          selectableValues: { values: [filter.allValue, ...context.choices[filter.source].map((choice) => choice.value)] },
        },
      },
    ];
  });
}

export function renderAnalysisDefinition(definition: DashboardDefinition, context: RenderContext): AnalysisDefinition {
  const visualById = new Map(definition.visuals.map((visual) => [visual.id, visual]));
  const sheets = definition.sheets.map((sheet): Q.AnalysisSheetDefinitionArgs => {
    const visuals = sheet.rows.flatMap((row) => row.cells.map((cell) => visualById.get(cell.visual))).filter((visual): visual is Visual => visual !== undefined);
    return {
      sheetId: sheet.id,
      name: sheet.title,
      title: definition.title,
      contentType: 'INTERACTIVE',
      visuals: visuals.map(renderVisual),
      layouts: [gridLayout(sheet)],
      parameterControls: parameterControls(definition, context),
    };
  });
  const filterGroups = definition.sheets.flatMap((sheet) =>
    sheet.rows.flatMap((row) => row.cells.flatMap((cell) => {
      const visual = visualById.get(cell.visual);
      return visual ? rowSelectionFilter(visual, sheet.id) : [];
    })),
  );
  return {
    dataSetIdentifierDeclarations: definition.datasets.map((dataset) => ({ identifier: dataset.id, dataSetArn: context.datasetArns[dataset.id] })),
    calculatedFields: displayNameFields(definition),
    parameterDeclarations: parameterDeclarations(definition, context),
    filterGroups,
    sheets,
    analysisDefaults: {
      defaultNewSheetConfiguration: { interactiveLayoutConfiguration: { grid: { canvasSizeOptions: { screenCanvasSizeOptions: { resizeOption: 'FIXED', optimizedViewPortWidth: '1600px' } } } }, sheetContentType: 'INTERACTIVE' },
    },
  };
}
