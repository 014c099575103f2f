/**
 * Where an ETL invocation's time went, step by step, summed over its runs: printed with the summary
 * so that a slow load says which step to look at (and `npm run bench:etl` prints it per spread).
 */
export const ETL_STEPS = [
  'reading',
  'validating',
  'deduplicating',
  'writingEvents',
  'writingSessionDays',
  'writingRejected',
  'uploading',
  'committing',
  'moving',
] as const;
export type EtlStep = (typeof ETL_STEPS)[number];
export type StepSeconds = Readonly<Record<EtlStep, number>>;

/** A step's name as a person reads it: `writingSessionDays` → `writing session days`. */
export function stepLabel(step: EtlStep): string {
  return step.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}

export class StepTimes {
  private readonly seconds: Record<EtlStep, number> = Object.fromEntries(ETL_STEPS.map((step) => [step, 0])) as Record<EtlStep, number>;

  /** Runs `work`, adding its wall time to `step` (also when it fails: the time was spent). */
  async time<T>(step: EtlStep, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.seconds[step] += (performance.now() - started) / 1000;
    }
  }

  get record(): StepSeconds {
    return { ...this.seconds };
  }
}
