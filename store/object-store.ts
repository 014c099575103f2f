/**
 * The object store the pipeline runs on: a local folder (the embedded default) or S3. Keys are
 * S3-style strings (`raw/2026/11/25/x.jsonl`), the same on both.
 */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

export interface ListPage {
  readonly objects: readonly ObjectInfo[];
  /** Pass back to get the next page; absent on the last page. */
  readonly nextToken?: string;
}

export interface ListOptions {
  /** At most this many objects per page (S3's limit is 1,000). */
  readonly pageSize?: number;
  readonly token?: string;
}

/** Objects per listed page when none is asked for: S3's own maximum. */
export const DEFAULT_PAGE_SIZE = 1000;

/** The page size `options` asks for (DEFAULT_PAGE_SIZE when none); throws RangeError unless a positive integer. */
export function pageSizeOf(options: ListOptions): number {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`list pageSize ${pageSize} is not a positive integer; pass e.g. 1000`);
  }
  return pageSize;
}

export interface PutOptions {
  readonly contentType?: string;
  /** Refuse to overwrite: throws ObjectExistsError when the key already exists (used for claims). */
  readonly ifNoneMatch?: boolean;
}

export interface ObjectStore {
  /** A human-readable location, e.g. `file:///work/.lake` or `s3://bucket`. */
  readonly description: string;
  /** One page of keys under a prefix, in ascending key order. */
  listPage(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Every key under a prefix, page by page, in ascending key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Throws ObjectNotFoundError for a missing key. */
  get(key: string): Promise<Buffer>;
  put(key: string, body: Buffer | string, options?: PutOptions): Promise<void>;
  /** Metadata, or undefined for a missing key. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Throws ObjectNotFoundError when the source is missing. */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Copy then delete; throws ObjectNotFoundError when the source is missing. */
  move(fromKey: string, toKey: string): Promise<void>;
  /** Deleting a missing key is not an error (as on S3). */
  delete(key: string): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly store: string,
    readonly key: string,
  ) {
    super(`object "${key}" does not exist in ${store}; check the key and that the store is the one you meant`);
    this.name = 'ObjectNotFoundError';
  }
}

export class ObjectExistsError extends Error {
  constructor(
    readonly store: string,
    readonly key: string,
  ) {
    super(`object "${key}" already exists in ${store}`);
    this.name = 'ObjectExistsError';
  }
}

/**
 * A claim (`ifNoneMatch` put) that S3 answered with 409 ConditionalRequestConflict on every attempt:
 * other writes to the same key kept overlapping it. Nothing was written, and the key may still be free.
 */
export class ConditionalWriteConflictError extends Error {
  constructor(
    /** The object, e.g. `s3://bucket/_etl/lease/000000000001.json`. */
    readonly object: string,
    readonly attempts: number,
    /** The last answer, as the SDK raised it. */
    cause: unknown,
  ) {
    super(
      `${object}: S3 answered 409 ConditionalRequestConflict to ${attempts} conditional writes in a row ` +
        '(other writers kept writing that key at the same moment); nothing was written by this attempt; ' +
        'run the command again, and if it happens again, look for another process writing to that key',
      { cause },
    );
    this.name = 'ConditionalWriteConflictError';
  }
}

/** A key (or list prefix) that no store accepts; see store/keys.ts for the rules. */
export class InvalidKeyError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${problem}; ${fix}`);
    this.name = 'InvalidKeyError';
  }
}
