import { expect } from 'chai';
import type { StageConfig } from '../../config/stage-config';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { DASHBOARD } from '../../dashboard/definition';
import { checkRenderedDefinition, type DatasetShape } from '../../dashboard/quicksight/integrity';
import { PREFIXES } from '../../model/layout';
import { EVENTS, SESSION_DAYS } from '../../model/tables';
import { reviewStack } from '../../policy/rules';
import { STAGES, at, mockedNames, ofType, runConfig, stageRun } from '../infra/stacks';

const TYPES = {
  dataSource: 'aws:quicksight/dataSource:DataSource',
  dataSet: 'aws-native:quicksight:DataSet',
  analysis: 'aws-native:quicksight:Analysis',
  dashboard: 'aws-native:quicksight:Dashboard',
  nativeProvider: 'pulumi:providers:aws-native',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  component: 'clickstream:dashboard:QuickSightDashboard',
} as const;

const PRINCIPAL = 'arn:aws:quicksight:eu-west-1:123456789012:group/default/clickstream-analysts';

interface Statement {
  readonly Sid: string;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, readonly string[]>>;
}

function withQuickSight(stage: string): StageConfig {
  const config = readStageFile(stage);
  return { ...config, quicksight: { enabled: true, principalArn: PRINCIPAL } };
}

/** Columns and parameters of each deployed dataset, read from what the dataset resources received. */
function deployedShapes(run: MockRun): Map<string, DatasetShape> {
  const shapes = new Map<string, DatasetShape>();
  for (const dataSet of ofType(run, TYPES.dataSet)) {
    const logical = Object.values(at(dataSet.inputs, 'logicalTableMap') as Record<string, { alias: string }>).map((table) => table.alias);
    const physical = Object.values(at(dataSet.inputs, 'physicalTableMap') as Record<string, unknown>);
    const columns = physical.flatMap((table) => (at(table, 'customSql', 'columns') as { name: string }[]).map((column) => column.name));
    const parameters = (at(dataSet.inputs, 'datasetParameters') as Record<string, { name: string }>[]).map((parameter) => Object.values(parameter)[0].name);
    shapes.set(logical[0], { columns, parameters });
  }
  return shapes;
}

function policyOf(run: MockRun): Statement[] {
  const [policy] = ofType(run, TYPES.rolePolicy).filter((resource) => resource.name === 'dashboard-athena-access');
  return (JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] }).Statement;
}

for (const stage of STAGES) {
  describe(`QuickSight dashboard component (${stage}, QuickSight enabled)`, function () {
    this.timeout(60_000);
    const names = mockedNames(readStageFile(stage));
    let run: MockRun;
    before(async () => {
      run = await runConfig(withQuickSight(stage));
    });

    it('registers one clickstream:dashboard component with the data source, a dataset per definition dataset, an analysis and a dashboard', () => {
      expect(ofType(run, TYPES.component)).to.have.length(1);
      expect(ofType(run, TYPES.dataSource)).to.have.length(1);
      expect(ofType(run, TYPES.dataSet).map((dataSet) => Object.values(at(dataSet.inputs, 'logicalTableMap') as Record<string, { alias: string }>)[0].alias)).to.have.members(
        DASHBOARD.datasets.map((dataset) => dataset.id),
      );
      expect(ofType(run, TYPES.analysis)).to.have.length(1);
      expect(ofType(run, TYPES.dashboard)).to.have.length(1);
    });

    it("creates the aws-native resources through a provider for the stage's region, tagged like the aws provider", () => {
      const [provider] = ofType(run, TYPES.nativeProvider);
      expect(provider.inputs.region).to.equal(readStageFile(stage).region);
      expect(JSON.parse(String(provider.inputs.defaultTags))).to.deep.equal({ tags: { project: 'clickstream-bi', stage } });
      for (const resource of [...ofType(run, TYPES.dataSet), ...ofType(run, TYPES.analysis), ...ofType(run, TYPES.dashboard)]) {
        expect(resource.provider, resource.name).to.match(/pulumi:providers:aws-native::dashboard-aws-native::/);
      }
    });

    it("queries through the stage's Athena workgroup as the QuickSight role", () => {
      const [source] = ofType(run, TYPES.dataSource);
      const [role] = ofType(run, TYPES.role).filter((resource) => resource.name === 'dashboard-athena-role');
      expect(source.inputs.type).to.equal('ATHENA');
      expect(at(source.inputs, 'parameters', 'athena', 'workGroup')).to.equal(names.workgroup);
      expect(at(source.inputs, 'parameters', 'athena', 'roleArn')).to.equal(`arn:aws:mock:::Role/${names.iam('quicksight-athena')}`);
      // Only QuickSight acting for this account (confused-deputy protection).
      expect(JSON.parse(String(role.inputs.assumeRolePolicy))).to.deep.equal({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'quicksight.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          },
        ],
      });
    });

    it('creates the data source only once the role may query (QuickSight tests the connection at creation)', () => {
      const [source] = ofType(run, TYPES.dataSource);
      expect(source.dependsOn).to.include('dashboard-athena-access');
    });

    it('keys every physical and logical table with the characters QuickSight allows ([0-9a-zA-Z-])', () => {
      for (const dataSet of ofType(run, TYPES.dataSet)) {
        const keys = [...Object.keys(at(dataSet.inputs, 'physicalTableMap') as object), ...Object.keys(at(dataSet.inputs, 'logicalTableMap') as object)];
        for (const key of keys) expect(key, dataSet.name).to.match(/^[0-9a-zA-Z-]+$/);
      }
    });

    it("lets the role read only the files of the tables the dashboard's queries read (events, session_days) and write only Athena results, in the stage buckets", () => {
      const statements = policyOf(run);
      const s3Resources = statements.filter((statement) => statement.Action.some((action) => action.startsWith('s3:'))).flatMap((statement) => statement.Resource);
      const objectResources = s3Resources.filter((resource) => resource.includes('/'));
      expect(objectResources).to.have.members([
        `arn:aws:s3:::${names.bucket('results')}/${EVENTS.prefix}*`,
        `arn:aws:s3:::${names.bucket('results')}/${SESSION_DAYS.prefix}*`,
        `arn:aws:s3:::${names.bucket('athena-results')}/athena/*`,
      ]);
      expect(objectResources.some((resource) => resource.includes(PREFIXES.raw))).to.equal(false);
      const reads = statements.find((statement) => statement.Sid === 'ReadQueriedTables');
      expect(reads?.Action).to.deep.equal(['s3:GetObject']);
      const athena = statements.find((statement) => statement.Sid === 'RunQueriesInTheStageWorkgroup');
      expect(athena?.Resource).to.deep.equal([`arn:aws:athena:eu-west-1:123456789012:workgroup/${names.workgroup}`]);
    });

    it("passes the project's policy rules (least privilege, scoped resources, tagged providers)", () => {
      const quicksight = run.resources.filter((resource: RecordedResource) => resource.name.startsWith('dashboard'));
      const violations = reviewStack(quicksight.map((recorded) => ({ type: recorded.type, name: recorded.name, props: recorded.inputs })));
      expect(violations).to.deep.equal([]);
    });

    it('gives the configured principal ownership of every QuickSight resource', () => {
      for (const resource of [...ofType(run, TYPES.dataSource), ...ofType(run, TYPES.dataSet), ...ofType(run, TYPES.analysis), ...ofType(run, TYPES.dashboard)]) {
        const permissions = resource.inputs.permissions as { principal: string; actions: string[] }[];
        expect(permissions.map((permission) => permission.principal), resource.name).to.deep.equal([PRINCIPAL]);
        expect(permissions[0].actions.length, resource.name).to.be.greaterThan(4);
      }
    });

    it('deploys an analysis definition that passes the integrity checks against the deployed datasets', () => {
      const [analysis] = ofType(run, TYPES.analysis);
      expect(checkRenderedDefinition(analysis.inputs.definition, deployedShapes(run))).to.deep.equal([]);
    });

    it('publishes the dashboard with the same definition as the analysis, each named for the stage', () => {
      const [analysis] = ofType(run, TYPES.analysis);
      const [dashboard] = ofType(run, TYPES.dashboard);
      expect(dashboard.inputs.definition).to.deep.equal(analysis.inputs.definition);
      expect(analysis.inputs.analysisId).to.equal(names.resource(DASHBOARD.id));
      expect(dashboard.inputs.dashboardId).to.equal(names.resource(DASHBOARD.id));
      expect(dashboard.inputs.name).to.equal(`${DASHBOARD.title} (${stage})`);
    });

    it("exports the dashboard's address as a stack output", () => {
      expect(run.outputs.dashboardUrl).to.match(/^https:\/\/[a-z0-9-]+\.quicksight\.aws\.amazon\.com\/sn\/dashboards\//);
    });

    it('binds every dataset to its named query, run directly on Athena (no SPICE copy)', () => {
      for (const dataSet of ofType(run, TYPES.dataSet)) {
        expect(dataSet.inputs.importMode).to.equal('DIRECT_QUERY');
        const [table] = Object.values(at(dataSet.inputs, 'physicalTableMap') as Record<string, unknown>);
        expect(at(table, 'customSql', 'dataSourceArn')).to.equal(`arn:aws:mock:::DataSource/${names.stem} Athena`);
        expect(String(at(table, 'customSql', 'sqlQuery'))).to.match(/^-- name: [a-z_]+\n/);
      }
    });
  });
}

describe('QuickSight dashboard component (stage files as committed)', () => {
  for (const stage of STAGES) {
    it(`deploys no QuickSight resource in ${stage}, whose config leaves QuickSight disabled`, async () => {
      const run = await stageRun(stage);
      expect(run.resources.filter((resource) => resource.type.includes('quicksight') || resource.type === TYPES.component)).to.deep.equal([]);
      expect(run.outputs).to.not.have.property('dashboardUrl');
    });
  }
});
