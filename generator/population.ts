/**
 * The shop's visitors: a fixed population of users with stable ids, ages, home locations and devices,
 * and how often each comes back (a few regulars, many occasional visitors).
 *
 * Compact, so that millions of users fit: a user is an index, and its attributes are re-derived from
 * its own random stream whenever it starts a visit. What is stored per user is 4 bytes: until when
 * it is still in a visit. Users are grouped by the clock they live by (contiguous index ranges), so
 * that arrivals can follow each group's local day.
 */
import { drawAge, drawDeviceProfile, type AudienceLocation, type DeviceProfile } from './audience';
import { Random, WeightedTable, type Seed } from './random';

export interface User {
  readonly index: number;
  /** 10 lower-case letters, as the original application's ids; distinct for distinct users. */
  readonly id: string;
  readonly age: number;
  readonly location: string;
  readonly profile: DeviceProfile;
  /** The user's constant middle of every event line: `"location":"17","user_age":34,"timestamp":`. */
  readonly jsonMiddle: string;
}

/** Users who share a clock: indexes first .. first + count - 1. */
export interface Zone {
  readonly utcOffsetHours: number;
  readonly first: number;
  readonly count: number;
  readonly locations: WeightedTable<AudienceLocation>;
}

const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 10;
const ID_SPACE = 26n ** 10n;
/**
 * Visit frequency falls with a user's rank in its zone: drawing rank = count · u^2 gives the busiest
 * 1% of users 10% of the visits and the top 10% about a third, as loyal customers do.
 */
const ACTIVITY_SKEW = 2;

export class Population {
  readonly zones: readonly Zone[];
  /** Per user: seconds after `origin` + 1 before which it may not start a visit; 0 when free. */
  private readonly busyUntil: Uint32Array;
  private readonly idMultiplier: bigint;
  private readonly idOffset: bigint;

  constructor(
    private readonly seed: Seed,
    readonly size: number,
    audience: readonly AudienceLocation[],
    /** Epoch seconds all busy times are stored relative to (the simulation's start). */
    private readonly origin: number,
  ) {
    this.busyUntil = new Uint32Array(size);
    this.zones = splitIntoZones(size, audience);
    // Ids are an affine permutation of the index over the 26^10 ids: distinct by construction, and
    // scattered (the multiplier is odd and not a multiple of 13, so coprime with 26^10).
    const random = new Random(seed, 'user-ids');
    let multiplier = BigInt(random.between(2 ** 20, 2 ** 40)) * 2n + 1n;
    while (multiplier % 13n === 0n) multiplier += 2n;
    this.idMultiplier = multiplier;
    this.idOffset = BigInt(random.between(0, 2 ** 46));
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
  user(index: number, zone: Zone): User {
    const random = new Random(this.seed, `user ${index}`);
    const age = drawAge(random);
    const home = zone.locations.draw(random);
    return {
      index,
      id: this.userId(index),
      age,
      location: home.id,
      profile: drawDeviceProfile(random),
      jsonMiddle: `"location":${JSON.stringify(home.id)},"user_age":${age},"timestamp":`,
    };
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
  const byOffset = new Map<number, AudienceLocation[]>();
  for (const location of audience) {
    const group = byOffset.get(location.utcOffsetHours);
    if (group) group.push(location);
    else byOffset.set(location.utcOffsetHours, [location]);
  }
  const groups = [...byOffset.entries()].sort(([a], [b]) => a - b);
  const total = audience.reduce((sum, location) => sum + location.weight, 0);
  const exact = groups.map(([, locations]) => (size * locations.reduce((sum, location) => sum + location.weight, 0)) / total);
  const counts = exact.map(Math.floor);
  let missing = size - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing-- <= 0) break;
    counts[index]++;
  }
  const zones: Zone[] = [];
  let first = 0;
  groups.forEach(([utcOffsetHours, locations], index) => {
    if (counts[index] === 0) return;
    zones.push({
      utcOffsetHours,
      first,
      count: counts[index],
      locations: new WeightedTable(locations, locations.map((location) => location.weight)),
    });
    first += counts[index];
  });
  return zones;
}
