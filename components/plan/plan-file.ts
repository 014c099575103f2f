import { join } from 'node:path';
import type { StageConfig } from '../../config/stage-config';
import { PROJECT_ROOT, readStageFile } from '../../config/stage-file';
import { cloudFormationTemplate, type CloudFormationTemplate } from './cloudformation';
import { renderInventory } from './inventory';
import { MOCK_ACCOUNT_ID, runStackUnderMocks, type MockRun } from './mock-run';

/** Where each committed plan lives. */
export const PLANS_DIR = join(PROJECT_ROOT, 'test', 'infra', 'plans');

/**
 * Plan variants: a stage file with a few settings changed, for what no committed stage deploys yet
 * but reviewers must see (QuickSight needs a subscription, so both stages leave it off).
 */
export const PLAN_VARIANTS = {
  quicksight: {
    description: 'QuickSight enabled, owned by a group of the mocked account',
    apply: (config: StageConfig): StageConfig => ({
      ...config,
      quicksight: { enabled: true, principalArn: `arn:aws:quicksight:${config.region}:${MOCK_ACCOUNT_ID}:group/default/clickstream-analysts` },
    }),
  },
} as const;
export type PlanVariant = keyof typeof PLAN_VARIANTS;

export function isPlanVariant(name: string): name is PlanVariant {
  return Object.prototype.hasOwnProperty.call(PLAN_VARIANTS, name);
}

/** One committed plan: a stage, as its file says or as a variant changes it. */
export interface PlanTarget {
  readonly stage: string;
  readonly variant?: PlanVariant;
}

/** The plans kept in test/infra/plans/, each checked by a test against what the program would deploy. */
export const COMMITTED_PLANS: readonly PlanTarget[] = [{ stage: 'dev' }, { stage: 'prod' }, { stage: 'prod', variant: 'quicksight' }];

export function planName(target: PlanTarget): string {
  return target.variant === undefined ? target.stage : `${target.stage}-${target.variant}`;
}

export function planPath(target: PlanTarget): string {
  return join(PLANS_DIR, `${planName(target)}.md`);
}

export function planCommand(target: PlanTarget): string {
  return `npm run plan -- --stage ${target.stage}${target.variant === undefined ? '' : ` --variant ${target.variant}`}`;
}

/** The stage config the target runs with. */
export function planConfig(target: PlanTarget): StageConfig {
  const config = readStageFile(target.stage);
  return target.variant === undefined ? config : PLAN_VARIANTS[target.variant].apply(config);
}

/** A plan's text, exactly as the committed file should read. */
export function planText(run: MockRun, target: PlanTarget): string {
  return renderInventory(run, {
    stage: target.stage,
    command: planCommand(target),
    variant: target.variant === undefined ? undefined : PLAN_VARIANTS[target.variant].description,
  });
}

/** How every template's Description starts: how the command knows a file it may overwrite. */
export const TEMPLATE_MARK = 'aws-native resources of ';

/** The target's aws-native resources as a CloudFormation template (for cfn-lint). */
export function planTemplate(run: MockRun, target: PlanTarget): CloudFormationTemplate {
  return cloudFormationTemplate(run, `${TEMPLATE_MARK}${planName(target)}, written by ${planCommand(target)} --cloudformation`);
}

/** Runs a target under mocks. */
export function runPlan(target: PlanTarget): Promise<MockRun> {
  return runStackUnderMocks(planConfig(target));
}
