import { expect } from 'chai';
import { readBundledLocations } from '../../model/locations';
import { DuckDbTransform } from '../../etl/duckdb-engine';
import { decodeObject, splitLines } from '../../etl/lines';

/** What the DuckDB engine reads from objects, line by line. */
async function duckdbLines(objects: readonly { key: string; body: Buffer }[]): Promise<{ sourceKey: string; lineNumber: number; line: string }[]> {
  const engine = await DuckDbTransform.open({ threads: 2 });
  try {
    await engine.prepare(readBundledLocations(), { runId: 'lines', window: { earliest: 0, latest: 1 }, rejectedAt: new Date(0) });
    for (const object of objects) engine.appendObject(object.key, object.body);
    return await engine.readLines();
  } finally {
    engine.close();
  }
}

/** The reference reading (etl/lines.ts), for the same objects. */
async function referenceLines(objects: readonly { key: string; body: Buffer }[]): Promise<{ sourceKey: string; lineNumber: number; line: string }[]> {
  const lines = [];
  for (const object of [...objects].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    for (const { lineNumber, line } of splitLines(await decodeObject(object.key, object.body))) lines.push({ sourceKey: object.key, lineNumber, line });
  }
  return lines;
}

describe('the DuckDB engine\'s reading of lines', () => {
  it('reads lines as etl/lines.ts states: CRLF, blank lines, no final newline, byte order mark, invalid UTF-8', async () => {
    const objects = [
      { key: 'raw/a.jsonl', body: Buffer.from('{"a":1}\r\n\r\n  \t\n{"b":2}\r\n') },
      { key: 'raw/b.jsonl', body: Buffer.from('\uFEFF{"c":3}\nlast without newline') },
      { key: 'raw/c.json', body: Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d, 0x0a]) },
      { key: 'raw/d.json', body: Buffer.from('') },
      { key: 'raw/e.jsonl', body: Buffer.from('\n\n\nline four\n\n') },
      { key: 'raw/f.jsonl', body: Buffer.from('é😀 inner\rcarriage return\r\r\n') },
    ];
    const lines = await duckdbLines(objects);
    expect(lines).to.deep.equal(await referenceLines(objects));
    expect(lines.find((line) => line.sourceKey === 'raw/e.jsonl')).to.deep.equal({ sourceKey: 'raw/e.jsonl', lineNumber: 4, line: 'line four' });
  });

  it('numbers lines across the blocks a large object is appended in', async () => {
    const text = Array.from({ length: 5000 }, (_, index) => (index % 97 === 0 ? '' : `{"n":${index + 1},"pad":"${'x'.repeat(index % 300)}"}`)).join('\n');
    const objects = [
      { key: 'raw/big-1.jsonl', body: Buffer.from(text) },
      { key: 'raw/big-2.jsonl', body: Buffer.from(`${text}\n`) },
    ];
    expect(Buffer.byteLength(text)).to.be.greaterThan(4 * 64 * 1024);
    const lines = await duckdbLines(objects);
    expect(lines).to.deep.equal(await referenceLines(objects));
    for (const { lineNumber, line } of lines) expect(JSON.parse(line).n).to.equal(lineNumber);
  });
});
