import { expect } from 'chai';
import { formatCsv, formatJson, formatTable } from '../../queries/format';
import { columnKind, type QueryResult } from '../../queries/result';

const RESULT: QueryResult = {
  columns: [
    { name: 'country', kind: 'string', engineType: 'varchar' },
    { name: 'events', kind: 'integer', engineType: 'bigint' },
    { name: 'share_pct', kind: 'decimal', engineType: 'double' },
  ],
  rows: [
    ['France', 1200, 12.5],
    ['Saint Helena, Ascension and Tristan da Cunha', 3, null],
    ['Say "hi"', 45, 0.1],
  ],
};

describe('result formats', () => {
  it('prints a table with a header, numbers right-aligned, nulls shown and a row count', () => {
    const lines = formatTable(RESULT).split('\n');
    expect(lines[0]).to.match(/^country\s+events  share_pct$/);
    expect(lines[1]).to.match(/^-+  -+  -+$/);
    expect(lines[2]).to.match(/^France\s+ 1200       12\.5$/);
    expect(lines[3]).to.match(/^Saint Helena, Ascension and Tristan da Cunha\s+3       null$/);
    expect(lines[5]).to.equal('(3 rows)');
    const widths = new Set(lines.slice(0, 5).map((line) => line.length));
    expect(widths.size).to.equal(1);
  });

  it('writes RFC 4180 CSV: quotes where needed, doubled quotes, empty field for null', () => {
    expect(formatCsv(RESULT)).to.equal(
      'country,events,share_pct\r\nFrance,1200,12.5\r\n"Saint Helena, Ascension and Tristan da Cunha",3,\r\n"Say ""hi""",45,0.1\r\n',
    );
  });

  it('writes JSON as an array of row objects with typed values', () => {
    expect(JSON.parse(formatJson(RESULT))).to.deep.equal([
      { country: 'France', events: 1200, share_pct: 12.5 },
      { country: 'Saint Helena, Ascension and Tristan da Cunha', events: 3, share_pct: null },
      { country: 'Say "hi"', events: 45, share_pct: 0.1 },
    ]);
  });

  it('reads DuckDB and Athena type names alike', () => {
    expect(['BIGINT', 'bigint', 'integer', 'HUGEINT'].map(columnKind)).to.deep.equal(['integer', 'integer', 'integer', 'integer']);
    expect(['DOUBLE', 'double', 'decimal(10,2)', 'DECIMAL(18,3)'].map(columnKind)).to.deep.equal(['decimal', 'decimal', 'decimal', 'decimal']);
    expect(['DATE', 'date', 'TIMESTAMP', 'timestamp(3)', 'VARCHAR', 'varchar', 'BOOLEAN'].map(columnKind)).to.deep.equal([
      'date', 'date', 'timestamp', 'timestamp', 'string', 'string', 'boolean',
    ]);
  });
});
