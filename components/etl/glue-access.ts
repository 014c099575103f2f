import { PREFIXES } from '../../model/layout';
import { EVENTS, REJECTED_EVENTS, SESSION_DAYS } from '../../model/tables';
import type { AwsContext } from '../aws-context';
import { arns } from '../iam/arns';
import { listBucketUnder } from '../iam/s3-statements';
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../iam/policy-document';
import type { LakeBucketRole } from '../storage/lifecycle';

export interface GlueAccessArgs {
  readonly context: AwsContext;
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  /** Exact keys (in the results bucket) of the job's script, helper module, SQL and config. */
  readonly codeKeys: readonly string[];
  readonly kmsKeyArn?: string;
  /** Logs are encrypted with the key too (the Glue security configuration associates it with them). */
  readonly kmsKeyGrantsLogs?: boolean;
}

/** Glue's own log groups (`/aws-glue/jobs/output`, `…/error`, `…/logs-v2`, suffixed per security configuration). */
export const GLUE_LOG_GROUPS = '/aws-glue/*';

/**
 * The ETL job's permissions: exactly what etl/glue_job.py does, prefix by prefix.
 * - raw/: list, read and (after the copy to processed/) delete its inputs;
 * - processed/: receive the copies;
 * - results/events/: read existing event ids, receive outputs, delete them on roll-back;
 * - results/session_days/: receive outputs, delete them on roll-back;
 * - rejected/rejected_events/: read the rejections already stored (a replayed file is not quarantined
 *   twice), receive outputs, delete them on roll-back;
 * - _etl/: the lease, run records and Spark's staging (read, write, delete);
 * - reference/ and its own code objects: read.
 * It does not use the Glue Data Catalog (Spark's catalog stays in memory), so it gets no catalog
 * action at all.
 */
export function glueJobPolicy(args: GlueAccessArgs): PolicyDocument {
  const { context, bucketNames } = args;
  const raw = bucketNames.raw;
  const results = bucketNames.results;
  const objects = (bucket: string, prefix: string) => arns.objects(context, bucket, prefix);

  const statements: PolicyStatement[] = [
    { Sid: 'ConsumeRaw', Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: [objects(raw, PREFIXES.raw)] },
    listBucketUnder(context, raw, [PREFIXES.raw], 'ListRaw'),
    { Sid: 'KeepProcessed', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objects(bucketNames.processed, PREFIXES.processed)] },
    {
      Sid: 'WriteEvents',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [objects(results, EVENTS.prefix)],
    },
    {
      Sid: 'WriteSessionDays',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [objects(results, SESSION_DAYS.prefix)],
    },
    {
      Sid: 'WriteRejected',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [objects(results, REJECTED_EVENTS.prefix)],
    },
    {
      Sid: 'RunState',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: [objects(results, PREFIXES.etl)],
    },
    {
      Sid: 'ReadReferenceAndCode',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [objects(results, PREFIXES.reference), ...args.codeKeys.map((key) => objects(results, key))],
    },
    listBucketUnder(context, results, [EVENTS.prefix, SESSION_DAYS.prefix, REJECTED_EVENTS.prefix, PREFIXES.etl], 'ListResults'),
    {
      Sid: 'WriteLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', ...(args.kmsKeyArn !== undefined && args.kmsKeyGrantsLogs === true ? ['logs:AssociateKmsKey'] : [])],
      Resource: [arns.logGroup(context, GLUE_LOG_GROUPS)],
    },
    {
      // PutMetricData cannot be scoped to a resource; the namespace condition is its scope.
      Sid: 'PublishJobMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: ['*'],
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    },
  ];
  if (args.kmsKeyArn !== undefined) {
    statements.push({ Sid: 'UseStageKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [args.kmsKeyArn] });
  }
  return policyDocument(statements);
}
