/**
 * What a run reads: every input object under raw/ (model/layout.ts), cut into batches of bounded size.
 * Each batch is one run of the commit protocol.
 */
import { PREFIXES } from '../model/layout';
import type { Lake } from '../store/lake';
import { isInputKey } from './lines';
import type { InputObject } from './protocol/run-state';

export interface InputListing {
  readonly inputs: InputObject[];
  /** Keys under raw/ the ETL does not read (other extensions), left in place. */
  readonly ignored: string[];
}

export async function listInputs(lake: Lake): Promise<InputListing> {
  const inputs: InputObject[] = [];
  const ignored: string[] = [];
  for await (const object of lake.store('raw').list(PREFIXES.raw)) {
    if (isInputKey(object.key)) inputs.push({ key: object.key, size: object.size });
    else ignored.push(object.key);
  }
  return { inputs, ignored };
}

/** Consecutive batches of at most `maxBytes` each (a larger object makes a batch of its own). */
export function planBatches(inputs: readonly InputObject[], maxBytes: number): InputObject[][] {
  const batches: InputObject[][] = [];
  let current: InputObject[] = [];
  let bytes = 0;
  for (const input of inputs) {
    if (current.length > 0 && bytes + input.size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(input);
    bytes += input.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
