import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { knownStages } from '../../config/stage-file';
import { COMMITTED_PLANS, planCommand, planPath, planText } from '../../components/plan/plan-file';
import { STAGES, planRun } from './stacks';

// UPDATE_PLANS=1 rewrites the committed plans instead of comparing (same as `npm run plan -- --stage <s>`).
const update = process.env.UPDATE_PLANS === '1';

describe('committed plans', () => {
  it('exist for every stage file', () => {
    expect(knownStages()).to.deep.equal([...STAGES]);
    expect(COMMITTED_PLANS.filter((plan) => plan.variant === undefined).map((plan) => plan.stage)).to.deep.equal([...STAGES]);
  });

  for (const plan of COMMITTED_PLANS) {
    const command = planCommand(plan);
    it(`match what ${command.replace('npm run plan -- ', '')} would deploy (refresh with: ${command})`, async () => {
      const path = planPath(plan);
      const rendered = planText(await planRun(plan), plan);
      if (update) writeFileSync(path, rendered);
      expect(existsSync(path), `${relative(process.cwd(), path)} is missing; run ${command}`).to.equal(true);
      const committed = readFileSync(path, 'utf8').split('\n');
      const lines = rendered.split('\n');
      const first = lines.findIndex((line, index) => line !== committed[index]);
      const where = first < 0 ? committed.length : first;
      expect(
        lines.length === committed.length && first < 0,
        `${relative(process.cwd(), path)} is out of date from line ${where + 1}:\n  committed: ${committed[where] ?? '(end of file)'}\n  now:       ${lines[where] ?? '(end of file)'}\n` +
          `run ${command} and commit it`,
      ).to.equal(true);
    });
  }
});
