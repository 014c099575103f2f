/**
 * The EC2 instance metadata service, IMDSv2 only (the instance requires tokens): the instance id (the
 * generator's writer id and default seed), the region, and the role's temporary credentials.
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere, as for the AWS SDKs (tests use a local server).
 */

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When the credentials stop working; absent for long-lived keys. */
  readonly expiration?: Date;
}

const DEFAULT_ENDPOINT = 'http://169.254.169.254';
const TOKEN_TTL_SECONDS = 21_600;
const TIMEOUT_MS = 3_000;

export class InstanceMetadata {
  private token: { value: string; expiresMs: number } | undefined;
  readonly endpoint: string;

  constructor(endpoint = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? DEFAULT_ENDPOINT) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  private async sessionToken(): Promise<string> {
    if (this.token && this.token.expiresMs > Date.now() + 60_000) return this.token.value;
    const response = await fetch(`${this.endpoint}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': String(TOKEN_TTL_SECONDS) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`instance metadata ${this.endpoint}: token request answered ${response.status}; is this an EC2 instance with the metadata service enabled?`);
    this.token = { value: await response.text(), expiresMs: Date.now() + TOKEN_TTL_SECONDS * 1000 };
    return this.token.value;
  }

  /** The text at `/latest/meta-data/<path>`. */
  async get(path: string): Promise<string> {
    const response = await fetch(`${this.endpoint}/latest/meta-data/${path}`, {
      headers: { 'x-aws-ec2-metadata-token': await this.sessionToken() },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`instance metadata ${this.endpoint}: ${path} answered ${response.status}; does the instance have an instance profile (role)?`);
    return (await response.text()).trim();
  }

  instanceId(): Promise<string> {
    return this.get('instance-id');
  }

  region(): Promise<string> {
    return this.get('placement/region');
  }

  async roleCredentials(): Promise<AwsCredentials> {
    const role = (await this.get('iam/security-credentials/')).split('\n')[0];
    const document = JSON.parse(await this.get(`iam/security-credentials/${role}`)) as {
      AccessKeyId: string;
      SecretAccessKey: string;
      Token: string;
      Expiration: string;
    };
    return {
      accessKeyId: document.AccessKeyId,
      secretAccessKey: document.SecretAccessKey,
      sessionToken: document.Token,
      expiration: new Date(document.Expiration),
    };
  }
}

/**
 * Credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` when set, else the
 * instance role's, renewed five minutes before they expire.
 */
export function credentialProvider(metadata: InstanceMetadata, env: NodeJS.ProcessEnv = process.env): () => Promise<AwsCredentials> {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    const fixed: AwsCredentials = { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
    return async () => fixed;
  }
  let current: AwsCredentials | undefined;
  return async () => {
    if (current?.expiration === undefined || current.expiration.getTime() - Date.now() < 5 * 60_000) {
      current = await metadata.roleCredentials();
    }
    return current;
  };
}
