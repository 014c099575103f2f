import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AccountNames } from '../../config/naming';
import type { GeneratorConfig } from '../../config/stage-config';
import type { AwsContext } from '../aws-context';
import { serviceTrustPolicy } from '../iam/policy-document';
import { generatorInstancePolicy } from './instance-access';
import { GeneratorNetwork, type NetworkPlacement } from './network';

export interface GeneratorArgs {
  readonly names: AccountNames;
  /** Where the instance runs (network.ts findNetwork). */
  readonly placement: NetworkPlacement;
  readonly region: string;
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

/** Burstable families: T2 and later run in unlimited credit mode unless told otherwise. */
export function isBurstable(instanceType: string): boolean {
  return /^t\d[a-z]*\./.test(instanceType);
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
 * that can only put raw objects, read its settings parameter and answer Session Manager.
 * `runMode: once` makes the instance terminate itself when the run is done (it shuts down; shutdown
 * means terminate). Burstable types run on standard CPU credits: a generator at full tilt on
 * unlimited credits is billed for surplus CPU with no ceiling.
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

    const network = new GeneratorNetwork(`${name}-network`, { placement: args.placement, region: args.region, vpcName: physicalName }, child);

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

    const iamName = args.names.iam('generator');
    const role = new aws.iam.Role(
      `${name}-role`,
      // EC2 takes no aws:SourceAccount condition: only this account can pass the role to an instance.
      { name: iamName, description: 'Clickstream generator instance', assumeRolePolicy: JSON.stringify(serviceTrustPolicy('ec2.amazonaws.com')) },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      {
        role: role.name,
        name: 'write-raw-read-settings-session-manager',
        policy: pulumi.output(args.context).apply((context) =>
          JSON.stringify(
            generatorInstancePolicy({ context, rawBucket: args.rawBucket, settingsParameterName: args.settingsParameterName, kmsKeyArn: args.kmsKeyArn }),
          ),
        ),
      },
      child,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { name: iamName, role: role.name }, child);

    const pinnedAmi = args.generator.amiId;
    this.instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: pinnedAmi ?? amazonLinux2023(args.generator.instanceType, { parent: this }),
        instanceType: args.generator.instanceType,
        ...(isBurstable(args.generator.instanceType) ? { creditSpecification: { cpuCredits: 'standard' } } : {}),
        subnetId: network.subnetId,
        vpcSecurityGroupIds: [securityGroup.id],
        // Outbound only: there is no NAT gateway, and the security group admits nothing inbound.
        associatePublicIpAddress: true,
        iamInstanceProfile: profile.name,
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
        rootBlockDevice: { encrypted: true, volumeType: 'gp3', deleteOnTermination: true },
        userDataBase64: args.userDataBase64,
        // cloud-init runs user data once per instance: a new generator or new settings (the user data
        // carries their digest) need a new one, which reads the new settings at boot.
        userDataReplaceOnChange: true,
        instanceInitiatedShutdownBehavior: args.generator.runMode === 'once' ? 'terminate' : 'stop',
        tags: { Name: physicalName },
      },
      {
        ...child,
        // The instance reads its settings at boot with its role, through its network: all must exist first.
        dependsOn: [this.settingsParameter, access, ...network.ready],
        // Without a pinned image, each new Amazon Linux release would replace the instance (and start a
        // self-terminated `once` run again): the image is chosen when the instance is created.
        ignoreChanges: pinnedAmi === undefined ? ['ami'] : [],
      },
    );
    this.instanceId = this.instance.id;

    this.registerOutputs({ instanceId: this.instanceId, settingsParameterName: this.settingsParameter.name });
  }
}
