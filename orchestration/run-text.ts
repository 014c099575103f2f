/** A pipeline run as the terminal shows it: `npm run local` after the run, `npm run pipeline -- status` for each. */
import type { PipelineRunRecord } from './records';

const number = (value: number): string => value.toLocaleString('en-US');

function freshnessText(freshness: PipelineRunRecord['freshness']): string {
  if (!freshness) return 'not checked';
  if (freshness.newestEventDate === null) return 'no event in the last 31 days';
  return `newest event_date ${freshness.newestEventDate} (${freshness.ageDays} day${freshness.ageDays === 1 ? '' : 's'} old)`;
}

/** The run's outcome, the states it went through, what it loaded and how fresh the data is. */
export function pipelineRunText(run: PipelineRunRecord): string {
  return [
    `pipeline run ${run.runId}: ${run.outcome}`,
    ...(run.path.length > 0 ? [`  states:    ${run.path.join(' → ')}`] : []),
    `  started:   ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ' (still running)'}`,
    `  loaded:    ${number(run.loaded)} events, ${number(run.rejected)} rejected (ETL runs: ${run.etlRuns.length === 0 ? 'none' : run.etlRuns.join(', ')})`,
    `  freshness: ${freshnessText(run.freshness)}`,
    ...(run.glueJobRun ? [`  glue run:  ${run.glueJobRun.id} ${run.glueJobRun.state}${run.glueJobRun.error ? `: ${run.glueJobRun.error}` : ''}`] : []),
    ...(run.error ? [`  failure:   ${run.error}: ${run.cause ?? ''}`] : []),
    ...(run.notification ? [`  notified:  ${run.notification}`] : []),
    '',
  ].join('\n');
}

/** Why `npm run local` stops: the run, the reason and where the notification is. */
export function pipelineFailureText(run: PipelineRunRecord): string {
  return (
    `the pipeline run ${run.runId} failed: ${run.error ?? 'unknown error'}: ${run.cause ?? ''}; ` +
    `the notification is in the lake at ${run.notification ?? '(none written)'}, and npm run pipeline -- status lists the last runs`
  );
}
