/**
 * Where the generator's files land: `raw/YYYY/MM/DD/HH/<first-ts>-<writer>-<seq>.jsonl[.gz]`.
 *
 * Keys sort by time (the hour folders, then the first event's epoch second, ten digits until 2286),
 * and never collide between two writers: each has its own writer id (by default derived from the seed,
 * on EC2 the instance id) and numbers its files.
 */
import { PREFIXES } from '../model/layout';
import { seedNamespace } from './simulate';
import type { Seed } from './random';

const WRITER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Throws unless `writerId` can be part of a key: lower-case letters, digits and dashes, up to 63. */
export function checkWriterId(writerId: string): void {
  if (!WRITER_ID.test(writerId)) {
    throw new Error(
      `writer id "${writerId}" cannot be part of a key; use 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit (e.g. "i-0abc123" or "laptop-2")`,
    );
  }
}

/** The writer id a run has unless told otherwise: the same for the same seed, so output stays byte-identical. */
export function defaultWriterId(seed: Seed): string {
  return `g${seedNamespace(seed)}`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** The key of a writer's `sequence`-th file whose first event happened at `firstTimestamp` (epoch seconds). */
export function rawFileKey(firstTimestamp: number, writerId: string, sequence: number, gzip: boolean): string {
  const time = new Date(firstTimestamp * 1000);
  const folder = `${time.getUTCFullYear()}/${two(time.getUTCMonth() + 1)}/${two(time.getUTCDate())}/${two(time.getUTCHours())}`;
  const name = `${String(firstTimestamp).padStart(10, '0')}-${writerId}-${String(sequence).padStart(6, '0')}`;
  return `${PREFIXES.raw}${folder}/${name}.jsonl${gzip ? '.gz' : ''}`;
}

/** The hour an epoch second falls in, as a number that changes exactly when the key's hour folder does. */
export function hourOf(timestamp: number): number {
  return Math.floor(timestamp / 3600);
}
