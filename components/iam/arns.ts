import type { AwsContext } from '../aws-context';

/** ARN builders: one place spells each ARN format, so policies cannot drift from each other. */
export const arns = {
  bucket: (context: AwsContext, bucket: string) => `arn:${context.partition}:s3:::${bucket}`,
  allObjects: (context: AwsContext, bucket: string) => `arn:${context.partition}:s3:::${bucket}/*`,
  /** Every object under a key prefix (`raw/` → `arn:…:bucket/raw/*`); an exact key stays exact. */
  objects: (context: AwsContext, bucket: string, prefixOrKey: string) =>
    `arn:${context.partition}:s3:::${bucket}/${prefixOrKey.endsWith('/') ? `${prefixOrKey}*` : prefixOrKey}`,
  glueCatalog: (context: AwsContext) => `arn:${context.partition}:glue:${context.region}:${context.accountId}:catalog`,
  glueDatabase: (context: AwsContext, database: string) =>
    `arn:${context.partition}:glue:${context.region}:${context.accountId}:database/${database}`,
  glueTables: (context: AwsContext, database: string) =>
    `arn:${context.partition}:glue:${context.region}:${context.accountId}:table/${database}/*`,
  athenaWorkgroup: (context: AwsContext, workgroup: string) =>
    `arn:${context.partition}:athena:${context.region}:${context.accountId}:workgroup/${workgroup}`,
  /** The account's default Athena data catalog, which is the Glue Data Catalog. */
  athenaDataCatalog: (context: AwsContext) => `arn:${context.partition}:athena:${context.region}:${context.accountId}:datacatalog/AwsDataCatalog`,
  logGroup: (context: AwsContext, name: string) =>
    `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${name}`,
  ssmParameter: (context: AwsContext, name: string) =>
    `arn:${context.partition}:ssm:${context.region}:${context.accountId}:parameter${name.startsWith('/') ? name : `/${name}`}`,
  glueJob: (context: AwsContext, job: string) => `arn:${context.partition}:glue:${context.region}:${context.accountId}:job/${job}`,
  stateMachine: (context: AwsContext, name: string) => `arn:${context.partition}:states:${context.region}:${context.accountId}:stateMachine:${name}`,
  managedPolicy: (context: AwsContext, name: string) => `arn:${context.partition}:iam::aws:policy/${name}`,
} as const;
