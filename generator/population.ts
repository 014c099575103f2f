/**
 * The shop's visitors: a fixed population of users with stable ids, ages, home locations and devices,
 * and how often each comes back (a few regulars, many occasional visitors).
 *
 * Compact, so that millions of users fit: a user is an index into typed arrays (age, home, device
 * profile, until when it is in a visit: 8 bytes a user), drawn once at the start; the User object a
 * visit needs is assembled from them. Users are grouped by the clock they live by (contiguous index
 * ranges), so that arrivals can follow each group's local day.
 */
import { DEVICE_PROFILES, drawAge, type AudienceLocation, type DeviceProfile } from './audience';
import { userMiddle } from './event-line';
import { Random, WeightedTable, type Seed } from './random';

export interface User {
  readonly index: number;
  /** 10 lower-case letters, as the original application's ids; distinct for distinct users. */
  readonly id: string;
  readonly age: number;
  readonly location: string;
  readonly profile: DeviceProfile;
  /** Position of `profile` in DEVICE_PROFILES, for caches keyed by it. */
  readonly profileIndex: number;
  /** The user's part of its sessions' lines (event-line.ts userMiddle). */
  readonly jsonMiddle: string;
}

/** Users who share a clock: indexes first .. first + count - 1. */
export interface Zone {
  readonly utcOffsetHours: number;
  readonly first: number;
  readonly count: number;
  /** The zone's locations, as positions in the audience. */
  readonly locations: WeightedTable<number>;
}

const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 10;
const ID_SPACE = 26n ** 10n;
/**
 * Visit frequency falls with a user's rank in its zone: drawing rank = count · u^2 gives the busiest
 * 1% of users 10% of the visits and the top 10% about a third, as loyal customers do.
 */
const ACTIVITY_SKEW = 2;
const MAX_AUDIENCE = 65_535;

export class Population {
  readonly zones: readonly Zone[];
  /** Per user: seconds after `origin` + 1 before which it may not start a visit; 0 when free. */
  private readonly busyUntil: Uint32Array;
  private readonly ages: Uint8Array;
  private readonly homes: Uint16Array;
  private readonly profiles: Uint8Array;
  /** userMiddle(location, age) by home and age: a few thousand distinct ones at most. */
  private readonly middles = new Map<number, string>();
  private readonly idMultiplier: bigint;
  private readonly idOffset: bigint;

  constructor(
    seed: Seed,
    readonly size: number,
    private readonly audience: readonly AudienceLocation[],
    /** Epoch seconds all busy times are stored relative to (the simulation's start). */
    private readonly origin: number,
  ) {
    if (audience.length > MAX_AUDIENCE) {
      throw new Error(`Population: ${audience.length} locations, more than the ${MAX_AUDIENCE} a user's home can index; merge some`);
    }
    this.busyUntil = new Uint32Array(size);
    this.ages = new Uint8Array(size);
    this.homes = new Uint16Array(size);
    this.profiles = new Uint8Array(size);
    this.zones = splitIntoZones(size, audience);
    const random = new Random(seed, 'users');
    for (const zone of this.zones) {
      for (let index = zone.first; index < zone.first + zone.count; index++) {
        this.ages[index] = drawAge(random);
        this.homes[index] = zone.locations.draw(random);
        this.profiles[index] = DEVICE_PROFILES.drawIndex(random);
      }
    }
    // Ids are an affine permutation of the index over the 26^10 ids: distinct by construction, and
    // scattered (the multiplier is odd and not a multiple of 13, so coprime with 26^10).
    const ids = new Random(seed, 'user-ids');
    let multiplier = BigInt(ids.between(2 ** 20, 2 ** 40)) * 2n + 1n;
    while (multiplier % 13n === 0n) multiplier += 2n;
    this.idMultiplier = multiplier;
    this.idOffset = BigInt(ids.between(0, 2 ** 46));
  }

  /** Draws a user of `zone`, the regulars more often. */
  drawIndex(zone: Zone, random: Random): number {
    return zone.first + Math.floor(zone.count * random.uniform() ** ACTIVITY_SKEW);
  }

  /** Epoch second from which `index` may start a new visit. */
  freeFrom(index: number): number {
    const busy = this.busyUntil[index];
    return busy === 0 ? -Infinity : this.origin + busy - 1;
  }

  /** Marks `index` busy until `time` (epoch seconds): its next visit starts at `time` or later. */
  busyTill(index: number, time: number): void {
    this.busyUntil[index] = Math.max(0, time - this.origin) + 1;
  }

  /** The user at `index`, the same every time it is asked for. */
  user(index: number): User {
    const age = this.ages[index];
    const home = this.homes[index];
    const profileIndex = this.profiles[index];
    const location = this.audience[home].id;
    const key = home * 256 + age;
    let jsonMiddle = this.middles.get(key);
    if (jsonMiddle === undefined) {
      jsonMiddle = userMiddle(location, age);
      this.middles.set(key, jsonMiddle);
    }
    return { index, id: this.userId(index), age, location, profile: DEVICE_PROFILES.items[profileIndex], profileIndex, jsonMiddle };
  }

  private userId(index: number): string {
    let value = (BigInt(index) * this.idMultiplier + this.idOffset) % ID_SPACE;
    let id = '';
    for (let position = 0; position < ID_LENGTH; position++) {
      id += ID_LETTERS[Number(value % 26n)];
      value /= 26n;
    }
    return id;
  }
}

/**
 * Splits `size` users over the audience's clocks in proportion to their locations' weights (largest
 * remainder, so counts add up exactly); clocks that get no user are left out.
 */
function splitIntoZones(size: number, audience: readonly AudienceLocation[]): Zone[] {
  const byOffset = new Map<number, number[]>();
  audience.forEach((location, position) => {
    const group = byOffset.get(location.utcOffsetHours);
    if (group) group.push(position);
    else byOffset.set(location.utcOffsetHours, [position]);
  });
  const groups = [...byOffset.entries()].sort(([a], [b]) => a - b);
  const weightOf = (positions: readonly number[]): number => positions.reduce((sum, position) => sum + audience[position].weight, 0);
  const total = weightOf(audience.map((_, position) => position));
  const exact = groups.map(([, positions]) => (size * weightOf(positions)) / total);
  const counts = exact.map(Math.floor);
  let missing = size - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing-- <= 0) break;
    counts[index]++;
  }
  const zones: Zone[] = [];
  let first = 0;
  groups.forEach(([utcOffsetHours, positions], index) => {
    if (counts[index] === 0) return;
    zones.push({
      utcOffsetHours,
      first,
      count: counts[index],
      locations: new WeightedTable(positions, positions.map((position) => audience[position].weight)),
    });
    first += counts[index];
  });
  return zones;
}
