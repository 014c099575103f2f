import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cloudFormationProperty, cloudFormationType, logicalId } from '../../components/plan/cloudformation';
import { planTemplate, type PlanTarget } from '../../components/plan/plan-file';
import { PROJECT_ROOT } from '../../config/stage-file';
import { planRun } from './stacks';

const run = promisify(execFile);
/** cfn-lint comes with the project's Python environment (python/requirements-dev.txt). */
const CFN_LINT = join(PROJECT_ROOT, '.venv', 'bin', 'cfn-lint');

interface LintMatch {
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path: readonly (string | number)[] };
}

/** cfn-lint's findings on `template`, as JSON (its exit code says only which levels were found). */
async function lint(template: object, region: string): Promise<LintMatch[]> {
  if (!existsSync(CFN_LINT)) {
    throw new Error(`${CFN_LINT} does not exist: the project's Python environment is not set up; run bash scripts/python-env.sh`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'cfn-lint-'));
  try {
    const file = join(dir, 'template.json');
    await writeFile(file, JSON.stringify(template, null, 2));
    const output = await run(CFN_LINT, ['--format', 'json', '--regions', region, '--', file], { maxBuffer: 64 * 1024 * 1024 }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string; code?: number; stderr?: string }) => {
        if (typeof error.stdout !== 'string' || error.stdout.trim() === '') throw new Error(`cfn-lint failed (exit ${String(error.code)}): ${error.stderr ?? ''}`);
        return error.stdout;
      },
    );
    return JSON.parse(output) as LintMatch[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('aws-native resources as CloudFormation', () => {
  it('maps aws-native types and property names onto CloudFormation\'s', () => {
    expect(cloudFormationType('aws-native:quicksight:DataSet')).to.equal('AWS::QuickSight::DataSet');
    expect(() => cloudFormationType('aws-native:lambda:Function')).to.throw(/add its service to SERVICE_NAMES/);
    expect(cloudFormationProperty('dataSetId')).to.equal('DataSetId');
    expect(cloudFormationProperty('kpiVisual')).to.equal('KPIVisual');
    expect(logicalId('dashboard-dataset-device_mix')).to.equal('DashboardDatasetDeviceMix');
  });

  const target: PlanTarget = { stage: 'prod', variant: 'quicksight' };
  describe(`prod with QuickSight enabled (the committed plan ${target.stage}-${target.variant})`, function () {
    // cfn-lint loads every resource schema of the region once: a few seconds.
    this.timeout(180_000);

    it('writes the datasets, the analysis and the dashboard', async () => {
      const template = planTemplate(await planRun(target), target);
      const types = Object.values(template.Resources).map((resource) => resource.Type);
      expect(new Set(types)).to.deep.equal(new Set(['AWS::QuickSight::DataSet', 'AWS::QuickSight::Analysis', 'AWS::QuickSight::Dashboard']));
    });

    it("passes cfn-lint, AWS's own resource schemas, with no error", async () => {
      const stack = await planRun(target);
      const matches = await lint(planTemplate(stack, target), 'eu-west-1');
      const errors = matches.filter((match) => match.Level === 'Error');
      expect(errors.map((match) => `${match.Rule.Id} ${match.Location.Path.join('.')}: ${match.Message}`)).to.deep.equal([]);
    });
  });
});
