import type { ValueFormat } from '../schema';

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A value as the dashboard shows it: counts with separators, one decimal otherwise, "%" for shares. */
export function formatValue(value: number | null, format: ValueFormat): string {
  if (value === null) return '–';
  switch (format) {
    case 'count':
      return COUNT.format(value);
    case 'decimal':
      return DECIMAL.format(value);
    case 'percent':
      return `${DECIMAL.format(value)} %`;
  }
}
