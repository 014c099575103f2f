import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runStackUnderMocks, type MockRun } from './mock-run';
import { renderInventory } from './inventory';
import { PROJECT_ROOT, readStageFile } from './stage-file';

/** Where each stage's committed plan lives. */
export const PLANS_DIR = join(PROJECT_ROOT, 'test', 'infra', 'plans');

export function planPath(stage: string): string {
  return join(PLANS_DIR, `${stage}.md`);
}

/** The stages that have a `Pulumi.<stage>.yaml`. */
export function knownStages(root: string = PROJECT_ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.([a-z][a-z0-9-]*)\.yaml$/.exec(file)?.[1])
    .filter((stage): stage is string => stage !== undefined)
    .sort();
}

/** A stage's plan text, exactly as the committed file should read. */
export function planText(run: MockRun, stage: string): string {
  return renderInventory(run, { stage, command: `npm run plan -- --stage ${stage}` });
}

/** Runs a stage under mocks and renders its plan. */
export async function renderPlan(stage: string): Promise<string> {
  return planText(await runStackUnderMocks(readStageFile(stage)), stage);
}
