/**
 * The generator CLI's flags → GenerateOptions. Kept apart from cli.ts so it can be tested without
 * running anything; every error names the flag, the value and what is allowed.
 */
import { parseFlags, positiveNumberFlag, wholeNumberFlag } from '../cli/flags';
import { DEFAULT_LAKE_DIR } from '../store/lake';
import { FAULT_KINDS, isFaultKind, type FaultKind, type FaultRates } from './faults';
import type { GenerateOptions } from './run';

export interface CliCommand {
  readonly help: boolean;
  /** Print the summary as JSON instead of a table. */
  readonly json: boolean;
  /** The store spec for openLake: a folder, file:<path> or s3://<bucket>[,<bucket>,<bucket>]. */
  readonly store: string;
  readonly options: GenerateOptions;
}

export const USAGE = `Usage: npm run generate -- [options]

Generates clickstream events (schema version 2) into the raw/ area of a store.

  --events <n>              stop after n events (default 200000 when no --duration-hours)
  --duration-hours <h>      stop after h hours of event time
  --start <time>            first event time: ISO date/time (UTC unless it has an offset) or epoch
                            seconds; default whole days back from today so the data ends before now
  --users <n>               visitor population (default 10000, more for a high --events-per-hour)
  --events-per-hour <n>     mean traffic per simulated hour (default from --users)
  --seed <s>                random seed; the same seed and options give byte-identical files (default 42)
  --events-per-file <n>     most lines per file (default 50000); files also end at each hour
  --gzip                    write .jsonl.gz instead of .jsonl
  --gzip-level <1-9>        zlib level (default 6)
  --faults <kind=f,...>     inject faults: fraction f of records of each kind; kind "all" sets every kind
  --fault-rate <kind=f>     same as --faults, one kind (repeatable)
  --writer-id <id>          part of every key (default from the seed); give each concurrent writer its own
  --rate <n>                real-time mode: n events per second of wall time, stamped with the clock
  --flush-seconds <s>       real-time mode: write a file at least every s seconds (default 60)
  --store <spec>            a folder, file:<path>, s3://<bucket> or s3://<raw>,<processed>,<results>
                            (default ${DEFAULT_LAKE_DIR})
  --json                    print the summary as JSON
  -h, --help                show this help

Fault kinds: ${FAULT_KINDS.join(', ')}.`;

const DEFAULT_EVENTS = 200_000;
const DEFAULT_SEED = '42';

/** ISO date (`2026-11-01`), date-time (`2026-11-01T06:00`, UTC unless it carries an offset) or epoch seconds. */
export function parseStart(value: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  const zoned = iso && iso[1] !== undefined && iso[4] === undefined ? `${text}Z` : text;
  const ms = iso ? Date.parse(zoned) : NaN;
  if (Number.isNaN(ms)) {
    throw new Error(`--start "${value}" is not a time; use an ISO date or date-time (2026-11-01, 2026-11-01T06:00:00Z) or epoch seconds`);
  }
  return Math.floor(ms / 1000);
}

/** `kind=fraction[,kind=fraction...]`, where kind may be `all`. */
export function parseFaults(flag: string, specs: readonly string[]): FaultRates {
  const rates: Partial<Record<FaultKind, number>> = {};
  for (const spec of specs) {
    for (const part of spec.split(',')) {
      const match = /^\s*([a-z_]+)\s*=\s*([0-9.eE+-]+)\s*$/.exec(part);
      const fraction = match ? Number(match[2]) : NaN;
      if (!match || !(fraction >= 0 && fraction <= 1)) {
        throw new Error(`--${flag} "${part}" is not kind=fraction; use e.g. --${flag} all=0.01 or --${flag} malformed_json=0.02 (fractions from 0 to 1)`);
      }
      const kind = match[1];
      if (kind === 'all') {
        for (const each of FAULT_KINDS) rates[each] = fraction;
      } else if (isFaultKind(kind)) {
        rates[kind] = fraction;
      } else {
        throw new Error(`--${flag} "${part}": unknown fault kind "${kind}"; use all or one of ${FAULT_KINDS.join(', ')}`);
      }
    }
  }
  return rates;
}

export function parseCli(argv: readonly string[]): CliCommand {
  const values = parseFlags(argv, {
    events: { type: 'string' },
    'duration-hours': { type: 'string' },
    start: { type: 'string' },
    users: { type: 'string' },
    'events-per-hour': { type: 'string' },
    seed: { type: 'string' },
    'events-per-file': { type: 'string' },
    gzip: { type: 'boolean' },
    'gzip-level': { type: 'string' },
    faults: { type: 'string', multiple: true },
    'fault-rate': { type: 'string', multiple: true },
    'writer-id': { type: 'string' },
    rate: { type: 'string' },
    'flush-seconds': { type: 'string' },
    store: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const durationHours = positiveNumberFlag('duration-hours', values['duration-hours']);
  const rate = positiveNumberFlag('rate', values.rate);
  const eventsFlag = wholeNumberFlag('events', values.events);
  const gzipLevel = wholeNumberFlag('gzip-level', values['gzip-level']);
  if (gzipLevel !== undefined && gzipLevel > 9) {
    throw new Error(`--gzip-level "${values['gzip-level']}" is above 9; use 1 (fast) to 9 (small)`);
  }
  if (rate !== undefined && values['events-per-hour'] !== undefined) {
    throw new Error('--rate (real time) and --events-per-hour (simulated time) cannot be combined; give one');
  }
  if (rate !== undefined && values.start !== undefined) {
    throw new Error(`--start "${values.start}" cannot be combined with --rate: a real-time run starts now`);
  }
  const seed = values.seed ?? DEFAULT_SEED;
  if (seed.trim() === '') throw new Error('--seed is empty; give any text or number, e.g. --seed 42');
  const faults = parseFaults('faults', values.faults ?? []);
  Object.assign(faults, parseFaults('fault-rate', values['fault-rate'] ?? []));

  const options: GenerateOptions = {
    seed,
    // A batch run needs an end; a real-time run without one goes on until stopped.
    events: eventsFlag ?? (durationHours === undefined && rate === undefined ? DEFAULT_EVENTS : undefined),
    durationHours,
    start: values.start === undefined ? undefined : parseStart(values.start),
    users: wholeNumberFlag('users', values.users),
    eventsPerHour: positiveNumberFlag('events-per-hour', values['events-per-hour']),
    eventsPerFile: wholeNumberFlag('events-per-file', values['events-per-file']),
    gzip: values.gzip ?? false,
    gzipLevel,
    faults,
    writerId: values['writer-id'],
    rate,
    flushSeconds: positiveNumberFlag('flush-seconds', values['flush-seconds']),
  };
  return {
    help: values.help ?? false,
    json: values.json ?? false,
    store: values.store ?? DEFAULT_LAKE_DIR,
    options,
  };
}
