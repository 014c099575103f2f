import * as aws from '@pulumi/aws';
import * as native from '@pulumi/aws-native';
import * as pulumi from '@pulumi/pulumi';
import type { AccountNames } from '../../config/naming';
import { PROJECT, type StageConfig } from '../../config/stage-config';
import { readBundledLocations } from '../../model/locations';
import { tableByName } from '../../model/tables';
import type { NamedQuery } from '../../queries/catalogue';
import { tablesReferencedBy } from '../../queries/local-catalog';
import { checkDefinition } from '../../dashboard/check-definition';
import { choiceLists, type ChoiceLists } from '../../dashboard/choices';
import { describeQueries, type QueryColumns } from '../../dashboard/dataset-columns';
import { DASHBOARD } from '../../dashboard/definition';
import { renderAnalysisDefinition } from '../../dashboard/quicksight/analysis';
import { renderDataSet } from '../../dashboard/quicksight/datasets';
import type { DashboardDefinition } from '../../dashboard/schema';
import type { AwsContext } from '../aws-context';
import { serviceTrustPolicy } from '../iam/policy-document';
import { stageDefaultTags } from '../provider';
import type { LakeBucketRole } from '../storage/lifecycle';
import { quickSightAthenaPolicy } from './quicksight-access';

export interface QuickSightDashboardArgs {
  readonly names: AccountNames;
  readonly stage: string;
  readonly region: string;
  /** The QuickSight user or group that owns every QuickSight resource of the stage. */
  readonly principalArn: string;
  readonly context: AwsContext;
  readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;
  readonly kmsKeyArn?: string;
  readonly definition: DashboardDefinition;
  /** The named-query catalogue the definition's datasets are bound to. */
  readonly queries: readonly NamedQuery[];
  /** Result columns of the queries, by query name (dashboard/dataset-columns.ts describeQueries). */
  readonly queryColumns: Promise<QueryColumns>;
  readonly choices: ChoiceLists;
}

/** What an owner may do with each kind of QuickSight resource (the console's "owner" set). */
export const OWNER_ACTIONS = {
  dataSource: [
    'quicksight:DescribeDataSource',
    'quicksight:DescribeDataSourcePermissions',
    'quicksight:PassDataSource',
    'quicksight:UpdateDataSource',
    'quicksight:DeleteDataSource',
    'quicksight:UpdateDataSourcePermissions',
  ],
  dataSet: [
    'quicksight:DescribeDataSet',
    'quicksight:DescribeDataSetPermissions',
    'quicksight:PassDataSet',
    'quicksight:DescribeIngestion',
    'quicksight:ListIngestions',
    'quicksight:UpdateDataSet',
    'quicksight:DeleteDataSet',
    'quicksight:CreateIngestion',
    'quicksight:CancelIngestion',
    'quicksight:UpdateDataSetPermissions',
  ],
  analysis: [
    'quicksight:RestoreAnalysis',
    'quicksight:UpdateAnalysisPermissions',
    'quicksight:DeleteAnalysis',
    'quicksight:DescribeAnalysisPermissions',
    'quicksight:QueryAnalysis',
    'quicksight:DescribeAnalysis',
    'quicksight:UpdateAnalysis',
  ],
  dashboard: [
    'quicksight:DescribeDashboard',
    'quicksight:ListDashboardVersions',
    'quicksight:UpdateDashboardPermissions',
    'quicksight:QueryDashboard',
    'quicksight:UpdateDashboard',
    'quicksight:DeleteDashboard',
    'quicksight:DescribeDashboardPermissions',
    'quicksight:UpdateDashboardPublishedVersion',
  ],
} as const;

/**
 * The stage's QuickSight dashboard, rendered from dashboard/definition.ts: an Athena data source on
 * the stage's workgroup (querying as a role that reads only what the dashboard's queries read), one
 * direct-query dataset per named query the dashboard uses, and an analysis and a published
 * dashboard with the same definition, all owned by the configured principal. QuickSight resources
 * with a typed `definition` come from `@pulumi/aws-native`, through a provider for the stage's region.
 */
export class QuickSightDashboard extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly dataSource: aws.quicksight.DataSource;
  public readonly dataSets: Readonly<Record<string, native.quicksight.DataSet>>;
  public readonly analysis: native.quicksight.Analysis;
  public readonly dashboard: native.quicksight.Dashboard;
  /** Where the published dashboard opens in the QuickSight console. */
  public readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: QuickSightDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:dashboard:QuickSightDashboard', name, {}, opts);
    const child = { parent: this };
    const { names, definition } = args;
    const context = args.context;
    const accountId = context.accountId;
    const datasetQueries = definition.datasets.map((dataset) => {
      const query = args.queries.find((candidate) => candidate.name === dataset.query);
      if (!query) throw new Error(`dashboard dataset ${dataset.id}: no named query "${dataset.query}" in the catalogue (queries/*.sql)`);
      return { dataset, query };
    });
    const tables = [...new Set(datasetQueries.flatMap(({ query }) => tablesReferencedBy(query.sql, query.source)))].map(tableByName);

    this.role = new aws.iam.Role(
      `${name}-athena-role`,
      {
        name: names.iam('quicksight-athena'),
        description: 'QuickSight queries the stage through Athena as this role: its workgroup, catalog and queried tables only.',
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy('quicksight.amazonaws.com', accountId)),
      },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-athena-access`,
      {
        role: this.role.id,
        policy: JSON.stringify(
          quickSightAthenaPolicy({
            context,
            workgroupName: names.workgroup,
            databaseName: names.database,
            bucketNames: args.bucketNames,
            tables,
            kmsKeyArn: args.kmsKeyArn,
          }),
        ),
      },
      child,
    );

    this.dataSource = new aws.quicksight.DataSource(
      `${name}-source`,
      {
        awsAccountId: accountId,
        dataSourceId: names.resource('athena'),
        name: `${names.stem} Athena`,
        type: 'ATHENA',
        parameters: { athena: { workGroup: names.workgroup, roleArn: this.role.arn } },
        permissions: [{ principal: args.principalArn, actions: [...OWNER_ACTIONS.dataSource] }],
      },
      // QuickSight tests the connection when it creates the source, as the role: the role's policy
      // must be in place by then, or the source is created in a failed state.
      { ...child, dependsOn: [access] },
    );

    const nativeProvider = new native.Provider(
      `${name}-aws-native`,
      { region: args.region as native.Region, defaultTags: stageDefaultTags(args.stage) },
      child,
    );
    const nativeChild = { parent: this, provider: nativeProvider };

    // The columns come from DuckDB (asynchronously): the definition is checked against them before
    // anything is rendered, so a broken definition stops the deployment with the reasons.
    const checkedColumns = pulumi.output(args.queryColumns).apply((columns) => {
      const problems = checkDefinition(definition, args.queries, columns);
      if (problems.length > 0) throw new Error(`the dashboard definition (dashboard/definition.ts) has problems:\n  - ${problems.join('\n  - ')}`);
      return columns;
    });

    const dataSets: Record<string, native.quicksight.DataSet> = {};
    for (const { dataset, query } of datasetQueries) {
      const countryColumns = definition.visuals.flatMap((visual) => (visual.kind === 'filled_map' && visual.dataset === dataset.id ? [visual.country.column] : []));
      const rendered = checkedColumns.apply((columns) => renderDataSet(dataset, query, columns[query.name] ?? [], countryColumns, this.dataSource.arn));
      dataSets[dataset.id] = new native.quicksight.DataSet(
        `${name}-dataset-${dataset.id}`,
        {
          awsAccountId: accountId,
          dataSetId: names.resource(`dashboard-${dataset.id.replace(/_/g, '-')}`),
          name: `${names.stem} ${dataset.id}`,
          importMode: 'DIRECT_QUERY',
          physicalTableMap: rendered.physicalTableMap,
          logicalTableMap: rendered.logicalTableMap,
          datasetParameters: rendered.datasetParameters,
          permissions: [{ principal: args.principalArn, actions: [...OWNER_ACTIONS.dataSet] }],
        },
        nativeChild,
      );
    }
    this.dataSets = dataSets;

    const analysisDefinition = renderAnalysisDefinition(definition, {
      datasetArns: Object.fromEntries(Object.entries(dataSets).map(([id, dataSet]) => [id, dataSet.arn])),
      queries: args.queries,
      choices: args.choices,
    });
    const resourceId = names.resource(definition.id);

    this.analysis = new native.quicksight.Analysis(
      `${name}-analysis`,
      {
        awsAccountId: accountId,
        analysisId: resourceId,
        name: `${definition.title} (${args.stage})`,
        definition: analysisDefinition,
        permissions: [{ principal: args.principalArn, actions: [...OWNER_ACTIONS.analysis] }],
      },
      nativeChild,
    );

    this.dashboard = new native.quicksight.Dashboard(
      `${name}-dashboard`,
      {
        awsAccountId: accountId,
        dashboardId: resourceId,
        name: `${definition.title} (${args.stage})`,
        definition: analysisDefinition,
        permissions: [{ principal: args.principalArn, actions: [...OWNER_ACTIONS.dashboard] }],
        dashboardPublishOptions: {
          adHocFilteringOption: { availabilityStatus: 'DISABLED' },
          exportToCsvOption: { availabilityStatus: 'ENABLED' },
          sheetControlsOption: { visibilityState: 'EXPANDED' },
        },
        versionDescription: 'Rendered from dashboard/definition.ts',
      },
      nativeChild,
    );

    this.dashboardUrl = pulumi.interpolate`https://${args.region}.quicksight.aws.amazon.com/sn/dashboards/${resourceId}`;
    this.registerOutputs({ dashboardUrl: this.dashboardUrl });
  }
}

/** The component's arguments for a stage whose config enables QuickSight, with the repository's dashboard. */
export function stageDashboardArgs(
  config: Pick<StageConfig, 'stage' | 'region' | 'quicksight' | 'storage'>,
  stage: Pick<QuickSightDashboardArgs, 'names' | 'context' | 'bucketNames' | 'queries'>,
): QuickSightDashboardArgs {
  const principalArn = config.quicksight.principalArn;
  if (principalArn === undefined) throw new Error(`${PROJECT}:quicksight.principalArn is required when quicksight.enabled is true`);
  return {
    ...stage,
    stage: config.stage,
    region: config.region,
    principalArn,
    kmsKeyArn: config.storage.kmsKeyArn,
    definition: DASHBOARD,
    queryColumns: describeQueries(stage.queries),
    choices: choiceLists(readBundledLocations()),
  };
}
