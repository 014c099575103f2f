/**
 * When visits start and whose they are: a Poisson process whose rate follows each time zone's daily
 * and weekly rhythm (drawn by thinning: candidates at the peak rate, each kept with probability
 * rate(t) / peak), and the visitor drawn from the zones awake at that moment.
 */
import type { Population, Zone } from './population';
import { WeightedTable, type Random } from './random';
import { PEAK_FACTOR, rhythmFactor } from './rhythm';

/** Offsets can be half hours (India): the rhythm is constant within a half-hour slot. */
const SLOT_SECONDS = 1800;

interface Slot {
  readonly index: number;
  /** The slot's rate relative to the mean, 0 to PEAK_FACTOR. */
  readonly factor: number;
  readonly zones: WeightedTable<Zone>;
}

export class Arrivals {
  private readonly peakRate: number;
  private slot: Slot | undefined;
  private time: number;

  /** `sessionsPerSecond`: the mean rate over a week; `start`: epoch seconds. */
  constructor(
    private readonly random: Random,
    private readonly population: Population,
    sessionsPerSecond: number,
    start: number,
  ) {
    this.peakRate = sessionsPerSecond * PEAK_FACTOR;
    this.time = start;
  }

  /** The next visit's start, in (fractional) epoch seconds. */
  next(): number {
    for (;;) {
      this.time += this.random.exponential(1 / this.peakRate);
      if (this.random.uniform() * PEAK_FACTOR < this.slotAt(this.time).factor) return this.time;
    }
  }

  /** The clock of a visit starting at `time`: zones are drawn by size and how awake they are. */
  zone(time: number): Zone {
    return this.slotAt(time).zones.draw(this.random);
  }

  private slotAt(time: number): Slot {
    const index = Math.floor(time / SLOT_SECONDS);
    if (this.slot?.index !== index) {
      const middle = index * SLOT_SECONDS + SLOT_SECONDS / 2;
      const zones = this.population.zones;
      const weights = zones.map((zone) => zone.count * rhythmFactor(middle, zone.utcOffsetHours));
      const factor = weights.reduce((sum, weight) => sum + weight, 0) / this.population.size;
      this.slot = { index, factor, zones: new WeightedTable(zones, weights) };
    }
    return this.slot;
  }
}
