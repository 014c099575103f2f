import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBundledLocations } from '../../model/locations';
import { DuckDbTransform, SMALL_OBJECT_BYTES } from '../../etl/duckdb-engine';
import { defaultTimestampWindow } from '../../model/validate';
import { NOW, currentEvent } from './lake-fixture';
import { decodeObject, splitLines } from '../../etl/lines';

/**
 * What the DuckDB engine makes of objects (`read`: their lines, or their verdicts): given as bytes
 * (appendObject), or as files of a folder it reads in place (appendFile).
 */
async function withInputs<T>(
  objects: readonly { key: string; body: Buffer }[],
  how: 'bytes' | 'files',
  read: (engine: DuckDbTransform) => Promise<T>,
): Promise<T> {
  const engine = await DuckDbTransform.open({ threads: 2 });
  const folder = mkdtempSync(join(tmpdir(), 'duckdb-lines-'));
  try {
    await engine.prepare(readBundledLocations(), { runId: 'lines', window: defaultTimestampWindow(NOW.getTime() / 1000), rejectedAt: NOW });
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
    return await read(engine);
  } finally {
    engine.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const duckdbLines = (objects: readonly { key: string; body: Buffer }[], how: 'bytes' | 'files' = 'bytes'): Promise<{ sourceKey: string; lineNumber: number; line: string }[]> =>
  withInputs(objects, how, (engine) => engine.readLines());

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

  it('judges a folder lake\'s file that is not valid UTF-8 as the same bytes given as an object: U+FFFD in place, every line judged', async () => {
    const events = Array.from({ length: 400 }, (_, index) => JSON.stringify(currentEvent(index)));
    // A line whose event id holds bytes that are not UTF-8, between two hundred valid events on each side.
    const invalid = Buffer.concat([Buffer.from('{"schema_version":2,"event_id":"bad-'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`"${JSON.stringify(currentEvent(999)).replace(/^\{"schema_version":2,"event_id":"[^"]*"/, '')}\n`)]);
    const body = Buffer.concat([Buffer.from(`${events.slice(0, 200).join('\n')}\n`), invalid, Buffer.from(events.slice(200).join('\n'))]);
    expect(body.length).to.be.greaterThan(SMALL_OBJECT_BYTES);
    const objects = [{ key: 'raw/not-utf8.jsonl', body }];
    const inPlace = await withInputs(objects, 'files', async (engine) => (await engine.validate(), engine.validatedRows()));
    const asBytes = await withInputs(objects, 'bytes', async (engine) => (await engine.validate(), engine.validatedRows()));
    expect(inPlace).to.deep.equal(asBytes);
    expect(inPlace.length).to.equal(401);
    expect(inPlace.filter((row) => row.reason_code === null).length).to.equal(401);
    expect(inPlace[200].event_id__str).to.equal('bad-\uFFFD(\uFFFD');
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
