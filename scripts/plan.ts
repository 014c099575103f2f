import '../cli/supported-node';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseFlags } from '../cli/flags';
import { knownStages } from '../config/stage-file';
import { PLAN_VARIANTS, TEMPLATE_MARK, isPlanVariant, planPath, planTemplate, planText, runPlan, type PlanTarget } from '../components/plan/plan-file';

/**
 * `npm run plan -- --stage dev|prod [--variant quicksight] [--cloudformation <file>]`: the stage's
 * infrastructure as a reviewable inventory, without cloud access or the Pulumi CLI (the program runs
 * under mocks). Writes test/infra/plans/<stage>[-<variant>].md; with --cloudformation, also the
 * stage's aws-native resources as a CloudFormation template (JSON), for cfn-lint.
 */
function usage(stages: readonly string[]): string {
  return `Usage: npm run plan -- --stage <${stages.join('|')}> [--variant <${Object.keys(PLAN_VARIANTS).join('|')}>] [--cloudformation <file>]

Runs the stack's program under Pulumi's mocks (no cloud, no Pulumi CLI) and writes the stage's
resource inventory to test/infra/plans/<stage>[-<variant>].md, which a test compares with the program.

  --stage <stage>            the stage: a Pulumi.<stage>.yaml next to Pulumi.yaml (${stages.join(', ')})
  --variant <variant>        the stage with settings changed: ${Object.entries(PLAN_VARIANTS).map(([name, variant]) => `${name} (${variant.description})`).join('; ')}
  --cloudformation <file>    also write the stage's aws-native resources as a CloudFormation template (for cfn-lint)
  -h, --help                 show this help`;
}

function target(stages: readonly string[], stage: string | undefined, variant: string | undefined): PlanTarget {
  if (stage === undefined || !stages.includes(stage)) {
    throw new Error(
      `--stage ${stage === undefined ? 'is missing' : `"${stage}" has no Pulumi.${stage}.yaml`}; use one of ${stages.join(', ')}, e.g. npm run plan -- --stage ${stages[0]}`,
    );
  }
  if (variant !== undefined && !isPlanVariant(variant)) {
    throw new Error(`--variant "${variant}" is not a plan variant; use one of ${Object.keys(PLAN_VARIANTS).join(', ')}, or leave it out`);
  }
  return { stage, variant };
}

/** Overwrites only a template this command wrote before: any other file is the user's. */
function checkTemplatePath(path: string): void {
  if (!existsSync(path)) return;
  let written = false;
  try {
    written = String((JSON.parse(readFileSync(path, 'utf8')) as { Description?: unknown }).Description ?? '').startsWith(TEMPLATE_MARK);
  } catch {
    written = false;
  }
  if (!written) throw new Error(`--cloudformation ${path}: the file exists and is not a template npm run plan wrote; give a new path or remove it yourself`);
}

async function main(): Promise<void> {
  const stages = knownStages();
  const values = parseFlags(process.argv.slice(2), {
    stage: { type: 'string' },
    variant: { type: 'string' },
    cloudformation: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    console.log(usage(stages));
    return;
  }
  const plan = target(stages, values.stage, values.variant);
  const templatePath = values.cloudformation === undefined ? undefined : resolve(values.cloudformation);
  if (templatePath !== undefined) checkTemplatePath(templatePath);
  const run = await runPlan(plan);
  const path = planPath(plan);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, planText(run, plan));
  console.log(`wrote ${relative(process.cwd(), path)}`);
  if (templatePath !== undefined) {
    const template = planTemplate(run, plan);
    mkdirSync(dirname(templatePath), { recursive: true });
    writeFileSync(templatePath, `${JSON.stringify(template, null, 2)}\n`);
    console.log(`wrote ${relative(process.cwd(), templatePath)} (${Object.keys(template.Resources).length} aws-native resources)`);
  }
}

main().catch((error: unknown) => {
  console.error(`plan: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
