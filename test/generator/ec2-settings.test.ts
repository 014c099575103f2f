import { expect } from 'chai';
import { parseStageConfig } from '../../config/stage-config';
import { parseEc2Settings } from '../../generator/ec2-settings';

describe('EC2 generator settings', function () {
  it('accept the stage config\'s generator section plus the bucket, as the infrastructure writes them', function () {
    const { generator } = parseStageConfig({ stage: 'dev', region: 'eu-west-1' });
    const settings = parseEc2Settings(JSON.stringify({ ...generator, bucket: 'clickstream-dev-raw' }), 'SSM /clickstream/dev/generator');
    expect(settings).to.include({
      bucket: 'clickstream-dev-raw',
      runMode: generator.runMode,
      eventsPerSecond: generator.eventsPerSecond,
      users: generator.users,
      seed: generator.seed,
      eventsPerFile: generator.eventsPerFile,
    });
  });

  it('need totalEvents to run once, and drop it when running continuously', function () {
    const base = { bucket: 'raw-bucket', eventsPerSecond: 10 };
    expect(() => parseEc2Settings(JSON.stringify({ ...base, runMode: 'once' }), 'S')).to.throw(/S: totalEvents is missing; runMode once needs totalEvents/);
    expect(parseEc2Settings(JSON.stringify({ ...base, runMode: 'continuous', totalEvents: 5 }), 'S').totalEvents).to.equal(undefined);
  });

  it('name the source, the setting, the value and what is allowed', function () {
    const base = { bucket: 'raw-bucket', runMode: 'once', eventsPerSecond: 10, totalEvents: 100 };
    const problem = (extra: object): string => {
      try {
        parseEc2Settings(JSON.stringify({ ...base, ...extra }), 'SSM /p');
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problem({ bucket: 'Raw_Bucket' })).to.match(/^SSM \/p: bucket is "Raw_Bucket"; give the raw bucket's name/);
    expect(problem({ eventsPerSecond: 0 })).to.match(/eventsPerSecond is 0; give a number >= /);
    expect(problem({ totalEvents: 1.5 })).to.match(/totalEvents is 1.5; give a whole number >= 1/);
    expect(problem({ faults: { typo: 0.1 } })).to.match(/faults is .*"typo" is not a fault kind/);
    expect(problem({ regoin: 'eu-west-1' })).to.match(/unknown setting "regoin"; known settings are bucket, region/);
    expect(problem({ serverSideEncryption: 'kms' })).to.match(/serverSideEncryption is "kms"; use "AES256" or "aws:kms"/);
    expect(() => parseEc2Settings('{bucket:', 'SSM /p')).to.throw(/SSM \/p: not valid JSON/);
  });
});
