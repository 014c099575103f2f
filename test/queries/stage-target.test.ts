import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stageTarget } from '../../queries/stage-target';

describe('stage target (where a deployed stage\'s queries run)', () => {
  it('derives the workgroup and database by the stack\'s naming rules, and the region, from Pulumi.<stage>.yaml', () => {
    expect(stageTarget('dev')).to.deep.equal({ workgroup: 'clickstream-dev-analytics', database: 'clickstream_dev', region: 'eu-west-1' });
    expect(stageTarget('prod')).to.deep.equal({ workgroup: 'clickstream-prod-analytics', database: 'clickstream_prod', region: 'eu-west-1' });
  });

  it('follows a stage\'s own name prefix and region', () => {
    const root = mkdtempSync(join(tmpdir(), 'stage-target-'));
    try {
      writeFileSync(join(root, 'Pulumi.pr-7.yaml'), 'config:\n  aws:region: us-east-2\n  clickstream-bi:namePrefix: shop\n');
      expect(stageTarget('pr-7', root)).to.deep.equal({ workgroup: 'shop-pr-7-analytics', database: 'clickstream_pr_7', region: 'us-east-2' });
      writeFileSync(join(root, 'Pulumi.bad.yaml'), 'config:\n  aws:region: mars-1\n');
      expect(() => stageTarget('bad', root)).to.throw(/aws:region = "mars-1": must be an AWS region/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names a missing stage and lists the known ones', () => {
    expect(() => stageTarget('staging')).to.throw(/no stage "staging": .*Pulumi\.staging\.yaml does not exist; known stages: dev, prod/);
  });
});
