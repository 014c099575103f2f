-- validated: every raw line, parsed and judged against the event contract (model/events.ts).
-- One row per line. reason is NULL for a valid event, else the first rule the line breaks, in the
-- order model/validate.ts checks them (the CASE is generated from EVENT_FIELDS). Valid rows also get
-- their event key, date and location id (its names are joined where they are written); rejected rows
-- keep the line as read, so that no later step has to read raw_lines again.
-- kind: materialize
WITH parsed AS (
  SELECT
    raw.source_key,
    raw.line_number,
    raw.line,
    {{ parse_document(raw.line) }} AS doc
  FROM raw_lines AS raw
),

field_texts AS (
  SELECT
    parsed.source_key,
    parsed.line_number,
    parsed.line,
    parsed.doc,
    {{ field_text_columns }}
  FROM parsed
),

field_values AS (
  SELECT
    field_texts.*,
    {{ schema_version_column }},
    {{ field_value_columns }}
  FROM field_texts
),

location_keys AS (
  SELECT
    CAST(locations.location_id AS {{ type(string) }}) AS location_key,
    locations.*
  FROM locations
),

judged AS (
  SELECT
    field_values.*,
    location_keys.location_id AS known_location_id,
    {{ first_reason }} AS first_reason
  FROM field_values
  CROSS JOIN etl_params AS params
  LEFT JOIN location_keys ON location_keys.location_key = field_values.location__str
),

rechecked AS (
  SELECT
    judged.*,
    {{ rechecked_reason(first_reason) }} AS reason
  FROM judged
)

SELECT
  source_key,
  line_number,
  reason.code AS reason_code,
  reason.field AS reason_field,
  reason.detail AS reason_detail,
  CASE WHEN reason IS NOT NULL THEN line END AS rejected_line,
  schema_version__value AS version,
  -- Version 1 events have no id: derive one from where they were read, so a rerun derives the same.
  CASE WHEN reason IS NULL THEN {{ event_key }} END AS event_key,
  CASE WHEN reason IS NULL THEN {{ epoch_to_date(timestamp__num) }} END AS event_date,
  known_location_id,
  {{ field_value_names }}
FROM rechecked
