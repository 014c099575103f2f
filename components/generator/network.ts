import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { GeneratorConfig } from '../../config/stage-config';
import { PROJECT } from '../../config/stage-config';

/** Where the generator can run, as found before any resource is declared (see findNetwork). */
export type NetworkPlacement =
  | { readonly kind: 'dedicated-vpc'; readonly availabilityZones: readonly string[] }
  | { readonly kind: 'default-vpc'; readonly vpcId: string; readonly subnetId: string };

export interface GeneratorNetworkArgs {
  readonly placement: NetworkPlacement;
  readonly region: string;
  /** Name tag of a dedicated VPC. */
  readonly vpcName: string;
}

/** The dedicated VPC's address range: two /26 public subnets are plenty for one instance. */
export const DEDICATED_VPC_CIDR = '10.20.0.0/24';
const SUBNET_CIDRS = ['10.20.0.0/26', '10.20.0.64/26'];

/**
 * Finds where the generator can run, at preview, so that a network that cannot work stops the
 * deployment with the reason instead of failing half-way through `pulumi up`:
 * - `dedicated-vpc` needs two availability zones of the region;
 * - `default-vpc` needs the account's default VPC with a default subnet (organisation baselines
 *   often delete both).
 */
export async function findNetwork(network: GeneratorConfig['network'], region: string, provider: aws.Provider): Promise<NetworkPlacement> {
  const key = `${PROJECT}:generator.network`;
  if (network === 'dedicated-vpc') {
    const zones = await aws.getAvailabilityZones({ state: 'available' }, { provider });
    if (zones.names.length < SUBNET_CIDRS.length) {
      throw new Error(`${key} = "dedicated-vpc": region ${region} offers ${zones.names.length} availability zone(s) to this account; the VPC needs ${SUBNET_CIDRS.length}`);
    }
    return { kind: 'dedicated-vpc', availabilityZones: zones.names.slice(0, SUBNET_CIDRS.length) };
  }
  let vpcId: string;
  try {
    vpcId = (await aws.ec2.getVpc({ default: true }, { provider })).id;
  } catch (error) {
    throw new Error(
      `${key} = "default-vpc": the account has no default VPC in ${region} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
        'set generator.network to "dedicated-vpc" (the default), which works in every account',
    );
  }
  const subnets = await aws.ec2.getSubnets(
    { filters: [{ name: 'vpc-id', values: [vpcId] }, { name: 'default-for-az', values: ['true'] }] },
    { provider },
  );
  if (subnets.ids.length === 0) {
    throw new Error(`${key} = "default-vpc": the default VPC ${vpcId} in ${region} has no default subnet; set generator.network to "dedicated-vpc" (the default)`);
  }
  return { kind: 'default-vpc', vpcId, subnetId: [...subnets.ids].sort()[0] };
}

/**
 * Where the generator instance runs. It needs outbound HTTPS only (the Amazon Linux repositories for
 * Node.js, S3, SSM) and nothing inbound:
 * - `dedicated-vpc`: a small VPC of public subnets in two zones and no NAT gateway (a NAT gateway
 *   costs more than the instance); the instance gets a public address for outbound traffic, and its
 *   security group admits no inbound connection at all. An S3 gateway endpoint carries the raw
 *   files to S3 inside AWS's network (and costs nothing).
 * - `default-vpc`: the account's default VPC, for accounts that have one and want nothing new.
 */
export class GeneratorNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** The subnet the instance is launched in. */
  public readonly subnetId: pulumi.Output<string>;
  /** What must exist before the instance boots: its route out, and the S3 endpoint. */
  public readonly ready: pulumi.Resource[] = [];

  constructor(name: string, args: GeneratorNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:generator:Network', name, {}, opts);
    const child = { parent: this };
    const placement = args.placement;
    if (placement.kind === 'default-vpc') {
      this.vpcId = pulumi.output(placement.vpcId);
      this.subnetId = pulumi.output(placement.subnetId);
    } else {
      const tags = { Name: args.vpcName };
      const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: DEDICATED_VPC_CIDR, enableDnsHostnames: true, enableDnsSupport: true, tags }, child);
      const gateway = new aws.ec2.InternetGateway(`${name}-internet-gateway`, { vpcId: vpc.id, tags }, child);
      const routes = new aws.ec2.RouteTable(
        `${name}-public-routes`,
        { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: gateway.id }], tags },
        child,
      );
      const subnets = placement.availabilityZones.map((zone, index) => {
        const subnet = new aws.ec2.Subnet(
          `${name}-public-${index + 1}`,
          // No automatic public address: the instance asks for one itself.
          { vpcId: vpc.id, cidrBlock: SUBNET_CIDRS[index], availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { Name: `${args.vpcName}-${zone}` } },
          child,
        );
        this.ready.push(new aws.ec2.RouteTableAssociation(`${name}-public-${index + 1}-routes`, { subnetId: subnet.id, routeTableId: routes.id }, child));
        return subnet;
      });
      this.ready.push(new aws.ec2.VpcEndpoint(
        `${name}-s3-endpoint`,
        { vpcId: vpc.id, serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: 'Gateway', routeTableIds: [routes.id], tags },
        child,
      ));
      this.vpcId = vpc.id;
      this.subnetId = subnets[0].id;
    }
    this.registerOutputs({ vpcId: this.vpcId, subnetId: this.subnetId });
  }
}
