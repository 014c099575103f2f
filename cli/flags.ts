import { parseArgs, type ParseArgsConfig } from 'node:util';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses command-line flags strictly (unknown flags and positionals are errors) with the project's own
 * messages, which name the flag and point at `--help`. A value may start with a dash when it is a
 * number (`--events -5` reaches the flag's own check). Every CLI of the pipeline reads its flags here.
 */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T) {
  return parseArgs({ args: checkedArgs(argv, options, false), options, strict: true, allowPositionals: false }).values;
}

/** parseFlags for a command that also takes positional arguments (a query's name). */
export function parseFlagsAndPositionals<T extends FlagOptions>(argv: readonly string[], options: T) {
  const { values, positionals } = parseArgs({ args: checkedArgs(argv, options, true), options, strict: true, allowPositionals: true });
  return { values, positionals };
}

const HELP_HINT = 'run with --help for the options';

/**
 * Reads the arguments leniently, checks each against `options` with messages of our own, and returns
 * them rewritten so that Node's strict parser accepts what we accept: `--flag=value` for every value.
 */
function checkedArgs(argv: readonly string[], options: FlagOptions, allowPositionals: boolean): string[] {
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const known = Object.keys(options).map((name) => `--${name}`);
  const args: string[] = [];
  const afterTerminator: string[] = [];
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      terminated = true;
      continue;
    }
    if (token.kind === 'positional') {
      if (!allowPositionals) throw new Error(`unexpected argument "${token.value}": options start with --; ${HELP_HINT}`);
      (terminated ? afterTerminator : args).push(token.value);
      continue;
    }
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (option === undefined) throw new Error(`unknown option ${token.rawName}; the options are ${known.join(', ')}; ${HELP_HINT}`);
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new Error(`${token.rawName} takes no value, but got "${token.value}"; ${HELP_HINT}`);
      args.push(`--${token.name}`);
      continue;
    }
    const value = token.value;
    const takenFlag = value !== undefined && !token.inlineValue && value.startsWith('-') && !/^-\.?\d/.test(value);
    if (value === undefined || takenFlag) {
      throw new Error(`${token.rawName} needs a value${takenFlag ? ` before the option ${value}` : ''}, e.g. ${token.rawName} <value>; ${HELP_HINT}`);
    }
    args.push(`--${token.name}=${value}`);
  }
  return afterTerminator.length > 0 ? [...args, '--', ...afterTerminator] : args;
}

/** A whole-number flag, or undefined when it is not given. */
export function wholeNumberFlag(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
    throw new Error(`--${flag} "${value}" is not a whole number >= ${min}; e.g. --${flag} ${Math.max(min, 4)}`);
  }
  return number;
}

/** A number flag that must be above zero, or undefined when it is not given. */
export function positiveNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new Error(`--${flag} "${value}" is not a number greater than 0; e.g. --${flag} 24`);
  }
  return number;
}
