-- name: data_freshness
-- description: Post-load check of a pipeline run: the newest event_date in the events table within the last 31 days, and its age in whole days (UTC). No row in that window gives nulls: the data is stale.

select
  cast(max(event_date) as varchar) as newest_event_date,
  date_diff('day', max(event_date), current_date) as age_days
from events
-- Only recent partitions: the check stays cheap however much history the table holds.
where event_date >= current_date - interval '31' day
