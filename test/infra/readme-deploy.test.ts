import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config/stage-file';

describe("README's deploy section", () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Deploy to AWS'), readme.indexOf('<!-- SECTION:config -->'));

  it('begins with what to settle before the first pulumi up', () => {
    const firstHeading = section.split('\n').slice(1).find((line) => line.startsWith('#'));
    expect(firstHeading).to.equal('### Before your first `pulumi up`');
  });

  it('covers the QuickSight subscription, Lake Formation mode, VPC, names and credentials, with the settings they name', () => {
    const before = section.slice(0, section.indexOf('### Deploy'));
    for (const topic of ['QuickSight subscription', 'Lake Formation mode', 'VPC', 'Names', 'Credentials']) expect(before).to.include(`**${topic}`);
    for (const key of ['quicksight.principalArn', 'lakeFormation.mode', 'generator.network', 'storage.kmsKeyArn', 'ci.githubRepository']) expect(before).to.include(key);
  });
});
