/**
 * DuckDB reads local files only (no httpfs here): objects of a folder store are read in place, others
 * are downloaded into a temporary folder first.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FsObjectStore } from '../store/fs-store';
import type { ObjectStore } from '../store/object-store';
import { mapLimit } from './protocol/concurrency';

export async function localPaths(store: ObjectStore, keys: readonly string[], stagingDir: string, concurrency: number): Promise<string[]> {
  if (store instanceof FsObjectStore) return keys.map((key) => join(store.rootDir, ...key.split('/')));
  const paths = keys.map((key) => join(stagingDir, ...key.split('/')));
  await mapLimit(keys, concurrency, async (key, index) => {
    await mkdir(dirname(paths[index]), { recursive: true });
    await writeFile(paths[index], await store.get(key));
  });
  return paths;
}
