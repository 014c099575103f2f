/**
 * The daily and weekly rhythm of shopping, in the visitor's local time: quiet nights, a lunch bump,
 * an evening peak, busier Sundays and Mondays. Factors average 1 over a week, so a mean rate set by
 * the caller is kept over whole weeks.
 */

/** Relative session arrivals per local hour, 0h to 23h (normalised below to average 1). */
const HOURLY = [
  0.45, 0.28, 0.18, 0.13, 0.12, 0.16, 0.3, 0.55, 0.8, 0.98, 1.08, 1.15,
  1.25, 1.22, 1.15, 1.12, 1.15, 1.22, 1.38, 1.55, 1.68, 1.6, 1.25, 0.82,
];
/** Relative arrivals per local weekday, Sunday first (normalised below to average 1). */
const WEEKDAY = [1.12, 1.08, 1.02, 1.0, 0.98, 0.9, 0.9];

function normalised(values: readonly number[]): number[] {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.map((value) => value / mean);
}

const HOURLY_FACTORS = normalised(HOURLY);
const WEEKDAY_FACTORS = normalised(WEEKDAY);

/** The highest factor any moment can have: the bound the arrival process thins from. */
export const PEAK_FACTOR = Math.max(...HOURLY_FACTORS) * Math.max(...WEEKDAY_FACTORS);

const DAY = 86_400;
/** 1970-01-01 was a Thursday. */
const EPOCH_WEEKDAY = 4;

/** The rhythm factor at `timestamp` (epoch seconds, UTC) for visitors `utcOffsetHours` ahead of UTC. */
export function rhythmFactor(timestamp: number, utcOffsetHours: number): number {
  const local = timestamp + utcOffsetHours * 3600;
  const day = Math.floor(local / DAY);
  const hour = Math.floor((local - day * DAY) / 3600);
  const weekday = (((day + EPOCH_WEEKDAY) % 7) + 7) % 7;
  return HOURLY_FACTORS[hour] * WEEKDAY_FACTORS[weekday];
}
