/**
 * A file's lines, encoded straight into one growing buffer: pre-encoded JSON pieces are copied in and
 * numbers written as digits, so the common event line never exists as a JavaScript string. Building
 * strings and encoding them cost about three times as much, most of it in the garbage collector.
 */
const NEWLINE = 0x0a;
const DIGIT_ZERO = 0x30;
const BASE36 = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz', 'latin1');
/** Start a file at about this many bytes a line; it grows if the lines are longer. */
const BYTES_PER_LINE_GUESS = 600;

export class LineBuffer {
  private buffer: Buffer;
  private used = 0;
  /** Lines ended so far. */
  lines = 0;

  constructor(expectedLines: number) {
    // Unused capacity costs no memory: allocUnsafe leaves the pages untouched until written.
    this.buffer = Buffer.allocUnsafe(Math.max(1, Math.min(expectedLines, 200_000)) * BYTES_PER_LINE_GUESS);
  }

  /** Makes room for `bytes` more bytes. Writers call it once per line with that line's bound. */
  reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.used + bytes, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }

  bytes(piece: Uint8Array): void {
    this.buffer.set(piece, this.used);
    this.used += piece.length;
  }

  /** A whole number >= 0, in decimal. */
  decimal(value: number): void {
    const buffer = this.buffer;
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let position = this.used + digits;
    this.used = position;
    let rest = value;
    do {
      const next = Math.floor(rest / 10);
      buffer[--position] = DIGIT_ZERO + (rest - next * 10);
      rest = next;
    } while (rest > 0);
  }

  /** A whole number >= 0, in base 36 (lower case), as Number.prototype.toString(36) writes it. */
  base36(value: number): void {
    const buffer = this.buffer;
    let digits = 1;
    for (let rest = value; rest >= 36; rest = Math.floor(rest / 36)) digits++;
    let position = this.used + digits;
    this.used = position;
    let rest = value;
    do {
      const next = Math.floor(rest / 36);
      buffer[--position] = BASE36[rest - next * 36];
      rest = next;
    } while (rest > 0);
  }

  /** Any text, as UTF-8 (for the rare lines that are strings: injected faults). */
  text(line: string): void {
    this.reserve(line.length * 3);
    this.used += this.buffer.write(line, this.used, 'utf8');
  }

  endLine(): void {
    this.reserve(1);
    this.buffer[this.used++] = NEWLINE;
    this.lines++;
  }

  /** The bytes from `start` to the end, as text. */
  textFrom(start: number): string {
    return this.buffer.toString('utf8', start, this.used);
  }

  /** Every line written, each ended by a newline. */
  contents(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  clear(): void {
    this.used = 0;
    this.lines = 0;
  }
}
