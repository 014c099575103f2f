import { expect } from 'chai';
import validate from 'asl-validator';
import { readStageFile } from '../../config/stage-file';
import type { MockRun, RecordedResource } from '../../components/plan/mock-run';
import { MOCK_ACCOUNT_ID } from '../../components/plan/mock-run';
import { pipelineLogGroupName } from '../../components/orchestration/pipeline';
import { loadChecks } from '../../orchestration/checks';
import { DATA_AGE_METRIC, STATES } from '../../orchestration/definition';
import { parsePolicyDocument } from '../../policy/iam-document';
import { TYPES, reviewStack } from '../../policy/rules';
import { STAGES, at, mockedNames, named, ofType, stageRun } from './stacks';

const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';

for (const stage of STAGES) {
  describe(`orchestration (${stage})`, () => {
    const config = readStageFile(stage);
    const names = mockedNames(config);
    const pipelineName = names.resource('pipeline');
    let run: MockRun;
    let machine: RecordedResource;
    let definition: { States: Record<string, Record<string, unknown>> };
    before(async () => {
      run = await stageRun(stage);
      [machine] = ofType(run, TYPES.stateMachine);
      definition = JSON.parse(String(machine.inputs.definition)) as typeof definition;
    });

    it('deploys one clickstream:orchestration:Pipeline with a standard state machine of valid ASL', () => {
      expect(ofType(run, 'clickstream:orchestration:Pipeline')).to.have.length(1);
      expect(machine.inputs).to.include({ name: pipelineName, type: 'STANDARD' });
      const result = validate(JSON.parse(String(machine.inputs.definition)));
      expect(result.errorsText()).to.equal('');
    });

    it("runs this stage's Glue job, checks in this stage's workgroup and notifies this stage's topic", () => {
      expect(at(definition.States[STATES.runEtl], 'Parameters', 'JobName')).to.equal(names.resource('etl'));
      expect(at(definition.States[STATES.checkRaw], 'Parameters', 'Bucket')).to.equal(names.bucket('raw'));
      expect(at(definition.States[STATES.checkFreshness], 'Parameters', 'WorkGroup')).to.equal(names.workgroup);
      expect(at(definition.States[STATES.checkFreshness], 'Parameters', 'QueryString')).to.equal(loadChecks().freshness.sql);
      const [topic] = ofType(run, TYPES.snsTopic);
      expect(at(definition.States[STATES.notifyFailure], 'Parameters', 'TopicArn')).to.equal(`arn:aws:mock:::Topic/${topic.inputs.name}`);
      expect(at(definition.States[STATES.dataFresh], 'Choices', 0, 'NumericLessThanEquals')).to.equal(config.orchestration.maxDataAgeDays);
    });

    it('logs every execution to its CloudWatch log group', () => {
      const [group] = ofType(run, 'aws:cloudwatch/logGroup:LogGroup').filter((log) => log.inputs.name === pipelineLogGroupName(names.stem));
      expect(group, 'the log group').to.not.equal(undefined);
      expect(machine.inputs.loggingConfiguration).to.deep.include({ level: 'ALL', includeExecutionData: true });
      expect(at(machine.inputs, 'loggingConfiguration', 'logDestination')).to.match(/:\*$/);
    });

    it('encrypts the topic with its own rotating key that alarms may use, and subscribes the stage config', () => {
      const [topic] = ofType(run, TYPES.snsTopic);
      const [key] = ofType(run, 'aws:kms/key:Key');
      expect(topic.inputs.kmsMasterKeyId).to.equal('arn:aws:mock:::Key/pipeline-topic-key');
      expect(key.inputs.enableKeyRotation).to.equal(true);
      const keyPolicy = parsePolicyDocument(key.inputs.policy);
      expect(keyPolicy.flatMap((statement) => statement.principals)).to.include('cloudwatch.amazonaws.com');
      const subscriptions = ofType(run, 'aws:sns/topicSubscription:TopicSubscription');
      expect(subscriptions.map((subscription) => ({ protocol: subscription.inputs.protocol, endpoint: subscription.inputs.endpoint }))).to.deep.equal(
        config.orchestration.notifications,
      );
    });

    it(config.etl.schedule === null ? 'has no schedule: runs start by hand' : `starts on the schedule ${config.etl.schedule}, through a role that may only start it`, () => {
      const rules = ofType(run, 'aws:cloudwatch/eventRule:EventRule');
      if (config.etl.schedule === null) {
        expect(rules).to.be.empty;
        return;
      }
      expect(rules.map((rule) => rule.inputs.scheduleExpression)).to.deep.equal([config.etl.schedule]);
      const [target] = ofType(run, 'aws:cloudwatch/eventTarget:EventTarget');
      expect(target.inputs.arn).to.equal(`arn:aws:mock:::StateMachine/${pipelineName}`);
      const statements = parsePolicyDocument(named(run, 'pipeline-schedule-access').inputs.policy);
      expect(statements.map((statement) => [statement.actions, statement.resources])).to.deep.equal([[['states:StartExecution'], [target.inputs.arn]]]);
    });

    it('limits the state machine to this job, this workgroup, this topic and its own executions', () => {
      const statements = parsePolicyDocument(named(run, 'pipeline-access').inputs.policy);
      const resourcesOf = (action: string) => statements.filter((statement) => statement.actions.includes(action)).flatMap((statement) => statement.resources);
      const account = `${config.region}:${MOCK_ACCOUNT_ID}`;
      expect(resourcesOf('glue:StartJobRun')).to.deep.equal([`arn:aws:glue:${account}:job/${names.resource('etl')}`]);
      expect(resourcesOf('athena:StartQueryExecution')).to.deep.equal([`arn:aws:athena:${account}:workgroup/${names.workgroup}`]);
      expect(resourcesOf('sns:Publish')).to.deep.equal([`arn:aws:mock:::Topic/${pipelineName}`]);
      expect(resourcesOf('states:ListExecutions')).to.deep.equal([`arn:aws:states:${account}:stateMachine:${pipelineName}`]);
      expect(resourcesOf('s3:GetObject')).to.not.include(`arn:aws:s3:::${names.bucket('raw')}/raw/*`);
    });

    it('alarms to the topic on failed runs and on stale data', () => {
      const alarms = ofType(run, ALARM);
      const failed = alarms.find((alarm) => alarm.inputs.name === names.resource('pipeline-failed-runs'));
      const stale = alarms.find((alarm) => alarm.inputs.name === names.resource('pipeline-stale-data'));
      const topicArn = `arn:aws:mock:::Topic/${pipelineName}`;
      expect(failed?.inputs.alarmActions).to.deep.equal([topicArn]);
      const metrics = (failed?.inputs.metricQueries as Array<{ metric?: { metricName: string } }>).flatMap((query) => (query.metric ? [query.metric.metricName] : []));
      expect(metrics).to.have.members(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']);
      expect(stale?.inputs).to.include({
        namespace: DATA_AGE_METRIC.namespace,
        metricName: DATA_AGE_METRIC.name,
        threshold: config.orchestration.maxDataAgeDays,
        treatMissingData: config.etl.schedule === null ? 'notBreaching' : 'breaching',
      });
      expect(stale?.inputs.alarmActions).to.deep.equal([topicArn]);
    });

    it('passes every policy rule', () => {
      const reviewed = run.resources.filter((resource) => !resource.component).map((resource) => ({ type: resource.type, name: resource.name, props: resource.inputs }));
      expect(reviewStack(reviewed).filter((violation) => /sns|sfn|pipeline/.test(violation.resource))).to.deep.equal([]);
    });
  });
}
