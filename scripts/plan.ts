import '../cli/supported-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseFlags } from '../cli/flags';
import { knownStages } from '../config/stage-file';
import { planPath, renderPlan } from '../components/plan/plan-file';

/**
 * `npm run plan -- --stage dev|prod`: the stage's infrastructure as a reviewable inventory, without
 * cloud access or the Pulumi CLI (the program runs under mocks). Writes test/infra/plans/<stage>.md.
 */
function usage(stages: readonly string[]): string {
  return `Usage: npm run plan -- --stage <${stages.join('|')}>

Runs the stack's program under Pulumi's mocks (no cloud, no Pulumi CLI) and writes the stage's
resource inventory to test/infra/plans/<stage>.md, which a test compares with the program.

  --stage <stage>   the stage: a Pulumi.<stage>.yaml next to Pulumi.yaml (${stages.join(', ')})
  -h, --help        show this help`;
}

async function main(): Promise<void> {
  const stages = knownStages();
  const values = parseFlags(process.argv.slice(2), { stage: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help === true) {
    console.log(usage(stages));
    return;
  }
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
  console.error(`plan: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
