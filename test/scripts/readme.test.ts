import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
