import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { PROJECT, type LakeFormationConfig } from '../../config/stage-config';

/** Lake Formation's name for "whatever IAM allows": default permissions granted to it mean IAM-only mode. */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/** The part of the account's Lake Formation settings that decides who may use a new database. */
export interface DataLakeDefaults {
  readonly createDatabaseDefaultPermissions: readonly { readonly principal: string; readonly permissions: readonly string[] }[];
}

/** Whether new databases are left to IAM (Lake Formation's "Use only IAM access control" default). */
export function isIamOnly(settings: DataLakeDefaults): boolean {
  return settings.createDatabaseDefaultPermissions.some(
    (grant) => grant.principal === IAM_ALLOWED_PRINCIPALS && grant.permissions.includes('ALL'),
  );
}

/**
 * Why the stage's Lake Formation mode cannot work in this account, or undefined. In an account
 * that manages new databases with Lake Formation, IAM policies alone neither create the tables nor
 * let anyone read them: the stage must say `mode: grants`.
 */
export function lakeFormationProblem(settings: DataLakeDefaults, config: LakeFormationConfig, region: string): string | undefined {
  if (config.mode === 'iam-only' && !isIamOnly(settings)) {
    return (
      `${PROJECT}:lakeFormation.mode = "iam-only", but Lake Formation in ${region} manages new databases with its own permissions ` +
      `(its default permissions for new databases do not give ALL to ${IAM_ALLOWED_PRINCIPALS}); set lakeFormation.mode to "grants", ` +
      'list who queries in lakeFormation.readers, and deploy as a Lake Formation administrator (README: "Before your first `pulumi up`")'
    );
  }
  return undefined;
}

/** Reads the account's Lake Formation defaults and stops the deployment, with the fix, where the mode cannot work. */
export async function checkLakeFormationMode(config: LakeFormationConfig, region: string, provider: aws.Provider): Promise<void> {
  const settings = await aws.lakeformation.getDataLakeSettings({}, { provider });
  const problem = lakeFormationProblem(
    {
      createDatabaseDefaultPermissions: (settings.createDatabaseDefaultPermissions ?? []).map((grant) => ({
        principal: grant.principal,
        permissions: grant.permissions ?? [],
      })),
    },
    config,
    region,
  );
  if (problem !== undefined) throw new Error(problem);
}

export interface LakeFormationGrantsArgs {
  readonly databaseName: pulumi.Input<string>;
  /** IAM principals that read the stage's tables through Athena, by a name for the resources. */
  readonly readers: Readonly<Record<string, pulumi.Input<string>>>;
}

/** What reading a table through Athena needs under Lake Formation. */
export const READER_TABLE_PERMISSIONS = ['SELECT', 'DESCRIBE'] as const;

/**
 * Lake Formation grants for the stage's readers (lakeFormation.mode grants): DESCRIBE on the
 * database and SELECT and DESCRIBE on every table in it, so that Athena (and QuickSight through it)
 * can read what IAM already lets them read on S3.
 */
export class LakeFormationGrants extends pulumi.ComponentResource {
  constructor(name: string, args: LakeFormationGrantsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:catalog:LakeFormationGrants', name, {}, opts);
    const child = { parent: this };
    for (const [reader, principal] of Object.entries(args.readers)) {
      new aws.lakeformation.Permissions(
        `${name}-${reader}-database`,
        { principal, permissions: ['DESCRIBE'], database: { name: args.databaseName } },
        child,
      );
      new aws.lakeformation.Permissions(
        `${name}-${reader}-tables`,
        { principal, permissions: [...READER_TABLE_PERMISSIONS], table: { databaseName: args.databaseName, wildcard: true } },
        child,
      );
    }
    this.registerOutputs({});
  }
}
