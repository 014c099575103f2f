import { PREFIXES } from '../../model/layout';
import { EVENTS } from '../../model/tables';
import { DATA_AGE_METRIC } from '../../orchestration/definition';
import type { AwsContext } from '../aws-context';
import { quickSightAthenaPolicy } from '../dashboard/quicksight-access';
import { arns } from '../iam/arns';
import { listBucketUnder } from '../iam/s3-statements';
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../iam/policy-document';
import type { LakeBucketRole } from '../storage/lifecycle';

export interface PipelineAccessArgs {
  readonly context: AwsContext;
  readonly stateMachineName: string;
  readonly glueJobName: string;
  readonly workgroupName: string;
  readonly databaseName: string;
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  readonly topicArn: string;
  readonly topicKeyArn: string;
  readonly kmsKeyArn?: string;
}

/**
 * Step Functions' log delivery API has no resource-level permissions: AWS documents these actions on
 * "*" for a state machine that logs to CloudWatch Logs (the log group is named in the state machine).
 */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/**
 * What the pipeline's state machine may do, state by state (orchestration/definition.ts): list its
 * own running executions, look for one key under raw/, start and watch this stage's Glue job, run
 * the checks in this stage's workgroup over `events` (the same Athena rights as the dashboard's data
 * source, limited to that table), publish the data-age metric in its namespace, publish to this
 * stage's topic, and deliver its execution log.
 */
export function pipelinePolicy(args: PipelineAccessArgs): PolicyDocument {
  const { context } = args;
  const athena = quickSightAthenaPolicy({
    context,
    workgroupName: args.workgroupName,
    databaseName: args.databaseName,
    bucketNames: args.bucketNames,
    tables: [EVENTS],
    kmsKeyArn: args.kmsKeyArn,
  }).Statement;
  const statements: PolicyStatement[] = [
    {
      Sid: 'SeeOwnRuns',
      Effect: 'Allow',
      Action: ['states:ListExecutions'],
      Resource: [arns.stateMachine(context, args.stateMachineName)],
    },
    listBucketUnder(context, args.bucketNames.raw, [PREFIXES.raw], 'LookForRawData'),
    {
      Sid: 'RunTheEtlJob',
      Effect: 'Allow',
      Action: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
      Resource: [arns.glueJob(context, args.glueJobName)],
    },
    ...athena,
    {
      Sid: 'PublishDataAge',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: ['*'],
      Condition: { StringEquals: { 'cloudwatch:namespace': DATA_AGE_METRIC.namespace } },
    },
    { Sid: 'NotifyFailures', Effect: 'Allow', Action: ['sns:Publish'], Resource: [args.topicArn] },
    { Sid: 'UseTheTopicKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [args.topicKeyArn] },
    { Sid: 'DeliverExecutionLogs', Effect: 'Allow', Action: [...LOG_DELIVERY_ACTIONS], Resource: ['*'] },
  ];
  return policyDocument(statements);
}

/** What EventBridge may do for the schedule: start this state machine, nothing else. */
export function schedulePolicy(stateMachineArn: string): PolicyDocument {
  return policyDocument([{ Sid: 'StartThePipeline', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [stateMachineArn] }]);
}

/**
 * The topic's own key: the account administers it; CloudWatch alarms (a service principal) may use
 * it to publish, which an AWS-managed SNS key would not let them.
 */
export function topicKeyPolicy(context: AwsContext): PolicyDocument {
  return policyDocument([
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:${context.partition}:iam::${context.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'AlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': context.accountId } },
    },
  ]);
}
