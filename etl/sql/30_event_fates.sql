-- event_fates: the valid lines this run does not load, and why: every copy of an event id after the
-- first (by source key, then line) is a duplicate in the run; a first copy whose id an earlier run
-- stored is already loaded. Every other valid line is loaded.
-- kind: materialize
WITH repeated AS (
  SELECT event_key
  FROM validated
  WHERE reason_code IS NULL
  GROUP BY event_key
  HAVING count(*) > 1
),

copies AS (
  SELECT
    validated.source_key,
    validated.line_number,
    row_number() OVER (PARTITION BY validated.event_key ORDER BY validated.source_key, validated.line_number) AS copy_number
  FROM validated
  JOIN repeated ON repeated.event_key = validated.event_key
  WHERE validated.reason_code IS NULL
),

stored AS (
  SELECT DISTINCT event_id FROM existing_events
)

SELECT
  validated.source_key,
  validated.line_number,
  CASE WHEN copies.copy_number > 1 THEN 'duplicate_in_run' ELSE 'already_loaded' END AS outcome
FROM validated
LEFT JOIN copies ON copies.source_key = validated.source_key AND copies.line_number = validated.line_number
LEFT JOIN stored ON stored.event_id = validated.event_key
WHERE validated.reason_code IS NULL AND (copies.copy_number > 1 OR stored.event_id IS NOT NULL)
