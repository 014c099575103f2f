/**
 * A Hive catalog on the running Trino that reads a lake through the Glue API, as Athena reads a
 * stage: `hive.metastore=glue` with the emulator's endpoint, Trino's native S3 file system for
 * `s3://` locations and its local file system for `local://` (a folder lake). Partition projection
 * (`projection.*` table parameters) is the Hive connector's own, as on Athena.
 */
import type { AwsEndpoint } from '../aws-endpoint';
import { runTrinoStatement } from './client';

export interface HiveCatalogOptions {
  /** Catalog name: lower-case letters, digits and `_`. */
  readonly name: string;
  readonly glue: AwsEndpoint;
  /** The S3 API serving `s3://` locations; absent for a folder lake. */
  readonly s3?: AwsEndpoint;
}

const NAME = /^[a-z][a-z0-9_]*$/;

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function hiveCatalogProperties(options: HiveCatalogOptions): Record<string, string> {
  const properties: Record<string, string> = {
    'hive.metastore': 'glue',
    'hive.metastore.glue.endpoint-url': options.glue.endpoint,
    'hive.metastore.glue.region': options.glue.region,
    'hive.metastore.glue.aws-access-key': options.glue.credentials.accessKeyId,
    'hive.metastore.glue.aws-secret-key': options.glue.credentials.secretAccessKey,
    'hive.partition-projection-enabled': 'true',
    // S3 has no folders: a projected day without files reads as empty on Athena. A folder lake has
    // no folder for such a day, which Trino would report as an error without this.
    'hive.ignore-absent-partitions': 'true',
    'fs.native-local.enabled': 'true',
    'local.location': '/',
  };
  if (options.s3) {
    Object.assign(properties, {
      'fs.native-s3.enabled': 'true',
      's3.endpoint': options.s3.endpoint,
      's3.region': options.s3.region,
      's3.path-style-access': 'true',
      's3.aws-access-key': options.s3.credentials.accessKeyId,
      's3.aws-secret-key': options.s3.credentials.secretAccessKey,
    });
  }
  return properties;
}

/** Creates the catalog (replacing one of the same name this server holds). */
export async function createHiveCatalog(trinoUrl: string, options: HiveCatalogOptions): Promise<void> {
  if (!NAME.test(options.name)) throw new Error(`Trino catalog name "${options.name}" must be lower-case letters, digits and "_", starting with a letter`);
  const properties = Object.entries(hiveCatalogProperties(options))
    .map(([key, value]) => `"${key}" = ${quote(value)}`)
    .join(', ');
  await runTrinoStatement(trinoUrl, `drop catalog if exists ${options.name}`);
  await runTrinoStatement(trinoUrl, `create catalog ${options.name} using hive with (${properties})`);
}

export async function dropCatalog(trinoUrl: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`Trino catalog name "${name}" must be lower-case letters, digits and "_", starting with a letter`);
  await runTrinoStatement(trinoUrl, `drop catalog if exists ${name}`);
}
