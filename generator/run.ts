/**
 * A generator run: the simulated stream cut into files (one hour folder at most, `eventsPerFile`
 * lines at most), optionally gzipped, and put to an object store with retries. Every record is either
 * written or counted as lost; the summary counts what was written by event type and fault kind, so the
 * ETL's reconciliation can be checked against it.
 *
 * Two clocks: batch mode generates simulated time as fast as it can (from `start`, for `events` or
 * `durationHours`); real-time mode (`rate` set, as on EC2) stamps events with the wall clock and
 * writes them as that time comes, until the stop condition or `signal`.
 */
import { gzip as gzipCallback } from 'node:zlib';
import { promisify } from 'node:util';
import { EVENT_TYPES, type EventType } from '../model/events';
import type { ObjectStore } from '../store/object-store';
import type { AudienceLocation } from './audience';
import { FAULT_KINDS, checkFaultRates, type FaultKind, type FaultRates } from './faults';
import type { Seed } from './random';
import { systemClock, type Clock } from './clock';
import { LineBuffer } from './line-buffer';
import { DEFAULT_RETRY, putWithRetry, type RetryPolicy } from './put-retry';
import { checkWriterId, defaultWriterId, hourOf, rawFileKey } from './raw-keys';
import { EventStream, trafficDefaults } from './simulate';

const gzip = promisify(gzipCallback);

/** All a run needs of a store: ObjectStore satisfies it, and so does the EC2 bundle's minimal S3 client. */
export type ObjectSink = Pick<ObjectStore, 'description' | 'put'>;
export type { Clock } from './clock';
export type { RetryPolicy } from './put-retry';

export interface GenerateOptions {
  readonly seed: Seed;
  /** Stop after this many records (faults included). */
  readonly events?: number;
  /** Stop after this many hours of event time (simulated in batch mode, wall time in real-time mode). */
  readonly durationHours?: number;
  /** Batch mode: first event time, epoch seconds; default `defaultStart(...)`. Ignored in real-time mode. */
  readonly start?: number;
  readonly users?: number;
  /** Batch mode: mean events per simulated hour; default from `users`. */
  readonly eventsPerHour?: number;
  /** Most lines per file; default 50,000. A file also ends where the event hour changes. */
  readonly eventsPerFile?: number;
  readonly gzip?: boolean;
  /** zlib level 1 (fast) to 9 (small); default 6. */
  readonly gzipLevel?: number;
  readonly faults?: FaultRates;
  /** Part of every key, so that concurrent writers never collide; default derived from the seed. */
  readonly writerId?: string;
  readonly audience?: readonly AudienceLocation[];
  /** Real-time mode: mean events per second of wall time; events are stamped with the wall clock. */
  readonly rate?: number;
  /** Real-time mode: a file is written at least this often; default 60. */
  readonly flushSeconds?: number;
  /** Stops the run gracefully: the file in progress is written, the summary returned. */
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
  /** How many files may be on their way to the store at once; default 2. */
  readonly concurrentPuts?: number;
  readonly clock?: Clock;
}

export interface GenerateProgress {
  /** Records generated so far (written, in flight or lost). */
  readonly events: number;
  /** 0 to 1 when the run has an end, else undefined. */
  readonly fraction: number | undefined;
  readonly files: number;
  readonly bytes: number;
}

export interface LostFile {
  readonly key: string;
  readonly events: number;
  readonly error: string;
}

export interface GenerateSummary {
  readonly store: string;
  readonly writerId: string;
  readonly seed: string;
  /** Where simulated time began, epoch seconds: with the seed and options, what reproduces the run. */
  readonly start: number;
  /** Epoch seconds of the first and last event written; null when nothing was. */
  readonly firstTimestamp: number | null;
  readonly lastTimestamp: number | null;
  /** Lines written, injected records included. */
  readonly events: number;
  /** Valid events written, by type (the duplicates' originals included, the injected records not). */
  readonly eventsByType: Readonly<Record<EventType, number>>;
  /** Injected records written, by kind: exactly what the ETL should reject (or, for duplicates, drop). */
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly files: number;
  readonly keys: readonly string[];
  /** Bytes stored (compressed when gzip is on) and before compression. */
  readonly bytes: number;
  readonly uncompressedBytes: number;
  /** Records that could not be written after every retry, and their files. */
  readonly lostEvents: number;
  readonly lostFiles: readonly LostFile[];
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

export const DEFAULT_EVENTS_PER_FILE = 50_000;
const DEFAULT_FLUSH_SECONDS = 60;
const DEFAULT_CONCURRENT_PUTS = 2;
const DAY = 86_400;

/**
 * The batch start when none is given: whole UTC days back from today, enough for the expected
 * traffic to end before now (the ETL rejects events from the future). Stable through a day; pass
 * `start` to reproduce a run exactly on another day.
 */
export function defaultStart(nowMs: number, expectedHours: number): number {
  const today = Math.floor(nowMs / 1000 / DAY) * DAY;
  return today - Math.ceil((expectedHours * 1.1) / 24) * DAY;
}

function checkGenerateOptions(options: GenerateOptions): void {
  const positive = (name: string, value: number | undefined, whole: boolean): void => {
    if (value === undefined) return;
    if (!(Number.isFinite(value) && value > 0) || (whole && !Number.isSafeInteger(value))) {
      throw new Error(`${name} is ${value}; give a ${whole ? 'whole number' : 'number'} greater than 0`);
    }
  };
  positive('events', options.events, true);
  positive('durationHours', options.durationHours, false);
  positive('users', options.users, true);
  positive('eventsPerHour', options.eventsPerHour, false);
  positive('eventsPerFile', options.eventsPerFile, true);
  positive('rate', options.rate, false);
  positive('flushSeconds', options.flushSeconds, false);
  positive('concurrentPuts', options.concurrentPuts, true);
  if (options.start !== undefined && !(Number.isSafeInteger(options.start) && options.start >= 0)) {
    throw new Error(`start is ${options.start}; give epoch seconds, a whole number >= 0`);
  }
  if (options.gzipLevel !== undefined && !(Number.isInteger(options.gzipLevel) && options.gzipLevel >= 1 && options.gzipLevel <= 9)) {
    throw new Error(`gzipLevel is ${options.gzipLevel}; give a whole number from 1 (fast) to 9 (small)`);
  }
  if (options.rate === undefined && options.events === undefined && options.durationHours === undefined) {
    throw new Error('a batch run needs an end: give events or durationHours (only a real-time run, with rate, may run until stopped)');
  }
  if (options.rate !== undefined && options.eventsPerHour !== undefined) {
    throw new Error('give rate (real-time mode) or eventsPerHour (batch mode), not both');
  }
  checkFaultRates(options.faults ?? {});
  if (options.writerId !== undefined) checkWriterId(options.writerId);
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** A file being filled: its lines and what they hold. */
interface OpenFile {
  readonly hour: number;
  readonly firstTimestamp: number;
  readonly openedAtMs: number;
  lastTimestamp: number;
  readonly lines: LineBuffer;
  readonly byType: Record<EventType, number>;
  readonly faults: Record<FaultKind, number>;
}

export async function runGenerator(
  store: ObjectSink,
  options: GenerateOptions,
  progress?: (progress: GenerateProgress) => void,
): Promise<GenerateSummary> {
  checkGenerateOptions(options);
  const clock = options.clock ?? systemClock;
  const realTime = options.rate !== undefined;
  const requestedPerHour = realTime ? (options.rate as number) * 3600 : options.eventsPerHour;
  const { users, eventsPerHour } = trafficDefaults(options.users, requestedPerHour);
  const start = realTime
    ? Math.floor(clock.now() / 1000)
    : options.start ?? defaultStart(clock.now(), options.durationHours ?? (options.events as number) / eventsPerHour);
  const end = options.durationHours === undefined ? undefined : start + Math.round(options.durationHours * 3600);
  const writerId = options.writerId ?? defaultWriterId(options.seed);
  const eventsPerFile = options.eventsPerFile ?? DEFAULT_EVENTS_PER_FILE;
  const useGzip = options.gzip ?? false;
  const retry = options.retry ?? DEFAULT_RETRY;
  const flushMs = (options.flushSeconds ?? DEFAULT_FLUSH_SECONDS) * 1000;
  const maxInFlight = options.concurrentPuts ?? DEFAULT_CONCURRENT_PUTS;
  const signal = options.signal;

  const eventsByType = zeroCounts(EVENT_TYPES);
  const faults = zeroCounts(FAULT_KINDS);
  const keys: string[] = [];
  const lostFiles: LostFile[] = [];
  let written = 0;
  let generated = 0;
  let bytes = 0;
  let uncompressedBytes = 0;
  let firstTimestamp: number | null = null;
  let lastTimestamp: number | null = null;
  let sequence = 0;
  const startedMs = clock.now();

  const report = (timestamp: number): void => {
    if (!progress) return;
    const fraction =
      options.events !== undefined
        ? generated / options.events
        : end !== undefined
          ? Math.min(1, (timestamp - start) / (end - start))
          : undefined;
    progress({ events: generated, fraction, files: keys.length, bytes });
  };

  // Buffers of written files, for the next ones: a fresh buffer costs a page fault per 4 KB touched.
  // At most concurrentPuts + 1 exist, so memory stays flat.
  const spareBuffers: LineBuffer[] = [];
  const store1 = async (file: OpenFile): Promise<void> => {
    const key = rawFileKey(file.firstTimestamp, writerId, ++sequence, useGzip);
    const text = file.lines.contents();
    const events = file.lines.lines;
    const body = useGzip ? await gzip(text, { level: options.gzipLevel ?? 6 }) : text;
    const failure = await putWithRetry(store, key, body, useGzip ? 'application/gzip' : 'application/x-ndjson', retry, clock);
    file.lines.clear();
    spareBuffers.push(file.lines);
    if (failure !== undefined) {
      lostFiles.push({ key, events, error: failure });
      return;
    }
    keys.push(key);
    written += events;
    bytes += body.length;
    uncompressedBytes += text.length;
    for (const type of EVENT_TYPES) eventsByType[type] += file.byType[type];
    for (const kind of FAULT_KINDS) faults[kind] += file.faults[kind];
    firstTimestamp = firstTimestamp === null ? file.firstTimestamp : Math.min(firstTimestamp, file.firstTimestamp);
    lastTimestamp = lastTimestamp === null ? file.lastTimestamp : Math.max(lastTimestamp, file.lastTimestamp);
  };

  const inFlight = new Set<Promise<void>>();
  const flush = async (file: OpenFile): Promise<void> => {
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const put = store1(file).finally(() => inFlight.delete(put));
    inFlight.add(put);
  };

  const newFile = (timestamp: number): OpenFile => ({
    hour: hourOf(timestamp),
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    openedAtMs: clock.now(),
    lines: spareBuffers.pop() ?? new LineBuffer(eventsPerFile),
    byType: zeroCounts(EVENT_TYPES),
    faults: zeroCounts(FAULT_KINDS),
  });

  let file: OpenFile | undefined;
  const stream = new EventStream({
    seed: options.seed,
    start,
    end,
    events: options.events,
    users,
    eventsPerHour,
    faults: options.faults,
    audience: options.audience,
  });
  while (stream.next()) {
    if (signal?.aborted) break;
    const timestamp = stream.timestamp;
    if (realTime) {
      // Wait for the event's second to come, writing the file in progress when it is due.
      for (;;) {
        const waitMs = timestamp * 1000 - clock.now();
        if (file && clock.now() - file.openedAtMs >= flushMs) {
          await flush(file);
          file = undefined;
        }
        if (waitMs <= 0 || signal?.aborted) break;
        await clock.sleep(file ? Math.min(waitMs, file.openedAtMs + flushMs - clock.now()) : waitMs, signal);
      }
      if (signal?.aborted) break;
    }
    if (file && (file.lines.lines >= eventsPerFile || hourOf(timestamp) !== file.hour)) {
      await flush(file);
      file = undefined;
    }
    file ??= newFile(timestamp);
    stream.writeLine(file.lines);
    file.lastTimestamp = timestamp;
    if (stream.fault === undefined) file.byType[stream.eventType]++;
    else file.faults[stream.fault]++;
    generated++;
    if (generated % 10_000 === 0 || realTime) report(timestamp);
  }
  if (file) await flush(file);
  await Promise.all(inFlight);
  report(lastTimestamp ?? start);

  const seconds = (clock.now() - startedMs) / 1000;
  return {
    store: store.description,
    writerId,
    seed: String(options.seed),
    start,
    firstTimestamp,
    lastTimestamp,
    events: written,
    eventsByType,
    faults,
    files: keys.length,
    keys: [...keys].sort(),
    bytes,
    uncompressedBytes,
    lostEvents: lostFiles.reduce((sum, lost) => sum + lost.events, 0),
    lostFiles,
    seconds,
    eventsPerSecond: seconds > 0 ? written / seconds : written,
  };
}
