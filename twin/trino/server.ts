/**
 * One single-node Trino on 127.0.0.1, on a free port, with a small heap: the twin's Athena. Catalogs
 * are created at run time (`CREATE CATALOG`, see catalog.ts), so one server serves every lake and
 * Glue endpoint a test run or a CLI needs. Its configuration and data live in a temporary folder that
 * `close()` removes; the process is killed if this one exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTrino, type TrinoInstall } from './install';

export interface TrinoServerOptions {
  /** Java heap, e.g. `1G` (default). Trino leaves about 30 % of it to one query on the node. */
  readonly heap?: string;
  /** Give up waiting for the server after this long (default 180 s: a cold start on a busy 2-core machine). */
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningTrino {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly version: string;
  /** Milliseconds from spawn to accepting queries. */
  readonly startupMs: number;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/** A port that was free a moment ago (the kernel picks it; Trino binds it right after). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not pick a free loopback port');
  return address.port;
}

function properties(entries: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n') + '\n';
}

function configProperties(install: TrinoInstall, port: number): string {
  return properties({
    coordinator: true,
    'node-scheduler.include-coordinator': true,
    'http-server.http.port': port,
    'discovery.uri': `http://127.0.0.1:${port}`,
    'plugin.dir': join(install.home, 'plugin'),
    // Catalogs come and go with the lakes under test: CREATE CATALOG / DROP CATALOG, kept in memory.
    'catalog.management': 'dynamic',
    'catalog.store': 'memory',
    'http-server.log.enabled': false,
    // Two cores: no more parallelism than that, and no spilling to disk.
    'task.concurrency': 2,
    'task.max-worker-threads': 4,
    'query.max-history': 200,
  });
}

async function logTail(file: string, lines = 25): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exited = once(child, 'exit');
  let exitCode: number | null | undefined;
  void exited.then(([code]) => {
    exitCode = code as number | null;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`Trino exited (code ${exitCode}) before it was ready; its log ${logFile} ends:\n${await logTail(logFile)}`);
    }
    try {
      const response = await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(2000) });
      if (response.ok && (await response.json() as { starting?: boolean }).starting === false) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Trino was not ready within ${timeoutMs / 1000} s at ${url}; its log ${logFile} ends:\n${await logTail(logFile)}`);
}

export async function startTrino(options: TrinoServerOptions = {}): Promise<RunningTrino> {
  const install = await ensureTrino(options.log);
  const dir = await mkdtemp(join(tmpdir(), 'trino-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const etc = join(dir, 'etc');
  await mkdir(etc);
  await writeFile(join(etc, 'config.properties'), configProperties(install, port));
  await writeFile(join(etc, 'log.properties'), properties({ 'io.trino': 'WARN', 'io.airlift': 'WARN', 'org.eclipse.jetty': 'WARN' }));
  const logFile = join(dir, 'server.log');
  const started = Date.now();
  const child = spawn(
    install.java,
    [
      `-Xmx${options.heap ?? '1G'}`,
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      '-Duser.timezone=UTC',
      '--enable-native-access=ALL-UNNAMED',
      '-Djdk.attach.allowAttachSelf=true',
      `-Dconfig=${join(etc, 'config.properties')}`,
      `-Dlog.levels-file=${join(etc, 'log.properties')}`,
      `-Dlog.output-file=${logFile}`,
      '-Dnode.environment=twin',
      `-Dnode.id=twin-${port}`,
      `-Dnode.data-dir=${join(dir, 'data')}`,
      '-Dnode.bind-ip=127.0.0.1',
      '-Dnode.internal-address=127.0.0.1',
      '-cp',
      join(install.home, 'lib', '*'),
      'io.trino.server.TrinoServer',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  // A Trino left behind would hold its port and a gigabyte: kill it if this process ends first.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child, options.startTimeoutMs ?? 180_000, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, version: install.version, startupMs: Date.now() - started, close: stop };
}
