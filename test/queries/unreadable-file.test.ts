import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboardServer } from '../../dashboard/server';
import { EVENTS } from '../../model/tables';
import { main, type CliIo } from '../../queries/cli';
import { localLake } from '../../store/lake';
import { DATES, writeLake } from './hand-made-lake';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    athenaClient: () => {
      throw new Error('no Athena in this test');
    },
  };
  return { io, out, err };
}

describe('a corrupt Parquet file in the lake', function () {
  this.timeout(60_000);
  let dir: string;
  const key = `${EVENTS.prefix}event_date=${DATES[1]}/part-0.parquet`;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corrupt-parquet-'));
    await writeLake(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const expectExplained = (message: string, reason: RegExp) => {
    expect(message).to.include(`${key} in file://${dir} is not a readable Parquet file (DuckDB: `);
    expect(message).to.match(reason);
    expect(message).to.include('Move that file out of the lake to query the rest (without its events), or rebuild the lake with npm run local');
    expect(message).to.not.include('LINE 1');
    expect(message).to.not.include('read_parquet');
  };

  it('cut short: query names the file and what to do, not DuckDB\'s SQL', async () => {
    await truncate(join(dir, key), 100);
    const { io, out, err } = capture();
    expect(await main(['hourly_traffic', '--store', dir], io)).to.equal(1);
    expect(out).to.be.empty;
    expectExplained(err.join(''), /No magic bytes found at end of file\)/);
  });

  it('garbled inside, its footer intact: the query that reads it names the file', async () => {
    const path = join(dir, key);
    const bytes = await readFile(path);
    for (let i = 4; i < bytes.length / 2; i++) bytes[i] = (bytes[i] * 7 + 13) % 256;
    await writeFile(path, bytes);
    const { io, err } = capture();
    expect(await main(['hourly_traffic', '--store', dir], io)).to.equal(1);
    expectExplained(err.join(''), /\(DuckDB: .+\)/);
  });

  it('the dashboard refuses to start over it, naming the file', async () => {
    await writeFile(join(dir, key), 'not parquet at all\n');
    const error = await startDashboardServer({ lake: localLake(dir), port: 0 }).then(
      async (server) => {
        await server.close();
        return undefined;
      },
      (e: Error) => e,
    );
    expectExplained((error as Error).message, /No magic bytes/);
    expect((await readdir(dir)).sort()).to.include('results');
  });
});
