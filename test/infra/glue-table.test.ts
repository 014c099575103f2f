import { expect } from 'chai';
import { glueTableInput, renderGlueTable } from '../../components/catalog/glue-table';
import { EVENTS, LOCATIONS, RAW_EVENTS, REJECTED_EVENTS, TABLES, type TableDefinition } from '../../model/tables';

const location = (table: TableDefinition) => `s3://bucket/${table.prefix}`;

describe('Glue tables rendered from the model', () => {
  for (const table of TABLES) {
    it(`gives ${table.name} exactly the model's columns, types and partition keys, in order`, () => {
      const rendered = renderGlueTable(table, location(table));
      expect(rendered.storageDescriptor.columns.map(({ name, type }) => ({ name, type }))).to.deep.equal(
        table.columns.map(({ name, type }) => ({ name, type })),
      );
      expect(rendered.partitionKeys.map(({ name, type }) => ({ name, type }))).to.deep.equal(table.partitionKeys.map(({ name, type }) => ({ name, type })));
      expect(rendered.storageDescriptor.location).to.equal(location(table));
    });
  }

  it('reads events and rejected events as Parquet', () => {
    for (const table of [EVENTS, REJECTED_EVENTS]) {
      const { storageDescriptor } = renderGlueTable(table, location(table));
      expect(storageDescriptor.serDeInfo.serializationLibrary).to.equal('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(storageDescriptor.inputFormat).to.equal('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    }
  });

  it('reads raw events as JSON lines, tolerating the malformed lines the ETL will reject', () => {
    const { storageDescriptor } = renderGlueTable(RAW_EVENTS, location(RAW_EVENTS));
    expect(storageDescriptor.serDeInfo.serializationLibrary).to.equal('org.openx.data.jsonserde.JsonSerDe');
    expect(storageDescriptor.serDeInfo.parameters['ignore.malformed.json']).to.equal('true');
  });

  it('reads locations as quoted CSV and skips the header line', () => {
    const rendered = renderGlueTable(LOCATIONS, location(LOCATIONS));
    expect(rendered.storageDescriptor.serDeInfo.serializationLibrary).to.equal('org.apache.hadoop.hive.serde2.OpenCSVSerde');
    expect(rendered.storageDescriptor.serDeInfo.parameters).to.include({ separatorChar: ',', quoteChar: '"' });
    expect(rendered.parameters['skip.header.line.count']).to.equal('1');
  });

  it('projects the events partitions by date, so Athena needs no crawler and no MSCK REPAIR', () => {
    const rendered = renderGlueTable(EVENTS, 's3://results-bucket/results/events/');
    expect(rendered.parameters).to.include({
      'projection.enabled': 'true',
      'projection.event_date.type': 'date',
      'projection.event_date.format': 'yyyy-MM-dd',
      'storage.location.template': 's3://results-bucket/results/events/event_date=${event_date}/',
    });
    expect(rendered.parameters['projection.event_date.range']).to.match(/^2010-01-01,NOW\+\d+DAYS$/);
  });

  it('does not project unpartitioned tables', () => {
    expect(Object.keys(renderGlueTable(REJECTED_EVENTS, location(REJECTED_EVENTS)).parameters).filter((key) => key.startsWith('projection.'))).to.deep.equal([]);
  });

  it('refuses a CSV column type that Athena cannot read from text, naming the column and the fix', () => {
    const withDate: TableDefinition = { ...LOCATIONS, columns: [...LOCATIONS.columns, { name: 'valid_from', type: 'date', description: 'x' }] };
    expect(() => renderGlueTable(withDate, location(withDate))).to.throw(/valid_from \(date\).*model\/tables\.ts/);
  });

  it('refuses a location that is not a folder', () => {
    expect(() => renderGlueTable(EVENTS, 's3://bucket/results/events')).to.throw(/must end with "\/"/);
  });

  it('gives the Glue API the rendered table field for field (the TableInput the twin sends to the Glue emulator)', () => {
    const rendered = renderGlueTable(EVENTS, 's3://results-bucket/results/events/', { from: 'NOW-90DAYS', to: 'NOW+1DAYS' });
    const input = glueTableInput(rendered);
    const column = ({ name, type, comment }: { name: string; type: string; comment: string }) => ({ Name: name, Type: type, Comment: comment });
    expect(input).to.deep.equal({
      Name: 'events',
      Description: rendered.description,
      TableType: 'EXTERNAL_TABLE',
      Parameters: rendered.parameters,
      PartitionKeys: rendered.partitionKeys.map(column),
      StorageDescriptor: {
        Location: 's3://results-bucket/results/events/',
        InputFormat: rendered.storageDescriptor.inputFormat,
        OutputFormat: rendered.storageDescriptor.outputFormat,
        SerdeInfo: { SerializationLibrary: rendered.storageDescriptor.serDeInfo.serializationLibrary, Parameters: { 'serialization.format': '1' } },
        Columns: rendered.storageDescriptor.columns.map(column),
      },
    });
    expect(input.Parameters?.['projection.event_date.range']).to.equal('NOW-90DAYS,NOW+1DAYS');
  });
});
