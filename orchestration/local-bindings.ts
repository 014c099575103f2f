/**
 * The pipeline's Task states bound to the local engines: each service integration the definition
 * calls (orchestration/definition.ts INTEGRATIONS) answered by this machine, in the shape the AWS
 * service answers, so the definition's selectors, choices and failure paths run unchanged.
 *
 *   sfn:listExecutions         the pipeline runs in progress on this lake (in this process)
 *   s3:listObjectsV2           the lake's raw/ area
 *   glue:startJobRun.sync      runEtl on DuckDB
 *   athena:startQueryExecution the named check on DuckDB (openLocalCatalog)
 *   athena:getQueryResults     that result as Athena's text rows
 *   cloudwatch:putMetricData   kept in the run's record
 *   sns:publish                printed, and written to a file in the lake
 */
import { randomUUID } from 'node:crypto';
import { EtlLockedError } from '../etl/protocol/lease';
import { runEtl, type EtlOptions } from '../etl/run';
import type { EtlSummary } from '../etl/summary';
import type { NamedQuery } from '../queries/catalogue';
import { openLocalCatalog } from '../queries/local-catalog';
import { runLocalNamedQuery } from '../queries/local-runner';
import type { QueryResult } from '../queries/result';
import type { Lake } from '../store/lake';
import type { Json, StateMachineDefinition } from './asl';
import { taskStates } from './asl';
import { integrationOf, type Integration, type PipelineChecks } from './definition';
import { notificationKey, PIPELINE_AREA } from './records';

/** An error as Step Functions names it, so the definition's Retry and Catch match it by name. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** What the local services saw during one run, for its record and the terminal. */
export interface LocalServiceLog {
  etl?: EtlSummary;
  readonly metrics: Array<{ readonly name: string; readonly value: number }>;
  notification?: { readonly key: string; readonly subject: string; readonly message: string };
}

export interface LocalServices {
  readonly lake: Lake;
  readonly checks: PipelineChecks;
  readonly runId: string;
  /** Runs in progress on this lake, oldest first, this one included. */
  readonly running: () => readonly string[];
  readonly etl: (lake: Lake) => Promise<EtlSummary>;
  readonly print: (text: string) => void;
  readonly log: LocalServiceLog;
}

type Handler = (input: Json) => Promise<Json>;

function field(input: Json, name: string): Json | undefined {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, Json>)[name] : undefined;
}

function text(input: Json, name: string): string {
  const value = field(input, name);
  if (typeof value !== 'string') throw new TaskError('States.Runtime', `the task input has no text field ${name}: ${JSON.stringify(input)}`);
  return value;
}

/** Athena's ExecutionParameters are SQL literals: `'text'` or a number. */
function literalText(literal: string): string {
  const quoted = /^'(.*)'$/s.exec(literal);
  return quoted ? quoted[1].replace(/''/g, "'") : literal;
}

function athenaRows(result: QueryResult): Json {
  const cell = (value: unknown): Json => (value === null ? {} : { VarCharValue: String(value) });
  return {
    ResultSet: {
      Rows: [{ Data: result.columns.map((column) => cell(column.name)) }, ...result.rows.map((row) => ({ Data: row.map(cell) }))],
      ResultSetMetadata: { ColumnInfo: result.columns.map((column) => ({ Name: column.name, Type: column.engineType })) },
    },
  };
}

/** The ETL's failures as Glue's: a held lease is Glue's "another run is going", which is retried. */
function asGlueError(error: unknown): Error {
  if (error instanceof EtlLockedError) return new TaskError('Glue.ConcurrentRunsExceededException', error.message);
  return new TaskError('States.TaskFailed', `the ETL failed: ${error instanceof Error ? error.message : String(error)}`);
}

function handlers(services: LocalServices): Record<Integration, Handler> {
  const results = new Map<string, QueryResult>();
  const queries = [services.checks.load, services.checks.freshness];
  const queryOf = (sql: string): NamedQuery => {
    const query = queries.find((candidate) => candidate.sql === sql);
    if (!query) throw new TaskError('Athena.InvalidRequestException', 'the query is not one of orchestration/checks/*.sql; only the named checks run locally');
    return query;
  };

  return {
    // Step Functions lists the newest first (the SDK integration answers with capitalised keys).
    listExecutions: async () => ({ Executions: [...services.running()].reverse().map((name) => ({ Name: name, Status: 'RUNNING' })) }),
    listObjects: async (input) => {
      const page = await services.lake.store('raw').listPage(text(input, 'Prefix'), { pageSize: Number(field(input, 'MaxKeys') ?? 1000) });
      return { KeyCount: page.objects.length, Contents: page.objects.map((object) => ({ Key: object.key, Size: object.size })) };
    },
    runGlueJob: async () => {
      try {
        services.log.etl = await services.etl(services.lake);
      } catch (error) {
        throw asGlueError(error);
      }
      return { Id: `local-${services.log.etl.runs.at(-1) ?? 'nothing-loaded'}`, JobRunState: 'SUCCEEDED', ExecutionTime: Math.round(services.log.etl.seconds) };
    },
    runAthenaQuery: async (input) => {
      const query = queryOf(text(input, 'QueryString'));
      const positional = field(input, 'ExecutionParameters');
      const given = Object.fromEntries(
        (Array.isArray(positional) ? positional : []).map((literal, index) => [query.parameters[index]?.name ?? `#${index + 1}`, literalText(String(literal))]),
      );
      const catalog = await openLocalCatalog(services.lake);
      try {
        const id = randomUUID();
        results.set(id, await runLocalNamedQuery(catalog, query, given));
        return { QueryExecution: { QueryExecutionId: id, Query: query.name, Status: { State: 'SUCCEEDED' } } };
      } catch (error) {
        throw new TaskError('States.TaskFailed', `${query.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await catalog.close();
      }
    },
    getQueryResults: async (input) => {
      const result = results.get(text(input, 'QueryExecutionId'));
      if (!result) throw new TaskError('Athena.InvalidRequestException', `no query execution ${text(input, 'QueryExecutionId')} in this run`);
      return athenaRows(result);
    },
    putMetricData: async (input) => {
      const data = field(input, 'MetricData');
      for (const datum of Array.isArray(data) ? data : []) {
        services.log.metrics.push({ name: String(field(datum, 'MetricName')), value: Number(field(datum, 'Value')) });
      }
      return {};
    },
    createIngestion: async () => {
      throw new TaskError('States.TaskFailed', 'QuickSight SPICE data sets do not exist locally; the local definition imports none');
    },
    publish: async (input) => {
      const subject = text(input, 'Subject');
      const message = text(input, 'Message');
      const key = notificationKey(services.runId);
      await services.lake.store(PIPELINE_AREA).put(key, `${subject}\n\n${message}\n`, { contentType: 'text/plain; charset=utf-8' });
      services.log.notification = { key, subject, message };
      services.print(`\n!! ${subject}\n${message}\n(notification written to ${services.lake.store(PIPELINE_AREA).description}/${key})\n`);
      return { MessageId: randomUUID() };
    },
  };
}

/** aws-local-stepfunctions' task overrides: every Task state of the definition, by its integration. */
export function localTaskHandlers(definition: StateMachineDefinition, services: LocalServices): Record<string, Handler> {
  const byIntegration = handlers(services);
  return Object.fromEntries(
    taskStates(definition).map(([name, state]) => {
      const integration = integrationOf(state.Resource);
      if (integration === undefined) throw new Error(`state ${name}: resource ${state.Resource} has no local binding; add it to orchestration/local-bindings.ts`);
      return [name, byIntegration[integration]];
    }),
  );
}

/** Runs the ETL as the RunEtl state does, with the given options (progress, tests' crash points). */
export function localEtl(options: EtlOptions = {}): (lake: Lake) => Promise<EtlSummary> {
  return (lake) => runEtl(lake, options);
}
