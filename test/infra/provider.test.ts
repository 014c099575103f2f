import { expect } from 'chai';
import { PROJECT } from '../../config/stage-config';
import type { MockRun } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { TYPES } from '../../policy/rules';
import { STAGES, ofType, stageRun } from './stacks';

for (const stage of STAGES) {
  describe(`provider (${stage})`, () => {
    const config = readStageFile(stage);
    let run: MockRun;
    before(async () => {
      run = await stageRun(stage);
    });

    it("deploys to the stage's region and tags every resource with project and stage", () => {
      const providers = ofType(run, TYPES.awsProvider);
      expect(providers).to.have.length(1);
      expect(providers[0].inputs.region).to.equal(config.region);
      // Provider inputs reach the engine JSON-encoded.
      expect(JSON.parse(String(providers[0].inputs.defaultTags))).to.deep.equal({ tags: { project: PROJECT, stage } });
    });

    it('creates every AWS resource with that provider, none with an implicit default one', () => {
      const provider = new RegExp(`^urn:pulumi:${stage}::${PROJECT}::pulumi:providers:aws::aws::`);
      const awsResources = run.resources.filter((resource) => resource.type.startsWith('aws:'));
      expect(awsResources).to.not.be.empty;
      for (const resource of awsResources) expect(resource.provider, `${resource.type} ${resource.name}`).to.match(provider);
    });

    it('types every component of ours as clickstream:<module>:<Name>', () => {
      const ours = run.resources.filter((resource) => resource.component);
      expect(ours).to.not.be.empty;
      for (const component of ours) expect(component.type).to.match(/^clickstream:[a-z]+:[A-Z][A-Za-z]+$/);
    });
  });
}
