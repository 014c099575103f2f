/**
 * The pipeline as one state machine, written once as data. `pipelineDefinition` renders it for a
 * stage (Step Functions, through components/orchestration/) and for the local lake
 * (orchestration/local-run.ts binds its Task states to the local engines): the same states, the same
 * retries and the same failure path in both places.
 *
 *   Prepare → CheckRunning → (another run active? → SkipWhileRunning)
 *           → CheckRaw → (raw/ empty? → CheckFreshness, no ETL)
 *           → RunEtl (Glue job, .sync) → CheckLoad + ReadLoadCheck (Athena) → (repeats? → LoadNotReconciled)
 *           → CheckFreshness + ReadFreshness (Athena) → PublishAge (CloudWatch) → (too old? → DataStale)
 *           → [RefreshDataSets (QuickSight SPICE ingestions), when the stage imports any] → Done
 *   any failure → NotifyFailure (SNS: run id and reason) → Failed
 */
import type { NamedQuery } from '../queries/catalogue';
import type { ChoiceRule, Json, Retrier, State, StateMachineDefinition, TaskState } from './asl';

/** The service integrations the pipeline calls, as Task `Resource` ARNs (without the partition). */
export const INTEGRATIONS = {
  listExecutions: 'aws-sdk:sfn:listExecutions',
  listObjects: 'aws-sdk:s3:listObjectsV2',
  runGlueJob: 'glue:startJobRun.sync',
  runAthenaQuery: 'athena:startQueryExecution.sync',
  getQueryResults: 'aws-sdk:athena:getQueryResults',
  putMetricData: 'aws-sdk:cloudwatch:putMetricData',
  createIngestion: 'aws-sdk:quicksight:createIngestion',
  publish: 'sns:publish',
} as const;
export type Integration = keyof typeof INTEGRATIONS;

export function integrationArn(partition: string, integration: Integration): string {
  return `arn:${partition}:states:::${INTEGRATIONS[integration]}`;
}

/** Which integration a Task `Resource` ARN names, whatever the partition. */
export function integrationOf(resource: string): Integration | undefined {
  const found = Object.entries(INTEGRATIONS).find(([, suffix]) => resource.endsWith(`:states:::${suffix}`));
  return found?.[0] as Integration | undefined;
}

/** The state names other code refers to (local bindings, tests, status). */
export const STATES = {
  prepare: 'Prepare',
  checkRunning: 'CheckRunning',
  anotherRunActive: 'AnotherRunActive',
  skipWhileRunning: 'SkipWhileRunning',
  checkRaw: 'CheckRaw',
  rawDataWaiting: 'RawDataWaiting',
  runEtl: 'RunEtl',
  checkLoad: 'CheckLoad',
  readLoadCheck: 'ReadLoadCheck',
  loadReconciled: 'LoadReconciled',
  loadNotReconciled: 'LoadNotReconciled',
  checkFreshness: 'CheckFreshness',
  readFreshness: 'ReadFreshness',
  freshnessKnown: 'FreshnessKnown',
  readAge: 'ReadAge',
  publishAge: 'PublishAge',
  dataFresh: 'DataFresh',
  noRecentData: 'NoRecentData',
  dataStale: 'DataStale',
  refreshDataSets: 'RefreshDataSets',
  refreshDataSet: 'RefreshDataSet',
  done: 'Done',
  notifyFailure: 'NotifyFailure',
  failed: 'Failed',
} as const;

/** Error names a failure path sets itself (the services' own are `Glue.…`, `States.TaskFailed`, …). */
export const PIPELINE_ERRORS = {
  loadNotReconciled: 'Pipeline.LoadNotReconciled',
  dataStale: 'Pipeline.DataStale',
} as const;

/** The post-load checks: named queries of orchestration/checks/. */
export interface PipelineChecks {
  readonly load: NamedQuery;
  readonly freshness: NamedQuery;
}

export interface PipelineTargets {
  /** `aws` (or `aws-cn`, `aws-us-gov`): the partition of every integration ARN. */
  readonly partition: string;
  readonly stage: string;
  readonly rawBucket: string;
  readonly glueJobName: string;
  /** Minutes the Glue job may run (its own timeout); the RunEtl state waits a little longer. */
  readonly etlTimeoutMinutes: number;
  readonly workgroup: string;
  readonly topicArn: string;
  /** The newest event_date may be at most this many days old. */
  readonly maxDataAgeDays: number;
  readonly checks: PipelineChecks;
  /** QuickSight SPICE data sets to refresh after a good load; none when every data set queries directly. */
  readonly importedDataSets?: { readonly awsAccountId: string; readonly dataSetIds: readonly string[] };
}

/** The metric PublishAge writes and the stale-data alarm watches (one series per stage). */
export const DATA_AGE_METRIC = { namespace: 'clickstream-bi/pipeline', name: 'DataAgeDays', unit: 'Count', dimension: 'Stage' } as const;

/** Transient errors of each service, retried with exponential backoff; anything else fails the run. */
export const TRANSIENT_ERRORS = {
  sfn: ['Sfn.ThrottlingException', 'Sfn.SfnException'],
  s3: ['S3.S3Exception', 'S3.SdkClientException'],
  glue: ['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException'],
  athena: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
  cloudwatch: ['CloudWatch.InternalServiceException', 'CloudWatch.CloudWatchException'],
  quicksight: ['QuickSight.ThrottlingException', 'QuickSight.InternalFailureException', 'QuickSight.LimitExceededException'],
  sns: ['SNS.ThrottledException', 'SNS.InternalErrorException'],
} as const;

/** Backoff for transient errors: 5 s, 10 s, 20 s, 40 s (the ETL waits longer: another run may hold it). */
export const RETRY = { intervalSeconds: 5, maxAttempts: 4, backoffRate: 2, maxDelaySeconds: 120 } as const;
export const ETL_RETRY = { intervalSeconds: 60, maxAttempts: 3, backoffRate: 2, maxDelaySeconds: 600 } as const;

function retry(errors: readonly string[], policy: typeof RETRY | typeof ETL_RETRY = RETRY): Retrier[] {
  return [
    {
      ErrorEquals: [...errors],
      IntervalSeconds: policy.intervalSeconds,
      MaxAttempts: policy.maxAttempts,
      BackoffRate: policy.backoffRate,
      MaxDelaySeconds: policy.maxDelaySeconds,
    },
  ];
}

/** Every failure of a step goes to the notification, with the error and its cause under `$.failure`. */
const CATCH_ALL = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: STATES.notifyFailure }] as const;

/** The first row of an Athena result (row 0 is the header), as `{column: text}` by position. */
function firstRow(columns: readonly string[]): Json {
  return Object.fromEntries(columns.map((column, index) => [`${column}.$`, `$.ResultSet.Rows[1].Data[${index}]`]));
}

function athenaCheck(targets: PipelineTargets, query: NamedQuery, parameters: Json | undefined, next: string): TaskState {
  return {
    Type: 'Task',
    Comment: `Athena: ${query.name} (orchestration/checks/${query.name}.sql)`,
    Resource: integrationArn(targets.partition, 'runAthenaQuery'),
    Parameters: {
      QueryString: query.sql,
      WorkGroup: targets.workgroup,
      ...(parameters === undefined ? {} : { 'ExecutionParameters.$': parameters }),
    },
    ResultSelector: { 'queryExecutionId.$': '$.QueryExecution.QueryExecutionId' },
    ResultPath: `$.checks.${query.name}`,
    Retry: retry(TRANSIENT_ERRORS.athena),
    Catch: CATCH_ALL,
    Next: next,
  };
}

function readResults(targets: PipelineTargets, query: NamedQuery, columns: readonly string[], next: string): TaskState {
  return {
    Type: 'Task',
    Comment: `The first row of ${query.name}: one object per column, {"VarCharValue": text} or {} for null`,
    Resource: integrationArn(targets.partition, 'getQueryResults'),
    Parameters: { 'QueryExecutionId.$': `$.checks.${query.name}.queryExecutionId` },
    ResultSelector: firstRow(columns),
    ResultPath: `$.checks.${query.name}`,
    Retry: retry(TRANSIENT_ERRORS.athena),
    Catch: CATCH_ALL,
    Next: next,
  };
}

function failure(error: string, cause: string, comment: string): State {
  return {
    Type: 'Pass',
    Comment: comment,
    Parameters: { Error: error, 'Cause.$': cause },
    ResultPath: '$.failure',
    Next: STATES.notifyFailure,
  };
}

/** The columns each check returns, in order (the queries' select lists). */
export const CHECK_COLUMNS = {
  load: ['loaded_events', 'repeated_event_ids'],
  freshness: ['newest_event_date', 'age_days'],
} as const;

export function pipelineDefinition(targets: PipelineTargets): StateMachineDefinition {
  const { checks } = targets;
  const arn = (integration: Integration) => integrationArn(targets.partition, integration);
  const load = `$.checks.${checks.load.name}`;
  const freshness = `$.checks.${checks.freshness.name}`;
  const refresh = targets.importedDataSets !== undefined && targets.importedDataSets.dataSetIds.length > 0 ? targets.importedDataSets : undefined;
  const afterFresh = refresh ? STATES.refreshDataSets : STATES.done;
  // The oldest running execution goes on, every later one skips: two started together never both skip.
  const oldestRunning: ChoiceRule = {
    Or: [
      { Variable: '$.running.count', NumericLessThanEquals: 1 },
      { Variable: '$.running.oldest', StringEqualsPath: '$.runId' },
    ],
  };

  const states: Record<string, State> = {
    [STATES.prepare]: {
      Type: 'Pass',
      Comment:
        'Replaces the trigger event with what the run needs. The quote builds an Athena string literal: ASL has no escape for it that every runner reads alike.',
      Parameters: {
        quote: "'",
        'runId.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
        ...(refresh ? { dataSetIds: [...refresh.dataSetIds] } : {}),
      },
      Next: STATES.checkRunning,
    },
    [STATES.checkRunning]: {
      Type: 'Task',
      Comment: 'Never two runs at once: the running executions, newest first (this one among them).',
      Resource: arn('listExecutions'),
      Parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', StatusFilter: 'RUNNING', MaxResults: 100 },
      ResultSelector: {
        'count.$': 'States.ArrayLength($.Executions)',
        'oldest.$': 'States.ArrayGetItem($.Executions[*].Name, States.MathAdd(States.ArrayLength($.Executions), -1))',
      },
      ResultPath: '$.running',
      Retry: retry(TRANSIENT_ERRORS.sfn),
      Catch: CATCH_ALL,
      Next: STATES.anotherRunActive,
    },
    [STATES.anotherRunActive]: {
      Type: 'Choice',
      Choices: [{ ...oldestRunning, Next: STATES.checkRaw }],
      Default: STATES.skipWhileRunning,
    },
    [STATES.skipWhileRunning]: { Type: 'Succeed', Comment: 'Another run is loading; it will take what arrived.' },
    [STATES.checkRaw]: {
      Type: 'Task',
      Comment: 'Is anything waiting under raw/? One key is enough to know.',
      Resource: arn('listObjects'),
      Parameters: { Bucket: targets.rawBucket, Prefix: 'raw/', MaxKeys: 1 },
      ResultSelector: { 'keyCount.$': '$.KeyCount' },
      ResultPath: '$.raw',
      Retry: retry(TRANSIENT_ERRORS.s3),
      Catch: CATCH_ALL,
      Next: STATES.rawDataWaiting,
    },
    [STATES.rawDataWaiting]: {
      Type: 'Choice',
      Comment: 'Nothing new: skip the ETL (no Glue cost) but still check freshness, so data that stops arriving is noticed.',
      Choices: [{ Variable: '$.raw.keyCount', NumericEquals: 0, Next: STATES.checkFreshness }],
      Default: STATES.runEtl,
    },
    [STATES.runEtl]: {
      Type: 'Task',
      Comment: 'The Glue job, waited for. It retries a failed run itself (etl.maxRetries); here only the API is retried.',
      Resource: arn('runGlueJob'),
      Parameters: { JobName: targets.glueJobName },
      ResultSelector: { 'jobRunId.$': '$.Id', 'state.$': '$.JobRunState' },
      ResultPath: '$.etl',
      TimeoutSeconds: (targets.etlTimeoutMinutes + 10) * 60,
      Retry: retry(TRANSIENT_ERRORS.glue, ETL_RETRY),
      Catch: CATCH_ALL,
      Next: STATES.checkLoad,
    },
    [STATES.checkLoad]: athenaCheck(targets, checks.load, "States.Array(States.Format('{}{}{}', $.quote, $.startedAt, $.quote))", STATES.readLoadCheck),
    [STATES.readLoadCheck]: readResults(targets, checks.load, CHECK_COLUMNS.load, STATES.loadReconciled),
    [STATES.loadReconciled]: {
      Type: 'Choice',
      Choices: [{ Variable: `${load}.repeated_event_ids.VarCharValue`, StringEquals: '0', Next: STATES.checkFreshness }],
      Default: STATES.loadNotReconciled,
    },
    [STATES.loadNotReconciled]: failure(
      PIPELINE_ERRORS.loadNotReconciled,
      `States.Format('{} of the {} events loaded since {} repeat an event id already stored; the ETL deduplicates, so a commit went wrong: look at the run records under _etl/runs/', ${load}.repeated_event_ids.VarCharValue, ${load}.loaded_events.VarCharValue, $.startedAt)`,
      'The load check found event ids stored twice.',
    ),
    [STATES.checkFreshness]: athenaCheck(targets, checks.freshness, undefined, STATES.readFreshness),
    [STATES.readFreshness]: readResults(targets, checks.freshness, CHECK_COLUMNS.freshness, STATES.freshnessKnown),
    [STATES.freshnessKnown]: {
      Type: 'Choice',
      Choices: [{ Variable: `${freshness}.age_days.VarCharValue`, IsPresent: true, Next: STATES.readAge }],
      Default: STATES.noRecentData,
    },
    [STATES.readAge]: {
      Type: 'Pass',
      Comment: 'Athena returns text; the age becomes a number for the metric and the comparison.',
      Parameters: {
        'newestEventDate.$': `${freshness}.newest_event_date.VarCharValue`,
        'ageDays.$': `States.StringToJson(${freshness}.age_days.VarCharValue)`,
      },
      ResultPath: '$.freshness',
      Next: STATES.publishAge,
    },
    [STATES.publishAge]: {
      Type: 'Task',
      Comment: 'The stale-data alarm watches this metric (and alarms when it stops coming).',
      Resource: arn('putMetricData'),
      Parameters: {
        Namespace: DATA_AGE_METRIC.namespace,
        MetricData: [
          {
            MetricName: DATA_AGE_METRIC.name,
            Dimensions: [{ Name: DATA_AGE_METRIC.dimension, Value: targets.stage }],
            'Value.$': '$.freshness.ageDays',
            Unit: DATA_AGE_METRIC.unit,
          },
        ],
      },
      ResultPath: null,
      Retry: retry(TRANSIENT_ERRORS.cloudwatch),
      Catch: CATCH_ALL,
      Next: STATES.dataFresh,
    },
    [STATES.dataFresh]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.freshness.ageDays', NumericLessThanEquals: targets.maxDataAgeDays, Next: afterFresh }],
      Default: STATES.dataStale,
    },
    [STATES.noRecentData]: failure(
      PIPELINE_ERRORS.dataStale,
      "States.Format('no event in the last 31 days (run {}); check that producers write to raw/ and that the ETL runs', $.runId)",
      'The freshness check found no recent event at all.',
    ),
    [STATES.dataStale]: failure(
      PIPELINE_ERRORS.dataStale,
      `States.Format('the newest event_date is {}, {} days old (at most ${targets.maxDataAgeDays} allowed); check that producers write to raw/ and that the ETL runs', $.freshness.newestEventDate, $.freshness.ageDays)`,
      'The newest event is older than the stage allows.',
    ),
    [STATES.done]: { Type: 'Succeed' },
    [STATES.notifyFailure]: {
      Type: 'Task',
      Comment: 'Tells the subscribers which run failed and why.',
      Resource: arn('publish'),
      Parameters: {
        TopicArn: targets.topicArn,
        Subject: `clickstream-bi ${targets.stage}: pipeline run failed`,
        'Message.$': "States.Format('Pipeline run {} (started {}) failed.\nError: {}\nCause: {}', $.runId, $.startedAt, $.failure.Error, $.failure.Cause)",
      },
      ResultPath: null,
      Retry: retry(TRANSIENT_ERRORS.sns),
      Next: STATES.failed,
    },
    [STATES.failed]: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
  };

  if (refresh) {
    states[STATES.refreshDataSets] = {
      Type: 'Map',
      Comment: 'SPICE data sets hold a copy: refresh it after a good load.',
      ItemsPath: '$.dataSetIds',
      MaxConcurrency: 2,
      ItemProcessor: {
        StartAt: STATES.refreshDataSet,
        States: {
          [STATES.refreshDataSet]: {
            Type: 'Task',
            Resource: arn('createIngestion'),
            Parameters: { AwsAccountId: refresh.awsAccountId, 'DataSetId.$': '$', 'IngestionId.$': "States.Format('{}-{}', $$.Execution.Name, $)" },
            Retry: retry(TRANSIENT_ERRORS.quicksight),
            End: true,
          },
        },
      },
      ResultPath: null,
      Catch: CATCH_ALL,
      Next: STATES.done,
    };
  }

  return {
    Comment: `clickstream-bi ${targets.stage}: load raw/ with the ETL, check the load and the data's freshness, tell someone when anything fails (orchestration/definition.ts)`,
    StartAt: STATES.prepare,
    // A run that hangs must not block the next ones for ever: the ETL's own timeout plus the checks.
    TimeoutSeconds: (targets.etlTimeoutMinutes + 60) * 60,
    States: states,
  };
}
