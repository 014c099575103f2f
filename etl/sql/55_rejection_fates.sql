-- rejection_fates: the rejections this run does not write again, and why: a (source key, line)
-- that rejected_events already holds was rejected by an earlier run over the same file (a replay)
-- and is already rejected. Within one run a (source key, line) is unique: every input key is read
-- once.
-- kind: materialize
WITH stored AS (
  SELECT DISTINCT source_key, line_number FROM existing_rejections
)

SELECT
  rejections.source_key,
  rejections.line_number,
  'already_rejected' AS outcome
FROM rejections
JOIN stored ON stored.source_key = rejections.source_key AND stored.line_number = rejections.line_number
