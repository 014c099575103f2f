import { expect } from 'chai';
import { IAM_ALLOWED_PRINCIPALS, READER_TABLE_PERMISSIONS, isIamOnly } from '../../components/catalog/lake-formation';
import { IAM_ONLY_LAKE_FORMATION } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { at, mockedNames, ofType, runConfig } from './stacks';

const PERMISSIONS = 'aws:lakeformation/permissions:Permissions';
/** An account where new databases are governed by Lake Formation ("Use only IAM access control" cleared). */
const LAKE_FORMATION_MANAGED = {
  'aws:lakeformation/getDataLakeSettings:getDataLakeSettings': () => ({ ...IAM_ONLY_LAKE_FORMATION, createDatabaseDefaultPermissions: [] }),
};
const ANALYST = 'arn:aws:iam::123456789012:role/analyst';
const QUICKSIGHT_OWNER = 'arn:aws:quicksight:eu-west-1:123456789012:group/default/clickstream-analysts';

describe('Lake Formation', () => {
  const dev = readStageFile('dev');

  it('reads IAM-only mode from the default permissions for new databases', () => {
    expect(isIamOnly(IAM_ONLY_LAKE_FORMATION)).to.equal(true);
    expect(isIamOnly({ createDatabaseDefaultPermissions: [] })).to.equal(false);
    expect(isIamOnly({ createDatabaseDefaultPermissions: [{ principal: IAM_ALLOWED_PRINCIPALS, permissions: ['DESCRIBE'] }] })).to.equal(false);
  });

  it('grants nothing in an IAM-only account (the default mode)', async () => {
    const run = await runConfig(dev);
    expect(ofType(run, PERMISSIONS)).to.be.empty;
  });

  it('stops at preview, with the fix, where Lake Formation governs new databases and the stage expects IAM only', async () => {
    const failure = await runConfig(dev, { calls: LAKE_FORMATION_MANAGED }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).to.match(
      /^clickstream-bi:lakeFormation\.mode = "iam-only", but Lake Formation in eu-west-1 manages new databases with its own permissions .*set lakeFormation\.mode to "grants"/,
    );
  });

  it('grants the readers and QuickSight DESCRIBE on the database and SELECT on its tables when the stage asks', async () => {
    const config = {
      ...dev,
      lakeFormation: { mode: 'grants' as const, readers: [ANALYST] },
      quicksight: { enabled: true, principalArn: QUICKSIGHT_OWNER },
    };
    const run = await runConfig(config, { calls: LAKE_FORMATION_MANAGED });
    const names = mockedNames(config);
    const grants = ofType(run, PERMISSIONS);
    const quickSightRole = `arn:aws:mock:::Role/${names.iam('quicksight-athena')}`;
    const of = (principal: string) => grants.filter((grant) => grant.inputs.principal === principal);
    for (const principal of [ANALYST, quickSightRole]) {
      const [database, tables] = [of(principal).find((grant) => grant.inputs.database), of(principal).find((grant) => grant.inputs.table)];
      expect(database?.inputs.permissions, principal).to.deep.equal(['DESCRIBE']);
      expect(at(database?.inputs, 'database', 'name')).to.equal(names.database);
      expect(tables?.inputs.permissions, principal).to.deep.equal([...READER_TABLE_PERMISSIONS]);
      expect(at(tables?.inputs, 'table')).to.deep.equal({ databaseName: names.database, wildcard: true });
    }
    expect(grants).to.have.length(4);
  });
});
