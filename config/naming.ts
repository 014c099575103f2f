import { databaseName } from '../model/tables';
import type { StageConfig } from './stage-config';

/**
 * Naming rules for a stage's resources. The query runner finds a deployed stage's workgroup and
 * database by these same rules, so they live here and nowhere else.
 *
 * Names have the scope AWS gives them: Glue, Athena, SSM, EC2 and QuickSight names are per account
 * and region, so `<prefix>-<stage>-<role>` is enough; IAM names are account-wide, so they add the
 * region; S3 bucket names are global, so they add the account and the region (as AWS's own
 * `aws-glue-assets-<account>-<region>` buckets do). The stack outputs carry the bucket names.
 */
export interface StageNames {
  /** `<prefix>-<stage>`: the stem of every resource name. */
  readonly stem: string;
  readonly database: string;
  readonly workgroup: string;
  /** A name unique in one account and region: `<stem>-<role>`. */
  resource(role: string): string;
}

export interface AccountNames extends StageNames {
  readonly accountId: string;
  /** A globally unique S3 bucket name: `<stem>-<role>-<account>-<region>`. */
  bucket(role: string): string;
  /** An account-wide IAM name (role, instance profile): `<stem>-<role>-<region>`. */
  iam(role: string): string;
}

type NamingConfig = Pick<StageConfig, 'namePrefix' | 'stage' | 'region'>;

export function stageNames(config: Pick<StageConfig, 'namePrefix' | 'stage'>): StageNames {
  const stem = `${config.namePrefix}-${config.stage}`;
  return {
    stem,
    database: databaseName(config.stage),
    workgroup: `${stem}-analytics`,
    resource: (role: string) => `${stem}-${role}`,
  };
}

/** The stage's names in one account: what the stack creates once it knows where it deploys. */
export function accountNames(config: NamingConfig, accountId: string): AccountNames {
  const names = stageNames(config);
  return {
    ...names,
    accountId,
    bucket: (role: string) => `${names.stem}-${role}-${accountId}-${config.region}`,
    iam: (role: string) => `${names.stem}-${role}-${config.region}`,
  };
}

/** AWS's length limits, and the longest role of each kind the stack names. */
export const NAME_LIMITS = {
  bucket: { max: 63, longestRole: 'athena-results' },
  iam: { max: 64, longestRole: 'quicksight-athena' },
} as const;

/** The longest bucket and IAM names a stage would create (an account id is always 12 digits). */
export function longestNames(config: NamingConfig): { bucket: string; iam: string } {
  const names = accountNames(config, '123456789012');
  return { bucket: names.bucket(NAME_LIMITS.bucket.longestRole), iam: names.iam(NAME_LIMITS.iam.longestRole) };
}
