/**
 * The shop's visitors: a fixed population of users with stable ids, ages, home locations and devices,
 * and how often each comes back (a few regulars, many occasional visitors). Users are grouped by the
 * clock they live by, so that arrivals can follow each group's local day.
 */
import { drawAge, drawDeviceProfile, type AudienceLocation, type DeviceProfile } from './audience';
import { WeightedTable, type Random } from './random';

export interface User {
  /** 10 lower-case letters, as the original application's ids. */
  readonly id: string;
  readonly age: number;
  readonly location: string;
  readonly profile: DeviceProfile;
  /** Relative visit frequency. */
  readonly activity: number;
  /** The user's constant middle of every event line: `"location":"17","user_age":34,"timestamp":`. */
  readonly jsonMiddle: string;
  /**
   * Earliest second a new session of this user may start: more than 30 minutes after their last
   * event, so the inactivity rule that separates sessions holds by construction.
   */
  nextSessionAfter: number;
}

/** Users who share a clock. */
export interface Zone {
  readonly utcOffsetHours: number;
  /** Sum of the users' activity: the zone's share of sessions. */
  readonly activity: number;
  readonly users: WeightedTable<User>;
}

export interface Population {
  readonly users: readonly User[];
  readonly zones: readonly Zone[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** The spread of log(activity): the busiest 1% of users visit about 10 times as often as the median. */
const ACTIVITY_SPREAD = 1;

export function buildPopulation(random: Random, size: number, audience: readonly AudienceLocation[]): Population {
  const locations = new WeightedTable(audience, audience.map((location) => location.weight));
  const users: User[] = [];
  const ids = new Set<string>();
  const zoneUsers = new Map<number, User[]>();
  while (users.length < size) {
    const id = random.text(10, LETTERS);
    if (ids.has(id)) continue;
    ids.add(id);
    const age = drawAge(random);
    const home = locations.draw(random);
    const user: User = {
      id,
      age,
      location: home.id,
      profile: drawDeviceProfile(random),
      activity: random.logNormal(1, ACTIVITY_SPREAD),
      jsonMiddle: `"location":${JSON.stringify(home.id)},"user_age":${age},"timestamp":`,
      nextSessionAfter: -Infinity,
    };
    users.push(user);
    const zone = zoneUsers.get(home.utcOffsetHours);
    if (zone) zone.push(user);
    else zoneUsers.set(home.utcOffsetHours, [user]);
  }
  const zones = [...zoneUsers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([utcOffsetHours, members]) => ({
      utcOffsetHours,
      activity: members.reduce((sum, user) => sum + user.activity, 0),
      users: new WeightedTable(
        members,
        members.map((user) => user.activity),
      ),
    }));
  return { users, zones };
}
