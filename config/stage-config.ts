import { z } from 'zod';
import { AWS_REGION_PATTERN, RUN_MODES } from '../generator/ec2-settings';
import { minimumUsers } from '../generator/simulate';

/**
 * The stage configuration: everything `Pulumi.<stage>.yaml` may set, validated once, with safe
 * defaults. Options turn protections off, never on: a key left out gives the careful setting.
 */
export const PROJECT = 'clickstream-bi';

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
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/, {
        error: 'must be a KMS key or alias ARN such as arn:aws:kms:eu-west-1:123456789012:key/<id>',
      })
      .optional()
      .describe('A customer-managed KMS key for every bucket; SSE-S3 (AES256) when absent.'),
    processedToGlacierDays: days('moving processed raw files to Glacier', 3650).default(30)
      .describe('Days before consumed raw files under processed/ move to Glacier.'),
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
  .refine((storage) => storage.processedExpireDays > storage.processedToGlacierDays, {
    error: 'processedExpireDays must be greater than processedToGlacierDays (objects expire after they reach Glacier)',
    path: ['processedExpireDays'],
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
      .describe("`default-vpc`: the account's default VPC; `dedicated-vpc`: a small VPC made for the stage."),
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

const GLUE_WORKER_TYPES = ['G.1X', 'G.2X', 'G.4X', 'G.8X', 'G.025X'] as const;

const etlSchema = z
  .object({
    schedule: z
      .string()
      .regex(/^cron\(.+\)$/, { error: 'must be a Glue schedule such as "cron(15 * * * ? *)", or null to disable' })
      .nullable()
      .default('cron(15 * * * ? *)')
      .describe('When the pipeline runs: an EventBridge rule starts its state machine (which skips the Glue job when raw/ is empty), or null for runs started by hand.'),
    workerType: z.enum(GLUE_WORKER_TYPES, { error: `must be one of ${GLUE_WORKER_TYPES.join(', ')}` }).default('G.1X')
      .describe('Glue worker type.'),
    numberOfWorkers: z.number().int().min(2, { error: 'must be at least 2 (Glue\'s minimum)' }).max(299, { error: 'must be at most 299' }).default(2)
      .describe('Glue workers per run.'),
    timeoutMinutes: z.number().int().min(1, { error: 'must be at least 1' }).max(2880, { error: 'must be at most 2880 (48 hours)' }).default(60)
      .describe('Glue job timeout.'),
    maxRetries: z.number().int().min(0, { error: 'must be 0 or more' }).max(10, { error: 'must be at most 10' }).default(1)
      .describe('Glue retries after a failed run (safe: the commit protocol makes reruns exactly-once).'),
  })
  .strict();

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

export const STAGE_CONFIG_SCHEMA = z.object({
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
    .describe('Stem of every resource name: `<namePrefix>-<stage>-<role>`.'),
  storage: storageSchema.prefault({}),
  generator: generatorSchema.prefault({}),
  etl: etlSchema.prefault({}),
  athena: athenaSchema.prefault({}),
  orchestration: orchestrationSchema.prefault({}),
  quicksight: quicksightSchema.prefault({}),
});

export type StageConfig = z.infer<typeof STAGE_CONFIG_SCHEMA>;
export type StorageConfig = StageConfig['storage'];
export type GeneratorConfig = StageConfig['generator'];
export type EtlConfig = StageConfig['etl'];
export type AthenaConfig = StageConfig['athena'];
export type OrchestrationConfig = StageConfig['orchestration'];
export type QuickSightConfig = StageConfig['quicksight'];

/** The structured config keys a stage file may set under the project namespace. */
export const STAGE_CONFIG_KEYS = ['namePrefix', 'storage', 'generator', 'etl', 'athena', 'orchestration', 'quicksight'] as const;

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
