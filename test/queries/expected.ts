/**
 * What each named query should return, computed in TypeScript from the raw lines, without SQL: the
 * lines are validated with the model's validator, deduplicated by event id, joined to the reference
 * locations, then counted here. Only the query's stated meaning is shared with the SQL, not its code.
 */
import { FUNNEL_STEPS, type ValidEvent } from '../../model/events';
import type { Location } from '../../model/locations';
import { validateLine, type ValidationContext } from '../../model/validate';
import type { Cell } from '../../queries/result';

export interface RawLine {
  readonly key: string;
  readonly lineNumber: number;
  readonly text: string;
}

export interface OracleEvent {
  /** The order an event belongs to: its session, or for a version 1 event (no session) itself. */
  readonly orderId: string;
  readonly event: ValidEvent;
  readonly location: Location;
  readonly revenue: number | null;
  readonly eventDate: string;
  readonly eventHour: number;
  /** ISO: 1 = Monday ... 7 = Sunday, from JavaScript's own calendar. */
  readonly isoDayOfWeek: number;
}

export type Row = Record<string, Cell>;

/** Valid, deduplicated, enriched events: what the ETL should have loaded into `events`. */
export function loadedEvents(lines: readonly RawLine[], locations: readonly Location[], context: ValidationContext): OracleEvent[] {
  const byId = new Map(locations.map((location) => [String(location.id), location]));
  const seen = new Set<string>();
  const events: OracleEvent[] = [];
  for (const line of lines) {
    const result = validateLine(line.text, context);
    if (!result.ok) continue;
    const event = result.event;
    if (event.event_id !== null) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
    }
    const time = new Date(event.timestamp * 1000);
    const weekday = time.getUTCDay();
    events.push({
      orderId: event.session_id ?? event.event_id ?? `${line.key}#${line.lineNumber}`,
      event,
      location: byId.get(event.location) as Location,
      revenue: event.event_type === 'purchase' && event.price !== null && event.quantity !== null ? event.price * event.quantity : null,
      eventDate: time.toISOString().slice(0, 10),
      eventHour: time.getUTCHours(),
      isoDayOfWeek: weekday === 0 ? 7 : weekday,
    });
  }
  return events;
}

/** What a query's filter parameters keep: a date range, and optionally one continent or country. */
export interface Selection {
  readonly start: string;
  readonly end: string;
  readonly continent?: string;
  readonly country?: string;
}

export function selected(events: readonly OracleEvent[], selection: Selection): OracleEvent[] {
  return events.filter(
    (event) =>
      event.eventDate >= selection.start &&
      event.eventDate <= selection.end &&
      (selection.continent === undefined || event.location.continent === selection.continent) &&
      (selection.country === undefined || event.location.countryName === selection.country),
  );
}

function groupBy<K, T>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const distinct = <T>(items: readonly T[], value: (item: T) => unknown) => new Set(items.map(value).filter((v) => v !== null)).size;
const users = (events: readonly OracleEvent[]) => distinct(events, (event) => event.event.user_id);
/** Code-unit order, as SQL engines compare ASCII and accented names alike (not locale order). */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
const cents = (value: number) => Math.round(value * 100) / 100;

export function mostActiveRegions(events: readonly OracleEvent[], countriesPerContinent: number): Row[] {
  const continents = [...groupBy(events, (event) => event.location.continent)].map(([continent, group]) => ({ continent, group }));
  continents.sort((a, b) => b.group.length - a.group.length || compareText(a.continent, b.continent));
  return continents.flatMap(({ continent, group }) => {
    const countries = [...groupBy(group, (event) => event.location.countryName)].map(([countryName, countryEvents]) => ({ countryName, countryEvents }));
    countries.sort((a, b) => b.countryEvents.length - a.countryEvents.length || compareText(a.countryName, b.countryName));
    return countries.slice(0, countriesPerContinent).map(({ countryName, countryEvents }, index) => ({
      continent,
      continent_events: group.length,
      continent_users: users(group),
      continent_share_pct: percent(group.length, events.length),
      country_rank: index + 1,
      country_name: countryName,
      country_iso2: countryEvents[0].location.isoAlpha2,
      events: countryEvents.length,
      users: users(countryEvents),
      share_of_continent_pct: percent(countryEvents.length, group.length),
    }));
  });
}

export function popularActions(events: readonly OracleEvent[]): Row[] {
  return [...groupBy(events, (event) => event.event.event_type)]
    .map(([eventType, group]) => ({ event_type: eventType, events: group.length, users: users(group), share_of_events_pct: percent(group.length, events.length) }))
    .sort((a, b) => b.events - a.events || compareText(a.event_type, b.event_type));
}

function ageBucket(age: number): string {
  const bounds: [number, string][] = [[18, '13-17'], [25, '18-24'], [35, '25-34'], [45, '35-44'], [55, '45-54'], [65, '55-64']];
  return bounds.find(([below]) => age < below)?.[1] ?? '65+';
}

export function userAgeBreakdown(events: readonly OracleEvent[]): Row[] {
  const continents = [...groupBy(events, (event) => event.location.continent)].map(([continent, group]) => {
    // A user's age: the highest their events in the continent report.
    const ages = [...groupBy(group, (event) => event.event.user_id).values()].map((userEvents) => Math.max(...userEvents.map((event) => event.event.user_age)));
    return { continent, ages };
  });
  continents.sort((a, b) => b.ages.length - a.ages.length || compareText(a.continent, b.continent));
  return continents.flatMap(({ continent, ages }) => {
    const average = ages.reduce((sum, age) => sum + age, 0) / ages.length;
    return [...groupBy(ages, ageBucket)]
      .sort(([a], [b]) => compareText(a, b))
      .map(([bucket, bucketAges]) => ({
        continent,
        continent_users: ages.length,
        continent_average_age: average,
        age_bucket: bucket,
        users: bucketAges.length,
        share_of_continent_pct: percent(bucketAges.length, ages.length),
      }));
  });
}

export function conversionFunnel(events: readonly OracleEvent[]): Row[] {
  const stepsByUser = new Map<string, Set<string>>();
  for (const event of events) {
    const steps = stepsByUser.get(event.event.user_id) ?? new Set<string>();
    steps.add(event.event.event_type);
    stepsByUser.set(event.event.user_id, steps);
  }
  // A user reaches a step having that step and every earlier one.
  const counts = FUNNEL_STEPS.map((_, index) => [...stepsByUser.values()].filter((steps) => FUNNEL_STEPS.slice(0, index + 1).every((step) => steps.has(step))).length);
  return FUNNEL_STEPS.map((step, index) => ({
    step_number: index + 1,
    step,
    users: counts[index],
    conversion_from_previous_pct: index === 0 ? null : percent(counts[index], counts[index - 1]),
    conversion_from_first_pct: percent(counts[index], counts[0]),
  }));
}

export function dailyActivity(events: readonly OracleEvent[]): Row[] {
  return [...groupBy(events, (event) => event.eventDate)]
    .sort(([a], [b]) => compareText(a, b))
    .map(([date, group]) => {
      const withSession = group.filter((event) => event.event.session_id !== null);
      const sessions = distinct(withSession, (event) => event.event.session_id);
      return {
        event_date: date,
        active_users: users(group),
        sessions,
        events: group.length,
        events_per_session: sessions === 0 ? null : withSession.length / sessions,
      };
    });
}

function purchases(events: readonly OracleEvent[]): OracleEvent[] {
  return events.filter((event) => event.event.event_type === 'purchase');
}

const sumOf = (events: readonly OracleEvent[], value: (event: OracleEvent) => number | null) => events.reduce((sum, event) => sum + (value(event) ?? 0), 0);

export function revenueByCategory(events: readonly OracleEvent[]): Row[] {
  const categories = [...groupBy(purchases(events), (event) => event.event.product_category ?? 'unknown')].map(([category, group]) => {
    const orders = distinct(group, (event) => event.orderId);
    const revenue = cents(sumOf(group, (event) => event.revenue));
    return { category, group, orders, revenue };
  });
  const totalRevenue = categories.reduce((sum, category) => sum + category.revenue, 0);
  return categories
    .sort((a, b) => b.revenue - a.revenue || compareText(a.category, b.category))
    .map(({ category, group, orders, revenue }) => ({
      product_category: category,
      orders,
      order_lines: group.length,
      units: sumOf(group, (event) => event.event.quantity),
      revenue,
      average_order_value: revenue / orders,
      share_of_revenue_pct: percent(revenue, totalRevenue),
    }));
}

export function topProducts(events: readonly OracleEvent[], topN: number): Row[] {
  const products = [...groupBy(purchases(events).filter((event) => event.event.product_id !== null), (event) => event.event.product_id as string)].map(([productId, group]) => ({
    productId,
    group,
    revenue: cents(sumOf(group, (event) => event.revenue)),
  }));
  return products
    .sort((a, b) => b.revenue - a.revenue || compareText(a.productId, b.productId))
    .slice(0, topN)
    .map(({ productId, group, revenue }, index) => ({
      sales_rank: index + 1,
      product_id: productId,
      product_category: group[0].event.product_category,
      orders: distinct(group, (event) => event.orderId),
      units: sumOf(group, (event) => event.event.quantity),
      revenue,
    }));
}

export function deviceMix(events: readonly OracleEvent[]): Row[] {
  const dimensions: [string, (event: ValidEvent) => string | null][] = [
    ['device_type', (event) => event.device_type],
    ['browser', (event) => event.browser],
    ['os', (event) => event.os],
  ];
  return dimensions.flatMap(([dimension, value]) =>
    [...groupBy(events, (event) => value(event.event) ?? 'unknown')]
      .map(([label, group]) => ({ dimension, label, events: group.length, users: users(group), share_of_events_pct: percent(group.length, events.length) }))
      .sort((a, b) => b.events - a.events || compareText(a.label, b.label)),
  );
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function hourlyTraffic(events: readonly OracleEvent[]): Row[] {
  return [...groupBy(events, (event) => event.isoDayOfWeek * 100 + event.eventHour)]
    .sort(([a], [b]) => a - b)
    .map(([slot, group]) => ({
      day_of_week: Math.floor(slot / 100),
      day_name: DAY_NAMES[Math.floor(slot / 100) - 1],
      event_hour: slot % 100,
      events: group.length,
      users: users(group),
    }));
}

export function activitySummary(events: readonly OracleEvent[]): Row[] {
  if (events.length === 0) return [];
  const ages = [...groupBy(events, (event) => event.event.user_id).values()].map((userEvents) => Math.max(...userEvents.map((event) => event.event.user_age)));
  return [
    {
      events: events.length,
      users: ages.length,
      sessions: distinct(events, (event) => event.event.session_id),
      average_user_age: ages.reduce((sum, age) => sum + age, 0) / ages.length,
    },
  ];
}
