/**
 * The generator as it runs on EC2: the entry point of the bundle that userdata.ts embeds in the
 * instance's user-data. Reads its settings (written from SSM Parameter Store by the user-data script,
 * or given in the environment), generates in real time, puts files to S3 with the minimal client and
 * the instance role's credentials, and stops on SIGTERM after writing the file in progress.
 *
 * Environment:
 * - GENERATOR_SETTINGS (JSON) or GENERATOR_SETTINGS_FILE (path to it): see ec2-settings.ts.
 * - GENERATOR_LOCAL_DIR: write into this folder instead of S3 (tests, dry runs).
 * - GENERATOR_WRITER_ID: the writer id in keys; default the instance id.
 * - S3_ENDPOINT or AWS_ENDPOINT_URL_S3 (the first wins, as in store/lake.ts): an S3-compatible server (path-style requests).
 * - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: credentials instead of the role's.
 * - AWS_REGION: the region when the settings and instance metadata give none.
 * - AWS_EC2_METADATA_SERVICE_ENDPOINT: another instance metadata service (tests).
 *
 * `--print-run-mode` prints the settings' run mode (once or continuous) and exits: the user-data
 * script asks it whether to shut the instance down afterwards or install a service.
 */
import '../cli/supported-node';
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseEc2Settings, type Ec2Settings } from './ec2-settings';
import { InstanceMetadata, credentialProvider } from './imds';
import { runGenerator, type GenerateSummary, type ObjectSink } from './run';
import { S3PutClient } from './s3-put-client';
import { minimumUsers } from './simulate';

/**
 * A folder as the sink, for tests and dry runs. Not store/fs-store.ts: the bundle must stay small, and
 * writing (to a temporary name, then renaming into place) is all the generator does.
 */
class FolderSink implements ObjectSink {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = `file://${path.resolve(root)}`;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const file = path.join(this.root, ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.partial`, body);
    await rename(`${file}.partial`, file);
  }
}

export function readSettings(env: NodeJS.ProcessEnv): Ec2Settings {
  if (env.GENERATOR_SETTINGS) return parseEc2Settings(env.GENERATOR_SETTINGS, 'GENERATOR_SETTINGS');
  const file = env.GENERATOR_SETTINGS_FILE;
  if (file) return parseEc2Settings(readFileSync(file, 'utf8'), file);
  throw new Error('no generator settings: set GENERATOR_SETTINGS_FILE (the user-data writes it from SSM) or GENERATOR_SETTINGS (JSON)');
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

async function openSink(settings: Ec2Settings, env: NodeJS.ProcessEnv, metadata: InstanceMetadata): Promise<ObjectSink> {
  if (env.GENERATOR_LOCAL_DIR) return new FolderSink(env.GENERATOR_LOCAL_DIR);
  const region = settings.region ?? env.AWS_REGION ?? (await metadata.region());
  return new S3PutClient({
    bucket: settings.bucket,
    region,
    endpoint: env.S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || undefined,
    credentials: credentialProvider(metadata, env),
    serverSideEncryption: settings.serverSideEncryption,
    kmsKeyId: settings.kmsKeyId,
  });
}

export async function runOnInstance(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<GenerateSummary> {
  const settings = readSettings(env);
  const metadata = new InstanceMetadata(env.AWS_EC2_METADATA_SERVICE_ENDPOINT);
  // Only ask the metadata service when it is needed: tests give both and run anywhere.
  const instanceId = env.GENERATOR_WRITER_ID && settings.seed ? undefined : await metadata.instanceId();
  const writerId = env.GENERATOR_WRITER_ID || (instanceId as string);
  const seed = settings.seed ?? (instanceId as string);
  const sink = await openSink(settings, env, metadata);
  const eventsPerHour = settings.eventsPerSecond * 3600;
  const needed = minimumUsers(eventsPerHour);
  let users = settings.users;
  if (users !== undefined && users < needed) {
    // Failing here would leave an instance that does nothing; a visible adjustment is kinder.
    log(`users ${users} is too few for ${settings.eventsPerSecond} events/s under the 30-minute session rule; using ${needed}`);
    users = needed;
  }
  log(`generating ${settings.eventsPerSecond} events/s into ${sink.description} as ${writerId} (run mode ${settings.runMode})`);
  let nextReport = 0;
  return runGenerator(
    sink,
    {
      seed,
      rate: settings.eventsPerSecond,
      events: settings.totalEvents,
      users,
      eventsPerFile: settings.eventsPerFile,
      gzip: settings.gzip ?? true,
      flushSeconds: settings.flushSeconds,
      faults: settings.faults,
      writerId,
      signal,
    },
    (progress) => {
      if (progress.files >= nextReport) {
        log(`${progress.events} events, ${progress.files} files`);
        nextReport = progress.files + 10;
      }
    },
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--print-run-mode')) {
    process.stdout.write(`${readSettings(process.env).runMode}\n`);
    return;
  }
  const controller = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.once(name, () => {
      log(`${name}: writing the file in progress, then stopping`);
      controller.abort();
    });
  }
  const summary = await runOnInstance(process.env, controller.signal);
  // One JSON line (no table renderer: the bundle's size is capped), file keys left out.
  log(`done: ${JSON.stringify({ ...summary, keys: undefined })}`);
  if (summary.lostEvents > 0) process.exitCode = 2;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`clickstream generator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
