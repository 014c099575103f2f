import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readBundledLocations } from '../../model/locations';
import { validateLine } from '../../model/validate';
import type { Ec2Settings } from '../../generator/ec2-settings';
import { BUNDLE_DELIMITER, SETTINGS_READ_ATTEMPTS, USER_DATA_LIMIT_BYTES, buildUserData, renderUserDataScript, type UserData } from '../../generator/userdata';
import type { RunningMoto } from '../../twin/moto-server';
import { freshBucket, sharedMoto } from '../twin';

const run = promisify(execFile);
const known = new Set(readBundledLocations().map((location) => String(location.id)));

/** What cloud-init does with userDataBase64: base64, then gunzip. */
function decodeUserData(userData: UserData): string {
  return gunzipSync(Buffer.from(userData.userDataBase64, 'base64')).toString('utf8');
}

/** The generator bundle as the instance unpacks it: the heredoc's base64, then brotli. */
function extractBundle(script: string): string {
  const start = script.indexOf(`<<'${BUNDLE_DELIMITER}'\n`);
  const body = script.slice(script.indexOf('\n', start) + 1, script.indexOf(`\n${BUNDLE_DELIMITER}\n`));
  return brotliDecompressSync(Buffer.from(body, 'base64')).toString('utf8');
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')).sort();
}

/** Every line of every raw file, checked against the model: none may be rejected. */
function checkLines(texts: readonly string[]): number {
  let count = 0;
  for (const text of texts) {
    for (const line of text.split('\n').filter((each) => each !== '')) {
      const result = validateLine(line, { isKnownLocation: (id) => known.has(id), window: { earliest: 0, latest: Date.now() / 1000 + 86_400 } });
      expect(result.ok, line).to.equal(true);
      count++;
    }
  }
  return count;
}

/** An instance metadata service that, like IMDSv2, answers only requests carrying its session token. */
async function fakeInstanceMetadata(): Promise<{ server: Server; endpoint: string; requests: string[] }> {
  const requests: string[] = [];
  const answers: Record<string, string> = {
    '/latest/meta-data/instance-id': 'i-0123456789abcdef0',
    '/latest/meta-data/placement/region': 'us-east-1',
    '/latest/meta-data/iam/security-credentials/': 'generator-role',
    '/latest/meta-data/iam/security-credentials/generator-role': JSON.stringify({
      AccessKeyId: 'instance-role-key',
      SecretAccessKey: 'instance-role-secret',
      Token: 'session-token',
      Expiration: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  };
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.method === 'PUT' && request.url === '/latest/api/token' && request.headers['x-aws-ec2-metadata-token-ttl-seconds']) {
      response.end('imds-token');
    } else if (request.headers['x-aws-ec2-metadata-token'] !== 'imds-token') {
      response.writeHead(401).end();
    } else if (request.url !== undefined && request.url in answers) {
      response.end(answers[request.url]);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** The test process's environment without AWS settings that would leak into the child. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_') || name.startsWith('GENERATOR_') || name === 'S3_ENDPOINT') delete env[name];
  return { ...env, ...extra };
}

const ONCE: Ec2Settings = { bucket: 'raw-bucket', runMode: 'once', eventsPerSecond: 2000, totalEvents: 1500, eventsPerFile: 500, gzip: false, seed: 'ec2-test' };

describe('EC2 user-data', function () {
  let userData: UserData;
  let dir: string;
  let bundleFile: string;
  before(async function () {
    userData = await buildUserData({ region: 'us-east-1', settingsParameterName: '/clickstream/test/generator' });
    dir = await mkdtemp(path.join(tmpdir(), 'generator-userdata-'));
    bundleFile = path.join(dir, 'generator.js');
    await writeFile(bundleFile, extractBundle(decodeUserData(userData)));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('fits EC2\'s 16 KB limit, gzipped, with the bundle inside', function () {
    const raw = Buffer.from(userData.userDataBase64, 'base64');
    expect(raw.length).to.equal(userData.gzippedBytes);
    expect(raw.length).to.be.at.most(USER_DATA_LIMIT_BYTES);
    const script = decodeUserData(userData);
    expect(script).to.equal(userData.script);
    expect(script.startsWith('#!/bin/bash\n')).to.equal(true);
    expect(extractBundle(script)).to.have.length(userData.bundleBytes);
  });

  it('reads its settings from SSM with the instance role and installs Node on Amazon Linux', function () {
    expect(userData.script).to.include("aws ssm get-parameter --region 'us-east-1' --name '/clickstream/test/generator'");
    expect(userData.script).to.include('--with-decryption');
    expect(userData.script).to.include('dnf install -y nodejs22');
  });

  it('bundles no AWS SDK', async function () {
    const bundle = await readFile(bundleFile, 'utf8');
    expect(bundle).not.to.include('@aws-sdk');
    expect(bundle).not.to.include('S3Client');
  });

  it('runs, unpacked, against a local folder: valid events in raw/ files', async function () {
    const lake = path.join(dir, 'lake-folder');
    const { stdout } = await run(process.execPath, [bundleFile], {
      env: cleanEnv({ GENERATOR_SETTINGS: JSON.stringify(ONCE), GENERATOR_LOCAL_DIR: lake, GENERATOR_WRITER_ID: 'test-writer' }),
    });
    expect(stdout).to.include('"events":1500');
    const keys = await filesUnder(lake);
    expect(keys.length).to.be.at.least(3);
    for (const key of keys) expect(key).to.match(/^raw\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{10}-test-writer-\d{6}\.jsonl$/);
    const texts = await Promise.all(keys.map((key) => readFile(path.join(lake, key), 'utf8')));
    expect(checkLines(texts)).to.equal(1500);
  });

  it('stops on SIGTERM in continuous mode, writing what it generated', async function () {
    const lake = path.join(dir, 'lake-continuous');
    const settings: Ec2Settings = { ...ONCE, runMode: 'continuous', totalEvents: undefined, flushSeconds: 1 };
    const child = spawn(process.execPath, [bundleFile], {
      env: cleanEnv({ GENERATOR_SETTINGS: JSON.stringify(settings), GENERATOR_LOCAL_DIR: lake, GENERATOR_WRITER_ID: 'service' }),
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    // Wait for the first file, then stop the service as systemd would.
    while ((await filesUnder(lake).catch(() => [])).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).to.equal(0);
    expect(stdout).to.include('SIGTERM: writing the file in progress');
    const written = Number(/"events":(\d+)/.exec(stdout)?.[1]);
    const keys = await filesUnder(lake);
    const texts = await Promise.all(keys.map((key) => readFile(path.join(lake, key), 'utf8')));
    expect(checkLines(texts)).to.equal(written);
    expect(keys.some((key) => key.endsWith('.partial'))).to.equal(false);
  });

  it('names the setting, the value and what is allowed when the settings are wrong', async function () {
    const failure = await run(process.execPath, [bundleFile, '--print-run-mode'], {
      env: cleanEnv({ GENERATOR_SETTINGS: JSON.stringify({ ...ONCE, runMode: 'sometimes' }) }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).to.include({ code: 1 });
    expect((failure as { stderr: string }).stderr).to.include('runMode is "sometimes"; use one of once, continuous');
  });

  describe('against S3 (moto server), with credentials and instance id from instance metadata', function () {
    let s3: RunningMoto;
    let bucket: string;
    let imds: Awaited<ReturnType<typeof fakeInstanceMetadata>>;
    before(async function () {
      s3 = await sharedMoto();
      bucket = await freshBucket('raw-bucket');
      imds = await fakeInstanceMetadata();
    });
    after(async function () {
      imds?.server.close();
    });

    it('puts gzipped raw files, keyed by the instance id, that parse into valid events', async function () {
      const settings: Ec2Settings = { ...ONCE, bucket, gzip: true, seed: undefined };
      await run(process.execPath, [bundleFile], {
        env: cleanEnv({ GENERATOR_SETTINGS: JSON.stringify(settings), AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint }),
      });
      const { ListObjectsV2Command, GetObjectCommand } = await import('@aws-sdk/client-s3');
      const listing = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/' }));
      const keys = (listing.Contents ?? []).map((object) => object.Key as string);
      expect(keys.length).to.be.at.least(3);
      for (const key of keys) expect(key).to.match(/-i-0123456789abcdef0-\d{6}\.jsonl\.gz$/);
      const texts = await Promise.all(
        keys.map(async (key) => {
          const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return gunzipSync(Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())).toString('utf8');
        }),
      );
      expect(checkLines(texts)).to.equal(1500);
      expect(imds.requests[0]).to.equal('PUT /latest/api/token');
      expect(imds.requests).to.include('GET /latest/meta-data/iam/security-credentials/generator-role');
    });
  });

  describe('as a boot script (with dnf, aws, systemctl and shutdown stubbed)', function () {
    /** `aws` answers with the settings, or with `awsBody` (a script that may fail) when given. */
    async function boot(settings: Ec2Settings, name: string, awsBody?: string): Promise<{ root: string; calls: string; stdout: string; code: number }> {
      const root = path.join(dir, name);
      const stubs = path.join(root, 'bin');
      await mkdir(stubs, { recursive: true });
      const calls = path.join(root, 'calls.log');
      const stub = async (command: string, body: string): Promise<void> => {
        await writeFile(path.join(stubs, command), `#!/bin/bash\necho "${command} $*" >>'${calls}'\n${body}\n`);
        await chmod(path.join(stubs, command), 0o755);
      };
      const answer = `cat <<'JSON'\n${JSON.stringify(settings)}\nJSON`;
      await stub('aws', awsBody === undefined ? answer : awsBody.replace('ANSWER', answer));
      await stub('dnf', 'exit 1');
      await stub('pause', 'exit 0');
      await stub('systemctl', 'exit 0');
      const script = path.join(root, 'user-data.sh');
      await writeFile(script, decodeUserData(userData));
      const result = await run('bash', [script], {
        env: cleanEnv({
          PATH: `${stubs}:${path.dirname(process.execPath)}:${process.env.PATH}`,
          GENERATOR_APP_DIR: path.join(root, 'app'),
          GENERATOR_UNIT_DIR: root,
          GENERATOR_SHUTDOWN_COMMAND: `touch ${path.join(root, 'shut-down')}`,
          GENERATOR_SLEEP_COMMAND: path.join(stubs, 'pause'),
          GENERATOR_LOCAL_DIR: path.join(root, 'lake'),
          GENERATOR_WRITER_ID: 'boot',
        }),
      }).then(
        ({ stdout }) => ({ stdout, code: 0 }),
        (error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }),
      );
      return { root, calls: await readFile(calls, 'utf8'), ...result };
    }

    it('runs once, writes the events, then shuts the instance down', async function () {
      const { root, calls, code } = await boot(ONCE, 'once');
      expect(code).to.equal(0);
      expect(calls).to.include("aws ssm get-parameter --region us-east-1 --name /clickstream/test/generator --with-decryption");
      expect(calls).not.to.include('dnf');
      const keys = await filesUnder(path.join(root, 'lake'));
      const texts = await Promise.all(keys.map((key) => readFile(path.join(root, 'lake', key), 'utf8')));
      expect(checkLines(texts)).to.equal(1500);
      expect(await filesUnder(root)).to.include('shut-down');
    });

    it('installs and starts a restarting service in continuous mode, and keeps the instance up', async function () {
      const { root, calls } = await boot({ ...ONCE, runMode: 'continuous', totalEvents: undefined }, 'continuous');
      const unit = await readFile(path.join(root, 'clickstream-generator.service'), 'utf8');
      expect(unit).to.match(/ExecStart=\S*node\S* \S+\/app\/generator\.js/);
      expect(unit).to.include('Restart=on-failure');
      expect(calls).to.include('systemctl enable --now clickstream-generator.service');
      expect(await filesUnder(root)).not.to.include('shut-down');
    });

    it('retries reading its settings with growing waits while the new instance role is not usable yet', async function () {
      // Refused twice (as while a new instance profile propagates), then answered.
      const refusedTwice = `count=$(grep -c '^aws ' '${path.join(dir, 'retry', 'calls.log')}')\n[ "$count" -gt 2 ] || { echo 'AccessDeniedException' >&2; exit 254; }\nANSWER`;
      const { root, calls, code } = await boot(ONCE, 'retry', refusedTwice);
      expect(code).to.equal(0);
      expect(calls.split('\n').filter((line) => line.startsWith('aws ssm get-parameter'))).to.have.length(3);
      expect(calls.split('\n').filter((line) => line.startsWith('pause'))).to.deep.equal(['pause 5', 'pause 10']);
      expect((await filesUnder(path.join(root, 'lake'))).length).to.be.at.least(3);
    });

    it(`gives up and shuts down after ${SETTINGS_READ_ATTEMPTS} refused reads, waiting at most a minute between them`, async function () {
      const { root, calls, stdout, code } = await boot(ONCE, 'refused', `echo 'AccessDeniedException' >&2\nexit 254`);
      expect(code).to.not.equal(0);
      expect(calls.split('\n').filter((line) => line.startsWith('aws ssm get-parameter'))).to.have.length(SETTINGS_READ_ATTEMPTS);
      expect(calls.split('\n').filter((line) => line.startsWith('pause'))).to.deep.equal(['pause 5', 'pause 10', 'pause 20', 'pause 40', 'pause 60', 'pause 60', 'pause 60']);
      expect(stdout).to.include(`could not read the settings after ${SETTINGS_READ_ATTEMPTS} attempts`);
      expect(await filesUnder(root)).to.include('shut-down');
    });

    it('shuts down when the settings are unusable', async function () {
      const { root, stdout, code } = await boot({ ...ONCE, totalEvents: undefined }, 'broken');
      expect(code).to.not.equal(0);
      expect(stdout).to.include('boot failed');
      expect(await filesUnder(root)).to.include('shut-down');
    });
  });

  it('carries the digest of its settings, so that new settings bring a new instance', function () {
    const digest = 'a'.repeat(64);
    expect(renderUserDataScript('x', { region: 'eu-west-1', settingsParameterName: '/p', settingsDigest: digest })).to.include(`# settings sha256 ${digest}`);
    expect(() => renderUserDataScript('x', { region: 'eu-west-1', settingsParameterName: '/p', settingsDigest: 'not hex' })).to.throw(/settingsDigest "not hex" is not a hex digest/);
  });

  it('refuses to render without exactly one source of settings, or with a region that is not one', function () {
    expect(() => renderUserDataScript('x', { region: 'us-east-1' })).to.throw(/exactly one of settingsParameterName/);
    expect(() => renderUserDataScript('x', { region: 'Frankfurt', settings: ONCE })).to.throw(/region "Frankfurt" is not an AWS region/);
    expect(renderUserDataScript('x', { region: 'eu-west-1', settings: ONCE })).to.include(JSON.stringify(ONCE)).and.not.include('aws ssm');
  });
});
