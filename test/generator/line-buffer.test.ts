import { expect } from 'chai';
import { LineBuffer } from '../../generator/line-buffer';

describe('LineBuffer', function () {
  it('writes numbers as Number#toString does, in decimal and base 36', function () {
    const out = new LineBuffer(1);
    const values = [0, 7, 9, 10, 35, 36, 99, 100, 1_795_594_830, 9_999_999_999, Number.MAX_SAFE_INTEGER];
    for (const value of values) {
      out.decimal(value);
      out.bytes(Buffer.from(' '));
      out.base36(value);
      out.endLine();
    }
    expect(out.contents().toString()).to.equal(values.map((value) => `${value} ${value.toString(36)}\n`).join(''));
    expect(out.lines).to.equal(values.length);
  });

  it('grows past its first guess, keeping what was written, and encodes text as UTF-8', function () {
    const out = new LineBuffer(1);
    const line = `{"city":"Zürich","note":"${'x'.repeat(5_000)}"}`;
    for (let index = 0; index < 3; index++) {
      out.text(line);
      out.endLine();
    }
    expect(out.contents().toString('utf8')).to.equal(`${line}\n`.repeat(3));
    expect(out.textFrom(0)).to.equal(`${line}\n`.repeat(3));
    out.clear();
    expect(out.contents().length).to.equal(0);
    expect(out.lines).to.equal(0);
  });
});
