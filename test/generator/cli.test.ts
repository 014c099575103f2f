import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { FAULT_KINDS } from '../../generator/faults';
import { parseCli, parseFaults, parseStart } from '../../generator/cli-options';
import type { GenerateSummary } from '../../generator/run';

const run = promisify(execFile);
const CLI = path.join(__dirname, '../../generator/cli.ts');
const TSX = require.resolve('tsx/cli');

describe('generator CLI', function () {
  describe('flags', function () {
    it('maps the flags of the issue onto run options', function () {
      const command = parseCli([
        '--events', '1000000', '--seed', '42', '--users', '5000', '--events-per-file', '20000', '--gzip',
        '--start', '2026-11-01', '--faults', 'all=0.01', '--fault-rate', 'malformed_json=0.05', '--store', 's3://bucket',
      ]);
      expect(command.store).to.equal('s3://bucket');
      expect(command.options).to.include({ events: 1_000_000, seed: '42', users: 5000, eventsPerFile: 20_000, gzip: true });
      expect(command.options.start).to.equal(Date.UTC(2026, 10, 1) / 1000);
      expect(command.options.faults).to.include({ malformed_json: 0.05, duplicate_event_id: 0.01 });
    });

    it('defaults to 200,000 events of seed 42 into .lake, and to no end in real-time mode', function () {
      const command = parseCli([]);
      expect(command.store).to.equal('.lake');
      expect(command.options).to.include({ events: 200_000, seed: '42', gzip: false });
      expect(command.options.faults).to.deep.equal({});
      expect(parseCli(['--duration-hours', '48']).options.events).to.equal(undefined);
      expect(parseCli(['--rate', '50']).options).to.include({ rate: 50, events: undefined, durationHours: undefined });
    });

    it('reads start times as ISO dates, UTC date-times, zoned date-times or epoch seconds', function () {
      expect(parseStart('2026-11-01')).to.equal(Date.UTC(2026, 10, 1) / 1000);
      expect(parseStart('2026-11-01T06:30')).to.equal(Date.UTC(2026, 10, 1, 6, 30) / 1000);
      expect(parseStart('2026-11-01T06:30:00+02:00')).to.equal(Date.UTC(2026, 10, 1, 4, 30) / 1000);
      expect(parseStart('1795000000')).to.equal(1_795_000_000);
      expect(() => parseStart('yesterday')).to.throw(/--start "yesterday" is not a time; use an ISO date/);
    });

    it('expands all= to every fault kind and names a bad kind or fraction', function () {
      expect(Object.keys(parseFaults('faults', ['all=0.02']))).to.deep.equal([...FAULT_KINDS]);
      expect(() => parseFaults('faults', ['typo=0.1'])).to.throw(/unknown fault kind "typo"; use all or one of malformed_json/);
      expect(() => parseFaults('fault-rate', ['wrong_type=3'])).to.throw(/--fault-rate "wrong_type=3" is not kind=fraction/);
    });

    it('names the flag, the value and what is allowed when a flag is wrong', function () {
      expect(() => parseCli(['--events', 'lots'])).to.throw(/--events "lots" is not a whole number >= 1/);
      expect(() => parseCli(['--gzip-level', '12'])).to.throw(/--gzip-level "12" is above 9/);
      expect(() => parseCli(['--duration-hours=-1'])).to.throw(/--duration-hours "-1" is not a number greater than 0/);
      expect(() => parseCli(['--rate', '10', '--start', '2026-11-01'])).to.throw(/cannot be combined with --rate/);
      expect(() => parseCli(['--evnets', '10'])).to.throw(/unknown option --evnets; the options are --events, .*--help/);
      expect(() => parseCli(['--events', '-5'])).to.throw('--events "-5" is not a whole number >= 1');
    });
  });

  describe('npm run generate', function () {
    let dir: string;
    before(async function () {
      dir = await mkdtemp(path.join(tmpdir(), 'generator-cli-'));
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    it('generates into the store it is given and prints a JSON summary', async function () {
      const { stdout } = await run(process.execPath, [
        TSX, CLI, '--events', '3000', '--start', '2026-11-01', '--seed', 'cli', '--store', dir, '--json', '--faults', 'all=0.01',
      ]);
      const summary = JSON.parse(stdout) as GenerateSummary;
      expect(summary.events).to.equal(3000);
      expect(summary.start).to.equal(Date.UTC(2026, 10, 1) / 1000);
      expect(Object.values(summary.faults).every((count) => count > 0)).to.equal(true);
      const days = await readdir(path.join(dir, 'raw', '2026', '11'));
      expect(days[0]).to.equal('01');
    });

    it('prints a readable summary, and a clear error with exit code 1 for a bad flag', async function () {
      const { stdout } = await run(process.execPath, [TSX, CLI, '--events', '500', '--start', '2026-11-01', '--store', dir]);
      expect(stdout).to.match(/^Generated 500 events into file:\/\//);
      expect(stdout).to.match(/by type +page_view [\d,]+/);
      const failure = await run(process.execPath, [TSX, CLI, '--users', 'many']).catch((error: { code: number; stderr: string }) => error);
      expect(failure).to.include({ code: 1 });
      expect((failure as { stderr: string }).stderr).to.include('generate: --users "many" is not a whole number');
    });
  });
});
