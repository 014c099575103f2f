'use strict';
/**
 * The one answer to "can this Node.js run clickstream-bi?", for `npm run setup` (scripts/setup.js)
 * and, through cli/supported-node.ts, every CLI entry. Plain CommonJS JavaScript, type-checked by tsc
 * (checkJs), because setup runs before tsx is installed, on whatever Node.js the machine has
 * (Node 20 on ours).
 */
const { engines } = require('../package.json');

/** The Node.js release line the project runs and is tested on; what the messages tell people to install. */
const RECOMMENDED_NODE_MAJOR = 24;

/**
 * The lowest supported version, read from package.json's `engines.node` (the one place it is stated).
 * @returns {[number, number, number]}
 */
function minimumNode() {
  const match = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(engines.node);
  if (match === null) {
    throw new Error(`package.json engines.node "${engines.node}" is not of the form ">=MAJOR.MINOR": cli/node-version.js reads only that form`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/**
 * Why `version` (as in `process.versions.node`, "24.22.3") cannot run the project, with what to
 * install; undefined when it can.
 * @param {string} version
 * @returns {string | undefined}
 */
function nodeVersionProblem(version) {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  const minimum = minimumNode();
  for (let i = 0; i < 3; i++) {
    const part = parts[i] ?? 0;
    if (part > minimum[i]) return undefined;
    if (part < minimum[i]) {
      return (
        `Node.js ${version} is too old for clickstream-bi, which needs Node.js ${minimum.join('.')} or newer ` +
        `(package.json engines). Install Node.js ${RECOMMENDED_NODE_MAJOR} LTS (https://nodejs.org/en/download, or ` +
        `\`nvm install ${RECOMMENDED_NODE_MAJOR}\`) and run the command again. On Linux x64, \`npm run setup\` ` +
        `puts Node.js ${RECOMMENDED_NODE_MAJOR} in node_modules/.bin for this project: start commands through npm ` +
        `(npm run <script>, npm test, npx <tool>) to run on it.`
      );
    }
  }
  return undefined;
}

module.exports = { RECOMMENDED_NODE_MAJOR, nodeVersionProblem };
