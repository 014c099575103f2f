import { expect } from 'chai';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSparkEtl } from '../../etl/spark-engine';
import { runGenerator } from '../../generator/run';
import { loadCatalogue } from '../../queries/catalogue';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { runLocalNamedQuery } from '../../queries/local-runner';
import { runTrinoNamedQuery } from '../../queries/trino-runner';
import { localLake } from '../../store/lake';
import { motoEndpoint } from '../../twin/aws-endpoint';
import { runTrinoStatement } from '../../twin/trino/client';
import { openTrinoLake, type TrinoLake } from '../../twin/trino/lake';
import { freshName, sharedMoto, sharedSpark, sharedTrino } from '../twin';
import { APOSTROPHE_COUNTRY, comparable, putApostropheCountryEvents, scenariosFor } from './trino-scenarios';

/** Three days of a small shop from 5 January 2026, with a few faults; the apostrophe country's events on the 6th. */
const START = Date.UTC(2026, 0, 5) / 1000;
const DAY = '2026-01-06';

/**
 * Parquet timestamps as the Glue job writes them (INT64 microseconds), and as INT96, which Spark
 * writes by default: Trino and DuckDB must read both alike. Setting `outputTimestampType=INT96` alone
 * leaves the job's lake INT64: its timestamps are TIMESTAMP_NTZ (etl/dialect.ts), which Spark 3.5
 * always writes as INT64. Spark writes INT96 for its default TIMESTAMP type, so the INT96 lake is the
 * job run with that setting and its transform SQL using TIMESTAMP (both test-only runner options).
 */
const VARIANTS = [
  { title: 'INT64 timestamps (what the Glue job writes)', physicalType: 'INT64', options: {} },
  {
    title: "INT96 timestamps (Spark's default)",
    physicalType: 'INT96',
    options: {
      sparkConf: { 'spark.sql.parquet.outputTimestampType': 'INT96' },
      rewriteSql: (sql: string) => sql.replace(/\bTIMESTAMP_NTZ\b/g, 'TIMESTAMP'),
    },
  },
] as const;

interface SparkLake {
  readonly dir: string;
  readonly duckdb: LocalCatalog;
  readonly trino: TrinoLake;
}

describe('named queries on Trino return what DuckDB returns over a lake the Glue job wrote on Spark', function () {
  // One Spark job per variant on the run's shared Spark, Trino shared too; cold starts are slow here.
  this.timeout(1_800_000);
  const catalogue = loadCatalogue();
  const lakes = new Map<string, SparkLake>();
  const dirs: string[] = [];

  before(async () => {
    const [moto, trino, spark] = await Promise.all([sharedMoto(), sharedTrino(), sharedSpark()]);
    const rawDir = await mkdtemp(join(tmpdir(), 'trino-spark-raw-'));
    dirs.push(rawDir);
    const raw = localLake(rawDir);
    await runGenerator(raw.store('raw'), {
      seed: 'trino-spark',
      start: START,
      durationHours: 72,
      events: 3000,
      users: 300,
      eventsPerFile: 1000,
      gzip: true,
      faults: { malformed_json: 0.005, unknown_location: 0.005, duplicate_event_id: 0.01 },
    });
    // Writes the reference data too (with the apostrophe country's name).
    await putApostropheCountryEvents(raw, DAY);
    // One job after the other: two at once outgrow the shared Spark's 1 GB heap.
    for (const variant of VARIANTS) {
      const dir = await mkdtemp(join(tmpdir(), 'trino-spark-lake-'));
      dirs.push(dir);
      await cp(rawDir, dir, { recursive: true });
      const lake = localLake(dir);
      await runSparkEtl(lake, spark, variant.options);
      const duckdb = await openLocalCatalog(lake);
      const onTrino = await openTrinoLake(lake, {
        trinoUrl: trino.url,
        glue: motoEndpoint(moto),
        database: freshName('spark_lake'),
        catalog: freshName('spark_lake'),
      });
      lakes.set(variant.title, { dir, duckdb, trino: onTrino });
    }
  });

  after(async () => {
    for (const lake of lakes.values()) {
      await lake.trino.close();
      await lake.duckdb.close();
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  for (const variant of VARIANTS) {
    const lakeOf = () => lakes.get(variant.title) as SparkLake;

    it(`${variant.title}: the lake holds click_date as ${variant.physicalType}, and events in ${APOSTROPHE_COUNTRY} on ${DAY}`, async () => {
      const { duckdb, dir } = lakeOf();
      const types = (
        await duckdb.connection.runAndReadAll(
          `select distinct type from parquet_schema('${join(dir, 'results', 'events')}/**/*.parquet') where name = 'click_date'`,
        )
      ).getRows();
      expect(types.map((row) => String(row[0]))).to.deep.equal([variant.physicalType]);
      const rows = (
        await duckdb.connection.runAndReadAll(
          `select count(*) filter (where country_name = '${APOSTROPHE_COUNTRY.replace(/'/g, "''")}' and event_date = date '${DAY}') from events`,
        )
      ).getRows();
      expect(Number(rows[0][0])).to.be.greaterThan(0);
    });

    it(`${variant.title}: click_date reads as the event's own second on Trino and on DuckDB (no shift by a time zone)`, async () => {
      const { duckdb, trino } = lakeOf();
      // Both engines know date_diff('second', ...) and hour(): each counts the events whose click_date
      // disagrees with epoch_seconds, event_hour or event_date, which the ETL derived from the same instant.
      const sql =
        "select count(*), count(case when date_diff('second', timestamp '1970-01-01 00:00:00', click_date) <> epoch_seconds " +
        'or hour(click_date) <> event_hour or cast(click_date as date) <> event_date then 1 end) from events';
      const onTrino = await runTrinoStatement(trino.url, sql, { catalog: trino.catalog, schema: trino.schema });
      const onDuckdb = (await duckdb.connection.runAndReadAll(sql)).getRows().map((row) => row.map(Number));
      expect(onDuckdb[0][0], 'events').to.be.greaterThan(0);
      expect(onTrino.rows, 'Trino').to.deep.equal([[onDuckdb[0][0], 0]]);
      expect(onDuckdb, 'DuckDB').to.deep.equal([[onDuckdb[0][0], 0]]);
    });

    for (const query of catalogue) {
      for (const scenario of scenariosFor(query)) {
        it(`${variant.title}: ${query.name} ${scenario.title}, same columns and rows on Trino as on DuckDB`, async () => {
          const { duckdb, trino } = lakeOf();
          const params = scenario.params(query, DAY);
          const onTrino = await runTrinoNamedQuery(trino, query, params);
          const onDuckdb = await runLocalNamedQuery(duckdb, query, params);
          expect(onDuckdb.rows.length, 'rows on DuckDB').to.be.greaterThan(0);
          expect(comparable(onTrino.result)).to.deep.equal(comparable(onDuckdb));
        });
      }
    }
  }
});
