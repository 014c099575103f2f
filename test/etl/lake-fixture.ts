/**
 * Test support for the ETL: a throw-away folder lake, raw inputs in both shapes, the outputs read back
 * with DuckDB, and what the outputs should be, computed here from the raw lines with
 * model/validate.ts and plain arithmetic (not with the ETL's SQL).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { splitLines } from '../../etl/lines';
import { locationIndex, readBundledLocations } from '../../model/locations';
import { defaultTimestampWindow, validateLine } from '../../model/validate';
import { localLake, type Lake } from '../../store/lake';
import { FsObjectStore } from '../../store/fs-store';
import type { ObjectStore } from '../../store/object-store';

export const NOW = new Date(Date.UTC(2026, 10, 25, 12));
const locations = locationIndex(readBundledLocations());
const context = { isKnownLocation: (id: string) => locations.has(id), window: defaultTimestampWindow(NOW.getTime() / 1000) };

export interface TempLake {
  readonly dir: string;
  readonly lake: Lake;
  readonly store: FsObjectStore;
  remove(): void;
}

export function tempLake(): TempLake {
  const dir = mkdtempSync(join(tmpdir(), 'etl-test-lake-'));
  return { dir, lake: localLake(dir), store: new FsObjectStore(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RawFile {
  readonly key: string;
  /** The text before any gzip. */
  readonly text: string;
  /** The bytes as stored, when they are not `text` (gzipped for a `.gz` key): a damaged file. */
  readonly stored?: Buffer;
}

function storedBytes(file: RawFile): Buffer {
  return file.stored ?? (file.key.endsWith('.gz') ? gzipSync(file.text) : Buffer.from(file.text));
}

export async function putRaw(store: ObjectStore, files: readonly RawFile[]): Promise<void> {
  for (const file of files) await store.put(file.key, storedBytes(file));
}

/** Whether a file's stored bytes can be read as its key says (a `.gz` key: whole gzip). */
function readable(file: RawFile): boolean {
  if (!file.key.endsWith('.gz')) return true;
  try {
    gunzipSync(storedBytes(file));
    return true;
  } catch {
    return false;
  }
}

export function legacyEvent(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_type: ['click', 'search', 'purchase'][index % 3],
    user_id: `user${String(index).padStart(6, '0')}`,
    user_action: 'product_page',
    product_category: index % 3 === 1 ? null : 'books',
    location: String(1 + (index % 45)),
    user_age: 20 + (index % 50),
    timestamp: Math.floor(NOW.getTime() / 1000) - 86400 * (1 + (index % 3)) + index,
    ...overrides,
  };
}

export function currentEvent(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const purchase = index % 4 === 0;
  return {
    schema_version: 2,
    event_id: `evt-${String(index).padStart(6, '0')}`,
    event_type: purchase ? 'purchase' : 'product_view',
    user_id: `u-${index % 17}`,
    session_id: `s-${index % 29}`,
    user_action: purchase ? 'confirmation_page' : 'product_page',
    product_category: 'toys',
    product_id: `p-${index % 7}`,
    price: purchase ? 10 + (index % 5) * 2.5 : null,
    quantity: purchase ? 1 + (index % 3) : null,
    location: String(1 + (index % 45)),
    user_age: 18 + (index % 60),
    timestamp: Math.floor(NOW.getTime() / 1000) - 3600 * (1 + (index % 70)),
    page_url: `https://shop.example.com/p/${index % 7}`,
    referrer: null,
    device_type: 'desktop',
    browser: 'firefox',
    os: 'linux',
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    ...overrides,
  };
}

/** Key of an original-application object: raw/<event_type>_<user_id>_<timestamp>.json. */
export function legacyKey(event: Record<string, unknown>): string {
  return `raw/${String(event.event_type)}_${String(event.user_id)}_${String(event.timestamp)}.json`;
}

export interface ExpectedEvent {
  readonly eventId: string;
  readonly sourceKey: string;
  readonly lineNumber: number;
  readonly event: Record<string, unknown>;
}

export interface Expected {
  /** First copy of each event id, by (key, line). */
  readonly events: ReadonlyMap<string, ExpectedEvent>;
  /** `key#line` → reason code; `key#0` for a file that cannot be read, quarantined whole. */
  readonly rejected: ReadonlyMap<string, string>;
  readonly duplicates: number;
  readonly linesRead: number;
  readonly unreadableFiles: number;
}

/** What the ETL should produce from these raw files, by the TypeScript validator and plain rules. */
export function expectedFrom(files: readonly RawFile[]): Expected {
  const events = new Map<string, ExpectedEvent>();
  const rejected = new Map<string, string>();
  let duplicates = 0;
  let linesRead = 0;
  let unreadableFiles = 0;
  for (const file of [...files].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (!readable(file)) {
      rejected.set(`${file.key}#0`, 'unreadable_file');
      unreadableFiles++;
      continue;
    }
    // The reference rules of etl/lines.ts: a BOM dropped, CRLF ends, blank lines skipped.
    for (const { lineNumber, line } of splitLines(file.text.replace(/^\uFEFF/, ''))) {
      linesRead++;
      const result = validateLine(line, context);
      if (!result.ok) {
        rejected.set(`${file.key}#${lineNumber}`, result.rejection.code);
        continue;
      }
      const eventId = result.event.event_id ?? `v1-${createHash('md5').update(`${file.key}#${lineNumber}`).digest('hex')}`;
      if (events.has(eventId)) {
        duplicates++;
        continue;
      }
      events.set(eventId, { eventId, sourceKey: file.key, lineNumber, event: JSON.parse(line) as Record<string, unknown> });
    }
  }
  return { events, rejected, duplicates, linesRead, unreadableFiles };
}

export type Row = Record<string, unknown>;

/** Rows of every Parquet (or CSV) file under a folder of the lake, partition columns included. */
export async function readTable(dir: string, prefix: string, format: 'parquet' | 'csv' = 'parquet'): Promise<Row[]> {
  const root = join(dir, prefix);
  if (!existsSync(root) || readdirSync(root, { recursive: true }).length === 0) return [];
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader =
      format === 'parquet'
        ? `read_parquet('${root}/**/*.parquet', hive_partitioning = true)`
        : `read_csv('${root}/**/*.csv', hive_partitioning = true, header = true)`;
    const result = await connection.runAndReadAll(`SELECT * FROM ${reader}`);
    return result.getRowObjectsJS() as Row[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The compression codecs of a Parquet file's column chunks. */
export async function parquetCodecs(path: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
    return result.getRowObjectsJS().map((row) => String(row.compression));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export function keysUnder(dir: string, prefix: string): string[] {
  const root = join(dir, prefix);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const json = (value: unknown): string => JSON.stringify(value);

/**
 * Inputs in both shapes with every kind of problem: two batched JSON-lines files (one gzipped, one
 * with CRLF line ends and blank lines) holding bad lines of each reason and duplicates within and
 * across files, original-application objects, one event each, and two files that cannot be read: a
 * truncated gzip and plain text named `.jsonl.gz`.
 */
export function mixedDataset(): RawFile[] {
  const batchA = [
    ...Array.from({ length: 24 }, (_, index) => json(currentEvent(index))),
    '{"schema_version":2,"event_id":"cut',
    '[1,2,3]',
    json(currentEvent(100, { schema_version: 7 })),
    json(currentEvent(101, { session_id: undefined })),
    json(currentEvent(102, { user_age: '33' })),
    json(currentEvent(103, { quantity: 5000 })),
    json(currentEvent(104, { device_type: 'fridge' })),
    json(currentEvent(105, { location: '4242' })),
    json(currentEvent(106, { timestamp: Math.floor(NOW.getTime() / 1000) + 10 * 86400 })),
    json(currentEvent(3)),
    '',
    '   ',
  ];
  const batchB = [
    ...Array.from({ length: 12 }, (_, index) => json(currentEvent(200 + index))),
    json(currentEvent(5)),
    json(currentEvent(6)),
    json(currentEvent(201)),
  ];
  const legacy = Array.from({ length: 10 }, (_, index) => legacyEvent(index));
  return [
    { key: 'raw/2026/11/24/10/batch-a.jsonl', text: `${batchA.join('\r\n')}\r\n` },
    { key: 'raw/2026/11/24/11/batch-b.jsonl.gz', text: `${batchB.join('\n')}\n` },
    ...legacy.map((event) => ({ key: legacyKey(event), text: json(event) })),
    { key: legacyKey(legacyEvent(50, { user_age: 7 })), text: json(legacyEvent(50, { user_age: 7 })) },
    ...unreadableFiles(),
  ];
}

/** A gzip file cut short (gunzip: "unexpected end of file") and text named .gz ("incorrect header check"). */
export function unreadableFiles(): RawFile[] {
  const text = `${json(currentEvent(300))}\n${json(currentEvent(301))}\n`;
  const gzipped = gzipSync(text);
  return [
    { key: 'raw/2026/11/24/12/truncated.jsonl.gz', text, stored: gzipped.subarray(0, gzipped.length - 12) },
    { key: 'raw/2026/11/24/12/not-gzip.jsonl.gz', text, stored: Buffer.from(text) },
  ];
}
