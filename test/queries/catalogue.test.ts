import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { Parser } from 'node-sql-parser';
import { CatalogueError, QUERIES_DIR, UnknownQueryError, findQuery, loadCatalogue, parseNamedQuery } from '../../queries/catalogue';
import { bindParameters, sqlLiteral } from '../../queries/parameters';
import { replacePlaceholders, segments } from '../../queries/sql-text';

/** The queries the issue asks for, by the names the catalogue gives them. */
const REQUIRED_QUERIES = [
  'most_active_regions',
  'popular_actions',
  'user_age_breakdown',
  'conversion_funnel',
  'daily_activity',
  'revenue_by_category',
  'top_products',
  'device_mix',
  'hourly_traffic',
];

const HEADER = [
  '-- name: sample',
  '-- description: A sample.',
  '-- param: start_date (date, default 2010-01-01): first day',
  '-- param: label (string, default \'it\'\'s\'): a label',
].join('\n');

function parse(text: string) {
  return parseNamedQuery(text, 'sample.sql', 'sample');
}

/** Every `?` placeholder node of a node-sql-parser AST, with the property path that leads to it. */
function placeholderPaths(node: unknown, path: string[] = []): string[][] {
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'origin' && record.value === '?') return [path];
  return Object.entries(record).flatMap(([key, child]) => placeholderPaths(child, [...path, key]));
}

describe('named-query catalogue', () => {
  const catalogue = loadCatalogue();
  const parser = new Parser();

  it('holds every query the issue asks for, each named after its file', () => {
    expect(catalogue.map((query) => query.name)).to.include.members(REQUIRED_QUERIES);
    const files = readdirSync(QUERIES_DIR).filter((file) => file.endsWith('.sql'));
    expect(catalogue.map((query) => `${query.name}.sql`)).to.deep.equal(files.sort());
    for (const query of catalogue) expect(basename(query.source)).to.equal(`${query.name}.sql`);
  });

  it('gives every query a description and every parameter a type, a default and a description', () => {
    for (const query of catalogue) {
      expect(query.description, query.name).to.have.length.greaterThan(20);
      for (const parameter of query.parameters) {
        expect(parameter.defaultValue, `${query.name}.${parameter.name}`).to.not.equal(undefined);
        expect(parameter.description).to.not.be.empty;
      }
    }
  });

  it('bounds every query that reads events by the event_date partition, with date parameters that may carry a time of day', () => {
    for (const query of catalogue) {
      const code = segments(query.sql, query.source)
        .filter((segment) => segment.kind === 'code')
        .map((segment) => segment.text)
        .join('');
      if (!/\bfrom events\b/.test(code)) continue;
      // substr(?, 1, 10): QuickSight sends a DateTime parameter with its time of day, Trino casts only yyyy-MM-dd.
      expect(code, query.name).to.match(/where event_date between cast\(substr\(\?, 1, 10\) as date\) and cast\(substr\(\?, 1, 10\) as date\)/);
      expect(query.parameters.slice(0, 2).map((parameter) => `${parameter.name}:${parameter.type}`), query.name).to.deep.equal([
        'start_date:date',
        'end_date:date',
      ]);
    }
  });

  for (const query of catalogue) {
    describe(query.name, () => {
      it('parses with the Trino grammar (Athena engine 3) exactly as deployed, placeholders included', () => {
        expect(() => parser.astify(query.sql, { database: 'trino' })).to.not.throw();
      });

      it('parses with the Athena grammar once its default values are in place', () => {
        const literals = bindParameters(query.name, query.parameters, {}).map(sqlLiteral);
        const text = replacePlaceholders(query.sql, literals, query.source);
        expect(() => parser.astify(text, { database: 'athena' })).to.not.throw();
      });

      it('puts its placeholders only in where clauses, the one place Athena allows them', () => {
        const paths = placeholderPaths(parser.astify(query.sql, { database: 'trino' }));
        expect(paths).to.have.length(query.parameters.length);
        for (const path of paths) expect(path, path.join('.')).to.include('where');
      });

      it('writes SQL keywords in lower case', () => {
        const keywords = /\b(SELECT|FROM|WHERE|WITH|AS|GROUP|BY|ORDER|JOIN|ON|AND|OR|CASE|WHEN|THEN|ELSE|END|UNION|ALL|CAST|DISTINCT|BETWEEN|OVER|PARTITION|LIMIT|DESC|ASC|NULL|IS|NOT|IN|DATE|COUNT|SUM|ROUND)\b/;
        for (const segment of segments(query.sql, query.source)) {
          if (segment.kind === 'code') expect(segment.text, query.name).to.not.match(keywords);
        }
      });
    });
  }

  it('the grammar check rejects broken SQL, so passing it means something', () => {
    expect(() => parser.astify('select count(*) from events where', { database: 'trino' })).to.throw();
    expect(() => parser.astify('select a b c from events', { database: 'trino' })).to.throw();
  });

  it('reads a header: name, description, typed parameters with defaults, quoted string defaults', () => {
    const query = parse(`${HEADER}\n\nselect 1 as one from events where event_date >= cast(? as date) and label = ?`);
    expect(query.name).to.equal('sample');
    expect(query.description).to.equal('A sample.');
    expect(query.parameters).to.deep.equal([
      { name: 'start_date', type: 'date', defaultValue: '2010-01-01', description: 'first day' },
      { name: 'label', type: 'string', defaultValue: "it's", description: 'a label' },
    ]);
  });

  it('keeps a parameter without a default as one that must be given', () => {
    const query = parse('-- name: sample\n-- description: d\n-- param: top_n (int): how many\nselect 1 from t where n <= ?');
    expect(query.parameters[0]).to.deep.equal({ name: 'top_n', type: 'int', description: 'how many' });
  });

  const broken: [string, string, RegExp][] = [
    ['no header', 'select 1', /sample\.sql line 1: the file must start with a header/],
    ['an unknown header line', '-- name: sample\n-- author: me\nselect 1', /sample\.sql line 2: "-- author: me" is not a header line/],
    ['no description', '-- name: sample\nselect 1', /sample\.sql: the header has no "-- description: \.\.\." line/],
    ['two names', '-- name: sample\n-- name: sample\n-- description: d\nselect 1', /sample\.sql line 2: a second "-- name:" line \(the first is line 1\)/],
    ['a name unlike the file', '-- name: other\n-- description: d\nselect 1', /line 1: name "other" differs from the file name "sample"/],
    ['a name not in snake_case', '-- name: Sample-Query\n-- description: d\nselect 1', /line 1: name "Sample-Query" must be snake_case/],
    ['an unknown type', '-- name: sample\n-- description: d\n-- param: n (number, default 1): n\nselect 1 from t where n = ?', /line 3: parameter n has type "number"; use one of date, int, string/],
    ['a bad date default', '-- name: sample\n-- description: d\n-- param: d (date, default 2026-02-30): d\nselect 1 from t where d = ?', /line 3: parameter d's default "2026-02-30" is not a calendar date/],
    ['an unquoted string default', "-- name: sample\n-- description: d\n-- param: s (string, default x): s\nselect 1 from t where s = ?", /line 3: parameter s's default x must be quoted/],
    ['a malformed param line', '-- name: sample\n-- description: d\n-- param: start_date date 2010-01-01\nselect 1', /line 3: parameter "start_date date 2010-01-01" is not "<name> \(<type>/],
    ['a parameter declared twice', '-- name: sample\n-- description: d\n-- param: n (int, default 1): n\n-- param: n (int, default 2): n\nselect 1 from t where a = ? and b = ?', /line 4: parameter n is declared twice/],
    ['more placeholders than parameters', '-- name: sample\n-- description: d\n-- param: n (int, default 1): n\nselect 1\nfrom t\nwhere a = ? and b = ?', /1 "-- param:" line\(s\).*|the first extra is on line 6/],
    ['a placeholder too few', '-- name: sample\n-- description: d\n-- param: n (int, default 1): n\nselect 1 from t', /0 "\?" placeholder\(s\) but 1 "-- param:" line\(s\)/],
    ['two statements', '-- name: sample\n-- description: d\nselect 1;\nselect 2', /line 3: ";" found; a named query is one statement/],
    ['no statement', '-- name: sample\n-- description: d\n\n/* nothing */\n', /no SQL statement after the header/],
    ['an unterminated string', "-- name: sample\n-- description: d\nselect 'oops", /line 3: unterminated string literal/],
  ];
  for (const [what, text, message] of broken) {
    it(`refuses a file with ${what}, naming the file and line`, () => {
      expect(() => parse(text)).to.throw(CatalogueError, message);
    });
  }

  it('counts only the placeholders the engine sees, not those in strings or comments', () => {
    const query = parse("-- name: sample\n-- description: d\n-- param: n (int, default 1): n\nselect '?' as q, \"?\" -- ?\n/* ? */ from t where n = ?");
    expect(query.parameters).to.have.length(1);
  });

  it('loads a folder of files and refuses a folder without any', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      expect(() => loadCatalogue(dir)).to.throw(CatalogueError, /no \*\.sql files in/);
      writeFileSync(join(dir, 'b_query.sql'), '-- name: b_query\n-- description: d\nselect 1');
      writeFileSync(join(dir, 'a_query.sql'), '-- name: a_query\n-- description: d\nselect 1');
      expect(loadCatalogue(dir).map((query) => query.name)).to.deep.equal(['a_query', 'b_query']);
      writeFileSync(join(dir, 'c_query.sql'), '-- name: c\n-- description: d\nselect 1');
      expect(() => loadCatalogue(dir)).to.throw(CatalogueError, /c_query\.sql line 1: name "c" differs from the file name "c_query"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names an unknown query and lists the known ones', () => {
    expect(() => findQuery(catalogue, 'top_product')).to.throw(UnknownQueryError, /no named query "top_product" in the catalogue .*; known queries: .*top_products/);
  });
});
