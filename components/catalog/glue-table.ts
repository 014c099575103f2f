import { EARLIEST_ACCEPTED_TIMESTAMP, FUTURE_TOLERANCE_SECONDS } from '../../model/validate';
import type { Column as GlueApiColumn, TableInput } from '@aws-sdk/client-glue';
import type { Column, ColumnType, TableDefinition, TableFormat } from '../../model/tables';

/**
 * Renders a model table as a Glue catalog table (the shape `aws.glue.CatalogTable` takes, minus the
 * database). Pure: the same model renders the DuckDB views locally, so a column added to the model
 * reaches Athena without anyone retyping it here.
 */
export interface GlueColumn {
  name: string;
  type: string;
  comment: string;
}

export interface GlueTableSpec {
  name: string;
  description: string;
  tableType: 'EXTERNAL_TABLE';
  parameters: Record<string, string>;
  partitionKeys: GlueColumn[];
  storageDescriptor: {
    location: string;
    inputFormat: string;
    outputFormat: string;
    serDeInfo: { serializationLibrary: string; parameters: Record<string, string> };
    columns: GlueColumn[];
  };
}

const HIVE_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'string',
  int: 'int',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
};

interface StorageFormat {
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serializationLibrary: string;
  readonly serdeParameters: Record<string, string>;
  readonly tableParameters: Record<string, string>;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

const FORMATS: Readonly<Record<TableFormat, StorageFormat>> = {
  parquet: {
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    serdeParameters: { 'serialization.format': '1' },
    tableParameters: { classification: 'parquet' },
  },
  json: {
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    // Raw is unvalidated: one malformed line must not fail a whole Athena query over it (the ETL
    // quarantines such lines with a reason; this table is for looking at what arrived).
    serdeParameters: { 'ignore.malformed.json': 'true' },
    tableParameters: { classification: 'json' },
  },
  csv: {
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    // OpenCSVSerde, not LazySimpleSerDe: reference rows quote names that hold commas.
    serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
    serdeParameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
    tableParameters: { classification: 'csv', 'skip.header.line.count': '1' },
  },
};

/** Athena's OpenCSVSerde reads only these types from text (dates would be day numbers). */
const CSV_READABLE_TYPES: readonly ColumnType[] = ['string', 'int', 'bigint', 'double', 'boolean'];

const SECONDS_PER_DAY = 86_400;

/** Glue rejects longer column comments. */
const MAX_COMMENT_LENGTH = 255;

function glueColumn(column: Column): GlueColumn {
  if (column.description.length > MAX_COMMENT_LENGTH) {
    throw new Error(
      `column "${column.name}": its description is ${column.description.length} characters; Glue allows ${MAX_COMMENT_LENGTH}. Shorten it in model/tables.ts`,
    );
  }
  return { name: column.name, type: HIVE_TYPES[column.type], comment: column.description };
}

/**
 * The days a date partition projection covers, in Athena's range syntax: each end a `yyyy-MM-dd` date
 * or a time relative to the query's, such as `NOW-90DAYS` or `NOW+1DAYS`.
 */
export interface ProjectionRange {
  readonly from: string;
  readonly to: string;
}

/**
 * Where the ETL's accepted event window starts, to as far ahead as it tolerates clock drift: every
 * day an event can have.
 */
export function acceptedWindowRange(): ProjectionRange {
  const earliest = new Date(EARLIEST_ACCEPTED_TIMESTAMP * 1000).toISOString().slice(0, 10);
  return { from: earliest, to: `NOW+${Math.ceil(FUTURE_TOLERANCE_SECONDS / SECONDS_PER_DAY)}DAYS` };
}

/**
 * Athena partition projection for date partitions (`event_date=2024-05-01/`): partitions are computed
 * from the query's predicate, so no crawler and no MSCK REPAIR TABLE. A query projects every day of
 * `range` its date filter allows, and lists each day's prefix: the range bounds that work.
 */
function partitionProjection(table: TableDefinition, location: string, range: ProjectionRange): Record<string, string> {
  if (table.partitionKeys.length === 0) return {};
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const key of table.partitionKeys) {
    if (key.type !== 'date') {
      throw new Error(
        `table "${table.name}": partition key "${key.name}" has type ${key.type}; only date partition keys can be projected. ` +
          'Make it a date in model/tables.ts or add a projection for its type in components/catalog/glue-table.ts',
      );
    }
    Object.assign(parameters, {
      [`projection.${key.name}.type`]: 'date',
      [`projection.${key.name}.format`]: 'yyyy-MM-dd',
      [`projection.${key.name}.range`]: `${range.from},${range.to}`,
      [`projection.${key.name}.interval`]: '1',
      [`projection.${key.name}.interval.unit`]: 'DAYS',
    });
  }
  parameters['storage.location.template'] = `${location}${table.partitionKeys.map((key) => `${key.name}=\${${key.name}}/`).join('')}`;
  return parameters;
}

/** `location` is the table's S3 folder, ending in `/` (e.g. `s3://bucket/results/events/`). */
export function renderGlueTable(table: TableDefinition, location: string, range: ProjectionRange = acceptedWindowRange()): GlueTableSpec {
  if (!location.endsWith('/')) {
    throw new Error(`table "${table.name}": location "${location}" must end with "/" (Athena reads every object under it)`);
  }
  const format = FORMATS[table.format];
  if (table.format === 'csv') {
    const unreadable = table.columns.filter((column) => !CSV_READABLE_TYPES.includes(column.type));
    if (unreadable.length > 0) {
      throw new Error(
        `table "${table.name}": CSV columns ${unreadable.map((c) => `${c.name} (${c.type})`).join(', ')} cannot be read by Athena's OpenCSVSerde; ` +
          `use one of ${CSV_READABLE_TYPES.join(', ')} in model/tables.ts and cast in queries`,
      );
    }
  }
  return {
    name: table.name,
    description: table.description,
    tableType: 'EXTERNAL_TABLE',
    parameters: { EXTERNAL: 'TRUE', ...format.tableParameters, ...partitionProjection(table, location, range) },
    partitionKeys: table.partitionKeys.map(glueColumn),
    storageDescriptor: {
      location,
      inputFormat: format.inputFormat,
      outputFormat: format.outputFormat,
      serDeInfo: { serializationLibrary: format.serializationLibrary, parameters: format.serdeParameters },
      columns: table.columns.map(glueColumn),
    },
  };
}

/**
 * The Glue API's `TableInput` for a rendered table: the request `CreateTable` receives when Pulumi's
 * `aws.glue.CatalogTable` creates it (the provider maps each camelCase input to its PascalCase field,
 * nothing more). The local twin sends exactly this to the Glue emulator, so Trino reads the
 * definition Athena reads.
 */
export function glueTableInput(spec: GlueTableSpec): TableInput {
  const column = (glue: GlueColumn): GlueApiColumn => ({ Name: glue.name, Type: glue.type, Comment: glue.comment });
  const { storageDescriptor: sd } = spec;
  return {
    Name: spec.name,
    Description: spec.description,
    TableType: spec.tableType,
    Parameters: { ...spec.parameters },
    PartitionKeys: spec.partitionKeys.map(column),
    StorageDescriptor: {
      Location: sd.location,
      InputFormat: sd.inputFormat,
      OutputFormat: sd.outputFormat,
      SerdeInfo: { SerializationLibrary: sd.serDeInfo.serializationLibrary, Parameters: { ...sd.serDeInfo.parameters } },
      Columns: sd.columns.map(column),
    },
  };
}
