import { randomBytes } from 'node:crypto';

/**
 * A run id sorts by start time and is unique without coordination: `20261125T080102Z-1a2b3c4d`.
 * It names the run's outputs and state, so it must stay a safe key segment and file-name part.
 */
export function newRunId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;
