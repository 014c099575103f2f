/**
 * The behaviour every ObjectStore must have, written once and run against each implementation
 * (fs-store.test.ts, s3-store.test.ts). Not a test file itself: it registers mocha suites when called.
 */
import { expect } from 'chai';
import { compareKeys } from '../../store/keys';
import { InvalidKeyError, ObjectExistsError, ObjectInfo, ObjectNotFoundError, ObjectStore } from '../../store/object-store';

export interface ContractSubject {
  /** A fresh, empty store; called once per test group. */
  newStore(): Promise<ObjectStore>;
  /** Whether concurrent `ifNoneMatch` puts are exclusive (false: the documented HEAD-then-PUT fallback). */
  readonly atomicClaims: boolean;
}

const MANY = 1205; // past S3's 1,000-key page
const PUT_PARALLELISM = 32;

export async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const items: ObjectInfo[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function expectRejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}

export function objectStoreContract(subject: ContractSubject): void {
  describe('ObjectStore contract', function () {
    describe(`listing past 1,000 keys (${MANY} keys under raw/many/)`, function () {
      let store: ObjectStore;
      const manyKeys = Array.from({ length: MANY }, (_, i) => `raw/many/k-${String(i).padStart(5, '0')}.json`);
      // Neighbours the prefix must leave out, on both sides of raw/many/ in key order.
      const neighbours = ['processed/k-00000.json', 'raw/a.json', 'raw/many_more.json'];

      before(async function () {
        this.timeout(60_000);
        store = await subject.newStore();
        await forEachLimited([...manyKeys, ...neighbours], PUT_PARALLELISM, (key) => store.put(key, key));
      });

      it('list() yields every key under the prefix once, in ascending key order', async function () {
        const keys = (await collect(store.list('raw/many/'))).map((o) => o.key);
        expect(keys).to.have.length(MANY);
        expect(keys).to.deep.equal([...manyKeys].sort(compareKeys));
      });

      it('listPage returns 1,000 keys by default, then the rest with no further token', async function () {
        const first = await store.listPage('raw/many/');
        expect(first.objects).to.have.length(1000);
        expect(first.nextToken).to.be.a('string');
        const second = await store.listPage('raw/many/', { token: first.nextToken });
        expect(second.objects).to.have.length(MANY - 1000);
        expect(second.nextToken).to.equal(undefined);
        expect([...first.objects, ...second.objects].map((o) => o.key)).to.deep.equal(manyKeys);
      });

      it('listPage with a page size walks every page through its tokens', async function () {
        const sizes: number[] = [];
        const keys: string[] = [];
        let token: string | undefined;
        do {
          const page = await store.listPage('raw/many/', { pageSize: 500, token });
          sizes.push(page.objects.length);
          keys.push(...page.objects.map((o) => o.key));
          token = page.nextToken;
        } while (token !== undefined);
        expect(sizes).to.deep.equal([500, 500, MANY - 1000]);
        expect(keys).to.deep.equal(manyKeys);
      });

      it('lists each object with its size and modification time', async function () {
        const page = await store.listPage('raw/many/k-0000', { pageSize: 3 });
        expect(page.objects.map((o) => o.key)).to.deep.equal(manyKeys.slice(0, 3));
        for (const object of page.objects) {
          expect(object.size).to.equal(Buffer.byteLength(object.key)); // each body is its own key
          expect(object.lastModified).to.be.instanceOf(Date);
          expect(Number.isNaN(object.lastModified.getTime())).to.equal(false);
        }
      });

      it('a prefix that ends inside a name narrows the listing to the names that start with it', async function () {
        const keys = (await collect(store.list('raw/many/k-011'))).map((o) => o.key);
        expect(keys).to.deep.equal(manyKeys.filter((key) => key.startsWith('raw/many/k-011')));
        expect(keys).to.have.length(100);
      });

      it('a prefix without a trailing slash also matches sibling names', async function () {
        const keys = (await collect(store.list('raw/many'))).map((o) => o.key);
        expect(keys).to.have.length(MANY + 1);
        expect(keys[keys.length - 1]).to.equal('raw/many_more.json');
      });

      it('an empty prefix lists every key in the store, in order', async function () {
        const keys = (await collect(store.list(''))).map((o) => o.key);
        expect(keys).to.deep.equal([...manyKeys, ...neighbours].sort(compareKeys));
      });

      it('a prefix that matches nothing gives an empty page without a token', async function () {
        expect(await store.listPage('raw/none/')).to.deep.equal({ objects: [] });
        expect(await collect(store.list('nothing-here/'))).to.deep.equal([]);
      });
    });

    describe('objects', function () {
      let store: ObjectStore;
      beforeEach(async function () {
        store = await subject.newStore();
      });

      it('get returns exactly the bytes put, and head reports their size', async function () {
        const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);
        await store.put('raw/2026/01/01/binary.bin', bytes);
        expect(await store.get('raw/2026/01/01/binary.bin')).to.deep.equal(bytes);
        const head = await store.head('raw/2026/01/01/binary.bin');
        expect(head?.key).to.equal('raw/2026/01/01/binary.bin');
        expect(head?.size).to.equal(bytes.length);
        expect(head?.lastModified).to.be.instanceOf(Date);
      });

      it('a string body is stored as UTF-8', async function () {
        await store.put('raw/text.json', '{"city":"Zürich"}', { contentType: 'application/json' });
        expect((await store.get('raw/text.json')).toString('utf8')).to.equal('{"city":"Zürich"}');
        expect((await store.head('raw/text.json'))?.size).to.equal(Buffer.byteLength('{"city":"Zürich"}'));
      });

      it('put replaces an existing object', async function () {
        await store.put('raw/x.json', 'first');
        await store.put('raw/x.json', 'second, longer');
        expect((await store.get('raw/x.json')).toString()).to.equal('second, longer');
      });

      it('delete removes the object from get, head and list', async function () {
        await store.put('raw/d/gone.json', 'x');
        await store.put('raw/d/kept.json', 'y');
        await store.delete('raw/d/gone.json');
        expect(await store.head('raw/d/gone.json')).to.equal(undefined);
        await expectRejection(store.get('raw/d/gone.json'));
        expect((await collect(store.list('raw/'))).map((o) => o.key)).to.deep.equal(['raw/d/kept.json']);
      });

      it('copy writes an identical target and keeps the source', async function () {
        await store.put('raw/c/source.json', 'payload');
        await store.copy('raw/c/source.json', 'processed/c/target.json');
        expect((await store.get('raw/c/source.json')).toString()).to.equal('payload');
        expect((await store.get('processed/c/target.json')).toString()).to.equal('payload');
      });

      it('move writes the target and removes the source', async function () {
        await store.put('raw/m/source.json', 'payload');
        await store.move('raw/m/source.json', 'processed/m/deeper/target.json');
        expect((await store.get('processed/m/deeper/target.json')).toString()).to.equal('payload');
        expect(await store.head('raw/m/source.json')).to.equal(undefined);
        expect(await collect(store.list('raw/'))).to.deep.equal([]);
      });

      it('move replaces an existing target', async function () {
        await store.put('raw/r.json', 'new');
        await store.put('processed/r.json', 'old');
        await store.move('raw/r.json', 'processed/r.json');
        expect((await store.get('processed/r.json')).toString()).to.equal('new');
      });

      it('copy or move of a key onto itself keeps the object', async function () {
        await store.put('raw/self.json', 'same');
        await store.copy('raw/self.json', 'raw/self.json');
        await store.move('raw/self.json', 'raw/self.json');
        expect((await store.get('raw/self.json')).toString()).to.equal('same');
      });

      it('keys with spaces and unicode round-trip through put, get, head, list, copy and move', async function () {
        const key = 'raw/a b/ünï ✓.json';
        await store.put(key, 'unicode');
        expect((await store.get(key)).toString()).to.equal('unicode');
        expect((await store.head(key))?.key).to.equal(key);
        expect((await collect(store.list('raw/a b/'))).map((o) => o.key)).to.deep.equal([key]);
        await store.copy(key, 'processed/a b/ünï ✓ copy.json');
        await store.move(key, 'processed/a b/ünï ✓.json');
        expect((await collect(store.list('processed/a b/ü'))).map((o) => o.key)).to.deep.equal([
          'processed/a b/ünï ✓ copy.json',
          'processed/a b/ünï ✓.json',
        ]);
        expect(await store.head(key)).to.equal(undefined);
      });

      it('partition keys (results/<table>/event_date=YYYY-MM-DD/) copy and move', async function () {
        const key = 'results/events/event_date=2026-01-01/part-0 (1).parquet';
        await store.put(key, 'parquet bytes');
        await store.copy(key, 'results/events/event_date=2026-01-02/part-0.parquet');
        await store.move(key, 'results/events/event_date=2026-01-03/part-0.parquet');
        expect((await collect(store.list('results/events/event_date='))).map((o) => o.key)).to.deep.equal([
          'results/events/event_date=2026-01-02/part-0.parquet',
          'results/events/event_date=2026-01-03/part-0.parquet',
        ]);
      });
    });

    describe('missing keys', function () {
      let store: ObjectStore;
      before(async function () {
        store = await subject.newStore();
        await store.put('raw/present.json', 'here');
      });

      it('get throws ObjectNotFoundError naming the key and the store', async function () {
        const error = await expectRejection(store.get('raw/missing file.json'));
        expect(error).to.be.instanceOf(ObjectNotFoundError);
        expect(error.message).to.include('"raw/missing file.json"');
        expect(error.message).to.include(store.description.split(' ')[0]);
        expect((error as ObjectNotFoundError).key).to.equal('raw/missing file.json');
      });

      it('copy and move of a missing key throw ObjectNotFoundError and write nothing', async function () {
        for (const operation of [store.copy.bind(store), store.move.bind(store)]) {
          const error = await expectRejection(operation('raw/missing.json', 'processed/target.json'));
          expect(error).to.be.instanceOf(ObjectNotFoundError);
          expect(error.message).to.include('"raw/missing.json"');
        }
        expect(await store.head('processed/target.json')).to.equal(undefined);
      });

      it('head of a missing key is undefined', async function () {
        expect(await store.head('raw/missing.json')).to.equal(undefined);
      });

      it('a key that is only a prefix of other keys is not an object', async function () {
        expect(await store.head('raw')).to.equal(undefined);
        expect(await expectRejection(store.get('raw'))).to.be.instanceOf(ObjectNotFoundError);
      });

      it('deleting a missing key is not an error and leaves the other objects', async function () {
        await store.delete('raw/missing.json');
        await store.delete('nowhere/at/all.json');
        expect((await store.get('raw/present.json')).toString()).to.equal('here');
      });
    });

    describe('claims with ifNoneMatch', function () {
      let store: ObjectStore;
      beforeEach(async function () {
        store = await subject.newStore();
      });

      it('a claim on a free key stores the object', async function () {
        await store.put('_etl/claims/run-1.json', 'owner A', { ifNoneMatch: true });
        expect((await store.get('_etl/claims/run-1.json')).toString()).to.equal('owner A');
      });

      it('a second claim on the same key fails with ObjectExistsError and keeps the first owner', async function () {
        await store.put('_etl/claims/run-1.json', 'owner A', { ifNoneMatch: true });
        const error = await expectRejection(store.put('_etl/claims/run-1.json', 'owner B', { ifNoneMatch: true }));
        expect(error).to.be.instanceOf(ObjectExistsError);
        expect(error.message).to.include('"_etl/claims/run-1.json"');
        expect((await store.get('_etl/claims/run-1.json')).toString()).to.equal('owner A');
      });

      if (subject.atomicClaims) {
        it('of many concurrent claims on one key exactly one wins', async function () {
          const owners = Array.from({ length: 12 }, (_, i) => `owner ${i}`);
          const results = await Promise.allSettled(owners.map((owner) => store.put('_etl/claims/race.json', owner, { ifNoneMatch: true })));
          const winners = owners.filter((_, i) => results[i].status === 'fulfilled');
          expect(winners).to.have.length(1);
          for (const result of results) {
            if (result.status === 'rejected') expect(result.reason).to.be.instanceOf(ObjectExistsError);
          }
          expect((await store.get('_etl/claims/race.json')).toString()).to.equal(winners[0]);
        });
      } else {
        it('concurrent claims (HEAD then PUT, documented as not exclusive) each win or fail with ObjectExistsError', async function () {
          const owners = Array.from({ length: 6 }, (_, i) => `owner ${i}`);
          const results = await Promise.allSettled(owners.map((owner) => store.put('_etl/claims/race.json', owner, { ifNoneMatch: true })));
          const winners = owners.filter((_, i) => results[i].status === 'fulfilled');
          expect(winners.length).to.be.at.least(1);
          for (const result of results) {
            if (result.status === 'rejected') expect(result.reason).to.be.instanceOf(ObjectExistsError);
          }
          expect(winners).to.include((await store.get('_etl/claims/race.json')).toString());
        });
      }

      it('a plain put after a claim replaces the object (claims bind only ifNoneMatch puts)', async function () {
        await store.put('_etl/claims/run-2.json', 'owner A', { ifNoneMatch: true });
        await store.put('_etl/claims/run-2.json', 'released');
        expect((await store.get('_etl/claims/run-2.json')).toString()).to.equal('released');
      });
    });

    describe('invalid keys', function () {
      let store: ObjectStore;
      before(async function () {
        store = await subject.newStore();
      });

      const invalid = ['', '/raw/x.json', 'raw/../x.json', '..', 'raw/./x.json', 'raw//x.json', 'raw/', '.tmp/x'];
      for (const key of invalid) {
        it(`rejects ${JSON.stringify(key)} with an InvalidKeyError naming it`, async function () {
          const attempts = [
            () => store.put(key, 'x'),
            () => store.get(key),
            () => store.head(key),
            () => store.delete(key),
            () => store.copy('raw/a', key),
            () => store.move(key, 'raw/a'),
          ];
          for (const attempt of attempts) {
            const error = await expectRejection(attempt());
            expect(error).to.be.instanceOf(InvalidKeyError);
            expect(error.message).to.include(JSON.stringify(key));
          }
        });
      }

      it('rejects list prefixes that start with "/" or climb with ".."', async function () {
        for (const prefix of ['/raw/', 'raw/../']) {
          expect(await expectRejection(store.listPage(prefix))).to.be.instanceOf(InvalidKeyError);
          expect(await expectRejection(collect(store.list(prefix)))).to.be.instanceOf(InvalidKeyError);
        }
      });
    });
  });
}
