import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { accountNames } from '../config/naming';
import type { StageConfig } from '../config/stage-config';
import { glueArtifacts } from '../etl/glue-artifacts';
import { buildUserData } from '../generator/userdata';
import { TABLES } from '../model/tables';
import { loadCatalogue } from '../queries/catalogue';
import { lookupAwsContext } from './aws-context';
import { Catalog } from './catalog/catalog';
import { LakeFormationGrants, checkLakeFormationMode } from './catalog/lake-formation';
import { PreviewRole } from './ci/preview-role';
import { QuickSightDashboard, stageDashboardArgs } from './dashboard/quicksight-dashboard';
import { GlueEtl } from './etl/glue-etl';
import { Generator } from './generator/generator';
import { findNetwork } from './generator/network';
import { generatorSettings, settingsParameterName } from './generator/settings';
import { stageProvider } from './provider';
import { Analytics } from './queries/analytics';
import { Lake } from './storage/lake';
import { loadChecks } from '../orchestration/checks';
import { Pipeline } from './orchestration/pipeline';

export interface StackOptions {
  /** Options given to every component (tests and `npm run plan` pass `transformations` to observe them). */
  readonly componentOptions?: pulumi.ComponentResourceOptions;
  /** The named-query folder (defaults to `queries/`). */
  readonly queriesDir?: string;
}

/** What `pulumi stack output` shows: everything a user needs to find and use the stage. */
export interface StackOutputs {
  readonly rawBucket: pulumi.Output<string>;
  readonly processedBucket: pulumi.Output<string>;
  readonly resultsBucket: pulumi.Output<string>;
  readonly athenaResultsBucket: pulumi.Output<string>;
  readonly database: pulumi.Output<string>;
  readonly workgroup: pulumi.Output<string>;
  readonly namedQueryIds: pulumi.Output<Record<string, string>>;
  readonly glueJobName: pulumi.Output<string>;
  /** The pipeline's state machine (start a run: `aws stepfunctions start-execution --state-machine-arn ...`). */
  readonly pipelineStateMachineArn: pulumi.Output<string>;
  /** The topic that tells about failed runs and stale data. */
  readonly pipelineTopicArn: pulumi.Output<string>;
  /** Absent when the stage disables the generator. */
  readonly generatorInstanceId?: pulumi.Output<string>;
  /** Absent when the stage disables QuickSight. */
  readonly dashboardUrl?: pulumi.Output<string>;
  /** The role the pull-request preview assumes; absent without ci.githubRepository. */
  readonly previewRoleArn?: pulumi.Output<string>;
  readonly queryHint: string;
}

/**
 * The whole stage, from its validated config: one provider (region, default tags) and one component
 * per pipeline concern. `index.ts` calls this with the stack's config; tests and the plan call it
 * with a parsed `Pulumi.<stage>.yaml` under mocks.
 *
 * It first asks AWS where it deploys (account, Lake Formation mode, network), before declaring any
 * resource: names that must be unique per account and region are built from the answer, and a
 * setting that cannot work in this account stops the preview with the reason and the fix.
 */
export async function createStack(config: StageConfig, options: StackOptions = {}): Promise<StackOutputs> {
  const provider = stageProvider(config);
  const context = await lookupAwsContext(provider, config.region);
  await checkLakeFormationMode(config.lakeFormation, config.region, provider);
  const placement = config.generator.enabled ? await findNetwork(config.generator.network, config.region, provider) : undefined;

  const names = accountNames(config, context.accountId);
  const opts: pulumi.ComponentResourceOptions = { ...options.componentOptions, providers: [provider] };

  const lake = new Lake('lake', { names, storage: config.storage, context }, opts);

  const catalog = new Catalog(
    'catalog',
    {
      databaseName: names.database,
      tables: TABLES,
      bucketNames: lake.bucketNames,
      resultsBucket: lake.buckets.results.bucket.id,
      protect: config.storage.protect,
    },
    opts,
  );

  const etl = new GlueEtl(
    'etl',
    {
      names,
      etl: config.etl,
      context,
      bucketNames: lake.bucketNames,
      resultsBucket: lake.buckets.results.bucket.id,
      databaseName: names.database,
      kmsKeyArn: config.storage.kmsKeyArn,
      kmsKeyGrantsLogs: config.storage.kmsKeyGrantsLogs,
      artifacts: glueArtifacts(),
    },
    // A scheduled run must find every bucket in place.
    { ...opts, dependsOn: [lake] },
  );

  const queries = loadCatalogue(options.queriesDir);
  const analytics = new Analytics(
    'analytics',
    {
      workgroupName: names.workgroup,
      databaseName: catalog.databaseName,
      athenaResultsBucket: lake.bucketNames['athena-results'],
      bytesScannedCutoffMb: config.athena.bytesScannedCutoffMb,
      kmsKeyArn: config.storage.kmsKeyArn,
      forceDestroy: config.storage.forceDestroy,
      queries,
      context,
    },
    { ...opts, dependsOn: [lake.buckets['athena-results']] },
  );

  // The one scheduler: the state machine runs the Glue job, then checks what it loaded.
  const pipeline = new Pipeline(
    'pipeline',
    {
      names,
      stage: config.stage,
      context,
      orchestration: config.orchestration,
      schedule: config.etl.schedule,
      bucketNames: lake.bucketNames,
      glueJobName: etl.jobName,
      etlTimeoutMinutes: config.etl.timeoutMinutes,
      workgroupName: analytics.workgroupName,
      databaseName: names.database,
      kmsKeyArn: config.storage.kmsKeyArn,
      checks: loadChecks(),
    },
    { ...opts, dependsOn: [etl, analytics] },
  );

  const dashboard = config.quicksight.enabled
    ? new QuickSightDashboard('dashboard', stageDashboardArgs(config, { names, context, bucketNames: lake.bucketNames, queries }), {
        ...opts,
        dependsOn: [analytics, catalog],
      })
    : undefined;

  if (config.lakeFormation.mode === 'grants') {
    const readers: Record<string, pulumi.Input<string>> = Object.fromEntries(config.lakeFormation.readers.map((arn, index) => [`reader-${index + 1}`, arn]));
    if (dashboard) readers.quicksight = dashboard.role.arn;
    new LakeFormationGrants('lake-formation', { databaseName: catalog.databaseName, readers }, { ...opts, dependsOn: [catalog] });
  }

  const generatorSettingsParameter = settingsParameterName(names.stem);
  const settingsJson = JSON.stringify(generatorSettings(config, lake.bucketNames.raw));
  const generator = placement
    ? new Generator(
        'generator',
        {
          names,
          placement,
          region: config.region,
          generator: config.generator,
          context,
          rawBucket: lake.bucketNames.raw,
          kmsKeyArn: config.storage.kmsKeyArn,
          settingsParameterName: generatorSettingsParameter,
          settingsJson,
          userDataBase64: pulumi
            .output(
              buildUserData({
                region: config.region,
                settingsParameterName: generatorSettingsParameter,
                settingsDigest: createHash('sha256').update(settingsJson).digest('hex'),
              }),
            )
            .apply((userData) => userData.userDataBase64),
        },
        // The generator writes into raw: the bucket, its encryption and its policy come first.
        { ...opts, dependsOn: [lake.buckets.raw] },
      )
    : undefined;

  const previewRole =
    config.ci.githubRepository !== undefined
      ? new PreviewRole('preview', { names, context, repository: config.ci.githubRepository, oidcProviderArn: config.ci.oidcProviderArn }, opts)
      : undefined;

  return {
    rawBucket: lake.buckets.raw.bucketName,
    processedBucket: lake.buckets.processed.bucketName,
    resultsBucket: lake.buckets.results.bucketName,
    athenaResultsBucket: lake.buckets['athena-results'].bucketName,
    database: catalog.databaseName,
    workgroup: analytics.workgroupName,
    namedQueryIds: analytics.namedQueryIds,
    glueJobName: etl.jobName,
    pipelineStateMachineArn: pipeline.stateMachineArn,
    pipelineTopicArn: pipeline.topicArn,
    ...(generator ? { generatorInstanceId: generator.instanceId } : {}),
    ...(dashboard ? { dashboardUrl: dashboard.dashboardUrl } : {}),
    ...(previewRole ? { previewRoleArn: previewRole.roleArn } : {}),
    // A command that works as is; `--list` instead of the name lists every named query.
    queryHint: `npm run query -- --stage ${config.stage} ${queries[0].name}`,
  };
}
