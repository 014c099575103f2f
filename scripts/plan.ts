import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { knownStages } from '../config/stage-file';
import { PLAN_VARIANTS, TEMPLATE_MARK, isPlanVariant, planPath, planTemplate, planText, runPlan, type PlanTarget } from '../components/plan/plan-file';

/**
 * `npm run plan -- --stage dev|prod [--variant quicksight] [--cloudformation <file>]`: the stage's
 * infrastructure as a reviewable inventory, without cloud access or the Pulumi CLI (the program runs
 * under mocks). Writes test/infra/plans/<stage>[-<variant>].md; with --cloudformation, also the
 * stage's aws-native resources as a CloudFormation template (JSON), for cfn-lint.
 */
function target(stage: string | undefined, variant: string | undefined): PlanTarget {
  const stages = knownStages();
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
  const { values } = parseArgs({ options: { stage: { type: 'string' }, variant: { type: 'string' }, cloudformation: { type: 'string' } }, strict: true });
  const plan = target(values.stage, values.variant);
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
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
