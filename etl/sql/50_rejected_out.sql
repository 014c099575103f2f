-- rejected_out: the rows this run adds to `rejected_events` (model/tables.ts REJECTED_EVENTS): every
-- line that broke a rule, exactly as read, with where it came from and why. Columns are derived
-- here as out_<name>; rejected_columns lists them in the model's order and types.
-- kind: view
WITH derived AS (
  SELECT
    validated.rejected_line AS out_raw_line,
    validated.source_key AS out_source_key,
    validated.line_number AS out_line_number,
    validated.reason_code AS out_reason_code,
    validated.reason_detail AS out_reason_detail,
    params.run_id AS out_run_id,
    params.rejected_at AS out_rejected_at
  FROM validated
  CROSS JOIN etl_params AS params
  WHERE validated.reason_code IS NOT NULL
)

SELECT
  {{ rejected_columns }}
FROM derived
