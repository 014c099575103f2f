import { expect } from 'chai';
import validate from 'asl-validator';
import { Parser } from 'node-sql-parser';
import { taskStates, type StateMachineDefinition } from '../../orchestration/asl';
import { loadChecks } from '../../orchestration/checks';
import { INTEGRATIONS, integrationOf, pipelineDefinition, STATES, type PipelineTargets } from '../../orchestration/definition';
import { localDefinition } from '../../orchestration/local-definition';
import { replacePlaceholders } from '../../queries/sql-text';

const checks = loadChecks();

const STAGE_TARGETS: PipelineTargets = {
  partition: 'aws',
  stage: 'prod',
  rawBucket: 'clickstream-prod-raw',
  glueJobName: 'clickstream-prod-etl',
  etlTimeoutMinutes: 120,
  workgroup: 'clickstream-prod-analytics',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:clickstream-prod-pipeline',
  maxDataAgeDays: 1,
  checks,
};

const RENDERINGS: ReadonlyArray<[string, StateMachineDefinition]> = [
  ['a stage', pipelineDefinition(STAGE_TARGETS)],
  ['a stage with SPICE data sets', pipelineDefinition({ ...STAGE_TARGETS, importedDataSets: { awsAccountId: '123456789012', dataSetIds: ['events-daily'] } })],
  ['the local lake', localDefinition(2)],
];

/** What Step Functions receives: the JSON text, read back (the validator also annotates its input). */
function asDeployed(definition: StateMachineDefinition): unknown {
  return JSON.parse(JSON.stringify(definition));
}

describe('pipeline state machine definition', () => {
  for (const [what, definition] of RENDERINGS) {
    it(`renders valid Amazon States Language for ${what} (asl-validator, paths and ARNs checked)`, () => {
      const result = validate(asDeployed(definition), { checkPaths: true, checkArn: true });
      expect(result.errorsText(), what).to.equal('');
      expect(result.isValid).to.equal(true);
    });
  }

  it('is refused by the validator when a failure leads to a state that does not exist (the check is real)', () => {
    const broken = asDeployed(pipelineDefinition(STAGE_TARGETS)) as { States: Record<string, { Catch?: Array<{ Next: string }> }> };
    broken.States[STATES.runEtl].Catch = [{ ...broken.States[STATES.runEtl].Catch![0], Next: 'Nowhere' }];
    expect(validate(broken).isValid).to.equal(false);
  });

  it('sends every failing step to the notification, which then fails the run with the error and its cause', () => {
    const definition = pipelineDefinition(STAGE_TARGETS);
    for (const [name, state] of taskStates(definition)) {
      if (name === STATES.notifyFailure) continue;
      expect(state.Catch, name).to.deep.equal([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: STATES.notifyFailure }]);
    }
    expect(definition.States[STATES.notifyFailure]).to.include({ Next: STATES.failed });
    expect(definition.States[STATES.failed]).to.deep.equal({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
  });

  it('retries every service call on its transient errors with exponential backoff', () => {
    for (const [name, state] of taskStates(pipelineDefinition(STAGE_TARGETS))) {
      expect(state.Retry, name).to.have.length(1);
      const [retrier] = state.Retry!;
      expect(retrier.ErrorEquals, name).to.not.include('States.ALL');
      expect(retrier.BackoffRate, name).to.be.greaterThan(1);
      expect(retrier.MaxAttempts, name).to.be.greaterThan(1);
    }
  });

  it('waits for the Glue job of the stage and runs the checks in the stage workgroup', () => {
    const definition = pipelineDefinition(STAGE_TARGETS);
    const etl = definition.States[STATES.runEtl];
    expect(etl).to.include({ Resource: 'arn:aws:states:::glue:startJobRun.sync' });
    expect(etl).to.have.nested.property('Parameters.JobName', 'clickstream-prod-etl');
    for (const state of [STATES.checkLoad, STATES.checkFreshness]) {
      expect(definition.States[state], state).to.have.nested.property('Parameters.WorkGroup', 'clickstream-prod-analytics');
    }
    const integrations = taskStates(definition).map(([, state]) => integrationOf(state.Resource));
    expect(integrations).to.not.include(undefined);
    expect(integrations).to.not.include('createIngestion');
  });

  it('refreshes SPICE data sets only when the stage imports some', () => {
    const withSpice = pipelineDefinition({ ...STAGE_TARGETS, importedDataSets: { awsAccountId: '123456789012', dataSetIds: ['a', 'b'] } });
    expect(taskStates(withSpice).map(([, state]) => state.Resource)).to.include(`arn:aws:states:::${INTEGRATIONS.createIngestion}`);
    expect(withSpice.States[STATES.dataFresh]).to.have.nested.property('Choices[0].Next', STATES.refreshDataSets);
    expect(pipelineDefinition(STAGE_TARGETS).States[STATES.dataFresh]).to.have.nested.property('Choices[0].Next', STATES.done);
  });

  it('deploys the checks as the files hold them, and each parses as Trino (Athena) SQL', () => {
    const parser = new Parser();
    for (const query of [checks.load, checks.freshness]) {
      const literal = query.parameters.map(() => "'2026-11-29T12:00:00.000Z'");
      expect(() => parser.astify(replacePlaceholders(query.sql, literal, query.source), { database: 'trino' }), query.name).to.not.throw();
    }
    expect(pipelineDefinition(STAGE_TARGETS).States[STATES.checkLoad]).to.have.nested.property('Parameters.QueryString', checks.load.sql);
  });
});
