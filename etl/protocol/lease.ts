/**
 * One ETL run at a time per lake: a lease in the store, so two runs started at once never process the
 * same file. Leases are numbered generations `_etl/lease/<n>.json`; taking one means creating the next
 * generation with a conditional put (ObjectStore.put ifNoneMatch), which exactly one contender wins.
 * A lease expires, so a crashed run blocks others only until then; a live run renews it as it goes and
 * checks it still holds it before it commits.
 */
import { hostname } from 'node:os';
import { PREFIXES } from '../../model/layout';
import { ObjectExistsError, type ObjectStore } from '../../store/object-store';

export const LEASE_PREFIX = `${PREFIXES.etl}lease/`;
const GENERATION_DIGITS = 12;
/** Generations older than this many behind the newest are deleted. */
export const KEEP_GENERATIONS = 4;

export interface LeaseRecord {
  readonly generation: number;
  /** Who holds it: the ETL invocation's id. */
  readonly holder: string;
  readonly host: string;
  readonly pid: number;
  readonly acquiredAt: string;
  readonly expiresAt: string;
  /** A released lease is free for the next run at once. */
  readonly released: boolean;
}

export class EtlLockedError extends Error {
  constructor(
    readonly store: string,
    readonly lease: LeaseRecord,
  ) {
    super(
      `another ETL run (${lease.holder} on ${lease.host}, pid ${lease.pid}) holds the lease ${LEASE_PREFIX} in ${store} ` +
        `since ${lease.acquiredAt}, until ${lease.expiresAt}; wait for it to finish, or if it crashed, rerun after that time ` +
        '(the rerun finishes or rolls back its unfinished work)',
    );
    this.name = 'EtlLockedError';
  }
}

export class LeaseLostError extends Error {
  constructor(store: string, holder: string, current: LeaseRecord | undefined) {
    super(
      `ETL run ${holder} no longer holds the lease in ${store}` +
        (current ? ` (generation ${current.generation} is held by ${current.holder} since ${current.acquiredAt})` : '') +
        '; it ran past its lease and stopped before committing; rerun it, with a longer lease if runs take that long',
    );
    this.name = 'LeaseLostError';
  }
}

export interface LeaseOptions {
  readonly holder: string;
  readonly ttlMs: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

function keyOf(generation: number): string {
  return `${LEASE_PREFIX}${String(generation).padStart(GENERATION_DIGITS, '0')}.json`;
}

function generationOf(key: string): number | undefined {
  const match = /(\d+)\.json$/.exec(key.slice(LEASE_PREFIX.length));
  return match ? Number(match[1]) : undefined;
}

async function newestGeneration(store: ObjectStore): Promise<{ generation: number; keys: string[] }> {
  const keys: string[] = [];
  for await (const object of store.list(LEASE_PREFIX)) keys.push(object.key);
  const generations = keys.map(generationOf).filter((generation): generation is number => generation !== undefined);
  return { generation: generations.length === 0 ? 0 : Math.max(...generations), keys };
}

async function readRecord(store: ObjectStore, generation: number): Promise<LeaseRecord | undefined> {
  if (generation === 0) return undefined;
  const body = await store.get(keyOf(generation)).catch(() => undefined);
  return body === undefined ? undefined : (JSON.parse(body.toString('utf8')) as LeaseRecord);
}

export class Lease {
  private record: LeaseRecord;

  private constructor(
    private readonly store: ObjectStore,
    private readonly options: LeaseOptions,
    record: LeaseRecord,
  ) {
    this.record = record;
  }

  get generation(): number {
    return this.record.generation;
  }

  /**
   * Takes the lease, or throws EtlLockedError naming the live holder. On S3, a write that met 409
   * ConditionalRequestConflict on every attempt (other runs writing the same generation at that moment)
   * throws the store's ConditionalWriteConflictError: nothing was taken and nobody may hold it, so it is
   * not EtlLockedError; a rerun is safe.
   */
  static async acquire(store: ObjectStore, options: LeaseOptions): Promise<Lease> {
    const { generation, keys } = await newestGeneration(store);
    const current = await readRecord(store, generation);
    if (current && !current.released && Date.parse(current.expiresAt) > options.now()) {
      throw new EtlLockedError(store.description, current);
    }
    const lease = new Lease(store, options, current ?? Lease.placeholder());
    if (!(await lease.write(generation + 1, false))) {
      // Another run created the same generation first: it holds the lease now.
      const winner = await readRecord(store, generation + 1);
      throw new EtlLockedError(store.description, winner ?? Lease.placeholder());
    }
    // Old generations only record history; a few are kept for diagnosis.
    const stale = keys.filter((key) => (generationOf(key) ?? 0) <= generation + 1 - KEEP_GENERATIONS);
    await Promise.all(stale.map((key) => store.delete(key).catch(() => undefined)));
    return lease;
  }

  private static placeholder(): LeaseRecord {
    return { generation: 0, holder: 'unknown', host: 'unknown', pid: 0, acquiredAt: '?', expiresAt: '?', released: true };
  }

  /** Creates a generation; false when it already exists (another run took it). */
  private async write(generation: number, released: boolean): Promise<boolean> {
    const now = this.options.now();
    const record: LeaseRecord = {
      generation,
      holder: this.options.holder,
      host: hostname(),
      pid: process.pid,
      acquiredAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.options.ttlMs).toISOString(),
      released,
    };
    try {
      await this.store.put(keyOf(generation), JSON.stringify(record, null, 2), { contentType: 'application/json', ifNoneMatch: true });
    } catch (error) {
      if (error instanceof ObjectExistsError) return false;
      throw error;
    }
    this.record = record;
    return true;
  }

  private async lost(): Promise<never> {
    const { generation } = await newestGeneration(this.store);
    throw new LeaseLostError(this.store.description, this.options.holder, await readRecord(this.store, generation));
  }

  /** Extends the lease once a third of it has passed; throws LeaseLostError if another run took it. */
  async renew(): Promise<void> {
    const acquired = Date.parse(this.record.acquiredAt);
    if (this.options.now() - acquired < this.options.ttlMs / 3) return;
    if (!(await this.write(this.record.generation + 1, false))) await this.lost();
  }

  /** Before a commit: the lease is still ours and not expired, else LeaseLostError. */
  async confirm(): Promise<void> {
    const { generation } = await newestGeneration(this.store);
    if (generation !== this.record.generation || Date.parse(this.record.expiresAt) <= this.options.now()) await this.lost();
    await this.renew();
  }

  /** Frees the lease for the next run; a lease already taken over is left alone. */
  async release(): Promise<void> {
    await this.write(this.record.generation + 1, true).catch(() => false);
  }
}
