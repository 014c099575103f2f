/**
 * The embedded default object store: a folder whose files are the objects, `<root>/<key>`.
 *
 * Writes go to `<root>/.tmp/` first and are renamed into place, so a reader (or a crash) never sees a
 * half-written object. `ifNoneMatch` puts publish with link(2), which fails if the key exists: two
 * processes racing for a claim cannot both win. Listing walks only the folders a prefix can reach and
 * stats only the objects it returns.
 */
import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FS_TEMP_DIR, assertValidKey, assertValidPrefix, compareKeys } from './keys';
import {
  DEFAULT_PAGE_SIZE,
  ListOptions,
  ListPage,
  ObjectExistsError,
  ObjectInfo,
  ObjectNotFoundError,
  ObjectStore,
  PutOptions,
  pageSizeOf,
} from './object-store';

/** A folder emptied by a concurrent delete can vanish between mkdir and rename; retry that many times. */
const PUBLISH_ATTEMPTS = 5;

/** A folder cannot hold both `a/b` (a file) and `a/b/c` (which needs `a/b` to be a folder). */
export class KeyConflictError extends Error {
  constructor(
    readonly store: string,
    readonly key: string,
    readonly conflictingKey: string,
  ) {
    super(
      `cannot store "${key}" in ${store}: ` +
        (conflictingKey === key
          ? `other keys already live under "${key}/", and a folder store cannot also hold "${key}" itself`
          : `"${conflictingKey}" is an object, and a folder store cannot also hold keys under "${conflictingKey}/"`) +
        '; rename one of the keys',
    );
    this.name = 'KeyConflictError';
  }
}

export class FsObjectStore implements ObjectStore {
  readonly description: string;
  readonly rootDir: string;
  private readonly tempDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
    this.tempDir = path.join(this.rootDir, FS_TEMP_DIR);
    this.description = `file://${this.rootDir}`;
  }

  async listPage(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const pageSize = pageSizeOf(options);
    const keys: string[] = [];
    let more = false;
    for await (const key of this.walk(prefix, options.token)) {
      if (keys.length === pageSize) {
        more = true;
        break;
      }
      keys.push(key);
    }
    const objects = await this.statAll(keys);
    // The token is the last key returned: the next page starts after it, like S3's StartAfter.
    return more && keys.length > 0 ? { objects, nextToken: keys[keys.length - 1] } : { objects };
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // One walk for the whole listing, stat'ed a page at a time, instead of a fresh walk per page.
    let batch: string[] = [];
    for await (const key of this.walk(prefix, undefined)) {
      batch.push(key);
      if (batch.length === DEFAULT_PAGE_SIZE) {
        yield* await this.statAll(batch);
        batch = [];
      }
    }
    yield* await this.statAll(batch);
  }

  async get(key: string): Promise<Buffer> {
    assertValidKey(key);
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(this.description, key);
      throw error;
    }
  }

  async put(key: string, body: Buffer | string, options: PutOptions = {}): Promise<void> {
    assertValidKey(key);
    const temp = await this.writeTemp(body);
    await this.publish(temp, key, options.ifNoneMatch === true);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    return this.statObject(key);
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    assertValidKey(fromKey);
    assertValidKey(toKey);
    if (fromKey === toKey) {
      await this.requireObject(fromKey);
      return;
    }
    const temp = this.newTempPath();
    await fs.mkdir(this.tempDir, { recursive: true });
    try {
      await fs.copyFile(this.pathOf(fromKey), temp, fs.constants.COPYFILE_FICLONE);
    } catch (error) {
      await removeQuietly(temp);
      if (isMissing(error)) throw new ObjectNotFoundError(this.description, fromKey);
      throw error;
    }
    await flushToDisk(temp).catch(async (error: unknown) => {
      await removeQuietly(temp);
      throw error;
    });
    await this.publish(temp, toKey, false);
  }

  async move(fromKey: string, toKey: string): Promise<void> {
    assertValidKey(fromKey);
    assertValidKey(toKey);
    await this.requireObject(fromKey);
    if (fromKey === toKey) return;
    const target = this.pathOf(toKey);
    for (let attempt = 1; ; attempt++) {
      await this.makeParent(toKey);
      try {
        await fs.rename(this.pathOf(fromKey), target);
        break;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') {
          if ((await this.statObject(fromKey)) === undefined) throw new ObjectNotFoundError(this.description, fromKey);
          if (attempt < PUBLISH_ATTEMPTS) continue; // the target's folder was pruned meanwhile
        }
        if (isFolderInTheWay(error)) throw new KeyConflictError(this.description, toKey, toKey);
        throw error;
      }
    }
    await this.pruneEmptyParents(fromKey);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await fs.unlink(this.pathOf(key));
    } catch (error) {
      // A missing key, or a key that is only a folder of other keys: there is no such object to delete.
      if (isMissing(error)) return;
      throw error;
    }
    await this.pruneEmptyParents(key);
  }

  private pathOf(key: string): string {
    return path.join(this.rootDir, ...key.split('/'));
  }

  private newTempPath(): string {
    return path.join(this.tempDir, `${process.pid}-${randomUUID()}`);
  }

  /** Writes the body to a fresh temp file and flushes it to disk, so a renamed file is never empty. */
  private async writeTemp(body: Buffer | string): Promise<string> {
    await fs.mkdir(this.tempDir, { recursive: true });
    const temp = this.newTempPath();
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await removeQuietly(temp);
      throw error;
    }
    await handle.close();
    return temp;
  }

  /** Moves a finished temp file to its key: rename (replace) or link (only if the key is free). */
  private async publish(temp: string, key: string, exclusive: boolean): Promise<void> {
    const target = this.pathOf(key);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.makeParent(key);
        if (exclusive) {
          await fs.link(temp, target);
          await removeQuietly(temp);
        } else {
          await fs.rename(temp, target);
        }
        return;
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' && attempt < PUBLISH_ATTEMPTS) continue; // parent pruned by a delete meanwhile
        await removeQuietly(temp);
        if (code === 'EEXIST' && exclusive) {
          if ((await this.statObject(key)) !== undefined) throw new ObjectExistsError(this.description, key);
          throw new KeyConflictError(this.description, key, key);
        }
        if (isFolderInTheWay(error)) throw new KeyConflictError(this.description, key, key);
        throw error;
      }
    }
  }

  private async makeParent(key: string): Promise<void> {
    const segments = key.split('/');
    if (segments.length === 1) {
      await fs.mkdir(this.rootDir, { recursive: true });
      return;
    }
    try {
      await fs.mkdir(path.join(this.rootDir, ...segments.slice(0, -1)), { recursive: true });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOTDIR' || code === 'EEXIST') {
        throw new KeyConflictError(this.description, key, await this.fileAncestor(segments));
      }
      throw error;
    }
  }

  /** The shortest key on the way to `segments` that is a file (for the conflict message). */
  private async fileAncestor(segments: string[]): Promise<string> {
    for (let i = 1; i < segments.length; i++) {
      const ancestor = segments.slice(0, i).join('/');
      if ((await this.statObject(ancestor)) !== undefined) return ancestor;
    }
    return segments.join('/');
  }

  /** Removes the key's folders that became empty, bottom up, never the root itself. */
  private async pruneEmptyParents(key: string): Promise<void> {
    const segments = key.split('/');
    for (let depth = segments.length - 1; depth > 0; depth--) {
      try {
        await fs.rmdir(path.join(this.rootDir, ...segments.slice(0, depth)));
      } catch {
        return; // not empty (or already gone): the folders above are not empty either
      }
    }
  }

  private async requireObject(key: string): Promise<void> {
    if ((await this.statObject(key)) === undefined) throw new ObjectNotFoundError(this.description, key);
  }

  private async statObject(key: string): Promise<ObjectInfo | undefined> {
    try {
      const stats = await fs.stat(this.pathOf(key));
      return stats.isFile() ? { key, size: stats.size, lastModified: stats.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Stats keys in parallel; a key deleted since the walk saw it is left out. */
  private async statAll(keys: readonly string[]): Promise<ObjectInfo[]> {
    const infos = await Promise.all(keys.map((key) => this.statObject(key)));
    return infos.filter((info): info is ObjectInfo => info !== undefined);
  }

  /**
   * Yields the keys under `prefix` that sort after `startAfter`, in S3 order. Descends only into the
   * folder the prefix names, and skips whole folders that sort before `startAfter`.
   */
  private async *walk(prefix: string, startAfter: string | undefined): AsyncGenerator<string> {
    assertValidPrefix(prefix);
    const lastSlash = prefix.lastIndexOf('/');
    const folderKey = prefix.slice(0, lastSlash + 1); // '' or 'a/b/'
    const namePrefix = prefix.slice(lastSlash + 1);
    const folder = path.join(this.rootDir, ...folderKey.split('/').filter((s) => s !== ''));
    yield* this.walkFolder(folder, folderKey, namePrefix, startAfter);
  }

  private async *walkFolder(
    folder: string,
    folderKey: string,
    namePrefix: string,
    startAfter: string | undefined,
  ): AsyncGenerator<string> {
    const entries: { name: string; isFolder: boolean; sortName: string }[] = [];
    for (const dirent of await readFolder(folder)) {
      if (folderKey === '' && dirent.name === FS_TEMP_DIR) continue;
      const isFolder = dirent.isDirectory() || (dirent.isSymbolicLink() && (await isFolderLink(folder, dirent.name)));
      if (!isFolder && !dirent.isFile() && !dirent.isSymbolicLink()) continue; // sockets, fifos: not objects
      // A folder `d` holds keys `d/...`: it sorts as `d/` against its siblings.
      const sortName = isFolder ? `${dirent.name}/` : dirent.name;
      if (!sortName.startsWith(namePrefix)) continue;
      entries.push({ name: dirent.name, isFolder, sortName });
    }
    entries.sort((a, b) => compareKeys(a.sortName, b.sortName));

    for (const entry of entries) {
      const key = folderKey + entry.sortName;
      if (entry.isFolder) {
        // Every key in this folder starts with `key`; if even that is before startAfter, skip it all.
        if (startAfter !== undefined && compareKeys(key, startAfter) < 0 && !startAfter.startsWith(key)) continue;
        yield* this.walkFolder(path.join(folder, entry.name), key, '', startAfter);
      } else if (startAfter === undefined || compareKeys(key, startAfter) > 0) {
        yield key;
      }
    }
  }
}

async function readFolder(folder: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Whether a symlink leads to a folder; a link to a file (or a dangling one) is listed as a file. */
async function isFolderLink(folder: string, name: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(folder, name))).isDirectory();
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** The errors that mean "no object at this key": nothing there, or a folder, or a file on the way. */
function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function isFolderInTheWay(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST';
}

async function flushToDisk(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeQuietly(file: string): Promise<void> {
  await fs.unlink(file).catch(() => undefined);
}
