/**
 * The Glue job (etl/glue_job.py) on local Spark, as Glue 5.0 runs it, against the DuckDB engine: the
 * same input gives the same events (every column, as values) and the same rejected rows. One Spark
 * (one JVM) and one moto server serve the whole test run (test/twin.ts).
 */
import { expect } from 'chai';
import { join } from 'node:path';
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
import { NOW, currentEvent, expectedFrom, mixedDataset, putRaw, readTable, tempLake, type RawFile, type Row, type TempLake } from './lake-fixture';

const json = (value: unknown): string => JSON.stringify(value);

/** Lines that parsers disagree on: a BOM, CRLF, blank lines, unicode, numbers past a double, keys given twice. */
export function adversarialFile(): RawFile {
  const purchase = currentEvent(200);
  const lines = [
    `\uFEFF${json(currentEvent(201))}`,
    json(currentEvent(202, { user_id: 'ü-😀-用户', product_id: 'é/\\"x' })),
    json(currentEvent(203)).replace(/"timestamp":\d+/, '"timestamp":1e400'),
    json(currentEvent(205)).replace(/"user_age":\d+/, '"user_age":-1e400'),
    `{"price":"abc",${json(purchase).slice(1)}`,
    json(currentEvent(206, { event_type: 'pürchase' })),
    json(currentEvent(207, { quantity: 1e7 })),
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
    'null',
    '"just a string"',
    '',
    '  \t ',
  ];
  return { key: 'raw/2026/11/24/12/adversarial, [a-z]*?{x}.jsonl', text: `${lines.join('\r\n')}\r\n\r\n` };
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

  it('counts every line as the DuckDB engine does: read, loaded, rejected by reason, duplicates, files', () => {
    expect(sameCounts(sparkSummary)).to.deep.equal(sameCounts(duckSummary));
    for (const kind of ['malformed_json', 'missing_field', 'wrong_type', 'unknown_location', 'timestamp_out_of_window'] as const) {
      expect(sparkSummary.rejected[kind], kind).to.be.greaterThan(0);
    }
    expect(sparkSummary.duplicates.duplicate_in_run).to.be.greaterThan(0);
  });

  it('writes the same events, every column compared as values', async () => {
    const duckRows = await readTable(duck.dir, EVENTS.prefix);
    const sparkRows = await readTable(spark.dir, EVENTS.prefix);
    expect(sparkRows.length).to.equal(duckSummary.loaded);
    expect(difference(comparable(sparkRows, ['run_id']), comparable(duckRows, ['run_id']))).to.deep.equal({ onlyActual: [], onlyExpected: [] });
  });

  it('writes the same rejected rows: source key, line, reason code and detail, the line as read', async () => {
    const duckRows = await readTable(duck.dir, REJECTED_EVENTS.prefix);
    const sparkRows = await readTable(spark.dir, REJECTED_EVENTS.prefix);
    expect(sparkRows.length).to.equal(duckRows.length);
    expect(difference(comparable(sparkRows, ['run_id', 'rejected_at']), comparable(duckRows, ['run_id', 'rejected_at']))).to.deep.equal({ onlyActual: [], onlyExpected: [] });
    const details = sparkRows.map((row) => String(row.reason_detail));
    expect(details).to.include('event_type "pürchase" is not one of page_view, product_view, search, add_to_cart, remove_from_cart, checkout, purchase, click');
    expect(details).to.include('user_age must be a whole number, got 123456789.125');
    expect(details).to.include('timestamp must be a number, got 1e400');
    expect(details).to.include('price must be a number, got "abc"');
  });

  it('names its files and timestamps as the DuckDB engine does', async () => {
    const names = (summary: EtlSummary): string[] => summary.outputs.map((output) => output.key.replace(summary.runs[0], '<run>')).sort();
    expect(names(sparkSummary)).to.deep.equal(names(duckSummary));
    const types = async (dir: string): Promise<string[]> => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const reader = await connection.runAndReadAll(
        `SELECT DISTINCT name, type, logical_type FROM parquet_schema('${join(dir, EVENTS.prefix)}**/*.parquet') WHERE name IN ('click_date') ORDER BY name`,
      );
      const rows = reader.getRowObjectsJS().map((row) => `${String(row.name)} ${String(row.type)} ${String(row.logical_type)}`);
      connection.closeSync();
      instance.closeSync();
      return rows;
    };
    expect(await types(spark.dir)).to.deep.equal(await types(duck.dir));
  });

  it('matches expectations computed from the raw lines with model/validate.ts', () => {
    const files = [...mixedDataset(), adversarialFile()];
    const expected = expectedFrom(files);
    expect(expected.rejected.size).to.be.greaterThan(10);
    expect(sparkSummary.linesRead).to.be.greaterThan(expected.linesRead);
  });
});
