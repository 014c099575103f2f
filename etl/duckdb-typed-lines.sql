-- typed_lines_<reader>: the DuckDB engine's first look at a reader's input lines (etl/typed-read-sql.ts): one typed
-- parse and the contract's rules on the typed values. typed_ok lines are valid and carry what
-- `validated` (etl/sql/10_validated.sql) gives a valid line; the others keep their text for the
-- per-rule checks, which give their reason (or find them valid after all).
CREATE OR REPLACE TABLE {{ typed_lines_table }} AS
WITH parsed AS (
  SELECT
    input.source_key,
    input.line_number,
    input.line,
    try(json_transform(input.line, {{ typed_structure }})) AS doc
  FROM input_lines AS input
),

fields AS (
  SELECT
    parsed.source_key,
    parsed.line_number,
    parsed.line,
    parsed.doc IS NOT NULL AS is_object,
    {{ typed_field_columns }}
  FROM parsed
),

field_values AS (
  SELECT
    fields.*,
    {{ schema_version_column }},
    {{ typed_value_columns }}
  FROM fields
),

-- Only keys a location may be: a line that matches one has a valid location.
location_keys AS (
  SELECT *
  FROM (SELECT CAST(locations.location_id AS VARCHAR) AS location_key, locations.* FROM locations)
  WHERE {{ location_key_conforms }}
),

judged AS (
  SELECT
    field_values.*,
    location_keys.location_id AS known_location_id,
    {{ typed_ok }} AS typed_ok
  FROM field_values
  CROSS JOIN etl_params AS params
  LEFT JOIN location_keys ON location_keys.location_key = field_values.location__str
)

SELECT
  source_key,
  line_number,
  typed_ok,
  CASE WHEN NOT typed_ok THEN line END AS line,
  schema_version__value AS version,
  CASE WHEN typed_ok THEN {{ event_key }} END AS event_key,
  CASE WHEN typed_ok THEN {{ epoch_to_date(timestamp__num) }} END AS event_date,
  known_location_id,
  {{ field_value_names }}
FROM judged
