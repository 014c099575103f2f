/**
 * The Glue job (etl/glue_job.py) on local Spark, as Glue 5.0 runs it, against the DuckDB engine: the
 * same input gives the same events (every column, as values) and the same rejected rows. One Spark
 * (one JVM) and one moto server serve the whole test run (test/twin.ts).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runGenerator } from '../../generator/run';
import { FAULT_KINDS } from '../../generator/faults';
import { LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import type { ObjectStore } from '../../store/object-store';
import { runEtl } from '../../etl/run';
import { runSparkEtl } from '../../etl/spark-engine';
import type { EtlSummary } from '../../etl/summary';
import { sharedSpark } from '../twin';
import { NOW, currentEvent, expectedFrom, keysUnder, mixedDataset, putRaw, readTable, tempLake, type RawFile, type Row, type TempLake } from './lake-fixture';

const json = (value: unknown): string => JSON.stringify(value);

/**
 * A key given twice. The engines read the first copy, JSON.parse (model/validate.ts) the last; both
 * engines agree on these lines, but not with validate.ts.
 */
const FIRST_COPY_LINES = {
  stringThenNumber: `{"price":"abc",${json(currentEvent(200)).slice(1)}`,
  numberThenString: `${json(currentEvent(224)).slice(0, -1)},"price":"abc"}`,
};

/**
 * The one line the engines still read differently (README "Known differences"): a key given twice, first
 * as a string that holds a number, later as a number. DuckDB sees the first copy's string and rejects
 * the line (wrong_type); Spark's typed parse takes any copy that is a number and loads the event, with
 * the first copy's value. Neither parser tells the first copy's JSON type cheaply in the other's terms.
 */
const KNOWN_DIFFERENCE = { line: `{"price":"5",${json(currentEvent(228)).slice(1)}`, eventId: 'evt-000228' };

/** Lines that parsers disagree on: a BOM, CRLF, blank lines, unicode, numbers past a double, keys given twice. */
export function adversarialFile(): RawFile {
  const lines = [
    `\uFEFF${json(currentEvent(201))}`,
    json(currentEvent(202, { user_id: 'ü-😀-用户', product_id: 'é/\\"x' })),
    json(currentEvent(203)).replace(/"timestamp":\d+/, '"timestamp":1e400'),
    json(currentEvent(205)).replace(/"user_age":\d+/, '"user_age":-1e400'),
    FIRST_COPY_LINES.stringThenNumber,
    json(currentEvent(206, { event_type: 'pürchase' })),
    json(currentEvent(207, { quantity: 1e7 })),
    json(currentEvent(219)).replace(/"user_age":\d+/, '"user_age":1.0e7'),
    `${json(currentEvent(220)).slice(0, -1)},"user_age":41}`,
    json(currentEvent(208, { user_age: 33.5 })),
    json(currentEvent(209, { user_age: '33' })),
    json(currentEvent(210)).replace(/"timestamp":\d+/, '"timestamp":1e21'),
    json(currentEvent(211, { location: 17 })),
    json(currentEvent(212, { event_type: 123 })),
    json(currentEvent(213, { device_type: ['desktop', 2] })),
    json(currentEvent(214, { browser: { name: 'firefox' } })),
    json(currentEvent(215, { price: 1.5e-7 })),
    json(currentEvent(216, { schema_version: 2.5 })),
    json(currentEvent(217, { quantity: 1e-7 })),
    json(currentEvent(218, { user_age: 123456789.125 })),
    FIRST_COPY_LINES.numberThenString,
    KNOWN_DIFFERENCE.line,
    'null',
    '"just a string"',
    '',
    '  \t ',
  ];
  return { key: 'raw/2026/11/24/12/adversarial, [a-z]*?{x}.jsonl', text: `${lines.join('\r\n')}\r\n\r\n` };
}

/**
 * Each Parquet column of a table's files as `<name> <physical type>`, read with DuckDB, and for a
 * timestamp its converted and logical types (unit, isAdjustedToUTC). Other annotations are left out:
 * the engines annotate the same physical types differently (DuckDB INT_32 on ints, Spark the String
 * logical type on strings), which readers treat alike.
 */
async function parquetTypes(dir: string, prefix: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT DISTINCT name, type, CASE WHEN logical_type LIKE 'TimestampType%' THEN converted_type || ' ' || logical_type END AS timestamp_type
       FROM parquet_schema('${join(dir, prefix)}**/*.parquet') WHERE num_children IS NULL OR num_children = 0 ORDER BY name`,
    );
    return reader.getRowObjectsJS().map((row) => [row.name, row.type, row.timestamp_type].filter((part) => part !== null).map(String).join(' '));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Generated traffic with every fault kind the generator injects. */
async function faultyTraffic(store: ObjectStore): Promise<void> {
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.04]));
  await runGenerator(store, { seed: 'spark-equivalence', start: NOW.getTime() / 1000 - 2 * 86400, events: 800, users: 60, eventsPerFile: 300, faults });
}

async function seedLake(lake: TempLake): Promise<void> {
  await putRaw(lake.store, [...mixedDataset(), adversarialFile()]);
  await faultyTraffic(lake.store);
  await lake.store.put(LOCATIONS_KEY, locationsCsv(readBundledLocations()));
}

async function copyLake(from: ObjectStore, to: ObjectStore): Promise<void> {
  for await (const object of from.list('')) await to.put(object.key, await from.get(object.key));
}

/** Rows as comparable text: every value (bigints, dates, doubles) by its JSON-ish text, runs left out. */
function comparable(rows: readonly Row[], drop: readonly string[]): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(Object.entries(row).filter(([name]) => !drop.includes(name)).sort(([a], [b]) => (a < b ? -1 : 1))),
        (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value),
      ),
    )
    .sort();
}

/** Rows each side has and the other lacks: empty both ways when the tables are equal. */
function difference(actual: readonly string[], expected: readonly string[]): { onlyActual: string[]; onlyExpected: string[] } {
  const left = new Set(actual);
  const right = new Set(expected);
  return { onlyActual: actual.filter((row) => !right.has(row)), onlyExpected: expected.filter((row) => !left.has(row)) };
}

function sameCounts(summary: EtlSummary): Record<string, unknown> {
  return { linesRead: summary.linesRead, loaded: summary.loaded, rejected: summary.rejected, duplicates: summary.duplicates, files: summary.files, filesMoved: summary.filesMoved };
}

/** Where a hand-made line sits: the adversarial file, at its line number. */
function adversarialLine(line: string): string {
  const file = adversarialFile();
  return `${file.key}#${file.text.split('\r\n').indexOf(line) + 1}`;
}

const lineOf = (row: Row): string => `${String(row.source_key)}#${Number(row.line_number)}`;
const isKnownDifference = (row: Row): boolean => row.event_id === KNOWN_DIFFERENCE.eventId || lineOf(row) === adversarialLine(KNOWN_DIFFERENCE.line);

describe('the Glue job on local Spark (Glue 5.0: pyspark 3.5.4, Python 3.11, Java 17)', function () {
  this.timeout(1_800_000);
  let duck: TempLake;
  let spark: TempLake;
  let duckSummary: EtlSummary;
  let sparkSummary: EtlSummary;

  before(async function () {
    duck = tempLake();
    spark = tempLake();
    await seedLake(duck);
    await copyLake(duck.store, spark.store);
    const runner = await sharedSpark();
    duckSummary = await runEtl(duck.lake, { now: NOW, log: () => undefined, threads: 2 });
    sparkSummary = await runSparkEtl(spark.lake, runner, { now: NOW });
  });
  after(() => {
    duck?.remove();
    spark?.remove();
  });

  it('counts every line as the DuckDB engine does: read, loaded, rejected by reason, duplicates, files (the known difference aside)', () => {
    const sparkCounts = { ...sparkSummary, loaded: sparkSummary.loaded - 1, rejected: { ...sparkSummary.rejected, wrong_type: sparkSummary.rejected.wrong_type + 1 } };
    expect(sameCounts(sparkCounts)).to.deep.equal(sameCounts(duckSummary));
    for (const kind of ['malformed_json', 'missing_field', 'wrong_type', 'unknown_location', 'timestamp_out_of_window'] as const) {
      expect(sparkSummary.rejected[kind], kind).to.be.greaterThan(0);
    }
    expect(sparkSummary.duplicates.duplicate_in_run).to.be.greaterThan(0);
  });

  it('writes the same events, every column compared as values', async () => {
    const duckRows = await readTable(duck.dir, EVENTS.prefix);
    const sparkRows = await readTable(spark.dir, EVENTS.prefix);
    expect(sparkRows.length).to.equal(sparkSummary.loaded);
    const sparkCompared = sparkRows.filter((row) => !isKnownDifference(row));
    expect(difference(comparable(sparkCompared, ['run_id']), comparable(duckRows, ['run_id']))).to.deep.equal({ onlyActual: [], onlyExpected: [] });
  });

  it('writes the same rejected rows: source key, line, reason code and detail, the line as read', async () => {
    const duckRows = await readTable(duck.dir, REJECTED_EVENTS.prefix);
    const sparkRows = await readTable(spark.dir, REJECTED_EVENTS.prefix);
    const duckCompared = duckRows.filter((row) => !isKnownDifference(row));
    expect(sparkRows.length).to.equal(duckCompared.length);
    expect(difference(comparable(sparkRows, ['run_id', 'rejected_at']), comparable(duckCompared, ['run_id', 'rejected_at']))).to.deep.equal({ onlyActual: [], onlyExpected: [] });
    // Details as DuckDB writes them (finding 3), 1e400 as wrong_type (finding 4), a key given twice (finding 5).
    const details = sparkRows.map((row) => String(row.reason_detail));
    expect(details).to.include('event_type "pürchase" is not one of page_view, product_view, search, add_to_cart, remove_from_cart, checkout, purchase, click');
    expect(details).to.include('user_age must be a whole number, got 123456789.125');
    expect(details).to.include('user_age must be between 13 and 120, got 10000000.0');
    expect(details).to.include('quantity must be between 1 and 1000, got 10000000');
    expect(details).to.include('quantity must be a whole number, got 1e-7');
    expect(details).to.include('timestamp must be a number, got 1e400');
    expect(details).to.include('user_age must be a number, got -1e400');
    expect(details).to.include('price must be a number, got "abc"');
  });

  it('names its files as the DuckDB engine does and writes Parquet of the same physical types: timestamps as INT64, not INT96', async () => {
    const names = (summary: EtlSummary): string[] => summary.outputs.map((output) => output.key.replace(summary.runs[0], '<run>')).sort();
    expect(names(sparkSummary)).to.deep.equal(names(duckSummary));
    expect(names(sparkSummary).some((name) => name.includes('__HIVE_DEFAULT_PARTITION__')), 'no event without a date').to.equal(false);
    for (const table of [EVENTS, REJECTED_EVENTS]) {
      const sparkTypes = await parquetTypes(spark.dir, table.prefix);
      expect(sparkTypes, table.name).to.deep.equal(await parquetTypes(duck.dir, table.prefix));
      const timestamp = table === EVENTS ? 'click_date' : 'rejected_at';
      expect(sparkTypes.find((column) => column.startsWith(`${timestamp} `)), table.name).to.match(/^\S+ INT64 TIMESTAMP_MICROS TimestampType\(isAdjustedToUTC=0/);
    }
  });

  it('still reads a key given first as a string holding a number, then as a number, differently: DuckDB rejects the line, Spark loads it', async () => {
    const duckRejected = (await readTable(duck.dir, REJECTED_EVENTS.prefix)).filter(isKnownDifference);
    expect(duckRejected.map((row) => [row.reason_code, row.reason_detail])).to.deep.equal([['wrong_type', 'price must be a number, got "5"']]);
    const sparkEvents = (await readTable(spark.dir, EVENTS.prefix)).filter(isKnownDifference);
    expect(sparkEvents.map((row) => row.price)).to.deep.equal([5]);
    expect((await readTable(duck.dir, EVENTS.prefix)).filter(isKnownDifference)).to.deep.equal([]);
  });

  it('gives each hand-made line the reason model/validate.ts gives, but where a key is given twice (engines read the first copy, JSON.parse the last)', async () => {
    const files = [...mixedDataset(), adversarialFile()];
    const keys = new Set(files.map((file) => file.key));
    const expected = expectedFrom(files);
    const rejected = (await readTable(spark.dir, REJECTED_EVENTS.prefix)).filter((row) => keys.has(String(row.source_key)));
    const reasons = new Map(rejected.map((row) => [lineOf(row), String(row.reason_code)]));
    // First copy "abc": rejected, where JSON.parse reads the number after it.
    const stringFirst = adversarialLine(FIRST_COPY_LINES.stringThenNumber);
    expect([reasons.get(stringFirst), expected.rejected.get(stringFirst)]).to.deep.equal(['wrong_type', undefined]);
    reasons.delete(stringFirst);
    // First copy a number: loaded, where JSON.parse reads the "abc" after it.
    const numberFirst = adversarialLine(FIRST_COPY_LINES.numberThenString);
    expect([reasons.get(numberFirst), expected.rejected.get(numberFirst)]).to.deep.equal([undefined, 'wrong_type']);
    const expectedRejected = new Map(expected.rejected);
    expectedRejected.delete(numberFirst);
    expect(Object.fromEntries(reasons)).to.deep.equal(Object.fromEntries(expectedRejected));
  });
});

/** Events that load, with text a CSV writer must quote or keep as is, and numbers it lays out in either notation. */
function csvTextFile(): RawFile {
  const lines = [
    currentEvent(500, { event_id: 'evt-"500",\nquoted', user_id: '  padded  ', product_id: 'back\\slash\ttab' }),
    currentEvent(501, { utm_campaign: 'line one\nline two', utm_source: 'a,b;c', referrer: 'https://ü.example/😀?q=用户' }),
    currentEvent(504, { price: 0.00005, quantity: 3 }),
    currentEvent(508, { price: 999999.99, quantity: 1000 }),
    currentEvent(512, { price: 33.33, quantity: 3 }),
    currentEvent(516, { price: 1e6, quantity: 1000 }),
  ];
  return { key: 'raw/2026/11/24/13/csv-text.jsonl', text: `${lines.map(json).join('\n')}\n` };
}

/** CSV text split into records; a line break inside a quoted value stays in its record. */
function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '"') quoted = !quoted;
    else if (text[index] === '\n' && !quoted) {
      records.push(text.slice(start, index));
      start = index + 1;
    }
  }
  return text.length > start ? [...records, text.slice(start)] : records;
}

/**
 * A CSV table's files as a user opens them, with run ids (in names and the run_id column) masked: per
 * file, its header line and its rows as text, sorted (row order within a file is no contract).
 */
function csvText(dir: string, prefix: string, summaries: readonly EtlSummary[]): Record<string, { header: string; rows: string[] }> {
  const mask = (text: string): string => summaries.flatMap((summary) => summary.runs).reduce((masked, run) => masked.split(run).join('<run>'), text);
  return Object.fromEntries(
    keysUnder(dir, prefix).map((key) => {
      const [header, ...rows] = csvRecords(mask(readFileSync(join(dir, key), 'utf8')));
      return [mask(key), { header, rows: rows.sort() }];
    }),
  );
}

describe('the Glue job on local Spark writing events as CSV (--format csv), against the DuckDB engine', function () {
  this.timeout(1_800_000);
  const replayed = [...mixedDataset(), adversarialFile(), csvTextFile()];
  let duck: TempLake;
  let spark: TempLake;
  const duckRuns: EtlSummary[] = [];
  const sparkRuns: EtlSummary[] = [];

  before(async function () {
    duck = tempLake();
    spark = tempLake();
    await seedLake(duck);
    await putRaw(duck.store, [csvTextFile()]);
    await copyLake(duck.store, spark.store);
    const runner = await sharedSpark();
    duckRuns.push(await runEtl(duck.lake, { now: NOW, log: () => undefined, threads: 2, format: 'csv' }));
    sparkRuns.push(await runSparkEtl(spark.lake, runner, { now: NOW, format: 'csv' }));
    // The same files come back: every event in them is already stored, in CSV.
    await putRaw(duck.store, replayed);
    await putRaw(spark.store, replayed);
    duckRuns.push(await runEtl(duck.lake, { now: NOW, log: () => undefined, threads: 2, format: 'csv' }));
    sparkRuns.push(await runSparkEtl(spark.lake, runner, { now: NOW, format: 'csv' }));
  });
  after(() => {
    duck?.remove();
    spark?.remove();
  });

  it('writes the same CSV files: names, header, and every row as text (numbers, quoting, timestamps), the known difference aside', () => {
    const sparkFiles = csvText(spark.dir, EVENTS.prefix, sparkRuns);
    const duckFiles = csvText(duck.dir, EVENTS.prefix, duckRuns);
    expect(Object.keys(sparkFiles).every((key) => key.endsWith('.csv'))).to.equal(true);
    expect(Object.keys(sparkFiles)).to.deep.equal(Object.keys(duckFiles));
    for (const [key, file] of Object.entries(sparkFiles)) {
      expect(file.header, key).to.equal(EVENTS.columns.map((column) => column.name).join(','));
      expect(file.header, key).to.equal(duckFiles[key].header);
      const rows = file.rows.filter((row) => !row.startsWith(`${KNOWN_DIFFERENCE.eventId},`));
      expect(difference(rows, duckFiles[key].rows), key).to.deep.equal({ onlyActual: [], onlyExpected: [] });
    }
    // What a user sees in the files: click_date as DuckDB writes it (no T, no zone, no fraction), before
    // epoch_seconds and event_hour; quotes doubled; spaces and line breaks kept; numbers in DuckDB's notation.
    const rows = Object.values(sparkFiles).flatMap((file) => file.rows);
    expect(rows.filter((row) => !/,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+,\d+,/.test(row))).to.deep.equal([]);
    const row = (eventId: string): string => rows.find((text) => text.startsWith(eventId)) ?? `no row for ${eventId}`;
    expect(row('"evt-""500"",\nquoted",')).to.include(',  padded  ,').and.include(',back\\slash\ttab,');
    expect(row('evt-000501,')).to.include(',"a,b;c",,"line one\nline two",').and.include(',https://ü.example/😀?q=用户,');
    expect(row('evt-000504,')).to.include(',5e-05,3,0.00015000000000000001,');
    expect(row('evt-000508,')).to.include(',999999.99,1000,999999990.0,');
    expect(row('evt-000512,')).to.include(',33.33,3,99.99,');
    expect(row('evt-000516,')).to.include(',1000000.0,1000,1000000000.0,');
  });

  it('counts a second run\'s events as already loaded, reading the stored ids from CSV, and writes no new events', async () => {
    const [first, second] = sparkRuns;
    expect(first.loaded).to.be.greaterThan(0);
    const stored = (await readTable(spark.dir, EVENTS.prefix, 'csv')).filter((row) => replayed.some((file) => file.key === row.source_key));
    expect(second.loaded).to.equal(0);
    expect(second.duplicates.already_loaded).to.equal(stored.length);
    expect(second.duplicates.already_loaded).to.equal(duckRuns[1].duplicates.already_loaded + 1, 'the known difference: loaded by Spark only');
    expect(second.outputs.filter((output) => output.key.startsWith(EVENTS.prefix))).to.deep.equal([]);
    expect(await readTable(spark.dir, EVENTS.prefix, 'csv')).to.have.length(first.loaded);
  });
});
