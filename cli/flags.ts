import { parseArgs, type ParseArgsConfig } from 'node:util';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses command-line flags strictly (unknown flags and positionals are errors) and points a user who
 * got them wrong at `--help`. Every CLI of the pipeline reads its flags through here.
 */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}; run with --help for the options`);
  }
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
