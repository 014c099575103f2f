import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** Where the stack deploys: what every ARN a policy names is built from. */
export interface AwsContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** Asks the stage's provider for its partition and account; the region is the provider's own. */
export function lookupAwsContext(provider: aws.Provider, region: string): pulumi.Output<AwsContext> {
  const partition = aws.getPartitionOutput({}, { provider });
  const identity = aws.getCallerIdentityOutput({}, { provider });
  return pulumi.all([partition.partition, identity.accountId]).apply(([partitionName, accountId]) => ({
    partition: partitionName,
    accountId,
    region,
  }));
}
