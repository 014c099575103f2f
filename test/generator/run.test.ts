import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EVENT_TYPES, type ClickstreamEvent } from '../../model/events';
import { FsObjectStore } from '../../store/fs-store';
import type { ObjectStore, PutOptions } from '../../store/object-store';
import { S3ObjectStore } from '../../store/s3-store';
import { FAULT_KINDS } from '../../generator/faults';
import { runGenerator, type Clock, type GenerateOptions, type ObjectSink } from '../../generator/run';
import { simulate } from '../../generator/simulate';
import type { RunningMoto } from '../../twin/moto-server';
import { freshBucket, sharedMoto } from '../twin';

const START = Date.UTC(2026, 10, 2) / 1000;
const BASE: GenerateOptions = { seed: 11, start: START, events: 6_000, users: 1_000, eventsPerFile: 1_000 };

/** Every object under raw/, in key order, as text (gunzipped where the key says .gz). */
async function readRaw(store: ObjectStore): Promise<{ key: string; text: string }[]> {
  const files: { key: string; text: string }[] = [];
  for await (const info of store.list('raw/')) {
    const body = await store.get(info.key);
    files.push({ key: info.key, text: (info.key.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8') });
  }
  return files;
}

function linesOf(files: readonly { text: string }[]): string[] {
  return files.flatMap((file) => file.text.split('\n').filter((line) => line !== ''));
}

/** A clock that advances only when slept on: real-time runs finish at once, deterministically. */
function virtualClock(startMs: number): Clock & { slept: number } {
  let now = startMs;
  return {
    slept: 0,
    now: () => now,
    async sleep(ms) {
      now += Math.max(0, ms);
      this.slept += 1;
    },
  };
}

describe('runGenerator', function () {
  let dir: string;
  let store: FsObjectStore;
  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), 'generator-run-'));
    store = new FsObjectStore(dir);
  });
  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the simulated stream, in order, as JSON-lines files under raw/<yyyy>/<mm>/<dd>/<hh>/', async function () {
    const summary = await runGenerator(store, BASE);
    const files = await readRaw(store);
    const expected = [...simulate({ seed: 11, start: START, events: 6_000, users: 1_000 })].map((record) => record.line);
    expect(linesOf(files)).to.deep.equal(expected);
    expect(files.map((file) => file.key)).to.deep.equal(summary.keys);
    for (const file of files) {
      expect(file.key).to.match(/^raw\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{10}-g[0-9a-f]{10}-\d{6}\.jsonl$/);
      const times = file.text.trim().split('\n').map((line) => (JSON.parse(line) as ClickstreamEvent).timestamp);
      expect(times.length).to.be.at.most(1_000);
      const hours = new Set(times.map((time) => new Date(time * 1000).toISOString().slice(0, 13).replace(/[-T]/g, '/')));
      expect([...hours], file.key).to.deep.equal([file.key.slice('raw/'.length, 'raw/yyyy/mm/dd/hh'.length)]);
      expect(Number(file.key.split('/')[5].slice(0, 10))).to.equal(times[0]);
    }
  });

  it('summarises what it wrote: events by type, files, bytes, time range', async function () {
    const summary = await runGenerator(store, BASE);
    const events = linesOf(await readRaw(store)).map((line) => JSON.parse(line) as ClickstreamEvent);
    const byType = Object.fromEntries(EVENT_TYPES.map((type) => [type, events.filter((event) => event.event_type === type).length]));
    expect(summary.eventsByType).to.deep.equal(byType);
    expect(summary.events).to.equal(6_000);
    expect(summary.files).to.equal(summary.keys.length);
    let bytes = 0;
    for (const key of summary.keys) bytes += (await store.head(key))?.size ?? 0;
    expect(summary.bytes).to.equal(bytes);
    expect(summary.firstTimestamp).to.equal(events[0].timestamp);
    expect(summary.lastTimestamp).to.equal(events[events.length - 1].timestamp);
    expect(summary.lostEvents).to.equal(0);
    expect(summary.faults).to.deep.equal(Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])));
  });

  it('writes byte-identical files for the same seed, and gzip that unpacks to the same lines', async function () {
    const other = new FsObjectStore(path.join(dir, 'again'));
    await runGenerator(store, BASE);
    await runGenerator(other, BASE);
    const first = await readRaw(store);
    expect(await readRaw(other)).to.deep.equal(first);

    const zipped = new FsObjectStore(path.join(dir, 'zipped'));
    const summary = await runGenerator(zipped, { ...BASE, gzip: true });
    const files = await readRaw(zipped);
    expect(files.every((file) => file.key.endsWith('.jsonl.gz'))).to.equal(true);
    expect(linesOf(files)).to.deep.equal(linesOf(first));
    expect(summary.bytes).to.be.below(summary.uncompressedBytes / 4);
  });

  it('counts injected faults exactly, by kind, as they are in the files', async function () {
    const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.01]));
    const summary = await runGenerator(store, { ...BASE, faults });
    const expected = [...simulate({ seed: 11, start: START, events: 6_000, users: 1_000, faults })];
    expect(linesOf(await readRaw(store))).to.deep.equal(expected.map((record) => record.line));
    for (const kind of FAULT_KINDS) {
      expect(summary.faults[kind], kind).to.equal(expected.filter((record) => record.fault === kind).length);
      expect(summary.faults[kind], kind).to.be.above(0);
    }
    const valid = Object.values(summary.eventsByType).reduce((sum, count) => sum + count, 0);
    const injected = Object.values(summary.faults).reduce((sum, count) => sum + count, 0);
    expect(valid + injected).to.equal(summary.events);
  });

  it('lets two writers with their own ids share a store without a key in common', async function () {
    const first = await runGenerator(store, { ...BASE, writerId: 'host-a' });
    const second = await runGenerator(store, { ...BASE, writerId: 'host-b' });
    expect(first.keys.filter((key) => second.keys.includes(key))).to.deep.equal([]);
    expect(linesOf(await readRaw(store))).to.have.length(12_000);
  });

  it('retries a failed put with backoff, and reports a file lost only when every try failed', async function () {
    const attempts = new Map<string, number>();
    const flaky: ObjectSink = {
      description: 'flaky',
      async put(key: string, body: Buffer | string, options?: PutOptions) {
        const tries = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, tries);
        if (tries < 3) throw new Error('503 Slow Down');
        if (key.endsWith('-000002.jsonl')) throw new Error('403 Access Denied');
        await store.put(key, body, options);
      },
    };
    const clock = virtualClock(Date.UTC(2026, 10, 25));
    const retry = { attempts: 4, firstDelayMs: 100, maxDelayMs: 1_000 };
    const summary = await runGenerator(flaky, { ...BASE, retry, clock });
    expect(summary.lostFiles).to.have.length(1);
    expect(summary.lostFiles[0].key).to.match(/-000002\.jsonl$/);
    expect(summary.lostFiles[0].error).to.include('4 tries').and.include('403 Access Denied');
    expect(summary.events + summary.lostEvents).to.equal(6_000);
    expect(linesOf(await readRaw(store))).to.have.length(summary.events);
    expect([...attempts.values()].every((tries) => tries === 3 || tries === 4)).to.equal(true);
  });

  it('rejects options that cannot run, naming the option and what is allowed', async function () {
    const attempt = (options: Partial<GenerateOptions>): Promise<Error> =>
      runGenerator(store, { ...BASE, ...options }).then(
        () => new Error('resolved'),
        (error: Error) => error,
      );
    expect((await attempt({ events: 0 })).message).to.match(/events is 0; give a whole number greater than 0/);
    expect((await attempt({ events: undefined })).message).to.match(/needs an end: give events or durationHours/);
    expect((await attempt({ writerId: 'Bad Id' })).message).to.match(/writer id "Bad Id".*lower-case letters/);
    expect((await attempt({ faults: { malformed_json: 2 } })).message).to.match(/malformed_json=2/);
  });

  describe('in real time (EC2 mode)', function () {
    it('stamps events with the wall clock, writes a file at least every flushSeconds, and stops after the duration', async function () {
      const startMs = Date.UTC(2026, 10, 25, 10, 0, 0);
      const clock = virtualClock(startMs);
      const summary = await runGenerator(store, { seed: 5, rate: 20, durationHours: 0.1, flushSeconds: 60, clock });
      const files = await readRaw(store);
      const times = linesOf(files).map((line) => (JSON.parse(line) as ClickstreamEvent).timestamp);
      expect(times[0]).to.be.at.least(startMs / 1000);
      expect(times[times.length - 1]).to.be.below(startMs / 1000 + 360);
      expect(times.length).to.be.within(20 * 360 * 0.5, 20 * 360 * 1.5);
      expect(files.length).to.be.within(6, 8);
      expect(summary.events).to.equal(times.length);
    });

    it('stops when its signal aborts, writing what it generated', async function () {
      const clock = virtualClock(Date.UTC(2026, 10, 25, 10, 0, 0));
      const stopped = await runGenerator(store, { seed: 5, rate: 20, clock, signal: AbortSignal.abort() });
      expect(stopped.events).to.equal(0);

      const live = new AbortController();
      const result = await runGenerator(store, { seed: 6, rate: 20, clock, signal: live.signal }, (progress) => {
        if (progress.events >= 500) live.abort();
      });
      expect(result.events).to.equal(500);
      expect(result.lostEvents).to.equal(0);
    });
  });

  describe('to S3 (moto server on loopback)', function () {
    let server: RunningMoto;
    let bucket: string;
    before(async function () {
      server = await sharedMoto();
      bucket = await freshBucket('raw-bucket');
    });

    it('puts gzipped files that land under raw/ and parse back to the simulated events', async function () {
      const s3 = new S3ObjectStore({ ...server.clientOptions, bucket, client: server.client });
      const summary = await runGenerator(s3, { ...BASE, gzip: true });
      const files = await readRaw(s3);
      expect(files.map((file) => file.key)).to.deep.equal(summary.keys);
      const expected = [...simulate({ seed: 11, start: START, events: 6_000, users: 1_000 })].map((record) => record.line);
      expect(linesOf(files)).to.deep.equal(expected);
      expect(summary.store).to.include(bucket);
    });
  });
});
