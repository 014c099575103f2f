import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StageNames } from '../../config/naming';
import type { GeneratorConfig } from '../../config/stage-config';
import type { AwsContext } from '../aws-context';
import { arns } from '../iam/arns';
import { serviceTrustPolicy } from '../iam/policy-document';
import { generatorInstancePolicy } from './instance-access';
import { GeneratorNetwork } from './network';

export interface GeneratorArgs {
  readonly names: StageNames;
  readonly generator: GeneratorConfig;
  readonly context: pulumi.Input<AwsContext>;
  readonly rawBucket: string;
  readonly kmsKeyArn?: string;
  /** The SSM parameter holding the generator's settings (JSON); the instance reads it at boot. */
  readonly settingsParameterName: string;
  readonly settingsJson: pulumi.Input<string>;
  /** Gzipped, base64-encoded cloud-init user data that installs and starts the generator. */
  readonly userDataBase64: pulumi.Input<string>;
}

/** Amazon Linux 2023, latest, for the instance type's architecture (x86_64 or arm64). */
function amazonLinux2023(instanceType: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  const architecture = aws.ec2
    .getInstanceTypeOutput({ instanceType }, opts)
    .supportedArchitectures.apply((supported) => (supported.includes('arm64') ? 'arm64' : 'x86_64'));
  return aws.ssm.getParameterOutput({ name: pulumi.interpolate`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}` }, opts)
    .value;
}

/**
 * The traffic generator: an EC2 instance that writes clickstream files to `raw/`. Locked down by
 * default: IMDSv2 only, encrypted root volume, no inbound rule (use SSM Session Manager), a role
 * that can only put raw objects and read its settings parameter. `runMode: once` makes the instance
 * terminate itself when the run is done (it shuts down; shutdown means terminate).
 */
export class Generator extends pulumi.ComponentResource {
  public readonly instance: aws.ec2.Instance;
  public readonly instanceId: pulumi.Output<string>;
  public readonly settingsParameter: aws.ssm.Parameter;

  constructor(name: string, args: GeneratorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:generator:Generator', name, {}, opts);
    const child = { parent: this };
    const physicalName = args.names.resource('generator');

    this.settingsParameter = new aws.ssm.Parameter(
      `${name}-settings`,
      {
        name: args.settingsParameterName,
        // Counts, rates and a bucket name: nothing secret, so a plain String (no KMS grant needed),
        // shown in previews so that a settings change is reviewable.
        type: 'String',
        tier: 'Standard',
        insecureValue: args.settingsJson,
        description: `Settings of the ${args.names.stem} clickstream generator (JSON), read by the instance at boot.`,
      },
      child,
    );

    const network = new GeneratorNetwork(`${name}-network`, { network: args.generator.network, vpcName: physicalName }, child);

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-security-group`,
      {
        name: physicalName,
        description: 'Clickstream generator: no inbound traffic (SSM Session Manager instead of SSH), outbound HTTPS only.',
        vpcId: network.vpcId,
        // Declared empty, so that a rule added by hand is removed by the next `pulumi up`.
        ingress: [],
        egress: [
          {
            description: 'HTTPS to S3, SSM and the Amazon Linux package repositories',
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ['0.0.0.0/0'],
          },
        ],
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      { name: physicalName, description: 'Clickstream generator instance', assumeRolePolicy: JSON.stringify(serviceTrustPolicy('ec2.amazonaws.com')) },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ssm-core`,
      { role: role.name, policyArn: pulumi.output(args.context).apply((context) => arns.managedPolicy(context, 'AmazonSSMManagedInstanceCore')) },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      {
        role: role.name,
        name: 'write-raw-read-settings',
        policy: pulumi.output(args.context).apply((context) =>
          JSON.stringify(
            generatorInstancePolicy({ context, rawBucket: args.rawBucket, settingsParameterName: args.settingsParameterName, kmsKeyArn: args.kmsKeyArn }),
          ),
        ),
      },
      child,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { name: physicalName, role: role.name }, child);

    this.instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: amazonLinux2023(args.generator.instanceType, { parent: this }),
        instanceType: args.generator.instanceType,
        subnetId: network.subnetId,
        vpcSecurityGroupIds: [securityGroup.id],
        // Outbound only: there is no NAT gateway, and the security group admits nothing inbound.
        associatePublicIpAddress: true,
        iamInstanceProfile: profile.name,
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
        rootBlockDevice: { encrypted: true, volumeType: 'gp3', deleteOnTermination: true },
        userDataBase64: args.userDataBase64,
        // cloud-init runs user data once per instance: a new generator or new settings need a new one.
        userDataReplaceOnChange: true,
        instanceInitiatedShutdownBehavior: args.generator.runMode === 'once' ? 'terminate' : 'stop',
        tags: { Name: physicalName },
      },
      // The instance reads its settings at boot with its role: both must exist first.
      { ...child, dependsOn: [this.settingsParameter, access] },
    );
    this.instanceId = this.instance.id;

    this.registerOutputs({ instanceId: this.instanceId, settingsParameterName: this.settingsParameter.name });
  }
}
