/**
 * How an input object becomes lines, the same on every engine (etl/glue_helpers.py split_lines):
 * - `.gz` objects are gunzipped; bytes are decoded as UTF-8, invalid sequences becoming U+FFFD;
 * - a UTF-8 byte order mark at the start is dropped;
 * - lines end at `\n`, and one `\r` before it is dropped (CRLF files);
 * - line numbers count every line from 1, but blank lines (JSON whitespace only) are not records:
 *   they are skipped, neither loaded nor rejected.
 * A legacy one-event object is simply a file of one line.
 *
 * This module is the reference statement of those rules; the DuckDB engine applies them in
 * etl/duckdb-lines.sql and the Glue job in glue_helpers.py, and tests hold both to splitLines here.
 */
import { gunzip as gunzipCallback } from 'node:zlib';
import { promisify } from 'node:util';

const gunzip = promisify(gunzipCallback);

/** Input keys the ETL reads: JSON lines (ours), JSON (the original one-event objects), gzipped or not. */
export const INPUT_EXTENSIONS = ['.jsonl', '.json', '.ndjson', '.jsonl.gz', '.json.gz', '.ndjson.gz'] as const;

export function isInputKey(key: string): boolean {
  return INPUT_EXTENSIONS.some((extension) => key.endsWith(extension));
}

/** An input object's bytes, gunzipped if its key ends in `.gz`. */
export async function inputBytes(key: string, body: Buffer): Promise<Buffer> {
  return key.endsWith('.gz') ? gunzip(body) : body;
}

/** An input object's text: gunzipped, decoded (invalid UTF-8 → U+FFFD), without a byte order mark. */
export async function decodeObject(key: string, body: Buffer): Promise<string> {
  const text = (await inputBytes(key, body)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const BLANK = /^[ \t\r]*$/;

export interface NumberedLine {
  readonly lineNumber: number;
  readonly line: string;
}

/** The non-blank lines of `text`, each with its 1-based line number. */
export function splitLines(text: string): NumberedLine[] {
  const lines: NumberedLine[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > 0 && !BLANK.test(line)) lines.push({ lineNumber, line });
    start = end + 1;
  }
  return lines;
}
