/**
 * Why the ETL refused a record. Codes are stable: they are stored in `rejected_events.reason_code`,
 * counted in run summaries and documented in the README.
 *
 * A record is a line of an input file, or, when the file cannot be read at all, the file itself.
 */

/** Rules a line can break (model/validate.ts checks them, etl/validation-sql.ts renders them to SQL). */
export const LINE_REASON_CODES = {
  malformed_json: 'The line is not valid JSON.',
  not_an_object: 'The line is JSON but not an object.',
  missing_field: 'A required field is absent or null.',
  wrong_type: 'A field has the wrong JSON type.',
  out_of_range: 'A number is outside its allowed range, or a string is too long or badly formed.',
  unknown_value: 'A field holds a value outside its allowed list (event type, page, category, ...).',
  unsupported_schema_version: 'schema_version is not one this pipeline reads.',
  unknown_location: 'location is not an id in the reference table.',
  timestamp_out_of_window: 'timestamp is before the earliest accepted time or too far in the future.',
} as const;

/** What makes a whole input file one rejected record (line_number WHOLE_FILE_LINE_NUMBER, raw_line null). */
export const FILE_REASON_CODES = {
  unreadable_file:
    'The whole file could not be read (a truncated `.gz`, a file named `.gz` that is not gzip, no permission to read it): one record with line_number 0, no raw_line, and the decompressor\'s or the system\'s message.',
} as const;

export const REASON_CODES = { ...LINE_REASON_CODES, ...FILE_REASON_CODES } as const;

export type LineReasonCode = keyof typeof LINE_REASON_CODES;
export type FileReasonCode = keyof typeof FILE_REASON_CODES;
export type ReasonCode = LineReasonCode | FileReasonCode;
export const LINE_REASON_CODE_LIST = Object.keys(LINE_REASON_CODES) as LineReasonCode[];
export const REASON_CODE_LIST = Object.keys(REASON_CODES) as ReasonCode[];

/** The line number of a record that stands for its whole file (lines count from 1). */
export const WHOLE_FILE_LINE_NUMBER = 0;

export interface Rejection {
  readonly code: LineReasonCode;
  /** The field concerned, where one is. */
  readonly field?: string;
  /** A sentence a person can act on: the field, the value seen and what is allowed. */
  readonly detail: string;
}

/** The reason_detail of an `unreadable_file` record, around the decompressor's or the system's message. */
export const UNREADABLE_FILE_DETAIL =
  'the file cannot be read (%s); it was moved to processed/ under the same path: repair or replace it and put it back under raw/';

export function unreadableFileDetail(message: string): string {
  return UNREADABLE_FILE_DETAIL.replace('%s', () => message);
}
