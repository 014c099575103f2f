import '../cli/supported-node';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReadme } from './readme-sections';

const readmePath = join(__dirname, '..', 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = renderReadme(before);
if (after === before) {
  console.log('README.md is up to date');
} else {
  writeFileSync(readmePath, after);
  console.log('README.md: generated sections rewritten from the model and the config schema');
}
