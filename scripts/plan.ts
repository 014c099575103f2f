import '../cli/supported-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { knownStages } from '../config/stage-file';
import { planPath, renderPlan } from '../components/plan/plan-file';

/**
 * `npm run plan -- --stage dev|prod`: the stage's infrastructure as a reviewable inventory, without
 * cloud access or the Pulumi CLI (the program runs under mocks). Writes test/infra/plans/<stage>.md.
 */
async function main(): Promise<void> {
  const stages = knownStages();
  const { values } = parseArgs({ options: { stage: { type: 'string' } }, strict: true });
  const stage = values.stage;
  if (stage === undefined || !stages.includes(stage)) {
    throw new Error(
      `--stage ${stage === undefined ? 'is missing' : `"${stage}" has no Pulumi.${stage}.yaml`}; use one of ${stages.join(', ')}, e.g. npm run plan -- --stage ${stages[0]}`,
    );
  }
  const path = planPath(stage);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await renderPlan(stage));
  console.log(`wrote ${relative(process.cwd(), path)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
