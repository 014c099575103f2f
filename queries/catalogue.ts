/**
 * The named-query catalogue: `queries/*.sql`, one query per file, named by the file. Each file opens
 * with a header of `--` lines, then one SQL statement:
 *
 *   -- name: daily_activity
 *   -- description: Active users, sessions and events per day.
 *   -- param: start_date (date, default 2010-01-01): first event date included (UTC)
 *   -- param: end_date (date, default 9999-12-31): last event date included (UTC)
 *
 *   select ... where event_date between cast(? as date) and cast(? as date) ...
 *
 * Parameters are positional `?` placeholders, as Athena's execution parameters are: the n-th `?` in the
 * statement takes the n-th `param` line, so each parameter appears exactly once. A parameter without
 * `, default ...` must be given. String defaults are quoted: `(string, default 'Europe')`.
 *
 * The whole file (header included) is what the infrastructure deploys as the Athena named query and
 * what both engines run, so a query reads the same in the console, in git and on the command line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  PARAMETER_TYPES,
  formatParameterValue,
  isParameterType,
  parseParameterValue,
  type ParameterDeclaration,
  type ParameterValue,
} from './parameters';
import { lineOf, placeholderOffsets, segments } from './sql-text';

export interface NamedQuery {
  /** snake_case, the file's name without `.sql`; the Athena named query's name. */
  readonly name: string;
  readonly description: string;
  /** In placeholder order. */
  readonly parameters: readonly ParameterDeclaration[];
  /** The whole file: header and statement, as deployed and run. */
  readonly sql: string;
  /** Where it was read from (a path, or e.g. "named query x in workgroup y"). */
  readonly source: string;
}

export const QUERIES_DIR = __dirname;

/** Athena's limits for a named query (CreateNamedQuery). */
export const ATHENA_NAME_MAX = 128;
export const ATHENA_DESCRIPTION_MAX = 1024;
export const ATHENA_QUERY_MAX_BYTES = 262_144;

const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const HEADER_FORMS =
  '"-- name: <snake_case>", "-- description: <text>" or "-- param: <name> (<type>[, default <value>]): <description>"';

export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueError';
  }
}

interface HeaderLine {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

function parseParam(text: string, where: string): ParameterDeclaration {
  const match = /^([a-z][a-z0-9_]*) \(([a-z]+)(?:, default ('(?:[^']|'')*'|[^)]*))?\): (\S.*)$/.exec(text);
  if (!match) {
    throw new CatalogueError(
      `${where}: parameter "${text}" is not "<name> (<type>[, default <value>]): <description>"; e.g. "start_date (date, default 2010-01-01): first event date included"`,
    );
  }
  const [, name, type, rawDefault, description] = match;
  if (!isParameterType(type)) {
    throw new CatalogueError(`${where}: parameter ${name} has type "${type}"; use one of ${PARAMETER_TYPES.join(', ')}`);
  }
  let defaultValue: ParameterValue | undefined;
  if (rawDefault !== undefined) {
    const quoted = rawDefault.startsWith("'");
    if (quoted !== (type === 'string')) {
      throw new CatalogueError(
        `${where}: parameter ${name}'s default ${rawDefault} ${quoted ? 'is quoted, but only string defaults are' : "must be quoted, e.g. 'Europe'"}`,
      );
    }
    const text = quoted ? rawDefault.slice(1, -1).replace(/''/g, "'") : rawDefault;
    const parsed = parseParameterValue(type, text);
    if ('problem' in parsed) throw new CatalogueError(`${where}: parameter ${name}'s default ${parsed.problem}`);
    defaultValue = parsed.value;
  }
  return { name, type, description, ...(defaultValue === undefined ? {} : { defaultValue }) };
}

function readHeader(lines: readonly string[], source: string): { header: HeaderLine[]; bodyStart: number } {
  const header: HeaderLine[] = [];
  let index = 0;
  for (; index < lines.length && lines[index].startsWith('--'); index++) {
    const match = /^-- (name|description|param): (\S.*)$/.exec(lines[index].trimEnd());
    if (!match) {
      throw new CatalogueError(`${source} line ${index + 1}: "${lines[index]}" is not a header line; write ${HEADER_FORMS}`);
    }
    header.push({ key: match[1], value: match[2], line: index + 1 });
  }
  if (header.length === 0) {
    throw new CatalogueError(`${source} line 1: the file must start with a header, ${HEADER_FORMS}`);
  }
  return { header, bodyStart: index };
}

function single(header: readonly HeaderLine[], key: string, source: string): HeaderLine {
  const found = header.filter((line) => line.key === key);
  if (found.length === 0) throw new CatalogueError(`${source}: the header has no "-- ${key}: ..." line; add one`);
  if (found.length > 1) {
    throw new CatalogueError(`${source} line ${found[1].line}: a second "-- ${key}:" line (the first is line ${found[0].line}); keep one`);
  }
  return found[0];
}

function checkStatement(sql: string, parameters: readonly ParameterDeclaration[], bodyOffset: number, source: string): void {
  const code = segments(sql, source).filter((segment) => segment.kind === 'code' && segment.offset + segment.text.length > bodyOffset);
  if (!code.some((segment) => segment.text.trim() !== '')) {
    throw new CatalogueError(`${source}: no SQL statement after the header; write one select statement`);
  }
  for (const segment of code) {
    const semicolon = segment.text.indexOf(';');
    if (semicolon >= 0) {
      throw new CatalogueError(
        `${source} line ${lineOf(sql, segment.offset + semicolon)}: ";" found; a named query is one statement without a terminating semicolon`,
      );
    }
  }
  const placeholders = placeholderOffsets(sql, source);
  if (placeholders.length !== parameters.length) {
    const where = placeholders.length > parameters.length ? ` (the first extra is on line ${lineOf(sql, placeholders[parameters.length])})` : '';
    throw new CatalogueError(
      `${source}: ${placeholders.length} "?" placeholder(s)${where} but ${parameters.length} "-- param:" line(s); ` +
        'each parameter is used exactly once, the n-th "?" taking the n-th param',
    );
  }
}

/**
 * Parses one query's text. `source` names it in errors; `expectedName` (the file name) must equal the
 * header's name when given. Throws CatalogueError naming the source and line.
 */
export function parseNamedQuery(sql: string, source: string, expectedName?: string): NamedQuery {
  const lines = sql.split('\n');
  const { header, bodyStart } = readHeader(lines, source);
  const nameLine = single(header, 'name', source);
  const name = nameLine.value;
  const where = (line: HeaderLine) => `${source} line ${line.line}`;
  if (!NAME_PATTERN.test(name) || name.length > ATHENA_NAME_MAX) {
    throw new CatalogueError(`${where(nameLine)}: name "${name}" must be snake_case (a-z, 0-9, _), starting with a letter, at most ${ATHENA_NAME_MAX} characters`);
  }
  if (expectedName !== undefined && name !== expectedName) {
    throw new CatalogueError(`${where(nameLine)}: name "${name}" differs from the file name "${expectedName}"; rename one so they match`);
  }
  const descriptionLine = single(header, 'description', source);
  if (descriptionLine.value.length > ATHENA_DESCRIPTION_MAX) {
    throw new CatalogueError(`${where(descriptionLine)}: the description has ${descriptionLine.value.length} characters; Athena allows ${ATHENA_DESCRIPTION_MAX}`);
  }
  const parameters: ParameterDeclaration[] = [];
  for (const line of header.filter((candidate) => candidate.key === 'param')) {
    const parameter = parseParam(line.value, where(line));
    if (parameters.some((other) => other.name === parameter.name)) {
      throw new CatalogueError(`${where(line)}: parameter ${parameter.name} is declared twice; declare it once`);
    }
    parameters.push(parameter);
  }
  const bodyOffset = lines.slice(0, bodyStart).reduce((length, line) => length + line.length + 1, 0);
  try {
    checkStatement(sql, parameters, bodyOffset, source);
  } catch (error) {
    // The lexer's errors (an unterminated string) are catalogue errors too.
    throw error instanceof CatalogueError ? error : new CatalogueError((error as Error).message);
  }
  if (Buffer.byteLength(sql) > ATHENA_QUERY_MAX_BYTES) {
    throw new CatalogueError(`${source}: ${Buffer.byteLength(sql)} bytes; Athena allows ${ATHENA_QUERY_MAX_BYTES} per named query`);
  }
  return { name, description: descriptionLine.value, parameters, sql, source };
}

/** Every `*.sql` file of `dir` (default: this folder), in name order. */
export function loadCatalogue(dir: string = QUERIES_DIR): NamedQuery[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  if (files.length === 0) throw new CatalogueError(`no *.sql files in ${dir}; the named-query catalogue lives there`);
  return files.map((file) => {
    const path = join(dir, file);
    return parseNamedQuery(readFileSync(path, 'utf8'), path, basename(file, '.sql'));
  });
}

export class UnknownQueryError extends Error {
  constructor(
    readonly queryName: string,
    readonly knownNames: readonly string[],
    where: string,
  ) {
    super(
      knownNames.length === 0
        ? `no named query "${queryName}": ${where} holds no named queries`
        : `no named query "${queryName}" in ${where}; known queries: ${knownNames.join(', ')} (list them with --list)`,
    );
    this.name = 'UnknownQueryError';
  }
}

export function findQuery<T extends { readonly name: string }>(queries: readonly T[], name: string, where = 'the catalogue (queries/*.sql)'): T {
  const query = queries.find((candidate) => candidate.name === name);
  if (!query) throw new UnknownQueryError(name, queries.map((candidate) => candidate.name), where);
  return query;
}

/** One line per parameter, for --list and the README: `start_date (date, default 2010-01-01): ...`. */
export function describeParameter(parameter: ParameterDeclaration): string {
  const fallback = parameter.defaultValue === undefined ? '' : `, default ${formatParameterValue(parameter.defaultValue)}`;
  return `${parameter.name} (${parameter.type}${fallback}): ${parameter.description}`;
}
