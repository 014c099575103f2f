/**
 * The few places where DuckDB and Spark SQL (Spark 3.5, Glue 5.0) differ, as a table of small SQL
 * builders. The transform (etl/sql/*.sql) is written once; every engine difference it needs goes
 * through one of these entries, so a reader can see the whole gap between the two engines here.
 *
 * JSON is the big one. DuckDB parses each line once into a struct of per-field JSON texts, whose
 * first character tells the JSON type. Spark has no JSON type test, so a field's text comes from a
 * `map<string,string>` parse (strings unquoted) and, where the text alone is ambiguous ("17" may be a
 * string or a number), a one-field typed `from_json` settles the type.
 */
import type { ColumnType } from '../model/tables';

export type DialectName = 'duckdb' | 'spark';

/** What the validation has already settled about a field's JSON type where a detail prints it. */
export type KnownJsonType = 'string' | 'not-string';

export interface Dialect {
  readonly name: DialectName;
  /** Statement prefix for a step that later steps read several times: computed once, kept. */
  materialize(name: string): string;
  /** Statement prefix for a step read once (or written out): a view. */
  view(name: string): string;
  stringLiteral(text: string): string;
  typeName(type: ColumnType): string;

  /** The line parsed once; NULL when it is not valid JSON (DuckDB) or not a JSON object (Spark). */
  parseDocument(line: string, fieldNames: readonly string[]): string;
  /** A field's JSON text from the parsed document; NULL when absent or JSON null. */
  fieldText(document: string, fieldName: string): string;
  /** True when the line is not valid JSON. */
  lineIsMalformed(line: string, document: string): string;
  /** True when the line, valid JSON, is not an object. */
  lineIsNotObject(line: string, document: string): string;
  /**
   * Second looks, taken only on lines another rule rejected: checks too costly for every line, for
   * cases that always break a later rule too (a non-object lacks every required field; a field
   * holding NaN is neither string nor number). Absent where the first look is exact.
   */
  readonly recheckMalformed?: (line: string, fieldTexts: readonly string[]) => string;
  readonly recheckNotObject?: (line: string) => string;
  /** Whether a present field holds a JSON string. */
  isString(text: string, line: string, fieldName: string): string;
  /** Whether a present field holds a JSON number. */
  isNumber(text: string, line: string, fieldName: string): string;
  /**
   * A present field's value as JSON text, for reason details: DuckDB's (yyjson's) writing is the one
   * both engines print, e.g. `"foo"`, `10000000.0`, `1e21`, `[1,2]`. `known` is what the rules before
   * the detail's rule have settled: the value is a JSON string, or it is not; a dialect that must
   * otherwise test the JSON type may skip that test.
   */
  jsonText(text: string, line: string, fieldName: string, known?: KnownJsonType): string;
  /** The string a present JSON-string field holds, unescaped. */
  stringValue(text: string): string;
  /** The number a present JSON-number field holds, as a double (infinite when out of range). */
  numberValue(text: string): string;
  /** Whether a string is one or more ASCII digits. */
  isDigits(text: string): string;

  /** Length in UTF-16 code units, as JavaScript counts a string's length. */
  utf16Length(text: string): string;
  /** Length in UTF-8 bytes: never less than the UTF-16 length, and cheap. */
  byteLength(text: string): string;
  isFinite(number: string): string;
  epochToTimestamp(seconds: string): string;
  epochToDate(seconds: string): string;
  md5Hex(text: string): string;
  /** A struct value with named fields, e.g. the reason (code, field, detail). */
  struct(fields: Readonly<Record<string, string>>): string;
}

const TYPE_NAMES: Readonly<Record<DialectName, Readonly<Record<ColumnType, string>>>> = {
  duckdb: { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', date: 'DATE' },
  // TIMESTAMP_NTZ: a wall-clock time in UTC as DuckDB's TIMESTAMP is (Parquet isAdjustedToUTC=false);
  // Spark's TIMESTAMP is an instant and would be written as adjusted to UTC.
  spark: { string: 'STRING', int: 'INT', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP_NTZ', date: 'DATE' },
};

/** A JSON number's text starts with a digit, or a minus and a digit (ascii() is DuckDB's cheapest look). */
function duckdbIsNumberText(text: string): string {
  return `(ascii(${text}) BETWEEN 48 AND 57 OR (ascii(${text}) = 45 AND ascii(substr(${text}, 2, 1)) BETWEEN 48 AND 57))`;
}

/** yyjson's extensions to JSON (NaN, Inf, Infinity in any case, signed) start with I, N, i or n. */
function duckdbIsNonstandardNumber(text: string): string {
  return `(ascii(${text}) IN (73, 78, 105, 110) OR (ascii(${text}) = 45 AND ascii(substr(${text}, 2, 1)) IN (73, 78, 105, 110)))`;
}

export const DUCKDB: Dialect = {
  name: 'duckdb',
  // Not TEMP: the engine's other connections write outputs from them (etl/duckdb-engine.ts).
  materialize: (name) => `CREATE OR REPLACE TABLE ${name} AS`,
  view: (name) => `CREATE OR REPLACE VIEW ${name} AS`,
  stringLiteral: (text) => `'${text.replace(/'/g, "''")}'`,
  typeName: (type) => TYPE_NAMES.duckdb[type],

  // json_transform to JSON-typed members keeps each field's JSON text, from one parse of the line;
  // try() turns its error on invalid JSON into NULL (cheaper than a json_valid pass over every line).
  parseDocument: (line, fieldNames) =>
    `try(json_transform(${line}, ${DUCKDB.stringLiteral(JSON.stringify(Object.fromEntries(fieldNames.map((name) => [name, 'JSON']))))}))`,
  fieldText: (document, fieldName) => `${document}."${fieldName}"`,
  // json_transform of the valid line `null` is NULL too, hence the second look.
  lineIsMalformed: (line, document) => `(${document} IS NULL AND NOT json_valid(${line}))`,
  lineIsNotObject: (_line, document) => `(${document} IS NULL)`,
  // DuckDB's parser also takes NaN/Infinity (and trailing commas); JSON.parse refuses NaN/Infinity,
  // and so must we where a known field holds one (see the README for the remaining difference).
  recheckMalformed: (_line, fieldTexts) => `(${fieldTexts.map(duckdbIsNonstandardNumber).join('\n      OR ')})`,
  recheckNotObject: (line) => `NOT regexp_matches(${line}, '^[ \\t\\n\\r]*\\{')`,
  isString: (text) => `(ascii(${text}) = 34)`,
  isNumber: (text) => duckdbIsNumberText(text),
  jsonText: (text) => text,
  // Without a backslash the JSON string is its content between the quotes.
  stringValue: (text) =>
    `CASE WHEN ascii(${text}) = 34 THEN (CASE WHEN contains(${text}, '\\') THEN json_extract_string(${text}, '$') ELSE substr(${text}, 2, length(${text}) - 2) END) END`,
  numberValue: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  isDigits: (text) => `regexp_full_match(${text}, '[0-9]+')`,

  // Characters outside the Basic Multilingual Plane count twice in UTF-16.
  utf16Length: (text) => `(length(${text}) + length(regexp_replace(${text}, '[^\\x{10000}-\\x{10FFFF}]', '', 'g')))`,
  byteLength: (text) => `strlen(${text})`,
  isFinite: (number) => `isfinite(${number})`,
  epochToTimestamp: (seconds) => `make_timestamp(CAST(${seconds} AS BIGINT) * 1000000)`,
  epochToDate: (seconds) => `CAST(make_timestamp(CAST(${seconds} AS BIGINT) * 1000000) AS DATE)`,
  md5Hex: (text) => `md5(${text})`,
  struct: (fields) => `struct_pack(${Object.entries(fields).map(([name, value]) => `${name} := ${value}`).join(', ')})`,
};

/** Jackson options that make Spark's JSON parser as strict as JSON.parse. */
const SPARK_JSON_OPTIONS =
  "map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', " +
  "'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', " +
  "'allowUnquotedFieldNames', 'false')";

function sparkTypedField(line: string, fieldName: string, type: string): string {
  return `from_json(${line}, 'struct<\`${fieldName}\`:${type}>', ${SPARK_JSON_OPTIONS}).\`${fieldName}\``;
}

/**
 * Spark's map parse holds strings unquoted and numbers as Jackson rewrites them (1.0E7); this writes them
 * as yyjson does: strings quoted and escaped, integers as written, other numbers in plain decimals
 * (10000000.0) from 1e-6 to 1e21 and as `<digits>e<exponent>` outside, and a number too large for a
 * double (Jackson's "Infinity") as it stands in the line. Where the JSON type is known the type test
 * (up to four typed parses of the line) is left out: the rule CASE holds dozens of details, and Spark
 * plans every expression in it, which dominated a small job's time.
 */
function sparkJsonText(text: string, line: string, fieldName: string, known?: KnownJsonType): string {
  const quoted = `substr(to_json(array(${text})), 2, length(to_json(array(${text}))) - 2)`;
  if (known === 'string') return quoted;
  const number = `CAST(${text} AS DOUBLE)`;
  const decimal = (scale: number): string =>
    `regexp_replace(regexp_replace(CAST(CAST(${number} AS DECIMAL(38, ${scale})) AS STRING), '0+$', ''), '[.]$', '.0')`;
  const raw = `regexp_extract(${line}, '"${fieldName}"[ \\t\\r\\n]*:[ \\t\\r\\n]*(-?[0-9][0-9.eE+-]*)', 1)`;
  return (
    `(CASE WHEN ${text} IN ('"Infinity"', '"-Infinity"') THEN ${raw}` +
    (known === 'not-string' ? '' : ` WHEN ${SPARK.isString(text, line, fieldName)} THEN ${quoted}`) +
    ` WHEN NOT (${text} RLIKE '^-?[0-9]') OR ${text} RLIKE '^-?[0-9]+$' THEN ${text}` +
    ` WHEN abs(${number}) >= 1e21 OR (${number} <> 0 AND abs(${number}) < 1e-6) THEN regexp_replace(lower(CAST(${number} AS STRING)), '[.]0e', 'e')` +
    ` WHEN abs(${number}) >= 1 THEN ${decimal(16)}` +
    ` ELSE ${decimal(37)} END)`
  );
}

/**
 * A double column as text, as DuckDB's CSV writer writes it (Python's repr): shortest digits, plain from
 * 1e-4 to below 1e16 (`0.0001`, `999999990.0`), else `<digits>e<sign><two digits or more>` (`5e-05`,
 * `1e+16`). Spark's CSV writer writes Java's Double.toString instead (`5.0E-5`, `9.9999999E8`): the same
 * digits, laid out otherwise, which this rearranges. (Java 17, Glue 5.0's, gives a digit too many for rare
 * values such as 2e23, `1.9999999999999998E23`; none among 40,000 prices and revenues shaped as this
 * model's.) Only finite numbers are loaded. Used by the Glue job for `--format csv` (glue_job.py csv_frame); DuckDB needs nothing.
 */
export function sparkCsvDouble(number: string): string {
  const java = `CAST(${number} AS STRING)`;
  const exponent = `CAST(substring_index(${java}, 'E', -1) AS INT)`;
  return (
    `(CASE WHEN ${number} IS NULL OR ${number} = 0 THEN ${java}` +
    ` WHEN abs(${number}) >= 1e-4 AND abs(${number}) < 1e16` +
    ` THEN regexp_replace(regexp_replace(CAST(CAST(${number} AS DECIMAL(38, 20)) AS STRING), '0+$', ''), '[.]$', '.0')` +
    ` ELSE concat(regexp_replace(substring_index(${java}, 'E', 1), '[.]0$', ''), 'e', IF(${exponent} < 0, '-', '+'),` +
    ` format_string('%02d', abs(${exponent}))) END)`
  );
}

export const SPARK: Dialect = {
  name: 'spark',
  // A view here: the Glue job computes it once and names the stored rows (glue_job.py run_statement), so
  // later statements do not plan against the whole validation again, as they would over CACHE TABLE.
  materialize: (name) => `CREATE OR REPLACE TEMPORARY VIEW ${name} AS`,
  view: (name) => `CREATE OR REPLACE TEMPORARY VIEW ${name} AS`,
  // Spark reads backslash escapes inside string literals.
  stringLiteral: (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
  typeName: (type) => TYPE_NAMES.spark[type],

  parseDocument: (line) => `from_json(${line}, 'map<string,string>', ${SPARK_JSON_OPTIONS})`,
  fieldText: (document, fieldName) => `${document}['${fieldName}']`,
  // No document: malformed, unless the line is some other JSON value (wrapped, it is a 1-element array).
  lineIsMalformed: (line, document) =>
    `(${document} IS NULL AND coalesce(size(from_json(concat('[', ${line}, ']'), 'array<string>', ${SPARK_JSON_OPTIONS})), -1) <> 1)`,
  lineIsNotObject: (_line, document) => `(${document} IS NULL)`,
  // The map holds strings unquoted: a text that cannot be a number, true/false, array or object is a
  // string; one that could be is parsed again with that one type.
  isString: (text, line, fieldName) =>
    `(CASE WHEN ${text} IS NULL THEN false` +
    ` WHEN ${text} RLIKE '^-?[0-9]' THEN ${sparkTypedField(line, fieldName, 'double')} IS NULL` +
    ` WHEN ${text} IN ('true', 'false') THEN ${sparkTypedField(line, fieldName, 'boolean')} IS NULL` +
    ` WHEN left(${text}, 1) = '[' THEN ${sparkTypedField(line, fieldName, 'array<string>')} IS NULL` +
    ` WHEN left(${text}, 1) = '{' THEN ${sparkTypedField(line, fieldName, 'map<string,string>')} IS NULL` +
    ' ELSE true END)',
  // The text must look like a number too: Jackson writes a number too large for a double as the string
  // "Infinity", and with a key given twice the map holds the first copy while the typed parse keeps any
  // copy that is a number (README "Known differences").
  isNumber: (text, line, fieldName) =>
    `(${text} IS NOT NULL AND ${text} RLIKE '^-?[0-9]' AND ${sparkTypedField(line, fieldName, 'double')} IS NOT NULL)`,
  jsonText: (text, line, fieldName, known) => sparkJsonText(text, line, fieldName, known),
  stringValue: (text) => text,
  numberValue: (text) => `CAST(${text} AS DOUBLE)`,
  isDigits: (text) => `(${text} <> '' AND translate(${text}, '0123456789', '') = '')`,

  utf16Length: (text) => `(octet_length(encode(${text}, 'UTF-16BE')) DIV 2)`,
  byteLength: (text) => `octet_length(${text})`,
  isFinite: (number) => `(NOT isnan(${number}) AND abs(${number}) < double('Infinity'))`,
  epochToTimestamp: (seconds) => `timestamp_seconds(CAST(${seconds} AS BIGINT))`,
  epochToDate: (seconds) => `date_from_unix_date(CAST(floor(${seconds} / 86400) AS INT))`,
  md5Hex: (text) => `md5(${text})`,
  struct: (fields) => `named_struct(${Object.entries(fields).map(([name, value]) => `'${name}', ${value}`).join(', ')})`,
};

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { duckdb: DUCKDB, spark: SPARK };
