/**
 * The SQL form of model/validate.ts, generated from the event contract (EVENT_FIELDS): one CASE that
 * yields the first broken rule of a line as (code, field, detail), in the same order validateLine
 * checks them. The TypeScript validator and this CASE are held equal by test/etl/sql-validation.test.ts.
 */
import { EVENT_FIELDS, SCHEMA_VERSIONS, type EventField } from '../model/events';
import type { LineReasonCode } from '../model/reasons';
import type { Dialect, KnownJsonType } from './dialect';

/** Where the generated SQL finds the row's parts (column names of the `judged` step). */
const LINE = 'line';
const DOCUMENT = 'doc';
const VERSION = 'schema_version__value';
const DETAIL_SAMPLE = 60;

export const textColumn = (field: EventField): string => `${field.name}__text`;
/** The typed value column of a field: `__str` for strings, `__num` (a double) for numbers. */
export const valueColumn = (field: EventField): string => `${field.name}__${field.type === 'string' ? 'str' : 'num'}`;

function fieldByName(name: string): EventField {
  const field = EVENT_FIELDS.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`model/events.ts EVENT_FIELDS has no field "${name}", which the ETL's SQL needs`);
  return field;
}

interface Rule {
  readonly when: string;
  readonly code: LineReasonCode;
  readonly field?: string;
  /** SQL string expression. */
  readonly detail: string;
}

class RuleWriter {
  constructor(private readonly dialect: Dialect) {}

  text(value: string): string {
    return this.dialect.stringLiteral(value);
  }

  asString(expression: string): string {
    return `CAST(${expression} AS ${this.dialect.typeName('string')})`;
  }

  /**
   * A short sample of a field's JSON text for a detail message, written as DuckDB writes JSON; `known`
   * is what the earlier rules of the field settled about its JSON type.
   */
  sample(field: EventField, known?: KnownJsonType): string {
    return `left(${this.dialect.jsonText(textColumn(field), LINE, field.name, known)}, ${DETAIL_SAMPLE})`;
  }

  concat(...parts: string[]): string {
    return parts.join(' || ');
  }

  present(field: EventField): string {
    return `${textColumn(field)} IS NOT NULL`;
  }

  requiredCondition(field: EventField): string | undefined {
    switch (field.required) {
      case 'always':
        return 'true';
      case 'v2':
        return `${VERSION} >= 2`;
      case 'optional':
        return undefined;
    }
  }

  fieldRules(field: EventField): Rule[] {
    const d = this.dialect;
    const rules: Rule[] = [];
    const name = field.name;
    const present = this.present(field);
    const required = this.requiredCondition(field);
    if (required !== undefined) {
      rules.push({
        when: `NOT (${present}) AND ${required}`,
        code: 'missing_field',
        field: name,
        detail: this.concat(this.text(`${name} is required in schema version `), this.asString(VERSION), this.text(' events')),
      });
    }
    const text = textColumn(field);
    const value = valueColumn(field);
    if (field.type === 'string') {
      rules.push({
        when: `${present} AND NOT ${d.isString(text, LINE, name)}`,
        code: 'wrong_type',
        field: name,
        detail: this.concat(this.text(`${name} must be a string, got `), this.sample(field, 'not-string')),
      });
      // The byte length bounds the UTF-16 length from above: most strings skip the exact count.
      rules.push({
        when: `${present} AND (${value} = '' OR (${d.byteLength(value)} > ${field.maxLength} AND ${d.utf16Length(value)} > ${field.maxLength}))`,
        code: 'out_of_range',
        field: name,
        detail: this.concat(
          this.text(`${name} must be 1 to ${field.maxLength} characters, got `),
          this.asString(d.utf16Length(value)),
        ),
      });
      if (field.digits) {
        rules.push({
          when: `${present} AND NOT ${d.isDigits(value)}`,
          code: 'out_of_range',
          field: name,
          detail: this.concat(this.text(`${name} must be a string of digits such as "17", got `), this.sample(field, 'string')),
        });
      }
      if (field.allowed) {
        rules.push({
          when: `${present} AND ${value} NOT IN (${field.allowed.map((allowed) => this.text(allowed)).join(', ')})`,
          code: 'unknown_value',
          field: name,
          detail: this.concat(this.text(`${name} `), this.sample(field, 'string'), this.text(` is not one of ${field.allowed.join(', ')}`)),
        });
      }
      return rules;
    }
    rules.push({
      when: `${present} AND NOT (${d.isNumber(text, LINE, name)} AND ${d.isFinite(value)})`,
      code: 'wrong_type',
      field: name,
      detail: this.concat(this.text(`${name} must be a number, got `), this.sample(field)),
    });
    if (field.type === 'integer') {
      rules.push({
        when: `${present} AND ${value} % 1 <> 0`,
        code: 'wrong_type',
        field: name,
        detail: this.concat(this.text(`${name} must be a whole number, got `), this.sample(field, 'not-string')),
      });
    }
    rules.push({
      when: `${present} AND (${value} < ${field.min} OR ${value} > ${field.max})`,
      code: 'out_of_range',
      field: name,
      detail: this.concat(this.text(`${name} must be between ${field.min} and ${field.max}, got `), this.sample(field, 'not-string')),
    });
    return rules;
  }

  malformed(when: string): Rule {
    return { when, code: 'malformed_json', detail: this.text('not valid JSON') };
  }

  notAnObject(when: string): Rule {
    return { when, code: 'not_an_object', detail: this.text('an event must be a JSON object') };
  }

  /** One `WHEN ... THEN struct(code, field, detail)` branch. */
  branch(rule: Rule): string {
    const reason = this.dialect.struct({
      code: this.text(rule.code),
      field: rule.field === undefined ? `CAST(NULL AS ${this.dialect.typeName('string')})` : this.text(rule.field),
      detail: rule.detail,
    });
    return `    WHEN ${rule.when}\n      THEN ${reason}`;
  }

  allRules(): Rule[] {
    const d = this.dialect;
    const schemaVersion = fieldByName('schema_version');
    const location = fieldByName('location');
    const timestamp = fieldByName('timestamp');
    const at = (epoch: string): string => this.asString(d.epochToTimestamp(epoch));
    return [
      this.malformed(d.lineIsMalformed(LINE, DOCUMENT)),
      this.notAnObject(d.lineIsNotObject(LINE, DOCUMENT)),
      {
        when: `${VERSION} IS NULL`,
        code: 'unsupported_schema_version',
        field: schemaVersion.name,
        detail: this.concat(
          this.text('schema_version '),
          this.sample(schemaVersion),
          this.text(` is not supported; use one of ${SCHEMA_VERSIONS.join(', ')}`),
        ),
      },
      ...EVENT_FIELDS.flatMap((field) => this.fieldRules(field)),
      {
        when: 'known_location_id IS NULL',
        code: 'unknown_location',
        field: location.name,
        detail: this.concat(this.text('location "'), valueColumn(location), this.text('" is not an id in the reference table locations')),
      },
      {
        when: `${valueColumn(timestamp)} < params.earliest_epoch OR ${valueColumn(timestamp)} > params.latest_epoch`,
        code: 'timestamp_out_of_window',
        field: timestamp.name,
        detail: this.concat(
          this.text('timestamp '),
          this.sample(timestamp, 'not-string'),
          this.text(' ('),
          at(valueColumn(timestamp)),
          this.text(') is outside the accepted window '),
          at('params.earliest_epoch'),
          this.text(' to '),
          at('params.latest_epoch'),
        ),
      },
    ];
  }
}

/** The first look: NULL for a valid line, else a struct (code, field, detail) of the first broken rule. */
export function firstReasonSql(dialect: Dialect): string {
  const writer = new RuleWriter(dialect);
  return `CASE\n${writer.allRules().map((rule) => writer.branch(rule)).join('\n')}\n  END`;
}

/**
 * The reason after the dialect's second looks (see Dialect.recheckMalformed): a rejected line that
 * turns out malformed, or not an object, is rejected for that instead, as validate.ts would.
 */
export function recheckedReasonSql(dialect: Dialect, firstReason: string): string {
  if (!EVENT_FIELDS.some((field) => field.required === 'always')) {
    // A non-object lacks every field; the deferred not-an-object check relies on that being a rejection.
    throw new Error('model/events.ts: the ETL\'s SQL needs at least one field required in every schema version');
  }
  const writer = new RuleWriter(dialect);
  const rejectedOtherwise = (...codes: LineReasonCode[]): string =>
    `${firstReason} IS NOT NULL AND ${firstReason}.code NOT IN (${codes.map((code) => writer.text(code)).join(', ')})`;
  const rules: Rule[] = [];
  if (dialect.recheckMalformed) {
    rules.push(writer.malformed(`${rejectedOtherwise('malformed_json')} AND ${dialect.recheckMalformed(LINE, EVENT_FIELDS.map(textColumn))}`));
  }
  if (dialect.recheckNotObject) {
    rules.push(writer.notAnObject(`${rejectedOtherwise('malformed_json', 'not_an_object')} AND ${dialect.recheckNotObject(LINE)}`));
  }
  return rules.length === 0 ? firstReason : `CASE\n${rules.map((rule) => writer.branch(rule)).join('\n')}\n    ELSE ${firstReason}\n  END`;
}

/** Each field's JSON text, from the parsed document. */
export function fieldTextColumnsSql(dialect: Dialect): string {
  return EVENT_FIELDS.map((field) => `${dialect.fieldText(DOCUMENT, field.name)} AS ${textColumn(field)}`).join(',\n    ');
}

/** Each field's typed value (meaningful once its type rule passed). */
export function fieldValueColumnsSql(dialect: Dialect): string {
  return EVENT_FIELDS.map((field) => {
    const text = textColumn(field);
    const value = field.type === 'string' ? dialect.stringValue(text) : dialect.numberValue(text);
    return `${value} AS ${valueColumn(field)}`;
  }).join(',\n    ');
}

/** The version the line's rules are judged by: 1 when absent, NULL when unsupported. */
export function schemaVersionColumnSql(dialect: Dialect): string {
  const field = fieldByName('schema_version');
  const text = textColumn(field);
  const number = dialect.numberValue(text);
  return (
    `CASE WHEN ${text} IS NULL THEN 1` +
    ` WHEN ${dialect.isNumber(text, LINE, field.name)} AND ${number} IN (${SCHEMA_VERSIONS.join(', ')}) THEN CAST(${number} AS ${dialect.typeName('int')})` +
    ` END AS ${VERSION}`
  );
}

export function fieldValueNamesSql(): string {
  return EVENT_FIELDS.map(valueColumn).join(',\n  ');
}

/**
 * The event's key: its event_id, or for version 1 events (which have none) one derived from where
 * the line was read, so that a rerun over the same object derives the same key and deduplicates it.
 */
export function eventKeySql(dialect: Dialect): string {
  const eventId = valueColumn(fieldByName('event_id'));
  return `coalesce(${eventId}, 'v1-' || ${dialect.md5Hex(`source_key || '#' || CAST(line_number AS ${dialect.typeName('string')})`)})`;
}
