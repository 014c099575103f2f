/**
 * The generator's only source of randomness: seedrandom's Alea PRNG (fast, and the same numbers on
 * every platform), wrapped with the few distributions the simulation draws from. Nothing in
 * generator/ may call Math.random: the same seed must give the same bytes.
 */
import alea from 'seedrandom/lib/alea';

export type Seed = string | number;

export class Random {
  private readonly next: () => number;

  /** `stream` names an independent sequence of the same seed (the faults draw from their own). */
  constructor(seed: Seed, stream = 'main') {
    this.next = alea(`${seed}\u0000${stream}`);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A whole number in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal, by Box–Muller (one of the pair is dropped: simpler, and fast enough). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; `spread` is the sd of the underlying normal. */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(this.normal(0, spread));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/**
 * Draws items with fixed relative weights in O(log n): cumulative sums and a binary search. Built once
 * per table (countries, users, products), drawn from per event.
 */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly items: readonly T[],
    readonly weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new Error(`WeightedTable: ${items.length} items and ${weights.length} weights; give one positive weight per item`);
    }
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((weight, index) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw new Error(`WeightedTable: weight ${weight} at index ${index} is not a finite number >= 0`);
      }
      sum += weight;
      this.cumulative[index] = sum;
    });
    if (sum <= 0) throw new Error('WeightedTable: every weight is 0; give at least one positive weight');
    this.total = sum;
  }

  draw(random: Random): T {
    return this.items[this.drawIndex(random)];
  }

  /** The position in `items` of a weighted draw. */
  drawIndex(random: Random): number {
    const target = random.uniform() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

/** Builds a table from `[item, weight]` pairs, the form the simulation's tables are written in. */
export function weighted<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
  return new WeightedTable(
    pairs.map(([item]) => item),
    pairs.map(([, weight]) => weight),
  );
}
