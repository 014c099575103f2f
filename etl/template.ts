/**
 * A tiny template language for the transform's .sql files: `{{ name }}` inserts a generated block and
 * `{{ name(arg, ...) }}` calls a dialect macro with SQL arguments. Placeholders may nest; the
 * innermost are rendered first. Nothing else is special, so a template reads as plain SQL.
 */

export type Macro = (...args: string[]) => string;

export interface TemplateScope {
  readonly blocks: Readonly<Record<string, string>>;
  readonly macros: Readonly<Record<string, Macro>>;
}

const INNERMOST = /\{\{\s*([^{}]*?)\s*\}\}/;
const CALL = /^([a-z_][a-z0-9_]*)\s*\(([\s\S]*)\)$/i;
const NAME = /^[a-z_][a-z0-9_]*$/i;

/** Splits macro arguments at top-level commas, outside parentheses and quotes. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"' || char === '`') {
      quote = char;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
    } else if (char === ',' && depth === 0) {
      args.push(text.slice(start, index).trim());
      start = index + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || args.length > 0) args.push(last);
  return args;
}

export function renderTemplate(template: string, scope: TemplateScope, source: string): string {
  let text = template;
  for (;;) {
    const match = INNERMOST.exec(text);
    if (!match) return text;
    text = text.slice(0, match.index) + expand(match[1], scope, source) + text.slice(match.index + match[0].length);
  }
}

function expand(placeholder: string, scope: TemplateScope, source: string): string {
  const call = CALL.exec(placeholder);
  if (call) {
    const macro = scope.macros[call[1]];
    if (!macro) {
      throw new Error(`${source}: unknown macro "${call[1]}" in {{ ${placeholder} }}; known macros: ${Object.keys(scope.macros).join(', ')}`);
    }
    const args = splitArguments(call[2]);
    if (args.length !== macro.length) {
      throw new Error(`${source}: macro "${call[1]}" takes ${macro.length} argument(s), got ${args.length} in {{ ${placeholder} }}`);
    }
    return macro(...args);
  }
  if (NAME.test(placeholder)) {
    const block = scope.blocks[placeholder];
    if (block === undefined) {
      throw new Error(`${source}: unknown block {{ ${placeholder} }}; known blocks: ${Object.keys(scope.blocks).join(', ')}`);
    }
    return block;
  }
  throw new Error(`${source}: cannot read placeholder {{ ${placeholder} }}; write {{ name }} or {{ macro(arg, ...) }}`);
}
