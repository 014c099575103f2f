import { expect } from 'chai';
import type { ClickstreamEvent } from '../../model/events';
import { readBundledLocations } from '../../model/locations';
import { validateLine, type ValidationContext } from '../../model/validate';
import { audienceFromLocations } from '../../generator/audience';
import { FAULT_KINDS, type FaultKind } from '../../generator/faults';
import { MAX_GAP_SECONDS } from '../../generator/journey';
import { MEAN_EVENTS_PER_SESSION, SESSION_TIMEOUT_SECONDS, simulate, type GeneratedRecord, type SimulationOptions } from '../../generator/simulate';

const START = Date.UTC(2026, 10, 2) / 1000; // a Monday
const locations = readBundledLocations();
const knownLocations = new Set(locations.map((location) => String(location.id)));

function run(options: Partial<SimulationOptions> = {}): GeneratedRecord[] {
  return [...simulate({ seed: 7, start: START, events: 20_000, users: 2_000, ...options })];
}

function contextFor(records: readonly GeneratedRecord[]): ValidationContext {
  const times = records.map((record) => record.timestamp);
  return {
    isKnownLocation: (id) => knownLocations.has(id),
    window: { earliest: Math.min(...times), latest: Math.max(...times) },
  };
}

function parse(records: readonly GeneratedRecord[]): ClickstreamEvent[] {
  return records.map((record) => JSON.parse(record.line) as ClickstreamEvent);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

describe('simulate', () => {
  const records = run();
  const events = parse(records);

  it('gives byte-identical records for the same seed and options', () => {
    const again = run();
    expect(again.map((record) => record.line).join('\n')).to.equal(records.map((record) => record.line).join('\n'));
  });

  it('gives different data for a different seed', () => {
    const other = parse(run({ seed: 8 }));
    const users = new Set(events.map((event) => event.user_id));
    const otherUsers = new Set(other.map((event) => event.user_id));
    expect([...otherUsers].filter((user) => users.has(user))).to.have.length.below(5);
    expect(other.map((event) => event.timestamp)).not.to.deep.equal(events.map((event) => event.timestamp));
    expect(new Set(other.map((event) => event.event_id.split('-')[0]))).not.to.deep.equal(new Set(events.map((event) => event.event_id.split('-')[0])));
  });

  it('stops at the requested number of records', () => {
    expect(records).to.have.length(20_000);
  });

  it('writes schema version 2 events that all pass the model validation', () => {
    const context = contextFor(records);
    const failures = records
      .map((record) => validateLine(record.line, context))
      .filter((result) => !result.ok);
    expect(failures).to.deep.equal([]);
    expect(events.every((event) => event.schema_version === 2)).to.equal(true);
  });

  it('emits events in time order, from the start on', () => {
    const times = records.map((record) => record.timestamp);
    expect(times[0]).to.be.at.least(START);
    for (let index = 1; index < times.length; index++) expect(times[index]).to.be.at.least(times[index - 1]);
    expect(events.map((event) => event.timestamp)).to.deep.equal(times);
  });

  it('gives every event a unique id', () => {
    expect(new Set(events.map((event) => event.event_id)).size).to.equal(events.length);
  });

  it('keeps each session to one user, with under 30 minutes between its events', () => {
    const sessions = groupBy(events, (event) => event.session_id);
    for (const [sessionId, sessionEvents] of sessions) {
      expect(new Set(sessionEvents.map((event) => event.user_id)).size, sessionId).to.equal(1);
      for (let index = 1; index < sessionEvents.length; index++) {
        const gap = sessionEvents[index].timestamp - sessionEvents[index - 1].timestamp;
        expect(gap, sessionId).to.be.within(0, MAX_GAP_SECONDS);
      }
    }
    expect(MAX_GAP_SECONDS).to.be.below(SESSION_TIMEOUT_SECONDS);
  });

  it('starts a new session only after more than 30 minutes without events of that user', () => {
    for (const [userId, userEvents] of groupBy(events, (event) => event.user_id)) {
      for (let index = 1; index < userEvents.length; index++) {
        const previous = userEvents[index - 1];
        const current = userEvents[index];
        if (current.session_id !== previous.session_id) {
          expect(current.timestamp - previous.timestamp, userId).to.be.above(SESSION_TIMEOUT_SECONDS);
        }
      }
      // A session's events are contiguous in the user's history: sessions never interleave.
      const order = userEvents.map((event) => event.session_id).filter((id, index, all) => index === 0 || all[index - 1] !== id);
      expect(new Set(order).size, userId).to.equal(order.length);
    }
  });

  it('keeps the funnel monotone by sessions, users and events, with a plausible conversion', () => {
    const steps = ['product_view', 'add_to_cart', 'checkout', 'purchase'] as const;
    const sessionsAt = steps.map((step) => new Set(events.filter((event) => event.event_type === step).map((event) => event.session_id)));
    const usersAt = steps.map((step) => new Set(events.filter((event) => event.event_type === step).map((event) => event.user_id)));
    const countAt = steps.map((step) => events.filter((event) => event.event_type === step).length);
    for (let index = 1; index < steps.length; index++) {
      for (const session of sessionsAt[index]) expect(sessionsAt[index - 1].has(session), `${steps[index]} in ${session}`).to.equal(true);
      for (const user of usersAt[index]) expect(usersAt[index - 1].has(user), `${steps[index]} by ${user}`).to.equal(true);
      expect(countAt[index], steps[index]).to.be.at.most(countAt[index - 1]);
    }
    const sessions = new Set(events.map((event) => event.session_id)).size;
    const conversion = sessionsAt[3].size / sessions;
    expect(conversion).to.be.within(0.005, 0.1);
    expect(sessionsAt[1].size / sessions, 'add-to-cart rate').to.be.within(0.03, 0.3);
  });

  it('orders each session as a shop would: carts after product views, purchases right after checkout', () => {
    for (const [sessionId, sessionEvents] of groupBy(events, (event) => event.session_id)) {
      const types = sessionEvents.map((event) => event.event_type);
      types.forEach((type, index) => {
        if (type === 'add_to_cart') expect(types.slice(0, index), sessionId).to.include('product_view');
        if (type === 'purchase') expect(['checkout', 'purchase'], sessionId).to.include(types[index - 1]);
        if (type === 'checkout') expect(types.slice(0, index), sessionId).to.include('add_to_cart');
      });
    }
  });

  it('puts price and quantity on cart, checkout and purchase events only', () => {
    const priced = new Set(['add_to_cart', 'remove_from_cart', 'checkout', 'purchase']);
    for (const event of events) {
      if (priced.has(event.event_type)) {
        expect(event.price, event.event_id).to.be.a('number').above(0);
        expect(event.quantity, event.event_id).to.be.a('number').at.least(1);
        expect(event.product_id, event.event_id).to.be.a('string');
      } else {
        expect(event.price, event.event_id).to.equal(null);
        expect(event.quantity, event.event_id).to.equal(null);
      }
      if (event.event_type === 'search') expect(event.product_category).to.equal(null);
    }
  });

  it('gives each user a stable age, location and device, with operating system and browser that fit', () => {
    for (const [userId, userEvents] of groupBy(events, (event) => event.user_id)) {
      const profiles = new Set(userEvents.map((event) => `${event.user_age}|${event.location}|${event.device_type}|${event.os}|${event.browser}`));
      expect(profiles.size, userId).to.equal(1);
      expect(userId).to.match(/^[a-z]{10}$/);
    }
    for (const event of events) {
      const where = `${event.device_type}/${event.os}/${event.browser}`;
      if (event.os === 'ios' || event.os === 'android') expect(event.device_type, where).to.not.equal('desktop');
      if (['windows', 'macos', 'linux'].includes(event.os)) expect(event.device_type, where).to.equal('desktop');
      if (event.browser === 'safari') expect(['ios', 'macos'], where).to.include(event.os);
      if (event.browser === 'samsung_internet') expect(event.os, where).to.equal('android');
      if (event.browser === 'edge') expect(event.os, where).to.equal('windows');
      expect(event.user_age).to.be.within(16, 80);
    }
  });

  it('carries campaign tags on the landing page and the previous page as referrer', () => {
    for (const [sessionId, sessionEvents] of groupBy(events, (event) => event.session_id)) {
      const [landing, ...rest] = sessionEvents;
      if (landing.utm_campaign !== null) expect(landing.page_url, sessionId).to.include(`utm_campaign=${landing.utm_campaign}`);
      rest.forEach((event, index) => expect(event.referrer, sessionId).to.equal(sessionEvents[index].page_url));
      expect(new Set(sessionEvents.map((event) => event.utm_campaign)).size, sessionId).to.equal(1);
    }
  });

  it('averages about MEAN_EVENTS_PER_SESSION events a visit, the figure the session rate is set from', () => {
    const sessions = new Set(events.map((event) => event.session_id)).size;
    expect(events.length / sessions).to.be.within(MEAN_EVENTS_PER_SESSION * 0.85, MEAN_EVENTS_PER_SESSION * 1.15);
  });

  it('follows the requested volume and a daily rhythm in the visitors\' local time', () => {
    // One location, one clock (UTC+1), so the local day is plain to see.
    const audience = [{ id: '17', weight: 1, utcOffsetHours: 1 }];
    const week = [...simulate({ seed: 3, start: START, end: START + 7 * 86_400, users: 2_000, eventsPerHour: 400, audience })];
    expect(week.length).to.be.within(400 * 168 * 0.8, 400 * 168 * 1.2);
    expect(week[week.length - 1].timestamp).to.be.below(START + 7 * 86_400);
    const byLocalHour = new Array<number>(24).fill(0);
    for (const record of week) byLocalHour[new Date((record.timestamp + 3600) * 1000).getUTCHours()]++;
    const night = byLocalHour[2] + byLocalHour[3] + byLocalHour[4];
    const evening = byLocalHour[19] + byLocalHour[20] + byLocalHour[21];
    expect(evening).to.be.above(4 * night);
  });

  it('draws visitors from every reference location, weighted by a realistic country mix', () => {
    const audience = audienceFromLocations(locations);
    expect(audience.map((location) => location.id).sort()).to.deep.equal([...knownLocations].sort());
    expect(audience.every((location) => location.weight > 0)).to.equal(true);
    const byCountry = new Map(locations.map((location) => [String(location.id), location.isoAlpha2]));
    const share = (code: string): number => events.filter((event) => byCountry.get(event.location) === code).length / events.length;
    expect(share('US')).to.be.above(share('LU'));
  });

  it('refuses a rate its users cannot make under the 30-minute rule, saying how many users it needs', () => {
    expect(() => run({ users: 100, eventsPerHour: 100_000 })).to.throw(/100 users cannot make 100000 events an hour.*give at least \d+ users/);
  });

  describe('with injected faults', () => {
    const rates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.02])) as Record<FaultKind, number>;
    const faulty = run({ faults: rates });
    const context = contextFor(run());

    it('injects each kind at about the requested rate', () => {
      for (const kind of FAULT_KINDS) {
        const count = faulty.filter((record) => record.fault === kind).length;
        expect(count, kind).to.be.within(20_000 * 0.02 * 0.6, 20_000 * 0.02 * 1.4);
      }
    });

    it('makes the model reject each injected record with the reason of its kind, and nothing else', () => {
      for (const record of faulty) {
        const result = validateLine(record.line, context);
        if (record.fault === undefined || record.fault === 'duplicate_event_id') {
          expect(result.ok, record.line).to.equal(true);
        } else {
          expect(result.ok ? 'accepted' : result.rejection.code, record.line).to.equal(record.fault);
        }
      }
    });

    it('repeats a valid event byte for byte as a duplicate', () => {
      faulty.forEach((record, index) => {
        if (record.fault === 'duplicate_event_id') expect(faulty[index - 1].line).to.equal(record.line);
      });
    });

    it('produces faults deterministically, and only changes the events it corrupts', () => {
      expect(run({ faults: rates }).map((record) => record.line)).to.deep.equal(faulty.map((record) => record.line));
      const clean = run();
      const untouched = faulty.filter((record) => record.fault === undefined).map((record) => record.line);
      const cleanLines = new Set(clean.map((record) => record.line));
      expect(untouched.every((line) => cleanLines.has(line))).to.equal(true);
    });

    it('rejects rates outside 0..1 or adding up to more than 1, naming the kind', () => {
      expect(() => run({ faults: { wrong_type: 1.5 } })).to.throw(/wrong_type=1.5.*from 0 to 1/);
      expect(() => run({ faults: { wrong_type: 0.6, missing_field: 0.6 } })).to.throw(/add up to 1.2/);
    });
  });
});
