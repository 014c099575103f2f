import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AccountNames } from '../../config/naming';
import type { OrchestrationConfig } from '../../config/stage-config';
import { DATA_AGE_METRIC, pipelineDefinition, type PipelineChecks } from '../../orchestration/definition';
import type { AwsContext } from '../aws-context';
import { serviceTrustPolicy } from '../iam/policy-document';
import type { LakeBucketRole } from '../storage/lifecycle';
import { pipelinePolicy, schedulePolicy, topicKeyPolicy } from './pipeline-access';

export interface PipelineArgs {
  readonly names: AccountNames;
  readonly stage: string;
  readonly context: AwsContext;
  readonly orchestration: OrchestrationConfig;
  /** EventBridge schedule expression (`cron(...)`), or null: runs are started by hand. */
  readonly schedule: string | null;
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  readonly glueJobName: pulumi.Input<string>;
  readonly etlTimeoutMinutes: number;
  readonly workgroupName: pulumi.Input<string>;
  readonly databaseName: string;
  readonly kmsKeyArn?: string;
  readonly checks: PipelineChecks;
  /** Days the execution log is kept. */
  readonly logRetentionDays?: number;
}

/** Where Step Functions writes execution logs (the `/aws/vendedlogs/` prefix keeps its resource policy small). */
export const pipelineLogGroupName = (stem: string): string => `/aws/vendedlogs/states/${stem}-pipeline`;

/**
 * The pipeline on AWS: the state machine rendered from orchestration/definition.ts, the schedule that
 * starts it (the stage's only scheduler: the Glue job has no trigger of its own), the encrypted topic
 * that tells the stage's subscribers about failures, a role allowed exactly what the states call,
 * execution logs in CloudWatch Logs, and alarms on failed runs and on stale data.
 */
export class Pipeline extends pulumi.ComponentResource {
  public readonly stateMachine: aws.sfn.StateMachine;
  public readonly stateMachineArn: pulumi.Output<string>;
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:orchestration:Pipeline', name, {}, opts);
    const child = { parent: this };
    const physicalName = args.names.resource('pipeline');
    const { context } = args;

    const topicKey = new aws.kms.Key(
      `${name}-topic-key`,
      {
        description: `Encrypts the ${physicalName} notification topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(topicKeyPolicy(context)),
      },
      child,
    );
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: physicalName, displayName: `clickstream-bi ${args.stage} pipeline`, kmsMasterKeyId: topicKey.arn },
      child,
    );
    args.orchestration.notifications.forEach(
      (subscriber, index) =>
        new aws.sns.TopicSubscription(`${name}-notify-${index + 1}`, { topic: topic.arn, protocol: subscriber.protocol, endpoint: subscriber.endpoint }, child),
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-log`,
      { name: pipelineLogGroupName(args.names.stem), retentionInDays: args.logRetentionDays ?? 90 },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.names.iam('pipeline'),
        description: 'Clickstream pipeline (Step Functions)',
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy('states.amazonaws.com', context.accountId)),
      },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      {
        role: role.name,
        name: 'job-workgroup-topic-logs',
        policy: pulumi
          .all([args.glueJobName, args.workgroupName, topic.arn, topicKey.arn])
          .apply(([glueJobName, workgroupName, topicArn, topicKeyArn]) =>
            JSON.stringify(
              pipelinePolicy({
                context,
                stateMachineName: physicalName,
                glueJobName,
                workgroupName,
                databaseName: args.databaseName,
                bucketNames: args.bucketNames,
                topicArn,
                topicKeyArn,
                kmsKeyArn: args.kmsKeyArn,
              }),
            ),
          ),
      },
      child,
    );

    this.stateMachine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: physicalName,
        type: 'STANDARD',
        roleArn: role.arn,
        definition: pulumi
          .all([args.glueJobName, args.workgroupName, topic.arn])
          .apply(([glueJobName, workgroupName, topicArn]) =>
            JSON.stringify(
              pipelineDefinition({
                partition: context.partition,
                stage: args.stage,
                rawBucket: args.bucketNames.raw,
                glueJobName,
                etlTimeoutMinutes: args.etlTimeoutMinutes,
                workgroup: workgroupName,
                topicArn,
                maxDataAgeDays: args.orchestration.maxDataAgeDays,
                checks: args.checks,
              }),
              null,
              2,
            ),
          ),
        loggingConfiguration: { logDestination: pulumi.interpolate`${logGroup.arn}:*`, includeExecutionData: true, level: 'ALL' },
      },
      // Logging is checked at creation: the role must already be allowed to deliver logs.
      { ...child, dependsOn: [access] },
    );
    this.stateMachineArn = this.stateMachine.arn;
    this.topicArn = topic.arn;

    if (args.schedule !== null) {
      const scheduleRole = new aws.iam.Role(
        `${name}-schedule-role`,
        {
          name: args.names.iam('pipeline-schedule'),
          description: 'Starts the clickstream pipeline on its schedule (EventBridge)',
          assumeRolePolicy: JSON.stringify(serviceTrustPolicy('events.amazonaws.com', context.accountId)),
        },
        child,
      );
      const scheduleAccess = new aws.iam.RolePolicy(
        `${name}-schedule-access`,
        { role: scheduleRole.name, name: 'start-the-pipeline', policy: this.stateMachine.arn.apply((arn) => JSON.stringify(schedulePolicy(arn))) },
        child,
      );
      const rule = new aws.cloudwatch.EventRule(
        `${name}-schedule`,
        {
          name: args.names.resource('pipeline-schedule'),
          description: 'Starts the pipeline; a run with nothing under raw/ only checks freshness (no Glue job)',
          scheduleExpression: args.schedule,
        },
        child,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-schedule-target`,
        { rule: rule.name, arn: this.stateMachine.arn, roleArn: scheduleRole.arn },
        { ...child, dependsOn: [scheduleAccess] },
      );
    }

    const executions = (metric: string, id: string) => ({
      id,
      metric: { namespace: 'AWS/States', metricName: metric, dimensions: { StateMachineArn: this.stateMachine.arn }, period: 300, stat: 'Sum' },
    });
    new aws.cloudwatch.MetricAlarm(
      `${name}-failed-runs`,
      {
        name: args.names.resource('pipeline-failed-runs'),
        alarmDescription: 'A pipeline run failed, timed out or was aborted: see the execution in the Step Functions console and the notification.',
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQueries: [
          executions('ExecutionsFailed', 'failed'),
          executions('ExecutionsTimedOut', 'timedout'),
          executions('ExecutionsAborted', 'aborted'),
          { id: 'unsuccessful', expression: 'FILL(failed, 0) + FILL(timedout, 0) + FILL(aborted, 0)', label: 'Unsuccessful runs', returnData: true },
        ],
        alarmActions: [topic.arn],
      },
      child,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-stale-data`,
      {
        name: args.names.resource('pipeline-stale-data'),
        alarmDescription: `The newest event_date is more than ${args.orchestration.maxDataAgeDays} day(s) old${args.schedule === null ? '' : ', or no run has measured it for 6 hours'}: check the producers and the ETL.`,
        namespace: DATA_AGE_METRIC.namespace,
        metricName: DATA_AGE_METRIC.name,
        dimensions: { [DATA_AGE_METRIC.dimension]: args.stage },
        statistic: 'Minimum',
        period: 6 * 3600,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: args.orchestration.maxDataAgeDays,
        // On a schedule, silence means the runs stopped measuring: that is stale too.
        treatMissingData: args.schedule === null ? 'notBreaching' : 'breaching',
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      },
      child,
    );

    this.registerOutputs({ stateMachineArn: this.stateMachineArn, topicArn: this.topicArn });
  }
}
