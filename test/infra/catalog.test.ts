import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { MockRun } from '../../components/plan/mock-run';
import { readStageFile } from '../../config/stage-file';
import { LOCATIONS_KEY } from '../../model/layout';
import { BUNDLED_LOCATIONS_PATH } from '../../model/locations';
import { TABLES } from '../../model/tables';
import { STAGES, at, mockedNames, ofType, stageRun } from './stacks';

for (const stage of STAGES) {
  describe(`catalog (${stage})`, () => {
    const names = mockedNames(readStageFile(stage));
    let run: MockRun;
    before(async () => {
      run = await stageRun(stage);
    });

    it("creates the stage's Glue database", () => {
      expect(ofType(run, 'aws:glue/catalogDatabase:CatalogDatabase').map((database) => database.inputs.name)).to.deep.equal([names.database]);
    });

    it('creates one Glue table per model table, in that database, with the model columns', () => {
      const tables = ofType(run, 'aws:glue/catalogTable:CatalogTable');
      expect(tables.map((table) => table.inputs.name)).to.have.members(TABLES.map((table) => table.name));
      for (const model of TABLES) {
        const table = tables.find((candidate) => candidate.inputs.name === model.name);
        expect(table?.inputs.databaseName).to.equal(names.database);
        const columns = at(table?.inputs, 'storageDescriptor', 'columns') as Array<{ name: string; type: string }>;
        expect(columns.map((column) => `${column.name}:${column.type}`)).to.deep.equal(model.columns.map((column) => `${column.name}:${column.type}`));
      }
    });

    it("points each table at its area's bucket and prefix", () => {
      const location = (name: string) => at(ofType(run, 'aws:glue/catalogTable:CatalogTable').find((table) => table.inputs.name === name)?.inputs, 'storageDescriptor', 'location');
      expect(location('raw_events')).to.equal(`s3://${names.bucket('raw')}/raw/`);
      expect(location('events')).to.equal(`s3://${names.bucket('results')}/results/events/`);
      expect(location('rejected_events')).to.equal(`s3://${names.bucket('results')}/rejected/rejected_events/`);
      expect(location('locations')).to.equal(`s3://${names.bucket('results')}/reference/locations/`);
    });

    it('uploads the bundled reference CSV where the locations table reads it', () => {
      const uploads = ofType(run, 'aws:s3/bucketObjectv2:BucketObjectv2').filter((object) => object.inputs.key === LOCATIONS_KEY);
      expect(uploads).to.have.length(1);
      expect(uploads[0].inputs.bucket).to.equal(names.bucket('results'));
      expect(uploads[0].inputs.content).to.equal(readFileSync(BUNDLED_LOCATIONS_PATH, 'utf8'));
    });
  });
}
