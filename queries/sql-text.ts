/**
 * A small SQL lexer: splits text into code, string literals, quoted identifiers and comments, so that
 * a `?` or a `;` is only counted where the engine would see it. It knows the common subset of Trino and
 * DuckDB: `'...'` strings (quote doubled inside), `"..."` identifiers, `-- ...` and `/* ... *\/`
 * comments. Nothing here understands the grammar; node-sql-parser checks that.
 */
export type SegmentKind = 'code' | 'string' | 'identifier' | 'line_comment' | 'block_comment';

export interface Segment {
  readonly kind: SegmentKind;
  readonly text: string;
  /** Offset of the segment's first character in the whole text. */
  readonly offset: number;
}

function closingOffset(text: string, start: number, quote: string): number {
  let cursor = start + 1;
  for (;;) {
    const next = text.indexOf(quote, cursor);
    if (next < 0) return -1;
    if (text[next + 1] === quote) {
      cursor = next + 2;
      continue;
    }
    return next;
  }
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (text[index] === '\n') line++;
  return line;
}

/** Throws on an unterminated string, identifier or block comment, naming `source` and the line. */
export function segments(text: string, source: string): Segment[] {
  const result: Segment[] = [];
  let codeStart = 0;
  let position = 0;
  const flushCode = (end: number) => {
    if (end > codeStart) result.push({ kind: 'code', text: text.slice(codeStart, end), offset: codeStart });
  };
  while (position < text.length) {
    const char = text[position];
    const pair = text.slice(position, position + 2);
    let kind: SegmentKind | undefined;
    let end = -1;
    if (char === "'" || char === '"') {
      kind = char === "'" ? 'string' : 'identifier';
      const close = closingOffset(text, position, char);
      if (close < 0) {
        const what = kind === 'string' ? "string literal (close it with ')" : 'quoted identifier (close it with ")';
        throw new Error(`${source} line ${lineOf(text, position)}: unterminated ${what}`);
      }
      end = close + 1;
    } else if (pair === '--') {
      kind = 'line_comment';
      const newline = text.indexOf('\n', position);
      end = newline < 0 ? text.length : newline;
    } else if (pair === '/*') {
      kind = 'block_comment';
      const close = text.indexOf('*/', position + 2);
      if (close < 0) throw new Error(`${source} line ${lineOf(text, position)}: unterminated /* comment; close it with */`);
      end = close + 2;
    }
    if (kind === undefined) {
      position++;
      continue;
    }
    flushCode(position);
    result.push({ kind, text: text.slice(position, end), offset: position });
    position = end;
    codeStart = end;
  }
  flushCode(text.length);
  return result;
}

/** Offsets of every `?` placeholder the engine would see (outside strings, identifiers and comments). */
export function placeholderOffsets(text: string, source: string): number[] {
  const offsets: number[] = [];
  for (const segment of segments(text, source)) {
    if (segment.kind !== 'code') continue;
    for (let index = segment.text.indexOf('?'); index >= 0; index = segment.text.indexOf('?', index + 1)) {
      offsets.push(segment.offset + index);
    }
  }
  return offsets;
}

/**
 * Replaces the n-th placeholder with `replacements[n]`. Used only to show a query's text with
 * literal values (the Athena-grammar check); queries themselves always run with bound parameters.
 */
export function replacePlaceholders(text: string, replacements: readonly string[], source: string): string {
  const offsets = placeholderOffsets(text, source);
  if (offsets.length !== replacements.length) {
    throw new Error(`${source}: ${offsets.length} placeholder(s) but ${replacements.length} value(s)`);
  }
  let result = '';
  let cursor = 0;
  offsets.forEach((offset, index) => {
    result += text.slice(cursor, offset) + replacements[index];
    cursor = offset + 1;
  });
  return result + text.slice(cursor);
}
