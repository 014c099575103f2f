import { z } from 'zod';
import { AWS_REGION_PATTERN, RUN_MODES } from '../generator/ec2-settings';
import { minimumUsers } from '../generator/simulate';
import { shortestGapMinutes } from './glue-schedule';
import { NAME_LIMITS, longestNames } from './naming';

/**
 * The stage configuration: everything `Pulumi.<stage>.yaml` may set, validated once, with safe
 * defaults. Options turn protections off, never on: a key left out gives the careful setting.
 */
export const PROJECT = 'clickstream-bi';

/** S3 Glacier Flexible Retrieval bills every object for at least this many days. */
export const GLACIER_MINIMUM_DAYS = 90;

const days = (what: string, max: number) =>
  z
    .number({ error: `must be a whole number of days for ${what}` })
    .int({ error: `must be a whole number of days for ${what}` })
    .min(1, { error: `must be at least 1 day for ${what}` })
    .max(max, { error: `must be at most ${max} days for ${what}` });

const storageSchema = z
  .object({
    forceDestroy: z.boolean({ error: 'must be true or false' }).default(false)
      .describe('Lets `pulumi destroy` delete non-empty buckets: for throwaway stages only.'),
    protect: z.boolean({ error: 'must be true or false' }).default(true)
      .describe('Pulumi `protect` on the buckets: a destroy must unprotect them first.'),
    kmsKeyArn: z
      .string()
      .refine((arn) => !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\//.test(arn), {
        // IAM matches kms:* statements against the key's ARN, never an alias: an alias would grant nothing.
        error:
          'is an alias ARN; IAM statements on an alias grant nothing, so give the key ARN ' +
          '(aws kms describe-key --key-id alias/<name> --query KeyMetadata.Arn)',
        abort: true,
      })
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/, {
        error: 'must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<id>',
      })
      .optional()
      .describe('A customer-managed KMS key (key ARN, not an alias) for every bucket; SSE-S3 (AES256) when absent.'),
    kmsKeyGrantsLogs: z.boolean({ error: 'must be true or false' }).default(false)
      .describe("Set once the key's policy lets the CloudWatch Logs service use it: Glue's logs are then encrypted with it too."),
    processedToGlacierDays: days('moving processed raw files to Glacier', 3650).nullable().default(30)
      .describe('Days before consumed raw files under processed/ move to Glacier; null keeps them in S3 Standard until they expire.'),
    processedExpireDays: days('deleting processed raw files', 36500).default(365)
      .describe('Days before consumed raw files are deleted.'),
    athenaResultsExpireDays: days('deleting Athena query results', 3650).default(30)
      .describe('Days before Athena query results are deleted.'),
    rawNoncurrentExpireDays: days('deleting overwritten raw object versions', 3650).default(30)
      .describe('Days before overwritten or deleted raw object versions are removed.'),
    abortIncompleteUploadDays: days('aborting incomplete multipart uploads', 365).default(7)
      .describe('Days before incomplete multipart uploads are aborted, in every bucket.'),
  })
  .strict()
  .superRefine((storage, context) => {
    const glacier = storage.processedToGlacierDays;
    if (glacier !== null && storage.processedExpireDays <= glacier) {
      context.addIssue({
        code: 'custom',
        path: ['processedExpireDays'],
        message: 'processedExpireDays must be greater than processedToGlacierDays (objects expire after they reach Glacier)',
      });
    } else if (glacier !== null && storage.processedExpireDays - glacier < GLACIER_MINIMUM_DAYS) {
      context.addIssue({
        code: 'custom',
        path: ['processedExpireDays'],
        message:
          `objects would be deleted ${storage.processedExpireDays - glacier} days after moving to Glacier, which bills every object for at least ` +
          `${GLACIER_MINIMUM_DAYS} days plus a transition request: the archive step costs more than it saves; keep processedExpireDays at least ` +
          `processedToGlacierDays + ${GLACIER_MINIMUM_DAYS} (${glacier + GLACIER_MINIMUM_DAYS}), or set processedToGlacierDays: null`,
      });
    }
    if (storage.kmsKeyGrantsLogs && storage.kmsKeyArn === undefined) {
      context.addIssue({ code: 'custom', path: ['kmsKeyGrantsLogs'], message: 'kmsKeyGrantsLogs needs kmsKeyArn (the key whose policy grants CloudWatch Logs)' });
    }
  });

const generatorSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }).default(true)
      .describe('Deploy the EC2 instance that generates traffic into raw/.'),
    instanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'must be an EC2 instance type such as t3.micro' })
      .default('t3.micro')
      .describe('EC2 instance type of the generator.'),
    runMode: z.enum(RUN_MODES, { error: 'must be "once" or "continuous"' }).default('once')
      .describe('`once`: generate totalEvents, then shut down and terminate; `continuous`: keep generating.'),
    eventsPerSecond: z.number().int().min(1, { error: 'must be at least 1' }).max(100_000, { error: 'must be at most 100000' }).default(20)
      .describe('Generation rate in events per second of wall time.'),
    totalEvents: z.number().int().min(1, { error: 'must be at least 1' }).max(1_000_000_000, { error: 'must be at most 1000000000' }).default(100_000)
      .describe('Stop after this many events (runMode once).'),
    users: z.number().int().min(1, { error: 'must be at least 1' }).max(10_000_000, { error: 'must be at most 10000000' }).default(50_000)
      .describe('Simulated user population; at least what eventsPerSecond needs under the 30-minute session rule.'),
    seed: z.string().min(1, { error: 'must be a non-empty string' }).optional()
      .describe('Random seed: the same seed gives the same events. Absent: the instance id, so every instance writes its own events.'),
    eventsPerFile: z.number().int().min(1, { error: 'must be at least 1' }).max(1_000_000, { error: 'must be at most 1000000' }).default(10_000)
      .describe('Events per raw JSON-lines object.'),
    network: z
      .enum(['default-vpc', 'dedicated-vpc'], { error: 'must be "default-vpc" or "dedicated-vpc"' })
      .default('dedicated-vpc')
      .describe("`dedicated-vpc`: a small VPC made for the stage (works in every account); `default-vpc`: the account's default VPC, where it has one."),
    amiId: z
      .string()
      .regex(/^ami-[0-9a-f]{8,17}$/, { error: 'must be an AMI id such as ami-0123456789abcdef0' })
      .optional()
      .describe('Pins the instance image. Absent: the latest Amazon Linux 2023 when the instance is created, kept until it is replaced.'),
  })
  .strict()
  .superRefine((generator, context) => {
    const needed = minimumUsers(generator.eventsPerSecond * 3600);
    if (generator.users < needed) {
      context.addIssue({
        code: 'custom',
        path: ['users'],
        message: `${generator.eventsPerSecond} events/s needs at least ${needed} users (a user starts at most one visit an hour under the 30-minute session rule); raise users or lower eventsPerSecond`,
      });
    }
  });

/** Worker types of Glue Spark batch jobs (G.025X is for streaming jobs only). */
const GLUE_WORKER_TYPES = ['G.1X', 'G.2X', 'G.4X', 'G.8X'] as const;

const etlSchema = z
  .object({
    schedule: z
      .string()
      .regex(/^cron\(.+\)$/, { error: 'must be a Glue schedule such as "cron(15 * * * ? *)", or null to disable' })
      .nullable()
      .default('cron(15 * * * ? *)')
      .describe('When the pipeline runs: an EventBridge rule starts its state machine (which skips the Glue job when raw/ is empty), or null for runs started by hand.'),
    workerType: z
      .enum(GLUE_WORKER_TYPES, { error: `must be one of ${GLUE_WORKER_TYPES.join(', ')} (G.025X is for Glue streaming jobs only)` })
      .default('G.1X')
      .describe('Glue worker type.'),
    numberOfWorkers: z.number().int().min(2, { error: 'must be at least 2 (Glue\'s minimum)' }).max(299, { error: 'must be at most 299' }).default(2)
      .describe('Glue workers per run.'),
    timeoutMinutes: z.number().int().min(1, { error: 'must be at least 1' }).max(2880, { error: 'must be at most 2880 (48 hours)' }).default(45)
      .describe('Glue job timeout.'),
    maxRetries: z.number().int().min(0, { error: 'must be 0 or more' }).max(10, { error: 'must be at most 10' }).default(0)
      .describe('Glue retries after a failed run (safe: the commit protocol makes reruns exactly-once); on a schedule, the next run is a retry too.'),
  })
  .strict()
  .superRefine((etl, context) => {
    if (etl.schedule === null) return;
    const gap = shortestGapMinutes(etl.schedule);
    const longest = (etl.maxRetries + 1) * etl.timeoutMinutes;
    // The job allows one run at a time: a start while a run (or its retry) is going fails.
    if (gap !== undefined && longest >= gap) {
      context.addIssue({
        code: 'custom',
        path: ['timeoutMinutes'],
        message:
          `a run and its ${etl.maxRetries} retries may take ${longest} minutes (timeoutMinutes × (maxRetries + 1)), but the schedule ` +
          `${etl.schedule} starts the job every ${gap} minutes and an overlapping start fails; lower timeoutMinutes or maxRetries ` +
          `so that their product stays under ${gap}, or schedule less often`,
      });
    }
  });

const NOTIFICATION_PROTOCOLS = ['email', 'email-json', 'https', 'sqs', 'lambda', 'sms'] as const;

const orchestrationSchema = z
  .object({
    notifications: z
      .array(
        z
          .object({
            protocol: z.enum(NOTIFICATION_PROTOCOLS, { error: `must be one of ${NOTIFICATION_PROTOCOLS.join(', ')}` }),
            endpoint: z.string({ error: 'must be an address, URL or ARN' }).min(1, { error: 'must not be empty' }),
          })
          .strict(),
        { error: 'must be a list of {protocol, endpoint}' },
      )
      .default([])
      .describe('Who is told when a pipeline run fails or the data goes stale: SNS subscriptions (`{protocol: email, endpoint: ops@example.com}`); email subscribers confirm once.'),
    maxDataAgeDays: z.number().int().min(0, { error: 'must be 0 or more' }).max(365, { error: 'must be at most 365' }).default(1)
      .describe('Days the newest event_date may lag behind today (UTC) before a run fails as stale and the stale-data alarm fires.'),
  })
  .strict();

const athenaSchema = z
  .object({
    /** Athena's own minimum is 10 MB. */
    bytesScannedCutoffMb: z
      .number()
      .int()
      .min(10, { error: 'must be at least 10 (Athena\'s minimum cutoff)' })
      .max(10_000_000, { error: 'must be at most 10000000' })
      .default(1024)
      .describe('Athena cancels a query that scans more than this many MB.'),
  })
  .strict();

const quicksightSchema = z
  .object({
    enabled: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .describe('Deploy the QuickSight data source, datasets, analysis and dashboard (needs a subscription).'),
    principalArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/.+$/, {
        error: 'must be a QuickSight user or group ARN such as arn:aws:quicksight:us-east-1:123456789012:user/default/alice',
      })
      .optional()
      .describe('QuickSight user or group that owns the analysis and dashboard.'),
  })
  .strict()
  .refine((quicksight) => !quicksight.enabled || quicksight.principalArn !== undefined, {
    error: 'principalArn is required when quicksight.enabled is true (QuickSight needs an owner for the analysis)',
    path: ['principalArn'],
  });

const lakeFormationSchema = z
  .object({
    mode: z
      .enum(['iam-only', 'grants'], { error: 'must be "iam-only" or "grants"' })
      .default('iam-only')
      .describe(
        "`iam-only`: the account's Lake Formation settings leave new databases to IAM (checked at preview); `grants`: the stage grants Lake Formation permissions on its database.",
      ),
    readers: z
      .array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, { error: 'must be an IAM role or user ARN' }))
      .default([])
      .describe('mode grants: IAM roles or users that query the stage through Athena (QuickSight\'s role is granted by itself).'),
  })
  .strict();

const ciSchema = z
  .object({
    githubRepository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'must be a GitHub repository as owner/name' })
      .optional()
      .describe("Creates the role the pull-request preview assumes, trusted by this repository's pull requests only."),
    oidcProviderArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
        error: 'must be the ARN of the account\'s GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)',
      })
      .optional()
      .describe("The account's existing GitHub OIDC provider; absent: the stage creates it (one per account)."),
  })
  .strict()
  .refine((ci) => ci.oidcProviderArn === undefined || ci.githubRepository !== undefined, {
    error: 'oidcProviderArn is used only with githubRepository; set githubRepository or remove it',
    path: ['oidcProviderArn'],
  });

export const STAGE_CONFIG_SCHEMA = z
  .object({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,15}$/, { error: 'must be lower-case letters, digits and dashes, starting with a letter, at most 16 characters' })
      .describe('The stage: the Pulumi stack name (`dev`, `prod`, ...).'),
    region: z
      .string()
      .regex(AWS_REGION_PATTERN, { error: 'must be an AWS region such as eu-west-1' })
      .describe('AWS region of the stage.'),
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,20}$/, { error: 'must be 2 to 21 lower-case letters, digits and dashes, starting with a letter' })
      .default('clickstream')
      .describe('Stem of every resource name: `<namePrefix>-<stage>-<role>` (buckets add the account and region, IAM names the region).'),
    storage: storageSchema.prefault({}),
    generator: generatorSchema.prefault({}),
    etl: etlSchema.prefault({}),
    athena: athenaSchema.prefault({}),
    orchestration: orchestrationSchema.prefault({}),
    quicksight: quicksightSchema.prefault({}),
    lakeFormation: lakeFormationSchema.prefault({}),
    ci: ciSchema.prefault({}),
  })
  .superRefine((config, context) => {
    const longest = longestNames(config);
    for (const kind of ['bucket', 'iam'] as const) {
      const limit = NAME_LIMITS[kind].max;
      if (longest[kind].length > limit) {
        context.addIssue({
          code: 'custom',
          path: ['namePrefix'],
          message: `gives ${kind === 'bucket' ? 'S3 bucket' : 'IAM'} names such as ${longest[kind]} (${longest[kind].length} characters, over AWS's ${limit}); shorten namePrefix or the stage name`,
        });
      }
    }
  });

export type StageConfig = z.infer<typeof STAGE_CONFIG_SCHEMA>;
export type StorageConfig = StageConfig['storage'];
export type GeneratorConfig = StageConfig['generator'];
export type EtlConfig = StageConfig['etl'];
export type AthenaConfig = StageConfig['athena'];
export type OrchestrationConfig = StageConfig['orchestration'];
export type QuickSightConfig = StageConfig['quicksight'];
export type LakeFormationConfig = StageConfig['lakeFormation'];
export type CiConfig = StageConfig['ci'];

/** The structured config keys a stage file may set under the project namespace. */
export const STAGE_CONFIG_KEYS = ['namePrefix', 'storage', 'generator', 'etl', 'athena', 'orchestration', 'quicksight', 'lakeFormation', 'ci'] as const;

export class StageConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stage configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'StageConfigError';
  }
}

function configKey(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  if (head === 'region') return 'aws:region';
  if (head === 'stage') return 'stage (the Pulumi stack name)';
  return `${PROJECT}:${[head, ...rest].join('.')}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, part) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[part] : undefined),
    input,
  );
}

function show(value: unknown): string {
  return value === undefined ? '(not set)' : JSON.stringify(value);
}

/**
 * Validates raw stage settings (as read from Pulumi config or a test) and fills in defaults. Throws
 * StageConfigError listing every problem, each naming the key, the value and what is allowed.
 */
export function parseStageConfig(raw: Record<string, unknown>): StageConfig {
  const result = STAGE_CONFIG_SCHEMA.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${configKey(issue.path)}: unknown key(s) ${issue.keys.join(', ')}; remove them or check their spelling`;
    }
    return `${configKey(issue.path)} = ${show(valueAt(raw, issue.path))}: ${issue.message}`;
  });
  throw new StageConfigError(problems);
}
