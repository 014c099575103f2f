/**
 * IAM policy documents as plain data: components build them with these types and serialise them
 * with JSON.stringify, so a test or a policy rule reads exactly what AWS receives.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The trust policy that lets one AWS service assume a role, and nothing else. With `sourceAccount`,
 * only on behalf of that account's resources (aws:SourceAccount), so that another account's use of
 * the service cannot borrow the role (the confused-deputy problem).
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): PolicyDocument {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } }),
    },
  ]);
}
