import { expect } from 'chai';
import { unknownCheckingProxy } from '@pulumi/policy';
import { knownValues } from '../../policy/preview-values';
import type { ReviewedResource } from '../../policy/rules';
import { TYPES, UNKNOWN, checkResource, reviewStack } from '../../policy/rules';
import { STAGES, stageRun } from './stacks';

const resource = (type: string, props: Record<string, unknown>, name = 'subject'): ReviewedResource => ({ type, name, props });
const policyNames = (resources: readonly ReviewedResource[]) => reviewStack(resources).map((violation) => violation.policy);

const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A bucket with every safeguard, to which each test removes or weakens one. */
function secureBucket(name = 'b'): ReviewedResource[] {
  return [
    resource(TYPES.bucket, { bucket: name }, `${name}-bucket`),
    resource(TYPES.bucketEncryption, { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] }),
    resource(TYPES.bucketPublicAccessBlock, { bucket: name, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    resource(TYPES.bucketOwnershipControls, { bucket: name, rule: { objectOwnership: 'BucketOwnerEnforced' } }),
    resource(TYPES.bucketPolicy, {
      bucket: name,
      policy: document({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    }),
  ];
}

const without = (resources: ReviewedResource[], type: string) => resources.filter((candidate) => candidate.type !== type);

describe('policy rules', () => {
  describe('buckets', () => {
    it('accept a private, encrypted, TLS-only bucket', () => {
      expect(reviewStack(secureBucket())).to.deep.equal([]);
    });

    it('catch a bucket without default encryption', () => {
      expect(policyNames(without(secureBucket(), TYPES.bucketEncryption))).to.deep.equal(['s3-bucket-encrypted']);
    });

    it('catch a bucket whose public access block leaves a setting off, naming it', () => {
      const resources = secureBucket().map((candidate) =>
        candidate.type === TYPES.bucketPublicAccessBlock ? { ...candidate, props: { ...candidate.props, restrictPublicBuckets: false } } : candidate,
      );
      const [violation] = reviewStack(resources);
      expect(violation.policy).to.equal('s3-bucket-public-access-blocked');
      expect(violation.message).to.contain('restrictPublicBuckets');
    });

    it('catch a bucket with ACLs enabled', () => {
      const resources = secureBucket().map((candidate) =>
        candidate.type === TYPES.bucketOwnershipControls ? { ...candidate, props: { ...candidate.props, rule: { objectOwnership: 'ObjectWriter' } } } : candidate,
      );
      expect(policyNames(resources)).to.deep.equal(['s3-bucket-acls-disabled']);
    });

    it('catch a bucket that accepts plain HTTP, and a TLS rule that forgets the objects', () => {
      expect(policyNames(without(secureBucket(), TYPES.bucketPolicy))).to.deep.equal(['s3-bucket-tls-only']);
      const objectsForgotten = secureBucket().map((candidate) =>
        candidate.type === TYPES.bucketPolicy
          ? {
              ...candidate,
              props: {
                ...candidate.props,
                policy: document({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              },
            }
          : candidate,
      );
      expect(policyNames(objectsForgotten)).to.deep.equal(['s3-bucket-tls-only']);
    });

    it("do not count another bucket's safeguards", () => {
      const violations = reviewStack([...secureBucket('a'), ...without(secureBucket('b'), TYPES.bucketEncryption)]);
      expect(violations.map((violation) => violation.message)).to.deep.equal(['bucket "b" has none: add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm AES256 or aws:kms']);
    });

    it('match configuration to a bucket by dependency when names are not known yet (preview)', () => {
      const resources = secureBucket().map((candidate) => ({
        ...candidate,
        urn: `urn:${candidate.name}`,
        props: { ...candidate.props, bucket: undefined },
        dependencies: candidate.type === TYPES.bucket ? [] : ['urn:b-bucket'],
      }));
      // Without a name the TLS statement cannot be matched to ARNs, but every safeguard is found.
      expect(reviewStack(resources)).to.deep.equal([]);
    });

    it('give configuration whose settings are unknown at preview the benefit of the doubt, but not a missing one', () => {
      const preview = secureBucket().map((candidate) =>
        candidate.type === TYPES.bucketPolicy ? { ...candidate, props: { ...candidate.props, policy: UNKNOWN } } : candidate,
      );
      expect(reviewStack(preview)).to.deep.equal([]);
      expect(policyNames(without(preview, TYPES.bucketPolicy))).to.deep.equal(['s3-bucket-tls-only']);
    });

    it('read preview properties from the policy SDK, unknown values marked instead of thrown', () => {
      // The SDK's sentinel for "a string known only after deployment" (@pulumi/policy proxy.js).
      const unknownString = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
      const props = unknownCheckingProxy({ bucket: unknownString, rule: { objectOwnership: 'BucketOwnerEnforced' }, list: [1, unknownString] });
      expect(() => props.bucket).to.throw(/can't be known during preview/);
      expect(knownValues(props)).to.deep.equal({ bucket: UNKNOWN, rule: { objectOwnership: 'BucketOwnerEnforced' }, list: [1, UNKNOWN] });
    });

    it('catch a bucket policy that grants anyone access', () => {
      const violations = checkResource(resource(TYPES.bucketPolicy, { policy: document({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) }));
      expect(violations.map((violation) => violation.policy)).to.deep.equal(['s3-bucket-policy-not-public']);
    });
  });

  describe('IAM', () => {
    const rolePolicy = (...statements: object[]) => resource(TYPES.rolePolicy, { policy: document(...statements) });

    it('accept exact actions on named resources', () => {
      expect(checkResource(rolePolicy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/raw/*' }))).to.deep.equal([]);
    });

    it('catch "*", service-wide and wildcard actions, naming them', () => {
      for (const action of ['*', 's3:*', 's3:Get*']) {
        const [violation] = checkResource(rolePolicy({ Effect: 'Allow', Action: action, Resource: 'arn:aws:s3:::b/*' }));
        expect(violation.policy, action).to.equal('iam-no-wildcard-actions');
        expect(violation.message, action).to.contain(action);
      }
    });

    it('catch NotAction and NotResource in an Allow', () => {
      const violations = checkResource(rolePolicy({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::b' }));
      expect(violations.map((violation) => violation.policy)).to.have.members(['iam-no-wildcard-actions', 'iam-resources-scoped']);
    });

    it('catch Resource "*" for an action that can be scoped, but allow it for PutMetricData', () => {
      expect(checkResource(rolePolicy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })).map((violation) => violation.policy)).to.deep.equal(['iam-resources-scoped']);
      expect(checkResource(rolePolicy({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }))).to.deep.equal([]);
    });

    it('leave Deny statements alone (a broad deny only narrows)', () => {
      expect(checkResource(rolePolicy({ Effect: 'Deny', Action: '*', Resource: '*' }))).to.deep.equal([]);
    });

    it("read a role's inline policies and catch a trust policy open to anyone", () => {
      const role = resource(TYPES.role, {
        assumeRolePolicy: document({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
        inlinePolicies: [{ name: 'x', policy: document({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }) }],
      });
      expect(checkResource(role).map((violation) => violation.policy)).to.have.members([
        'iam-no-wildcard-actions',
        'iam-resources-scoped',
        'iam-trust-policy-no-wildcard-principal',
      ]);
    });

    it("catch a service role's trust without aws:SourceAccount, except EC2's, which cannot take one", () => {
      const trust = (service: string, condition?: object) =>
        resource(TYPES.role, { assumeRolePolicy: document({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }) });
      const [violation] = checkResource(trust('glue.amazonaws.com'));
      expect(violation.policy).to.equal('iam-service-trust-source-account');
      expect(violation.message).to.contain('glue.amazonaws.com').and.contain('aws:SourceAccount');
      expect(checkResource(trust('glue.amazonaws.com', { StringEquals: { 'aws:SourceAccount': '123456789012' } }))).to.deep.equal([]);
      expect(checkResource(trust('quicksight.amazonaws.com', { ArnLike: { 'aws:SourceArn': 'arn:aws:quicksight:*:123456789012:*' } }))).to.deep.equal([]);
      expect(checkResource(trust('ec2.amazonaws.com'))).to.deep.equal([]);
    });

    it('catch KMS permissions on an alias ARN, which grant nothing', () => {
      const onAlias = rolePolicy({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws:kms:eu-west-1:123456789012:alias/lake' });
      expect(checkResource(onAlias).map((violation) => violation.policy)).to.deep.equal(['iam-kms-statements-name-keys']);
      expect(checkResource(rolePolicy({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'arn:aws:kms:eu-west-1:123456789012:key/1234' }))).to.deep.equal([]);
    });

    it('catch an AWS managed policy attached to a role, as an attachment or in managedPolicyArns', () => {
      const ssmCore = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
      const [attached] = checkResource(resource(TYPES.rolePolicyAttachment, { role: 'r', policyArn: ssmCore }));
      expect(attached.policy).to.equal('iam-no-aws-managed-policies');
      expect(attached.message).to.contain('AmazonSSMManagedInstanceCore');
      expect(checkResource(resource(TYPES.role, { managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })).map((violation) => violation.policy)).to.deep.equal([
        'iam-no-aws-managed-policies',
      ]);
      // A policy of the account's own is reviewed by the other rules (as an aws.iam.Policy).
      expect(checkResource(resource(TYPES.rolePolicyAttachment, { role: 'r', policyArn: 'arn:aws:iam::123456789012:policy/mine' }))).to.deep.equal([]);
    });

    it('report an unreadable policy document instead of passing it', () => {
      const [violation] = checkResource(resource(TYPES.rolePolicy, { policy: '{not json' }));
      expect(violation.message).to.match(/not a readable IAM policy document/);
    });
  });

  describe('EC2', () => {
    const secureInstance = {
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, volumeType: 'gp3' },
    };

    it('accept an instance with IMDSv2 and an encrypted root volume', () => {
      expect(checkResource(resource(TYPES.instance, secureInstance))).to.deep.equal([]);
      expect(checkResource(resource(TYPES.instance, { ...secureInstance, instanceType: 't3.micro', creditSpecification: { cpuCredits: 'standard' } }))).to.deep.equal([]);
    });

    it('catch a burstable instance left in unlimited credit mode', () => {
      for (const creditSpecification of [undefined, { cpuCredits: 'unlimited' }]) {
        const [violation] = checkResource(resource(TYPES.instance, { ...secureInstance, instanceType: 't3.small', creditSpecification }));
        expect(violation.policy).to.equal('ec2-burstable-standard-credits');
      }
      expect(checkResource(resource(TYPES.instance, { ...secureInstance, instanceType: 'm7g.large' }))).to.deep.equal([]);
    });

    it('catch a deliberately insecure instance: IMDSv1, open hop limit, unencrypted disks', () => {
      const insecure = resource(TYPES.instance, {
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 },
        rootBlockDevice: { encrypted: false },
        ebsBlockDevices: [{ deviceName: '/dev/sdf' }],
      });
      const messages = checkResource(insecure).map((violation) => violation.message);
      expect(messages).to.have.length(4);
      expect(messages.join('\n')).to.contain('httpTokens').and.contain('HopLimit').and.contain('rootBlockDevice').and.contain('ebsBlockDevices[0]');
    });

    it('catch SSH open to the internet, in a group or as a separate rule', () => {
      const group = resource(TYPES.securityGroup, { ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] });
      const rule = resource(TYPES.securityGroupIngressRule, { fromPort: 22, toPort: 22, ipProtocol: 'tcp', cidrIpv6: '::/0' });
      expect(checkResource(group).map((violation) => violation.policy)).to.deep.equal(['ec2-no-ingress-from-internet']);
      expect(checkResource(rule).map((violation) => violation.policy)).to.deep.equal(['ec2-no-ingress-from-internet']);
      expect(checkResource(resource(TYPES.securityGroup, { ingress: [], egress: [{ cidrBlocks: ['0.0.0.0/0'] }] }))).to.deep.equal([]);
    });
  });

  describe('analytics and ETL', () => {
    it('catch a workgroup that clients can override, without encryption or scan limit', () => {
      const violations = checkResource(resource(TYPES.athenaWorkgroup, { configuration: { enforceWorkgroupConfiguration: false } }));
      expect(violations).to.have.length(3);
    });

    it('catch a Glue job without a security configuration, and one that leaves S3 unencrypted', () => {
      expect(checkResource(resource(TYPES.glueJob, {})).map((violation) => violation.policy)).to.deep.equal(['glue-job-security-configuration']);
      const unencrypted = resource(TYPES.glueSecurityConfiguration, { encryptionConfiguration: { s3Encryption: { s3EncryptionMode: 'DISABLED' } } });
      expect(checkResource(unencrypted).map((violation) => violation.policy)).to.deep.equal(['glue-security-configuration-encrypts-s3']);
    });

    it('catch an unencrypted SNS topic and a state machine that logs nothing', () => {
      expect(checkResource(resource(TYPES.snsTopic, { name: 'alerts' })).map((violation) => violation.policy)).to.deep.equal(['sns-topic-encrypted']);
      expect(checkResource(resource(TYPES.snsTopic, { kmsMasterKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' }))).to.deep.equal([]);
      const silent = checkResource(resource(TYPES.stateMachine, { loggingConfiguration: { level: 'OFF' } }));
      expect(silent.map((violation) => violation.policy)).to.deep.equal(['sfn-execution-logging', 'sfn-execution-logging']);
      expect(silent[0].message).to.contain('"OFF"');
      const logged = { loggingConfiguration: { level: 'ERROR', logDestination: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/x:*' } };
      expect(checkResource(resource(TYPES.stateMachine, logged))).to.deep.equal([]);
    });

    it('catch a Glue 5.0 job with G.025X workers or the retired continuous-logging argument', () => {
      const job = (props: object) => resource(TYPES.glueJob, { securityConfiguration: 's', glueVersion: '5.0', command: { name: 'glueetl' }, ...props });
      const messages = checkResource(job({ workerType: 'G.025X', defaultArguments: { '--enable-continuous-cloudwatch-log': 'true' } })).map((violation) => violation.message);
      expect(messages).to.have.length(2);
      expect(messages.join('\n')).to.contain('G.025X').and.contain('--enable-continuous-cloudwatch-log');
      expect(checkResource(job({ workerType: 'G.1X', defaultArguments: { '--enable-metrics': 'true' } }))).to.deep.equal([]);
      expect(checkResource(job({ glueVersion: '4.0', defaultArguments: { '--enable-continuous-cloudwatch-log': 'true' } }))).to.deep.equal([]);
    });

    it('catch an AWS provider without project and stage default tags, JSON-encoded or not', () => {
      expect(checkResource(resource(TYPES.awsProvider, { defaultTags: JSON.stringify({ tags: { project: 'p' } }) }))[0].message).to.contain('stage');
      expect(checkResource(resource(TYPES.awsProvider, { defaultTags: { tags: { project: 'p', stage: 's' } } }))).to.deep.equal([]);
    });
  });

  for (const stage of STAGES) {
    it(`find no violation in the ${stage} stack`, async () => {
      const run = await stageRun(stage);
      // Every kind of resource the rules know is present, so a clean result means something.
      const checked = [TYPES.bucket, TYPES.rolePolicy, TYPES.role, TYPES.instance, TYPES.securityGroup, TYPES.athenaWorkgroup, TYPES.glueJob, TYPES.glueSecurityConfiguration, TYPES.awsProvider];
      for (const type of checked) expect(run.resources.some((recorded) => recorded.type === type), type).to.equal(true);
      const violations = reviewStack(run.resources.map((recorded) => ({ type: recorded.type, name: recorded.name, props: recorded.inputs })));
      expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
    });
  }
});
