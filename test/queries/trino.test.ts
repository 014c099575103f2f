import { expect } from 'chai';
import { PREFIXES, AREAS } from '../../model/layout';
import { CreateDatabaseCommand, CreateTableCommand } from '@aws-sdk/client-glue';
import { glueTableInput, renderGlueTable, retentionRange } from '../../components/catalog/glue-table';
import { EVENTS, TABLES } from '../../model/tables';
import { glueClient, lakeTableLocation } from '../../twin/glue-catalog';
import { runEtl } from '../../etl/run';
import { DASHBOARD } from '../../dashboard/definition';
import { quickSightDateTime, quickSightQueryText } from '../../dashboard/quicksight/datasets';
import { findQuery, loadCatalogue } from '../../queries/catalogue';
import { bindParameters } from '../../queries/parameters';
import { openLocalCatalog, type LocalCatalog } from '../../queries/local-catalog';
import { runLocalNamedQuery, runLocalQuery } from '../../queries/local-runner';
import { openTrinoLake, type TrinoLake } from '../../twin/trino/lake';
import { runTrinoNamedQuery } from '../../queries/trino-runner';
import { s3Lake, type Lake } from '../../store/lake';
import { motoEndpoint } from '../../twin/aws-endpoint';
import { runTrinoStatement } from '../../twin/trino/client';
import { buildDataset, type Dataset } from './dataset';
import { freshLakeBuckets, freshName, sharedMoto, sharedTrino } from '../twin';
import { APOSTROPHE_COUNTRY, comparable, only, putApostropheCountryEvents, scenariosFor } from './trino-scenarios';

/** The apostrophe country's events, loaded by a second ETL run. */
async function addApostropheCountry(lake: Lake, day: string): Promise<void> {
  await putApostropheCountryEvents(lake, day);
  await runEtl(lake, { log: () => undefined });
}

/** Every object of a folder lake, copied to an S3 lake (same keys, each area in its bucket). */
async function copyLake(from: Lake, to: Lake): Promise<void> {
  for (const area of AREAS) {
    for await (const object of from.store(area).list(PREFIXES[area])) {
      await to.store(area).put(object.key, await from.store(area).get(object.key));
    }
  }
}

describe('named queries on Trino (the twin of Athena) return what DuckDB returns over the same lake', function () {
  // Trino starts once per test run (a cold start takes 20-60 s on a busy 2-core machine).
  this.timeout(600_000);
  const catalogue = loadCatalogue();
  let dataset: Dataset;
  let duckdb: LocalCatalog;
  let folderLake: TrinoLake;
  let s3LakeOnTrino: TrinoLake;
  let day: string;
  let firstDay: string;
  let lastDay: string;

  before(async () => {
    const [moto, trino] = await Promise.all([sharedMoto(), sharedTrino()]);
    dataset = await buildDataset();
    duckdb = await openLocalCatalog(dataset.lake);
    const days = (await duckdb.connection.runAndReadAll('select distinct cast(event_date as varchar) from events order by 1')).getRows();
    day = String(days[Math.floor(days.length / 2)][0]);
    [firstDay, lastDay] = [String(days[0][0]), String(days[days.length - 1][0])];
    await addApostropheCountry(dataset.lake, day);
    await duckdb.close();
    duckdb = await openLocalCatalog(dataset.lake);

    folderLake = await openTrinoLake(dataset.lake, {
      trinoUrl: trino.url,
      glue: motoEndpoint(moto),
      database: freshName('queries_folder'),
      catalog: freshName('folder_lake'),
    });
    const onS3 = s3Lake({ ...moto.clientOptions, buckets: await freshLakeBuckets('trino-queries') });
    await copyLake(dataset.lake, onS3);
    s3LakeOnTrino = await openTrinoLake(onS3, {
      trinoUrl: trino.url,
      glue: motoEndpoint(moto),
      s3: motoEndpoint(moto),
      database: freshName('queries_s3'),
      catalog: freshName('s3_lake'),
    });
  });

  after(async () => {
    await folderLake?.close();
    await s3LakeOnTrino?.close();
    await duckdb?.close();
    await dataset?.remove();
  });

  it(`has events in ${APOSTROPHE_COUNTRY}, in Africa and on the chosen day`, async () => {
    const rows = (
      await duckdb.connection.runAndReadAll(
        `select count(*) filter (where country_name = '${APOSTROPHE_COUNTRY.replace(/'/g, "''")}'), count(*) filter (where continent = 'Africa'), ` +
          `count(*) filter (where event_date = cast('${day}' as date)) from events`,
      )
    ).getRows();
    expect(rows[0].map(Number).every((count) => count > 0), rows[0].join(', ')).to.equal(true);
  });

  for (const query of catalogue) {
    for (const scenario of scenariosFor(query)) {
      it(`${query.name} ${scenario.title}: same columns and rows on Trino (folder lake) as on DuckDB`, async () => {
        const params = scenario.params(query, day);
        const onTrino = await runTrinoNamedQuery(folderLake, query, params);
        const onDuckdb = await runLocalNamedQuery(duckdb, query, params);
        expect(comparable(onTrino.result)).to.deep.equal(comparable(onDuckdb));
      });
    }
    it(`${query.name} over the lake's days: same rows on Trino over the S3 lake (moto) as DuckDB over the folder`, async () => {
      const params = only(query, { start_date: firstDay, end_date: lastDay });
      const onTrino = await runTrinoNamedQuery(s3LakeOnTrino, query, params);
      const onDuckdb = await runLocalNamedQuery(duckdb, query, params);
      expect(comparable(onTrino.result)).to.deep.equal(comparable(onDuckdb));
    });
  }

  for (const binding of DASHBOARD.datasets) {
    for (const [form, dateText] of [
      ['a DateTime with its time of day', quickSightDateTime],
      ['a bare date', (date: string) => date],
    ] as const) {
      it(`QuickSight dataset ${binding.id}, dates sent as ${form}: its SQL runs on Trino and on DuckDB with the named query's rows`, async () => {
        const query = findQuery(catalogue, binding.query);
        const given = only(query, { ...binding.fixedParameters, start_date: firstDay, end_date: day, continent: 'Europe' });
        const sql = quickSightQueryText(query, bindParameters(query.name, query.parameters, given), dateText);
        const wanted = comparable(await runLocalNamedQuery(duckdb, query, given));
        const onTrino = await runTrinoStatement(folderLake.url, sql, { catalog: folderLake.catalog, schema: folderLake.schema });
        expect(onTrino.rows, 'Trino').to.deep.equal(wanted.rows);
        const onDuckdb = await runLocalQuery(duckdb, { ...query, sql, parameters: [] }, []);
        expect(onDuckdb.rows, 'DuckDB').to.deep.equal(wanted.rows);
      });
    }
  }

  for (const [name, table] of [
    ['daily_activity', 'session_days'],
    ['hourly_traffic', 'events'],
  ] as const) {
    it(`prunes partitions on Trino: one week of ${name} reads only that week's rows of ${table} (query statistics)`, async () => {
      const query = findQuery(catalogue, name);
      const end = new Date(Date.parse(`${firstDay}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
      const week = await runTrinoNamedQuery(folderLake, query, { start_date: firstDay, end_date: end });
      const all = await runTrinoNamedQuery(folderLake, query);
      const counts = (await duckdb.connection.runAndReadAll(`select count(*) filter (where event_date <= cast('${end}' as date)), count(*) from ${table}`)).getRows()[0].map(Number);
      expect(week.stats.processedRows, 'rows read for the week').to.equal(counts[0]);
      expect(all.stats.processedRows, 'rows read for every day').to.equal(counts[1]);
      expect(week.stats.physicalInputBytes).to.be.lessThan(all.stats.physicalInputBytes);
    });
  }

  it('reads the events table as a stage defines it, with a projection range relative to today (NOW-<n>DAYS)', async () => {
    const moto = await sharedMoto();
    const client = glueClient(motoEndpoint(moto));
    const database = freshName('stage_range');
    const daysBack = Math.ceil((Date.now() - Date.parse(`${firstDay}T00:00:00Z`)) / 86_400_000) + 1;
    try {
      await client.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
      const spec = renderGlueTable(EVENTS, lakeTableLocation(dataset.lake, EVENTS), retentionRange(daysBack));
      await client.send(new CreateTableCommand({ DatabaseName: database, TableInput: glueTableInput(spec) }));
    } finally {
      client.destroy();
    }
    const onTrino = await runTrinoStatement(folderLake.url, 'select count(*) from events', { catalog: folderLake.catalog, schema: database });
    const onDuckdb = (await duckdb.connection.runAndReadAll('select count(*) from events')).getRows();
    expect(onTrino.rows[0][0]).to.equal(Number(onDuckdb[0][0]));
  });

  it('reads every Glue table with the columns of the model, in order (Trino names Hive string varchar)', async () => {
    for (const table of TABLES) {
      const described = await runTrinoStatement(s3LakeOnTrino.url, `describe ${table.name}`, { catalog: s3LakeOnTrino.catalog, schema: s3LakeOnTrino.schema });
      expect(described.rows.map((row) => row[0]), table.name).to.deep.equal([...table.columns, ...table.partitionKeys].map((column) => column.name));
    }
  });

  it('counts the same rejected events and reference locations as DuckDB', async () => {
    for (const table of ['rejected_events', 'locations']) {
      const onTrino = await runTrinoStatement(s3LakeOnTrino.url, `select count(*) from ${table}`, { catalog: s3LakeOnTrino.catalog, schema: s3LakeOnTrino.schema });
      const onDuckdb = (await duckdb.connection.runAndReadAll(`select count(*) from ${table}`)).getRows();
      expect(onTrino.rows[0][0], table).to.equal(Number(onDuckdb[0][0]));
    }
  });
});
