import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parseEc2Settings } from '../../generator/ec2-settings';
import { USER_DATA_LIMIT_BYTES } from '../../generator/userdata';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { MOCK_AMI_ID } from '../../components/plan/mock-run';
import { SESSION_CHANNEL_ACTIONS } from '../../components/generator/instance-access';
import { settingsParameterName } from '../../components/generator/settings';
import { readStageFile } from '../../config/stage-file';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES } from '../../policy/rules';
import { STAGES, at, mockedNames, named, ofType, runConfig, stageRun } from './stacks';

for (const stage of STAGES) {
  describe(`generator (${stage})`, () => {
    const config = readStageFile(stage);
    const names = mockedNames(config);
    const parameterName = settingsParameterName(names.stem);
    let run: MockRun;
    let instance: RecordedResource;
    before(async () => {
      run = await stageRun(stage);
      [instance] = ofType(run, TYPES.instance);
    });

    it(`runs one ${config.generator.instanceType} instance on the latest Amazon Linux 2023`, () => {
      expect(ofType(run, TYPES.instance)).to.have.length(1);
      expect(instance.inputs.instanceType).to.equal(config.generator.instanceType);
      expect(instance.inputs.ami).to.equal(MOCK_AMI_ID);
    });

    it('keeps its image when a newer Amazon Linux comes out (no replacement, no second run)', () => {
      expect(instance.ignoreChanges).to.deep.equal(['ami']);
    });

    it('runs on standard CPU credits, never billed for unlimited bursts', () => {
      expect(at(instance.inputs, 'creditSpecification', 'cpuCredits')).to.equal('standard');
    });

    it('requires IMDSv2 with a hop limit of 1 and encrypts its root volume', () => {
      expect(at(instance.inputs, 'metadataOptions')).to.include({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
      expect(at(instance.inputs, 'rootBlockDevice')).to.include({ encrypted: true, volumeType: 'gp3' });
    });

    it(`${config.generator.runMode === 'once' ? 'terminates itself when the run is done' : 'stops (not terminates) on shutdown, as it keeps generating'}`, () => {
      expect(instance.inputs.instanceInitiatedShutdownBehavior).to.equal(config.generator.runMode === 'once' ? 'terminate' : 'stop');
    });

    it('boots with gzipped user data, within EC2 limits, that reads its settings parameter', () => {
      const gzipped = Buffer.from(String(instance.inputs.userDataBase64), 'base64');
      expect(gzipped.length).to.be.at.most(USER_DATA_LIMIT_BYTES);
      const script = gunzipSync(gzipped).toString('utf8');
      expect(script.startsWith('#!/bin/bash')).to.equal(true);
      expect(script).to.contain(parameterName);
    });

    it('carries the digest of its settings, so that changed settings replace the instance, which reads them at boot', () => {
      const script = gunzipSync(Buffer.from(String(instance.inputs.userDataBase64), 'base64')).toString('utf8');
      const [parameter] = ofType(run, 'aws:ssm/parameter:Parameter');
      const digest = createHash('sha256').update(String(parameter.inputs.insecureValue)).digest('hex');
      expect(script).to.contain(`# settings sha256 ${digest}`);
      expect(instance.inputs.userDataReplaceOnChange).to.equal(true);
    });

    it('admits no inbound traffic and sends only HTTPS out', () => {
      const [group] = ofType(run, TYPES.securityGroup);
      expect(group.inputs.ingress).to.deep.equal([]);
      expect((group.inputs.egress as unknown[]).map((rule) => at(rule, 'fromPort') + '-' + at(rule, 'toPort') + '/' + at(rule, 'protocol'))).to.deep.equal(['443-443/tcp']);
      expect(instance.inputs.vpcSecurityGroupIds).to.have.length(1);
      expect(ofType(run, TYPES.securityGroupIngressRule)).to.be.empty;
    });

    it('stores settings the generator accepts, for this stage, in SSM', () => {
      const [parameter] = ofType(run, 'aws:ssm/parameter:Parameter');
      expect(parameter.inputs.name).to.equal(parameterName);
      const settings = parseEc2Settings(String(parameter.inputs.insecureValue), parameterName);
      expect(settings).to.include({
        bucket: names.bucket('raw'),
        region: config.region,
        runMode: config.generator.runMode,
        eventsPerSecond: config.generator.eventsPerSecond,
        users: config.generator.users,
        seed: config.generator.seed,
        eventsPerFile: config.generator.eventsPerFile,
      });
    });

    it('gives the instance a role that can only put raw files, read its own settings and answer Session Manager', () => {
      const role = named(run, 'generator-role');
      expect(role.inputs.name).to.equal(names.iam('generator'));
      expect(named(run, 'generator-profile').inputs.name).to.equal(names.iam('generator'));
      expect(parsePolicyDocument(role.inputs.assumeRolePolicy).flatMap((statement) => statement.principals)).to.deep.equal(['ec2.amazonaws.com']);
      const statements = parsePolicyDocument(named(run, 'generator-access').inputs.policy);
      expect(statements.map((statement) => ({ actions: statement.actions, resources: statement.resources }))).to.deep.equal([
        { actions: ['s3:PutObject'], resources: [`arn:aws:s3:::${names.bucket('raw')}/raw/*`] },
        { actions: ['ssm:GetParameter'], resources: [`arn:aws:ssm:${config.region}:123456789012:parameter${parameterName}`] },
        { actions: ['ssm:UpdateInstanceInformation'], resources: [`arn:aws:ec2:${config.region}:123456789012:instance/*`] },
        { actions: [...SESSION_CHANNEL_ACTIONS], resources: ['*'] },
      ]);
      // No AWS managed policy: AmazonSSMManagedInstanceCore would read every parameter of the account.
      expect(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')).to.be.empty;
    });

    it('runs in a small VPC of its own: public subnets in two zones, no NAT gateway, S3 through a gateway endpoint', () => {
      expect(config.generator.network).to.equal('dedicated-vpc');
      const [vpc] = ofType(run, 'aws:ec2/vpc:Vpc');
      expect(vpc.inputs.cidrBlock).to.equal('10.20.0.0/24');
      const subnets = ofType(run, 'aws:ec2/subnet:Subnet');
      expect(subnets.map((subnet) => subnet.inputs.availabilityZone)).to.deep.equal([`${config.region}a`, `${config.region}b`]);
      expect(ofType(run, 'aws:ec2/natGateway:NatGateway')).to.be.empty;
      const [routes] = ofType(run, 'aws:ec2/routeTable:RouteTable');
      expect(at(routes.inputs, 'routes', 0, 'cidrBlock')).to.equal('0.0.0.0/0');
      expect(at(routes.inputs, 'routes', 0, 'gatewayId')).to.equal(ofType(run, 'aws:ec2/internetGateway:InternetGateway')[0].name + '-id');
      const [endpoint] = ofType(run, 'aws:ec2/vpcEndpoint:VpcEndpoint');
      expect(endpoint.inputs).to.include({ serviceName: `com.amazonaws.${config.region}.s3`, vpcEndpointType: 'Gateway' });
      expect(endpoint.inputs.routeTableIds).to.deep.equal([routes.name + '-id']);
      expect(instance.inputs.subnetId).to.equal(subnets[0].name + '-id');
      // The instance boots only once it has a route out and the endpoint.
      expect(instance.dependsOn).to.include.members([endpoint.name, 'generator-network-public-1-routes']);
    });

    it('exports the instance id', () => {
      expect(run.outputs.generatorInstanceId).to.be.a('string').and.not.be.empty;
    });
  });
}

describe('generator in the default VPC', () => {
  const dev = readStageFile('dev');
  const inDefaultVpc = { ...dev, generator: { ...dev.generator, network: 'default-vpc' as const } };

  it("runs in the account's default VPC and its first default subnet, creating no network", async () => {
    const run = await runConfig(inDefaultVpc);
    expect(ofType(run, TYPES.instance)[0].inputs.subnetId).to.equal('subnet-0default-a');
    expect(ofType(run, TYPES.securityGroup)[0].inputs.vpcId).to.equal('vpc-0default');
    expect(ofType(run, 'aws:ec2/vpc:Vpc')).to.be.empty;
  });

  it('stops at preview, naming the setting and the fix, in an account without a default VPC', async () => {
    const noDefaultVpc = {
      'aws:ec2/getVpc:getVpc': () => {
        throw new Error('no matching EC2 VPC found');
      },
    };
    const failure = await runConfig(inDefaultVpc, { calls: noDefaultVpc }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.match(
      /^clickstream-bi:generator\.network = "default-vpc": the account has no default VPC in eu-west-1 .*set generator\.network to "dedicated-vpc" \(the default\), which works in every account/,
    );
  });

  it('stops at preview when the default VPC has no default subnet', async () => {
    const noSubnets = { 'aws:ec2/getSubnets:getSubnets': () => ({ id: 'x', ids: [] }) };
    const failure = await runConfig(inDefaultVpc, { calls: noSubnets }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).to.match(/the default VPC vpc-0default in eu-west-1 has no default subnet; set generator\.network to "dedicated-vpc"/);
  });
});

describe('generator with a pinned image', () => {
  it('uses that image, and has no reason to ignore changes to it', async () => {
    const dev = readStageFile('dev');
    const run = await runConfig({ ...dev, generator: { ...dev.generator, amiId: 'ami-0fedcba9876543210' } });
    const [instance] = ofType(run, TYPES.instance);
    expect(instance.inputs.ami).to.equal('ami-0fedcba9876543210');
    expect(instance.ignoreChanges).to.deep.equal([]);
  });
});

describe('generator disabled by the stage', () => {
  it('creates no instance, role, parameter or network', async () => {
    const dev = readStageFile('dev');
    const run = await runConfig({ ...dev, generator: { ...dev.generator, enabled: false } });
    expect(run.resources.filter((resource) => resource.name.startsWith('generator'))).to.deep.equal([]);
    expect(run.outputs).to.not.have.property('generatorInstanceId');
  });
});
