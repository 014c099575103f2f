-- input_lines: the DuckDB engine's reading of its input objects into lines (etl/lines.ts states the
-- rules; glue_helpers.py split_lines applies the same ones on Spark). Each input (input_files: files
-- DuckDB reads itself, and small objects as rows; valid UTF-8, the engine made sure) comes with its
-- source key. A byte order mark at the start is dropped, lines
-- are numbered from 1, one CR before LF is dropped, blank lines are skipped. A view: the inputs are
-- read and split as the first look (etl/duckdb-typed-lines.sql) reads them, never stored whole.
CREATE OR REPLACE TEMP VIEW input_lines AS
WITH texts AS (
  SELECT
    inputs.source_key,
    decode(inputs.content) AS text
  FROM (
    {{ input_files }}
  ) AS inputs
),

lines AS (
  SELECT
    source_key,
    generate_subscripts(parts, 1) AS line_number,
    unnest(parts) AS part
  FROM (
    SELECT
      source_key,
      string_split(CASE WHEN starts_with(text, chr(65279)) THEN substr(text, 2) ELSE text END, chr(10)) AS parts
    FROM texts
  )
),

trimmed AS (
  SELECT
    source_key,
    CAST(line_number AS INTEGER) AS line_number,
    CASE WHEN ends_with(part, chr(13)) THEN left(part, length(part) - 1) ELSE part END AS line
  FROM lines
)

SELECT source_key, line_number, line
FROM trimmed
WHERE CASE WHEN ascii(line) IN (9, 13, 32) THEN trim(line, chr(9) || chr(13) || chr(32)) <> '' ELSE line <> '' END
