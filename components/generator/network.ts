import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import type { GeneratorConfig } from '../../config/stage-config';

export interface GeneratorNetworkArgs {
  readonly network: GeneratorConfig['network'];
  /** Name tag of a dedicated VPC. */
  readonly vpcName: string;
}

/**
 * Where the generator instance runs. It needs outbound HTTPS only (the Amazon Linux repositories for
 * Node.js, S3, SSM) and nothing inbound:
 * - `dedicated-vpc`: a small VPC of public subnets in two zones and no NAT gateway (a NAT gateway
 *   costs more than the instance); the instance gets a public address for outbound traffic, and its
 *   security group admits no inbound connection at all.
 * - `default-vpc`: the account's default VPC, for accounts that have one and want nothing new.
 */
export class GeneratorNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** The subnet the instance is launched in. */
  public readonly subnetId: pulumi.Output<string>;

  constructor(name: string, args: GeneratorNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:generator:Network', name, {}, opts);
    const child = { parent: this };
    const network =
      args.network === 'dedicated-vpc'
        ? new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
              cidrBlock: '10.20.0.0/24',
              numberOfAvailabilityZones: 2,
              subnetStrategy: 'Auto',
              subnetSpecs: [{ type: 'Public', cidrMask: 26 }],
              natGateways: { strategy: 'None' },
              enableDnsHostnames: true,
              enableDnsSupport: true,
              tags: { Name: args.vpcName },
            },
            child,
          )
        : new awsx.ec2.DefaultVpc(`${name}-default-vpc`, {}, child);
    this.vpcId = network.vpcId;
    this.subnetId = network.publicSubnetIds.apply((ids) => {
      if (ids.length === 0) {
        throw new Error(
          `the ${args.network === 'dedicated-vpc' ? 'dedicated' : 'default'} VPC has no public subnet for the generator; ` +
            'set clickstream-bi:generator.network to "dedicated-vpc" (or restore the default VPC\'s subnets)',
        );
      }
      return ids[0];
    });
    this.registerOutputs({ vpcId: this.vpcId, subnetId: this.subnetId });
  }
}
