import { expect } from 'chai';
import { StageConfigError, parseStageConfig, type StageConfig } from '../../config/stage-config';
import { readStageFile } from '../../config/stage-file';
import { accountNames, stageNames } from '../../config/naming';

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
      expected: /^clickstream-bi:storage\.kmsKeyArn = "my-key": must be a KMS key ARN/,
    },
    {
      // IAM matches kms:* statements against key ARNs only: the stage's policies would grant nothing.
      name: 'a KMS alias ARN in place of the key ARN',
      raw: { stage: 'dev', region: 'eu-west-1', storage: { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/lake' } },
      expected: /^clickstream-bi:storage\.kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:alias\/lake": is an alias ARN; IAM statements on an alias grant nothing, so give the key ARN/,
    },
    {
      name: 'log encryption without a key',
      raw: { stage: 'dev', region: 'eu-west-1', storage: { kmsKeyGrantsLogs: true } },
      expected: /^clickstream-bi:storage\.kmsKeyGrantsLogs = true: kmsKeyGrantsLogs needs kmsKeyArn/,
    },
    {
      name: 'G.025X workers, which Glue allows for streaming jobs only',
      raw: { stage: 'dev', region: 'eu-west-1', etl: { workerType: 'G.025X' } },
      expected: /^clickstream-bi:etl\.workerType = "G\.025X": must be one of G\.1X, G\.2X, G\.4X, G\.8X \(G\.025X is for Glue streaming jobs only\)/,
    },
    {
      // The old prod: hourly, 120-minute timeout, 2 retries, one run at a time.
      name: 'a schedule that starts the job again while a run (or its retries) may still go on',
      raw: { stage: 'prod', region: 'eu-west-1', etl: { schedule: 'cron(15 * * * ? *)', timeoutMinutes: 120, maxRetries: 2 } },
      expected: /^clickstream-bi:etl\.timeoutMinutes = 120: a run and its 2 retries may take 360 minutes .* starts the job every 60 minutes and an overlapping start fails/,
    },
    {
      // The old dev: Glacier after 7 days, deleted after 30, billed for Glacier's 90-day minimum.
      name: 'an archive step that costs more than it saves',
      raw: { stage: 'dev', region: 'eu-west-1', storage: { processedToGlacierDays: 7, processedExpireDays: 30 } },
      expected: /^clickstream-bi:storage\.processedExpireDays = 30: objects would be deleted 23 days after moving to Glacier, which bills every object for at least 90 days .* processedToGlacierDays \+ 90 \(97\), or set processedToGlacierDays: null/,
    },
    {
      name: 'a prefix and stage too long for globally unique bucket names',
      raw: { stage: 'integration-test', region: 'ap-southeast-1', namePrefix: 'clickstream-analytics' },
      expected: /^clickstream-bi:namePrefix = "clickstream-analytics": gives S3 bucket names such as clickstream-analytics-integration-test-athena-results-123456789012-ap-southeast-1 \(81 characters, over AWS's 63\)/,
    },
    {
      name: 'a Lake Formation mode that does not exist',
      raw: { stage: 'dev', region: 'eu-west-1', lakeFormation: { mode: 'hybrid' } },
      expected: /^clickstream-bi:lakeFormation\.mode = "hybrid": must be "iam-only" or "grants"/,
    },
    {
      name: 'a preview repository that is not owner/name',
      raw: { stage: 'dev', region: 'eu-west-1', ci: { githubRepository: 'https://github.com/acme/clickstream' } },
      expected: /^clickstream-bi:ci\.githubRepository = "https:\/\/github\.com\/acme\/clickstream": must be a GitHub repository as owner\/name/,
    },
  ];

  for (const { name, raw, expected } of badValues) {
    it(`rejects ${name} with an error naming the key, the value and what is allowed`, () => {
      const problems = problemsOf(raw);
      expect(problems.some((problem) => expected.test(problem)), problems.join('\n')).to.equal(true);
    });
  }

  it('lists every problem at once', () => {
    const problems = problemsOf({ stage: 'dev', region: 'nowhere', etl: { schedule: null, numberOfWorkers: 0, maxRetries: 99 } });
    expect(problems).to.have.length(3);
  });

  it('names a missing stage file and lists the stages there are', () => {
    expect(() => readStageFile('staging')).to.throw(/^no stage "staging": .*Pulumi\.staging\.yaml does not exist; known stages: dev, prod/);
  });

  it('names every resource after the prefix and the stage', () => {
    const names = stageNames(stageFile('prod'));
    expect(names.stem).to.equal('clickstream-prod');
    expect(names.resource('etl')).to.equal('clickstream-prod-etl');
    expect(names.database).to.equal('clickstream_prod');
    expect(names.workgroup).to.equal('clickstream-prod-analytics');
  });

  it('makes bucket names unique per account and region, and IAM names unique per region', () => {
    const prod = stageFile('prod');
    const names = accountNames(prod, '123456789012');
    expect(names.bucket('raw')).to.equal('clickstream-prod-raw-123456789012-eu-west-1');
    expect(accountNames(prod, '210987654321').bucket('raw')).to.not.equal(names.bucket('raw'));
    expect(accountNames({ ...prod, region: 'us-east-1' }, '123456789012').bucket('raw')).to.not.equal(names.bucket('raw'));
    expect(names.iam('etl')).to.equal('clickstream-prod-etl-eu-west-1');
    expect(accountNames({ ...prod, region: 'us-east-1' }, '123456789012').iam('etl')).to.not.equal(names.iam('etl'));
  });

  it('accepts the largest prefix and stage whose names still fit', () => {
    expect(() => parseStageConfig({ stage: 'dev', region: 'eu-west-1', namePrefix: 'clickstream-analytics' })).to.not.throw();
  });

  it('keeps processed files out of Glacier when asked (null), with no minimum to respect', () => {
    expect(parseStageConfig({ stage: 'dev', region: 'eu-west-1', storage: { processedToGlacierDays: null, processedExpireDays: 30 } }).storage.processedToGlacierDays).to.equal(null);
  });

  it('accepts an hourly schedule whose run and retries end within the hour', () => {
    expect(() => parseStageConfig({ stage: 'prod', region: 'eu-west-1', etl: { schedule: 'cron(15 * * * ? *)', timeoutMinutes: 25, maxRetries: 1 } })).to.not.throw();
  });
});
