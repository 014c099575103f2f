import { expect } from 'chai';
import { parseFlags, parseFlagsAndPositionals, positiveNumberFlag, wholeNumberFlag } from '../../cli/flags';
import { parseCli as parseEtlCli } from '../../etl/cli-options';

describe('command-line flags', () => {
  it('reads known flags and points at --help for an unknown one', () => {
    expect(parseFlags(['--store', 'lake', '--json'], { store: { type: 'string' }, json: { type: 'boolean' } })).to.deep.equal({ store: 'lake', json: true });
    expect(() => parseFlags(['--stroe', 'lake'], { store: { type: 'string' }, json: { type: 'boolean' } })).to.throw(
      'unknown option --stroe; the options are --store, --json; run with --help for the options',
    );
  });

  it('refuses stray positional arguments', () => {
    expect(() => parseFlags(['lake'], { store: { type: 'string' } })).to.throw('unexpected argument "lake": options start with --; run with --help for the options');
  });

  it("lets a negative number reach the flag's own check, in the project's words, not Node's parser's", () => {
    const options = { events: { type: 'string' }, json: { type: 'boolean' } } as const;
    expect(parseFlags(['--events', '-5'], options)).to.deep.equal({ events: '-5' });
    expect(() => wholeNumberFlag('events', parseFlags(['--events', '-5'], options).events)).to.throw('--events "-5" is not a whole number >= 1; e.g. --events 4');
    expect(parseFlags(['--events', '-.5'], options)).to.deep.equal({ events: '-.5' });
  });

  it('names a flag that lacks its value, or a switch given one', () => {
    const options = { store: { type: 'string' }, json: { type: 'boolean' } } as const;
    expect(() => parseFlags(['--store'], options)).to.throw('--store needs a value, e.g. --store <value>; run with --help for the options');
    expect(() => parseFlags(['--store', '--json'], options)).to.throw('--store needs a value before the option --json');
    expect(() => parseFlags(['--json=yes'], options)).to.throw('--json takes no value, but got "yes"');
    expect(parseFlags(['--store=-odd-name'], options)).to.deep.equal({ store: '-odd-name' });
  });

  it('reads positionals where a command takes them, also after --', () => {
    const options = { list: { type: 'boolean' } } as const;
    expect(parseFlagsAndPositionals(['daily_activity', '--list'], options)).to.deep.equal({ values: { list: true }, positionals: ['daily_activity'] });
    expect(parseFlagsAndPositionals(['--', '-odd'], options)).to.deep.equal({ values: {}, positionals: ['-odd'] });
  });

  it('reads whole numbers and names the flag, the value and an example when one is wrong', () => {
    expect(wholeNumberFlag('threads', '4')).to.equal(4);
    expect(wholeNumberFlag('threads', undefined)).to.equal(undefined);
    expect(() => wholeNumberFlag('threads', '2.5')).to.throw('--threads "2.5" is not a whole number >= 1; e.g. --threads 4');
    expect(() => wholeNumberFlag('threads', '0')).to.throw(/>= 1/);
    expect(() => wholeNumberFlag('page', '0', 0)).to.not.throw();
  });

  it('reads positive numbers', () => {
    expect(positiveNumberFlag('rate', '0.5')).to.equal(0.5);
    expect(() => positiveNumberFlag('rate', '-1')).to.throw('--rate "-1" is not a number greater than 0; e.g. --rate 24');
  });

  it('gives the ETL command its options and clear errors', () => {
    const command = parseEtlCli(['--store', 's3://raw,processed,results', '--format', 'csv', '--threads', '2']);
    expect(command.store).to.equal('s3://raw,processed,results');
    expect(command.options.format).to.equal('csv');
    expect(command.options.threads).to.equal(2);
    expect(() => parseEtlCli(['--format', 'xml'])).to.throw('--format "xml" is not an output format; use parquet or csv');
    expect(() => parseEtlCli(['--max-batch-mb', 'lots'])).to.throw(/--max-batch-mb "lots" is not a whole number/);
  });
});
