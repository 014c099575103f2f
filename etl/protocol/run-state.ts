/**
 * The commit protocol's records, under `_etl/` (model/layout.ts PREFIXES.etl):
 *
 *   _etl/open/<run>/manifest.json  written first: the input keys the run reads (nothing else is written before)
 *   _etl/open/<run>/outputs.json   the output keys it is about to write (before the first one)
 *   _etl/open/<run>/commit.json    the commit point: outputs written, counts; from here the run counts
 *   _etl/runs/<run>.json           the final record, once the inputs are in processed/; open/<run>/ goes
 *
 * A run that stopped early leaves `_etl/open/<run>/`. The next run finishes it first: with a commit
 * record it is rolled forward (remaining inputs moved), without one rolled back (outputs deleted,
 * inputs left in raw/ to be read again).
 */
import { PREFIXES, processedKeyFor, type Area } from '../../model/layout';
import type { Lake } from '../../store/lake';
import { transferObject } from '../../store/lake';
import { ObjectNotFoundError, type ObjectStore } from '../../store/object-store';
import { mapLimit } from './concurrency';

export const OPEN_PREFIX = `${PREFIXES.etl}open/`;
export const RUNS_PREFIX = `${PREFIXES.etl}runs/`;

export interface InputObject {
  readonly key: string;
  readonly size: number;
}

export interface Manifest {
  readonly runId: string;
  readonly startedAt: string;
  readonly engine: string;
  readonly format: string;
  readonly window: { readonly earliest: number; readonly latest: number };
  readonly inputs: readonly InputObject[];
}

/** Where an output lives: the lake area (and so the bucket on AWS) and its key. */
export interface OutputObject {
  readonly area: Area;
  readonly key: string;
}

export interface RunCounts {
  /** Inputs read, and inputs that could not be read (each quarantined whole as one rejected record). */
  readonly filesRead?: number;
  readonly filesUnreadable?: number;
  /** Non-blank lines of the inputs read; lines read + unreadable files = loaded + rejected + duplicates. */
  readonly linesRead: number;
  readonly loaded: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly duplicates: Readonly<Record<string, number>>;
}

export interface CommitRecord {
  readonly runId: string;
  readonly committedAt: string;
  readonly outputs: readonly OutputObject[];
  readonly counts: RunCounts;
}

export interface FinalRecord {
  readonly runId: string;
  readonly status: 'committed' | 'rolled_back';
  readonly finishedAt: string;
  readonly inputs: number;
  /** Set when another run finished this one after it stopped early. */
  readonly recoveredBy?: string;
  readonly counts?: RunCounts;
  readonly outputs?: readonly OutputObject[];
}

export const openKey = (runId: string, name: 'manifest' | 'outputs' | 'commit'): string => `${OPEN_PREFIX}${runId}/${name}.json`;
export const finalKey = (runId: string): string => `${RUNS_PREFIX}${runId}.json`;

async function writeJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, `${JSON.stringify(value, null, 2)}\n`, { contentType: 'application/json' });
}

async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  if ((await store.head(key)) === undefined) return undefined;
  return JSON.parse((await store.get(key)).toString('utf8')) as T;
}

export class RunState {
  constructor(private readonly lake: Lake) {}

  private get store(): ObjectStore {
    return this.lake.store('etl');
  }

  writeManifest(manifest: Manifest): Promise<void> {
    return writeJson(this.store, openKey(manifest.runId, 'manifest'), manifest);
  }

  writeOutputs(runId: string, outputs: readonly OutputObject[]): Promise<void> {
    return writeJson(this.store, openKey(runId, 'outputs'), { runId, outputs });
  }

  writeCommit(commit: CommitRecord): Promise<void> {
    return writeJson(this.store, openKey(commit.runId, 'commit'), commit);
  }

  /** Writes the final record, then forgets the open run. */
  async finish(record: FinalRecord): Promise<void> {
    await writeJson(this.store, finalKey(record.runId), record);
    for (const name of ['outputs', 'commit', 'manifest'] as const) await this.store.delete(openKey(record.runId, name));
  }

  /** Run ids with open state, oldest first. */
  async openRuns(): Promise<string[]> {
    const runs = new Set<string>();
    for await (const object of this.store.list(OPEN_PREFIX)) runs.add(object.key.slice(OPEN_PREFIX.length).split('/')[0]);
    return [...runs].sort();
  }

  readManifest(runId: string): Promise<Manifest | undefined> {
    return readJson<Manifest>(this.store, openKey(runId, 'manifest'));
  }

  readCommit(runId: string): Promise<CommitRecord | undefined> {
    return readJson<CommitRecord>(this.store, openKey(runId, 'commit'));
  }

  async readOutputs(runId: string): Promise<readonly OutputObject[]> {
    return (await readJson<{ outputs: OutputObject[] }>(this.store, openKey(runId, 'outputs')))?.outputs ?? [];
  }

  readFinal(runId: string): Promise<FinalRecord | undefined> {
    return readJson<FinalRecord>(this.store, finalKey(runId));
  }
}

export interface MoveOptions {
  readonly concurrency: number;
  /** Called after each input is moved (the protocol's crash point sits here). */
  readonly onMoved?: (key: string, moved: number) => void;
}

/**
 * Moves inputs raw → processed. An input already gone from raw/ was moved by an earlier attempt;
 * returns how many this call moved.
 */
export async function moveInputs(lake: Lake, inputs: readonly InputObject[], options: MoveOptions): Promise<number> {
  const raw = lake.store('raw');
  const processed = lake.store('processed');
  let moved = 0;
  await mapLimit(inputs, options.concurrency, async (input) => {
    try {
      await transferObject(raw, input.key, processed, processedKeyFor(input.key));
    } catch (error) {
      if (error instanceof ObjectNotFoundError && error.key === input.key) return;
      throw error;
    }
    moved++;
    options.onMoved?.(input.key, moved);
  });
  return moved;
}

export type Recovery = { readonly runId: string; readonly action: 'rolled_forward' | 'rolled_back'; readonly inputsMoved: number; readonly outputsDeleted: number };

/** Finishes or rolls back every run that stopped early; `recoveredBy` is the current run's id. */
export async function recoverOpenRuns(lake: Lake, state: RunState, recoveredBy: string, now: () => Date, concurrency: number): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  for (const runId of await state.openRuns()) {
    const manifest = await state.readManifest(runId);
    const commit = await state.readCommit(runId);
    const earlierFinal = await state.readFinal(runId);
    if (earlierFinal) {
      // Stopped while cleaning up: the final record stands.
      await state.finish(earlierFinal);
      continue;
    }
    const inputs = manifest?.inputs ?? [];
    if (commit) {
      const inputsMoved = await moveInputs(lake, inputs, { concurrency });
      await state.finish({
        runId,
        status: 'committed',
        finishedAt: now().toISOString(),
        inputs: inputs.length,
        recoveredBy,
        counts: commit.counts,
        outputs: commit.outputs,
      });
      recoveries.push({ runId, action: 'rolled_forward', inputsMoved, outputsDeleted: 0 });
    } else {
      const outputs = await state.readOutputs(runId);
      await mapLimit(outputs, concurrency, (output) => lake.store(output.area).delete(output.key));
      await state.finish({ runId, status: 'rolled_back', finishedAt: now().toISOString(), inputs: inputs.length, recoveredBy });
      recoveries.push({ runId, action: 'rolled_back', inputsMoved: 0, outputsDeleted: outputs.length });
    }
  }
  return recoveries;
}
