-- name: load_check
-- description: Post-load check of a pipeline run: the events that ETL runs started since the run began loaded, and how many event ids among them are stored more than once (must be 0: the ETL deduplicates, so any repeat means a broken commit).
-- param: since (string): when the pipeline run started, as ISO 8601 (Step Functions' Execution.StartTime); ETL run ids sort by their start time

with loaded_since as (
  select event_id
  from events
  -- Run ids read 20261125T080102Z-1a2b3c4d: the ISO start time without dashes, colons and fraction.
  where run_id >= substr(replace(replace(?, '-', ''), ':', ''), 1, 15) || 'Z'
)
select
  count(*) as loaded_events,
  count(*) - count(distinct event_id) as repeated_event_ids
from loaded_since
