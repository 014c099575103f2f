/**
 * The EC2 generator's settings: a JSON document in SSM Parameter Store (or an environment variable),
 * read at boot. Key names follow the stage config's `generator` section, so the infrastructure can
 * pass that section plus the bucket. Checked by hand rather than with zod: this module is bundled
 * into the user-data, where every kilobyte counts.
 */
import { FAULT_KINDS, checkFaultRates, isFaultKind, type FaultRates } from './faults';

/** An AWS region name such as eu-west-1. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const RUN_MODES = ['once', 'continuous'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface Ec2Settings {
  /** The raw bucket; keys go under raw/ in it. */
  readonly bucket: string;
  /** The bucket's region; default the instance's (from instance metadata). */
  readonly region?: string;
  /** `once`: generate totalEvents, then the instance shuts down; `continuous`: until stopped. */
  readonly runMode: RunMode;
  /** Events per second of wall time. */
  readonly eventsPerSecond: number;
  /** runMode once: stop after this many events. */
  readonly totalEvents?: number;
  readonly users?: number;
  /** Default: the instance id, so that two instances never write the same events. */
  readonly seed?: string;
  readonly eventsPerFile?: number;
  /** Default true. */
  readonly gzip?: boolean;
  readonly flushSeconds?: number;
  readonly faults?: FaultRates;
  /** `AES256` or `aws:kms`, sent as x-amz-server-side-encryption when the bucket policy requires it. */
  readonly serverSideEncryption?: 'AES256' | 'aws:kms';
  readonly kmsKeyId?: string;
}

/** Keys of the stage config's generator section that only the infrastructure uses: accepted, ignored. */
const INFRASTRUCTURE_KEYS = ['enabled', 'instanceType', 'network'];
const KEYS = [
  'bucket', 'region', 'runMode', 'eventsPerSecond', 'totalEvents', 'users', 'seed', 'eventsPerFile', 'gzip',
  'flushSeconds', 'faults', 'serverSideEncryption', 'kmsKeyId',
];

/** Parses and checks settings; every error names `source`, the key, the value and what is allowed. */
export function parseEc2Settings(text: string, source: string): Ec2Settings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message}); give a JSON object such as {"bucket":"my-raw-bucket","runMode":"once","eventsPerSecond":50,"totalEvents":100000}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: settings must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const input = value as Record<string, unknown>;
  const fail = (key: string, allowed: string): never => {
    throw new Error(`${source}: ${key} is ${input[key] === undefined ? 'missing' : JSON.stringify(input[key])}; ${allowed}`);
  };
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key) && !INFRASTRUCTURE_KEYS.includes(key)) {
      throw new Error(`${source}: unknown setting "${key}"; known settings are ${KEYS.join(', ')}`);
    }
  }
  const text_ = (key: string, pattern: RegExp, allowed: string, required: boolean): string | undefined => {
    const raw = input[key];
    if (raw === undefined && !required) return undefined;
    return typeof raw === 'string' && pattern.test(raw) ? raw : fail(key, allowed);
  };
  const number = (key: string, min: number, whole: boolean): number | undefined => {
    const raw = input[key];
    if (raw === undefined) return undefined;
    const ok = typeof raw === 'number' && Number.isFinite(raw) && raw >= min && (!whole || Number.isSafeInteger(raw));
    return ok ? raw : fail(key, `give a ${whole ? 'whole number' : 'number'} >= ${min}`);
  };

  const bucket = text_('bucket', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'give the raw bucket\'s name (3-63 lower-case letters, digits, dots, dashes)', true) as string;
  const runMode = input.runMode ?? 'once';
  if (!RUN_MODES.includes(runMode as RunMode)) fail('runMode', `use one of ${RUN_MODES.join(', ')}`);
  const eventsPerSecond = number('eventsPerSecond', Number.MIN_VALUE, false);
  if (eventsPerSecond === undefined) fail('eventsPerSecond', 'give the events per second of wall time, e.g. 50');
  const totalEvents = number('totalEvents', 1, true);
  if (runMode === 'once' && totalEvents === undefined) fail('totalEvents', 'runMode once needs totalEvents, the events to generate before shutting down');
  if (input.gzip !== undefined && typeof input.gzip !== 'boolean') fail('gzip', 'use true or false');
  const faults = input.faults;
  if (faults !== undefined) {
    if (typeof faults !== 'object' || faults === null || Array.isArray(faults)) fail('faults', `give an object of fractions by kind (${FAULT_KINDS.join(', ')})`);
    for (const kind of Object.keys(faults as object)) {
      if (!isFaultKind(kind)) fail('faults', `"${kind}" is not a fault kind; use ${FAULT_KINDS.join(', ')}`);
    }
    checkFaultRates(faults as FaultRates);
  }
  const encryption = input.serverSideEncryption;
  if (encryption !== undefined && encryption !== 'AES256' && encryption !== 'aws:kms') fail('serverSideEncryption', 'use "AES256" or "aws:kms"');
  const seed = input.seed;
  if (seed !== undefined && (typeof seed !== 'string' || seed === '')) fail('seed', 'give a non-empty string');

  return {
    bucket,
    region: text_('region', AWS_REGION_PATTERN, 'give an AWS region such as eu-west-1', false),
    runMode: runMode as RunMode,
    eventsPerSecond: eventsPerSecond as number,
    totalEvents: runMode === 'once' ? totalEvents : undefined,
    users: number('users', 1, true),
    seed: seed as string | undefined,
    eventsPerFile: number('eventsPerFile', 1, true),
    gzip: input.gzip as boolean | undefined,
    flushSeconds: number('flushSeconds', 1, false),
    faults: faults as FaultRates | undefined,
    serverSideEncryption: encryption as Ec2Settings['serverSideEncryption'],
    kmsKeyId: text_('kmsKeyId', /^\S{1,2048}$/, 'give a KMS key id or ARN', false),
  };
}
