import { expect } from 'chai';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCATIONS_KEY } from '../../model/layout';
import { parseLocationsCsv, readBundledLocations } from '../../model/locations';
import { setUpLocalLake } from '../../scripts/local-setup';

describe('local lake setup', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-setup-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('uploads the bundled reference data where the ETL reads it', async () => {
    const { lake, locations } = await setUpLocalLake(join(root, 'lake'), { fresh: true });
    const uploaded = parseLocationsCsv((await lake.store('reference').get(LOCATIONS_KEY)).toString('utf8'), LOCATIONS_KEY);
    expect(uploaded).to.deep.equal(readBundledLocations());
    expect(locations).to.equal(uploaded.length);
  });

  it('empties the lake when asked for a fresh one, and keeps it otherwise', async () => {
    const lakeDir = join(root, 'lake');
    await mkdir(join(lakeDir, 'raw'), { recursive: true });
    await writeFile(join(lakeDir, 'raw', 'old.jsonl'), '{}\n');
    const kept = await setUpLocalLake(lakeDir, { fresh: false });
    expect(await kept.lake.store('raw').head('raw/old.jsonl')).to.not.equal(undefined);
    const fresh = await setUpLocalLake(lakeDir, { fresh: true });
    expect(await fresh.lake.store('raw').head('raw/old.jsonl')).to.equal(undefined);
  });
});
