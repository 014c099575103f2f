import { expect } from 'chai';
import { EVENT_FIELDS } from '../../model/events';
import { AREAS, PREFIXES, processedKeyFor } from '../../model/layout';
import { EVENTS, LOCATIONS, RAW_EVENTS, TABLES, databaseName, partitionFolder, tableByName } from '../../model/tables';

/** The original application's results table (../shared/seed/README.md), in snake_case. */
const ORIGINAL_RESULT_COLUMNS = ['user_age', 'continent', 'country_name', 'user_action', 'product_category', 'event_type', 'click_date', 'user_id'];

describe('table model', () => {
  it('keeps every column of the original results table in events, under snake_case names', () => {
    const names = EVENTS.columns.map((column) => column.name);
    expect(names).to.include.members(ORIGINAL_RESULT_COLUMNS);
  });

  it('partitions events by event_date', () => {
    expect(EVENTS.partitionKeys.map((key) => key.name)).to.deep.equal(['event_date']);
    expect(EVENTS.format).to.equal('parquet');
  });

  it('gives raw_events one column per field of the event contract', () => {
    expect(RAW_EVENTS.columns.map((column) => column.name)).to.deep.equal(EVENT_FIELDS.map((field) => field.name));
  });

  for (const table of TABLES) {
    it(`defines ${table.name} with unique, documented columns under its area's prefix`, () => {
      const names = [...table.columns, ...table.partitionKeys].map((column) => column.name);
      expect(new Set(names).size).to.equal(names.length);
      for (const column of [...table.columns, ...table.partitionKeys]) {
        expect(column.name).to.match(/^[a-z][a-z0-9_]*$/);
        expect(column.description).to.not.be.empty;
      }
      expect(table.prefix.startsWith(PREFIXES[table.area])).to.equal(true);
      expect(table.prefix.endsWith('/')).to.equal(true);
    });
  }

  it('keeps every area under its own prefix', () => {
    const prefixes = AREAS.map((area) => PREFIXES[area]);
    for (const prefix of prefixes) {
      expect(prefixes.filter((other) => other !== prefix && other.startsWith(prefix))).to.be.empty;
    }
  });

  it('moves a consumed raw key to the same path under processed/', () => {
    expect(processedKeyFor('raw/2026/11/25/a b.jsonl')).to.equal('processed/2026/11/25/a b.jsonl');
    expect(() => processedKeyFor('results/x')).to.throw(/is not under raw\//);
  });

  it('names a partition folder the Hive way that Glue, Athena and DuckDB read', () => {
    expect(partitionFolder(EVENTS, '2026-11-25')).to.equal('event_date=2026-11-25');
    expect(() => partitionFolder(LOCATIONS, 'x')).to.throw('partitionFolder: table locations has 0 partition keys; it takes a table with exactly one');
  });

  it('names a missing table and lists the known ones', () => {
    expect(tableByName('events')).to.equal(EVENTS);
    expect(() => tableByName('clicks')).to.throw('unknown table "clicks"; the model defines raw_events, events, session_days, rejected_events, locations');
  });

  it('derives a Glue-safe database name from the stage', () => {
    expect(databaseName('dev')).to.equal('clickstream_dev');
    expect(databaseName('pr-42')).to.equal('clickstream_pr_42');
  });
});
