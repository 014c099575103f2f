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
