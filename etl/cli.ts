/**
 * `npm run etl -- [options]`: runs the ETL on a lake with DuckDB (a progress bar on a terminal) or with
 * the Glue job on local Spark, and prints the same summary (lines read, loaded, rejected by reason,
 * duplicates, files moved, seconds, events/s) or the same --json.
 */
import '../cli/supported-node';
import { terminalProgress } from '../cli/progress';
import { openLakeFor } from '../store/open-lake';
import { USAGE, parseCli } from './cli-options';
import { runEtl } from './run';
import { runSparkEtl, sparkEnvFor, SparkRunner } from './spark-engine';
import { formatSummary, progressUpdate, type EtlSummary } from './summary';

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { lake } = await openLakeFor(command.store, 'existing', { command: 'npm run etl' });
  let summary: EtlSummary;
  if (command.engine === 'spark') {
    const runner = await SparkRunner.start(sparkEnvFor(lake));
    summary = await runSparkEtl(lake, runner, {
      format: command.options.format,
      now: command.options.now,
      maxBatchBytes: command.options.maxBatchBytes,
      leaseSeconds: command.options.leaseSeconds,
    }).finally(() => runner.stop());
  } else {
    const progress = terminalProgress('etl');
    summary = await runEtl(lake, {
      ...command.options,
      onProgress: (update) => progress.update(progressUpdate(update)),
    }).finally(() => progress.stop());
  }
  process.stdout.write(command.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
}

main().catch((error: unknown) => {
  process.stderr.write(`etl: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
