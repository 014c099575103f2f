import { accountNames, type AccountNames } from '../../config/naming';
import type { StageConfig } from '../../config/stage-config';
import { MOCK_ACCOUNT_ID, runStackUnderMocks, type MockOptions, type MockRun, type RecordedResource } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { planConfig, planName, type PlanTarget } from '../../components/plan/plan-file';

/** The committed stages; every infrastructure test runs against both. */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

// Mocks are process-wide: runs are chained so that two never overlap, and each stage runs once.
let queue: Promise<unknown> = Promise.resolve();
const cached = new Map<Stage, Promise<MockRun>>();

/** Runs `work` once every earlier run in this process is done, and before any later one starts. */
export function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

export function runConfig(config: StageConfig, mockOptions: MockOptions = {}): Promise<MockRun> {
  return exclusively(() => runStackUnderMocks(config, {}, mockOptions));
}

/** The stage's names in the mocked account, as the stack builds them. */
export function mockedNames(config: StageConfig): AccountNames {
  return accountNames(config, MOCK_ACCOUNT_ID);
}

/** The stack of `Pulumi.<stage>.yaml`, run under mocks (once per process). */
export function stageRun(stage: Stage): Promise<MockRun> {
  let run = cached.get(stage);
  if (!run) {
    run = runConfig(readStageFile(stage));
    cached.set(stage, run);
  }
  return run;
}

const planRuns = new Map<string, Promise<MockRun>>();

/** A committed plan's stack (a stage, or a variant of it), run under mocks once per process. */
export function planRun(target: PlanTarget): Promise<MockRun> {
  if (target.variant === undefined) return stageRun(target.stage as Stage);
  let run = planRuns.get(planName(target));
  if (!run) {
    run = runConfig(planConfig(target));
    planRuns.set(planName(target), run);
  }
  return run;
}

export const TEST_KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';
let kmsRun: Promise<MockRun> | undefined;

/** The dev stage with a customer-managed KMS key: what every encryption setting must then use. */
export function devWithKmsRun(): Promise<MockRun> {
  if (!kmsRun) {
    const dev = readStageFile('dev');
    kmsRun = runConfig({ ...dev, storage: { ...dev.storage, kmsKeyArn: TEST_KMS_KEY_ARN } });
  }
  return kmsRun;
}

export function ofType(run: MockRun, type: string): RecordedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

export function named(run: MockRun, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.name === name);
  if (!found) throw new Error(`no resource named "${name}"; the stack has ${run.resources.map((resource) => resource.name).join(', ')}`);
  return found;
}

/** A nested input by path, e.g. `at(bucket.inputs, 'rules', 0, 'applyServerSideEncryptionByDefault')`. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), value);
}
