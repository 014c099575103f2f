/**
 * Prints a query result as an aligned text table (for people), CSV (RFC 4180, for spreadsheets) or
 * JSON (an array of row objects, for programs). The same for both engines.
 */
import { rowObjects, type Cell, type QueryResult } from './result';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(text: string): text is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(text);
}

function text(cell: Cell, nullText: string): string {
  return cell === null ? nullText : String(cell);
}

export function formatTable(result: QueryResult): string {
  const header = result.columns.map((column) => column.name);
  const body = result.rows.map((row) => row.map((cell) => text(cell, 'null')));
  const widths = header.map((name, index) => Math.max(name.length, ...body.map((row) => row[index].length)));
  const numeric = result.columns.map((column) => column.kind === 'integer' || column.kind === 'decimal');
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (numeric[index] ? cell.padStart(widths[index]) : cell.padEnd(widths[index])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  return [line(header), rule, ...body.map(line), count].join('\n') + '\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180; a null is an empty field. */
export function formatCsv(result: QueryResult): string {
  const lines = [result.columns.map((column) => column.name), ...result.rows.map((row) => row.map((cell) => text(cell, '')))];
  return lines.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function formatJson(result: QueryResult): string {
  return JSON.stringify(rowObjects(result), null, 2) + '\n';
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'table':
      return formatTable(result);
    case 'csv':
      return formatCsv(result);
    case 'json':
      return formatJson(result);
  }
}
