import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
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

describe('npm run local: help, a taken port, and what a run prints', function () {
  this.timeout(180_000);
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-run-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('--help shows every flag it reads, in the usage line and explained', async () => {
    const run = await runCli(LOCAL, ['--help']);
    expect(run.code).to.equal(0);
    const [usage, explained] = run.stdout.split('\n\n');
    for (const flag of ['--store', '--days', '--seed', '--faults', '--keep', '--full-results', '--port', '--no-serve']) {
      expect(usage, flag).to.include(`[${flag}`);
      expect(run.stdout.slice(usage.length + explained.length), flag).to.match(new RegExp(`\\n  ${flag} `));
    }
    expect(run.stdout).to.include('serves the dashboard until Ctrl-C');
  });

  it('reports a taken dashboard port before it runs anything', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const lakeDir = join(root, 'never-made');
      const run = await runCli(LOCAL, ['--store', lakeDir, '--port', String(port), '--days', '1']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`local: port ${port} on 127.0.0.1 is already in use (another dashboard?); give another with --port <n>`);
      expect(run.stdout).to.equal('');
      expect(existsSync(lakeDir)).to.equal(false);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('empties the lake it set up, and prints a short run: one line a query, then how to serve the dashboard', async () => {
    const lakeDir = join(root, 'lake');
    await setUpLocalLake(lakeDir, { fresh: true });
    await mkdir(join(lakeDir, 'raw'), { recursive: true });
    await writeFile(join(lakeDir, 'raw', 'left-over.jsonl'), '{}\n');
    const run = await runCli(LOCAL, ['--store', lakeDir, '--no-serve', '--days', '1']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`emptied the lake file://${lakeDir}`);
    expect(existsSync(join(lakeDir, 'raw', 'left-over.jsonl'))).to.equal(false);
    const generated = /Generated ([\d,]+) events/.exec(run.stdout)?.[1];
    const loaded = /loaded: +([\d,]+)/.exec(run.stdout)?.[1];
    expect(run.stdout).to.match(new RegExp(`\\nactivity_summary +1 row: events ${loaded}, users `));
    expect(generated).to.match(/^\d{2},\d{3}$/);
    const queries = run.stdout.slice(run.stdout.indexOf('== 4.'), run.stdout.indexOf('== 5.'));
    expect(queries.trim().split('\n').length, queries).to.be.at.most(15);
    expect(run.stdout.trim().split('\n').length, run.stdout).to.be.at.most(60);
    expect(run.stdout).to.include(`serve it with: npm run dashboard -- --store ${lakeDir}`);
  });
});
