-- event_fates: the valid lines this run does not load, and why: every copy of an event id after the
-- first (by source key, then line) is a duplicate in the run; a first copy whose id an earlier run
-- stored is already loaded. Every other valid line is loaded.
-- kind: materialize
WITH valid AS (
  SELECT source_key, line_number, event_key
  FROM validated
  WHERE reason_code IS NULL
),

repeated AS (
  SELECT event_key
  FROM valid
  GROUP BY event_key
  HAVING count(*) > 1
),

copies AS (
  SELECT
    valid.source_key,
    valid.line_number,
    row_number() OVER (PARTITION BY valid.event_key ORDER BY valid.source_key, valid.line_number) AS copy_number
  FROM valid
  JOIN repeated ON repeated.event_key = valid.event_key
),

stored AS (
  SELECT DISTINCT event_id FROM existing_events
)

SELECT
  valid.source_key,
  valid.line_number,
  CASE WHEN copies.copy_number > 1 THEN 'duplicate_in_run' ELSE 'already_loaded' END AS outcome
FROM valid
LEFT JOIN copies ON copies.source_key = valid.source_key AND copies.line_number = valid.line_number
LEFT JOIN stored ON stored.event_id = valid.event_key
WHERE copies.copy_number > 1 OR stored.event_id IS NOT NULL
