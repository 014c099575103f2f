/** What an ETL invocation did, and its one-screen text form for the CLI. */
import type { ProgressUpdate } from '../cli/progress';
import { REASON_CODE_LIST, type ReasonCode } from '../model/reasons';
import type { OutputFormat } from './duckdb-engine';
import type { OutputObject, Recovery } from './protocol/run-state';
import type { EtlProgress } from './run';
import { ETL_STEPS, stepLabel, type StepSeconds } from './step-times';

export const DUPLICATE_KINDS = ['duplicate_in_run', 'already_loaded', 'already_rejected'] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];

export interface EtlSummary {
  readonly store: string;
  readonly format: OutputFormat;
  /** The runs (one per batch of inputs) this invocation committed, oldest first. */
  readonly runs: readonly string[];
  /** Runs that had stopped early and were finished or rolled back first. */
  readonly recovered: readonly Recovery[];
  /** Input objects read, and their bytes as stored. */
  readonly files: number;
  readonly inputBytes: number;
  /** Inputs that could not be read, each quarantined whole (an `unreadable_file` record, or a duplicate of one). */
  readonly filesUnreadable: number;
  /** Non-blank lines of the inputs read; lines read + unreadable files = loaded + rejected + duplicates. */
  readonly linesRead: number;
  readonly loaded: number;
  /** Rejected lines by reason code (every code, zero included). */
  readonly rejected: Readonly<Record<ReasonCode, number>>;
  readonly rejectedTotal: number;
  readonly duplicates: Readonly<Record<DuplicateKind, number>>;
  readonly duplicatesTotal: number;
  /** Inputs moved raw/ → processed/ (recoveries included). */
  readonly filesMoved: number;
  /** Keys under raw/ that are not inputs (other extensions), left in place. */
  readonly ignoredKeys: readonly string[];
  readonly outputs: readonly OutputObject[];
  readonly seconds: number;
  /** Lines read per second, end to end. */
  readonly eventsPerSecond: number;
  /** Wall seconds by step, summed over the runs (the DuckDB engine; the Glue job reports none). */
  readonly stepSeconds?: StepSeconds;
}

export function emptyReasonCounts(): Record<ReasonCode, number> {
  return Object.fromEntries(REASON_CODE_LIST.map((code) => [code, 0])) as Record<ReasonCode, number>;
}

export function emptyDuplicateCounts(): Record<DuplicateKind, number> {
  return { duplicate_in_run: 0, already_loaded: 0, already_rejected: 0 };
}

const number = (value: number): string => value.toLocaleString('en-US');

export function formatSummary(summary: EtlSummary): string {
  const lines = [
    `ETL of ${summary.store} (${summary.format})`,
    ...summary.recovered.map(
      (recovery) =>
        `  recovered run ${recovery.runId}: ${recovery.action.replace('_', ' ')} (${recovery.inputsMoved} inputs moved, ${recovery.outputsDeleted} outputs deleted)`,
    ),
    `  runs:         ${summary.runs.length === 0 ? 'none (nothing to read)' : summary.runs.join(', ')}`,
    summary.filesUnreadable === 0
      ? `  files read:   ${number(summary.files)} (${number(summary.inputBytes)} bytes)`
      : `  files read:   ${number(summary.files - summary.filesUnreadable)} of ${number(summary.files)} (${number(summary.inputBytes)} bytes); ${number(summary.filesUnreadable)} unreadable, quarantined whole (unreadable_file)`,
    `  lines read:   ${number(summary.linesRead)}`,
    `  loaded:       ${number(summary.loaded)}`,
    `  rejected:     ${number(summary.rejectedTotal)}`,
    ...REASON_CODE_LIST.filter((code) => summary.rejected[code] > 0).map((code) => `    ${code.padEnd(28)}${number(summary.rejected[code])}`),
    `  duplicates:   ${number(summary.duplicatesTotal)}`,
    ...DUPLICATE_KINDS.filter((kind) => summary.duplicates[kind] > 0).map((kind) => `    ${kind.padEnd(28)}${number(summary.duplicates[kind])}`),
    `  files moved:  ${number(summary.filesMoved)} (raw/ → processed/)`,
    ...(summary.ignoredKeys.length > 0 ? [`  ignored keys: ${number(summary.ignoredKeys.length)} under raw/ (not .json/.jsonl/.ndjson[.gz]), e.g. ${summary.ignoredKeys[0]}`] : []),
    `  seconds:      ${summary.seconds.toFixed(2)}`,
    `  events/s:     ${number(Math.round(summary.eventsPerSecond))}`,
    ...(summary.stepSeconds === undefined ? [] : [`  by step:      ${formatStepSeconds(summary.stepSeconds)}`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** The steps that took any time, slowest first: `validating 1.90 s, writing events 1.30 s, ...`. */
export function formatStepSeconds(stepSeconds: StepSeconds): string {
  return ETL_STEPS.filter((step) => stepSeconds[step] >= 0.005)
    .sort((a, b) => stepSeconds[b] - stepSeconds[a])
    .map((step) => `${stepLabel(step)} ${stepSeconds[step].toFixed(2)} s`)
    .join(', ');
}

/** A run's progress as the status line of a progress bar. */
export function progressUpdate(progress: EtlProgress): ProgressUpdate {
  const fraction = progress.total > 0 ? progress.done / progress.total : undefined;
  const amount =
    progress.phase === 'reading'
      ? `${(progress.done / 1e6).toFixed(1)} of ${(progress.total / 1e6).toFixed(1)} MB`
      : progress.phase === 'transforming'
        ? 'validating, deduplicating'
        : `${progress.done} of ${progress.total} objects`;
  return { fraction, status: `run ${progress.runId}: ${progress.phase}, ${amount}` };
}
