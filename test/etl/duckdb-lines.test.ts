import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBundledLocations } from '../../model/locations';
import { DuckDbTransform } from '../../etl/duckdb-engine';
import { decodeObject, splitLines } from '../../etl/lines';

/**
 * What the DuckDB engine reads from objects, line by line: given as bytes (appendObject), or as
 * files of a folder it reads in place (appendFile).
 */
async function duckdbLines(
  objects: readonly { key: string; body: Buffer }[],
  how: 'bytes' | 'files' = 'bytes',
): Promise<{ sourceKey: string; lineNumber: number; line: string }[]> {
  const engine = await DuckDbTransform.open({ threads: 2 });
  const folder = mkdtempSync(join(tmpdir(), 'duckdb-lines-'));
  try {
    await engine.prepare(readBundledLocations(), { runId: 'lines', window: { earliest: 0, latest: 1 }, rejectedAt: new Date(0) });
    for (const object of objects) {
      if (how === 'bytes') {
        engine.appendObject(object.key, object.body);
      } else {
        const file = join(folder, object.key);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, object.body);
        engine.appendFile(object.key, file);
      }
    }
    return await engine.readLines();
  } finally {
    engine.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const EDGE_OBJECTS = [
  { key: 'raw/a.jsonl', body: Buffer.from('{"a":1}\r\n\r\n  \t\n{"b":2}\r\n') },
  { key: 'raw/b.jsonl', body: Buffer.from('\uFEFF{"c":3}\nlast without newline') },
  { key: 'raw/c.json', body: Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d, 0x0a]) },
  { key: 'raw/d.json', body: Buffer.from('') },
  { key: 'raw/e.jsonl', body: Buffer.from('\n\n\nline four\n\n') },
  { key: 'raw/f.jsonl', body: Buffer.from('é😀 inner\rcarriage return\r\r\n') },
  // Names that need quoting in SQL, or that DuckDB would read as a glob (g [1]*.jsonl matches g 1.jsonl).
  { key: 'raw/g [1]*.jsonl', body: Buffer.from('{"g":7}\n') },
  { key: 'raw/g 1.jsonl', body: Buffer.from('{"g":1}\n') },
  { key: "raw/h it's, here.jsonl", body: Buffer.from('{"h":8}\n') },
];

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
    const lines = await duckdbLines(EDGE_OBJECTS);
    expect(lines).to.deep.equal(await referenceLines(EDGE_OBJECTS));
    expect(lines.find((line) => line.sourceKey === 'raw/e.jsonl')).to.deep.equal({ sourceKey: 'raw/e.jsonl', lineNumber: 4, line: 'line four' });
  });

  it('reads a folder lake\'s files in place by the same rules, invalid UTF-8 included', async () => {
    expect(await duckdbLines(EDGE_OBJECTS, 'files')).to.deep.equal(await referenceLines(EDGE_OBJECTS));
  });

  it('stops, naming the input, when a file it was given is gone before it is read', async () => {
    const engine = await DuckDbTransform.open({ threads: 2 });
    const folder = mkdtempSync(join(tmpdir(), 'duckdb-lines-'));
    try {
      await engine.prepare(readBundledLocations(), { runId: 'lines', window: { earliest: 0, latest: 1 }, rejectedAt: new Date(0) });
      writeFileSync(join(folder, 'here.jsonl'), '{"a":1}\n');
      engine.appendFile('raw/here.jsonl', join(folder, 'here.jsonl'));
      engine.appendFile('raw/gone.jsonl', join(folder, 'gone.jsonl'));
      let message = '';
      await engine.readLines().catch((error: Error) => (message = error.message));
      expect(message).to.match(/input raw\/gone\.jsonl is gone/);
    } finally {
      engine.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('numbers lines across a large object, given as bytes or as a file', async () => {
    const text = Array.from({ length: 5000 }, (_, index) => (index % 97 === 0 ? '' : `{"n":${index + 1},"pad":"${'x'.repeat(index % 300)}"}`)).join('\n');
    const objects = [
      { key: 'raw/big-1.jsonl', body: Buffer.from(text) },
      { key: 'raw/big-2.jsonl', body: Buffer.from(`${text}\n`) },
    ];
    expect(Buffer.byteLength(text)).to.be.greaterThan(4 * 64 * 1024);
    for (const how of ['bytes', 'files'] as const) {
      const lines = await duckdbLines(objects, how);
      expect(lines).to.deep.equal(await referenceLines(objects));
      for (const { lineNumber, line } of lines) expect(JSON.parse(line).n).to.equal(lineNumber);
    }
  });
});
