import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpLocalLake } from '../../scripts/local-setup';
import { runCli } from '../cli/run-cli';

const LOCAL = 'scripts/local.ts';

describe('npm run local never empties what it did not create', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-cli-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('refuses a folder holding a file of the user, names the folder and the fix, and keeps the file', async () => {
    await writeFile(join(root, 'thesis.docx'), 'years of work');
    const run = await runCli(LOCAL, ['--store', root, '--no-serve', '--days', '1']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`local: --store ${root}: ${root} is not a lake (it holds thesis.docx`).and.to.include('new or empty folder');
    expect(run.stdout).to.not.include('emptied');
    expect(await readFile(join(root, 'thesis.docx'), 'utf8')).to.equal('years of work');
  });

  it('refuses a file given as --store and leaves it as it was', async () => {
    const readme = join(root, 'README.md');
    await writeFile(readme, '# mine\n');
    const run = await runCli(LOCAL, ['--store', readme, '--no-serve', '--days', '1']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`${readme} is a file`).and.to.include('give the folder of a lake');
    expect(await readFile(readme, 'utf8')).to.equal('# mine\n');
  });

  it('refuses the current folder when it is not a lake', async () => {
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'src', 'index.ts'), 'export {};\n');
    await writeFile(join(root, 'package.json'), '{}\n');
    const run = await runCli(LOCAL, ['--store', '.', '--no-serve', '--days', '1'], { cwd: root });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`--store .: ${root} is not a lake (it holds package.json, src/`);
    expect((await readdir(root)).sort()).to.deep.equal(['package.json', 'src']);
  });

  it('checks every flag before it touches the lake: --days 100000 fails and the lake keeps its data', async () => {
    const lakeDir = join(root, 'lake');
    await setUpLocalLake(lakeDir, { fresh: true });
    const before = (await readdir(lakeDir)).sort();
    const run = await runCli(LOCAL, ['--store', lakeDir, '--no-serve', '--days', '100000']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('--days "100000" is more than 366; give 1 to 366 days');
    expect((await readdir(lakeDir)).sort()).to.deep.equal(before);
  });

  it('refuses an s3:// store instead of making a folder named "s3:"', async () => {
    const run = await runCli(LOCAL, ['--store', 's3://x-bucket', '--no-serve', '--days', '1'], { cwd: root });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('--store s3://x-bucket: npm run local starts from an empty lake, and it never empties S3 buckets; give a folder');
    expect(existsSync(join(root, 's3:'))).to.equal(false);
  });
});
