import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageNames } from '../../config/naming';
import { GLUE_SCRIPT, glueArtifacts, glueJobArguments } from '../../etl/glue-artifacts';
import { ETL_CODE_PREFIX } from '../../components/etl/glue-etl';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { PROJECT_ROOT, readStageFile } from '../../config/stage-file';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES } from '../../policy/rules';
import { STAGES, TEST_KMS_KEY_ARN, at, devWithKmsRun, named, ofType, stageRun } from './stacks';

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
    const names = stageNames(config);
    const results = names.resource('results');
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
          buckets: { raw: names.resource('raw'), processed: names.resource('processed'), results },
          codeBucket: results,
          codePrefix: ETL_CODE_PREFIX,
          database: names.database,
        }),
      );
    });

    it('publishes metrics and continuous logs, runs without bookmarks, under an encrypting security configuration', () => {
      expect(job.inputs.defaultArguments).to.include({
        '--enable-metrics': 'true',
        '--enable-continuous-cloudwatch-log': 'true',
        '--job-bookmark-option': 'job-bookmark-disable',
      });
      const [security] = ofType(run, TYPES.glueSecurityConfiguration);
      expect(job.inputs.securityConfiguration).to.equal(security.inputs.name);
      expect(at(security.inputs, 'encryptionConfiguration', 's3Encryption', 's3EncryptionMode')).to.equal('SSE-S3');
    });

    it('has no Glue trigger: the pipeline state machine is the one scheduler (test/infra/orchestration.test.ts)', () => {
      expect(ofType(run, 'aws:glue/trigger:Trigger')).to.be.empty;
    });

    it('lets the job write and delete only where the ETL writes, and never its own code or the reference data', () => {
      const statements = parsePolicyDocument(named(run, 'etl-access').inputs.policy);
      const grants = (action: string) =>
        statements.filter((statement) => statement.actions.includes(action)).flatMap((statement) => statement.resources);
      const arn = (bucket: string, prefix: string) => `arn:aws:s3:::${names.resource(bucket)}/${prefix}*`;
      expect(grants('s3:DeleteObject')).to.have.members([arn('raw', 'raw/'), arn('results', 'results/events/'), arn('results', 'rejected/rejected_events/'), arn('results', '_etl/')]);
      expect(grants('s3:PutObject')).to.have.members([arn('processed', 'processed/'), arn('results', 'results/events/'), arn('results', 'rejected/rejected_events/'), arn('results', '_etl/')]);
      expect(grants('s3:GetObject')).to.include.members([arn('raw', 'raw/'), arn('results', 'reference/')]);
      expect(statements.flatMap((statement) => statement.actions).filter((action) => action.startsWith('glue:')), 'the job does not use the Data Catalog').to.deep.equal([]);
    });
  });
}

describe('ETL with a customer-managed KMS key', () => {
  it('encrypts S3 output, logs and bookmarks with that key and lets the job use it', async () => {
    const run = await devWithKmsRun();
    const [security] = ofType(run, TYPES.glueSecurityConfiguration);
    expect(at(security.inputs, 'encryptionConfiguration')).to.deep.equal({
      s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: TEST_KMS_KEY_ARN },
      cloudwatchEncryption: { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: TEST_KMS_KEY_ARN },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: TEST_KMS_KEY_ARN },
    });
    const kms = parsePolicyDocument(named(run, 'etl-access').inputs.policy).filter((statement) => statement.resources.includes(TEST_KMS_KEY_ARN));
    expect(kms.flatMap((statement) => statement.actions)).to.have.members(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});
