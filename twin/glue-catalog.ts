/**
 * The lake's Glue database on a Glue API endpoint (the emulator): one `CreateTable` per model table
 * with the very TableInput the stage's Catalog component sends (components/catalog/glue-table.ts),
 * pointed at this lake's folders or buckets. Trino's Hive connector then reads the tables through the
 * Glue API, as Athena does.
 */
import {
  AlreadyExistsException,
  CreateDatabaseCommand,
  CreateTableCommand,
  GlueClient,
  UpdateTableCommand,
  type GlueClientConfig,
} from '@aws-sdk/client-glue';
import { acceptedWindowRange, glueTableInput, renderGlueTable, type ProjectionRange } from '../components/catalog/glue-table';
import { EVENTS, TABLES, partitionFolder, type TableDefinition } from '../model/tables';
import { FsObjectStore } from '../store/fs-store';
import type { Lake } from '../store/lake';
import type { AwsEndpoint } from './aws-endpoint';
import { S3ObjectStore } from '../store/s3-store';

/**
 * Where a model table lives in this lake, as Trino's file systems name it: `s3://<bucket>/<prefix>`
 * on S3 (the bucket of the table's area, as on a stage), `local://<folder>/<prefix>` in a folder.
 */
export function lakeTableLocation(lake: Lake, table: TableDefinition): string {
  const store = lake.store(table.area);
  if (store instanceof S3ObjectStore) return `s3://${store.bucket}/${table.prefix}`;
  if (store instanceof FsObjectStore) return `local://${store.rootDir}/${table.prefix}`;
  throw new Error(`lake ${lake.description}: area ${table.area} is neither a folder nor an S3 bucket, so Trino cannot read table ${table.name} from it`);
}

/**
 * The days the twin's tables project: from the lake's earliest event date (today when it has none)
 * to the stage's end, `NOW+1DAYS`. A stage projects a fixed number of days back instead; in the twin
 * the lake's dates bound the prefixes a query without a date filter lists.
 */
export async function lakeProjectionRange(lake: Lake): Promise<ProjectionRange> {
  let earliest: string | undefined;
  const partition = new RegExp(`${partitionFolder(EVENTS, '(\\d{4}-\\d{2}-\\d{2})')}/`);
  for await (const object of lake.store(EVENTS.area).list(EVENTS.prefix)) {
    const date = partition.exec(object.key)?.[1];
    if (date !== undefined && (earliest === undefined || date < earliest)) earliest = date;
  }
  return { from: earliest ?? new Date().toISOString().slice(0, 10), to: acceptedWindowRange().to };
}

export function glueClient(glue: AwsEndpoint): GlueClient {
  const config: GlueClientConfig = { endpoint: glue.endpoint, region: glue.region, credentials: glue.credentials, maxAttempts: 3 };
  return new GlueClient(config);
}

/**
 * Creates (or, when the twin made it before, updates) the database and one table per model table.
 * Only for an emulator's Glue: on a stage, Pulumi owns these tables.
 */
export async function registerLakeTables(
  client: GlueClient,
  database: string,
  lake: Lake,
  tables: readonly TableDefinition[] = TABLES,
): Promise<void> {
  const range = await lakeProjectionRange(lake);
  try {
    await client.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database, Description: `Clickstream lake ${lake.description}` } }));
  } catch (error) {
    if (!(error instanceof AlreadyExistsException)) throw error;
  }
  for (const table of tables) {
    const input = glueTableInput(renderGlueTable(table, lakeTableLocation(lake, table), range));
    try {
      await client.send(new CreateTableCommand({ DatabaseName: database, TableInput: input }));
    } catch (error) {
      if (!(error instanceof AlreadyExistsException)) throw error;
      await client.send(new UpdateTableCommand({ DatabaseName: database, TableInput: input }));
    }
  }
}
