/**
 * The dashboard's datasets on Trino, Athena's engine: each dataset's custom SQL exactly as QuickSight
 * sends it to Athena (the named query's text with `<<$param>>` replaced by the values as SQL literals,
 * dates as QuickSight DateTimes), run on a lake opened on Trino (twin/athena.ts). What the AWS
 * pipeline on one machine serves, so the page shows what QuickSight's queries return.
 */
import { runTrinoSql } from '../queries/trino-runner';
import type { Lake } from '../store/lake';
import type { TrinoTarget } from '../twin/trino/lake';
import type { OpenDatasetEngine } from './dataset-engine';
import { eventDatesIn } from './event-dates';
import { quickSightQueryText } from './quicksight/datasets';

/** Trino over `target` (the lake's Glue tables); `lake` is listed for the range of event dates. */
export function trinoDatasets(target: TrinoTarget, lake: Lake): OpenDatasetEngine {
  return () =>
    Promise.resolve({
      run: async (query, parameters, signal) => (await runTrinoSql(target, quickSightQueryText(query, parameters), signal)).result,
      eventDates: () => eventDatesIn(lake),
      // The Trino catalog belongs to whoever opened the lake on Trino.
      close: () => Promise.resolve(),
    });
}
