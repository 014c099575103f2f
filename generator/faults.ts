/**
 * Injected faults, off by default: bad records on purpose, so that the ETL's validation, quarantine
 * and deduplication can be checked against exact counts. Each kind but the duplicate produces a line
 * the model rejects with the reason code of the same name; a duplicate is a valid line repeated byte
 * for byte (same event_id), which the ETL counts as a duplicate, not a rejection.
 *
 * Faults draw from their own random stream, so turning them on corrupts some events of the same
 * dataset instead of producing a different one.
 */
import type { ReasonCode } from '../model/reasons';
import { EARLIEST_ACCEPTED_TIMESTAMP } from '../model/validate';
import { FIELD_IS_STRING, REQUIRED_FIELDS } from './fault-fields';
import { Random, type Seed } from './random';

export const FAULT_KINDS = [
  'malformed_json',
  'missing_field',
  'wrong_type',
  'unknown_location',
  'timestamp_out_of_window',
  'duplicate_event_id',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Fails to compile unless every kind but the duplicate is a reason code of model/reasons.ts. */
type ReasonCodes<T extends ReasonCode> = T;
/** The kinds the model rejects, each with the reason code of its name. */
export type RejectedFaultKind = ReasonCodes<Exclude<FaultKind, 'duplicate_event_id'>>;

/** Fraction of records of each kind, 0 to 1; absent kinds are 0. */
export type FaultRates = Partial<Readonly<Record<FaultKind, number>>>;

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/** Throws, naming the kind, the value and what is allowed, unless every rate is in [0, 1] and they sum to at most 1. */
export function checkFaultRates(rates: FaultRates): void {
  let total = 0;
  for (const [kind, rate] of Object.entries(rates)) {
    if (!isFaultKind(kind)) {
      throw new Error(`fault kind "${kind}" is unknown; use one of ${FAULT_KINDS.join(', ')}`);
    }
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new Error(`fault rate ${kind}=${String(rate)} is not a fraction; use a number from 0 to 1, e.g. ${kind}=0.01`);
    }
    total += rate;
  }
  if (total > 1) {
    throw new Error(`fault rates add up to ${total}, more than every record; lower them so that they sum to at most 1`);
  }
}

const YEAR = 365 * 86_400;
export class FaultInjector {
  private readonly random: Random;
  private readonly kinds: FaultKind[] = [];
  private readonly cumulative: number[] = [];

  /** `maxLocationId`: the highest known location id; unknown ones are drawn above it. */
  constructor(
    seed: Seed,
    rates: FaultRates,
    private readonly maxLocationId: number,
  ) {
    checkFaultRates(rates);
    this.random = new Random(seed, 'faults');
    let sum = 0;
    for (const kind of FAULT_KINDS) {
      const rate = rates[kind] ?? 0;
      if (rate <= 0) continue;
      sum += rate;
      this.kinds.push(kind);
      this.cumulative.push(sum);
    }
  }

  /** Which fault, if any, befalls the next record. */
  draw(): FaultKind | undefined {
    if (this.kinds.length === 0) return undefined;
    const u = this.random.uniform();
    for (let index = 0; index < this.kinds.length; index++) {
      if (u < this.cumulative[index]) return this.kinds[index];
    }
    return undefined;
  }

  /** The valid line `line` turned into a record the model rejects with reason `kind`. */
  corrupt(kind: RejectedFaultKind, line: string): string {
    const random = this.random;
    if (kind === 'malformed_json') {
      // A line cut short, as a crashed writer leaves it: an unclosed object is never valid JSON.
      return line.slice(0, random.between(1, line.length - 1));
    }
    const event = JSON.parse(line) as Record<string, unknown>;
    switch (kind) {
      case 'missing_field': {
        const field = random.pick(REQUIRED_FIELDS);
        if (random.chance(0.5)) delete event[field];
        else event[field] = null;
        break;
      }
      case 'wrong_type': {
        // A digit string where a number belongs, a number where a string does.
        const present = Object.keys(event).filter((name) => name in FIELD_IS_STRING && event[name] !== null);
        const field = random.pick(present);
        event[field] = FIELD_IS_STRING[field] ? random.between(1, 999) : String(event[field]);
        break;
      }
      case 'unknown_location':
        event.location = String(this.maxLocationId + random.between(1, 100_000));
        break;
      case 'timestamp_out_of_window': {
        const timestamp = event.timestamp as number;
        event.timestamp = random.chance(0.5)
          ? timestamp + random.between(2 * YEAR, 10 * YEAR)
          : EARLIEST_ACCEPTED_TIMESTAMP - random.between(86_400, 10 * YEAR);
        break;
      }
    }
    return JSON.stringify(event);
  }
}
