/**
 * `npm run generate -- [options]`: generates events into a store's raw/ area, with a progress bar on a
 * terminal and a summary at the end. Ctrl-C stops gracefully: the file in progress is written first.
 */
import { SingleBar } from 'cli-progress';
import { openLake } from '../store/lake';
import { USAGE, parseCli } from './cli-options';
import { runGenerator, type GenerateProgress } from './run';
import { summaryText } from './summary-text';

const BAR_STEPS = 1000;

function progressReporter(): { update: (progress: GenerateProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'generating [{bar}] {percent}% | {events} events | {files} files',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(progress) {
      const payload = {
        events: progress.events.toLocaleString('en-US'),
        files: progress.files,
        percent: progress.fraction === undefined ? '--' : Math.floor(progress.fraction * 100),
      };
      if (!started) {
        bar.start(BAR_STEPS, 0, payload);
        started = true;
      }
      bar.update(Math.round((progress.fraction ?? 0) * BAR_STEPS), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const raw = openLake(command.store).store('raw');
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nstopping: writing the file in progress (Ctrl-C again to abort)\n');
    controller.abort();
  });
  const reporter = progressReporter();
  let summary;
  try {
    summary = await runGenerator(raw, { ...command.options, signal: controller.signal }, reporter.update);
  } finally {
    reporter.stop();
  }
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
