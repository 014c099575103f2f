import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAKE_MARKER_KEY } from '../../store/lake-folder';
import { openLakeFor, type LakeUse } from '../../store/open-lake';
import { runCli } from '../cli/run-cli';
import { MOTO_CREDENTIALS, type RunningMoto } from '../../twin/moto-server';
import { freshBucket, sharedMoto } from '../twin';

const COMMAND = { command: 'npm run test' };

async function refusal(spec: string, use: LakeUse, env?: NodeJS.ProcessEnv): Promise<string> {
  const error = await openLakeFor(spec, use, { ...COMMAND, env }).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error, `openLakeFor("${spec}", ${use}) should refuse`).to.be.instanceOf(Error);
  return (error as Error).message;
}

/** A loopback port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('opening --store (store/open-lake.ts, the rule every CLI uses)', function () {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'open-lake-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe('folders', function () {
    it('reading a missing folder names it and how to make a lake, and creates nothing', async () => {
      const missing = join(root, 'nope');
      expect(await refusal(missing, 'existing')).to.equal(
        `--store ${missing}: there is no lake at ${missing} (no such folder); make one with "npm run local -- --store ${missing}" ` +
          `(or "npm run generate -- --store ${missing}", then "npm run etl -- --store ${missing}"), or give the folder of a lake`,
      );
      expect(existsSync(missing)).to.equal(false);
    });

    it('a file, or a path under a file, is no lake for any use', async () => {
      const file = join(root, 'README.md');
      await writeFile(file, '# readme\n');
      for (const use of ['existing', 'add', 'fresh'] as const) {
        expect(await refusal(file, use)).to.include(`${file} is a file (or lies under one), not a lake folder`);
        expect(await refusal(join(file, 'lake'), use)).to.include('is a file (or lies under one)');
      }
    });

    it('an empty folder is not a lake to read, but becomes one to write into (with the marker)', async () => {
      expect(await refusal(root, 'existing')).to.include(`${root} is an empty folder, not a lake yet`);
      const opened = await openLakeFor(root, 'add', COMMAND);
      expect(opened.setUp).to.equal('created');
      expect(await readdir(root)).to.include(LAKE_MARKER_KEY);
      expect((await openLakeFor(root, 'existing', COMMAND)).setUp).to.equal('opened');
    });

    it('a folder holding anything a lake does not is refused for reading and writing alike', async () => {
      await writeFile(join(root, 'notes.txt'), 'mine');
      for (const use of ['existing', 'add', 'fresh'] as const) {
        expect(await refusal(root, use)).to.include(`${root} is not a lake (it holds notes.txt, and no ${LAKE_MARKER_KEY})`);
      }
      expect(await readdir(root)).to.deep.equal(['notes.txt']);
    });

    it('a folder laid out as a lake without the marker can be read and added to, not emptied', async () => {
      await mkdir(join(root, 'raw'));
      await writeFile(join(root, 'raw', 'a.jsonl'), '{}\n');
      expect((await openLakeFor(root, 'existing', COMMAND)).setUp).to.equal('opened');
      expect((await openLakeFor(root, 'add', COMMAND)).setUp).to.equal('opened');
      expect(await refusal(root, 'fresh')).to.include('will not empty it');
      expect(await readdir(join(root, 'raw'))).to.deep.equal(['a.jsonl']);
    });
  });

  describe('S3', function () {
    let server: RunningMoto;
    let bucket: string;
    before(async function () {
      this.timeout(60_000);
      server = await sharedMoto();
      bucket = await freshBucket('open-lake');
    });
    const env = (endpoint: string): NodeJS.ProcessEnv => ({
      S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    });

    it('opens a bucket that is there', async () => {
      const { lake } = await openLakeFor(`s3://${bucket}`, 'existing', { ...COMMAND, env: env(server.endpoint) });
      expect(lake.description).to.equal(`s3://${bucket} at ${server.endpoint}`);
    });

    it('names a bucket that is not there', async () => {
      expect(await refusal('s3://no-such-bucket', 'existing', env(server.endpoint))).to.equal(
        `bucket "no-such-bucket" does not exist on the S3 server ${server.endpoint} (S3_ENDPOINT); check the bucket names in --store (a stage's: pulumi stack output), or create it`,
      );
    });

    it('names S3_ENDPOINT when nothing listens there', async () => {
      const endpoint = `http://127.0.0.1:${await deadPort()}`;
      expect(await refusal(`s3://${bucket}`, 'existing', env(endpoint))).to.equal(
        `cannot reach the S3 server ${endpoint} (S3_ENDPOINT) for bucket "${bucket}": ECONNREFUSED; start that server, or correct or unset S3_ENDPOINT`,
      );
    });
  });
});

describe('a wrong --store is an error naming the store and the fix, in every CLI', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'store-cli-'));
    await writeFile(join(root, 'README.md'), '# readme\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  const cases: [string, string, (dir: string) => string[], RegExp][] = [
    ['etl on a missing folder', 'etl/cli.ts', (dir) => ['--store', join(dir, 'missing')], /^etl: --store \S+missing: there is no lake at .*make one with "npm run local/],
    ['etl on a file', 'etl/cli.ts', (dir) => ['--store', join(dir, 'README.md')], /^etl: --store \S+README\.md: \S+ is a file \(or lies under one\), not a lake folder/],
    ['query on a missing folder', 'queries/cli.ts', (dir) => ['daily_activity', '--store', join(dir, 'missing')], /^query: --store \S+: there is no lake at/],
    ['query on a file', 'queries/cli.ts', (dir) => ['daily_activity', '--store', join(dir, 'README.md')], /^query: --store \S+: \S+ is a file/],
    ['dashboard on a file', 'dashboard/cli.ts', (dir) => ['--store', join(dir, 'README.md'), '--port', '0'], /^dashboard: --store \S+: \S+ is a file/],
    [
      'generate into a folder that is not a lake',
      'generator/cli.ts',
      (dir) => ['--store', dir, '--events', '10'],
      /^generate: --store \S+: \S+ is not a lake \(it holds README\.md, and no clickstream-bi-lake\.json\); npm run generate writes only lakes this project set up/,
    ],
  ];
  for (const [what, script, args, message] of cases) {
    it(`${what}: exit code 1 and the message, nothing created`, async () => {
      const run = await runCli(script, args(root));
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal('');
      expect(run.stderr.split('\n').filter((line) => /^(etl|query|dashboard|generate):/.test(line)).join('\n')).to.match(message);
      expect((await readdir(root)).sort()).to.deep.equal(['README.md']);
    });
  }

  it('dashboard --store s3://bucket with S3_ENDPOINT on a dead port names S3_ENDPOINT, not a folder "s3:"', async () => {
    const endpoint = `http://127.0.0.1:${await deadPort()}`;
    const run = await runCli('dashboard/cli.ts', ['--store', 's3://some-bucket', '--port', '0'], {
      cwd: root,
      env: { S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`dashboard: cannot reach the S3 server ${endpoint} (S3_ENDPOINT) for bucket "some-bucket": ECONNREFUSED`);
    expect(existsSync(join(root, 's3:'))).to.equal(false);
  });
});
