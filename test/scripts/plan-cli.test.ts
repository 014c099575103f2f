import { expect } from 'chai';
import { runCli } from '../cli/run-cli';

describe('npm run plan flags', function () {
  this.timeout(60_000);

  it('--help prints the usage and exits 0, writing nothing', async () => {
    const run = await runCli('scripts/plan.ts', ['--help']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/^Usage: npm run plan -- --stage <dev\|prod>\n/);
    expect(run.stdout).to.not.include('wrote');
  });

  it("an unknown flag gets the project's message and exit code 1", async () => {
    const run = await runCli('scripts/plan.ts', ['--stgae', 'dev']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('plan: unknown option --stgae; the options are --stage, --help; run with --help for the options');
  });
});
