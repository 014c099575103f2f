/**
 * Reading one input object for a run: its bytes (gunzipped), or why the file as a whole cannot be
 * read. A file that cannot be read is not a reason to stop the batch: the run quarantines it as one
 * `unreadable_file` record (model/reasons.ts) and moves it to processed/ like every other input, so
 * it is neither retried for ever nor lost. Other failures (a missing object, a network error) stop
 * the run as before: they say nothing about the file, and the next run reads it again.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unreadableFileDetail } from '../model/reasons';
import { FsObjectStore } from '../store/fs-store';
import type { ObjectStore } from '../store/object-store';
import { inputBytes } from './lines';
import type { InputObject } from './protocol/run-state';

export type InputRead = { readonly bytes: Buffer } | { readonly unreadable: string };

/** Small objects of a folder lake are read in place, synchronously: for tiny files that is several times faster. */
const IN_PLACE_MAX_BYTES = 1024 * 1024;

async function readObject(store: ObjectStore, input: InputObject): Promise<Buffer> {
  if (store instanceof FsObjectStore && input.size <= IN_PLACE_MAX_BYTES) {
    try {
      return readFileSync(join(store.rootDir, ...input.key.split('/')));
    } catch {
      // Gone or unreadable: let the store report it in its words.
    }
  }
  return store.get(input.key);
}

/** Errors that say the object exists but this process may not read it: the OS's, or S3's 403. */
function isPermissionDenied(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'AccessDenied' || status === 403;
}

export async function readInput(store: ObjectStore, input: InputObject): Promise<InputRead> {
  let body: Buffer;
  try {
    body = await readObject(store, input);
  } catch (error) {
    if (isPermissionDenied(error)) return { unreadable: unreadableFileDetail((error as Error).message) };
    throw error;
  }
  try {
    return { bytes: await inputBytes(input.key, body) };
  } catch (error) {
    // Only gunzip can fail here: the bytes are not (whole) gzip, whatever the key says.
    return { unreadable: unreadableFileDetail(error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * The file of a folder lake's input that the engine may read in place, as it is: not gzipped and
 * readable by this process. Undefined otherwise: then readInput reads it (and says why it cannot).
 */
export function readableInPlace(store: ObjectStore, input: InputObject): string | undefined {
  if (!(store instanceof FsObjectStore) || input.key.endsWith('.gz')) return undefined;
  const file = join(store.rootDir, ...input.key.split('/'));
  try {
    accessSync(file, constants.R_OK);
    return file;
  } catch {
    return undefined;
  }
}
