import { EVENT_FIELDS, EVENT_TYPES, type EventField } from './events';
import { LOCATIONS_KEY, PREFIXES, type Area } from './layout';

/**
 * The tables of the lake, as data. Glue catalog tables (infrastructure) and DuckDB views (local
 * queries) are both generated from these definitions.
 */
export type ColumnType = 'string' | 'int' | 'bigint' | 'double' | 'boolean' | 'timestamp' | 'date';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

export type TableFormat = 'json' | 'parquet' | 'csv';

export interface TableDefinition {
  readonly name: string;
  readonly description: string;
  readonly format: TableFormat;
  readonly area: Area;
  /** Key prefix that holds the table's files (and partition folders), ending in `/`. */
  readonly prefix: string;
  readonly columns: readonly Column[];
  readonly partitionKeys: readonly Column[];
}

function rawColumn(field: EventField): Column {
  const type: ColumnType = field.type === 'string' ? 'string' : field.type === 'integer' ? 'bigint' : 'double';
  return { name: field.name, type, description: field.description };
}

export const RAW_EVENTS: TableDefinition = {
  name: 'raw_events',
  description: 'Landing zone: raw JSON-lines events as producers wrote them, before validation.',
  format: 'json',
  area: 'raw',
  prefix: PREFIXES.raw,
  columns: EVENT_FIELDS.map(rawColumn),
  partitionKeys: [],
};

export const EVENTS: TableDefinition = {
  name: 'events',
  description: 'Validated, deduplicated and enriched events, one row per event.',
  format: 'parquet',
  area: 'results',
  prefix: `${PREFIXES.results}events/`,
  columns: [
    { name: 'event_id', type: 'string', description: 'Unique event id (derived from source key and line for version 1 events).' },
    { name: 'schema_version', type: 'int', description: 'Contract version of the raw event.' },
    { name: 'event_type', type: 'string', description: 'What happened.' },
    { name: 'user_id', type: 'string', description: 'Visitor id.' },
    { name: 'session_id', type: 'string', description: 'Visit id; null for version 1 events.' },
    { name: 'user_action', type: 'string', description: 'Page the event happened on.' },
    { name: 'product_category', type: 'string', description: 'Product category, if any.' },
    { name: 'product_id', type: 'string', description: 'Product id, if any.' },
    { name: 'price', type: 'double', description: 'Unit price in EUR.' },
    { name: 'quantity', type: 'int', description: 'Units.' },
    { name: 'revenue', type: 'double', description: 'price × quantity on purchases, else null.' },
    { name: 'page_url', type: 'string', description: 'Page URL.' },
    { name: 'referrer', type: 'string', description: 'Referring URL.' },
    { name: 'device_type', type: 'string', description: 'desktop, mobile or tablet.' },
    { name: 'browser', type: 'string', description: 'Browser family.' },
    { name: 'os', type: 'string', description: 'Operating system family.' },
    { name: 'utm_source', type: 'string', description: 'Campaign source.' },
    { name: 'utm_medium', type: 'string', description: 'Campaign medium.' },
    { name: 'utm_campaign', type: 'string', description: 'Campaign name.' },
    { name: 'location_id', type: 'int', description: 'Reference location id.' },
    { name: 'country_name', type: 'string', description: 'Country (original column country-name).' },
    { name: 'country_iso2', type: 'string', description: 'ISO 3166-1 alpha-2 code.' },
    { name: 'country_iso3', type: 'string', description: 'ISO 3166-1 alpha-3 code.' },
    { name: 'country_numeric', type: 'string', description: 'ISO 3166-1 numeric code, three digits.' },
    { name: 'continent', type: 'string', description: 'Continent.' },
    { name: 'user_age', type: 'int', description: 'Age of the visitor (original column user_age).' },
    { name: 'click_date', type: 'timestamp', description: 'Event time in UTC (original column click-date).' },
    { name: 'epoch_seconds', type: 'bigint', description: 'Event time as epoch seconds, as in the raw event.' },
    { name: 'event_hour', type: 'int', description: 'Hour of day (UTC), 0 to 23.' },
    { name: 'source_key', type: 'string', description: 'Raw object key the event was read from.' },
    { name: 'run_id', type: 'string', description: 'ETL run that loaded the event.' },
  ],
  partitionKeys: [{ name: 'event_date', type: 'date', description: 'Event date (UTC), YYYY-MM-DD.' }],
};

/**
 * The events a dashboard view reads, summed: a row per event date, session (per user for version 1
 * events, which carry none) and the location and device the session was seen with. A user's or a
 * session's figures over any date range are sums and maxima of its rows, and distinct users or
 * sessions are counted over the keys kept here, so the named queries answer from this table what
 * they answered from `events`, reading about a third of the rows and a few of the columns. Each ETL
 * run adds the rows of the events it loads: a date loaded by several runs has a row per run for the
 * same key, which the queries' sums and maxima add up as if it were one.
 */
export const SESSION_DAYS: TableDefinition = {
  name: 'session_days',
  description: "Events summed per event date and session (per user for events without one), with the session's location and device.",
  format: 'parquet',
  area: 'results',
  prefix: `${PREFIXES.results}session_days/`,
  columns: [
    { ...eventsColumn('session_id'), description: 'Visit id; null for version 1 events (one row per user and date).' },
    eventsColumn('user_id'),
    eventsColumn('location_id'),
    { ...eventsColumn('country_name'), description: 'Country.' },
    ...['country_iso2', 'continent', 'device_type', 'browser', 'os'].map(eventsColumn),
    { ...eventsColumn('user_age'), description: "Highest age the session's events report." },
    { name: 'events', type: 'bigint', description: 'Events.' },
    ...EVENT_TYPES.map((type): Column => ({ name: eventTypeColumn(type), type: 'bigint', description: `Events of type ${type}.` })),
  ],
  partitionKeys: [{ name: 'event_date', type: 'date', description: 'Event date (UTC), YYYY-MM-DD.' }],
};

/** A column of `events` as `session_days` keeps it: same name and type, so the two cannot drift apart. */
function eventsColumn(name: string): Column {
  const column = EVENTS.columns.find((candidate) => candidate.name === name);
  if (column === undefined) throw new Error(`events has no column ${name}`);
  return column;
}

/** The column of `session_days` that counts an event type's events: `product_view_events`. */
export function eventTypeColumn(type: string): string {
  return `${type}_events`;
}

export const REJECTED_EVENTS: TableDefinition = {
  name: 'rejected_events',
  description: 'Quarantine: every raw line the ETL refused, and every raw file it could not read at all, with the reason.',
  format: 'parquet',
  area: 'rejected',
  prefix: `${PREFIXES.rejected}rejected_events/`,
  columns: [
    { name: 'raw_line', type: 'string', description: 'The line exactly as read; null for a file that could not be read (unreadable_file).' },
    { name: 'source_key', type: 'string', description: 'Raw object key it came from.' },
    { name: 'line_number', type: 'bigint', description: 'Line number in that object, from 1; 0 for a file that could not be read, rejected whole.' },
    { name: 'reason_code', type: 'string', description: 'Why it was refused (see reason codes).' },
    { name: 'reason_detail', type: 'string', description: 'The field, the value seen and what is allowed.' },
    { name: 'run_id', type: 'string', description: 'ETL run that refused it.' },
    { name: 'rejected_at', type: 'timestamp', description: 'When the run refused it (UTC).' },
  ],
  partitionKeys: [],
};

export const LOCATIONS: TableDefinition = {
  name: 'locations',
  description: 'Reference: location id to country, ISO codes and continent.',
  format: 'csv',
  area: 'reference',
  prefix: LOCATIONS_KEY.slice(0, LOCATIONS_KEY.lastIndexOf('/') + 1),
  columns: [
    { name: 'location_id', type: 'int', description: 'Id used in events\' location field.' },
    { name: 'country_name', type: 'string', description: 'Country name.' },
    { name: 'continent', type: 'string', description: 'Continent.' },
    { name: 'iso_alpha2', type: 'string', description: 'ISO 3166-1 alpha-2.' },
    { name: 'iso_alpha3', type: 'string', description: 'ISO 3166-1 alpha-3.' },
    { name: 'iso_numeric', type: 'string', description: 'ISO 3166-1 numeric, three digits.' },
  ],
  partitionKeys: [],
};

export const TABLES: readonly TableDefinition[] = [RAW_EVENTS, EVENTS, SESSION_DAYS, REJECTED_EVENTS, LOCATIONS];

export function tableByName(name: string): TableDefinition {
  const table = TABLES.find((candidate) => candidate.name === name);
  if (!table) {
    throw new Error(`unknown table "${name}"; the model defines ${TABLES.map((t) => t.name).join(', ')}`);
  }
  return table;
}

/**
 * The Hive-style folder of one partition value (`event_date=2026-11-25`): the layout Glue's partition
 * projection, Athena and DuckDB's hive partitioning all read.
 */
export function partitionFolder(table: TableDefinition, value: string): string {
  const [key] = table.partitionKeys;
  if (key === undefined || table.partitionKeys.length !== 1) {
    throw new Error(`partitionFolder: table ${table.name} has ${table.partitionKeys.length} partition keys; it takes a table with exactly one`);
  }
  return `${key.name}=${value}`;
}

/** Glue/Athena database name for a stage; local DuckDB uses the same name as its schema. */
export function databaseName(stage: string): string {
  return `clickstream_${stage.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
}
