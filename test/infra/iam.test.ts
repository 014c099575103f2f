import { expect } from 'chai';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { MOCK_ACCOUNT_ID } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { GLUE_LOG_GROUPS } from '../../components/etl/glue-access';
import { parsePolicyDocument, type Statement } from '../../policy/iam-document';
import { ACTIONS_WITHOUT_RESOURCE_SCOPE, TYPES } from '../../policy/rules';
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

    it('has policies to check (the roles of the ETL job and the generator)', () => {
      expect(ofType(run, TYPES.role).map((role) => role.inputs.name)).to.have.members([names.iam('etl'), names.iam('generator')]);
      expect(allowStatements(run).length).to.be.greaterThan(4);
    });

    it('allows no wildcard action anywhere', () => {
      for (const { where, statement } of allowStatements(run)) {
        expect(statement.actions.filter((action) => action.includes('*')), where).to.deep.equal([]);
        expect(statement.notActions, where).to.deep.equal([]);
      }
    });

    it("scopes every resource to this stage's buckets, catalog, parameter and Glue's log groups", () => {
      const stageArn = [
        // The stage's buckets, down to a prefix or key.
        new RegExp(`^arn:aws:s3:::${names.stem}-(raw|processed|results|athena-results)-${MOCK_ACCOUNT_ID}-${config.region}(/.+)?$`),
        // The stage's Glue catalog, database and its tables.
        new RegExp(`^arn:aws:glue:${account}:(catalog|database/${names.database}|table/${names.database}/\\*)$`),
        // The generator's own settings.
        new RegExp(`^arn:aws:ssm:${account}:parameter/${names.stem}/`),
        // Session Manager: the instance registers itself (its id is not known before it exists).
        new RegExp(`^arn:aws:ec2:${account}:instance/\\*$`),
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

    it('uses Resource "*" only for actions AWS cannot scope, and narrows metrics to Glue\'s namespace', () => {
      const unscoped = allowStatements(run).filter(({ statement }) => statement.resources.includes('*'));
      for (const { where, statement } of unscoped) {
        expect(statement.actions.every((action) => ACTIONS_WITHOUT_RESOURCE_SCOPE.includes(action)), where).to.equal(true);
        if (statement.actions.includes('cloudwatch:PutMetricData')) {
          expect(statement.conditions, where).to.deep.equal({ StringEquals: { 'cloudwatch:namespace': ['Glue'] } });
        }
      }
    });

    it('lets each role be assumed only by its own service, and Glue only for this account', () => {
      const trust: Record<string, Statement[]> = Object.fromEntries(
        ofType(run, TYPES.role).map((role) => [String(role.inputs.name), parsePolicyDocument(role.inputs.assumeRolePolicy)]),
      );
      const principals = Object.fromEntries(Object.entries(trust).map(([name, statements]) => [name, statements.flatMap((statement) => statement.principals)]));
      expect(principals).to.deep.equal({ [names.iam('etl')]: ['glue.amazonaws.com'], [names.iam('generator')]: ['ec2.amazonaws.com'] });
      expect(trust[names.iam('etl')][0].conditions).to.deep.equal({ StringEquals: { 'aws:SourceAccount': [MOCK_ACCOUNT_ID] } });
    });
  });
}
