import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { BUCKET_OF_AREA, LOCATIONS_KEY } from '../../model/layout';
import { BUNDLED_LOCATIONS_PATH } from '../../model/locations';
import type { TableDefinition } from '../../model/tables';
import type { LakeBucketRole } from '../storage/lifecycle';
import { renderGlueTable } from './glue-table';

export interface CatalogArgs {
  readonly databaseName: string;
  readonly tables: readonly TableDefinition[];
  /** Physical bucket names by role: each table's location is its area's bucket plus its prefix. */
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  /** The results bucket's id, so the reference upload waits for the bucket to exist. */
  readonly resultsBucket: pulumi.Input<string>;
  /** The reference CSV to upload at LOCATIONS_KEY (defaults to the one bundled with the model). */
  readonly locationsCsvPath?: string;
  /** Protect and retain the database, as the stage's buckets (storage.protect). */
  readonly protect: boolean;
}

/** Where a model table lives on S3 for this stage. */
export function tableLocation(table: TableDefinition, bucketNames: Readonly<Record<LakeBucketRole, string>>): string {
  return `s3://${bucketNames[BUCKET_OF_AREA[table.area]]}/${table.prefix}`;
}

/**
 * The stage's Glue database with one table per model table (rendered, not retyped), and the
 * reference CSV that the `locations` table reads, uploaded from the repository.
 */
export class Catalog extends pulumi.ComponentResource {
  public readonly database: aws.glue.CatalogDatabase;
  public readonly databaseName: pulumi.Output<string>;
  public readonly tables: Readonly<Record<string, aws.glue.CatalogTable>>;
  public readonly locationsObject: aws.s3.BucketObjectv2;

  constructor(name: string, args: CatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:catalog:Catalog', name, {}, opts);
    const child = { parent: this };

    this.database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      { name: args.databaseName, description: 'Clickstream lake: raw events, events, rejected events and reference locations.' },
      { ...child, protect: args.protect, retainOnDelete: args.protect },
    );
    this.databaseName = this.database.name;

    this.tables = Object.fromEntries(
      args.tables.map((table) => [
        table.name,
        new aws.glue.CatalogTable(
          `${name}-${table.name.replace(/_/g, '-')}`,
          { databaseName: this.database.name, ...renderGlueTable(table, tableLocation(table, args.bucketNames)) },
          child,
        ),
      ]),
    );

    this.locationsObject = new aws.s3.BucketObjectv2(
      `${name}-locations-csv`,
      {
        bucket: args.resultsBucket,
        key: LOCATIONS_KEY,
        content: readFileSync(args.locationsCsvPath ?? BUNDLED_LOCATIONS_PATH, 'utf8'),
        contentType: 'text/csv; charset=utf-8',
      },
      child,
    );

    this.registerOutputs({ databaseName: this.databaseName });
  }
}
