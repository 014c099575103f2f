import { PREFIXES } from '../../model/layout';
import type { AwsContext } from '../aws-context';
import { arns } from '../iam/arns';
import { policyDocument, type PolicyDocument, type PolicyStatement } from '../iam/policy-document';

export interface InstanceAccessArgs {
  readonly context: AwsContext;
  readonly rawBucket: string;
  readonly settingsParameterName: string;
  readonly kmsKeyArn?: string;
}

/**
 * The ssmmessages channel actions have no resource-level permissions in IAM: Resource "*" is their
 * only form.
 */
export const SESSION_CHANNEL_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

/**
 * What the generator instance may do: write new raw files, read its own settings, and what SSM
 * Session Manager needs to reach it (AWS's documented minimum, instead of AmazonSSMManagedInstanceCore,
 * which can read every parameter of the account). It cannot read, list or delete anything in the lake.
 */
export function generatorInstancePolicy(args: InstanceAccessArgs): PolicyDocument {
  const { context } = args;
  const statements: PolicyStatement[] = [
    { Sid: 'WriteRawEvents', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [arns.objects(args.context, args.rawBucket, PREFIXES.raw)] },
    {
      Sid: 'ReadGeneratorSettings',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: [arns.ssmParameter(args.context, args.settingsParameterName)],
    },
    {
      Sid: 'RegisterWithSessionManager',
      Effect: 'Allow',
      Action: ['ssm:UpdateInstanceInformation'],
      Resource: [`arn:${context.partition}:ec2:${context.region}:${context.accountId}:instance/*`],
    },
    { Sid: 'SessionManagerChannels', Effect: 'Allow', Action: [...SESSION_CHANNEL_ACTIONS], Resource: ['*'] },
  ];
  if (args.kmsKeyArn !== undefined) {
    // SSE-KMS: S3 asks KMS for a data key on the writer's behalf (multipart uploads also decrypt it).
    statements.push({ Sid: 'EncryptRawEvents', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [args.kmsKeyArn] });
  }
  return policyDocument(statements);
}
