import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../cli/run-cli';

describe('npm run plan flags', function () {
  this.timeout(60_000);

  it('--help prints the usage and exits 0, writing nothing', async () => {
    const run = await runCli('scripts/plan.ts', ['--help']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/^Usage: npm run plan -- --stage <dev\|prod> \[--variant <quicksight>\] \[--cloudformation <file>\]\n/);
    expect(run.stdout).to.not.include('wrote');
  });

  it("an unknown flag gets the project's message and exit code 1", async () => {
    const run = await runCli('scripts/plan.ts', ['--stgae', 'dev']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('plan: unknown option --stgae; the options are --stage, --variant, --cloudformation, --help; run with --help for the options');
  });

  it('refuses a variant that does not exist, naming those that do', async () => {
    const run = await runCli('scripts/plan.ts', ['--stage', 'prod', '--variant', 'athena']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('plan: --variant "athena" is not a plan variant; use one of quicksight, or leave it out');
  });

  it('writes the CloudFormation template only over one it wrote itself', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'plan-cli-'));
    try {
      const mine = path.join(dir, 'notes.json');
      await writeFile(mine, '{"mine": true}');
      const refused = await runCli('scripts/plan.ts', ['--stage', 'dev', '--cloudformation', mine]);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.include('the file exists and is not a template npm run plan wrote');
      expect(await readFile(mine, 'utf8')).to.equal('{"mine": true}');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
