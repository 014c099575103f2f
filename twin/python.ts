/**
 * The project's Python environment (.venv, created by scripts/python-env.sh from python/requirements-*.txt):
 * where its interpreter is, and a clear error when it has not been set up.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const VENV_PYTHON = path.join(PROJECT_ROOT, '.venv', 'bin', 'python');

/** The interpreter of .venv; throws, naming the fix, when the environment is missing. */
export function venvPython(): string {
  if (!existsSync(VENV_PYTHON)) {
    throw new Error(`${VENV_PYTHON} does not exist: the project's Python environment is not set up; run scripts/python-env.sh`);
  }
  return VENV_PYTHON;
}
