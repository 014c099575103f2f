import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_FIELDS } from '../../model/events';
import { LINE_REASON_CODE_LIST } from '../../model/reasons';
import { parseStatementTemplate, renderTransform, renderTransformFile, STEPS } from '../../etl/transform';
import { renderTemplate, splitArguments } from '../../etl/template';

const GOLDEN_DIR = join(__dirname, 'golden');

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing: create it with UPDATE_GOLDEN=1`).to.equal(true);
  expect(actual, `${name} changed: if on purpose, rerun with UPDATE_GOLDEN=1 and review the diff`).to.equal(readFileSync(path, 'utf8'));
}

describe('the transform rendering', () => {
  it('renders the Spark SQL the Glue job runs exactly as the golden file', () => {
    expectGolden('transform.spark.sql', renderTransformFile('spark'));
  });

  it('renders the DuckDB SQL the local engine runs exactly as the golden file', () => {
    expectGolden('transform.duckdb.sql', renderTransformFile('duckdb'));
  });

  it('gives both engines the same statements, in the same order, of the same kinds', () => {
    const shape = (dialect: 'spark' | 'duckdb') => renderTransform(dialect).map(({ name, kind }) => `${name}:${kind}`);
    expect(shape('spark')).to.deep.equal(shape('duckdb'));
    expect(shape('spark').map((entry) => entry.split(':')[0])).to.include.members(Object.values(STEPS));
  });

  it('keeps each engine\'s functions out of the other\'s rendering', () => {
    const spark = renderTransformFile('spark');
    const duckdb = renderTransformFile('duckdb');
    for (const duckdbOnly of ['json_transform', 'json_valid', 'struct_pack', 'regexp_full_match', 'TRY_CAST', 'make_timestamp', 'strlen(', 'TEMP TABLE']) {
      expect(spark, duckdbOnly).to.not.include(duckdbOnly);
    }
    for (const sparkOnly of ['from_json', 'named_struct', 'RLIKE', 'timestamp_seconds', 'date_from_unix_date', 'CACHE TABLE', 'octet_length']) {
      expect(duckdb, sparkOnly).to.not.include(sparkOnly);
    }
    expect(spark).to.not.include('{{');
    expect(duckdb).to.not.include('{{');
  });

  it('generates a rule for every field of the contract and only the line reason codes', () => {
    for (const dialect of ['spark', 'duckdb'] as const) {
      const validated = renderTransform(dialect).find((statement) => statement.name === STEPS.validated)!.sql;
      for (const field of EVENT_FIELDS) expect(validated, `${dialect} ${field.name}`).to.include(`${field.name}__text`);
      const codes = [...validated.matchAll(/code', '([a-z_]+)'|code := '([a-z_]+)'/g)].map((match) => match[1] ?? match[2]);
      expect(new Set(codes)).to.deep.equal(new Set(LINE_REASON_CODE_LIST));
    }
  });

  it('reads a statement template\'s header and refuses one without a kind', () => {
    const template = parseStatementTemplate('70_example.sql', '-- example: what it answers\n-- kind: query\nSELECT 1\n');
    expect(template).to.deep.include({ name: 'example', kind: 'query', description: 'example: what it answers', body: 'SELECT 1' });
    expect(() => parseStatementTemplate('70_example.sql', '-- example\nSELECT 1')).to.throw(/kind: materialize\|view\|query/);
    expect(() => parseStatementTemplate('example.sql', '-- kind: query\nSELECT 1')).to.throw(/NN_<statement_name>\.sql/);
  });

  it('renders nested placeholders innermost first and names unknown ones', () => {
    const scope = { blocks: { columns: 'a, b' }, macros: { wrap: (x: string) => `f(${x})`, pair: (x: string, y: string) => `${x}+${y}` } };
    expect(renderTemplate('SELECT {{ columns }}, {{ wrap({{ pair(1, g(2, 3)) }}) }}', scope, 't.sql')).to.equal('SELECT a, b, f(1+g(2, 3))');
    expect(() => renderTemplate('{{ nope }}', scope, 't.sql')).to.throw(/t\.sql: unknown block \{\{ nope \}\}/);
    expect(() => renderTemplate('{{ wrap(1, 2) }}', scope, 't.sql')).to.throw(/takes 1 argument/);
    expect(splitArguments("a, 'x,y', f(b, c)")).to.deep.equal(['a', "'x,y'", 'f(b, c)']);
  });
});
