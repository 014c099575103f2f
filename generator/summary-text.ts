/** A generator run's summary as the few lines a person reads at the end of `npm run generate`. */
import type { ProgressUpdate } from '../cli/progress';
import type { GenerateProgress, GenerateSummary } from './run';

const count = (value: number): string => value.toLocaleString('en-US');

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const iso = (seconds: number | null): string => (seconds === null ? '-' : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));

function breakdown(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, value]) => value > 0)
    .map(([name, value]) => `${name} ${count(value)}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export function summaryText(summary: GenerateSummary): string {
  const compressed = summary.bytes === summary.uncompressedBytes ? '' : ` (${size(summary.uncompressedBytes)} before gzip)`;
  const lines = [
    `Generated ${count(summary.events)} events into ${summary.store} in ${summary.seconds.toFixed(1)} s (${count(Math.round(summary.eventsPerSecond))} events/s)`,
    `  event time   ${iso(summary.firstTimestamp)} to ${iso(summary.lastTimestamp)}`,
    `  by type      ${breakdown(summary.eventsByType)}`,
    `  faults       ${breakdown(summary.faults)}`,
    `  files        ${count(summary.files)}${summary.keys.length > 0 ? `, ${summary.keys[0]} to ${summary.keys[summary.keys.length - 1]}` : ''}`,
    `  bytes        ${size(summary.bytes)}${compressed}`,
    `  writer       ${summary.writerId}, seed ${summary.seed}, start ${iso(summary.start)} (the same seed, start and options give the same bytes)`,
  ];
  if (summary.lostEvents > 0) {
    lines.push(`  LOST         ${count(summary.lostEvents)} events in ${summary.lostFiles.length} files:`);
    for (const lost of summary.lostFiles) lines.push(`               ${lost.key} (${count(lost.events)} events): ${lost.error}`);
  } else {
    lines.push('  lost         none');
  }
  return lines.join('\n');
}

/** A run's progress as the status line of a progress bar. */
export function progressUpdate(progress: GenerateProgress): ProgressUpdate {
  return { fraction: progress.fraction, status: `${count(progress.events)} events, ${progress.files} files` };
}
