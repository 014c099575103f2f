/**
 * `npm run etl -- [options]`: runs the ETL on a lake with DuckDB, a progress bar on a terminal and a
 * summary at the end (lines read, loaded, rejected by reason, duplicates, files moved, seconds, events/s).
 */
import '../cli/supported-node';
import { terminalProgress } from '../cli/progress';
import { openLakeFor } from '../store/open-lake';
import { USAGE, parseCli } from './cli-options';
import { runEtl } from './run';
import { formatSummary, progressUpdate } from './summary';

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { lake } = await openLakeFor(command.store, 'existing', { command: 'npm run etl' });
  const progress = terminalProgress('etl');
  const summary = await runEtl(lake, {
    ...command.options,
    onProgress: (update) => progress.update(progressUpdate(update)),
  }).finally(() => progress.stop());
  process.stdout.write(command.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
}

main().catch((error: unknown) => {
  process.stderr.write(`etl: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
