import { expect } from 'chai';
import { choiceLists } from '../../dashboard/choices';
import { describeQueries, type QueryColumns } from '../../dashboard/dataset-columns';
import { DASHBOARD } from '../../dashboard/definition';
import { GRID_COLUMNS_PER_TWELFTH, renderAnalysisDefinition, type AnalysisDefinition } from '../../dashboard/quicksight/analysis';
import { quickSightParameterName, quickSightSql, renderDataSet } from '../../dashboard/quicksight/datasets';
import { checkRenderedDefinition, type DatasetShape } from '../../dashboard/quicksight/integrity';
import { DEVICE_TYPE_NAMES, EVENT_TYPE_NAMES, EVENT_TYPES, FUNNEL_STEPS } from '../../model/events';
import { readBundledLocations } from '../../model/locations';
import { findQuery, loadCatalogue } from '../../queries/catalogue';

const catalogue = loadCatalogue();
const choices = choiceLists(readBundledLocations());
const DATA_SOURCE = 'arn:aws:quicksight:eu-west-1:123456789012:datasource/clickstream-dev-athena';
const datasetArn = (id: string) => `arn:aws:quicksight:eu-west-1:123456789012:dataset/clickstream-dev-${id}`;

/** A deep copy as plain data, to tamper with. */
type Json = Record<string, unknown>;
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const path = (value: unknown, ...keys: (string | number)[]): Json =>
  keys.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value) as Json;

describe('QuickSight rendering of the dashboard definition', () => {
  let columns: QueryColumns;
  let rendered: AnalysisDefinition;
  let shapes: Map<string, DatasetShape>;

  before(async () => {
    columns = await describeQueries(catalogue);
    rendered = renderAnalysisDefinition(DASHBOARD, {
      datasetArns: Object.fromEntries(DASHBOARD.datasets.map((dataset) => [dataset.id, datasetArn(dataset.id)])),
      queries: catalogue,
      choices,
    });
    shapes = new Map(
      DASHBOARD.datasets.map((dataset) => {
        const query = findQuery(catalogue, dataset.query);
        return [dataset.id, { columns: columns[query.name].map((column) => column.name), parameters: query.parameters.map((parameter) => quickSightParameterName(parameter.name)) }];
      }),
    );
  });

  describe('integrity of the rendered definition', () => {
    it('has unique visual ids, every visual placed, every dataset identifier declared and used, every field in its dataset', () => {
      expect(checkRenderedDefinition(rendered, shapes)).to.deep.equal([]);
    });

    it('holds one QuickSight visual per visual of the definition, of the matching type', () => {
      const visuals = (copy(rendered).sheets as unknown as Json[]).flatMap((sheet) => sheet.visuals as Json[]);
      const kinds = visuals.map((visual) => Object.keys(visual)[0]);
      expect(kinds).to.have.length(DASHBOARD.visuals.length);
      expect(new Set(kinds)).to.deep.equal(new Set(['kpiVisual', 'filledMapVisual', 'funnelChartVisual', 'lineChartVisual', 'barChartVisual', 'pieChartVisual']));
    });

    it('lays the sheet out on QuickSight\'s 36-column grid without overlaps', () => {
      const elements = path(copy(rendered), 'sheets', 0, 'layouts', 0, 'configuration', 'gridLayout', 'elements') as unknown as {
        columnIndex: number;
        columnSpan: number;
        rowIndex: number;
        rowSpan: number;
      }[];
      const cells = new Set<string>();
      for (const element of elements) {
        expect(element.columnIndex + element.columnSpan).to.be.at.most(12 * GRID_COLUMNS_PER_TWELFTH);
        for (let row = element.rowIndex; row < element.rowIndex + element.rowSpan; row++) {
          for (let column = element.columnIndex; column < element.columnIndex + element.columnSpan; column++) {
            expect(cells.has(`${row}:${column}`), `cell ${row}:${column}`).to.equal(false);
            cells.add(`${row}:${column}`);
          }
        }
      }
    });

    it('maps each filter parameter onto the same parameter of every dataset; dates open on the last two weeks, choices on the queries\' defaults', () => {
      const declarations = (rendered.parameterDeclarations as Json[]).map((declaration) => Object.values(declaration)[0] as Json);
      expect(declarations.map((declaration) => declaration.name)).to.deep.equal(['startDate', 'endDate', 'continent', 'country']);
      for (const declaration of declarations) {
        const mapped = declaration.mappedDataSetParameters as Json[];
        expect(mapped.map((mapping) => mapping.dataSetIdentifier)).to.deep.equal(DASHBOARD.datasets.map((dataset) => dataset.id));
        expect(new Set(mapped.map((mapping) => mapping.dataSetParameterName))).to.deep.equal(new Set([declaration.name]));
      }
      // Rolling, not the queries' 2010 to 9999: an opened dashboard scans 14 days' partitions.
      expect(path(declarations[0], 'defaultValues', 'rollingDate', 'expression')).to.equal("addDateTime(-13, 'DD', truncDate('DD', now()))");
      expect(path(declarations[1], 'defaultValues', 'rollingDate', 'expression')).to.equal("truncDate('DD', now())");
      expect(path(declarations[0], 'defaultValues', 'staticValues')).to.equal(undefined);
      expect(path(declarations[2], 'defaultValues', 'staticValues')).to.deep.equal(['all']);
    });

    it('offers every continent and country of the reference data in the filter controls, after "all"', () => {
      const controls = (path(copy(rendered), 'sheets', 0).parameterControls as Json[]).map((control) => Object.values(control)[0] as Json);
      const continent = controls.find((control) => control.sourceParameterName === 'continent');
      expect(path(continent, 'selectableValues', 'values')).to.deep.equal(['all', ...choices.continents.map((choice) => choice.value)]);
      const country = controls.find((control) => control.sourceParameterName === 'country');
      expect((path(country, 'selectableValues', 'values') as unknown as string[]).length).to.equal(choices.countries.length + 1);
    });

    it("shows event and device types by the model's display names, through calculated fields of their datasets", () => {
      const definition = copy(rendered) as unknown as Json;
      const visuals = (definition.sheets as Json[]).flatMap((sheet) => sheet.visuals as Json[]);
      const categoryColumn = (kind: string, wells: string, id: string) => {
        const body = visuals.map((visual) => visual[kind] as Json | undefined).find((candidate) => candidate?.visualId === id);
        return path(body, 'chartConfiguration', 'fieldWells', wells, 'category', 0, 'categoricalDimensionField', 'column') as unknown as { dataSetIdentifier: string; columnName: string };
      };
      const fields = definition.calculatedFields as unknown as { dataSetIdentifier: string; name: string; expression: string }[];
      const expressionOf = (column: { dataSetIdentifier: string; columnName: string }) =>
        fields.find((field) => field.dataSetIdentifier === column.dataSetIdentifier && field.name === column.columnName)?.expression ?? '';
      const actions = expressionOf(categoryColumn('barChartVisual', 'barChartAggregatedFieldWells', 'bar_popular_actions'));
      for (const type of EVENT_TYPES) expect(actions).to.include(`{event_type} = '${type}', '${EVENT_TYPE_NAMES[type]}'`);
      const funnel = expressionOf(categoryColumn('funnelChartVisual', 'funnelChartAggregatedFieldWells', 'funnel_conversion'));
      for (const step of FUNNEL_STEPS) expect(funnel).to.include(`{step} = '${step}', '${EVENT_TYPE_NAMES[step]}'`);
      const devices = expressionOf(categoryColumn('pieChartVisual', 'pieChartAggregatedFieldWells', 'donut_device_mix'));
      expect(devices).to.include(`{label} = 'mobile', '${DEVICE_TYPE_NAMES.mobile}'`);
      expect(actions).to.match(/^ifelse\(.*, \{event_type\}\)$/);
    });

    it('limits the device donut and the conversion figures to their rows with filters scoped to those visuals', () => {
      const groups = copy(rendered).filterGroups as unknown as Json[];
      const scoped = groups.map((group) => path(group, 'scopeConfiguration', 'selectedSheets', 'sheetVisualScopingConfigurations', 0).visualIds);
      expect(scoped).to.deep.equal([['kpi_purchasers'], ['kpi_conversion'], ['donut_device_mix']]);
      expect(path(groups[2], 'filters', 0, 'categoryFilter', 'configuration', 'filterListConfiguration', 'categoryValues')).to.deep.equal(['device_type']);
    });
  });

  describe('the checks find what QuickSight would accept silently', () => {
    const problems = (tamper: (definition: Json) => void) => {
      const broken = copy(rendered) as unknown as Json;
      tamper(broken);
      return checkRenderedDefinition(broken, shapes);
    };

    it('a visual id used twice', () => {
      expect(problems((definition) => (path(definition, 'sheets', 0, 'visuals', 1, 'kpiVisual').visualId = 'kpi_events'))).to.include.members([
        'visual id kpi_events is used more than once',
        'sheet overview: the layout places kpi_users, which is not a visual of the sheet',
      ]);
    });

    it('a visual missing from the layout', () => {
      expect(
        problems((definition) => {
          const grid = path(definition, 'sheets', 0, 'layouts', 0, 'configuration', 'gridLayout');
          grid.elements = (grid.elements as Json[]).filter((element) => element.elementId !== 'funnel_conversion');
        }),
      ).to.deep.equal(['sheet overview: visual funnel_conversion is not placed in the layout']);
    });

    it('a dataset identifier used but not declared, and one declared but not used', () => {
      const found = problems((definition) => {
        definition.dataSetIdentifierDeclarations = [...(definition.dataSetIdentifierDeclarations as Json[]), { identifier: 'spare', dataSetArn: datasetArn('spare') }];
        path(definition, 'sheets', 0, 'visuals', 0, 'kpiVisual', 'chartConfiguration', 'fieldWells', 'values', 0, 'numericalMeasureField', 'column').dataSetIdentifier = 'summary';
      });
      expect(found).to.include('dataset identifier spare is declared but no visual, filter or parameter uses it');
      expect(found.some((problem) => /dataset identifier summary is not declared/.test(problem))).to.equal(true);
    });

    it('a field whose column its dataset lacks', () => {
      const found = problems((definition) => {
        path(definition, 'sheets', 0, 'visuals', 7, 'funnelChartVisual', 'chartConfiguration', 'fieldWells', 'funnelChartAggregatedFieldWells', 'category', 0, 'categoricalDimensionField', 'column').columnName = 'stage';
      });
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/column stage is not in dataset conversion_funnel \(columns: step_number, step, users/);
    });

    it('a parameter mapped onto a dataset parameter that does not exist, and a control for an undeclared parameter', () => {
      const found = problems((definition) => {
        path(definition, 'parameterDeclarations', 0, 'dateTimeParameterDeclaration', 'mappedDataSetParameters', 0).dataSetParameterName = 'fromDate';
        path(definition, 'sheets', 0, 'parameterControls', 2, 'dropdown').sourceParameterName = 'region';
      });
      expect(found.some((problem) => /dataset activity_summary has no parameter fromDate/.test(problem))).to.equal(true);
      expect(found).to.include('sheet overview: control continent reads parameter region, which is not declared');
    });
  });

  describe('datasets', () => {
    it('run the named query\'s own text, with QuickSight dataset parameters where its placeholders were', () => {
      for (const dataset of DASHBOARD.datasets) {
        const query = findQuery(catalogue, dataset.query);
        const sql = quickSightSql(query);
        const names = [...sql.matchAll(/<<\$([A-Za-z0-9]+)>>/g)].map((match) => match[1]);
        expect(names, query.name).to.deep.equal(query.parameters.map((parameter) => quickSightParameterName(parameter.name)));
        expect(sql.replace(/<<\$[A-Za-z0-9]+>>/g, '?'), query.name).to.equal(query.sql);
      }
    });

    it('declare the query\'s result columns with QuickSight types, its parameters with their defaults, fixed ones as set by the dashboard', () => {
      const binding = DASHBOARD.datasets.find((dataset) => dataset.id === 'most_active_regions');
      if (!binding) throw new Error('the definition has no most_active_regions dataset');
      const query = findQuery(catalogue, binding.query);
      const dataSet = renderDataSet(binding, query, columns[query.name], ['country_iso2'], DATA_SOURCE);
      const table = dataSet.physicalTableMap['most-active-regions-sql'].customSql as unknown as Json;
      expect((table.columns as Json[]).filter((column) => column.type !== 'STRING').map((column) => `${String(column.name)}:${String(column.type)}`)).to.deep.equal([
        'continent_events:INTEGER',
        'continent_users:INTEGER',
        'continent_share_pct:DECIMAL',
        'country_rank:INTEGER',
        'events:INTEGER',
        'users:INTEGER',
        'share_of_continent_pct:DECIMAL',
      ]);
      const parameters = copy(dataSet.datasetParameters) as Json[];
      expect(parameters.map((parameter) => `${Object.keys(parameter)[0]}:${String(path(parameter, Object.keys(parameter)[0], 'defaultValues', 'staticValues'))}`)).to.deep.equal([
        // QuickSight's documented date-time form, without milliseconds.
        'dateTimeDatasetParameter:2010-01-01T00:00:00Z',
        'dateTimeDatasetParameter:9999-12-31T00:00:00Z',
        'stringDatasetParameter:all',
        'stringDatasetParameter:all',
        'integerDatasetParameter:1000',
      ]);
      expect(copy(dataSet.logicalTableMap)['most-active-regions'].dataTransforms).to.deep.equal([
        { tagColumnOperation: { columnName: 'country_iso2', tags: [{ columnGeographicRole: 'COUNTRY' }] } },
      ]);
    });
  });
});
