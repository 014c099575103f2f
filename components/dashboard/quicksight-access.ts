import { BUCKET_OF_AREA } from '../../model/layout';
import type { TableDefinition } from '../../model/tables';
import type { AwsContext } from '../aws-context';
import { arns } from '../iam/arns';
import { listBucketUnder } from '../iam/s3-statements';
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../iam/policy-document';
import { ATHENA_RESULTS_PREFIX, type LakeBucketRole } from '../storage/lifecycle';

export interface QuickSightAccessArgs {
  readonly context: AwsContext;
  readonly workgroupName: string;
  readonly databaseName: string;
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  /** The model tables the dashboard's queries read: only their prefixes are readable. */
  readonly tables: readonly TableDefinition[];
  readonly kmsKeyArn?: string;
}

/**
 * What QuickSight's Athena data source may do as the stage's QuickSight role: run queries in the
 * stage's workgroup, read the stage's catalog, read the files of the tables the dashboard queries
 * (and nothing else of the results bucket), and write query results under the workgroup's prefix of
 * the athena-results bucket, which Athena does on the caller's behalf.
 */
export function quickSightAthenaPolicy(args: QuickSightAccessArgs): PolicyDocument {
  const { context, bucketNames } = args;
  const athenaResults = bucketNames['athena-results'];
  const bucketOf = (table: TableDefinition) => bucketNames[BUCKET_OF_AREA[table.area]];
  const tableBuckets = [...new Set(args.tables.map(bucketOf))];
  const statements: PolicyStatement[] = [
    {
      Sid: 'RunQueriesInTheStageWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:GetWorkGroup',
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:BatchGetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetQueryResultsStream',
      ],
      Resource: [arns.athenaWorkgroup(context, args.workgroupName)],
    },
    {
      Sid: 'BrowseTheDataCatalog',
      Effect: 'Allow',
      Action: ['athena:GetDataCatalog', 'athena:ListDatabases', 'athena:GetDatabase', 'athena:ListTableMetadata', 'athena:GetTableMetadata'],
      Resource: [arns.athenaDataCatalog(context)],
    },
    {
      Sid: 'ReadTheStageCatalog',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: [arns.glueCatalog(context), arns.glueDatabase(context, args.databaseName), arns.glueTables(context, args.databaseName)],
    },
    {
      Sid: 'ReadQueriedTables',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: args.tables.map((table) => arns.objects(context, bucketOf(table), table.prefix)),
    },
    ...tableBuckets.map((bucket, index) =>
      listBucketUnder(
        context,
        bucket,
        args.tables.filter((table) => bucketOf(table) === bucket).map((table) => table.prefix),
        `ListQueriedTables${index === 0 ? '' : index + 1}`,
      ),
    ),
    {
      Sid: 'WriteQueryResults',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: [arns.objects(context, athenaResults, ATHENA_RESULTS_PREFIX)],
    },
    listBucketUnder(context, athenaResults, [ATHENA_RESULTS_PREFIX], 'ListQueryResults'),
    {
      Sid: 'LocateBuckets',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
      Resource: [...tableBuckets, athenaResults].map((bucket) => arns.bucket(context, bucket)),
    },
  ];
  if (args.kmsKeyArn !== undefined) {
    statements.push({ Sid: 'UseTheLakeKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [args.kmsKeyArn] });
  }
  return policyDocument(statements);
}
