/**
 * The definition a stage deploys, rendered for the local lake: the same states, with names that
 * stand for the stage's (locally every Task state is bound to a local engine, so nothing looks them up).
 */
import type { StateMachineDefinition } from './asl';
import { loadChecks } from './checks';
import { pipelineDefinition, type PipelineChecks } from './definition';

export const LOCAL_STATE_MACHINE = {
  name: 'clickstream-local-pipeline',
  arn: 'arn:aws:states:local:000000000000:stateMachine:clickstream-local-pipeline',
} as const;

/** Locally generated traffic ends before yesterday (generator/run.ts defaultStart), so two days is fresh here. */
export const DEFAULT_MAX_DATA_AGE_DAYS = 2;

export function localDefinition(maxDataAgeDays: number = DEFAULT_MAX_DATA_AGE_DAYS, checks: PipelineChecks = loadChecks()): StateMachineDefinition {
  return pipelineDefinition({
    partition: 'aws',
    stage: 'local',
    rawBucket: 'local-raw',
    glueJobName: 'local-etl',
    etlTimeoutMinutes: 60,
    workgroup: 'local',
    topicArn: 'arn:aws:sns:local:000000000000:clickstream-local-pipeline',
    maxDataAgeDays,
    checks,
  });
}
