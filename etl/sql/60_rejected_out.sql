-- rejected_out: the rows this run adds to `rejected_events` (model/tables.ts REJECTED_EVENTS): every
-- rejection no earlier run stored, with where it came from and why. Columns are derived here as
-- out_<name>; rejected_columns lists them in the model's order and types.
-- kind: view
WITH derived AS (
  SELECT
    rejections.raw_line AS out_raw_line,
    rejections.source_key AS out_source_key,
    rejections.line_number AS out_line_number,
    rejections.reason_code AS out_reason_code,
    rejections.reason_detail AS out_reason_detail,
    params.run_id AS out_run_id,
    params.rejected_at AS out_rejected_at
  FROM rejections
  LEFT JOIN rejection_fates ON rejection_fates.source_key = rejections.source_key AND rejection_fates.line_number = rejections.line_number
  CROSS JOIN etl_params AS params
  WHERE rejection_fates.outcome IS NULL
)

SELECT
  {{ rejected_columns }}
FROM derived
