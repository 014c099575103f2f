/**
 * The simulation: visits arrive over simulated time, each walks the shop as a journey, and their events
 * are merged into one stream in time order. Streaming: only the visits in progress are held, never
 * the dataset. Deterministic: the same options give the same records, byte for byte.
 */
import { createHash } from 'node:crypto';
import type { EventType } from '../model/events';
import { Arrivals } from './arrivals';
import { TRAFFIC_SOURCES, buildCatalog, type Catalog } from './catalog';
import { eventLine, sessionJson, type SessionJson } from './event-line';
import { FaultInjector, type FaultKind, type FaultRates } from './faults';
import { walkJourney, type Step } from './journey';
import { Population } from './population';
import { Random, type Seed } from './random';
import { PEAK_FACTOR } from './rhythm';
import type { AudienceLocation } from './audience';
import { bundledAudience } from './default-audience';

export type { FaultKind, FaultRates } from './faults';

export interface SimulationOptions {
  readonly seed: Seed;
  /** Simulated time starts here, in epoch seconds. */
  readonly start: number;
  /** Stop after this many records (injected faults included). */
  readonly events?: number;
  /** Stop before this time, in epoch seconds (exclusive). Without `events` or `end` the stream is endless. */
  readonly end?: number;
  /** Size of the visitor population; default 10,000, or more as `defaultUsers(eventsPerHour)` needs. */
  readonly users?: number;
  /** Mean events per simulated hour over a week (the daily rhythm swings around it); default from `users`. */
  readonly eventsPerHour?: number;
  /** Fraction of records of each fault kind; default none. */
  readonly faults?: FaultRates;
  /** Where visitors live; default: every bundled reference location, weighted (default-audience.ts). */
  readonly audience?: readonly AudienceLocation[];
}

export interface GeneratedRecord {
  /** One JSON line, without the newline. */
  readonly line: string;
  /** The event's time, epoch seconds (for an injected out-of-window fault, the time before it was moved). */
  readonly timestamp: number;
  readonly eventType: EventType;
  /** Set on injected records only. */
  readonly fault?: FaultKind;
}

export const DEFAULT_USERS = 10_000;
/** Measured mean length of a visit (events per session) of journey.ts's chain; sets the session rate. */
export const MEAN_EVENTS_PER_SESSION = 3.5;
/** How often the average user visits, for the default traffic volume. */
const SESSIONS_PER_USER_PER_DAY = 0.4;
/** New session of a user only after more than 30 minutes without events (the sessionization rule). */
export const SESSION_TIMEOUT_SECONDS = 30 * 60;
/** A busy user (still in a visit) is passed over for another this many times before their visit waits. */
const VISITOR_DRAWS = 5;

export function defaultEventsPerHour(users: number): number {
  return (users * SESSIONS_PER_USER_PER_DAY * MEAN_EVENTS_PER_SESSION) / 24;
}

/** The fewest users that can make `eventsPerHour` at the daily peak, each starting at most one visit an hour. */
export function minimumUsers(eventsPerHour: number): number {
  return Math.ceil((eventsPerHour / MEAN_EVENTS_PER_SESSION) * PEAK_FACTOR);
}

/**
 * The population a traffic volume needs when none is given: at least DEFAULT_USERS, and enough that
 * the average user visits at most every four hours (the 30-minute rule caps a user near one visit an hour).
 */
export function defaultUsers(eventsPerHour: number): number {
  return Math.max(DEFAULT_USERS, Math.ceil((eventsPerHour / MEAN_EVENTS_PER_SESSION) * 4));
}

/** A short tag unique to the seed: event and session ids start with it, so different seeds never clash. */
export function seedNamespace(seed: Seed): string {
  return createHash('sha256').update(String(seed)).digest('hex').slice(0, 10);
}

interface ActiveSession {
  readonly order: number;
  readonly steps: readonly Step[];
  readonly json: SessionJson;
  next: number;
  referrerJson: string;
}

/** Orders visits by their next event's time, then by when they started: a total, deterministic order. */
function before(a: ActiveSession, b: ActiveSession): boolean {
  const at = a.steps[a.next].at;
  const bt = b.steps[b.next].at;
  return at < bt || (at === bt && a.order < b.order);
}

class SessionHeap {
  private readonly items: ActiveSession[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): ActiveSession | undefined {
    return this.items[0];
  }

  push(session: ActiveSession): void {
    const items = this.items;
    let index = items.push(session) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  /** Restores order after the top's next event changed; removes it when it has no events left. */
  advanceTop(): void {
    const items = this.items;
    const top = items[0];
    if (top.next >= top.steps.length) {
      const last = items.pop() as ActiveSession;
      if (items.length === 0) return;
      items[0] = last;
    }
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && before(items[left], items[smallest])) smallest = left;
      if (right < items.length && before(items[right], items[smallest])) smallest = right;
      if (smallest === index) return;
      [items[index], items[smallest]] = [items[smallest], items[index]];
      index = smallest;
    }
  }
}

function checkOptions(options: SimulationOptions): void {
  const whole = (name: string, value: number | undefined, min: number): void => {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) {
      throw new Error(`simulate: ${name} ${value} is not a whole number >= ${min}`);
    }
  };
  whole('start', options.start, 0);
  whole('events', options.events, 0);
  whole('users', options.users, 1);
  if (options.end !== undefined && !(options.end >= options.start)) {
    throw new Error(`simulate: end ${options.end} is before start ${options.start}; give an end after the start`);
  }
  if (options.eventsPerHour !== undefined && !(options.eventsPerHour > 0 && Number.isFinite(options.eventsPerHour))) {
    throw new Error(`simulate: eventsPerHour ${options.eventsPerHour} is not a positive number`);
  }
  if (options.users !== undefined && options.eventsPerHour !== undefined) {
    // At the daily peak every user would have to start more than one visit an hour: impossible with
    // the 30-minute rule, and visits would pile up beyond the requested time.
    if (minimumUsers(options.eventsPerHour) > options.users) {
      throw new Error(
        `simulate: ${options.users} users cannot make ${Math.round(options.eventsPerHour)} events an hour ` +
          `(a user starts at most about one visit an hour); give at least ${defaultUsers(options.eventsPerHour)} users or a lower rate`,
      );
    }
  }
  if (options.audience?.length === 0) {
    throw new Error('simulate: the audience is empty; pass at least one location (see generator/default-audience.ts)');
  }
}

/** The simulated event stream, in time order. Lazily generated: take as many records as needed. */
export function* simulate(options: SimulationOptions): Generator<GeneratedRecord> {
  checkOptions(options);
  const users = options.users ?? (options.eventsPerHour === undefined ? DEFAULT_USERS : defaultUsers(options.eventsPerHour));
  const eventsPerHour = options.eventsPerHour ?? defaultEventsPerHour(users);
  const limit = options.events ?? Infinity;
  const end = options.end ?? Infinity;
  const namespace = seedNamespace(options.seed);
  const audience = options.audience ?? bundledAudience();

  const random = new Random(options.seed);
  const catalog: Catalog = buildCatalog(random);
  const population = new Population(options.seed, users, audience, options.start);
  const arrivals = new Arrivals(random, population, eventsPerHour / 3600 / MEAN_EVENTS_PER_SESSION, options.start);
  const maxLocationId = Math.max(...audience.map((location) => Number(location.id)));
  const faults = new FaultInjector(options.seed, options.faults ?? {}, maxLocationId);
  const urlJson = new Map<string, string>();
  const quoted = (url: string): string => {
    let json = urlJson.get(url);
    if (json === undefined) {
      json = JSON.stringify(url);
      // Landing URLs with campaign tags are few; the cache stays small.
      urlJson.set(url, json);
    }
    return json;
  };

  const heap = new SessionHeap();
  let sessions = 0;
  let events = 0;
  let emitted = 0;
  let nextArrival = arrivals.next();

  const startVisit = (arrival: number): void => {
    const zone = arrivals.zone(arrival);
    let index = population.drawIndex(zone, random);
    for (let draw = 1; draw < VISITOR_DRAWS && population.freeFrom(index) > arrival; draw++) {
      index = population.drawIndex(zone, random);
    }
    const start = Math.max(Math.floor(arrival), population.freeFrom(index));
    const source = TRAFFIC_SOURCES.draw(random);
    const steps = walkJourney(random, catalog, { start, source });
    population.busyTill(index, steps[steps.length - 1].at + SESSION_TIMEOUT_SECONDS + 1);
    const order = sessions++;
    const json = sessionJson(population.user(index, zone), `${namespace}-s${order.toString(36)}`, source);
    heap.push({ order, steps, json, next: 0, referrerJson: json.landingReferrer });
  };

  while (emitted < limit) {
    const top = heap.peek();
    if (top === undefined || top.steps[top.next].at > nextArrival) {
      if (nextArrival >= end) {
        if (top === undefined) return;
        nextArrival = Infinity;
        continue;
      }
      startVisit(nextArrival);
      nextArrival = arrivals.next();
      continue;
    }
    const step = top.steps[top.next];
    if (step.at >= end) return;
    const url = quoted(step.url);
    const line = eventLine(`${namespace}-e${(events++).toString(36)}`, step, top.json, url, top.referrerJson);
    top.referrerJson = url;
    top.next++;
    heap.advanceTop();

    const fault = faults.draw();
    if (fault === undefined) {
      emitted++;
      yield { line, timestamp: step.at, eventType: step.type };
    } else if (fault === 'duplicate_event_id') {
      emitted++;
      yield { line, timestamp: step.at, eventType: step.type };
      if (emitted >= limit) return;
      emitted++;
      yield { line, timestamp: step.at, eventType: step.type, fault };
    } else {
      emitted++;
      yield { line: faults.corrupt(fault, line), timestamp: step.at, eventType: step.type, fault };
    }
  }
}
