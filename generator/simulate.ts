/**
 * The simulation: visits arrive over simulated time, each walks the shop as a journey, and their events
 * are merged into one stream in time order. Streaming: only the visits in progress are held, never
 * the dataset. Deterministic: the same options give the same records, byte for byte.
 */
import { createHash } from 'node:crypto';
import type { EventType } from '../model/events';
import { Arrivals } from './arrivals';
import { TRAFFIC_SOURCES, buildCatalog, type Catalog, type TrafficSource } from './catalog';
import { lineHead, referrerPiece, sessionPiece, tailPiece, writeEvent, type SessionJson } from './event-line';
import { LineBuffer } from './line-buffer';
import { FaultInjector, type FaultKind, type FaultRates } from './faults';
import { walkJourney, type Step } from './journey';
import { SessionHeap } from './session-heap';
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

/** The population and traffic of a run, either given or derived from the other (or both defaults). */
export function trafficDefaults(users: number | undefined, eventsPerHour: number | undefined): { users: number; eventsPerHour: number } {
  const population = users ?? (eventsPerHour === undefined ? DEFAULT_USERS : defaultUsers(eventsPerHour));
  return { users: population, eventsPerHour: eventsPerHour ?? defaultEventsPerHour(population) };
}

/** A 40-bit tag of the seed: event and session ids start with it, so different seeds' ids do not collide. */
export function seedNamespace(seed: Seed): string {
  return createHash('sha256').update(String(seed)).digest('hex').slice(0, 10);
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

/**
 * The simulation as a cursor over records: `next()` moves to the next one, whose time, type and fault
 * are then readable, and `writeLine` encodes it straight into a file's buffer (the fast path the
 * runner uses); `line()` gives it as a string. Records come in time order.
 */
export class EventStream {
  /** The current record's time, epoch seconds (for an out-of-window fault, the time before it was moved). */
  timestamp = 0;
  eventType: EventType = 'page_view';
  /** Set on injected records only. */
  fault: FaultKind | undefined;

  private readonly limit: number;
  private readonly end: number;
  private readonly namespace: string;
  private readonly random: Random;
  private readonly catalog: Catalog;
  private readonly population: Population;
  private readonly arrivals: Arrivals;
  private readonly faults: FaultInjector;
  private readonly head: Buffer;
  private readonly heap = new SessionHeap();
  private readonly scratch = new LineBuffer(1);
  private sessions = 0;
  private events = 0;
  private emitted = 0;
  private nextArrival: number;
  // The current record: the event it renders, or its text when it is a string (an injected fault).
  private step: Step | undefined;
  private session: SessionJson | undefined;
  private referrer: Buffer | undefined;
  private sequence = 0;
  private text: string | undefined;
  private duplicatePending = false;

  constructor(options: SimulationOptions) {
    checkOptions(options);
    const { users, eventsPerHour } = trafficDefaults(options.users, options.eventsPerHour);
    const audience = options.audience ?? bundledAudience();
    this.limit = options.events ?? Infinity;
    this.end = options.end ?? Infinity;
    this.namespace = seedNamespace(options.seed);
    this.random = new Random(options.seed);
    this.catalog = buildCatalog(this.random);
    this.population = new Population(options.seed, users, audience, options.start);
    this.arrivals = new Arrivals(this.random, this.population, eventsPerHour / 3600 / MEAN_EVENTS_PER_SESSION, options.start);
    const maxLocationId = Math.max(...audience.map((location) => Number(location.id)));
    this.faults = new FaultInjector(options.seed, options.faults ?? {}, maxLocationId);
    this.head = lineHead(this.namespace);
    this.nextArrival = this.arrivals.next();
  }

  /** Moves to the next record; false when the stream has ended. */
  next(): boolean {
    if (this.emitted >= this.limit) return false;
    if (this.duplicatePending) {
      // The same line again, byte for byte: the event just emitted, repeated.
      this.duplicatePending = false;
      this.fault = 'duplicate_event_id';
      this.emitted++;
      return true;
    }
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined || top.nextAt > this.nextArrival) {
        if (this.nextArrival >= this.end) {
          if (top === undefined) return false;
          this.nextArrival = Infinity;
          continue;
        }
        this.startVisit(this.nextArrival);
        this.nextArrival = this.arrivals.next();
        continue;
      }
      const step = top.steps[top.next];
      if (step.at >= this.end) return false;
      this.step = step;
      this.session = top.json;
      this.referrer = top.referrerJson;
      this.sequence = this.events++;
      top.referrerJson = step.page.referrer;
      this.heap.advanceTop();
      break;
    }
    this.timestamp = this.step.at;
    this.eventType = this.step.type;
    this.text = undefined;
    const fault = this.faults.draw();
    if (fault === 'duplicate_event_id') {
      this.fault = undefined;
      this.duplicatePending = true;
    } else {
      this.fault = fault;
      if (fault !== undefined) this.text = this.faults.corrupt(fault, this.render());
    }
    this.emitted++;
    return true;
  }

  /** Appends the current record's line and a newline to `out`. */
  writeLine(out: LineBuffer): void {
    if (this.text !== undefined) out.text(this.text);
    else writeEvent(out, this.head, this.sequence, this.step as Step, this.session as SessionJson, this.referrer as Buffer);
    out.endLine();
  }

  /** The current record's line, without the newline. */
  line(): string {
    return this.text ?? this.render();
  }

  private render(): string {
    this.scratch.clear();
    writeEvent(this.scratch, this.head, this.sequence, this.step as Step, this.session as SessionJson, this.referrer as Buffer);
    return this.scratch.textFrom(0);
  }

  private readonly landingReferrers = new Map<TrafficSource, Buffer>();

  private landingReferrer(source: TrafficSource): Buffer {
    let piece = this.landingReferrers.get(source);
    if (piece === undefined) {
      piece = referrerPiece(source.referrer);
      this.landingReferrers.set(source, piece);
    }
    return piece;
  }

  private startVisit(arrival: number): void {
    const { population, random } = this;
    const zone = this.arrivals.zone(arrival);
    let index = population.drawIndex(zone, random);
    for (let draw = 1; draw < VISITOR_DRAWS && population.freeFrom(index) > arrival; draw++) {
      index = population.drawIndex(zone, random);
    }
    const start = Math.max(Math.floor(arrival), population.freeFrom(index));
    const source = TRAFFIC_SOURCES.draw(random);
    const steps = walkJourney(random, this.catalog, { start, source });
    population.busyTill(index, steps[steps.length - 1].at + SESSION_TIMEOUT_SECONDS + 1);
    const order = this.sessions++;
    const user = population.user(index);
    const json: SessionJson = {
      session: sessionPiece(user, `${this.namespace}-s${order.toString(36)}`),
      tail: tailPiece(user, source),
      landingReferrer: this.landingReferrer(source),
    };
    this.heap.push({ order, steps, json, next: 0, nextAt: steps[0].at, referrerJson: json.landingReferrer });
  }
}

/** The simulated event stream, in time order, as records with their line as a string. Lazily generated. */
export function* simulate(options: SimulationOptions): Generator<GeneratedRecord> {
  const stream = new EventStream(options);
  while (stream.next()) {
    const record = { line: stream.line(), timestamp: stream.timestamp, eventType: stream.eventType };
    yield stream.fault === undefined ? record : { ...record, fault: stream.fault };
  }
}
