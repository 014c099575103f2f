import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsContext } from '../aws-context';
import { arns } from '../iam/arns';
import { policyDocument } from '../iam/policy-document';
import type { LifecycleRule } from './lifecycle';

export interface SecureBucketArgs {
  /** The physical bucket name (from stageNames()). */
  readonly bucketName: string;
  readonly context: pulumi.Input<AwsContext>;
  /** SSE-KMS with this key (and S3 bucket keys); SSE-S3 (AES256) when absent. */
  readonly kmsKeyArn?: string;
  /** Lets `pulumi destroy` delete the bucket with its objects. */
  readonly forceDestroy: boolean;
  /**
   * Pulumi `protect` on the bucket itself (a destroy must unprotect it first) and `retainOnDelete`
   * (a delete, even unprotected, leaves the bucket and its data in the account).
   */
  readonly protect: boolean;
  readonly versioning: boolean;
  readonly lifecycleRules: LifecycleRule[];
}

/**
 * An S3 bucket that is private, encrypted and TLS-only by construction: default encryption, all four
 * public-access blocks, ACLs disabled (BucketOwnerEnforced), and a bucket policy denying any request
 * made without TLS. Callers choose only retention, versioning and how hard it is to destroy.
 */
export class SecureBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:storage:SecureBucket', name, {}, opts);
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: args.bucketName, forceDestroy: args.forceDestroy },
      { ...child, protect: args.protect, retainOnDelete: args.protect },
    );
    const bucket = this.bucket.id;

    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault:
              args.kmsKeyArn === undefined
                ? { sseAlgorithm: 'AES256' }
                : { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn },
            // Bucket keys cut KMS requests (and their cost) by orders of magnitude; harmless with AES256.
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );

    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );

    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);

    // The policy text is built from the bucket's name, not its outputs, so that it is known (and
    // checkable by the policy pack) at preview time.
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket,
        policy: pulumi.output(args.context).apply((context) =>
          JSON.stringify(
            policyDocument([
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [arns.bucket(context, args.bucketName), arns.allObjects(context, args.bucketName)],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ]),
          ),
        ),
      },
      { ...child, dependsOn: [publicAccessBlock] },
    );

    const versioning = args.versioning
      ? new aws.s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: 'Enabled' } }, child)
      : undefined;

    if (args.lifecycleRules.length > 0) {
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        { bucket, rules: args.lifecycleRules },
        // Noncurrent-version rules only make sense once versioning is on.
        { ...child, dependsOn: versioning ? [versioning, encryption] : [encryption] },
      );
    }

    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
