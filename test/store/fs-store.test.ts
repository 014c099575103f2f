import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FsObjectStore, KeyConflictError } from '../../store/fs-store';
import { ObjectExistsError, ObjectNotFoundError } from '../../store/object-store';
import { collect, objectStoreContract } from './object-store.contract';

describe('FsObjectStore', function () {
  let tempRoot: string;
  let stores = 0;
  before(async function () {
    tempRoot = await mkdtemp(path.join(tmpdir(), 'fs-store-'));
  });
  after(async function () {
    await rm(tempRoot, { recursive: true, force: true });
  });
  const newRoot = (): string => path.join(tempRoot, `store-${++stores}`);

  objectStoreContract({ newStore: async () => new FsObjectStore(newRoot()), atomicClaims: true });

  describe('on disk', function () {
    let root: string;
    let store: FsObjectStore;
    beforeEach(function () {
      root = newRoot();
      store = new FsObjectStore(root);
    });

    it('keeps each object as the file <root>/<key>', async function () {
      await store.put('raw/a b/ünï ✓.json', 'x');
      expect((await stat(path.join(root, 'raw', 'a b', 'ünï ✓.json'))).isFile()).to.equal(true);
    });

    it('lists keys in S3 order (UTF-8 bytes), not JavaScript string order', async function () {
      // '.' (0x2E) sorts before '/' (0x2F): "a.x" comes before everything under "a/".
      // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80), though its UTF-16 unit is larger.
      const keys = ['k/a/b', 'k/a.x', 'k/a0', 'k/😀', 'k/～', 'k/Z', 'k/é', 'k/a/a/deep'];
      for (const key of keys) await store.put(key, key);
      const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect((await collect(store.list('k/'))).map((o) => o.key)).to.deep.equal(byBytes);
      expect(byBytes.indexOf('k/～')).to.be.lessThan(byBytes.indexOf('k/😀'));

      const paged: string[] = [];
      let token: string | undefined;
      do {
        const page = await store.listPage('k/', { pageSize: 1, token });
        paged.push(...page.objects.map((o) => o.key));
        token = page.nextToken;
      } while (token !== undefined);
      expect(paged).to.deep.equal(byBytes);
    });

    it('leaves nothing behind in .tmp after puts, copies and failed claims', async function () {
      await store.put('raw/x.json', 'x');
      await store.copy('raw/x.json', 'raw/y.json');
      await store.put('raw/x.json', 'again', { ifNoneMatch: true }).catch(() => undefined);
      expect(await readdir(path.join(root, '.tmp'))).to.deep.equal([]);
    });

    it('never shows an unfinished write: a file left in .tmp by a crash is not an object', async function () {
      await mkdir(path.join(root, '.tmp'), { recursive: true });
      await writeFile(path.join(root, '.tmp', '123-half-written'), '{"trunc');
      await store.put('raw/done.json', 'complete');
      expect((await collect(store.list(''))).map((o) => o.key)).to.deep.equal(['raw/done.json']);
      expect(await store.head('.tmp/123-half-written').catch((e: Error) => e.name)).to.equal('InvalidKeyError');
    });

    it('removes folders emptied by delete and move, but never the root', async function () {
      await store.put('raw/2026/01/01/a.json', 'a');
      await store.put('raw/2026/01/02/b.json', 'b');
      await store.delete('raw/2026/01/01/a.json');
      expect(await readdir(path.join(root, 'raw', '2026', '01'))).to.deep.equal(['02']);
      await store.move('raw/2026/01/02/b.json', 'processed/b.json');
      expect((await readdir(root)).filter((name) => name !== '.tmp')).to.deep.equal(['processed']);
      await store.delete('processed/b.json');
      expect((await stat(root)).isDirectory()).to.equal(true);
    });

    it('lists nothing and finds nothing before the first put creates the folder', async function () {
      expect(await store.listPage('')).to.deep.equal({ objects: [] });
      expect(await store.get('raw/x.json').catch((e: Error) => e)).to.be.instanceOf(ObjectNotFoundError);
    });

    it('refuses a key below an existing object, and an object where other keys live, naming both', async function () {
      await store.put('raw/a', 'file');
      const below = await store.put('raw/a/b.json', 'x').catch((e: Error) => e);
      expect(below).to.be.instanceOf(KeyConflictError);
      expect((below as Error).message).to.include('"raw/a/b.json"').and.include('"raw/a" is an object');

      await store.put('raw/c/d.json', 'x');
      for (const attempt of [
        () => store.put('raw/c', 'x'),
        () => store.put('raw/c', 'x', { ifNoneMatch: true }),
        () => store.move('raw/a', 'raw/c'),
      ]) {
        const onFolder = await attempt().catch((e: Error) => e);
        expect(onFolder).to.be.instanceOf(KeyConflictError);
        expect((onFolder as Error).message).to.include('other keys already live under "raw/c/"');
      }
      expect((await store.get('raw/a')).toString()).to.equal('file');
    });

    it('of claims racing from two store instances on one folder exactly one wins', async function () {
      const other = new FsObjectStore(root);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).put('_etl/lock', `owner ${i}`, { ifNoneMatch: true })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).to.be.instanceOf(ObjectExistsError);
      }
    });

    it('survives puts racing with deletes that prune the same folders', async function () {
      const keys = Array.from({ length: 40 }, (_, i) => `raw/p/q/${i}.json`);
      await Promise.all(keys.map(async (key) => {
        await store.put(key, 'x');
        await store.delete(key);
        await store.put(key, 'y');
      }));
      const listed = await collect(store.list('raw/'));
      expect(listed.map((o) => o.key).sort()).to.deep.equal([...keys].sort());
    });

    it('rejects a page size that is not a positive integer', async function () {
      for (const pageSize of [0, -1, 1.5]) {
        const error = await store.listPage('', { pageSize }).catch((e: Error) => e);
        expect(error).to.be.instanceOf(RangeError);
        expect((error as Error).message).to.include(String(pageSize));
      }
    });
  });
});
