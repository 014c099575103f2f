import { expect } from 'chai';
import { progressUpdate as etlProgress } from '../../etl/summary';
import { progressUpdate as generatorProgress } from '../../generator/summary-text';

describe('progress bar status lines', () => {
  it('shows a generator run as events and files, with its fraction done', () => {
    expect(generatorProgress({ events: 1_234_567, fraction: 0.5, files: 12, bytes: 0 })).to.deep.equal({ fraction: 0.5, status: '1,234,567 events, 12 files' });
  });

  it('shows an ETL run by phase: megabytes while reading, objects while writing or moving', () => {
    expect(etlProgress({ runId: 'r1', phase: 'reading', done: 2_500_000, total: 10_000_000 })).to.deep.equal({
      fraction: 0.25,
      status: 'run r1: reading, 2.5 of 10.0 MB',
    });
    expect(etlProgress({ runId: 'r1', phase: 'moving', done: 3, total: 4 }).status).to.equal('run r1: moving, 3 of 4 objects');
    expect(etlProgress({ runId: 'r1', phase: 'transforming', done: 0, total: 0 })).to.deep.equal({
      fraction: undefined,
      status: 'run r1: transforming, validating, deduplicating',
    });
  });
});
