/**
 * Query parameters: declared in a query's header, given on the command line as text, validated
 * against their type, then passed to the engine as parameters (never spliced into the SQL).
 *
 * Both engines take positional `?` parameters: DuckDB binds typed values to a prepared statement,
 * Athena takes `ExecutionParameters`, each the text of one SQL literal. A date travels as a string
 * (`'2026-01-31'`), which the SQL casts (`cast(? as date)`), so both engines see the same types.
 */
export const PARAMETER_TYPES = ['date', 'int', 'string'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export interface ParameterDeclaration {
  readonly name: string;
  readonly type: ParameterType;
  /** The validated default, or undefined when the parameter must be given. */
  readonly defaultValue?: ParameterValue;
  readonly description: string;
}

export type ParameterValue = string | number;

export interface BoundParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: ParameterValue;
}

/** Trino's INTEGER, the type an integer literal gets: a bound int means the same in both engines. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const STRING_MAX_LENGTH = 1000;

const TYPE_HINT: Readonly<Record<ParameterType, string>> = {
  date: 'a calendar date as YYYY-MM-DD, e.g. 2026-01-31',
  int: `a whole number from ${INT_MIN} to ${INT_MAX}, e.g. 10`,
  string: `text of at most ${STRING_MAX_LENGTH} characters without control characters`,
};

export function isParameterType(text: string): text is ParameterType {
  return (PARAMETER_TYPES as readonly string[]).includes(text);
}

/**
 * Parses the text of a value for a parameter of `type`. Returns the value, or a problem that says
 * what was wrong and what is allowed.
 */
export function parseParameterValue(type: ParameterType, text: string): { value: ParameterValue } | { problem: string } {
  switch (type) {
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (match) {
        const [year, month, day] = match.slice(1).map(Number);
        const date = new Date(Date.UTC(year, month - 1, day));
        // Date.UTC rolls 2026-02-30 over into March; a real date survives the round trip.
        if (year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
          return { value: text };
        }
      }
      return { problem: `${JSON.stringify(text)} is not ${TYPE_HINT.date}` };
    }
    case 'int': {
      const value = Number(text);
      if (!/^-?\d+$/.test(text) || value < INT_MIN || value > INT_MAX) {
        return { problem: `${JSON.stringify(text)} is not ${TYPE_HINT.int}` };
      }
      return { value };
    }
    case 'string':
      if (text.length > STRING_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(text)) {
        return { problem: `${JSON.stringify(text)} is not ${TYPE_HINT.string}` };
      }
      return { value: text };
  }
}

/** The value as written in a header or on the command line (strings unquoted). */
export function formatParameterValue(value: ParameterValue): string {
  return String(value);
}

export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

function declaredList(declarations: readonly ParameterDeclaration[]): string {
  if (declarations.length === 0) return 'it takes no parameters';
  return `it takes ${declarations.map((declaration) => `${declaration.name} (${declaration.type})`).join(', ')}`;
}

/**
 * Binds given values (by name, as text) to a query's declared parameters, in declaration order,
 * filling in defaults. Throws ParameterError for an unknown name, a missing value or a bad value.
 */
export function bindParameters(
  queryName: string,
  declarations: readonly ParameterDeclaration[],
  given: Readonly<Record<string, string>>,
): BoundParameter[] {
  for (const name of Object.keys(given)) {
    if (!declarations.some((declaration) => declaration.name === name)) {
      throw new ParameterError(`query "${queryName}" has no parameter "${name}"; ${declaredList(declarations)}`);
    }
  }
  return declarations.map((declaration) => {
    const text = given[declaration.name];
    if (text === undefined) {
      if (declaration.defaultValue === undefined) {
        throw new ParameterError(
          `query "${queryName}" needs parameter ${declaration.name} (${declaration.description}); give it as --param ${declaration.name}=<${TYPE_HINT[declaration.type]}>`,
        );
      }
      return { name: declaration.name, type: declaration.type, value: declaration.defaultValue };
    }
    const parsed = parseParameterValue(declaration.type, text);
    if ('problem' in parsed) {
      throw new ParameterError(`query "${queryName}" parameter ${declaration.name}: ${parsed.problem}`);
    }
    return { name: declaration.name, type: declaration.type, value: parsed.value };
  });
}

/** `k=v` pairs from the command line → a record; throws on a malformed or repeated pair. */
export function parseParameterAssignments(assignments: readonly string[]): Record<string, string> {
  const given: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) {
      throw new ParameterError(`--param ${JSON.stringify(assignment)} is not name=value; write it as e.g. --param start_date=2026-01-01`);
    }
    const name = assignment.slice(0, equals);
    if (Object.prototype.hasOwnProperty.call(given, name)) {
      throw new ParameterError(`--param ${name} is given twice; give each parameter once`);
    }
    given[name] = assignment.slice(equals + 1);
  }
  return given;
}

/**
 * The SQL literal for a bound value, as Athena's ExecutionParameters want it: a string (and a date,
 * which the SQL casts) in single quotes with quotes doubled, an int as digits.
 */
export function sqlLiteral(parameter: BoundParameter): string {
  if (parameter.type === 'int') return String(parameter.value);
  return `'${String(parameter.value).replace(/'/g, "''")}'`;
}
