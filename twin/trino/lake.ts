/**
 * A lake opened on Trino, the twin's Athena: the model's tables registered in the Glue emulator with
 * the stage's own table definitions (database `clickstream_local`, like the DuckDB schema), and a
 * Trino catalog that reads them through the Glue API. Queries then name `events`, unqualified, as
 * they do on Athena, whose workgroup sets the database.
 */
import { databaseName } from '../../model/tables';
import type { Lake } from '../../store/lake';
import type { AwsEndpoint } from '../aws-endpoint';
import { glueClient, registerLakeTables } from '../glue-catalog';
import { createHiveCatalog, dropCatalog } from './catalog';

/** Where a query runs on Trino: the server, and the catalog and schema its unqualified tables are in. */
export interface TrinoTarget {
  readonly url: string;
  readonly catalog: string;
  readonly schema: string;
  /** Session properties for every query. */
  readonly sessionProperties?: Readonly<Record<string, string>>;
}

export interface TrinoLakeOptions {
  /** The running Trino's address. */
  readonly trinoUrl: string;
  /** The Glue API that holds the lake's database (the emulator). */
  readonly glue: AwsEndpoint;
  /** The S3 API behind an S3 lake; not needed for a folder lake. */
  readonly s3?: AwsEndpoint;
  /** Glue database name; default `clickstream_local`. */
  readonly database?: string;
  /** Trino catalog name; default `lake`. Give each lake open at once its own. */
  readonly catalog?: string;
}

export interface TrinoLake extends TrinoTarget {
  /** Drops the Trino catalog (the Glue tables stay with their emulator). */
  close(): Promise<void>;
}

export async function openTrinoLake(lake: Lake, options: TrinoLakeOptions): Promise<TrinoLake> {
  const database = options.database ?? databaseName('local');
  const catalog = options.catalog ?? 'lake';
  const client = glueClient(options.glue);
  try {
    await registerLakeTables(client, database, lake);
  } finally {
    client.destroy();
  }
  await createHiveCatalog(options.trinoUrl, { name: catalog, glue: options.glue, s3: options.s3 });
  return {
    url: options.trinoUrl,
    catalog,
    schema: database,
    close: () => dropCatalog(options.trinoUrl, catalog),
  };
}
