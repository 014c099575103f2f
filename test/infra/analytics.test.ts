import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import type { MockRun } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { QUERIES_DIR, loadCatalogue } from '../../queries/catalogue';
import { TYPES } from '../../policy/rules';
import { STAGES, at, mockedNames, ofType, stageRun } from './stacks';

for (const stage of STAGES) {
  describe(`analytics (${stage})`, () => {
    const config = readStageFile(stage);
    const names = mockedNames(config);
    let run: MockRun;
    before(async () => {
      run = await stageRun(stage);
    });

    it('creates a workgroup whose settings clients cannot override', () => {
      const [workgroup] = ofType(run, TYPES.athenaWorkgroup);
      expect(workgroup.inputs.name).to.equal(names.workgroup);
      expect(at(workgroup.inputs, 'configuration', 'enforceWorkgroupConfiguration')).to.equal(true);
      expect(at(workgroup.inputs, 'configuration', 'publishCloudwatchMetricsEnabled')).to.equal(true);
    });

    it('writes query results encrypted to the athena-results bucket', () => {
      const result = at(ofType(run, TYPES.athenaWorkgroup)[0].inputs, 'configuration', 'resultConfiguration');
      expect(at(result, 'outputLocation')).to.match(new RegExp(`^s3://${names.bucket('athena-results')}/`));
      expect(at(result, 'encryptionConfiguration', 'encryptionOption')).to.equal('SSE_S3');
    });

    it(`stops any query scanning more than ${config.athena.bytesScannedCutoffMb} MB`, () => {
      const cutoff = at(ofType(run, TYPES.athenaWorkgroup)[0].inputs, 'configuration', 'bytesScannedCutoffPerQuery');
      expect(cutoff).to.equal(config.athena.bytesScannedCutoffMb * 1024 * 1024);
    });

    it('deploys one named query per file in queries/, named after the file, in the workgroup and database', () => {
      const files = readdirSync(QUERIES_DIR).filter((file) => file.endsWith('.sql'));
      const queries = ofType(run, 'aws:athena/namedQuery:NamedQuery');
      expect(queries).to.have.length(files.length);
      expect(queries.map((query) => `${String(query.inputs.name)}.sql`)).to.have.members(files);
      for (const query of queries) {
        expect(query.inputs.workgroup).to.equal(names.workgroup);
        expect(query.inputs.database).to.equal(names.database);
      }
    });

    it('deploys each query file whole, with its header description', () => {
      const queries = ofType(run, 'aws:athena/namedQuery:NamedQuery');
      for (const query of loadCatalogue()) {
        const deployed = queries.find((candidate) => candidate.inputs.name === query.name);
        expect(deployed?.inputs.query, query.name).to.equal(query.sql);
        expect(deployed?.inputs.description, query.name).to.equal(query.description);
      }
    });

    it('exports the named query ids by name', () => {
      expect(Object.keys(run.outputs.namedQueryIds as object)).to.have.members(loadCatalogue().map((query) => query.name));
    });
  });
}
