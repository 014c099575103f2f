import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The reference table `locations`: location id → country, continent and ISO 3166-1 codes.
 * Events carry the id as a string ("17"); the ETL joins it here. Two file formats are read: ours
 * (comma-separated, with ISO codes) and the original application's (`ID;country-name;continent`),
 * because buckets written by the old application must stay loadable.
 */

export const CONTINENTS = ['Africa', 'Antarctica', 'Asia', 'Europe', 'North America', 'Oceania', 'South America'] as const;
export type Continent = (typeof CONTINENTS)[number];

export interface Location {
  readonly id: number;
  readonly countryName: string;
  readonly continent: Continent;
  readonly isoAlpha2: string | null;
  readonly isoAlpha3: string | null;
  readonly isoNumeric: string | null;
}

/** Our CSV header, in order; a test holds it equal to `LOCATIONS.columns` in model/tables.ts. */
export const LOCATION_COLUMNS = ['location_id', 'country_name', 'continent', 'iso_alpha2', 'iso_alpha3', 'iso_numeric'] as const;

/** The original application's header (semicolon-separated, no ISO codes). */
export const ORIGINAL_LOCATION_COLUMNS = ['ID', 'country-name', 'continent'] as const;

export const BUNDLED_LOCATIONS_PATH = join(__dirname, 'reference', 'countries_continents.csv');

interface CsvFormat {
  readonly name: string;
  readonly delimiter: string;
  readonly columns: readonly string[];
}

const OUR_FORMAT: CsvFormat = { name: 'clickstream-bi format', delimiter: ',', columns: LOCATION_COLUMNS };
const ORIGINAL_FORMAT: CsvFormat = { name: 'original format', delimiter: ';', columns: ORIGINAL_LOCATION_COLUMNS };
const FORMATS: readonly CsvFormat[] = [OUR_FORMAT, ORIGINAL_FORMAT];

/** Shape and meaning of each ISO column, for validation and for the error text. */
const ISO_CODES = [
  { column: 'iso_alpha2', key: 'isoAlpha2', pattern: /^[A-Z]{2}$/, allowed: 'two upper-case letters, e.g. "FR"' },
  { column: 'iso_alpha3', key: 'isoAlpha3', pattern: /^[A-Z]{3}$/, allowed: 'three upper-case letters, e.g. "FRA"' },
  { column: 'iso_numeric', key: 'isoNumeric', pattern: /^[0-9]{3}$/, allowed: 'three digits, e.g. "250"' },
] as const;

function isContinent(value: string): value is Continent {
  return (CONTINENTS as readonly string[]).includes(value);
}

/**
 * Splits one CSV record into fields (RFC 4180 quoting: `"a, b"`, `"say ""hi"""`). Records are one
 * line each: no country name holds a line break, so a six-column file needs no streaming parser.
 */
function splitRecord(line: string, delimiter: string, where: string): string[] {
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (line[position] === '"') {
      let value = '';
      let cursor = position + 1;
      for (;;) {
        const quote = line.indexOf('"', cursor);
        if (quote < 0) {
          throw new Error(`${where}: a quoted field opened at column ${position + 1} is never closed; end it with '"' (write a literal quote as "")`);
        }
        value += line.slice(cursor, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        cursor = quote + 1;
        break;
      }
      if (cursor < line.length && line[cursor] !== delimiter) {
        throw new Error(`${where}: text after the closing quote at column ${cursor + 1}; put the whole field inside the quotes`);
      }
      fields.push(value);
      if (cursor >= line.length) return fields;
      position = cursor + 1;
    } else {
      const end = line.indexOf(delimiter, position);
      const value = end < 0 ? line.slice(position) : line.slice(position, end);
      if (value.includes('"')) {
        throw new Error(`${where}: field "${value}" holds a quote but is not quoted; write it as "${value.replace(/"/g, '""')}" inside quotes`);
      }
      fields.push(value);
      if (end < 0) return fields;
      position = end + 1;
    }
  }
}

function detectFormat(header: string, source: string): CsvFormat {
  const format = FORMATS.find((candidate) => header === candidate.columns.join(candidate.delimiter));
  if (!format) {
    const known = FORMATS.map((candidate) => `"${candidate.columns.join(candidate.delimiter)}" (${candidate.name})`).join(' or ');
    throw new Error(`${source} line 1: header "${header}" is not a known locations header; use ${known}`);
  }
  return format;
}

/**
 * Parses a locations file in our format or the original semicolon format (told apart by the header).
 * Tolerates a UTF-8 BOM, CRLF line ends and trailing newlines; anything else wrong throws an error
 * naming `source`, the line, the value and what is allowed.
 */
export function parseLocationsCsv(text: string, source: string): Location[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) {
    throw new Error(`${source}: the file is empty; expected the header "${LOCATION_COLUMNS.join(',')}" and one row per location`);
  }
  const format = detectFormat(lines[0], source);
  const [idColumn, nameColumn, continentColumn] = format.columns;
  if (lines.length === 1) {
    throw new Error(`${source}: no locations after the header; add one row per location`);
  }

  const idLines = new Map<number, number>();
  const codeLines = new Map<string, number>();
  const locations: Location[] = [];
  for (let index = 1; index < lines.length; index++) {
    const lineNumber = index + 1;
    const where = `${source} line ${lineNumber}`;
    if (lines[index] === '') {
      throw new Error(`${where}: empty line inside the table; remove it`);
    }
    const fields = splitRecord(lines[index], format.delimiter, where);
    if (fields.length !== format.columns.length) {
      const hint = format.delimiter === ',' ? '; quote a name that contains a comma' : '';
      throw new Error(`${where}: ${fields.length} fields, expected ${format.columns.length} (${format.columns.join(format.delimiter)})${hint}`);
    }
    const [rawId, countryName, continent] = fields;

    if (!/^[1-9][0-9]*$/.test(rawId) || !Number.isSafeInteger(Number(rawId))) {
      throw new Error(`${where}: ${idColumn} "${rawId}" is not a positive integer; use 1, 2, 3, ...`);
    }
    const id = Number(rawId);
    const firstIdLine = idLines.get(id);
    if (firstIdLine !== undefined) {
      throw new Error(`${where}: ${idColumn} "${rawId}" is already used on line ${firstIdLine}; ids must be unique`);
    }
    idLines.set(id, lineNumber);

    if (countryName.trim() === '') {
      throw new Error(`${where}: ${nameColumn} is empty; give the country's name`);
    }
    if (!isContinent(continent)) {
      throw new Error(`${where}: ${continentColumn} "${continent}" is not one of ${CONTINENTS.join(', ')}`);
    }

    const codes = { isoAlpha2: null as string | null, isoAlpha3: null as string | null, isoNumeric: null as string | null };
    if (format === OUR_FORMAT) {
      ISO_CODES.forEach((code, offset) => {
        const value = fields[3 + offset];
        if (value === '') return;
        if (!code.pattern.test(value)) {
          throw new Error(`${where}: ${code.column} "${value}" is not ${code.allowed}; leave it empty if unknown`);
        }
        const seenKey = `${code.column}:${value}`;
        const firstCodeLine = codeLines.get(seenKey);
        if (firstCodeLine !== undefined) {
          throw new Error(`${where}: ${code.column} "${value}" is already used on line ${firstCodeLine}; each code must be unique`);
        }
        codeLines.set(seenKey, lineNumber);
        codes[code.key] = value;
      });
    }
    locations.push({ id, countryName, continent, ...codes });
  }
  return locations;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Renders locations in our format: header, one row per location, `\n` line ends, final newline. */
export function locationsCsv(locations: readonly Location[]): string {
  const rows = locations.map((location) =>
    [location.id, location.countryName, location.continent, location.isoAlpha2, location.isoAlpha3, location.isoNumeric]
      .map(csvField)
      .join(','),
  );
  return [LOCATION_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

let bundled: readonly Location[] | undefined;

/** The reference file shipped with the project (model/reference/), parsed once per process. */
export function readBundledLocations(): Location[] {
  bundled ??= Object.freeze(
    parseLocationsCsv(readFileSync(BUNDLED_LOCATIONS_PATH, 'utf8'), BUNDLED_LOCATIONS_PATH).map((location) => Object.freeze(location)),
  );
  // A fresh array each call, so a caller that sorts or filters in place cannot change the cache.
  return [...bundled];
}

/** Lookup by the id as events carry it: a decimal string such as "17". */
export function locationIndex(locations: readonly Location[]): ReadonlyMap<string, Location> {
  const index = new Map<string, Location>();
  for (const location of locations) {
    const key = String(location.id);
    const earlier = index.get(key);
    if (earlier) {
      throw new Error(`locationIndex: id ${key} is used by both "${earlier.countryName}" and "${location.countryName}"; ids must be unique`);
    }
    index.set(key, location);
  }
  return index;
}
