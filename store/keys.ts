/**
 * Key rules shared by every store, so a key that works on the folder store works on S3 and back.
 */
import { InvalidKeyError } from './object-store';

/** The folder store keeps half-written objects here; no key may live under it. */
export const FS_TEMP_DIR = '.tmp';

/**
 * Throws InvalidKeyError unless `key` is a key both stores can hold: not empty, not starting with `/`,
 * no empty, `.` or `..` segments, no trailing `/`, no NUL, and not under the folder store's `.tmp/`.
 */
export function assertValidKey(key: string): void {
  if (key === '') {
    throw new InvalidKeyError(key, 'it is empty', 'give a key such as "raw/2026/01/01/events.jsonl"');
  }
  if (key.startsWith('/')) {
    throw new InvalidKeyError(key, 'it starts with "/"', `drop the leading slash: "${key.replace(/^\/+/, '')}"`);
  }
  if (key.endsWith('/')) {
    throw new InvalidKeyError(key, 'it ends with "/" (a folder, not an object)', 'name the object after the slash');
  }
  if (key.includes('\0')) {
    throw new InvalidKeyError(key, 'it contains a NUL character', 'remove the NUL character');
  }
  for (const segment of key.split('/')) {
    if (segment === '..' || segment === '.') {
      throw new InvalidKeyError(key, `it has a "${segment}" segment`, 'use a key without relative path segments');
    }
    if (segment === '') {
      throw new InvalidKeyError(key, 'it has an empty segment ("//")', 'use single slashes between segments');
    }
  }
  if (key === FS_TEMP_DIR || key.startsWith(`${FS_TEMP_DIR}/`)) {
    throw new InvalidKeyError(key, `"${FS_TEMP_DIR}/" is reserved for the folder store's unfinished writes`, 'use another prefix');
  }
}

/**
 * Throws InvalidKeyError unless `prefix` is a usable list prefix: empty (everything) or the start of a
 * valid key. Only the complete segments (before the last `/`) are checked; the rest filters names.
 */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const lastSlash = prefix.lastIndexOf('/');
  if (lastSlash === -1) return;
  if (prefix.startsWith('/')) {
    throw new InvalidKeyError(prefix, 'the prefix starts with "/"', `drop the leading slash: "${prefix.replace(/^\/+/, '')}"`);
  }
  for (const segment of prefix.slice(0, lastSlash).split('/')) {
    if (segment === '..' || segment === '.' || segment === '') {
      throw new InvalidKeyError(prefix, `the prefix has a "${segment || '//'}" segment`, 'use a prefix such as "raw/2026/"');
    }
  }
}

/**
 * Orders keys as S3 lists them: by their UTF-8 bytes. That is Unicode code point order, which differs
 * from JavaScript's `<` (UTF-16 code units) for characters above U+E000 against astral ones (emoji).
 * Compares without allocating, so sorting tens of thousands of names stays cheap.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrder(x) - codePointOrder(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800–DFFF) above U+E000–FFFF so that code units compare like code points. */
function codePointOrder(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
