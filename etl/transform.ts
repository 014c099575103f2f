/**
 * The transform: the templates of etl/sql/ rendered for one dialect into named statements. Engines
 * run them in order against the same input tables; only how inputs arrive and outputs leave differs.
 *
 * Inputs every engine provides before the first statement:
 *   raw_lines(source_key, line_number, line)       one row per non-blank input line
 *   locations(location_id, country_name, continent, iso_alpha2, iso_alpha3, iso_numeric)
 *   unreadable_inputs(source_key, reason_detail)   one row per input that could not be read at all
 *   etl_params(run_id, earliest_epoch, latest_epoch, rejected_at)   one row
 * and, after the `event_dates` query (before SETTLE_STEPS), existing_events(event_id): ids already
 * stored for those dates, and existing_rejections(source_key, line_number): what rejected_events holds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_FIELDS, EVENT_TYPES } from '../model/events';
import { REASON_CODES, WHOLE_FILE_LINE_NUMBER } from '../model/reasons';
import { EVENTS, REJECTED_EVENTS, SESSION_DAYS, eventTypeColumn, type Column, type ColumnType, type TableDefinition } from '../model/tables';
import { DIALECTS, type Dialect, type DialectName } from './dialect';
import { renderTemplate, type TemplateScope } from './template';
import {
  eventKeySql,
  fieldTextColumnsSql,
  fieldValueColumnsSql,
  fieldValueNamesSql,
  firstReasonSql,
  recheckedReasonSql,
  schemaVersionColumnSql,
  valueColumn,
} from './validation-sql';

export const SQL_DIR = join(__dirname, 'sql');

/** materialize: computed once and kept; view: read once; query: its rows go back to the engine. */
export type StatementKind = 'materialize' | 'view' | 'query';
const KINDS: readonly StatementKind[] = ['materialize', 'view', 'query'];

export interface Statement {
  readonly name: string;
  readonly kind: StatementKind;
  /** The template's header comment: what the statement answers. */
  readonly description: string;
  /** The statement as an engine runs it: `CREATE ... AS` (materialize, view) and the query. */
  readonly sql: string;
  /** The query alone, for an engine that keeps its result under another name. */
  readonly body: string;
}

export interface StatementTemplate {
  readonly file: string;
  readonly name: string;
  readonly kind: StatementKind;
  readonly description: string;
  readonly body: string;
}

/** The statement names, in run order, as engines refer to them. */
export const STEPS = {
  validated: 'validated',
  eventDates: 'event_dates',
  eventFates: 'event_fates',
  eventsOut: 'events_out',
  sessionDaysOut: 'session_days_out',
  rejections: 'rejections',
  rejectionFates: 'rejection_fates',
  rejectedOut: 'rejected_out',
  runCounts: 'run_counts',
} as const;

/** What an engine runs, in this order, once existing_events and existing_rejections are loaded. */
export const SETTLE_STEPS = [STEPS.eventFates, STEPS.eventsOut, STEPS.sessionDaysOut, STEPS.rejections, STEPS.rejectionFates, STEPS.rejectedOut] as const;

/** Reads `NN_name.sql`: header comment lines (description, then `-- kind: ...`), then the SQL. */
export function parseStatementTemplate(file: string, text: string): StatementTemplate {
  const match = /^\d+_([a-z_]+)\.sql$/.exec(file);
  if (!match) throw new Error(`etl/sql/${file}: name it NN_<statement_name>.sql, e.g. 10_validated.sql`);
  const lines = text.split('\n');
  const header: string[] = [];
  while (lines.length > 0 && lines[0].startsWith('--')) header.push(lines.shift()!.replace(/^--\s?/, ''));
  const kindLine = header.find((line) => line.startsWith('kind:'));
  const kind = kindLine?.slice('kind:'.length).trim() as StatementKind | undefined;
  if (kind === undefined || !KINDS.includes(kind)) {
    throw new Error(`etl/sql/${file}: the header needs a line "-- kind: ${KINDS.join('|')}"`);
  }
  const description = header.filter((line) => !line.startsWith('kind:')).join(' ').trim();
  if (description === '') throw new Error(`etl/sql/${file}: start with a comment saying what the statement answers`);
  return { file, name: match[1], kind, description, body: lines.join('\n').trim() };
}

export function readStatementTemplates(directory: string = SQL_DIR): StatementTemplate[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => parseStatementTemplate(file, readFileSync(join(directory, file), 'utf8')));
}

/**
 * The SELECT list of an output table, in the model's column order and types: each column comes from
 * `out_<name>` where the template derives it (or a block it inserts derives it: `blockColumns`), else
 * from the event field of the same name.
 */
export function outputColumnsSql(table: TableDefinition, template: StatementTemplate, dialect: Dialect, blockColumns: readonly string[] = []): string {
  const derived = new Set([...[...template.body.matchAll(/\bAS\s+out_([a-z0-9_]+)/gi)].map((match) => match[1]), ...blockColumns]);
  const columns: Column[] = [...table.columns, ...table.partitionKeys];
  const cast = (expression: string, type: ColumnType): string => `CAST(${expression} AS ${dialect.typeName(type)})`;
  return columns
    .map((column) => {
      if (derived.has(column.name)) return `${cast(`out_${column.name}`, column.type)} AS ${column.name}`;
      const field = EVENT_FIELDS.find((candidate) => candidate.name === column.name);
      if (field) return `${cast(valueColumn(field), column.type)} AS ${column.name}`;
      throw new Error(
        `model/tables.ts ${table.name} column "${column.name}" has no source: derive it as out_${column.name} in etl/sql/${template.file}, or name it after an event field`,
      );
    })
    .join(',\n  ');
}

function scopeFor(dialect: Dialect, template: StatementTemplate): TemplateScope {
  return {
    blocks: {
      field_text_columns: fieldTextColumnsSql(dialect),
      schema_version_column: schemaVersionColumnSql(dialect),
      field_value_columns: fieldValueColumnsSql(dialect),
      field_value_names: fieldValueNamesSql(),
      first_reason: firstReasonSql(dialect),
      event_key: eventKeySql(dialect),
      whole_file_line_number: String(WHOLE_FILE_LINE_NUMBER),
      // Only the statement that selects them renders them: they check its out_<name> columns.
      events_columns: template.name === STEPS.eventsOut ? outputColumnsSql(EVENTS, template, dialect) : '',
      rejected_columns: template.name === STEPS.rejectedOut ? outputColumnsSql(REJECTED_EVENTS, template, dialect) : '',
      session_days_columns:
        template.name === STEPS.sessionDaysOut ? outputColumnsSql(SESSION_DAYS, template, dialect, EVENT_TYPES.map(eventTypeColumn)) : '',
      // One count per event type of model/events.ts, as session_days names them.
      event_type_counts: EVENT_TYPES.map(
        (type) => `sum(CASE WHEN event_type = ${dialect.stringLiteral(type)} THEN 1 ELSE 0 END) AS out_${eventTypeColumn(type)}`,
      ).join(',\n    '),
    },
    macros: {
      rechecked_reason: (firstReason) => recheckedReasonSql(dialect, firstReason),
      parse_document: (line) => dialect.parseDocument(line, EVENT_FIELDS.map((field) => field.name)),
      type: (name) => dialect.typeName(name as ColumnType),
      reason_code: (code) => {
        if (!(code in REASON_CODES)) throw new Error(`etl/sql/${template.file}: "${code}" is not a reason code of model/reasons.ts`);
        return dialect.stringLiteral(code);
      },
      md5_hex: (text) => dialect.md5Hex(text),
      epoch_to_date: (seconds) => dialect.epochToDate(seconds),
      epoch_to_timestamp: (seconds) => dialect.epochToTimestamp(seconds),
    },
  };
}

export function renderStatement(template: StatementTemplate, dialect: Dialect): Statement {
  const body = renderTemplate(template.body, scopeFor(dialect, template), `etl/sql/${template.file}`);
  const prefix = template.kind === 'materialize' ? dialect.materialize(template.name) : template.kind === 'view' ? dialect.view(template.name) : '';
  return {
    name: template.name,
    kind: template.kind,
    description: template.description,
    sql: prefix === '' ? body : `${prefix}\n${body}`,
    body,
  };
}

export function renderTransform(dialectName: DialectName, templates: readonly StatementTemplate[] = readStatementTemplates()): Statement[] {
  const dialect = DIALECTS[dialectName];
  const statements = templates.map((template) => renderStatement(template, dialect));
  for (const step of Object.values(STEPS)) {
    if (!statements.some((statement) => statement.name === step)) {
      throw new Error(`etl/sql/ has no statement "${step}", which every engine runs; add NN_${step}.sql`);
    }
  }
  return statements;
}

/** Marks the start of each statement in a rendered file; the Glue job splits on it (glue_helpers.py). */
export const STATEMENT_MARKER = '-- statement:';

/** The whole transform as one SQL file, statements in order, each headed by its marker line. */
export function renderTransformFile(dialectName: DialectName): string {
  const header =
    `-- clickstream-bi ETL transform, rendered for ${dialectName === 'spark' ? 'Spark SQL (Spark 3.5, Glue 5.0)' : 'DuckDB'} ` +
    'from etl/sql/*.sql and model/events.ts by etl/transform.ts. Generated: do not edit.\n';
  const parts = renderTransform(dialectName).map(
    (statement) => `${STATEMENT_MARKER} ${statement.name} ${statement.kind}\n-- ${statement.description}\n${statement.sql}\n`,
  );
  return [header, ...parts].join('\n');
}

/** The Spark rendering the Glue job runs (uploaded by the infrastructure, see etl/glue-artifacts.ts). */
export function renderSparkSql(): string {
  return renderTransformFile('spark');
}
