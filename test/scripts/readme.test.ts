import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDatasetOptions } from '../../generator/dataset';
import { runGenerator } from '../../generator/run';
import { EVENT_FIELDS } from '../../model/events';
import { REASON_CODE_LIST } from '../../model/reasons';
import { TABLES } from '../../model/tables';
import { renderReadme } from '../../scripts/readme-sections';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents the current model and config schema (run npm run docs if not)', () => {
    expect(renderReadme(readme) === readme, 'README.md generated sections are stale: run npm run docs').to.equal(true);
  });

  it('documents every event field, table, column and reason code', () => {
    for (const field of EVENT_FIELDS) expect(readme).to.include(`| \`${field.name}\` |`);
    for (const table of TABLES) {
      expect(readme).to.include(`### \`${table.name}\``);
      for (const column of table.columns) expect(readme).to.include(`| \`${column.name}\``);
    }
    for (const code of REASON_CODE_LIST) expect(readme).to.include(`| \`${code}\` |`);
  });

  it('justifies every dependency in the dependency table', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const packages = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
    const table = readme.slice(readme.indexOf('## Dependencies'));
    const missing = packages.filter((name) => !table.includes(`\`${name}\``));
    expect(missing, `add these to the README's dependency table: ${missing.join(', ')}`).to.deep.equal([]);
  });

  it('documents every stage config key', () => {
    for (const key of ['clickstream-bi:etl.numberOfWorkers', 'clickstream-bi:storage.kmsKeyArn', 'clickstream-bi:quicksight.principalArn', 'aws:region']) {
      expect(readme).to.include(`| \`${key}\` |`);
    }
  });
});

describe('README quick start, read as a newcomer types it', () => {
  const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('<!-- SECTION:local -->'));
  const commands = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1].split('\n') ?? [];

  it('runs the tests before npm run local, and says that local serves until Ctrl-C', () => {
    const local = commands.findIndex((line) => line.startsWith('npm run local'));
    const test = commands.findIndex((line) => line.startsWith('npm test'));
    expect(test, commands.join('\n')).to.be.within(0, local - 1);
    expect(commands[local]).to.include('until Ctrl-C');
    expect(commands.slice(local + 1).filter((line) => line.trim() !== ''), 'nothing after a command that does not end').to.deep.equal([]);
  });

  it('quotes the event count of the local run as a run on those days prints it, and states about that many for any day', async function () {
    this.timeout(120_000);
    const section = readme.slice(readme.indexOf('<!-- SECTION:local -->'), readme.indexOf('Other commands:'));
    const quoted = /`Generated ([\d,]+) events` for (\d+)–(\d+) (\w+) (\d{4})/.exec(section);
    expect(quoted, 'the local section quotes a generator summary line').to.not.equal(null);
    const [, count, firstDay, , month, year] = quoted as RegExpExecArray;
    const start = Date.parse(`${firstDay} ${month} ${year} 00:00:00 UTC`) / 1000;
    const discard = { description: 'nowhere', put: async () => undefined };
    const onThoseDays = await runGenerator(discard, { ...localDatasetOptions(), start });
    expect(onThoseDays.events.toLocaleString('en-US')).to.equal(count);
    const about = Number((/about ([\d,]+) events/.exec(section)?.[1] ?? '').replace(/,/g, ''));
    const today = await runGenerator(discard, localDatasetOptions());
    expect(Math.abs(today.events - about) / about, `about ${about} events, today ${today.events}`).to.be.below(0.1);
  });
});
