import { expect } from 'chai';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { LOCATIONS_KEY } from '../../model/layout';
import { locationsCsv, readBundledLocations } from '../../model/locations';
import { runEtl, type EtlOptions } from '../../etl/run';
import { finalKey, type FinalRecord } from '../../etl/protocol/run-state';
import { join } from 'node:path';
import { REASON_CODE_LIST } from '../../model/reasons';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatSummary } from '../../etl/summary';
import { ETL_STEPS, stepLabel } from '../../etl/step-times';
import { EVENTS_ROW_GROUP_ROWS } from '../../etl/duckdb-engine';
import { NOW, currentEvent, expectedFrom, keysUnder, mixedDataset, parquetCodecs, putRaw, readTable, tempLake, type TempLake } from './lake-fixture';

const quiet: EtlOptions = { now: NOW, log: () => undefined, threads: 2 };

describe('runEtl on a folder lake', () => {
  let lake: TempLake;
  beforeEach(() => {
    lake = tempLake();
  });
  afterEach(() => lake.remove());

  it('loads each valid event once, rejects each bad line with validate.ts\'s reason, and the counts reconcile', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const expected = expectedFrom(files);
    // The dataset holds a line for every reason code, and duplicates.
    expect(new Set(expected.rejected.values()).size).to.equal(REASON_CODE_LIST.length);
    expect(expected.duplicates).to.be.greaterThan(0);
    const summary = await runEtl(lake.lake, quiet);

    expect(summary.linesRead).to.equal(expected.linesRead);
    expect(summary.loaded).to.equal(expected.events.size);
    expect(summary.rejectedTotal).to.equal(expected.rejected.size);
    expect(summary.duplicatesTotal).to.equal(expected.duplicates);
    expect(summary.duplicates.duplicate_in_run).to.equal(expected.duplicates);
    expect(summary.filesUnreadable).to.equal(expected.unreadableFiles).and.to.equal(2);
    expect(summary.linesRead + summary.filesUnreadable).to.equal(summary.loaded + summary.rejectedTotal + summary.duplicatesTotal);
    const expectedByReason: Record<string, number> = {};
    for (const code of expected.rejected.values()) expectedByReason[code] = (expectedByReason[code] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(summary.rejected).filter(([, count]) => count > 0))).to.deep.equal(expectedByReason);

    const events = await readTable(lake.dir, EVENTS.prefix);
    expect(events.map((row) => row.event_id).sort()).to.deep.equal([...expected.events.keys()].sort());
    const rejected = await readTable(lake.dir, REJECTED_EVENTS.prefix);
    expect(new Map(rejected.map((row) => [`${String(row.source_key)}#${Number(row.line_number)}`, row.reason_code]))).to.deep.equal(expected.rejected);

    // The run's record reconciles files too: every input was read or quarantined whole.
    const record = JSON.parse((await lake.store.get(finalKey(summary.runs[0]))).toString('utf8')) as FinalRecord;
    expect(record.counts).to.include({ filesRead: files.length - expected.unreadableFiles, filesUnreadable: expected.unreadableFiles });
    expect(record.inputs).to.equal(files.length);
  });

  it('writes values that match the raw lines and the reference table', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const expected = expectedFrom(files);
    const summary = await runEtl(lake.lake, quiet);
    const locations = new Map(readBundledLocations().map((location) => [location.id, location]));
    const events = await readTable(lake.dir, EVENTS.prefix);
    expect(events).to.have.length(expected.events.size);
    for (const row of events) {
      const source = expected.events.get(String(row.event_id));
      expect(source, String(row.event_id)).to.not.equal(undefined);
      const raw = source!.event;
      const timestamp = raw.timestamp as number;
      const time = new Date(timestamp * 1000);
      const location = locations.get(Number(raw.location))!;
      expect(row.source_key).to.equal(source!.sourceKey);
      expect(row.run_id).to.equal(summary.runs[0]);
      expect(row.schema_version).to.equal(raw.schema_version ?? 1);
      expect(row.event_type).to.equal(raw.event_type);
      expect(row.user_id).to.equal(raw.user_id);
      expect(row.session_id).to.equal(raw.session_id ?? null);
      expect(row.user_age).to.equal(raw.user_age);
      expect(row.location_id).to.equal(Number(raw.location));
      expect(row.country_name).to.equal(location.countryName);
      expect(row.continent).to.equal(location.continent);
      expect(row.country_iso2).to.equal(location.isoAlpha2);
      expect(row.country_iso3).to.equal(location.isoAlpha3);
      expect(row.country_numeric).to.equal(location.isoNumeric);
      expect(Number(row.epoch_seconds)).to.equal(timestamp);
      expect((row.click_date as Date).getTime()).to.equal(time.getTime());
      expect(row.event_hour).to.equal(time.getUTCHours());
      expect((row.event_date as Date).toISOString().slice(0, 10)).to.equal(time.toISOString().slice(0, 10));
      const revenue = raw.event_type === 'purchase' && raw.price != null && raw.quantity != null ? (raw.price as number) * (raw.quantity as number) : null;
      expect(row.revenue).to.equal(revenue);
    }
  });

  it('writes events with the columns of model/tables.ts, partitioned by event_date, as zstd Parquet named after the run', async () => {
    await putRaw(lake.store, mixedDataset());
    const summary = await runEtl(lake.lake, quiet);
    const eventKeys = keysUnder(lake.dir, EVENTS.prefix);
    expect(eventKeys).to.not.be.empty;
    for (const key of eventKeys) expect(key).to.match(new RegExp(`^results/events/event_date=\\d{4}-\\d{2}-\\d{2}/part-${summary.runs[0]}-\\d+\\.parquet$`));
    expect(keysUnder(lake.dir, REJECTED_EVENTS.prefix)).to.deep.equal([`${REJECTED_EVENTS.prefix}part-${summary.runs[0]}.parquet`]);
    for (const key of [...eventKeys, ...keysUnder(lake.dir, REJECTED_EVENTS.prefix)]) {
      expect(await parquetCodecs(join(lake.dir, key)), key).to.deep.equal(['ZSTD']);
    }
    const rows = await readTable(lake.dir, EVENTS.prefix);
    expect(Object.keys(rows[0])).to.deep.equal([...EVENTS.columns.map((column) => column.name), 'event_date']);
    const rejected = await readTable(lake.dir, REJECTED_EVENTS.prefix);
    expect(Object.keys(rejected[0])).to.deep.equal(REJECTED_EVENTS.columns.map((column) => column.name));
  });

  it('writes each date\'s events in continent then country order, in row groups a continent filter can skip', async () => {
    const day = Math.floor(NOW.getTime() / 1000) - 2 * 86400;
    // More events than one row group holds, on one date, locations interleaved as a stream has them.
    const count = EVENTS_ROW_GROUP_ROWS + 4000;
    const lines = Array.from({ length: count }, (_, index) => JSON.stringify(currentEvent(index, { timestamp: day + index, location: String(1 + ((index * 7) % 45)) })));
    await putRaw(lake.store, [{ key: 'raw/2026/11/23/12/one-day.jsonl', text: `${lines.join('\n')}\n` }]);
    const summary = await runEtl(lake.lake, quiet);
    expect(summary.loaded).to.equal(count);
    const [file] = keysUnder(lake.dir, EVENTS.prefix);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const path = join(lake.dir, file);
      const rows = (await connection.runAndReadAll(`SELECT continent, country_name FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`)).getRows();
      const keys = rows.map(([continent, country]) => `${String(continent)}\u0000${String(country)}`);
      expect(new Set(rows.map(([continent]) => continent)).size, 'continents in the fixture').to.be.greaterThan(3);
      expect(keys.every((key, index) => index === 0 || keys[index - 1] <= key), 'rows in (continent, country) order').to.equal(true);
      const groups = (await connection.runAndReadAll(
        `SELECT row_group_id, stats_min_value, stats_max_value FROM parquet_metadata('${path}') WHERE path_in_schema = 'continent' ORDER BY row_group_id`,
      )).getRows();
      expect(groups.length, 'row groups').to.be.greaterThan(1);
      // Sorted, the row groups' continent ranges follow one another: a filter reads only those whose range holds its value.
      for (let index = 1; index < groups.length; index++) expect(String(groups[index][1]) >= String(groups[index - 1][2])).to.equal(true);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('says where the time went, step by step, in the summary and its text', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const summary = await runEtl(lake.lake, { ...quiet, maxBatchBytes: 1 });
    expect(summary.runs.length, 'one run per input').to.equal(files.length);
    const steps = summary.stepSeconds!;
    expect(Object.keys(steps)).to.deep.equal([...ETL_STEPS]);
    for (const step of ETL_STEPS) expect(steps[step], step).to.be.greaterThan(0);
    // Summed over the runs, and inside the invocation's wall time (Date.now has whole milliseconds).
    expect(Object.values(steps).reduce((sum, seconds) => sum + seconds, 0)).to.be.at.most(summary.seconds + 0.002);
    const text = formatSummary(summary);
    const slowest = ETL_STEPS.reduce((a, b) => (steps[a] >= steps[b] ? a : b));
    expect(text).to.match(new RegExp(`\\n  by step: +${stepLabel(slowest)} ${steps[slowest].toFixed(2)} s, `));
    expect(text).to.contain('writing session days ');
  });

  it('moves every input to processed/ and leaves keys it does not read in raw/', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    await lake.store.put('raw/notes.txt', 'not an input');
    const summary = await runEtl(lake.lake, quiet);
    expect(summary.filesMoved).to.equal(files.length);
    expect(keysUnder(lake.dir, 'raw/')).to.deep.equal(['raw/notes.txt']);
    expect(keysUnder(lake.dir, 'processed/')).to.deep.equal(files.map((file) => file.key.replace(/^raw\//, 'processed/')).sort());
    expect(summary.ignoredKeys).to.deep.equal(['raw/notes.txt']);
  });

  it('counts events loaded and lines rejected by an earlier run as duplicates when their files come back, legacy and unreadable ones included', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const first = await runEtl(lake.lake, quiet);
    await putRaw(lake.store, files);
    const second = await runEtl(lake.lake, quiet);
    expect(second.loaded).to.equal(0);
    expect(second.outputs.filter((output) => output.key.startsWith(EVENTS.prefix))).to.deep.equal([]);
    expect(second.duplicates.already_loaded + second.duplicates.duplicate_in_run).to.equal(first.loaded + first.duplicatesTotal);
    expect(second.duplicates.already_loaded).to.equal(first.loaded);
    expect((await readTable(lake.dir, EVENTS.prefix)).length).to.equal(first.loaded);

    // Each rejected line (and each unreadable file) is quarantined once: the replay's are duplicates.
    expect(first.rejectedTotal).to.be.greaterThan(0);
    expect(second.rejectedTotal).to.equal(0);
    expect(second.duplicates.already_rejected).to.equal(first.rejectedTotal);
    expect(second.outputs.filter((output) => output.key.startsWith(REJECTED_EVENTS.prefix))).to.deep.equal([]);
    const rejected = await readTable(lake.dir, REJECTED_EVENTS.prefix);
    const lines = rejected.map((row) => `${String(row.source_key)}#${Number(row.line_number)}`);
    expect(new Set(lines).size, 'no (source key, line) twice').to.equal(lines.length);
    expect(lines).to.have.length(first.rejectedTotal);
    expect(second.linesRead + second.filesUnreadable).to.equal(second.loaded + second.rejectedTotal + second.duplicatesTotal);
  });

  it('rejects only the new lines of a replayed file that also holds lines it has not rejected before', async () => {
    const [batchA] = mixedDataset();
    await putRaw(lake.store, [batchA]);
    const first = await runEtl(lake.lake, quiet);
    const extra = ['{"cut', '[]'];
    await putRaw(lake.store, [{ key: batchA.key, text: `${batchA.text}${extra.join('\n')}\n` }]);
    const second = await runEtl(lake.lake, quiet);
    expect(second.rejectedTotal).to.equal(extra.length);
    expect(second.duplicates.already_rejected).to.equal(first.rejectedTotal);
    expect(await readTable(lake.dir, REJECTED_EVENTS.prefix)).to.have.length(first.rejectedTotal + extra.length);
  });

  it('processes inputs in several committed runs when they exceed the batch size, with the same result', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const expected = expectedFrom(files);
    const summary = await runEtl(lake.lake, { ...quiet, maxBatchBytes: 2000 });
    expect(summary.runs.length).to.be.greaterThan(2);
    expect(summary.loaded).to.equal(expected.events.size);
    expect(summary.duplicatesTotal).to.equal(expected.duplicates);
    const events = await readTable(lake.dir, EVENTS.prefix);
    expect(events.map((row) => row.event_id).sort()).to.deep.equal([...expected.events.keys()].sort());
  });

  it('writes events as CSV, in the same columns, when asked', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const summary = await runEtl(lake.lake, { ...quiet, format: 'csv' });
    const keys = keysUnder(lake.dir, EVENTS.prefix);
    expect(keys.every((key) => key.endsWith('.csv'))).to.equal(true);
    const rows = await readTable(lake.dir, EVENTS.prefix, 'csv');
    expect(rows).to.have.length(summary.loaded);
    expect(Object.keys(rows[0])).to.deep.equal([...EVENTS.columns.map((column) => column.name), 'event_date']);
  });

  it('enriches from the lake\'s reference table, and says so when it falls back to the bundled one', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const renamed = readBundledLocations().map((location) => (location.id === 1 ? { ...location, countryName: 'Renamed Land' } : location));
    await lake.store.put(LOCATIONS_KEY, locationsCsv(renamed));
    const notes: string[] = [];
    await runEtl(lake.lake, { ...quiet, log: (message) => notes.push(message) });
    const events = await readTable(lake.dir, EVENTS.prefix);
    expect(events.filter((row) => row.location_id === 1).every((row) => row.country_name === 'Renamed Land')).to.equal(true);
    expect(notes.join('\n')).to.not.include('bundled');

    const other = tempLake();
    try {
      await putRaw(other.store, files);
      const fallbackNotes: string[] = [];
      await runEtl(other.lake, { ...quiet, log: (message) => fallbackNotes.push(message) });
      expect(fallbackNotes.join('\n')).to.include(`${LOCATIONS_KEY} is not in`).and.include('bundled');
    } finally {
      other.remove();
    }
  });

  it('does nothing, and says so, when raw/ is empty', async () => {
    const summary = await runEtl(lake.lake, quiet);
    expect(summary.runs).to.deep.equal([]);
    expect(summary.linesRead).to.equal(0);
  });
});
