import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbTransform } from '../../etl/duckdb-engine';
import { readBundledLocations } from '../../model/locations';
import { defaultTimestampWindow } from '../../model/validate';
import { NOW, currentEvent } from './lake-fixture';

const FILE_ROWS = 1000;
const RUN_ID = 'run1';
const DAY = 86400;
const today = Math.floor(NOW.getTime() / 1000 / DAY) * DAY;
/** Events on a date, `first` to `first + count - 1`, their locations interleaved as a stream has them. */
const eventsOn = (day: number, first: number, count: number): string[] =>
  Array.from({ length: count }, (_, offset) =>
    JSON.stringify(currentEvent(first + offset, { timestamp: day + (offset % 80_000), location: String(1 + (((first + offset) * 7) % 45)) })),
  );
const BUSY_DAY = today - 2 * DAY;
const QUIET_DAY = today - 3 * DAY;
const REPLAYED_DAY = today - 4 * DAY;
const dateOf = (day: number): string => new Date(day * 1000).toISOString().slice(0, 10);

interface FileRows {
  readonly name: string;
  readonly rows: { readonly id: string; readonly key: string; readonly events: number }[];
}

describe('the DuckDB engine\'s output files', () => {
  let dir: string;
  let files: Map<string, FileRows[]>;
  let sessionFiles: Map<string, FileRows[]>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clickstream-output-files-'));
    const engine = await DuckDbTransform.open({ threads: 2, fileRows: FILE_ROWS });
    const reader = await DuckDBInstance.create(':memory:');
    const connection = await reader.connect();
    try {
      await engine.prepare(readBundledLocations(), { runId: RUN_ID, window: defaultTimestampWindow(NOW.getTime() / 1000), rejectedAt: NOW });
      const replayed = eventsOn(REPLAYED_DAY, 20_000, 1500);
      engine.appendObject('raw/busy.jsonl', Buffer.from(eventsOn(BUSY_DAY, 0, 3500).join('\n')));
      engine.appendObject('raw/quiet.jsonl', Buffer.from(eventsOn(QUIET_DAY, 10_000, 300).join('\n')));
      engine.appendObject('raw/replayed.jsonl', Buffer.from(replayed.join('\n')));
      await engine.validate();
      // An earlier run stored every event of the replayed day: none of its files may be left behind.
      const stored = join(dir, 'stored.parquet');
      const ids = replayed.map((line) => `('${String((JSON.parse(line) as { event_id: string }).event_id)}')`).join(', ');
      await connection.run(`COPY (SELECT * FROM (VALUES ${ids}) AS stored(event_id)) TO '${stored}' (FORMAT parquet)`);
      await engine.loadExistingEventIds([stored]);
      await engine.settle();
      await engine.writeEvents(join(dir, 'events'), 'parquet', RUN_ID);
      await engine.writeSessionDays(join(dir, 'session_days'), RUN_ID);
      const read = async (table: string, columns: string): Promise<Map<string, FileRows[]>> => {
        const byDate = new Map<string, FileRows[]>();
        for (const folder of readdirSync(join(dir, table)).sort()) {
          const names = readdirSync(join(dir, table, folder)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
          const fileRows: FileRows[] = [];
          for (const name of names) {
            const path = join(dir, table, folder, name);
            const rows = (await connection.runAndReadAll(`SELECT ${columns} FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`)).getRowObjectsJS();
            fileRows.push({ name, rows: rows.map((row) => ({ id: String(row.id), key: `${String(row.continent)}\u0000${String(row.country_name)}`, events: Number(row.events) })) });
          }
          byDate.set(folder, fileRows);
        }
        return byDate;
      };
      files = await read('events', 'event_id AS id, continent, country_name, 1 AS events');
      sessionFiles = await read('session_days', 'session_id AS id, continent, country_name, events');
    } finally {
      connection.closeSync();
      reader.closeSync();
      engine.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`writes a date of more than ${FILE_ROWS} events as several files of at most that many, each a range of the location order`, () => {
    const busy = files.get(`event_date=${dateOf(BUSY_DAY)}`)!;
    expect(busy.map((file) => file.name)).to.deep.equal(busy.map((_, index) => `part-${RUN_ID}-${index}.parquet`));
    expect(busy.length).to.be.at.least(4);
    for (const file of busy) expect(file.rows.length, file.name).to.be.within(1, FILE_ROWS);
    // Read in the order of their numbers, the files are one run of (continent, country) order.
    const keys = busy.flatMap((file) => file.rows.map((row) => row.key));
    expect(keys.every((key, index) => index === 0 || keys[index - 1] <= key)).to.equal(true);
    const ids = busy.flatMap((file) => file.rows.map((row) => row.id));
    expect(new Set(ids).size).to.equal(3500);
    expect(ids.length).to.equal(3500);
  });

  it('writes a smaller date as one file', () => {
    const quiet = files.get(`event_date=${dateOf(QUIET_DAY)}`)!;
    expect(quiet.map((file) => file.name)).to.deep.equal([`part-${RUN_ID}-0.parquet`]);
    expect(quiet[0].rows.length).to.equal(300);
  });

  it('leaves no file and no folder for a date whose every event was stored before', () => {
    expect([...files.keys()]).to.deep.equal([`event_date=${dateOf(QUIET_DAY)}`, `event_date=${dateOf(BUSY_DAY)}`]);
    expect([...sessionFiles.keys()]).to.deep.equal([...files.keys()]);
  });

  it('writes session_days the same way, every event counted once', () => {
    for (const [folder, fileRows] of sessionFiles) {
      const keys = fileRows.flatMap((file) => file.rows.map((row) => row.key));
      expect(keys.every((key, index) => index === 0 || keys[index - 1] <= key), folder).to.equal(true);
      const events = fileRows.flatMap((file) => file.rows).reduce((sum, row) => sum + row.events, 0);
      expect(events, folder).to.equal(files.get(folder)!.reduce((sum, file) => sum + file.rows.length, 0));
    }
  });
});
