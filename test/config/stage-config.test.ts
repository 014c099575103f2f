import { expect } from 'chai';
import { StageConfigError, parseStageConfig, type StageConfig } from '../../config/stage-config';
import { readStageFile } from '../../config/stage-file';
import { stageNames } from '../../config/naming';

const stageFile = (stage: string): StageConfig => readStageFile(stage);

function problemsOf(raw: Record<string, unknown>): readonly string[] {
  try {
    parseStageConfig(raw);
  } catch (error) {
    expect(error).to.be.instanceOf(StageConfigError);
    return (error as StageConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('stage config', () => {
  it('reads the dev stage as destroyable, small and short-lived', () => {
    const dev = stageFile('dev');
    expect(dev.storage.forceDestroy).to.equal(true);
    expect(dev.storage.protect).to.equal(false);
    expect(dev.storage.processedExpireDays).to.be.below(60);
    expect(dev.etl.numberOfWorkers).to.equal(2);
    expect(dev.generator.runMode).to.equal('once');
  });

  it('reads the prod stage as protected with long retention', () => {
    const prod = stageFile('prod');
    expect(prod.storage.forceDestroy).to.equal(false);
    expect(prod.storage.protect).to.equal(true);
    expect(prod.storage.processedExpireDays).to.be.above(365);
    expect(prod.etl.schedule).to.match(/^cron\(/);
  });

  it('fills safe defaults for everything a stage leaves out', () => {
    const minimal = parseStageConfig({ stage: 'test', region: 'us-east-1' });
    expect(minimal.namePrefix).to.equal('clickstream');
    expect(minimal.storage.forceDestroy).to.equal(false);
    expect(minimal.storage.protect).to.equal(true);
    expect(minimal.quicksight.enabled).to.equal(false);
    expect(minimal.athena.bytesScannedCutoffMb).to.be.at.least(10);
    expect(minimal.orchestration).to.deep.equal({ notifications: [], maxDataAgeDays: 1 });
  });

  const badValues: ReadonlyArray<{ name: string; raw: Record<string, unknown>; expected: RegExp }> = [
    { name: 'a stage name with capitals', raw: { stage: 'Dev', region: 'eu-west-1' }, expected: /^stage \(the Pulumi stack name\) = "Dev": must be lower-case/ },
    { name: 'a missing region', raw: { stage: 'dev' }, expected: /^aws:region = \(not set\): / },
    { name: 'a malformed region', raw: { stage: 'dev', region: 'Europe' }, expected: /^aws:region = "Europe": must be an AWS region such as eu-west-1/ },
    {
      name: 'too few Glue workers',
      raw: { stage: 'dev', region: 'eu-west-1', etl: { numberOfWorkers: 1 } },
      expected: /^clickstream-bi:etl\.numberOfWorkers = 1: must be at least 2/,
    },
    {
      name: 'an unknown worker type',
      raw: { stage: 'dev', region: 'eu-west-1', etl: { workerType: 'G.3X' } },
      expected: /^clickstream-bi:etl\.workerType = "G\.3X": must be one of G\.1X, G\.2X/,
    },
    {
      name: 'a schedule that is not a cron expression',
      raw: { stage: 'dev', region: 'eu-west-1', etl: { schedule: 'hourly' } },
      expected: /^clickstream-bi:etl\.schedule = "hourly": must be a Glue schedule/,
    },
    {
      name: 'fractional retention days',
      raw: { stage: 'dev', region: 'eu-west-1', storage: { processedToGlacierDays: 1.5 } },
      expected: /^clickstream-bi:storage\.processedToGlacierDays = 1\.5: must be a whole number of days/,
    },
    {
      name: 'expiry before the move to Glacier',
      raw: { stage: 'dev', region: 'eu-west-1', storage: { processedToGlacierDays: 30, processedExpireDays: 10 } },
      expected: /^clickstream-bi:storage\.processedExpireDays = 10: processedExpireDays must be greater/,
    },
    {
      name: 'an Athena cutoff under Athena\'s minimum',
      raw: { stage: 'dev', region: 'eu-west-1', athena: { bytesScannedCutoffMb: 5 } },
      expected: /^clickstream-bi:athena\.bytesScannedCutoffMb = 5: must be at least 10/,
    },
    {
      name: 'QuickSight enabled without an owner',
      raw: { stage: 'dev', region: 'eu-west-1', quicksight: { enabled: true } },
      expected: /^clickstream-bi:quicksight\.principalArn = \(not set\): principalArn is required/,
    },
    {
      name: 'a misspelt key',
      raw: { stage: 'dev', region: 'eu-west-1', generator: { instanceTyp: 't3.micro' } },
      expected: /^clickstream-bi:generator: unknown key\(s\) instanceTyp/,
    },
    {
      name: 'a generator rate its population cannot make',
      raw: { stage: 'dev', region: 'eu-west-1', generator: { eventsPerSecond: 500, users: 1000 } },
      expected: /^clickstream-bi:generator\.users = 1000: 500 events\/s needs at least \d+ users/,
    },
    {
      name: 'a notification with an unknown protocol',
      raw: { stage: 'dev', region: 'eu-west-1', orchestration: { notifications: [{ protocol: 'pager', endpoint: 'x' }] } },
      expected: /^clickstream-bi:orchestration\.notifications\.0\.protocol = "pager": must be one of email, email-json, https/,
    },
    {
      name: 'a negative data age',
      raw: { stage: 'dev', region: 'eu-west-1', orchestration: { maxDataAgeDays: -1 } },
      expected: /^clickstream-bi:orchestration\.maxDataAgeDays = -1: must be 0 or more/,
    },
    {
      name: 'a KMS key that is not an ARN',
      raw: { stage: 'dev', region: 'eu-west-1', storage: { kmsKeyArn: 'my-key' } },
      expected: /^clickstream-bi:storage\.kmsKeyArn = "my-key": must be a KMS key or alias ARN/,
    },
  ];

  for (const { name, raw, expected } of badValues) {
    it(`rejects ${name} with an error naming the key, the value and what is allowed`, () => {
      const problems = problemsOf(raw);
      expect(problems.some((problem) => expected.test(problem)), problems.join('\n')).to.equal(true);
    });
  }

  it('lists every problem at once', () => {
    const problems = problemsOf({ stage: 'dev', region: 'nowhere', etl: { numberOfWorkers: 0, maxRetries: 99 } });
    expect(problems).to.have.length(3);
  });

  it('names a missing stage file and lists the stages there are', () => {
    expect(() => readStageFile('staging')).to.throw(/^no stage "staging": .*Pulumi\.staging\.yaml does not exist; known stages: dev, prod/);
  });

  it('names every resource after the prefix and the stage', () => {
    const names = stageNames(stageFile('prod'));
    expect(names.stem).to.equal('clickstream-prod');
    expect(names.resource('raw')).to.equal('clickstream-prod-raw');
    expect(names.database).to.equal('clickstream_prod');
    expect(names.workgroup).to.equal('clickstream-prod-analytics');
  });
});
