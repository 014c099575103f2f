import {
  EVENT_FIELDS,
  SCHEMA_VERSIONS,
  isRequired,
  type EventField,
  type SchemaVersion,
  type ValidEvent,
} from './events';
import type { Rejection } from './reasons';

/** The accepted event-time window, in epoch seconds, inclusive. */
export interface TimestampWindow {
  readonly earliest: number;
  readonly latest: number;
}

/** Old buckets hold years of events: everything since 2010 is accepted. */
export const EARLIEST_ACCEPTED_TIMESTAMP = Date.UTC(2010, 0, 1) / 1000;
/** Clocks drift: an event may be up to a day ahead of the run that loads it. */
export const FUTURE_TOLERANCE_SECONDS = 24 * 3600;

export function defaultTimestampWindow(nowSeconds: number): TimestampWindow {
  return { earliest: EARLIEST_ACCEPTED_TIMESTAMP, latest: Math.floor(nowSeconds) + FUTURE_TOLERANCE_SECONDS };
}

export interface ValidationContext {
  readonly isKnownLocation: (locationId: string) => boolean;
  readonly window: TimestampWindow;
}

export type ValidationResult =
  | { readonly ok: true; readonly event: ValidEvent }
  | { readonly ok: false; readonly rejection: Rejection };

function reject(rejection: Rejection): ValidationResult {
  return { ok: false, rejection };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const DIGITS = /^[0-9]+$/;

/** Checks one present, non-null value against its field; undefined means it conforms. */
function checkField(field: EventField, value: unknown): Rejection | undefined {
  const seen = describe(value);
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') {
        return { code: 'wrong_type', field: field.name, detail: `${field.name} must be a string, got ${jsonTypeOf(value)} ${seen}` };
      }
      if (value.length === 0 || value.length > field.maxLength) {
        return { code: 'out_of_range', field: field.name, detail: `${field.name} must be 1 to ${field.maxLength} characters, got ${value.length}` };
      }
      if (field.digits && !DIGITS.test(value)) {
        return { code: 'out_of_range', field: field.name, detail: `${field.name} must be a string of digits such as "17", got ${seen}` };
      }
      if (field.allowed && !field.allowed.includes(value)) {
        return { code: 'unknown_value', field: field.name, detail: `${field.name} ${seen} is not one of ${field.allowed.join(', ')}` };
      }
      return undefined;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { code: 'wrong_type', field: field.name, detail: `${field.name} must be a number, got ${jsonTypeOf(value)} ${seen}` };
      }
      if (field.type === 'integer' && !Number.isInteger(value)) {
        return { code: 'wrong_type', field: field.name, detail: `${field.name} must be a whole number, got ${seen}` };
      }
      if (value < field.min || value > field.max) {
        return { code: 'out_of_range', field: field.name, detail: `${field.name} must be between ${field.min} and ${field.max}, got ${seen}` };
      }
      return undefined;
    }
  }
}

/**
 * Checks one parsed event against the contract. Returns the event normalised to every field of the
 * contract (absent optional fields become null), or the first rule it breaks, in field order.
 */
export function validateEvent(input: unknown, context: ValidationContext): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return reject({ code: 'not_an_object', detail: `an event must be a JSON object, got ${jsonTypeOf(input)}` });
  }
  const record = input as Record<string, unknown>;
  const rawVersion = record.schema_version ?? 1;
  if (!SCHEMA_VERSIONS.includes(rawVersion as SchemaVersion)) {
    return reject({
      code: 'unsupported_schema_version',
      field: 'schema_version',
      detail: `schema_version ${describe(rawVersion)} is not supported; use one of ${SCHEMA_VERSIONS.join(', ')}`,
    });
  }
  const version = rawVersion as SchemaVersion;

  const normalised: Record<string, unknown> = {};
  for (const field of EVENT_FIELDS) {
    const value = record[field.name];
    if (value === undefined || value === null) {
      if (isRequired(field, version)) {
        return reject({ code: 'missing_field', field: field.name, detail: `${field.name} is required in schema version ${version} events` });
      }
      normalised[field.name] = null;
      continue;
    }
    const problem = checkField(field, value);
    if (problem) return reject(problem);
    normalised[field.name] = value;
  }
  normalised.schema_version = version;

  const event = normalised as unknown as ValidEvent;
  if (!context.isKnownLocation(event.location)) {
    return reject({
      code: 'unknown_location',
      field: 'location',
      detail: `location "${event.location}" is not an id in the reference table locations`,
    });
  }
  const { earliest, latest } = context.window;
  if (event.timestamp < earliest || event.timestamp > latest) {
    return reject({
      code: 'timestamp_out_of_window',
      field: 'timestamp',
      detail: `timestamp ${event.timestamp} (${new Date(event.timestamp * 1000).toISOString()}) is outside the accepted window ${new Date(earliest * 1000).toISOString()} to ${new Date(latest * 1000).toISOString()}`,
    });
  }
  return { ok: true, event };
}

/** Parses and validates one raw JSON line. */
export function validateLine(line: string, context: ValidationContext): ValidationResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return reject({ code: 'malformed_json', detail: `not valid JSON: ${(error as Error).message}` });
  }
  return validateEvent(parsed, context);
}
