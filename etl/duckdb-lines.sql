-- input_lines: the DuckDB engine's reading of its input objects into lines (etl/lines.ts states the
-- rules; glue_helpers.py split_lines applies the same ones on Spark). Objects arrive as blocks of
-- whole lines with the number of their first line (raw_blocks, cut at newlines and numbered by
-- etl/duckdb-engine.ts). One CR before LF is dropped; blank lines are skipped. A view: the lines are
-- split as the first look (etl/duckdb-typed-lines.sql) reads them, never stored as a table.
CREATE OR REPLACE TEMP VIEW input_lines AS
WITH lines AS (
  SELECT
    source_key,
    first_line - 1 + generate_subscripts(parts, 1) AS line_number,
    unnest(parts) AS part
  FROM (SELECT source_key, first_line, string_split(decode(block), chr(10)) AS parts FROM raw_blocks)
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
