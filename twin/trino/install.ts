/**
 * Installs Trino (Athena engine version 3 is Trino) from Maven Central into a cache outside the
 * repository, once per machine: the server core (`io.trino:trino-server-core`) and the one plugin the
 * twin uses, the Hive connector (`io.trino:trino-hive`), each checked against its pinned SHA-1. The
 * core's other plugins are left out, so the server starts faster.
 *
 * `npm run trino:install` (also run by `.ci/run`) and the Trino tests call `ensureTrino()`; a second
 * call finds the install and downloads nothing.
 */
import '../../cli/supported-node';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest Trino release Maven Central serves as a server tarball (later ones publish no tarball there). */
export const TRINO_VERSION = '476';

const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2';

interface Artifact {
  readonly path: string;
  readonly sha1: string;
}

const SERVER_CORE: Artifact = {
  path: `io/trino/trino-server-core/${TRINO_VERSION}/trino-server-core-${TRINO_VERSION}.tar.gz`,
  sha1: '6bae2db438f8e6a2a8d9c8b566bb5e5b05870138',
};
const HIVE_PLUGIN: Artifact = {
  path: `io/trino/trino-hive/${TRINO_VERSION}/trino-hive-${TRINO_VERSION}.zip`,
  sha1: '7b2a4b6468ebf92b47cf096d43c4133eea88ae20',
};

/** Trino 476 runs on Java 24 or newer; these machines carry Temurin 25 beside the default Java 17. */
const MIN_JAVA = 24;
const JAVA_CANDIDATES = ['/usr/lib/jvm/temurin-25-jdk-amd64', '/usr/lib/jvm/java-25-openjdk-amd64', '/usr/lib/jvm/temurin-25-jdk-arm64'];

export interface TrinoInstall {
  readonly version: string;
  /** Holds `lib/` (the server's jars) and `plugin/hive/`. */
  readonly home: string;
  /** The `java` binary that runs it. */
  readonly java: string;
}

/** `$CLICKSTREAM_CACHE` or `~/.cache/clickstream-bi`: downloads live there, never in the repository. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLICKSTREAM_CACHE?.trim() || join(homedir(), '.cache', 'clickstream-bi');
}

export function trinoHome(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'trino', TRINO_VERSION);
}

async function javaMajor(java: string): Promise<number | undefined> {
  try {
    const { stderr } = await run(java, ['-version']);
    const match = /version "(\d+)/.exec(stderr);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** `$TRINO_JAVA_HOME`, else a Java 25 in /usr/lib/jvm, else `$JAVA_HOME`; it must be Java 24 or newer. */
export async function findJava(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const homes = [env.TRINO_JAVA_HOME, ...JAVA_CANDIDATES, env.JAVA_HOME].filter((home): home is string => Boolean(home?.trim()));
  for (const home of homes) {
    const java = join(home, 'bin', 'java');
    if (!existsSync(java)) continue;
    const major = await javaMajor(java);
    if (major !== undefined && major >= MIN_JAVA) return java;
  }
  throw new Error(
    `Trino ${TRINO_VERSION} needs Java ${MIN_JAVA} or newer; none found in ${homes.join(', ')}. ` +
      'Install one (e.g. a Temurin 25 JDK in /usr/lib/jvm/temurin-25-jdk-amd64) or set TRINO_JAVA_HOME to its folder',
  );
}

async function sha1Of(file: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Downloads one artifact into `downloads/` (kept, so a re-install does not fetch it again) and checks its SHA-1. */
async function download(artifact: Artifact, downloads: string, log: (line: string) => void): Promise<string> {
  const file = join(downloads, artifact.path.slice(artifact.path.lastIndexOf('/') + 1));
  if (existsSync(file) && (await sha1Of(file)) === artifact.sha1) return file;
  const url = `${MAVEN_CENTRAL}/${artifact.path}`;
  log(`downloading ${url}`);
  const response = await fetch(url);
  if (!response.ok || response.body === null) {
    throw new Error(`download of ${url} failed: HTTP ${response.status}; check the network access to Maven Central and rerun npm run trino:install`);
  }
  const partial = `${file}.part`;
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(partial));
  const sha1 = await sha1Of(partial);
  if (sha1 !== artifact.sha1) {
    await rm(partial, { force: true });
    throw new Error(`${url} has SHA-1 ${sha1}, expected ${artifact.sha1}; the download is corrupt or the pin in twin/trino/install.ts is wrong`);
  }
  await rename(partial, file);
  return file;
}

/** The single folder an archive unpacked into. */
async function onlyFolder(dir: string): Promise<string> {
  const entries = await readdir(dir);
  if (entries.length !== 1) throw new Error(`expected one folder in ${dir}, found ${entries.join(', ') || 'nothing'}`);
  return join(dir, entries[0]);
}

/**
 * Returns the Trino install, downloading and unpacking it first if the cache lacks it. The install is
 * assembled in a temporary folder and renamed into place, so a broken download never looks installed.
 */
export async function ensureTrino(log: (line: string) => void = () => undefined, env: NodeJS.ProcessEnv = process.env): Promise<TrinoInstall> {
  const java = await findJava(env);
  const home = trinoHome(env);
  const marker = join(home, 'INSTALLED');
  if (existsSync(marker)) return { version: TRINO_VERSION, home, java };

  const root = join(cacheDir(env), 'trino');
  const downloads = join(root, 'downloads');
  await mkdir(downloads, { recursive: true });
  const [core, hive] = [await download(SERVER_CORE, downloads, log), await download(HIVE_PLUGIN, downloads, log)];

  const staging = await mkdtemp(join(root, `.install-${TRINO_VERSION}-`));
  try {
    log(`unpacking Trino ${TRINO_VERSION} into ${home}`);
    await mkdir(join(staging, 'core'));
    await run('tar', ['-xzf', core, '-C', join(staging, 'core')]);
    const coreHome = await onlyFolder(join(staging, 'core'));
    const assembled = join(staging, 'trino');
    await mkdir(join(assembled, 'plugin'), { recursive: true });
    await rename(join(coreHome, 'lib'), join(assembled, 'lib'));
    await mkdir(join(staging, 'hive'));
    // python3 is already required by the project; unzip may not be installed.
    await run('python3', ['-m', 'zipfile', '-e', hive, join(staging, 'hive')]);
    await rename(await onlyFolder(join(staging, 'hive')), join(assembled, 'plugin', 'hive'));
    await writeFile(join(assembled, 'INSTALLED'), `trino-server-core ${TRINO_VERSION} + trino-hive ${TRINO_VERSION}\n`);
    await rm(home, { recursive: true, force: true });
    await rename(assembled, home);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { version: TRINO_VERSION, home, java };
}

/** Bytes the install takes on disk (for the install's summary line). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(path) : (await stat(path)).size;
  }
  return total;
}

if (require.main === module) {
  const started = Date.now();
  ensureTrino((line) => console.log(line))
    .then(async (install) => {
      const mb = Math.round((await folderBytes(install.home)) / 2 ** 20);
      console.log(`Trino ${install.version} at ${install.home} (${mb} MB), Java ${install.java} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    })
    .catch((error: Error) => {
      console.error(`trino:install: ${error.message}`);
      process.exitCode = 1;
    });
}
