import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { stageNames } from '../../config/naming';
import { parseEc2Settings } from '../../generator/ec2-settings';
import { USER_DATA_LIMIT_BYTES } from '../../generator/userdata';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { MOCK_AMI_ID } from '../../components/plan/mock-run';
import { settingsParameterName } from '../../components/generator/settings';
import { readStageFile } from '../../config/stage-file';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES } from '../../policy/rules';
import { STAGES, at, named, ofType, runConfig, stageRun } from './stacks';

for (const stage of STAGES) {
  describe(`generator (${stage})`, () => {
    const config = readStageFile(stage);
    const names = stageNames(config);
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
        bucket: names.resource('raw'),
        region: config.region,
        runMode: config.generator.runMode,
        eventsPerSecond: config.generator.eventsPerSecond,
        users: config.generator.users,
        seed: config.generator.seed,
        eventsPerFile: config.generator.eventsPerFile,
      });
    });

    it('gives the instance a role that can only put raw files and read its settings (plus SSM management)', () => {
      const role = named(run, 'generator-role');
      expect(parsePolicyDocument(role.inputs.assumeRolePolicy).flatMap((statement) => statement.principals)).to.deep.equal(['ec2.amazonaws.com']);
      const statements = parsePolicyDocument(named(run, 'generator-access').inputs.policy);
      expect(statements.map((statement) => ({ actions: statement.actions, resources: statement.resources }))).to.deep.equal([
        { actions: ['s3:PutObject'], resources: [`arn:aws:s3:::${names.resource('raw')}/raw/*`] },
        { actions: ['ssm:GetParameter'], resources: [`arn:aws:ssm:${config.region}:123456789012:parameter${parameterName}`] },
      ]);
      const attachments = ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((attachment) => attachment.name.startsWith('generator'));
      expect(attachments.map((attachment) => attachment.inputs.policyArn)).to.deep.equal(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    });

    if (config.generator.network === 'dedicated-vpc') {
      it('runs in a small VPC of its own: public subnets only, no NAT gateway', () => {
        const [vpc] = ofType(run, 'awsx:ec2:Vpc');
        expect(at(vpc.inputs, 'natGateways', 'strategy')).to.equal('None');
        expect((vpc.inputs.subnetSpecs as unknown[]).map((spec) => at(spec, 'type'))).to.deep.equal(['Public']);
        expect(ofType(run, 'awsx:ec2:DefaultVpc')).to.be.empty;
        expect(instance.inputs.subnetId).to.equal('subnet-generator-network-vpc-a');
      });
    } else {
      it("runs in the account's default VPC, creating none", () => {
        expect(ofType(run, 'awsx:ec2:DefaultVpc')).to.have.length(1);
        expect(ofType(run, 'awsx:ec2:Vpc')).to.be.empty;
        expect(instance.inputs.subnetId).to.equal('subnet-default-a');
      });
    }

    it('exports the instance id', () => {
      expect(run.outputs.generatorInstanceId).to.be.a('string').and.not.be.empty;
    });
  });
}

describe('generator disabled by the stage', () => {
  it('creates no instance, role, parameter or network', async () => {
    const dev = readStageFile('dev');
    const run = await runConfig({ ...dev, generator: { ...dev.generator, enabled: false } });
    expect(run.resources.filter((resource) => resource.name.startsWith('generator'))).to.deep.equal([]);
    expect(run.outputs).to.not.have.property('generatorInstanceId');
  });
});
