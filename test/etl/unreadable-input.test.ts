import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import { runEtl } from '../../etl/run';
import type { EtlSummary } from '../../etl/summary';
import { NOW, currentEvent, keysUnder, putRaw, readTable, tempLake, type TempLake } from './lake-fixture';

const REPO = join(__dirname, '..', '..');
/** The user `nobody`: root reads every file, so the permission case runs the ETL as another user. */
const NOBODY = 65534;

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) chownSync(join(entry.parentPath, entry.name), uid, uid);
}

/** Whether `nobody` can read this checkout (not so under a private home folder). */
function nobodyReadsTheRepository(): boolean {
  const probe = `require('fs').readFileSync(${JSON.stringify(join(REPO, 'etl', 'cli.ts'))})`;
  return spawnSync(process.execPath, ['-e', probe], { uid: NOBODY, gid: NOBODY }).status === 0;
}

/**
 * The ETL on the lake, unable to read `deniedPath` (mode 000). Root reads every file, so as root it is
 * `npm run etl -- --json` run as `nobody`, who owns the lake but not that file.
 */
async function etlWithoutPermission(lake: TempLake, deniedPath: string): Promise<EtlSummary> {
  chmodSync(deniedPath, 0o000);
  if (process.getuid?.() !== 0) return runEtl(lake.lake, { now: NOW, log: () => undefined, threads: 2 });
  chownTree(lake.dir, NOBODY);
  chownSync(deniedPath, 0, 0);
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'etl/cli.ts', '--store', lake.dir, '--now', NOW.toISOString(), '--json'], {
    cwd: REPO,
    uid: NOBODY,
    gid: NOBODY,
    encoding: 'utf8',
    env: { ...process.env, HOME: lake.dir },
  });
  expect(result.status, result.stderr).to.equal(0);
  return JSON.parse(result.stdout) as EtlSummary;
}

describe('the ETL on a file it may not read', () => {
  let lake: TempLake;
  beforeEach(() => {
    lake = tempLake();
  });
  afterEach(() => lake.remove());

  it('quarantines the file whole with the system\'s message, loads the rest of the batch and moves every file to processed/', async function () {
    if (process.getuid?.() === 0 && !nobodyReadsTheRepository()) this.skip(); // root, and no other user can run the checkout
    const good = { key: 'raw/2026/11/24/13/good.jsonl', text: `${JSON.stringify(currentEvent(1))}\n${JSON.stringify(currentEvent(2))}\n` };
    const denied = { key: 'raw/2026/11/24/13/denied.jsonl', text: `${JSON.stringify(currentEvent(3))}\n` };
    await putRaw(lake.store, [good, denied]);
    const deniedPath = join(lake.dir, denied.key);
    const summary = await etlWithoutPermission(lake, deniedPath);
    chmodSync(join(lake.dir, denied.key.replace(/^raw\//, 'processed/')), 0o644);

    expect(summary.filesUnreadable).to.equal(1);
    expect(summary.loaded).to.equal(2);
    expect(summary.rejected.unreadable_file).to.equal(1);
    expect(keysUnder(lake.dir, 'raw/')).to.deep.equal([]);
    expect(keysUnder(lake.dir, 'processed/')).to.deep.equal([denied.key, good.key].map((key) => key.replace(/^raw\//, 'processed/')));
    expect((await readTable(lake.dir, EVENTS.prefix)).map((row) => row.event_id).sort()).to.deep.equal(['evt-000001', 'evt-000002']);
    const rejected = await readTable(lake.dir, REJECTED_EVENTS.prefix);
    expect(rejected).to.have.length(1);
    expect(rejected[0]).to.include({ source_key: denied.key, line_number: 0n, reason_code: 'unreadable_file', raw_line: null });
    expect(String(rejected[0].reason_detail)).to.include('EACCES').and.include('processed/');
  });
});
