import { expect } from 'chai';
import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MOCK_ACCOUNT_ID, installMocks, registrationsDone, valueOf } from '../../components/plan/mock-run';
import { PROJECT_ROOT } from '../../config/stage-file';
import { loadCatalogue } from '../../queries/catalogue';
import { exclusively } from './stacks';

type Program = () => Promise<Record<string, unknown>>;

describe('index.ts, the program `pulumi up` runs', () => {
  it('reads the stack config, builds the stage and exports what a user needs', async () => {
    const { program, registered } = await exclusively(async () => {
      const registered = await installMocks('dev');
      // As the CLI hands config over: every value a string, structured values as JSON.
      const stageFile = parseYaml(readFileSync(join(PROJECT_ROOT, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
      pulumi.runtime.setAllConfig(
        Object.fromEntries(Object.entries(stageFile.config).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])),
      );
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('../../index') as Program;
      const program = await main();
      await registrationsDone();
      return { program, registered };
    });
    const output = (key: string) => {
      const value = program[key];
      if (!pulumi.Output.isInstance(value)) return Promise.resolve(value);
      return valueOf(value as pulumi.Output<unknown>);
    };
    expect(await output('rawBucket')).to.equal(`clickstream-dev-raw-${MOCK_ACCOUNT_ID}-eu-west-1`);
    expect(await output('database')).to.equal('clickstream_dev');
    expect(await output('workgroup')).to.equal('clickstream-dev-analytics');
    expect(await output('queryHint')).to.equal(`npm run query -- --stage dev ${loadCatalogue()[0].name}`);
    expect(Object.keys((await output('namedQueryIds')) as object)).to.not.be.empty;
    expect(registered.some((resource) => resource.type === 'aws:s3/bucket:Bucket')).to.equal(true);
  });
});
