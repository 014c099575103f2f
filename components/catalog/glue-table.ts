import { EARLIEST_ACCEPTED_TIMESTAMP, FUTURE_TOLERANCE_SECONDS } from '../../model/validate';
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
 * Athena partition projection for date partitions (`event_date=2024-05-01/`): partitions are computed
 * from the query's predicate, so no crawler and no MSCK REPAIR TABLE. The range starts where the
 * ETL's accepted event window starts and ends as far ahead as it tolerates clock drift.
 */
function partitionProjection(table: TableDefinition, location: string): Record<string, string> {
  if (table.partitionKeys.length === 0) return {};
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const key of table.partitionKeys) {
    if (key.type !== 'date') {
      throw new Error(
        `table "${table.name}": partition key "${key.name}" has type ${key.type}; only date partition keys can be projected. ` +
          'Make it a date in model/tables.ts or add a projection for its type in components/catalog/glue-table.ts',
      );
    }
    const earliest = new Date(EARLIEST_ACCEPTED_TIMESTAMP * 1000).toISOString().slice(0, 10);
    const aheadDays = Math.ceil(FUTURE_TOLERANCE_SECONDS / SECONDS_PER_DAY);
    Object.assign(parameters, {
      [`projection.${key.name}.type`]: 'date',
      [`projection.${key.name}.format`]: 'yyyy-MM-dd',
      [`projection.${key.name}.range`]: `${earliest},NOW+${aheadDays}DAYS`,
      [`projection.${key.name}.interval`]: '1',
      [`projection.${key.name}.interval.unit`]: 'DAYS',
    });
  }
  parameters['storage.location.template'] = `${location}${table.partitionKeys.map((key) => `${key.name}=\${${key.name}}/`).join('')}`;
  return parameters;
}

/** `location` is the table's S3 folder, ending in `/` (e.g. `s3://bucket/results/events/`). */
export function renderGlueTable(table: TableDefinition, location: string): GlueTableSpec {
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
    parameters: { EXTERNAL: 'TRUE', ...format.tableParameters, ...partitionProjection(table, location) },
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
