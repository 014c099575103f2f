/**
 * How a folder given as `--store` is recognised as a lake this project made, so that no command
 * deletes or overwrites a folder it did not create. `npm run local` and `npm run generate` write a
 * marker object when they set a lake up in a new or empty folder; only a marked folder is ever emptied.
 */
import type { Dirent } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AREAS, PREFIXES } from '../model/layout';
import { FsObjectStore } from './fs-store';
import { FS_TEMP_DIR } from './keys';

/** The marker object at the top of every lake folder the project set up. */
export const LAKE_MARKER_KEY = 'clickstream-bi-lake.json';

/** Top-level names a lake's folder holds: its areas, the folder store's temp folder, the marker. */
const LAKE_ENTRIES: ReadonlySet<string> = new Set([...AREAS.map((area) => PREFIXES[area].replace(/\/$/, '')), FS_TEMP_DIR, LAKE_MARKER_KEY]);

export type FolderState =
  | { readonly kind: 'missing' }
  /** The path is a file, or a file stands on its way. */
  | { readonly kind: 'not-a-folder' }
  | { readonly kind: 'empty' }
  /** Set up by this project: it holds the marker. */
  | { readonly kind: 'lake' }
  /** Holds only the lake's areas but no marker: a lake from before markers, or one laid out by hand. */
  | { readonly kind: 'unmarked-lake'; readonly entries: readonly string[] }
  /** Holds something a lake does not. */
  | { readonly kind: 'foreign'; readonly entries: readonly string[] };

export async function inspectFolder(dir: string): Promise<FolderState> {
  let entries: Dirent[];
  try {
    if (!(await stat(dir)).isDirectory()) return { kind: 'not-a-folder' };
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') return { kind: 'not-a-folder' };
    throw error;
  }
  const names = entries.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).sort();
  if (names.length === 0) return { kind: 'empty' };
  if (names.includes(LAKE_MARKER_KEY)) return { kind: 'lake' };
  const foreign = names.filter((name) => !LAKE_ENTRIES.has(name.replace(/\/$/, '')));
  return foreign.length === 0 ? { kind: 'unmarked-lake', entries: names } : { kind: 'foreign', entries: foreign };
}

/** Writes the marker: from now on the folder is a lake this project owns (and may empty). */
export async function markLake(dir: string, createdBy: string): Promise<void> {
  const marker = { project: 'clickstream-bi', what: 'a local lake (object store folder)', createdBy, createdAt: new Date().toISOString() };
  await new FsObjectStore(dir).put(LAKE_MARKER_KEY, `${JSON.stringify(marker, null, 2)}\n`, { contentType: 'application/json' });
}

/** Deletes everything in a marked lake but its marker. Refuses any folder without the marker. */
export async function emptyLake(dir: string): Promise<void> {
  const state = await inspectFolder(dir);
  if (state.kind !== 'lake') throw new Error(`refusing to empty ${dir}: it is not a lake this project set up (no ${LAKE_MARKER_KEY})`);
  for (const name of await readdir(dir)) {
    if (name !== LAKE_MARKER_KEY) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** A short list of names for a message: the first few, then how many more. */
export function someNames(names: readonly string[], shown = 4): string {
  const listed = names.slice(0, shown).join(', ');
  return names.length > shown ? `${listed} and ${names.length - shown} more` : listed;
}
