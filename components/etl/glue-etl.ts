import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import type { AccountNames } from '../../config/naming';
import type { EtlConfig } from '../../config/stage-config';
import { GLUE_SCRIPT, glueJobArguments, type GlueArtifact } from '../../etl/glue-artifacts';
import type { AwsContext } from '../aws-context';
import { serviceTrustPolicy } from '../iam/policy-document';
import type { LakeBucketRole } from '../storage/lifecycle';
import { glueJobPolicy } from './glue-access';

/**
 * Where the job's code goes in the results bucket: apart from `_etl/`, which the job may write, so
 * that a run can never rewrite its own code.
 */
export const ETL_CODE_PREFIX = '_code/etl/';

/** Glue job arguments that Glue 5.0 no longer accepts (continuous logging is always on there). */
export const ARGUMENTS_BEFORE_GLUE_5 = ['--enable-continuous-cloudwatch-log'] as const;

type SecurityEncryption = aws.types.input.glue.SecurityConfigurationEncryptionConfiguration;

/**
 * A security configuration cannot be updated, only replaced, and Pulumi creates the replacement
 * before deleting the old one: the name carries a digest of the settings, so the two never collide.
 */
export function securityConfigurationName(base: string, encryption: SecurityEncryption): string {
  return `${base}-${createHash('sha256').update(canonicalJson(encryption)).digest('hex').slice(0, 8)}`;
}

/** JSON with keys sorted at every level: the same settings give the same text, in any key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface GlueEtlArgs {
  readonly names: AccountNames;
  readonly etl: EtlConfig;
  readonly context: AwsContext;
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  /** The results bucket's id, so that uploads wait for the bucket. */
  readonly resultsBucket: pulumi.Input<string>;
  readonly databaseName: string;
  readonly kmsKeyArn?: string;
  /** The key's policy lets CloudWatch Logs use it (storage.kmsKeyGrantsLogs): logs are then encrypted with it. */
  readonly kmsKeyGrantsLogs: boolean;
  /** The script, its helper module, the Spark SQL and its config (etl/glue-artifacts.ts). */
  readonly artifacts: readonly GlueArtifact[];
}

/**
 * The ETL on AWS: the Glue 5.0 job running etl/glue_job.py with the Spark rendering of the one
 * transform, its code uploaded from the repository, a role allowed exactly the prefixes the job
 * touches, and a security configuration that encrypts what it writes. It has no trigger: the pipeline's state
 * machine (components/orchestration/) starts it on the stage's schedule and checks what it loaded.
 */
export class GlueEtl extends pulumi.ComponentResource {
  public readonly job: aws.glue.Job;
  public readonly jobName: pulumi.Output<string>;

  constructor(name: string, args: GlueEtlArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:etl:GlueEtl', name, {}, opts);
    const child = { parent: this };
    const physicalName = args.names.resource('etl');
    const codeBucket = args.bucketNames.results;

    if (!args.artifacts.some((artifact) => artifact.name === GLUE_SCRIPT)) {
      throw new Error(`GlueEtl: the artifacts hold no ${GLUE_SCRIPT}, the job's entry point; pass etl/glue-artifacts.ts glueArtifacts()`);
    }
    const uploads = args.artifacts.map(
      (artifact) =>
        new aws.s3.BucketObjectv2(
          `${name}-code-${artifact.name.replace(/[^a-z0-9]+/gi, '-')}`,
          { bucket: args.resultsBucket, key: `${ETL_CODE_PREFIX}${artifact.name}`, content: artifact.body, contentType: artifact.contentType },
          child,
        ),
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.names.iam('etl'),
        description: 'Clickstream ETL (Glue job)',
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy('glue.amazonaws.com', args.context.accountId)),
      },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      {
        role: role.name,
        name: 'lake-prefixes-logs-metrics',
        policy: JSON.stringify(
          glueJobPolicy({
            context: args.context,
            bucketNames: args.bucketNames,
            codeKeys: args.artifacts.map((artifact) => `${ETL_CODE_PREFIX}${artifact.name}`),
            kmsKeyArn: args.kmsKeyArn,
            kmsKeyGrantsLogs: args.kmsKeyGrantsLogs,
          }),
        ),
      },
      child,
    );

    // CloudWatch and job-bookmark encryption need a KMS key; without one, logs keep CloudWatch's
    // own at-rest encryption and the job uses no bookmarks (its run records track progress). Logs
    // use the key only once its policy admits the CloudWatch Logs service, or every run would fail.
    const kms = args.kmsKeyArn;
    const logsKms = kms !== undefined && args.kmsKeyGrantsLogs ? kms : undefined;
    const encryptionConfiguration: SecurityEncryption = {
      s3Encryption: kms ? { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: kms } : { s3EncryptionMode: 'SSE-S3' },
      cloudwatchEncryption: logsKms ? { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: logsKms } : { cloudwatchEncryptionMode: 'DISABLED' },
      jobBookmarksEncryption: kms ? { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: kms } : { jobBookmarksEncryptionMode: 'DISABLED' },
    };
    const security = new aws.glue.SecurityConfiguration(
      `${name}-security`,
      { name: securityConfigurationName(physicalName, encryptionConfiguration), encryptionConfiguration },
      child,
    );

    this.job = new aws.glue.Job(
      `${name}-job`,
      {
        name: physicalName,
        description: 'Clickstream ETL: raw JSON lines to validated Parquet events and rejects (etl/glue_job.py).',
        roleArn: role.arn,
        glueVersion: '5.0',
        command: { name: 'glueetl', pythonVersion: '3', scriptLocation: `s3://${codeBucket}/${ETL_CODE_PREFIX}${GLUE_SCRIPT}` },
        workerType: args.etl.workerType,
        numberOfWorkers: args.etl.numberOfWorkers,
        timeout: args.etl.timeoutMinutes,
        maxRetries: args.etl.maxRetries,
        // Runs already exclude each other through the lease; one at a time also saves the waiting one's cost.
        // The stage config checks that a run and its retries end before the next scheduled start.
        executionProperty: { maxConcurrentRuns: 1 },
        securityConfiguration: security.name,
        defaultArguments: {
          ...glueJobArguments({
            buckets: { raw: args.bucketNames.raw, processed: args.bucketNames.processed, results: args.bucketNames.results },
            codeBucket,
            codePrefix: ETL_CODE_PREFIX,
            database: args.databaseName,
          }),
          '--job-language': 'python',
          '--enable-metrics': 'true',
          '--enable-observability-metrics': 'true',
          '--job-bookmark-option': 'job-bookmark-disable',
        },
      },
      { ...child, dependsOn: [...uploads, access] },
    );
    this.jobName = this.job.name;

    this.registerOutputs({ jobName: this.jobName });
  }
}
