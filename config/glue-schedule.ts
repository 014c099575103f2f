/**
 * Reads a Glue (EventBridge) cron schedule, `cron(Minutes Hours Day-of-month Month Day-of-week Year)`,
 * far enough to know the shortest time between two starts: a job whose run (with its retries) can
 * outlast that gap is still running when the next start comes, and with one concurrent run allowed
 * that start fails.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Day-of-week 1-7 is SUN-SAT in AWS cron. */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 1, max: 7, names: WEEKDAYS },
  { min: 1970, max: 2199 },
];

function value(text: string, field: Field): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const number = named >= 0 ? named + field.min : /^\d+$/.test(text) ? Number(text) : undefined;
  return number !== undefined && number >= field.min && number <= field.max ? number : undefined;
}

/** The values one field allows, or undefined for syntax this reader does not follow (L, W, #). */
function allowed(text: string, field: Field): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*' || range === '?') {
      [from, to] = [field.min, field.max];
    } else if (range.includes('-')) {
      const [low, high] = range.split('-');
      [from, to] = [value(low, field), value(high, field)];
    } else {
      from = value(range, field);
      to = stepText === undefined ? from : field.max;
    }
    if (from === undefined || to === undefined || from > to) return undefined;
    for (let each = from; each <= to; each += step) values.add(each);
  }
  return values;
}

/**
 * The shortest gap, in minutes, between two consecutive starts of `schedule` over a year from
 * 2026-01-01 (UTC, as Glue schedules run), or undefined when the expression uses syntax this reader
 * does not follow or starts less than twice in that year.
 */
export function shortestGapMinutes(schedule: string): number | undefined {
  const match = /^cron\((.+)\)$/.exec(schedule.trim());
  const parts = match?.[1].trim().split(/\s+/);
  if (!parts || parts.length !== FIELDS.length) return undefined;
  const sets = parts.map((part, index) => allowed(part, FIELDS[index]));
  if (sets.some((set) => set === undefined)) return undefined;
  const [minutes, hours, daysOfMonth, months, weekdays, years] = sets as Set<number>[];
  const minutesOfDay = [...hours].sort((a, b) => a - b).flatMap((hour) => [...minutes].sort((a, b) => a - b).map((minute) => hour * 60 + minute));
  const start = Date.UTC(2026, 0, 1);
  let previous: number | undefined;
  let shortest: number | undefined;
  for (let day = 0; day < 366 + 1; day++) {
    const date = new Date(start + day * 86_400_000);
    const runs =
      daysOfMonth.has(date.getUTCDate()) && months.has(date.getUTCMonth() + 1) && weekdays.has(date.getUTCDay() + 1) && years.has(date.getUTCFullYear());
    if (!runs) continue;
    for (const minuteOfDay of minutesOfDay) {
      const at = day * 1440 + minuteOfDay;
      if (previous !== undefined) shortest = Math.min(shortest ?? Infinity, at - previous);
      previous = at;
    }
  }
  return shortest;
}
