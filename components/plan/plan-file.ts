import { join } from 'node:path';
import { runStackUnderMocks, type MockRun } from './mock-run';
import { renderInventory } from './inventory';
import { PROJECT_ROOT, readStageFile } from '../../config/stage-file';

/** Where each stage's committed plan lives. */
export const PLANS_DIR = join(PROJECT_ROOT, 'test', 'infra', 'plans');

export function planPath(stage: string): string {
  return join(PLANS_DIR, `${stage}.md`);
}

/** A stage's plan text, exactly as the committed file should read. */
export function planText(run: MockRun, stage: string): string {
  return renderInventory(run, { stage, command: `npm run plan -- --stage ${stage}` });
}

/** Runs a stage under mocks and renders its plan. */
export async function renderPlan(stage: string): Promise<string> {
  return planText(await runStackUnderMocks(readStageFile(stage)), stage);
}
