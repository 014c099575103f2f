import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOCATIONS_KEY } from '../../model/layout';
import { EVENTS, REJECTED_EVENTS } from '../../model/tables';
import type { FsObjectStore } from '../../store/fs-store';
import type { ObjectStore } from '../../store/object-store';

export const DATES = ['2026-03-01', '2026-03-02', '2026-03-03'];

/** A tiny lake written by hand: two events a day in three partitions, a rejected line, a raw line, locations. */
export async function writeLake(dir: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [index, date] of DATES.entries()) {
      const folder = join(dir, `${EVENTS.prefix}event_date=${date}`);
      await mkdir(folder, { recursive: true });
      // Columns in the ETL's spirit but in another order and with narrower types: the views cast.
      await connection.run(
        `copy (select * from (values ('e${index}a', 'u1', 'purchase', 'Europe', 12.5, 2), ('e${index}b', 'u2', 'page_view', 'Asia', null, null))
           as t(event_id, user_id, event_type, continent, price, quantity))
         to '${join(folder, 'part-0.parquet')}' (format parquet)`,
      );
    }
    await mkdir(join(dir, REJECTED_EVENTS.prefix), { recursive: true });
    await connection.run(
      `copy (select '{oops' as raw_line, 'raw/a.jsonl' as source_key, 3 as line_number, 'malformed_json' as reason_code)
       to '${join(dir, REJECTED_EVENTS.prefix, 'run-1.parquet')}' (format parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await mkdir(join(dir, 'raw/2026/03/01'), { recursive: true });
  await writeFile(join(dir, 'raw/2026/03/01/a.jsonl'), '{"event_type":"click","user_id":"u9","location":"17","user_age":30,"timestamp":1772323200}\nnot json\n');
  await mkdir(join(dir, LOCATIONS_KEY, '..'), { recursive: true });
  await writeFile(join(dir, LOCATIONS_KEY), 'location_id,country_name,continent,iso_alpha2,iso_alpha3,iso_numeric\n1,Angola,Africa,AO,AGO,024\n2,"Korea, Republic of",Asia,KR,KOR,410\n');
}

/** A store DuckDB cannot read in place (as S3 is): same objects, but not a folder store. */
export function remoteLike(store: FsObjectStore): ObjectStore {
  return {
    description: 'remote://test',
    listPage: (prefix, options) => store.listPage(prefix, options),
    list: (prefix) => store.list(prefix),
    get: (key) => store.get(key),
    put: (key, body, options) => store.put(key, body, options),
    head: (key) => store.head(key),
    copy: (from, to) => store.copy(from, to),
    move: (from, to) => store.move(from, to),
    delete: (key) => store.delete(key),
  };
}

