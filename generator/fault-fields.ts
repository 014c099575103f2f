/**
 * The event contract's fields as fault injection needs them: which a version 2 event must have (so
 * dropping one is a missing_field), and each one's JSON type (so the wrong one is a wrong_type).
 * A module of its own so that the EC2 bundle can carry these two lists precomputed instead of the
 * whole contract with its descriptions (userdata.ts).
 */
import { EVENT_FIELDS, isRequired } from '../model/events';

/** schema_version is left out: a wrong or missing version is another rejection (unsupported_schema_version). */
const CHECKED = EVENT_FIELDS.filter((field) => field.name !== 'schema_version');

export const REQUIRED_FIELDS: readonly string[] = CHECKED.filter((field) => isRequired(field, 2)).map((field) => field.name);

/** JSON type of each field: `string` fields are strings, the others numbers. */
export const FIELD_IS_STRING: Readonly<Record<string, boolean>> = Object.fromEntries(CHECKED.map((field) => [field.name, field.type === 'string']));
