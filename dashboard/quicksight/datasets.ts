/**
 * A dashboard dataset as a QuickSight dataset: the named query's whole file as custom SQL, run by
 * Athena on every view (direct query), with each `?` placeholder replaced by the QuickSight dataset
 * parameter of the same name (`<<$startDate>>`). The analysis maps its filter parameters onto these,
 * so QuickSight runs the very query the catalogue holds, with the same values the local page binds.
 */
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import type { quicksight as DataSetInput } from '@pulumi/aws-native/types/input';
import type { NamedQuery } from '../../queries/catalogue';
import { sqlLiteral, type BoundParameter, type ParameterDeclaration, type ParameterValue } from '../../queries/parameters';
import type { ColumnKind } from '../../queries/result';
import { replacePlaceholders } from '../../queries/sql-text';
import type { DatasetColumn } from '../dataset-columns';
import type { DatasetBinding } from '../schema';


/** QuickSight parameter names are alphanumeric: `start_date` → `startDate`. */
export function quickSightParameterName(queryParameter: string): string {
  return queryParameter.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

/** A UUID-shaped id that stays the same from one deployment to the next for the same text. */
export function stableId(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A date parameter's value as QuickSight's DateTime parameters take it: midnight UTC, in the
 * documented `yyyy-MM-ddTHH:mm:ssZ` form (no fraction of a second).
 */
export function quickSightDateTime(date: string): string {
  return `${date}T00:00:00Z`;
}

/** Physical and logical table map keys: QuickSight allows `[0-9a-zA-Z-]` only (`device_mix` → `device-mix`). */
export function tableMapKey(id: string): string {
  return id.replace(/[^0-9a-zA-Z-]/g, '-');
}

/** The named query's text with every placeholder turned into its QuickSight dataset parameter. */
export function quickSightSql(query: NamedQuery): string {
  return replacePlaceholders(
    query.sql,
    query.parameters.map((parameter) => `<<$${quickSightParameterName(parameter.name)}>>`),
    query.source,
  );
}

/**
 * The dataset's SQL as QuickSight sends it to Athena for these values: every `<<$name>>` replaced by
 * the parameter's value as a SQL literal (strings quoted, quotes doubled; integers as digits). A date
 * parameter is a QuickSight DateTime, which carries a time of day: `dateText` renders it (by default
 * `2026-01-05T00:00:00Z`).
 */
export function quickSightQueryText(
  query: NamedQuery,
  parameters: readonly BoundParameter[],
  dateText: (date: string) => string = quickSightDateTime,
): string {
  let index = 0;
  return quickSightSql(query).replace(/<<\$[A-Za-z0-9]+>>/g, () => {
    const value = parameters[index++];
    return value.type === 'date' ? sqlLiteral({ ...value, value: dateText(String(value.value)) }) : sqlLiteral(value);
  });
}

const COLUMN_TYPES: Readonly<Record<ColumnKind, DataSetInput.DataSetInputColumnArgs['type']>> = {
  integer: 'INTEGER',
  decimal: 'DECIMAL',
  boolean: 'BOOLEAN',
  date: 'DATETIME',
  timestamp: 'DATETIME',
  string: 'STRING',
};

function datasetParameter(binding: DatasetBinding, parameter: ParameterDeclaration, value: ParameterValue | undefined): DataSetInput.DataSetDatasetParameterArgs {
  const common = { id: stableId(`${binding.id}.${parameter.name}`), name: quickSightParameterName(parameter.name), valueType: 'SINGLE_VALUED' } as const;
  const defaults = value === undefined ? undefined : [String(value)];
  switch (parameter.type) {
    case 'date':
      return {
        dateTimeDatasetParameter: {
          ...common,
          timeGranularity: 'DAY',
          ...(defaults ? { defaultValues: { staticValues: defaults.map(quickSightDateTime) } } : {}),
        },
      };
    case 'int':
      return { integerDatasetParameter: { ...common, ...(value === undefined ? {} : { defaultValues: { staticValues: [Number(value)] } }) } };
    case 'string':
      return { stringDatasetParameter: { ...common, ...(defaults ? { defaultValues: { staticValues: defaults } } : {}) } };
  }
}

export interface RenderedDataSet {
  readonly physicalTableMap: Record<string, DataSetInput.DataSetPhysicalTableArgs>;
  readonly logicalTableMap: Record<string, DataSetInput.DataSetLogicalTableArgs>;
  readonly datasetParameters: DataSetInput.DataSetDatasetParameterArgs[];
}

/**
 * The physical table (custom SQL), the logical table over it (tagging country columns with their
 * geographic role, which filled maps need) and the dataset parameters: the query's, with its
 * defaults, except `fixedParameters`, whose value becomes the default the analysis never changes.
 */
export function renderDataSet(
  binding: DatasetBinding,
  query: NamedQuery,
  columns: readonly DatasetColumn[],
  countryColumns: readonly string[],
  dataSourceArn: pulumi.Input<string>,
): RenderedDataSet {
  const physicalId = tableMapKey(`${binding.id}-sql`);
  const fixed = binding.fixedParameters ?? {};
  const tags: DataSetInput.DataSetTransformOperationArgs[] = countryColumns.map((columnName) => ({
    tagColumnOperation: { columnName, tags: [{ columnGeographicRole: 'COUNTRY' }] },
  }));
  return {
    physicalTableMap: {
      [physicalId]: {
        customSql: {
          dataSourceArn,
          name: binding.id,
          sqlQuery: quickSightSql(query),
          columns: columns.map((column) => ({ name: column.name, type: COLUMN_TYPES[column.kind] })),
        },
      },
    },
    logicalTableMap: {
      [tableMapKey(binding.id)]: { alias: binding.id, source: { physicalTableId: physicalId }, ...(tags.length > 0 ? { dataTransforms: tags } : {}) },
    },
    datasetParameters: query.parameters.map((parameter) =>
      datasetParameter(binding, parameter, fixed[parameter.name] !== undefined ? fixed[parameter.name] : parameter.defaultValue),
    ),
  };
}
