import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GITHUB_OIDC_HOST, PREVIEW_LOOKUP_ACTIONS } from '../../components/ci/preview-role';
import { MOCK_ACCOUNT_ID } from '../../components/plan/mock-run';
import { PROJECT_ROOT, readStageFile } from '../../config/stage-file';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES, reviewStack } from '../../policy/rules';
import { STAGES, at, mockedNames, named, ofType, runConfig, stageRun } from './stacks';

const REPOSITORY = 'acme/clickstream-bi';

interface Workflow {
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
}

function workflow(): Workflow {
  return parseYaml(readFileSync(join(PROJECT_ROOT, '.github', 'workflows', 'infra.yml'), 'utf8')) as Workflow;
}

describe('pull-request preview role', () => {
  const dev = readStageFile('dev');
  const config = { ...dev, ci: { githubRepository: REPOSITORY } };

  it('is created only where the stage names its repository', async () => {
    for (const stage of STAGES) {
      const run = await stageRun(stage);
      expect(run.resources.filter((resource) => resource.name.startsWith('preview')), stage).to.be.empty;
    }
  });

  it("trusts this repository's pull requests only, through GitHub's OIDC provider, and exports its ARN", async () => {
    const run = await runConfig(config);
    const role = named(run, 'preview-role');
    expect(role.inputs.name).to.equal(mockedNames(config).iam('github-preview'));
    const [statement] = parsePolicyDocument(role.inputs.assumeRolePolicy);
    expect(statement.actions).to.deep.equal(['sts:AssumeRoleWithWebIdentity']);
    const [provider] = ofType(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider');
    expect(provider.inputs.url).to.equal(`https://${GITHUB_OIDC_HOST}`);
    expect(statement.principals).to.deep.equal([`arn:aws:mock:::OpenIdConnectProvider/${provider.name}`]);
    // StringEquals, not StringLike: no branch, environment or other repository matches.
    expect(statement.conditions).to.deep.equal({
      StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: ['sts.amazonaws.com'], [`${GITHUB_OIDC_HOST}:sub`]: [`repo:${REPOSITORY}:pull_request`] },
    });
    expect(run.outputs.previewRoleArn).to.equal(`arn:aws:mock:::Role/${role.inputs.name}`);
  });

  it("may make only the program's look-ups, not read the account (no ReadOnlyAccess)", async () => {
    const run = await runConfig(config);
    const statements = parsePolicyDocument(named(run, 'preview-lookups').inputs.policy);
    expect(statements.flatMap((statement) => statement.actions)).to.have.members([...PREVIEW_LOOKUP_ACTIONS, 'ssm:GetParameter']);
    expect(statements.find((statement) => statement.actions.includes('ssm:GetParameter'))?.resources).to.deep.equal([
      `arn:aws:ssm:${dev.region}::parameter/aws/service/ami-amazon-linux-latest/*`,
    ]);
    expect(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')).to.be.empty;
    const violations = reviewStack(run.resources.map((recorded) => ({ type: recorded.type, name: recorded.name, props: recorded.inputs })));
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
  });

  it("uses the account's existing GitHub OIDC provider when given one", async () => {
    const existing = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC_HOST}`;
    const run = await runConfig({ ...dev, ci: { githubRepository: REPOSITORY, oidcProviderArn: existing } });
    expect(ofType(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')).to.be.empty;
    expect(parsePolicyDocument(named(run, 'preview-role').inputs.assumeRolePolicy)[0].principals).to.deep.equal([existing]);
    // The ETL job's, the generator's, the pipeline's and the preview's: no role for the provider.
    expect(ofType(run, TYPES.role)).to.have.length(4);
  });
});

describe('pull-request workflow (.github/workflows/infra.yml)', () => {
  const { env, permissions, jobs } = workflow();

  it('skips the preview for pull requests from forks, and says so', () => {
    expect(jobs.preview.if).to.equal('github.event.pull_request.head.repo.full_name == github.repository');
    expect(jobs['fork-notice'].if).to.equal('github.event.pull_request.head.repo.full_name != github.repository');
    expect(jobs['fork-notice'].steps[0].run).to.match(/::notice .*forks get no cloud credentials/);
  });

  it('asks for an OIDC token only in the preview job', () => {
    expect(permissions).to.deep.equal({ contents: 'read' });
    expect(jobs.preview.permissions).to.include({ 'id-token': 'write' });
  });

  it("pins the Pulumi CLI to an exact version, no older than the program's @pulumi/pulumi", () => {
    const pinned = String(env?.PULUMI_VERSION);
    expect(pinned).to.match(/^\d+\.\d+\.\d+$/);
    const action = jobs.preview.steps.find((step) => step.uses?.startsWith('pulumi/actions@'));
    expect(at(action, 'with', 'pulumi-version')).to.equal('${{ env.PULUMI_VERSION }}');
    expect(at(action, 'with', 'refresh')).to.equal(false);
    const sdk = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@pulumi/pulumi'];
    const parts = (version: string) => version.replace(/^[^\d]*/, '').split('.').map(Number);
    const [cli, program] = [parts(pinned), parts(sdk)];
    const compare = cli[0] - program[0] || cli[1] - program[1] || cli[2] - program[2];
    expect(compare, `CLI ${pinned} vs @pulumi/pulumi ${sdk}`).to.be.at.least(0);
  });
});
