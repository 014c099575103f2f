import type { ValueFormat } from '../schema';

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * A value as the dashboard shows it: counts with separators, one decimal otherwise, "%" for shares,
 * joined to its number by a no-break space so a narrow tile never puts it on a line of its own.
 */
export function formatValue(value: number | null, format: ValueFormat): string {
  if (value === null) return '–';
  switch (format) {
    case 'count':
      return COUNT.format(value);
    case 'decimal':
      return DECIMAL.format(value);
    case 'percent':
      return `${DECIMAL.format(value)}\u00a0%`;
  }
}

/** An axis tick: short (20K, 1.5M), so ticks of a narrow chart stay apart. */
export function formatAxisValue(value: number): string {
  return COMPACT.format(value);
}

const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A date axis tick (`2026-01-05` → `Jan 5`): short enough that the first one stays clear of the value axis. */
export function formatAxisDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? date : DAY.format(day);
}
