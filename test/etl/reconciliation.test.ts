import { expect } from 'chai';
import { FAULT_KINDS } from '../../generator/faults';
import { runGenerator } from '../../generator/run';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { runEtl } from '../../etl/run';
import { NOW, legacyEvent, legacyKey, putRaw, readTable, tempLake, type TempLake } from './lake-fixture';

describe('ETL reconciliation on generated traffic', () => {
  let lake: TempLake;
  beforeEach(() => {
    lake = tempLake();
  });
  afterEach(() => lake.remove());

  it('accounts for every line: loaded + rejected by reason + duplicates = lines read, fault for fault', async () => {
    const rates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.02]));
    const start = Math.floor(NOW.getTime() / 1000) - 3 * 86400;
    const generated = await runGenerator(lake.lake.store('raw'), { seed: 'reconcile', start, events: 6000, faults: rates, eventsPerFile: 800 });
    const gzipped = await runGenerator(lake.lake.store('raw'), { seed: 'reconcile-gz', writerId: 'gz', start, events: 1500, faults: rates, gzip: true });
    const legacy = Array.from({ length: 300 }, (_, index) => legacyEvent(index));
    await putRaw(lake.store, legacy.map((event) => ({ key: legacyKey(event), text: JSON.stringify(event) })));
    for (const kind of FAULT_KINDS) expect(generated.faults[kind], kind).to.be.greaterThan(0);

    const summary = await runEtl(lake.lake, { now: NOW, log: () => undefined, threads: 2 });

    const faults = (kind: (typeof FAULT_KINDS)[number]): number => generated.faults[kind] + gzipped.faults[kind];
    const lines = generated.events + gzipped.events + legacy.length;
    const injected = FAULT_KINDS.reduce((sum, kind) => sum + faults(kind), 0);
    expect(summary.files).to.equal(generated.files + gzipped.files + legacy.length);
    expect(summary.linesRead).to.equal(lines);
    for (const kind of FAULT_KINDS.filter((each) => each !== 'duplicate_event_id')) {
      expect(summary.rejected[kind], kind).to.equal(faults(kind));
    }
    expect(summary.rejectedTotal).to.equal(injected - faults('duplicate_event_id'));
    expect(summary.duplicates).to.deep.equal({ duplicate_in_run: faults('duplicate_event_id'), already_loaded: 0, already_rejected: 0 });
    expect(summary.loaded).to.equal(lines - injected);
    expect(summary.loaded + summary.rejectedTotal + summary.duplicatesTotal).to.equal(summary.linesRead);

    expect(await readTable(lake.dir, EVENTS.prefix)).to.have.length(summary.loaded);
    expect(await readTable(lake.dir, REJECTED_EVENTS.prefix)).to.have.length(summary.rejectedTotal);
  });

  it('loads and quarantines nothing twice when the same traffic is generated again into a kept lake (npm run local -- --keep)', async () => {
    const rates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.02]));
    const options = { seed: 'keep', start: Math.floor(NOW.getTime() / 1000) - 86400, events: 2000, faults: rates, eventsPerFile: 500 };
    await runGenerator(lake.lake.store('raw'), options);
    const first = await runEtl(lake.lake, { now: NOW, log: () => undefined, threads: 2 });
    await runGenerator(lake.lake.store('raw'), options);
    const second = await runEtl(lake.lake, { now: NOW, log: () => undefined, threads: 2 });

    expect(first.rejectedTotal).to.be.greaterThan(0);
    expect(second.loaded).to.equal(0);
    expect(second.rejectedTotal).to.equal(0);
    expect(second.duplicates.already_loaded).to.equal(first.loaded);
    expect(second.duplicates.already_rejected).to.equal(first.rejectedTotal);
    expect(await readTable(lake.dir, EVENTS.prefix)).to.have.length(first.loaded);
    expect(await readTable(lake.dir, REJECTED_EVENTS.prefix)).to.have.length(first.rejectedTotal);
  });
});
