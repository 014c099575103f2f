/**
 * `npm run pipeline -- status`: the last pipeline runs with their outcome, events loaded and
 * rejected, and data freshness; from the lake's run records (`--store`, default `.lake`), or from
 * Step Functions, Glue and the results bucket of a deployed stage (`--stage dev`).
 */
import '../cli/supported-node';
import { GlueClient } from '@aws-sdk/client-glue';
import { SFNClient } from '@aws-sdk/client-sfn';
import { parseFlagsAndPositionals, wholeNumberFlag } from '../cli/flags';
import { accountNames, stageNames } from '../config/naming';
import { readStageFile } from '../config/stage-file';
import { DEFAULT_LAKE_DIR, s3Lake } from '../store/lake';
import { isCredentialsError, MissingCredentialsError } from '../queries/athena-runner';
import { openLakeFor } from '../store/open-lake';
import { PIPELINE_AREA, readRunRecords, type PipelineRunRecord } from './records';
import { pipelineRunText } from './run-text';
import { findStateMachine, stageRuns } from './stage-status';

const DEFAULT_LIMIT = 10;

const USAGE = `Usage: npm run pipeline -- status [--store <lake> | --stage <stage>] [--limit <n>] [--json]

  status          the last pipeline runs, newest first: outcome, events loaded and rejected, freshness
  --store <lake>  a local lake's run records (default ${DEFAULT_LAKE_DIR}; npm run local writes them)
  --stage <name>  a deployed stage (Pulumi.<name>.yaml): Step Functions executions, Glue job runs and
                  the ETL's run records in the results bucket (AWS credentials from the default chain)
  --limit <n>     how many runs (default ${DEFAULT_LIMIT})
  --json          print the runs as JSON`;

async function stageStatus(stage: string, limit: number): Promise<PipelineRunRecord[]> {
  const config = readStageFile(stage);
  const stageOnly = stageNames(config);
  const target = { stage, stateMachineName: stageOnly.resource('pipeline'), glueJobName: stageOnly.resource('etl') };
  const sfn = new SFNClient({ region: config.region });
  const arn = await findStateMachine(sfn, target);
  // Bucket names carry the account, which the state machine's ARN tells.
  const names = accountNames(config, arn.split(':')[4]);
  const lake = s3Lake({ region: config.region, buckets: { raw: names.bucket('raw'), processed: names.bucket('processed'), results: names.bucket('results') } });
  return stageRuns(target, arn, { sfn, glue: new GlueClient({ region: config.region }), results: lake.store('etl') }, limit);
}

async function main(): Promise<void> {
  const { values, positionals } = parseFlagsAndPositionals(process.argv.slice(2), {
    store: { type: 'string' },
    stage: { type: 'string' },
    limit: { type: 'string', default: String(DEFAULT_LIMIT) },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] !== 'status' || positionals.length > 1) {
    throw new Error(`unknown command "${positionals.join(' ')}"; the pipeline CLI has one: npm run pipeline -- status (--help for its options)`);
  }
  if (values.store !== undefined && values.stage !== undefined) throw new Error('give --store (a local lake) or --stage (a deployed stage), not both');
  const limit = wholeNumberFlag('limit', values.limit) ?? DEFAULT_LIMIT;
  let runs: PipelineRunRecord[];
  if (values.stage !== undefined) {
    const stage = values.stage;
    runs = await stageStatus(stage, limit).catch((error: unknown) => {
      throw isCredentialsError(error) ? new MissingCredentialsError(readStageFile(stage).region, error, 'Step Functions') : error;
    });
  } else {
    const { lake } = await openLakeFor(values.store ?? DEFAULT_LAKE_DIR, 'existing', { command: 'npm run pipeline -- status' });
    runs = await readRunRecords(lake.store(PIPELINE_AREA), limit);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
  } else if (runs.length === 0) {
    process.stdout.write(`no pipeline run yet${values.stage ? ` in stage ${values.stage}` : ' in this lake (npm run local runs one)'}\n`);
  } else {
    process.stdout.write(runs.map(pipelineRunText).join('\n'));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`pipeline: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
