import { expect } from 'chai';
import { readStageFile } from '../../config/stage-file';
import { MOCK_ACCOUNT_ID, type MockRun, type RecordedResource } from '../../components/plan/mock-run';
import { GLACIER_MINIMUM_DAYS } from '../../config/stage-config';
import { LAKE_BUCKET_ROLES } from '../../components/storage/lifecycle';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES } from '../../policy/rules';
import { STAGES, TEST_KMS_KEY_ARN, at, devWithKmsRun, mockedNames, ofType, stageRun } from './stacks';

function configOf(run: MockRun, bucketName: string, type: string): RecordedResource {
  const found = ofType(run, type).filter((resource) => resource.inputs.bucket === bucketName);
  expect(found, `${type} for bucket ${bucketName}`).to.have.length(1);
  return found[0];
}

for (const stage of STAGES) {
  describe(`storage (${stage})`, () => {
    const config = readStageFile(stage);
    const names = mockedNames(config);
    const bucketNames = LAKE_BUCKET_ROLES.map((role) => names.bucket(role));
    let run: MockRun;
    before(async () => {
      run = await stageRun(stage);
    });

    it('creates the raw, processed, results and athena-results buckets, named after the stage, account and region', () => {
      expect(ofType(run, TYPES.bucket).map((bucket) => bucket.inputs.bucket)).to.have.members(bucketNames);
      for (const name of bucketNames) expect(name).to.match(new RegExp(`^${names.stem}-[a-z-]+-${MOCK_ACCOUNT_ID}-${config.region}$`));
    });

    it('exports every bucket name, so users find them without knowing the naming rule', () => {
      expect([run.outputs.rawBucket, run.outputs.processedBucket, run.outputs.resultsBucket, run.outputs.athenaResultsBucket]).to.deep.equal(bucketNames);
    });

    it('encrypts every bucket by default (SSE-S3 without a KMS key in the stage) with bucket keys', () => {
      for (const bucket of bucketNames) {
        const rule = at(configOf(run, bucket, TYPES.bucketEncryption).inputs, 'rules', 0);
        expect(at(rule, 'applyServerSideEncryptionByDefault', 'sseAlgorithm'), bucket).to.equal('AES256');
        expect(at(rule, 'bucketKeyEnabled'), bucket).to.equal(true);
      }
    });

    it('blocks every kind of public access and disables ACLs on every bucket', () => {
      for (const bucket of bucketNames) {
        const block = configOf(run, bucket, TYPES.bucketPublicAccessBlock).inputs;
        expect(block, bucket).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(at(configOf(run, bucket, TYPES.bucketOwnershipControls).inputs, 'rule', 'objectOwnership')).to.equal('BucketOwnerEnforced');
      }
    });

    it('denies every request made without TLS, on each bucket and its objects', () => {
      for (const bucket of bucketNames) {
        const [statement] = parsePolicyDocument(configOf(run, bucket, TYPES.bucketPolicy).inputs.policy);
        expect(statement.effect).to.equal('Deny');
        expect(statement.principals).to.deep.equal(['*']);
        expect(statement.actions).to.deep.equal(['s3:*']);
        expect(statement.resources).to.have.members([`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
        expect(statement.conditions).to.deep.equal({ Bool: { 'aws:SecureTransport': ['false'] } });
      }
    });

    it('versions the raw bucket only', () => {
      const versioned = ofType(run, 'aws:s3/bucketVersioning:BucketVersioning');
      expect(versioned.map((resource) => resource.inputs.bucket)).to.deep.equal([names.bucket('raw')]);
      expect(at(versioned[0].inputs, 'versioningConfiguration', 'status')).to.equal('Enabled');
    });

    it('keeps data as long as the stage config says, and aborts incomplete uploads everywhere', () => {
      const rules = (role: string) => at(configOf(run, names.bucket(role), 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs, 'rules') as unknown[];
      for (const role of LAKE_BUCKET_ROLES) {
        for (const rule of rules(role)) {
          expect(at(rule, 'abortIncompleteMultipartUpload', 'daysAfterInitiation'), role).to.equal(config.storage.abortIncompleteUploadDays);
        }
      }
      const [processed] = rules('processed');
      if (config.storage.processedToGlacierDays !== null) {
        expect(at(processed, 'transitions', 0)).to.deep.equal({ days: config.storage.processedToGlacierDays, storageClass: 'GLACIER' });
      }
      expect(at(processed, 'expiration', 'days')).to.equal(config.storage.processedExpireDays);
      expect(at(rules('raw')[0], 'noncurrentVersionExpiration', 'noncurrentDays')).to.equal(config.storage.rawNoncurrentExpireDays);
      expect(at(rules('athena-results')[0], 'expiration', 'days')).to.equal(config.storage.athenaResultsExpireDays);
      expect(rules('results').every((rule) => at(rule, 'expiration') === undefined), 'results are never expired').to.equal(true);
    });

    it(`sets forceDestroy ${config.storage.forceDestroy} and protect ${config.storage.protect} on the buckets, as the stage file says`, () => {
      for (const bucket of ofType(run, TYPES.bucket)) {
        expect(bucket.inputs.forceDestroy, String(bucket.inputs.bucket)).to.equal(config.storage.forceDestroy);
        expect(bucket.protect, String(bucket.inputs.bucket)).to.equal(config.storage.protect);
      }
    });

    it(`${config.storage.protect ? 'keeps' : 'does not keep'} the buckets and the Glue database in the account when the stack deletes them`, () => {
      const kept = [...ofType(run, TYPES.bucket), ...ofType(run, 'aws:glue/catalogDatabase:CatalogDatabase')];
      expect(kept).to.have.length(LAKE_BUCKET_ROLES.length + 1);
      for (const resource of kept) {
        expect(resource.retainOnDelete, resource.name).to.equal(config.storage.protect);
        expect(resource.protect, resource.name).to.equal(config.storage.protect);
      }
    });

    it(config.storage.processedToGlacierDays === null ? 'keeps processed files in S3 Standard until they expire' : `moves processed files to Glacier for at least its ${GLACIER_MINIMUM_DAYS}-day minimum`, () => {
      const [processed] = at(configOf(run, names.bucket('processed'), 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs, 'rules') as unknown[];
      const glacier = at(processed, 'transitions', 0, 'days') as number | undefined;
      if (config.storage.processedToGlacierDays === null) expect(glacier).to.equal(undefined);
      else expect((at(processed, 'expiration', 'days') as number) - (glacier as number)).to.be.at.least(GLACIER_MINIMUM_DAYS);
    });
  });
}

describe('storage with a customer-managed KMS key', () => {
  const kmsKeyArn = TEST_KMS_KEY_ARN;
  let run: MockRun;
  before(async () => {
    run = await devWithKmsRun();
  });

  it('encrypts every bucket with that key (SSE-KMS) and bucket keys', () => {
    const encryptions = ofType(run, TYPES.bucketEncryption);
    expect(encryptions).to.have.length(LAKE_BUCKET_ROLES.length);
    for (const encryption of encryptions) {
      expect(at(encryption.inputs, 'rules', 0, 'applyServerSideEncryptionByDefault')).to.deep.equal({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: kmsKeyArn });
      expect(at(encryption.inputs, 'rules', 0, 'bucketKeyEnabled')).to.equal(true);
    }
  });

  it('encrypts Athena query results with that key', () => {
    const [workgroup] = ofType(run, TYPES.athenaWorkgroup);
    expect(at(workgroup.inputs, 'configuration', 'resultConfiguration', 'encryptionConfiguration')).to.deep.equal({
      encryptionOption: 'SSE_KMS',
      kmsKeyArn,
    });
  });
});
