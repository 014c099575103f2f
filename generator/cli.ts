/**
 * `npm run generate -- [options]`: generates events into a store's raw/ area, with a progress bar on a
 * terminal and a summary at the end. Ctrl-C stops gracefully: the file in progress is written first.
 */
import '../cli/supported-node';
import { terminalProgress } from '../cli/progress';
import { openLakeFor } from '../store/open-lake';
import { USAGE, parseCli } from './cli-options';
import { runGenerator } from './run';
import { progressUpdate, summaryText } from './summary-text';

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const raw = (await openLakeFor(command.store, 'add', { command: 'npm run generate' })).lake.store('raw');
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping: writing the file in progress (Ctrl-C again to abort)\n');
    controller.abort();
  });
  const progress = terminalProgress('generating');
  const summary = await runGenerator(raw, { ...command.options, signal: controller.signal }, (update) => progress.update(progressUpdate(update))).finally(() =>
    progress.stop(),
  );
  if (command.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${summaryText(summary)}\n`);
  }
  if (summary.lostEvents > 0) process.exitCode = 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
