import type { AwsContext } from '../aws-context';
import { arns } from './arns';
import type { PolicyStatement } from './policy-document';

/**
 * Listing a bucket, only under the given prefixes. `StringLike` with `<prefix>*` also matches the
 * prefix itself, so one pattern per prefix covers both listing the folder and paging inside it.
 */
export function listBucketUnder(context: AwsContext, bucket: string, prefixes: readonly string[], sid: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: [arns.bucket(context, bucket)],
    Condition: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
  };
}
