import * as aws from '@pulumi/aws';

/** Where the stack deploys: what every ARN a policy names, and every account-unique name, is built from. */
export interface AwsContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Asks the stage's provider for its partition and account (at preview too: look-ups run then); the
 * region is the provider's own.
 */
export async function lookupAwsContext(provider: aws.Provider, region: string): Promise<AwsContext> {
  const [partition, identity] = await Promise.all([aws.getPartition({}, { provider }), aws.getCallerIdentity({}, { provider })]);
  return { partition: partition.partition, accountId: identity.accountId, region };
}
