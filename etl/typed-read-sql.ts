/**
 * The DuckDB engine's first look at a line (etl/duckdb-typed-lines.sql): one parse with DuckDB's JSON
 * reader into the contract's types, and the contract's rules (model/events.ts EVENT_FIELDS) checked
 * on the typed values. A line that passes every rule there is valid, with the values the per-rule
 * checks (etl/validation-sql.ts) would give it; every other line goes to those checks, which give its
 * reason code and detail. So the first look only has to be right when it says "valid".
 *
 * What a typed parse cannot tell, it leaves to the per-rule checks:
 * - A number field read as DOUBLE would take the string "49" as 49, so number fields (and digit
 *   strings, which a number would imitate) are read as JSON text, whose first character gives the type.
 * - A string field read as VARCHAR takes a non-string value as its JSON text (17 → "17", true →
 *   "true", [1] → "[1]", NaN → "NaN"). A value that could be such a text (`looksLikeJsonLiteralSql`)
 *   goes to the per-rule checks; a value in a field's allowed list never can (checked here).
 * JSON null reads as NULL, as absent does: the contract treats them alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_FIELDS, type EventField } from '../model/events';
import { DUCKDB } from './dialect';
import { renderTemplate } from './template';
import { eventKeySql, fieldValueNamesSql, schemaVersionColumnSql, textColumn, valueColumn } from './validation-sql';

const TEMPLATE_FILE = 'duckdb-typed-lines.sql';

/** Whether a field is read as JSON text (its type told by the text) rather than as its typed value. */
const readAsJson = (field: EventField): boolean => field.type !== 'string' || field.digits === true;

/**
 * The texts a JSON number turns into, NaN and Infinity (in any case, signed) included, and more:
 * a sign, digit, I or N, then only characters of those. RE2 and JavaScript read it alike.
 */
const NUMBER_LIKE = '[-+0-9INin][-+0-9.eEnNaAfFiItTyY]*';

/** The TypeScript twin of looksLikeJsonLiteralSql, to check the contract's allowed values with. */
export function looksLikeJsonLiteral(text: string): boolean {
  return text === 'true' || text === 'false' || text.startsWith('[') || text.startsWith('{') || new RegExp(`^(?:${NUMBER_LIKE})$`).test(text);
}

/**
 * Whether a value is one of a list. Not `IN (...)`: DuckDB plans an IN list of six or more constants
 * as a join, one per list, around the whole projection, which costs more than the parse.
 */
function oneOfSql(value: string, list: readonly (string | number)[]): string {
  return `list_contains([${list.map((item) => (typeof item === 'string' ? DUCKDB.stringLiteral(item) : String(item))).join(', ')}], ${value})`;
}

/**
 * True when a VARCHAR value could be the JSON text of a non-string value: true/false, an array or
 * object, or a number (digits, sign, point, exponent; NaN, Inf, Infinity). Ids such as
 * "1607ab1006-eevuh" hold other letters and pass; an all-digit id goes to the per-rule checks. A
 * value starting with a lower-case letter other than f, i, n, t cannot be one: no regular expression
 * runs on it (most values: URLs, names).
 */
export function looksLikeJsonLiteralSql(value: string): string {
  return (
    `(CASE WHEN ascii(${value}) BETWEEN 97 AND 122 AND ascii(${value}) NOT IN (102, 105, 110, 116) THEN false` +
    ` ELSE ascii(${value}) IN (91, 123) OR ${value} IN ('true', 'false') OR regexp_full_match(${value}, '${NUMBER_LIKE}') END)`
  );
}

/** The json_transform structure: each field as VARCHAR, or as JSON where its text must tell its type. */
export function typedStructureSql(): string {
  const structure = Object.fromEntries(EVENT_FIELDS.map((field) => [field.name, readAsJson(field) ? 'JSON' : 'VARCHAR']));
  return DUCKDB.stringLiteral(JSON.stringify(structure));
}

/** Each field from the typed document: `<name>__text` (JSON) or `<name>__str` (VARCHAR). */
export function typedFieldColumnsSql(document: string): string {
  return EVENT_FIELDS.map((field) => `${DUCKDB.fieldText(document, field.name)} AS ${readAsJson(field) ? textColumn(field) : valueColumn(field)}`).join(
    ',\n    ',
  );
}

/** The typed value of each field read as JSON text, as the per-rule checks compute it. */
export function typedValueColumnsSql(): string {
  return EVENT_FIELDS.filter(readAsJson)
    .map((field) => {
      const text = textColumn(field);
      return `${field.type === 'string' ? DUCKDB.stringValue(text) : DUCKDB.numberValue(text)} AS ${valueColumn(field)}`;
    })
    .join(',\n    ');
}

/**
 * True when a field is present and keeps every rule of its field; NULL or false otherwise. Checks are
 * few on purpose (each is a pass over a column): a number must start with a digit (a negative one, or
 * "-0", goes to the per-rule checks), whose bounds then exclude NaN and infinities; a digit string is
 * held to its rules by the reference keys it must match (`locationKeyConformsSql`).
 */
function conformsSql(field: EventField): string {
  const value = valueColumn(field);
  if (field.type !== 'string') {
    const checks = [`ascii(${textColumn(field)}) BETWEEN 48 AND 57`, `${value} BETWEEN ${field.min} AND ${field.max}`];
    if (field.type === 'integer') checks.push(`${value} % 1 = 0`);
    return checks.join(' AND ');
  }
  if (field.digits) return `${DUCKDB.isString(textColumn(field), 'line', field.name)} AND known_location_id IS NOT NULL`;
  if (field.allowed) {
    const unsafe = field.allowed.filter(looksLikeJsonLiteral);
    if (unsafe.length > 0) {
      throw new Error(
        `model/events.ts ${field.name} allows ${unsafe.map((value) => JSON.stringify(value)).join(', ')}, which a non-string JSON value also reads as; ` +
          'the DuckDB engine\'s typed read cannot tell them apart: read the field as JSON in etl/typed-read-sql.ts',
      );
    }
    return oneOfSql(value, field.allowed);
  }
  // The UTF-8 length bounds the UTF-16 length from above.
  return `${DUCKDB.byteLength(value)} BETWEEN 1 AND ${field.maxLength} AND NOT ${looksLikeJsonLiteralSql(value)}`;
}

/** Reference keys a digit-string field may match: those that keep its rules (digits, length). */
export function locationKeyConformsSql(key: string): string {
  const field = EVENT_FIELDS.find((candidate) => candidate.type === 'string' && candidate.digits === true);
  if (!field || field.type !== 'string') throw new Error('model/events.ts EVENT_FIELDS has no digit-string field (location), which the ETL joins to locations');
  return `${DUCKDB.byteLength(key)} BETWEEN 1 AND ${field.maxLength} AND ${DUCKDB.isDigits(key)}`;
}

const absentSql = (field: EventField): string => `${readAsJson(field) ? textColumn(field) : valueColumn(field)} IS NULL`;

/**
 * True when the line keeps every rule of the contract, judged on the typed values; false (never NULL)
 * when it breaks one or the typed read cannot tell. Needs `is_object`, `schema_version__value`, the
 * field columns, `known_location_id` and `params` (etl_params).
 */
export function typedOkSql(): string {
  const timestamp = valueColumn(EVENT_FIELDS.find((field) => field.name === 'timestamp')!);
  const checks = [
    'is_object',
    'schema_version__value IS NOT NULL',
    ...EVENT_FIELDS.map((field) => {
      const conforms = `(${conformsSql(field)})`;
      switch (field.required) {
        case 'always':
          return conforms;
        case 'v2':
          return `(${conforms} OR (${absentSql(field)} AND schema_version__value < 2))`;
        case 'optional':
          return `(${absentSql(field)} OR ${conforms})`;
      }
    }),
    `${timestamp} BETWEEN params.earliest_epoch AND params.latest_epoch`,
  ];
  return `coalesce(\n      ${checks.join('\n      AND ')},\n      false)`;
}

/** The statement that fills `table` from input_lines (etl/duckdb-typed-lines.sql, rendered). */
export function renderTypedLinesSql(table: string): string {
  const template = readFileSync(join(__dirname, TEMPLATE_FILE), 'utf8');
  return renderTemplate(
    template,
    {
      blocks: {
        typed_structure: typedStructureSql(),
        typed_field_columns: typedFieldColumnsSql('parsed.doc'),
        schema_version_column: schemaVersionColumnSql(DUCKDB),
        typed_value_columns: typedValueColumnsSql(),
        typed_ok: typedOkSql(),
        location_key_conforms: locationKeyConformsSql('location_key'),
        event_key: eventKeySql(DUCKDB),
        field_value_names: fieldValueNamesSql(),
        typed_lines_table: table,
      },
      macros: { epoch_to_date: (seconds) => DUCKDB.epochToDate(seconds) },
    },
    `etl/${TEMPLATE_FILE}`,
  );
}
