import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AccountNames } from '../../config/naming';
import type { AwsContext } from '../aws-context';
import { policyDocument, type PolicyDocument } from '../iam/policy-document';

/** GitHub Actions' OIDC issuer, as IAM names its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * The role's trust: GitHub's OIDC tokens for this repository's pull-request workflows only (the
 * `sub` claim GitHub gives a `pull_request` run), for STS. Pushes, other branches' workflows and
 * other repositories get nothing. Pull requests from forks never reach it: GitHub gives them no
 * OIDC token for this repository's secrets and variables, and the workflow skips them.
 */
export function previewTrustPolicy(oidcProviderArn: string, repository: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'PullRequestsOfThisRepository',
      Effect: 'Allow',
      Principal: { Federated: oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${repository}:pull_request`,
        },
      },
    },
  ]);
}

/**
 * What `pulumi preview` (without --refresh) asks AWS: the stack's state comes from Pulumi Cloud, so
 * only the program's look-ups run (account, zones, default VPC, instance architecture, the Amazon
 * Linux image parameter, Lake Formation's defaults). The Describe and Get actions below have no
 * resource-level permissions; the image parameter is AWS's public one.
 */
export const PREVIEW_LOOKUP_ACTIONS = [
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'lakeformation:GetDataLakeSettings',
] as const;

export function previewPolicy(context: AwsContext): PolicyDocument {
  return policyDocument([
    { Sid: 'ProgramLookups', Effect: 'Allow', Action: [...PREVIEW_LOOKUP_ACTIONS], Resource: ['*'] },
    {
      Sid: 'AmazonLinuxImageParameter',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: [`arn:${context.partition}:ssm:${context.region}::parameter/aws/service/ami-amazon-linux-latest/*`],
    },
  ]);
}

export interface PreviewRoleArgs {
  readonly names: AccountNames;
  readonly context: AwsContext;
  /** `owner/name` of the GitHub repository whose pull requests preview the stage. */
  readonly repository: string;
  /** The account's GitHub OIDC provider; created when absent (an account has at most one). */
  readonly oidcProviderArn?: string;
}

/** The role `.github/workflows/infra.yml` assumes to preview the stage on a pull request. */
export class PreviewRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: PreviewRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:ci:PreviewRole', name, {}, opts);
    const child = { parent: this };
    const providerArn =
      args.oidcProviderArn !== undefined
        ? pulumi.output(args.oidcProviderArn)
        : new aws.iam.OpenIdConnectProvider(`${name}-github-oidc`, { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: ['sts.amazonaws.com'] }, child).arn;
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.names.iam('github-preview'),
        description: `pulumi preview of ${args.names.stem} from pull requests of ${args.repository}`,
        assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(previewTrustPolicy(arn, args.repository))),
        maxSessionDuration: 3600,
      },
      child,
    );
    new aws.iam.RolePolicy(`${name}-lookups`, { role: role.name, name: 'preview-lookups', policy: JSON.stringify(previewPolicy(args.context)) }, child);
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
