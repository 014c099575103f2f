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
 * What the generator instance may do besides being managed by SSM: write new raw files, and read
 * its own settings. It cannot read, list or delete anything in the lake.
 */
export function generatorInstancePolicy(args: InstanceAccessArgs): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: 'WriteRawEvents', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [arns.objects(args.context, args.rawBucket, PREFIXES.raw)] },
    {
      Sid: 'ReadGeneratorSettings',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: [arns.ssmParameter(args.context, args.settingsParameterName)],
    },
  ];
  if (args.kmsKeyArn !== undefined) {
    // SSE-KMS: S3 asks KMS for a data key on the writer's behalf (multipart uploads also decrypt it).
    statements.push({ Sid: 'EncryptRawEvents', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [args.kmsKeyArn] });
  }
  return policyDocument(statements);
}
