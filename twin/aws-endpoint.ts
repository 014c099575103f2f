/**
 * An AWS API served at a given address (the emulator on loopback), with the region and keys it takes:
 * what Trino's Glue metastore and S3 file system, and the Glue client, are pointed at.
 */
import { s3EndpointVariable } from '../store/lake';
import { MOTO_CREDENTIALS, MOTO_REGION, type RunningMoto } from './moto-server';

export interface AwsEndpoint {
  /** e.g. `http://127.0.0.1:5123` */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The moto server's APIs (it serves S3 and Glue on one port). */
export function motoEndpoint(moto: Pick<RunningMoto, 'endpoint'>): AwsEndpoint {
  return { endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
}

/**
 * The S3 API an S3 lake spec reaches through the environment (`S3_ENDPOINT` or `AWS_ENDPOINT_URL_S3`,
 * `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), for Trino's S3 file system. Trino here
 * reads emulated buckets only: a stage's buckets are Athena's to read (`--stage`).
 */
export function s3EndpointFromEnv(env: NodeJS.ProcessEnv = process.env): AwsEndpoint {
  const variable = s3EndpointVariable(env);
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (variable === undefined || !accessKeyId || !secretAccessKey) {
    throw new Error(
      'an S3 lake on Trino needs the S3 emulator it lives on: set S3_ENDPOINT (e.g. http://127.0.0.1:4566), AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY; to query a deployed stage, use --stage <stage> (Athena) instead',
    );
  }
  return {
    endpoint: (env[variable] as string).trim(),
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || MOTO_REGION,
    credentials: { accessKeyId, secretAccessKey },
  };
}
