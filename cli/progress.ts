import { SingleBar } from 'cli-progress';

/** What a long step reports as it goes: done so far, the total where known, and a short status. */
export interface ProgressUpdate {
  readonly fraction: number | undefined;
  readonly status: string;
}

export interface ProgressReporter {
  update(progress: ProgressUpdate): void;
  stop(): void;
}

const BAR_STEPS = 1000;

/**
 * A progress bar on stderr when it is a terminal, and nothing otherwise, so that logs and pipes stay
 * clean. Every CLI of the pipeline shows its long work through this one bar.
 */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percent}% | {status}`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update({ fraction, status }) {
      const payload = { status, percent: fraction === undefined ? '--' : Math.floor(fraction * 100) };
      if (!started) {
        bar.start(BAR_STEPS, 0, payload);
        started = true;
      }
      bar.update(Math.round((fraction ?? 0) * BAR_STEPS), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
