/**
 * The visits in progress, ordered by their next event: the simulation emits the earliest event of
 * all visits next, so the merged stream is in time order. A binary heap, hand-written because its
 * two operations run for every event and the entries' order key is kept on them (`nextAt`).
 */
import type { SessionJson } from './event-line';
import type { Step } from './journey';

export interface ActiveSession {
  readonly order: number;
  readonly steps: readonly Step[];
  readonly json: SessionJson;
  next: number;
  /** steps[next].at, kept at hand: the heap compares it at every level. */
  nextAt: number;
  referrerJson: Buffer;
}

/** Orders visits by their next event's time, then by when they started: a total, deterministic order. */
function before(a: ActiveSession, b: ActiveSession): boolean {
  return a.nextAt < b.nextAt || (a.nextAt === b.nextAt && a.order < b.order);
}

export class SessionHeap {
  private readonly items: ActiveSession[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): ActiveSession | undefined {
    return this.items[0];
  }

  push(session: ActiveSession): void {
    const items = this.items;
    let index = items.push(session) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }

  /** Moves the top visit to its next event and restores order; removes it when it has none left. */
  advanceTop(): void {
    const items = this.items;
    const top = items[0];
    top.next++;
    if (top.next < top.steps.length) {
      top.nextAt = top.steps[top.next].at;
    } else {
      const last = items.pop() as ActiveSession;
      if (items.length === 0) return;
      items[0] = last;
    }
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && before(items[left], items[smallest])) smallest = left;
      if (right < items.length && before(items[right], items[smallest])) smallest = right;
      if (smallest === index) return;
      [items[index], items[smallest]] = [items[smallest], items[index]];
      index = smallest;
    }
  }
}
