-- run_counts: how every record of the run ended, for the summary and its reconciliation:
-- lines read + unreadable inputs = loaded + rejected (by reason) + duplicates (in this run, or
-- loaded or rejected before).
-- kind: query
SELECT 'rejected' AS outcome, reason_code AS detail, count(*) AS line_count
FROM rejected_out
GROUP BY reason_code

UNION ALL

SELECT 'duplicate' AS outcome, outcome AS detail, count(*) AS line_count
FROM event_fates
GROUP BY outcome

UNION ALL

SELECT 'duplicate' AS outcome, outcome AS detail, count(*) AS line_count
FROM rejection_fates
GROUP BY outcome

UNION ALL

SELECT 'loaded' AS outcome, 'loaded' AS detail, count(*) - (SELECT count(*) FROM event_fates) AS line_count
FROM validated
WHERE reason_code IS NULL
