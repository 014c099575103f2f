/**
 * Imported first by every CLI entry, for its side effect: on a Node.js older than package.json's
 * engines it stops with what to install, before any other module loads (imports run in order, and
 * the ones after this would otherwise fail on an old Node.js with a less useful message, or print
 * the AWS SDK's own upgrade warning).
 */
import { nodeVersionProblem } from './node-version';

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
