import { z } from 'zod';
import { STAGE_CONFIG_SCHEMA } from '../config/stage-config';
import { EVENT_FIELDS, type EventField } from '../model/events';
import { REASON_CODES, REASON_CODE_LIST } from '../model/reasons';
import { TABLES, type TableDefinition } from '../model/tables';

/**
 * README sections rendered from the model and the config schema, so that the documentation of a
 * field cannot drift from its definition. `npm run docs` writes them; a test checks they are current.
 */
const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

function allowedValues(field: EventField): string {
  if (field.type === 'string') {
    if (field.allowed) return field.allowed.map((value) => `\`${value}\``).join(', ');
    return field.digits ? `digits, 1–${field.maxLength} characters` : `1–${field.maxLength} characters`;
  }
  if (field.type === 'integer' && field.allowed) return field.allowed.join(', ');
  return `${field.min} to ${field.max}`;
}

const REQUIRED_TEXT: Readonly<Record<EventField['required'], string>> = {
  always: 'always',
  v2: 'in version 2',
  optional: 'no',
};

function eventContract(): string {
  const rows = EVENT_FIELDS.map(
    (field) =>
      `| \`${field.name}\` | ${field.type} | ${escapeCell(allowedValues(field))} | ${REQUIRED_TEXT[field.required]} | ${escapeCell(field.description)} |`,
  );
  return ['| field | type | allowed values | required | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

function tableContract(table: TableDefinition): string {
  const columns = [...table.columns.map((column) => ({ column, partition: false })), ...table.partitionKeys.map((column) => ({ column, partition: true }))];
  return [
    `### \`${table.name}\``,
    '',
    `${table.description} Format: ${table.format}; key prefix: \`${table.prefix}\`${table.partitionKeys.length ? `; partitioned by ${table.partitionKeys.map((key) => `\`${key.name}\``).join(', ')}` : ''}.`,
    '',
    '| column | type | meaning |',
    '|---|---|---|',
    ...columns.map(({ column, partition }) => `| \`${column.name}\`${partition ? ' (partition)' : ''} | ${column.type} | ${escapeCell(column.description)} |`),
  ].join('\n');
}

function reasonCodes(): string {
  return ['| reason code | meaning |', '|---|---|', ...REASON_CODE_LIST.map((code) => `| \`${code}\` | ${REASON_CODES[code]} |`)].join('\n');
}

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: JsonSchemaNode[];
  properties?: Record<string, JsonSchemaNode>;
}

function describeAllowed(node: JsonSchemaNode): string {
  const variants = node.anyOf ?? [node];
  return variants
    .map((variant) => {
      if (variant.enum) return variant.enum.map((value) => `\`${String(value)}\``).join(', ');
      if (variant.type === 'integer' || variant.type === 'number') return `${variant.minimum ?? '…'} to ${variant.maximum ?? '…'}`;
      if (variant.type === 'null') return '`null`';
      if (variant.pattern) return `text matching \`${variant.pattern}\``;
      return variant.type === undefined ? 'any' : String(variant.type);
    })
    .join(' or ');
}

function configReference(): string {
  const schema = z.toJSONSchema(STAGE_CONFIG_SCHEMA, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const rows: string[] = [];
  const visit = (node: JsonSchemaNode, path: string) => {
    if (node.properties) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, path ? `${path}.${key}` : key);
      return;
    }
    const key = path === 'region' ? 'aws:region' : path === 'stage' ? '(stack name)' : `clickstream-bi:${path}`;
    const defaultText = node.default === undefined ? '—' : `\`${JSON.stringify(node.default)}\``;
    rows.push(`| \`${key}\` | ${escapeCell(describeAllowed(node))} | ${defaultText} | ${escapeCell(node.description ?? '')} |`);
  };
  visit(schema, '');
  return ['| key | allowed | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  'event-contract': eventContract,
  'table-contracts': () => TABLES.map(tableContract).join('\n\n'),
  'reason-codes': reasonCodes,
  'config-reference': configReference,
};

/** Replaces the body between `<!-- BEGIN generated:x -->` and `<!-- END generated:x -->` markers. */
export function renderReadme(readme: string): string {
  let rendered = readme;
  for (const [name, render] of Object.entries(GENERATED_SECTIONS)) {
    const begin = `<!-- BEGIN generated:${name} -->`;
    const end = `<!-- END generated:${name} -->`;
    const start = rendered.indexOf(begin);
    const stop = rendered.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`README.md has no "${begin}" … "${end}" block; add one where the ${name} section belongs`);
    rendered = `${rendered.slice(0, start + begin.length)}\n${render()}\n${rendered.slice(stop)}`;
  }
  return rendered;
}
