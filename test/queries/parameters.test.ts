import { expect } from 'chai';
import {
  ParameterError,
  bindParameters,
  parseParameterAssignments,
  parseParameterValue,
  sqlLiteral,
  type ParameterDeclaration,
} from '../../queries/parameters';

const DECLARATIONS: ParameterDeclaration[] = [
  { name: 'start_date', type: 'date', defaultValue: '2010-01-01', description: 'first day' },
  { name: 'top_n', type: 'int', defaultValue: 10, description: 'how many' },
  { name: 'continent', type: 'string', description: 'which continent' },
];

describe('query parameters', () => {
  it('accepts calendar dates only, as YYYY-MM-DD', () => {
    expect(parseParameterValue('date', '2024-02-29')).to.deep.equal({ value: '2024-02-29' });
    for (const text of ['2023-02-29', '2026-13-01', '2026-1-5', '26-01-05', '2026-01-05T00:00', "2026-01-05' or '1'='1", '']) {
      expect(parseParameterValue('date', text), text).to.have.property('problem').that.match(/is not a calendar date as YYYY-MM-DD/);
    }
  });

  it('accepts whole numbers in Trino INTEGER range only', () => {
    expect(parseParameterValue('int', '-42')).to.deep.equal({ value: -42 });
    for (const text of ['1.5', '1e3', '10; drop table events', '2147483648', ' 7', '']) {
      expect(parseParameterValue('int', text), text).to.have.property('problem').that.match(/is not a whole number/);
    }
  });

  it('accepts any printable text as a string, quotes included, but no control characters', () => {
    expect(parseParameterValue('string', "O'Brien \"x\" --")).to.deep.equal({ value: "O'Brien \"x\" --" });
    expect(parseParameterValue('string', 'a\nb')).to.have.property('problem');
  });

  it('binds given values in declaration order and fills in defaults', () => {
    expect(bindParameters('q', DECLARATIONS, { continent: 'Europe', start_date: '2026-01-01' })).to.deep.equal([
      { name: 'start_date', type: 'date', value: '2026-01-01' },
      { name: 'top_n', type: 'int', value: 10 },
      { name: 'continent', type: 'string', value: 'Europe' },
    ]);
  });

  it('names an unknown parameter and lists the declared ones', () => {
    expect(() => bindParameters('q', DECLARATIONS, { continent: 'Asia', top: '3' })).to.throw(
      ParameterError,
      'query "q" has no parameter "top"; it takes start_date (date), top_n (int), continent (string)',
    );
    expect(() => bindParameters('plain', [], { x: '1' })).to.throw(ParameterError, 'query "plain" has no parameter "x"; it takes no parameters');
  });

  it('names a missing parameter and says how to give it', () => {
    expect(() => bindParameters('q', DECLARATIONS, {})).to.throw(ParameterError, /query "q" needs parameter continent \(which continent\); give it as --param continent=</);
  });

  it('names the parameter whose value is wrong', () => {
    expect(() => bindParameters('q', DECLARATIONS, { continent: 'Asia', top_n: 'ten' })).to.throw(ParameterError, /query "q" parameter top_n: "ten" is not a whole number/);
  });

  it('renders values as SQL literals with quotes doubled, for Athena execution parameters', () => {
    expect(sqlLiteral({ name: 'd', type: 'date', value: '2026-01-31' })).to.equal("'2026-01-31'");
    expect(sqlLiteral({ name: 'n', type: 'int', value: -3 })).to.equal('-3');
    expect(sqlLiteral({ name: 's', type: 'string', value: "x' or '1'='1" })).to.equal("'x'' or ''1''=''1'");
  });

  it('reads --param name=value pairs, keeping "=" inside values, and refuses malformed or repeated ones', () => {
    expect(parseParameterAssignments(['a=1', 'b=x=y', 'c='])).to.deep.equal({ a: '1', b: 'x=y', c: '' });
    expect(() => parseParameterAssignments(['start_date'])).to.throw(ParameterError, /--param "start_date" is not name=value/);
    expect(() => parseParameterAssignments(['=1'])).to.throw(ParameterError, /is not name=value/);
    expect(() => parseParameterAssignments(['a=1', 'a=2'])).to.throw(ParameterError, '--param a is given twice; give each parameter once');
  });
});
