/**
 * Why a raw line was rejected. Codes are stable: they are stored in `rejected_events.reason_code`,
 * counted in run summaries and documented in the README.
 */
export const REASON_CODES = {
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

export type ReasonCode = keyof typeof REASON_CODES;
export const REASON_CODE_LIST = Object.keys(REASON_CODES) as ReasonCode[];

export interface Rejection {
  readonly code: ReasonCode;
  /** The field concerned, where one is. */
  readonly field?: string;
  /** A sentence a person can act on: the field, the value seen and what is allowed. */
  readonly detail: string;
}
