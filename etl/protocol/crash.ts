/**
 * Crash injection for the commit protocol's tests: a run told to crash at a point throws
 * CrashInjectedError there and leaves everything as a killed process would (lease held, run open).
 */
export const CRASH_POINTS = ['after-manifest', 'mid-write', 'after-write', 'after-commit', 'mid-move', 'after-move'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export class CrashInjectedError extends Error {
  constructor(readonly point: CrashPoint) {
    super(`ETL run crashed on purpose at "${point}" (crash injection for tests)`);
    this.name = 'CrashInjectedError';
  }
}

export type Checkpoint = (point: CrashPoint) => void;

export function checkpointFor(crashAt: CrashPoint | undefined): Checkpoint {
  return (point) => {
    if (point === crashAt) throw new CrashInjectedError(point);
  };
}
