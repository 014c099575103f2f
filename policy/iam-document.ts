/**
 * Reads IAM policy documents as AWS does: a JSON string or an object, `Statement` as one statement
 * or a list, `Action`/`Resource` as a string or a list. Used by the policy rules, for any stack.
 */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Every principal value (`*`, an ARN, a service), whatever its key. */
  readonly principals: readonly string[];
  /** Condition operator → key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export class PolicyDocumentError extends Error {}

/** A JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'boolean' || typeof item === 'number') return String(item);
    throw new PolicyDocumentError(`${where}: expected a string or a list of strings, got ${JSON.stringify(item)}`);
  });
}

function principals(value: unknown): string[] {
  if (value === undefined) return [];
  if (value === '*') return ['*'];
  if (!isRecord(value)) throw new PolicyDocumentError(`Principal: expected "*" or an object such as {"Service": "glue.amazonaws.com"}, got ${JSON.stringify(value)}`);
  return Object.entries(value).flatMap(([key, principal]) => strings(principal, `Principal.${key}`));
}

function conditions(value: unknown): Record<string, Record<string, string[]>> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new PolicyDocumentError(`Condition: expected an object, got ${JSON.stringify(value)}`);
  return Object.fromEntries(
    Object.entries(value).map(([operator, entries]) => {
      if (!isRecord(entries)) throw new PolicyDocumentError(`Condition.${operator}: expected an object of keys to values`);
      return [operator, Object.fromEntries(Object.entries(entries).map(([key, values]) => [key, strings(values, `Condition.${operator}.${key}`)]))];
    }),
  );
}

export function parsePolicyDocument(document: unknown): Statement[] {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch (error) {
      throw new PolicyDocumentError(`not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isRecord(parsed)) throw new PolicyDocumentError('expected a policy document object with a Statement');
  const list = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return list.map((raw: unknown, index: number) => {
    if (!isRecord(raw)) throw new PolicyDocumentError(`Statement ${index}: expected an object`);
    if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') {
      throw new PolicyDocumentError(`Statement ${index}: Effect must be "Allow" or "Deny", got ${JSON.stringify(raw.Effect)}`);
    }
    return {
      sid: typeof raw.Sid === 'string' ? raw.Sid : undefined,
      effect: raw.Effect,
      actions: strings(raw.Action, `Statement ${index}.Action`),
      notActions: strings(raw.NotAction, `Statement ${index}.NotAction`),
      resources: strings(raw.Resource, `Statement ${index}.Resource`),
      notResources: strings(raw.NotResource, `Statement ${index}.NotResource`),
      principals: principals(raw.Principal),
      conditions: conditions(raw.Condition),
    };
  });
}

/** How a statement is named in a violation: its Sid, or its position. */
export function statementLabel(statement: Statement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${index + 1}`;
}
