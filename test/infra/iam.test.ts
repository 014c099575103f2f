import { expect } from 'chai';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { MOCK_ACCOUNT_ID } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { GLUE_LOG_GROUPS } from '../../components/etl/glue-access';
import { parsePolicyDocument, type Statement } from '../../policy/iam-document';
import { ACTIONS_WITHOUT_RESOURCE_SCOPE, TYPES } from '../../policy/rules';
import { LOG_DELIVERY_ACTIONS } from '../../components/orchestration/pipeline-access';
import { DATA_AGE_METRIC } from '../../orchestration/definition';
import { STAGES, mockedNames, ofType, stageRun } from './stacks';

/** Every Allow statement of every identity policy in the stack, with where it came from. */
function allowStatements(run: MockRun): Array<{ where: string; statement: Statement }> {
  const documents: Array<{ where: string; policy: unknown }> = [
    ...ofType(run, TYPES.rolePolicy).map((resource: RecordedResource) => ({ where: resource.name, policy: resource.inputs.policy })),
    ...ofType(run, TYPES.policy).map((resource: RecordedResource) => ({ where: resource.name, policy: resource.inputs.policy })),
  ];
  return documents.flatMap(({ where, policy }) =>
    parsePolicyDocument(policy)
      .filter((statement) => statement.effect === 'Allow')
      .map((statement) => ({ where: `${where} ${statement.sid ?? ''}`, statement })),
  );
}

for (const stage of STAGES) {
  describe(`IAM (${stage})`, () => {
    const config = readStageFile(stage);
    const names = mockedNames(config);
    const account = `${config.region}:${MOCK_ACCOUNT_ID}`;
    let run: MockRun;
    before(async () => {
      run = await stageRun(stage);
    });

    const scheduled = config.etl.schedule !== null;
    const roles: Record<string, string> = {
      [names.iam('etl')]: 'glue.amazonaws.com',
      [names.iam('generator')]: 'ec2.amazonaws.com',
      [names.iam('pipeline')]: 'states.amazonaws.com',
      ...(scheduled ? { [names.iam('pipeline-schedule')]: 'events.amazonaws.com' } : {}),
    };

    it(`has policies to check (the roles of the ETL job, the generator, the pipeline${scheduled ? ' and its schedule' : ''})`, () => {
      expect(ofType(run, TYPES.role).map((role) => role.inputs.name)).to.have.members(Object.keys(roles));
      expect(allowStatements(run).length).to.be.greaterThan(4);
    });

    it('allows no wildcard action anywhere', () => {
      for (const { where, statement } of allowStatements(run)) {
        expect(statement.actions.filter((action) => action.includes('*')), where).to.deep.equal([]);
        expect(statement.notActions, where).to.deep.equal([]);
      }
    });

    it("scopes every resource to this stage's buckets, catalog, parameter, job, workgroup, pipeline and Glue's log groups", () => {
      const stageArn = [
        // The stage's buckets, down to a prefix or key.
        new RegExp(`^arn:aws:s3:::${names.stem}-(raw|processed|results|athena-results)-${MOCK_ACCOUNT_ID}-${config.region}(/.+)?$`),
        // The stage's Glue catalog, database and its tables.
        new RegExp(`^arn:aws:glue:${account}:(catalog|database/${names.database}|table/${names.database}/\\*)$`),
        // The generator's own settings.
        new RegExp(`^arn:aws:ssm:${account}:parameter/${names.stem}/`),
        // Session Manager: the instance registers itself (its id is not known before it exists).
        new RegExp(`^arn:aws:ec2:${account}:instance/\\*$`),
        // The stage's Glue job, Athena workgroup (and the catalog Athena reads it through), state machine.
        new RegExp(`^arn:aws:glue:${account}:job/${names.resource('etl')}$`),
        new RegExp(`^arn:aws:athena:${account}:(workgroup/${names.workgroup}|datacatalog/AwsDataCatalog)$`),
        new RegExp(`^arn:aws:states:${account}:stateMachine:${names.resource('pipeline')}$`),
        // The pipeline's topic, its key and state machine, as the mocks name them (real ARNs once created).
        new RegExp(`^arn:aws:mock:::(Topic|StateMachine)/${names.resource('pipeline')}$|^arn:aws:mock:::Key/pipeline-topic-key$`),
        // Exception: Glue writes job logs to its own fixed log groups, shared by every job.
        new RegExp(`^arn:aws:logs:${account}:log-group:${GLUE_LOG_GROUPS.replace('*', '\\*')}$`),
      ];
      for (const { where, statement } of allowStatements(run)) {
        for (const resource of statement.resources) {
          if (resource === '*') continue; // checked below
          expect(stageArn.some((pattern) => pattern.test(resource)), `${where}: ${resource}`).to.equal(true);
        }
      }
    });

    it('uses Resource "*" only for actions AWS cannot scope, and narrows metrics to one namespace', () => {
      const unscoped = allowStatements(run).filter(({ statement }) => statement.resources.includes('*'));
      for (const { where, statement } of unscoped) {
        expect(statement.actions.every((action) => ACTIONS_WITHOUT_RESOURCE_SCOPE.includes(action)), where).to.equal(true);
        if (statement.actions.includes('cloudwatch:PutMetricData')) {
          expect(statement.conditions, where).to.deep.equal({ StringEquals: { 'cloudwatch:namespace': [where.includes('pipeline') ? DATA_AGE_METRIC.namespace : 'Glue'] } });
        }
        if (statement.actions.some((action) => action.startsWith('logs:'))) expect(statement.actions, where).to.have.members([...LOG_DELIVERY_ACTIONS]);
      }
    });

    it('lets each role be assumed only by its own service, and services other than EC2 only for this account', () => {
      const trust: Record<string, Statement[]> = Object.fromEntries(
        ofType(run, TYPES.role).map((role) => [String(role.inputs.name), parsePolicyDocument(role.inputs.assumeRolePolicy)]),
      );
      const principals = Object.fromEntries(Object.entries(trust).map(([name, statements]) => [name, statements.flatMap((statement) => statement.principals)]));
      expect(principals).to.deep.equal(Object.fromEntries(Object.entries(roles).map(([role, service]) => [role, [service]])));
      for (const role of Object.keys(roles).filter((name) => name !== names.iam('generator'))) {
        expect(trust[role][0].conditions, role).to.deep.equal({ StringEquals: { 'aws:SourceAccount': [MOCK_ACCOUNT_ID] } });
      }
    });
  });
}
