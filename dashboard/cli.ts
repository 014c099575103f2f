/**
 * `npm run dashboard -- [--store <dir>] [--port <n>] [--host <address>]`: serves the dashboard over
 * the local lake until Ctrl-C.
 */
import '../cli/supported-node';
import { parseFlags, wholeNumberFlag } from '../cli/flags';
import { DEFAULT_LAKE_DIR } from '../store/lake';
import { openLakeFor } from '../store/open-lake';
import { DEFAULT_HOST, DEFAULT_PORT, startDashboardServer } from './server';

const USAGE = `Usage: npm run dashboard -- [--store <spec>] [--port <n>] [--host <address>]

  --store <spec>      the lake: its folder (default ${DEFAULT_LAKE_DIR}; npm run local fills it), or s3://<bucket>
                      or s3://<raw>,<processed>,<results> (read once at start)
  --port <n>          port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>    address to listen on (default ${DEFAULT_HOST}, this machine only)`;

interface ServeOptions {
  readonly store: string;
  readonly port: number;
  readonly host: string;
}

function parseOptions(argv: readonly string[]): ServeOptions | undefined {
  const values = parseFlags(argv, {
    store: { type: 'string', default: DEFAULT_LAKE_DIR },
    port: { type: 'string', default: String(DEFAULT_PORT) },
    host: { type: 'string', default: DEFAULT_HOST },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return undefined;
  const port = wholeNumberFlag('port', values.port, 0) ?? DEFAULT_PORT;
  if (port > 65_535) throw new Error(`--port ${values.port}: must be a whole number from 0 to 65535`);
  return { store: values.store, port, host: values.host };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { lake } = await openLakeFor(options.store, 'existing', { command: 'npm run dashboard' });
  const server = await startDashboardServer({ lake, port: options.port, host: options.host });
  process.stdout.write(`dashboard: ${server.url} (lake ${options.store}); Ctrl-C to stop\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
