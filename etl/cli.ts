/**
 * `npm run etl -- [options]`: runs the ETL on a lake with DuckDB, a progress bar on a terminal and a
 * summary at the end (lines read, loaded, rejected by reason, duplicates, files moved, seconds, events/s).
 */
import { terminalProgress } from '../cli/progress';
import { openLake } from '../store/lake';
import { USAGE, parseCli } from './cli-options';
import { runEtl, type EtlProgress } from './run';
import { formatSummary } from './summary';

function describe(progress: EtlProgress): { fraction: number | undefined; status: string } {
  const fraction = progress.total > 0 ? progress.done / progress.total : undefined;
  const amount =
    progress.phase === 'reading'
      ? `${(progress.done / 1e6).toFixed(1)} of ${(progress.total / 1e6).toFixed(1)} MB`
      : progress.phase === 'transforming'
        ? 'validating, deduplicating'
        : `${progress.done} of ${progress.total} objects`;
  return { fraction, status: `run ${progress.runId}: ${progress.phase}, ${amount}` };
}

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const progress = terminalProgress('etl');
  const summary = await runEtl(openLake(command.store), {
    ...command.options,
    onProgress: (update) => progress.update(describe(update)),
  }).finally(() => progress.stop());
  process.stdout.write(command.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
}

main().catch((error: unknown) => {
  process.stderr.write(`etl: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
