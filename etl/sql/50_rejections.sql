-- rejections: every record this run refuses, before deduplication: each line that broke a rule,
-- exactly as read, and each input that could not be read at all (unreadable_inputs: a truncated or
-- not-gzip .gz, no permission), as one record standing for the whole file: line 0, no raw line, the
-- decompressor's or the system's message as detail.
-- kind: materialize
SELECT
  source_key,
  line_number,
  reason_code,
  reason_detail,
  rejected_line AS raw_line
FROM validated
WHERE reason_code IS NOT NULL

UNION ALL

SELECT
  source_key,
  {{ whole_file_line_number }} AS line_number,
  {{ reason_code(unreadable_file) }} AS reason_code,
  reason_detail,
  CAST(NULL AS {{ type(string) }}) AS raw_line
FROM unreadable_inputs
