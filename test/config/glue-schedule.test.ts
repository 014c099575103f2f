import { expect } from 'chai';
import { shortestGapMinutes } from '../../config/glue-schedule';

describe('Glue schedule gaps', () => {
  const cases: ReadonlyArray<[string, number | undefined]> = [
    ['cron(15 * * * ? *)', 60],
    ['cron(0/15 * * * ? *)', 15],
    ['cron(0 */6 * * ? *)', 360],
    ['cron(30 2 * * ? *)', 1440],
    ['cron(0 8,9,17 ? * MON-FRI *)', 60],
    ['cron(0 12 ? * SUN *)', 7 * 1440],
    ['cron(0 10 L * ? *)', undefined],
    ['rate(1 hour)', undefined],
  ];
  for (const [schedule, gap] of cases) {
    it(`${schedule}: ${gap === undefined ? 'not read (syntax this reader does not follow)' : `${gap} minutes between starts`}`, () => {
      expect(shortestGapMinutes(schedule)).to.equal(gap);
    });
  }
});
