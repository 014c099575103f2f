import * as pulumi from '@pulumi/pulumi';
import type { AccountNames } from '../../config/naming';
import type { StorageConfig } from '../../config/stage-config';
import type { AwsContext } from '../aws-context';
import { LAKE_BUCKET_ROLES, lifecycleRules, type LakeBucketRole } from './lifecycle';
import { SecureBucket } from './secure-bucket';

export interface LakeArgs {
  readonly names: AccountNames;
  readonly storage: StorageConfig;
  readonly context: pulumi.Input<AwsContext>;
}

/** Physical bucket names of a stage, by role: known before deployment, so policies can name them. */
export function lakeBucketNames(names: AccountNames): Readonly<Record<LakeBucketRole, string>> {
  return {
    raw: names.bucket('raw'),
    processed: names.bucket('processed'),
    results: names.bucket('results'),
    'athena-results': names.bucket('athena-results'),
  };
}

/**
 * The stage's storage: raw (landing, versioned), processed (consumed raw files, archived), results
 * (tables, rejects, reference data, ETL state) and athena-results (query scratch). All four are
 * SecureBuckets; retention, forceDestroy and protect come from the stage config.
 */
export class Lake extends pulumi.ComponentResource {
  public readonly buckets: Readonly<Record<LakeBucketRole, SecureBucket>>;
  /** Physical names by role, as plain strings (they are fixed by the naming rules). */
  public readonly bucketNames: Readonly<Record<LakeBucketRole, string>>;

  constructor(name: string, args: LakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:storage:Lake', name, {}, opts);
    this.bucketNames = lakeBucketNames(args.names);
    const bucket = (role: LakeBucketRole) =>
      new SecureBucket(
        `${name}-${role}`,
        {
          bucketName: this.bucketNames[role],
          context: args.context,
          kmsKeyArn: args.storage.kmsKeyArn,
          forceDestroy: args.storage.forceDestroy,
          protect: args.storage.protect,
          // Raw is the only copy of what producers sent until the ETL has read it.
          versioning: role === 'raw',
          lifecycleRules: lifecycleRules(role, args.storage),
        },
        { parent: this },
      );
    this.buckets = { raw: bucket('raw'), processed: bucket('processed'), results: bucket('results'), 'athena-results': bucket('athena-results') };
    this.registerOutputs(
      Object.fromEntries(LAKE_BUCKET_ROLES.map((role) => [`${role}BucketName`, this.buckets[role].bucketName])),
    );
  }
}
