import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCATIONS_KEY } from '../../model/layout';
import { parseLocationsCsv, readBundledLocations } from '../../model/locations';
import { setUpLocalLake } from '../../scripts/local-setup';
import { LAKE_MARKER_KEY } from '../../store/lake-folder';

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

  it('sets a new folder up as a lake, with its marker', async () => {
    const lakeDir = join(root, 'lake');
    expect((await setUpLocalLake(lakeDir, { fresh: true })).setUp).to.equal('created');
    expect(await readdir(lakeDir)).to.include(LAKE_MARKER_KEY);
  });

  it('empties a lake it set up when asked for a fresh one, and keeps it otherwise', async () => {
    const lakeDir = join(root, 'lake');
    await setUpLocalLake(lakeDir, { fresh: true });
    await mkdir(join(lakeDir, 'raw'), { recursive: true });
    await writeFile(join(lakeDir, 'raw', 'old.jsonl'), '{}\n');
    const kept = await setUpLocalLake(lakeDir, { fresh: false });
    expect(kept.setUp).to.equal('opened');
    expect(await kept.lake.store('raw').head('raw/old.jsonl')).to.not.equal(undefined);
    const fresh = await setUpLocalLake(lakeDir, { fresh: true });
    expect(fresh.setUp).to.equal('emptied');
    expect(await fresh.lake.store('raw').head('raw/old.jsonl')).to.equal(undefined);
    expect(await readdir(lakeDir)).to.include(LAKE_MARKER_KEY);
  });

  it('refuses to empty a folder holding a file it did not write, and leaves the file', async () => {
    await writeFile(join(root, 'notes.txt'), 'mine');
    const error = await setUpLocalLake(root, { fresh: true }).catch((e: Error) => e);
    expect((error as Error).message).to.include(`--store ${root}: ${root} is not a lake (it holds notes.txt`).and.to.include('new or empty folder');
    expect(await readdir(root)).to.deep.equal(['notes.txt']);
  });

  it('refuses to empty a lake-shaped folder without the marker (it cannot tell who made it), but adds to it with --keep', async () => {
    await mkdir(join(root, 'raw'), { recursive: true });
    await writeFile(join(root, 'raw', 'mine.jsonl'), '{}\n');
    const error = await setUpLocalLake(root, { fresh: true }).catch((e: Error) => e);
    expect((error as Error).message).to.match(/holds a lake's folders \(raw\/\) but no clickstream-bi-lake\.json.*delete the folder yourself.*--keep/);
    const kept = await setUpLocalLake(root, { fresh: false });
    expect(await kept.lake.store('raw').head('raw/mine.jsonl')).to.not.equal(undefined);
  });

  it('refuses an S3 store for a fresh lake: it never empties buckets', async () => {
    const error = await setUpLocalLake('s3://some-bucket', { fresh: true }).catch((e: Error) => e);
    expect((error as Error).message).to.match(/--store s3:\/\/some-bucket: npm run local starts from an empty lake, and it never empties S3 buckets; give a folder/);
  });
});
