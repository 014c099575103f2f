import { expect } from 'chai';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { CRASH_POINTS, CrashInjectedError } from '../../etl/protocol/crash';
import { EtlLockedError } from '../../etl/protocol/lease';
import { OPEN_PREFIX, RUNS_PREFIX } from '../../etl/protocol/run-state';
import { runEtl, type EtlOptions } from '../../etl/run';
import { NOW, expectedFrom, keysUnder, mixedDataset, putRaw, readTable, tempLake, type Expected, type TempLake } from './lake-fixture';

const HOUR = 3600 * 1000;
/** Leases and records on a clock the test moves; one object at a time, so a crash mid-way is mid-way. */
function options(clockMs: number, extra: Partial<EtlOptions> = {}): EtlOptions {
  return { now: NOW, clock: () => clockMs, log: () => undefined, threads: 2, concurrency: 1, ...extra };
}

async function expectExactlyOnce(lake: TempLake, expected: Expected, inputKeys: readonly string[]): Promise<void> {
  const events = await readTable(lake.dir, EVENTS.prefix);
  const ids = events.map((row) => String(row.event_id)).sort();
  expect(ids, 'each valid event exactly once').to.deep.equal([...expected.events.keys()].sort());
  const rejected = await readTable(lake.dir, REJECTED_EVENTS.prefix);
  const lines = rejected.map((row) => `${String(row.source_key)}#${Number(row.line_number)}`).sort();
  expect(lines, 'each rejected line exactly once').to.deep.equal([...expected.rejected.keys()].sort());
  expect(keysUnder(lake.dir, 'raw/'), 'raw/ is empty').to.deep.equal([]);
  expect(keysUnder(lake.dir, 'processed/')).to.deep.equal(inputKeys.map((key) => key.replace(/^raw\//, 'processed/')).sort());
  expect(keysUnder(lake.dir, OPEN_PREFIX), 'no run left open').to.deep.equal([]);
}

describe('the ETL commit protocol', () => {
  let lake: TempLake;
  beforeEach(() => {
    lake = tempLake();
  });
  afterEach(() => lake.remove());

  for (const point of CRASH_POINTS) {
    it(`recovers from a crash ${point.replace('-', ' ')}: the rerun yields each valid event and each rejected line exactly once`, async () => {
      const files = mixedDataset();
      await putRaw(lake.store, files);
      const expected = expectedFrom(files);
      const start = NOW.getTime();

      const crash = await runEtl(lake.lake, options(start, { crashAt: point })).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(crash).to.be.instanceOf(CrashInjectedError);
      expect(keysUnder(lake.dir, OPEN_PREFIX), 'the crashed run is left open').to.not.be.empty;
      const written = keysUnder(lake.dir, EVENTS.prefix).length + keysUnder(lake.dir, REJECTED_EVENTS.prefix).length;
      const left = keysUnder(lake.dir, 'raw/').length;
      if (point === 'after-manifest') expect(written, 'nothing written yet').to.equal(0);
      if (point === 'mid-write') expect(written, 'some outputs written').to.be.greaterThan(0);
      if (point === 'mid-move') expect(left, 'some inputs still in raw/').to.be.within(1, files.length - 1);
      if (point === 'after-move') expect(left, 'every input moved').to.equal(0);

      // The crashed run still holds the lease: a run at once is refused, one after expiry recovers.
      const refused = await runEtl(lake.lake, options(start + 60_000)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(EtlLockedError);

      const rerun = await runEtl(lake.lake, options(start + 2 * HOUR));
      expect(rerun.recovered).to.have.length(1);
      const committedBeforeCrash = point === 'after-commit' || point === 'mid-move' || point === 'after-move';
      expect(rerun.recovered[0].action).to.equal(committedBeforeCrash ? 'rolled_forward' : 'rolled_back');
      await expectExactlyOnce(lake, expected, files.map((file) => file.key));
      expect(rerun.loaded).to.equal(committedBeforeCrash ? 0 : expected.events.size);
      expect(keysUnder(lake.dir, RUNS_PREFIX)).to.have.length(committedBeforeCrash ? 1 : 2);
    });
  }

  it('lets only one of two runs started at once process the inputs', async () => {
    const files = mixedDataset();
    await putRaw(lake.store, files);
    const expected = expectedFrom(files);
    const outcomes = await Promise.allSettled([runEtl(lake.lake, options(NOW.getTime())), runEtl(lake.lake, options(NOW.getTime()))]);
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(fulfilled).to.have.length(1);
    expect(rejected).to.have.length(1);
    expect(rejected[0].reason).to.be.instanceOf(EtlLockedError);
    expect((rejected[0].reason as Error).message).to.include('holds the lease');
    await expectExactlyOnce(lake, expected, files.map((file) => file.key));
  });

  it('frees the lease after a run, so the next one starts at once', async () => {
    await putRaw(lake.store, mixedDataset());
    await runEtl(lake.lake, options(NOW.getTime()));
    const next = await runEtl(lake.lake, options(NOW.getTime() + 1000));
    expect(next.runs).to.deep.equal([]);
  });
});
