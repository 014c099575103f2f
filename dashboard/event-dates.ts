/**
 * The first and last event dates the lake holds, read from the events table's partition folders
 * (`results/events/event_date=2026-01-05/...`) without running a query: what the page shows as the
 * range when no date is chosen, and, when there is none, that the lake holds no events yet.
 */
import { EVENTS, partitionFolder } from '../model/tables';
import type { Lake } from '../store/lake';

export interface EventDates {
  readonly first: string;
  readonly last: string;
}

const FOLDER_PREFIX = partitionFolder(EVENTS, '');

/** Null when the lake has no events file. Keys are listed in order, so dates come oldest first. */
export async function eventDatesIn(lake: Lake): Promise<EventDates | null> {
  let first: string | undefined;
  let last: string | undefined;
  for await (const object of lake.store(EVENTS.area).list(EVENTS.prefix)) {
    const [folder, file] = object.key.slice(EVENTS.prefix.length).split('/');
    if (!folder.startsWith(FOLDER_PREFIX) || file === undefined || !file.endsWith('.parquet')) continue;
    const date = folder.slice(FOLDER_PREFIX.length);
    first ??= date;
    last = date;
  }
  return first === undefined || last === undefined ? null : { first, last };
}
