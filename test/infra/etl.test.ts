import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GLUE_SCRIPT, glueArtifacts, glueJobArguments } from '../../etl/glue-artifacts';
import { ARGUMENTS_BEFORE_GLUE_5, ETL_CODE_PREFIX, securityConfigurationName } from '../../components/etl/glue-etl';
import { MOCK_ACCOUNT_ID, type MockRun, type RecordedResource } from '../../components/plan/mock-run';
import { PROJECT_ROOT, readStageFile } from '../../config/stage-file';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES } from '../../policy/rules';
import { STAGES, TEST_KMS_KEY_ARN, at, devWithKmsRun, mockedNames, named, ofType, runConfig, stageRun } from './stacks';

/** The arguments etl/glue_job.py refuses to start without (its REQUIRED list). */
function requiredScriptArguments(): string[] {
  const script = readFileSync(join(PROJECT_ROOT, 'etl', GLUE_SCRIPT), 'utf8');
  const match = /^REQUIRED = \[([^\]]*)\]/m.exec(script);
  if (!match) throw new Error(`etl/${GLUE_SCRIPT} has no REQUIRED = [...] list of job arguments`);
  return [...match[1].matchAll(/"([a-z_]+)"/g)].map((found) => `--${found[1]}`);
}

for (const stage of STAGES) {
  describe(`ETL (${stage})`, () => {
    const config = readStageFile(stage);
    const names = mockedNames(config);
    const results = names.bucket('results');
    let run: MockRun;
    let job: RecordedResource;
    before(async () => {
      run = await stageRun(stage);
      [job] = ofType(run, TYPES.glueJob);
    });

    it(`runs a Glue 5.0 job with ${config.etl.numberOfWorkers} ${config.etl.workerType} workers, timeout and retries from the stage`, () => {
      expect(job.inputs).to.include({
        name: names.resource('etl'),
        glueVersion: '5.0',
        workerType: config.etl.workerType,
        numberOfWorkers: config.etl.numberOfWorkers,
        timeout: config.etl.timeoutMinutes,
        maxRetries: config.etl.maxRetries,
      });
      expect(at(job.inputs, 'executionProperty', 'maxConcurrentRuns')).to.equal(1);
    });

    it('uploads the script, its helpers, the Spark SQL and its config from the repository', () => {
      const uploads = ofType(run, 'aws:s3/bucketObjectv2:BucketObjectv2').filter((object) => String(object.inputs.key).startsWith(ETL_CODE_PREFIX));
      const artifacts = glueArtifacts();
      expect(uploads.map((object) => object.inputs.key)).to.have.members(artifacts.map((artifact) => `${ETL_CODE_PREFIX}${artifact.name}`));
      for (const artifact of artifacts) {
        const upload = uploads.find((object) => object.inputs.key === `${ETL_CODE_PREFIX}${artifact.name}`);
        expect(upload?.inputs.bucket, artifact.name).to.equal(results);
        expect(upload?.inputs.content, artifact.name).to.equal(artifact.body);
      }
      expect(at(job.inputs, 'command', 'scriptLocation')).to.equal(`s3://${results}/${ETL_CODE_PREFIX}${GLUE_SCRIPT}`);
    });

    it('passes every argument the script requires, pointing at this stage', () => {
      const args = job.inputs.defaultArguments as Record<string, string>;
      expect(Object.keys(args)).to.include.members(requiredScriptArguments());
      expect(args).to.include(
        glueJobArguments({
          buckets: { raw: names.bucket('raw'), processed: names.bucket('processed'), results },
          codeBucket: results,
          codePrefix: ETL_CODE_PREFIX,
          database: names.database,
        }),
      );
    });

    it('publishes metrics, runs without bookmarks, under an encrypting security configuration', () => {
      expect(job.inputs.defaultArguments).to.include({
        '--enable-metrics': 'true',
        '--job-bookmark-option': 'job-bookmark-disable',
      });
      const [security] = ofType(run, TYPES.glueSecurityConfiguration);
      expect(job.inputs.securityConfiguration).to.equal(security.inputs.name);
      expect(at(security.inputs, 'encryptionConfiguration', 's3Encryption', 's3EncryptionMode')).to.equal('SSE-S3');
    });

    it('passes no argument that Glue 5.0 refuses (continuous logging is built in there)', () => {
      expect(Object.keys(job.inputs.defaultArguments as object)).to.not.include.members([...ARGUMENTS_BEFORE_GLUE_5]);
    });

    it('names its security configuration after its settings, so a replacement never collides with the old one', () => {
      const [security] = ofType(run, TYPES.glueSecurityConfiguration);
      expect(security.inputs.name).to.equal(securityConfigurationName(names.resource('etl'), security.inputs.encryptionConfiguration as never));
      expect(security.inputs.name).to.match(new RegExp(`^${names.resource('etl')}-[0-9a-f]{8}$`));
    });

    it('lets only Glue acting for this account assume the job role', () => {
      const role = named(run, 'etl-role');
      expect(role.inputs.name).to.equal(names.iam('etl'));
      expect(parsePolicyDocument(role.inputs.assumeRolePolicy)[0].conditions).to.deep.equal({ StringEquals: { 'aws:SourceAccount': [MOCK_ACCOUNT_ID] } });
    });

    it('has no Glue trigger: the pipeline state machine is the one scheduler (test/infra/orchestration.test.ts)', () => {
      expect(ofType(run, 'aws:glue/trigger:Trigger')).to.be.empty;
    });

    it('lets the job write and delete only where the ETL writes, and never its own code or the reference data', () => {
      const statements = parsePolicyDocument(named(run, 'etl-access').inputs.policy);
      const grants = (action: string) =>
        statements.filter((statement) => statement.actions.includes(action)).flatMap((statement) => statement.resources);
      const arn = (bucket: string, prefix: string) => `arn:aws:s3:::${names.bucket(bucket)}/${prefix}*`;
      expect(grants('s3:DeleteObject')).to.have.members([arn('raw', 'raw/'), arn('results', 'results/events/'), arn('results', 'results/session_days/'), arn('results', 'rejected/rejected_events/'), arn('results', '_etl/')]);
      expect(grants('s3:PutObject')).to.have.members([arn('processed', 'processed/'), arn('results', 'results/events/'), arn('results', 'results/session_days/'), arn('results', 'rejected/rejected_events/'), arn('results', '_etl/')]);
      expect(grants('s3:GetObject')).to.include.members([arn('raw', 'raw/'), arn('results', 'reference/')]);
      expect(statements.flatMap((statement) => statement.actions).filter((action) => action.startsWith('glue:')), 'the job does not use the Data Catalog').to.deep.equal([]);
    });
  });
}

describe('ETL with a customer-managed KMS key', () => {
  it('encrypts S3 output and bookmarks with that key and lets the job use it; logs stay on CloudWatch\'s own encryption', async () => {
    const run = await devWithKmsRun();
    const [security] = ofType(run, TYPES.glueSecurityConfiguration);
    expect(at(security.inputs, 'encryptionConfiguration')).to.deep.equal({
      s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: TEST_KMS_KEY_ARN },
      // The key's policy must admit the CloudWatch Logs service first (storage.kmsKeyGrantsLogs).
      cloudwatchEncryption: { cloudwatchEncryptionMode: 'DISABLED' },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: TEST_KMS_KEY_ARN },
    });
    const kms = parsePolicyDocument(named(run, 'etl-access').inputs.policy).filter((statement) => statement.resources.includes(TEST_KMS_KEY_ARN));
    expect(kms.flatMap((statement) => statement.actions)).to.have.members(['kms:Decrypt', 'kms:GenerateDataKey']);
    const dev = (await stageRun('dev')).resources.find((resource) => resource.type === TYPES.glueSecurityConfiguration);
    expect(security.inputs.name, 'new settings, new name').to.not.equal(dev?.inputs.name);
  });

  it('encrypts logs with the key too once the stage says its policy grants CloudWatch Logs', async () => {
    const dev = readStageFile('dev');
    const run = await runConfig({ ...dev, storage: { ...dev.storage, kmsKeyArn: TEST_KMS_KEY_ARN, kmsKeyGrantsLogs: true } });
    const [security] = ofType(run, TYPES.glueSecurityConfiguration);
    expect(at(security.inputs, 'encryptionConfiguration', 'cloudwatchEncryption')).to.deep.equal({ cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: TEST_KMS_KEY_ARN });
    const logs = parsePolicyDocument(named(run, 'etl-access').inputs.policy).find((statement) => statement.sid === 'WriteLogs');
    expect(logs?.actions).to.include('logs:AssociateKmsKey');
  });
});
