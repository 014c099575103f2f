-- clickstream-bi ETL transform, rendered for Spark SQL (Spark 3.5, Glue 5.0) from etl/sql/*.sql and model/events.ts by etl/transform.ts. Generated: do not edit.

-- statement: validated materialize
-- validated: every raw line, parsed and judged against the event contract (model/events.ts). One row per line. reason is NULL for a valid event, else the first rule the line breaks, in the order model/validate.ts checks them (the CASE is generated from EVENT_FIELDS). Valid rows also get their event key, date and location id (its names are joined where they are written); rejected rows keep the line as read, so that no later step has to read raw_lines again.
CREATE OR REPLACE TEMPORARY VIEW validated AS
WITH parsed AS (
  SELECT
    raw.source_key,
    raw.line_number,
    raw.line,
    from_json(raw.line, 'map<string,string>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')) AS doc
  FROM raw_lines AS raw
),

field_texts AS (
  SELECT
    parsed.source_key,
    parsed.line_number,
    parsed.line,
    parsed.doc,
    doc['schema_version'] AS schema_version__text,
    doc['event_id'] AS event_id__text,
    doc['event_type'] AS event_type__text,
    doc['user_id'] AS user_id__text,
    doc['session_id'] AS session_id__text,
    doc['user_action'] AS user_action__text,
    doc['product_category'] AS product_category__text,
    doc['product_id'] AS product_id__text,
    doc['price'] AS price__text,
    doc['quantity'] AS quantity__text,
    doc['location'] AS location__text,
    doc['user_age'] AS user_age__text,
    doc['timestamp'] AS timestamp__text,
    doc['page_url'] AS page_url__text,
    doc['referrer'] AS referrer__text,
    doc['device_type'] AS device_type__text,
    doc['browser'] AS browser__text,
    doc['os'] AS os__text,
    doc['utm_source'] AS utm_source__text,
    doc['utm_medium'] AS utm_medium__text,
    doc['utm_campaign'] AS utm_campaign__text
  FROM parsed
),

field_values AS (
  SELECT
    field_texts.*,
    CASE WHEN schema_version__text IS NULL THEN 1 WHEN (schema_version__text IS NOT NULL AND schema_version__text RLIKE '^-?[0-9]' AND from_json(line, 'struct<`schema_version`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NOT NULL) AND CAST(schema_version__text AS DOUBLE) IN (1, 2) THEN CAST(CAST(schema_version__text AS DOUBLE) AS INT) END AS schema_version__value,
    CAST(schema_version__text AS DOUBLE) AS schema_version__num,
    event_id__text AS event_id__str,
    event_type__text AS event_type__str,
    user_id__text AS user_id__str,
    session_id__text AS session_id__str,
    user_action__text AS user_action__str,
    product_category__text AS product_category__str,
    product_id__text AS product_id__str,
    CAST(price__text AS DOUBLE) AS price__num,
    CAST(quantity__text AS DOUBLE) AS quantity__num,
    location__text AS location__str,
    CAST(user_age__text AS DOUBLE) AS user_age__num,
    CAST(timestamp__text AS DOUBLE) AS timestamp__num,
    page_url__text AS page_url__str,
    referrer__text AS referrer__str,
    device_type__text AS device_type__str,
    browser__text AS browser__str,
    os__text AS os__str,
    utm_source__text AS utm_source__str,
    utm_medium__text AS utm_medium__str,
    utm_campaign__text AS utm_campaign__str
  FROM field_texts
),

location_keys AS (
  SELECT
    CAST(locations.location_id AS STRING) AS location_key,
    locations.*
  FROM locations
),

judged AS (
  SELECT
    field_values.*,
    location_keys.location_id AS known_location_id,
    CASE
    WHEN (doc IS NULL AND coalesce(size(from_json(concat('[', line, ']'), 'array<string>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false'))), -1) <> 1)
      THEN named_struct('code', 'malformed_json', 'field', CAST(NULL AS STRING), 'detail', 'not valid JSON')
    WHEN (doc IS NULL)
      THEN named_struct('code', 'not_an_object', 'field', CAST(NULL AS STRING), 'detail', 'an event must be a JSON object')
    WHEN schema_version__value IS NULL
      THEN named_struct('code', 'unsupported_schema_version', 'field', 'schema_version', 'detail', 'schema_version ' || left((CASE WHEN schema_version__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"schema_version"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN (CASE WHEN schema_version__text IS NULL THEN false WHEN schema_version__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`schema_version`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL WHEN schema_version__text IN ('true', 'false') THEN from_json(line, 'struct<`schema_version`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL WHEN left(schema_version__text, 1) = '[' THEN from_json(line, 'struct<`schema_version`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL WHEN left(schema_version__text, 1) = '{' THEN from_json(line, 'struct<`schema_version`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL ELSE true END) THEN substr(to_json(array(schema_version__text)), 2, length(to_json(array(schema_version__text))) - 2) WHEN NOT (schema_version__text RLIKE '^-?[0-9]') OR schema_version__text RLIKE '^-?[0-9]+$' THEN schema_version__text WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1e21 OR (CAST(schema_version__text AS DOUBLE) <> 0 AND abs(CAST(schema_version__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(schema_version__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60) || ' is not supported; use one of 1, 2')
    WHEN schema_version__text IS NOT NULL AND NOT ((schema_version__text IS NOT NULL AND schema_version__text RLIKE '^-?[0-9]' AND from_json(line, 'struct<`schema_version`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NOT NULL) AND (NOT isnan(schema_version__num) AND abs(schema_version__num) < double('Infinity')))
      THEN named_struct('code', 'wrong_type', 'field', 'schema_version', 'detail', 'schema_version must be a number, got ' || left((CASE WHEN schema_version__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"schema_version"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN (CASE WHEN schema_version__text IS NULL THEN false WHEN schema_version__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`schema_version`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL WHEN schema_version__text IN ('true', 'false') THEN from_json(line, 'struct<`schema_version`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL WHEN left(schema_version__text, 1) = '[' THEN from_json(line, 'struct<`schema_version`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL WHEN left(schema_version__text, 1) = '{' THEN from_json(line, 'struct<`schema_version`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`schema_version` IS NULL ELSE true END) THEN substr(to_json(array(schema_version__text)), 2, length(to_json(array(schema_version__text))) - 2) WHEN NOT (schema_version__text RLIKE '^-?[0-9]') OR schema_version__text RLIKE '^-?[0-9]+$' THEN schema_version__text WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1e21 OR (CAST(schema_version__text AS DOUBLE) <> 0 AND abs(CAST(schema_version__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(schema_version__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN schema_version__text IS NOT NULL AND schema_version__num % 1 <> 0
      THEN named_struct('code', 'wrong_type', 'field', 'schema_version', 'detail', 'schema_version must be a whole number, got ' || left((CASE WHEN schema_version__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"schema_version"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (schema_version__text RLIKE '^-?[0-9]') OR schema_version__text RLIKE '^-?[0-9]+$' THEN schema_version__text WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1e21 OR (CAST(schema_version__text AS DOUBLE) <> 0 AND abs(CAST(schema_version__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(schema_version__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN schema_version__text IS NOT NULL AND (schema_version__num < 1 OR schema_version__num > 2)
      THEN named_struct('code', 'out_of_range', 'field', 'schema_version', 'detail', 'schema_version must be between 1 and 2, got ' || left((CASE WHEN schema_version__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"schema_version"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (schema_version__text RLIKE '^-?[0-9]') OR schema_version__text RLIKE '^-?[0-9]+$' THEN schema_version__text WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1e21 OR (CAST(schema_version__text AS DOUBLE) <> 0 AND abs(CAST(schema_version__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(schema_version__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(schema_version__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(schema_version__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN NOT (event_id__text IS NOT NULL) AND schema_version__value >= 2
      THEN named_struct('code', 'missing_field', 'field', 'event_id', 'detail', 'event_id is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN event_id__text IS NOT NULL AND NOT (CASE WHEN event_id__text IS NULL THEN false WHEN event_id__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`event_id`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_id` IS NULL WHEN event_id__text IN ('true', 'false') THEN from_json(line, 'struct<`event_id`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_id` IS NULL WHEN left(event_id__text, 1) = '[' THEN from_json(line, 'struct<`event_id`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_id` IS NULL WHEN left(event_id__text, 1) = '{' THEN from_json(line, 'struct<`event_id`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_id` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'event_id', 'detail', 'event_id must be a string, got ' || left((CASE WHEN event_id__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"event_id"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (event_id__text RLIKE '^-?[0-9]') OR event_id__text RLIKE '^-?[0-9]+$' THEN event_id__text WHEN abs(CAST(event_id__text AS DOUBLE)) >= 1e21 OR (CAST(event_id__text AS DOUBLE) <> 0 AND abs(CAST(event_id__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(event_id__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(event_id__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(event_id__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(event_id__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN event_id__text IS NOT NULL AND (event_id__str = '' OR (octet_length(event_id__str) > 128 AND (octet_length(encode(event_id__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'event_id', 'detail', 'event_id must be 1 to 128 characters, got ' || CAST((octet_length(encode(event_id__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN NOT (event_type__text IS NOT NULL) AND true
      THEN named_struct('code', 'missing_field', 'field', 'event_type', 'detail', 'event_type is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN event_type__text IS NOT NULL AND NOT (CASE WHEN event_type__text IS NULL THEN false WHEN event_type__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`event_type`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_type` IS NULL WHEN event_type__text IN ('true', 'false') THEN from_json(line, 'struct<`event_type`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_type` IS NULL WHEN left(event_type__text, 1) = '[' THEN from_json(line, 'struct<`event_type`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_type` IS NULL WHEN left(event_type__text, 1) = '{' THEN from_json(line, 'struct<`event_type`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`event_type` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'event_type', 'detail', 'event_type must be a string, got ' || left((CASE WHEN event_type__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"event_type"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (event_type__text RLIKE '^-?[0-9]') OR event_type__text RLIKE '^-?[0-9]+$' THEN event_type__text WHEN abs(CAST(event_type__text AS DOUBLE)) >= 1e21 OR (CAST(event_type__text AS DOUBLE) <> 0 AND abs(CAST(event_type__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(event_type__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(event_type__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(event_type__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(event_type__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN event_type__text IS NOT NULL AND (event_type__str = '' OR (octet_length(event_type__str) > 32 AND (octet_length(encode(event_type__str, 'UTF-16BE')) DIV 2) > 32))
      THEN named_struct('code', 'out_of_range', 'field', 'event_type', 'detail', 'event_type must be 1 to 32 characters, got ' || CAST((octet_length(encode(event_type__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN event_type__text IS NOT NULL AND event_type__str NOT IN ('page_view', 'product_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout', 'purchase', 'click')
      THEN named_struct('code', 'unknown_value', 'field', 'event_type', 'detail', 'event_type ' || left(substr(to_json(array(event_type__text)), 2, length(to_json(array(event_type__text))) - 2), 60) || ' is not one of page_view, product_view, search, add_to_cart, remove_from_cart, checkout, purchase, click')
    WHEN NOT (user_id__text IS NOT NULL) AND true
      THEN named_struct('code', 'missing_field', 'field', 'user_id', 'detail', 'user_id is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN user_id__text IS NOT NULL AND NOT (CASE WHEN user_id__text IS NULL THEN false WHEN user_id__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`user_id`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_id` IS NULL WHEN user_id__text IN ('true', 'false') THEN from_json(line, 'struct<`user_id`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_id` IS NULL WHEN left(user_id__text, 1) = '[' THEN from_json(line, 'struct<`user_id`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_id` IS NULL WHEN left(user_id__text, 1) = '{' THEN from_json(line, 'struct<`user_id`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_id` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'user_id', 'detail', 'user_id must be a string, got ' || left((CASE WHEN user_id__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"user_id"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (user_id__text RLIKE '^-?[0-9]') OR user_id__text RLIKE '^-?[0-9]+$' THEN user_id__text WHEN abs(CAST(user_id__text AS DOUBLE)) >= 1e21 OR (CAST(user_id__text AS DOUBLE) <> 0 AND abs(CAST(user_id__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(user_id__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(user_id__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(user_id__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(user_id__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN user_id__text IS NOT NULL AND (user_id__str = '' OR (octet_length(user_id__str) > 128 AND (octet_length(encode(user_id__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'user_id', 'detail', 'user_id must be 1 to 128 characters, got ' || CAST((octet_length(encode(user_id__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN NOT (session_id__text IS NOT NULL) AND schema_version__value >= 2
      THEN named_struct('code', 'missing_field', 'field', 'session_id', 'detail', 'session_id is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN session_id__text IS NOT NULL AND NOT (CASE WHEN session_id__text IS NULL THEN false WHEN session_id__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`session_id`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`session_id` IS NULL WHEN session_id__text IN ('true', 'false') THEN from_json(line, 'struct<`session_id`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`session_id` IS NULL WHEN left(session_id__text, 1) = '[' THEN from_json(line, 'struct<`session_id`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`session_id` IS NULL WHEN left(session_id__text, 1) = '{' THEN from_json(line, 'struct<`session_id`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`session_id` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'session_id', 'detail', 'session_id must be a string, got ' || left((CASE WHEN session_id__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"session_id"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (session_id__text RLIKE '^-?[0-9]') OR session_id__text RLIKE '^-?[0-9]+$' THEN session_id__text WHEN abs(CAST(session_id__text AS DOUBLE)) >= 1e21 OR (CAST(session_id__text AS DOUBLE) <> 0 AND abs(CAST(session_id__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(session_id__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(session_id__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(session_id__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(session_id__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN session_id__text IS NOT NULL AND (session_id__str = '' OR (octet_length(session_id__str) > 128 AND (octet_length(encode(session_id__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'session_id', 'detail', 'session_id must be 1 to 128 characters, got ' || CAST((octet_length(encode(session_id__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN NOT (user_action__text IS NOT NULL) AND true
      THEN named_struct('code', 'missing_field', 'field', 'user_action', 'detail', 'user_action is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN user_action__text IS NOT NULL AND NOT (CASE WHEN user_action__text IS NULL THEN false WHEN user_action__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`user_action`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_action` IS NULL WHEN user_action__text IN ('true', 'false') THEN from_json(line, 'struct<`user_action`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_action` IS NULL WHEN left(user_action__text, 1) = '[' THEN from_json(line, 'struct<`user_action`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_action` IS NULL WHEN left(user_action__text, 1) = '{' THEN from_json(line, 'struct<`user_action`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_action` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'user_action', 'detail', 'user_action must be a string, got ' || left((CASE WHEN user_action__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"user_action"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (user_action__text RLIKE '^-?[0-9]') OR user_action__text RLIKE '^-?[0-9]+$' THEN user_action__text WHEN abs(CAST(user_action__text AS DOUBLE)) >= 1e21 OR (CAST(user_action__text AS DOUBLE) <> 0 AND abs(CAST(user_action__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(user_action__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(user_action__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(user_action__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(user_action__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN user_action__text IS NOT NULL AND (user_action__str = '' OR (octet_length(user_action__str) > 32 AND (octet_length(encode(user_action__str, 'UTF-16BE')) DIV 2) > 32))
      THEN named_struct('code', 'out_of_range', 'field', 'user_action', 'detail', 'user_action must be 1 to 32 characters, got ' || CAST((octet_length(encode(user_action__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN user_action__text IS NOT NULL AND user_action__str NOT IN ('home_page', 'category_page', 'product_page', 'search_page', 'cart_page', 'checkout_page', 'confirmation_page')
      THEN named_struct('code', 'unknown_value', 'field', 'user_action', 'detail', 'user_action ' || left(substr(to_json(array(user_action__text)), 2, length(to_json(array(user_action__text))) - 2), 60) || ' is not one of home_page, category_page, product_page, search_page, cart_page, checkout_page, confirmation_page')
    WHEN product_category__text IS NOT NULL AND NOT (CASE WHEN product_category__text IS NULL THEN false WHEN product_category__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`product_category`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_category` IS NULL WHEN product_category__text IN ('true', 'false') THEN from_json(line, 'struct<`product_category`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_category` IS NULL WHEN left(product_category__text, 1) = '[' THEN from_json(line, 'struct<`product_category`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_category` IS NULL WHEN left(product_category__text, 1) = '{' THEN from_json(line, 'struct<`product_category`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_category` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'product_category', 'detail', 'product_category must be a string, got ' || left((CASE WHEN product_category__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"product_category"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (product_category__text RLIKE '^-?[0-9]') OR product_category__text RLIKE '^-?[0-9]+$' THEN product_category__text WHEN abs(CAST(product_category__text AS DOUBLE)) >= 1e21 OR (CAST(product_category__text AS DOUBLE) <> 0 AND abs(CAST(product_category__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(product_category__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(product_category__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(product_category__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(product_category__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN product_category__text IS NOT NULL AND (product_category__str = '' OR (octet_length(product_category__str) > 32 AND (octet_length(encode(product_category__str, 'UTF-16BE')) DIV 2) > 32))
      THEN named_struct('code', 'out_of_range', 'field', 'product_category', 'detail', 'product_category must be 1 to 32 characters, got ' || CAST((octet_length(encode(product_category__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN product_category__text IS NOT NULL AND product_category__str NOT IN ('electronics', 'clothing', 'books', 'home_appliances', 'toys', 'other')
      THEN named_struct('code', 'unknown_value', 'field', 'product_category', 'detail', 'product_category ' || left(substr(to_json(array(product_category__text)), 2, length(to_json(array(product_category__text))) - 2), 60) || ' is not one of electronics, clothing, books, home_appliances, toys, other')
    WHEN product_id__text IS NOT NULL AND NOT (CASE WHEN product_id__text IS NULL THEN false WHEN product_id__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`product_id`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_id` IS NULL WHEN product_id__text IN ('true', 'false') THEN from_json(line, 'struct<`product_id`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_id` IS NULL WHEN left(product_id__text, 1) = '[' THEN from_json(line, 'struct<`product_id`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_id` IS NULL WHEN left(product_id__text, 1) = '{' THEN from_json(line, 'struct<`product_id`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`product_id` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'product_id', 'detail', 'product_id must be a string, got ' || left((CASE WHEN product_id__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"product_id"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (product_id__text RLIKE '^-?[0-9]') OR product_id__text RLIKE '^-?[0-9]+$' THEN product_id__text WHEN abs(CAST(product_id__text AS DOUBLE)) >= 1e21 OR (CAST(product_id__text AS DOUBLE) <> 0 AND abs(CAST(product_id__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(product_id__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(product_id__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(product_id__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(product_id__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN product_id__text IS NOT NULL AND (product_id__str = '' OR (octet_length(product_id__str) > 128 AND (octet_length(encode(product_id__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'product_id', 'detail', 'product_id must be 1 to 128 characters, got ' || CAST((octet_length(encode(product_id__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN price__text IS NOT NULL AND NOT ((price__text IS NOT NULL AND price__text RLIKE '^-?[0-9]' AND from_json(line, 'struct<`price`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`price` IS NOT NULL) AND (NOT isnan(price__num) AND abs(price__num) < double('Infinity')))
      THEN named_struct('code', 'wrong_type', 'field', 'price', 'detail', 'price must be a number, got ' || left((CASE WHEN price__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"price"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN (CASE WHEN price__text IS NULL THEN false WHEN price__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`price`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`price` IS NULL WHEN price__text IN ('true', 'false') THEN from_json(line, 'struct<`price`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`price` IS NULL WHEN left(price__text, 1) = '[' THEN from_json(line, 'struct<`price`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`price` IS NULL WHEN left(price__text, 1) = '{' THEN from_json(line, 'struct<`price`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`price` IS NULL ELSE true END) THEN substr(to_json(array(price__text)), 2, length(to_json(array(price__text))) - 2) WHEN NOT (price__text RLIKE '^-?[0-9]') OR price__text RLIKE '^-?[0-9]+$' THEN price__text WHEN abs(CAST(price__text AS DOUBLE)) >= 1e21 OR (CAST(price__text AS DOUBLE) <> 0 AND abs(CAST(price__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(price__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(price__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(price__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(price__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN price__text IS NOT NULL AND (price__num < 0 OR price__num > 1000000)
      THEN named_struct('code', 'out_of_range', 'field', 'price', 'detail', 'price must be between 0 and 1000000, got ' || left((CASE WHEN price__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"price"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (price__text RLIKE '^-?[0-9]') OR price__text RLIKE '^-?[0-9]+$' THEN price__text WHEN abs(CAST(price__text AS DOUBLE)) >= 1e21 OR (CAST(price__text AS DOUBLE) <> 0 AND abs(CAST(price__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(price__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(price__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(price__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(price__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN quantity__text IS NOT NULL AND NOT ((quantity__text IS NOT NULL AND quantity__text RLIKE '^-?[0-9]' AND from_json(line, 'struct<`quantity`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`quantity` IS NOT NULL) AND (NOT isnan(quantity__num) AND abs(quantity__num) < double('Infinity')))
      THEN named_struct('code', 'wrong_type', 'field', 'quantity', 'detail', 'quantity must be a number, got ' || left((CASE WHEN quantity__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"quantity"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN (CASE WHEN quantity__text IS NULL THEN false WHEN quantity__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`quantity`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`quantity` IS NULL WHEN quantity__text IN ('true', 'false') THEN from_json(line, 'struct<`quantity`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`quantity` IS NULL WHEN left(quantity__text, 1) = '[' THEN from_json(line, 'struct<`quantity`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`quantity` IS NULL WHEN left(quantity__text, 1) = '{' THEN from_json(line, 'struct<`quantity`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`quantity` IS NULL ELSE true END) THEN substr(to_json(array(quantity__text)), 2, length(to_json(array(quantity__text))) - 2) WHEN NOT (quantity__text RLIKE '^-?[0-9]') OR quantity__text RLIKE '^-?[0-9]+$' THEN quantity__text WHEN abs(CAST(quantity__text AS DOUBLE)) >= 1e21 OR (CAST(quantity__text AS DOUBLE) <> 0 AND abs(CAST(quantity__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(quantity__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(quantity__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(quantity__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(quantity__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN quantity__text IS NOT NULL AND quantity__num % 1 <> 0
      THEN named_struct('code', 'wrong_type', 'field', 'quantity', 'detail', 'quantity must be a whole number, got ' || left((CASE WHEN quantity__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"quantity"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (quantity__text RLIKE '^-?[0-9]') OR quantity__text RLIKE '^-?[0-9]+$' THEN quantity__text WHEN abs(CAST(quantity__text AS DOUBLE)) >= 1e21 OR (CAST(quantity__text AS DOUBLE) <> 0 AND abs(CAST(quantity__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(quantity__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(quantity__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(quantity__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(quantity__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN quantity__text IS NOT NULL AND (quantity__num < 1 OR quantity__num > 1000)
      THEN named_struct('code', 'out_of_range', 'field', 'quantity', 'detail', 'quantity must be between 1 and 1000, got ' || left((CASE WHEN quantity__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"quantity"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (quantity__text RLIKE '^-?[0-9]') OR quantity__text RLIKE '^-?[0-9]+$' THEN quantity__text WHEN abs(CAST(quantity__text AS DOUBLE)) >= 1e21 OR (CAST(quantity__text AS DOUBLE) <> 0 AND abs(CAST(quantity__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(quantity__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(quantity__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(quantity__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(quantity__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN NOT (location__text IS NOT NULL) AND true
      THEN named_struct('code', 'missing_field', 'field', 'location', 'detail', 'location is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN location__text IS NOT NULL AND NOT (CASE WHEN location__text IS NULL THEN false WHEN location__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`location`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`location` IS NULL WHEN location__text IN ('true', 'false') THEN from_json(line, 'struct<`location`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`location` IS NULL WHEN left(location__text, 1) = '[' THEN from_json(line, 'struct<`location`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`location` IS NULL WHEN left(location__text, 1) = '{' THEN from_json(line, 'struct<`location`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`location` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'location', 'detail', 'location must be a string, got ' || left((CASE WHEN location__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"location"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (location__text RLIKE '^-?[0-9]') OR location__text RLIKE '^-?[0-9]+$' THEN location__text WHEN abs(CAST(location__text AS DOUBLE)) >= 1e21 OR (CAST(location__text AS DOUBLE) <> 0 AND abs(CAST(location__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(location__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(location__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(location__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(location__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN location__text IS NOT NULL AND (location__str = '' OR (octet_length(location__str) > 8 AND (octet_length(encode(location__str, 'UTF-16BE')) DIV 2) > 8))
      THEN named_struct('code', 'out_of_range', 'field', 'location', 'detail', 'location must be 1 to 8 characters, got ' || CAST((octet_length(encode(location__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN location__text IS NOT NULL AND NOT (location__str <> '' AND translate(location__str, '0123456789', '') = '')
      THEN named_struct('code', 'out_of_range', 'field', 'location', 'detail', 'location must be a string of digits such as "17", got ' || left(substr(to_json(array(location__text)), 2, length(to_json(array(location__text))) - 2), 60))
    WHEN NOT (user_age__text IS NOT NULL) AND true
      THEN named_struct('code', 'missing_field', 'field', 'user_age', 'detail', 'user_age is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN user_age__text IS NOT NULL AND NOT ((user_age__text IS NOT NULL AND user_age__text RLIKE '^-?[0-9]' AND from_json(line, 'struct<`user_age`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_age` IS NOT NULL) AND (NOT isnan(user_age__num) AND abs(user_age__num) < double('Infinity')))
      THEN named_struct('code', 'wrong_type', 'field', 'user_age', 'detail', 'user_age must be a number, got ' || left((CASE WHEN user_age__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"user_age"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN (CASE WHEN user_age__text IS NULL THEN false WHEN user_age__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`user_age`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_age` IS NULL WHEN user_age__text IN ('true', 'false') THEN from_json(line, 'struct<`user_age`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_age` IS NULL WHEN left(user_age__text, 1) = '[' THEN from_json(line, 'struct<`user_age`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_age` IS NULL WHEN left(user_age__text, 1) = '{' THEN from_json(line, 'struct<`user_age`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`user_age` IS NULL ELSE true END) THEN substr(to_json(array(user_age__text)), 2, length(to_json(array(user_age__text))) - 2) WHEN NOT (user_age__text RLIKE '^-?[0-9]') OR user_age__text RLIKE '^-?[0-9]+$' THEN user_age__text WHEN abs(CAST(user_age__text AS DOUBLE)) >= 1e21 OR (CAST(user_age__text AS DOUBLE) <> 0 AND abs(CAST(user_age__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(user_age__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(user_age__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(user_age__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(user_age__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN user_age__text IS NOT NULL AND user_age__num % 1 <> 0
      THEN named_struct('code', 'wrong_type', 'field', 'user_age', 'detail', 'user_age must be a whole number, got ' || left((CASE WHEN user_age__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"user_age"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (user_age__text RLIKE '^-?[0-9]') OR user_age__text RLIKE '^-?[0-9]+$' THEN user_age__text WHEN abs(CAST(user_age__text AS DOUBLE)) >= 1e21 OR (CAST(user_age__text AS DOUBLE) <> 0 AND abs(CAST(user_age__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(user_age__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(user_age__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(user_age__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(user_age__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN user_age__text IS NOT NULL AND (user_age__num < 13 OR user_age__num > 120)
      THEN named_struct('code', 'out_of_range', 'field', 'user_age', 'detail', 'user_age must be between 13 and 120, got ' || left((CASE WHEN user_age__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"user_age"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (user_age__text RLIKE '^-?[0-9]') OR user_age__text RLIKE '^-?[0-9]+$' THEN user_age__text WHEN abs(CAST(user_age__text AS DOUBLE)) >= 1e21 OR (CAST(user_age__text AS DOUBLE) <> 0 AND abs(CAST(user_age__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(user_age__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(user_age__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(user_age__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(user_age__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN NOT (timestamp__text IS NOT NULL) AND true
      THEN named_struct('code', 'missing_field', 'field', 'timestamp', 'detail', 'timestamp is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN timestamp__text IS NOT NULL AND NOT ((timestamp__text IS NOT NULL AND timestamp__text RLIKE '^-?[0-9]' AND from_json(line, 'struct<`timestamp`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`timestamp` IS NOT NULL) AND (NOT isnan(timestamp__num) AND abs(timestamp__num) < double('Infinity')))
      THEN named_struct('code', 'wrong_type', 'field', 'timestamp', 'detail', 'timestamp must be a number, got ' || left((CASE WHEN timestamp__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"timestamp"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN (CASE WHEN timestamp__text IS NULL THEN false WHEN timestamp__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`timestamp`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`timestamp` IS NULL WHEN timestamp__text IN ('true', 'false') THEN from_json(line, 'struct<`timestamp`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`timestamp` IS NULL WHEN left(timestamp__text, 1) = '[' THEN from_json(line, 'struct<`timestamp`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`timestamp` IS NULL WHEN left(timestamp__text, 1) = '{' THEN from_json(line, 'struct<`timestamp`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`timestamp` IS NULL ELSE true END) THEN substr(to_json(array(timestamp__text)), 2, length(to_json(array(timestamp__text))) - 2) WHEN NOT (timestamp__text RLIKE '^-?[0-9]') OR timestamp__text RLIKE '^-?[0-9]+$' THEN timestamp__text WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1e21 OR (CAST(timestamp__text AS DOUBLE) <> 0 AND abs(CAST(timestamp__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(timestamp__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN timestamp__text IS NOT NULL AND timestamp__num % 1 <> 0
      THEN named_struct('code', 'wrong_type', 'field', 'timestamp', 'detail', 'timestamp must be a whole number, got ' || left((CASE WHEN timestamp__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"timestamp"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (timestamp__text RLIKE '^-?[0-9]') OR timestamp__text RLIKE '^-?[0-9]+$' THEN timestamp__text WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1e21 OR (CAST(timestamp__text AS DOUBLE) <> 0 AND abs(CAST(timestamp__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(timestamp__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN timestamp__text IS NOT NULL AND (timestamp__num < 0 OR timestamp__num > 9999999999)
      THEN named_struct('code', 'out_of_range', 'field', 'timestamp', 'detail', 'timestamp must be between 0 and 9999999999, got ' || left((CASE WHEN timestamp__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"timestamp"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (timestamp__text RLIKE '^-?[0-9]') OR timestamp__text RLIKE '^-?[0-9]+$' THEN timestamp__text WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1e21 OR (CAST(timestamp__text AS DOUBLE) <> 0 AND abs(CAST(timestamp__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(timestamp__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN NOT (page_url__text IS NOT NULL) AND schema_version__value >= 2
      THEN named_struct('code', 'missing_field', 'field', 'page_url', 'detail', 'page_url is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN page_url__text IS NOT NULL AND NOT (CASE WHEN page_url__text IS NULL THEN false WHEN page_url__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`page_url`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`page_url` IS NULL WHEN page_url__text IN ('true', 'false') THEN from_json(line, 'struct<`page_url`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`page_url` IS NULL WHEN left(page_url__text, 1) = '[' THEN from_json(line, 'struct<`page_url`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`page_url` IS NULL WHEN left(page_url__text, 1) = '{' THEN from_json(line, 'struct<`page_url`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`page_url` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'page_url', 'detail', 'page_url must be a string, got ' || left((CASE WHEN page_url__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"page_url"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (page_url__text RLIKE '^-?[0-9]') OR page_url__text RLIKE '^-?[0-9]+$' THEN page_url__text WHEN abs(CAST(page_url__text AS DOUBLE)) >= 1e21 OR (CAST(page_url__text AS DOUBLE) <> 0 AND abs(CAST(page_url__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(page_url__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(page_url__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(page_url__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(page_url__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN page_url__text IS NOT NULL AND (page_url__str = '' OR (octet_length(page_url__str) > 2048 AND (octet_length(encode(page_url__str, 'UTF-16BE')) DIV 2) > 2048))
      THEN named_struct('code', 'out_of_range', 'field', 'page_url', 'detail', 'page_url must be 1 to 2048 characters, got ' || CAST((octet_length(encode(page_url__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN referrer__text IS NOT NULL AND NOT (CASE WHEN referrer__text IS NULL THEN false WHEN referrer__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`referrer`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`referrer` IS NULL WHEN referrer__text IN ('true', 'false') THEN from_json(line, 'struct<`referrer`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`referrer` IS NULL WHEN left(referrer__text, 1) = '[' THEN from_json(line, 'struct<`referrer`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`referrer` IS NULL WHEN left(referrer__text, 1) = '{' THEN from_json(line, 'struct<`referrer`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`referrer` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'referrer', 'detail', 'referrer must be a string, got ' || left((CASE WHEN referrer__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"referrer"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (referrer__text RLIKE '^-?[0-9]') OR referrer__text RLIKE '^-?[0-9]+$' THEN referrer__text WHEN abs(CAST(referrer__text AS DOUBLE)) >= 1e21 OR (CAST(referrer__text AS DOUBLE) <> 0 AND abs(CAST(referrer__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(referrer__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(referrer__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(referrer__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(referrer__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN referrer__text IS NOT NULL AND (referrer__str = '' OR (octet_length(referrer__str) > 2048 AND (octet_length(encode(referrer__str, 'UTF-16BE')) DIV 2) > 2048))
      THEN named_struct('code', 'out_of_range', 'field', 'referrer', 'detail', 'referrer must be 1 to 2048 characters, got ' || CAST((octet_length(encode(referrer__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN NOT (device_type__text IS NOT NULL) AND schema_version__value >= 2
      THEN named_struct('code', 'missing_field', 'field', 'device_type', 'detail', 'device_type is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN device_type__text IS NOT NULL AND NOT (CASE WHEN device_type__text IS NULL THEN false WHEN device_type__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`device_type`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`device_type` IS NULL WHEN device_type__text IN ('true', 'false') THEN from_json(line, 'struct<`device_type`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`device_type` IS NULL WHEN left(device_type__text, 1) = '[' THEN from_json(line, 'struct<`device_type`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`device_type` IS NULL WHEN left(device_type__text, 1) = '{' THEN from_json(line, 'struct<`device_type`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`device_type` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'device_type', 'detail', 'device_type must be a string, got ' || left((CASE WHEN device_type__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"device_type"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (device_type__text RLIKE '^-?[0-9]') OR device_type__text RLIKE '^-?[0-9]+$' THEN device_type__text WHEN abs(CAST(device_type__text AS DOUBLE)) >= 1e21 OR (CAST(device_type__text AS DOUBLE) <> 0 AND abs(CAST(device_type__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(device_type__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(device_type__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(device_type__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(device_type__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN device_type__text IS NOT NULL AND (device_type__str = '' OR (octet_length(device_type__str) > 16 AND (octet_length(encode(device_type__str, 'UTF-16BE')) DIV 2) > 16))
      THEN named_struct('code', 'out_of_range', 'field', 'device_type', 'detail', 'device_type must be 1 to 16 characters, got ' || CAST((octet_length(encode(device_type__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN device_type__text IS NOT NULL AND device_type__str NOT IN ('desktop', 'mobile', 'tablet')
      THEN named_struct('code', 'unknown_value', 'field', 'device_type', 'detail', 'device_type ' || left(substr(to_json(array(device_type__text)), 2, length(to_json(array(device_type__text))) - 2), 60) || ' is not one of desktop, mobile, tablet')
    WHEN NOT (browser__text IS NOT NULL) AND schema_version__value >= 2
      THEN named_struct('code', 'missing_field', 'field', 'browser', 'detail', 'browser is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN browser__text IS NOT NULL AND NOT (CASE WHEN browser__text IS NULL THEN false WHEN browser__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`browser`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`browser` IS NULL WHEN browser__text IN ('true', 'false') THEN from_json(line, 'struct<`browser`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`browser` IS NULL WHEN left(browser__text, 1) = '[' THEN from_json(line, 'struct<`browser`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`browser` IS NULL WHEN left(browser__text, 1) = '{' THEN from_json(line, 'struct<`browser`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`browser` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'browser', 'detail', 'browser must be a string, got ' || left((CASE WHEN browser__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"browser"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (browser__text RLIKE '^-?[0-9]') OR browser__text RLIKE '^-?[0-9]+$' THEN browser__text WHEN abs(CAST(browser__text AS DOUBLE)) >= 1e21 OR (CAST(browser__text AS DOUBLE) <> 0 AND abs(CAST(browser__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(browser__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(browser__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(browser__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(browser__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN browser__text IS NOT NULL AND (browser__str = '' OR (octet_length(browser__str) > 32 AND (octet_length(encode(browser__str, 'UTF-16BE')) DIV 2) > 32))
      THEN named_struct('code', 'out_of_range', 'field', 'browser', 'detail', 'browser must be 1 to 32 characters, got ' || CAST((octet_length(encode(browser__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN browser__text IS NOT NULL AND browser__str NOT IN ('chrome', 'safari', 'firefox', 'edge', 'samsung_internet', 'other')
      THEN named_struct('code', 'unknown_value', 'field', 'browser', 'detail', 'browser ' || left(substr(to_json(array(browser__text)), 2, length(to_json(array(browser__text))) - 2), 60) || ' is not one of chrome, safari, firefox, edge, samsung_internet, other')
    WHEN NOT (os__text IS NOT NULL) AND schema_version__value >= 2
      THEN named_struct('code', 'missing_field', 'field', 'os', 'detail', 'os is required in schema version ' || CAST(schema_version__value AS STRING) || ' events')
    WHEN os__text IS NOT NULL AND NOT (CASE WHEN os__text IS NULL THEN false WHEN os__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`os`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`os` IS NULL WHEN os__text IN ('true', 'false') THEN from_json(line, 'struct<`os`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`os` IS NULL WHEN left(os__text, 1) = '[' THEN from_json(line, 'struct<`os`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`os` IS NULL WHEN left(os__text, 1) = '{' THEN from_json(line, 'struct<`os`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`os` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'os', 'detail', 'os must be a string, got ' || left((CASE WHEN os__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"os"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (os__text RLIKE '^-?[0-9]') OR os__text RLIKE '^-?[0-9]+$' THEN os__text WHEN abs(CAST(os__text AS DOUBLE)) >= 1e21 OR (CAST(os__text AS DOUBLE) <> 0 AND abs(CAST(os__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(os__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(os__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(os__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(os__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN os__text IS NOT NULL AND (os__str = '' OR (octet_length(os__str) > 32 AND (octet_length(encode(os__str, 'UTF-16BE')) DIV 2) > 32))
      THEN named_struct('code', 'out_of_range', 'field', 'os', 'detail', 'os must be 1 to 32 characters, got ' || CAST((octet_length(encode(os__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN os__text IS NOT NULL AND os__str NOT IN ('windows', 'macos', 'linux', 'ios', 'android', 'other')
      THEN named_struct('code', 'unknown_value', 'field', 'os', 'detail', 'os ' || left(substr(to_json(array(os__text)), 2, length(to_json(array(os__text))) - 2), 60) || ' is not one of windows, macos, linux, ios, android, other')
    WHEN utm_source__text IS NOT NULL AND NOT (CASE WHEN utm_source__text IS NULL THEN false WHEN utm_source__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`utm_source`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_source` IS NULL WHEN utm_source__text IN ('true', 'false') THEN from_json(line, 'struct<`utm_source`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_source` IS NULL WHEN left(utm_source__text, 1) = '[' THEN from_json(line, 'struct<`utm_source`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_source` IS NULL WHEN left(utm_source__text, 1) = '{' THEN from_json(line, 'struct<`utm_source`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_source` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'utm_source', 'detail', 'utm_source must be a string, got ' || left((CASE WHEN utm_source__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"utm_source"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (utm_source__text RLIKE '^-?[0-9]') OR utm_source__text RLIKE '^-?[0-9]+$' THEN utm_source__text WHEN abs(CAST(utm_source__text AS DOUBLE)) >= 1e21 OR (CAST(utm_source__text AS DOUBLE) <> 0 AND abs(CAST(utm_source__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(utm_source__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(utm_source__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(utm_source__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(utm_source__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN utm_source__text IS NOT NULL AND (utm_source__str = '' OR (octet_length(utm_source__str) > 128 AND (octet_length(encode(utm_source__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'utm_source', 'detail', 'utm_source must be 1 to 128 characters, got ' || CAST((octet_length(encode(utm_source__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN utm_medium__text IS NOT NULL AND NOT (CASE WHEN utm_medium__text IS NULL THEN false WHEN utm_medium__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`utm_medium`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_medium` IS NULL WHEN utm_medium__text IN ('true', 'false') THEN from_json(line, 'struct<`utm_medium`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_medium` IS NULL WHEN left(utm_medium__text, 1) = '[' THEN from_json(line, 'struct<`utm_medium`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_medium` IS NULL WHEN left(utm_medium__text, 1) = '{' THEN from_json(line, 'struct<`utm_medium`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_medium` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'utm_medium', 'detail', 'utm_medium must be a string, got ' || left((CASE WHEN utm_medium__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"utm_medium"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (utm_medium__text RLIKE '^-?[0-9]') OR utm_medium__text RLIKE '^-?[0-9]+$' THEN utm_medium__text WHEN abs(CAST(utm_medium__text AS DOUBLE)) >= 1e21 OR (CAST(utm_medium__text AS DOUBLE) <> 0 AND abs(CAST(utm_medium__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(utm_medium__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(utm_medium__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(utm_medium__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(utm_medium__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN utm_medium__text IS NOT NULL AND (utm_medium__str = '' OR (octet_length(utm_medium__str) > 128 AND (octet_length(encode(utm_medium__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'utm_medium', 'detail', 'utm_medium must be 1 to 128 characters, got ' || CAST((octet_length(encode(utm_medium__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN utm_campaign__text IS NOT NULL AND NOT (CASE WHEN utm_campaign__text IS NULL THEN false WHEN utm_campaign__text RLIKE '^-?[0-9]' THEN from_json(line, 'struct<`utm_campaign`:double>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_campaign` IS NULL WHEN utm_campaign__text IN ('true', 'false') THEN from_json(line, 'struct<`utm_campaign`:boolean>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_campaign` IS NULL WHEN left(utm_campaign__text, 1) = '[' THEN from_json(line, 'struct<`utm_campaign`:array<string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_campaign` IS NULL WHEN left(utm_campaign__text, 1) = '{' THEN from_json(line, 'struct<`utm_campaign`:map<string,string>>', map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false', 'allowNumericLeadingZeros', 'false', 'allowBackslashEscapingAnyCharacter', 'false', 'allowUnquotedControlChars', 'false', 'allowComments', 'false', 'allowUnquotedFieldNames', 'false')).`utm_campaign` IS NULL ELSE true END)
      THEN named_struct('code', 'wrong_type', 'field', 'utm_campaign', 'detail', 'utm_campaign must be a string, got ' || left((CASE WHEN utm_campaign__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"utm_campaign"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (utm_campaign__text RLIKE '^-?[0-9]') OR utm_campaign__text RLIKE '^-?[0-9]+$' THEN utm_campaign__text WHEN abs(CAST(utm_campaign__text AS DOUBLE)) >= 1e21 OR (CAST(utm_campaign__text AS DOUBLE) <> 0 AND abs(CAST(utm_campaign__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(utm_campaign__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(utm_campaign__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(utm_campaign__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(utm_campaign__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60))
    WHEN utm_campaign__text IS NOT NULL AND (utm_campaign__str = '' OR (octet_length(utm_campaign__str) > 128 AND (octet_length(encode(utm_campaign__str, 'UTF-16BE')) DIV 2) > 128))
      THEN named_struct('code', 'out_of_range', 'field', 'utm_campaign', 'detail', 'utm_campaign must be 1 to 128 characters, got ' || CAST((octet_length(encode(utm_campaign__str, 'UTF-16BE')) DIV 2) AS STRING))
    WHEN known_location_id IS NULL
      THEN named_struct('code', 'unknown_location', 'field', 'location', 'detail', 'location "' || location__str || '" is not an id in the reference table locations')
    WHEN timestamp__num < params.earliest_epoch OR timestamp__num > params.latest_epoch
      THEN named_struct('code', 'timestamp_out_of_window', 'field', 'timestamp', 'detail', 'timestamp ' || left((CASE WHEN timestamp__text IN ('"Infinity"', '"-Infinity"') THEN regexp_extract(line, '"timestamp"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1) WHEN NOT (timestamp__text RLIKE '^-?[0-9]') OR timestamp__text RLIKE '^-?[0-9]+$' THEN timestamp__text WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1e21 OR (CAST(timestamp__text AS DOUBLE) <> 0 AND abs(CAST(timestamp__text AS DOUBLE)) < 1e-6) THEN regexp_replace(lower(CAST(CAST(timestamp__text AS DOUBLE) AS STRING)), '[.]0e', 'e') WHEN abs(CAST(timestamp__text AS DOUBLE)) >= 1 THEN regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 16)) AS STRING), '0+$', ''), '[.]$', '.0') ELSE regexp_replace(regexp_replace(CAST(CAST(CAST(timestamp__text AS DOUBLE) AS DECIMAL(38, 37)) AS STRING), '0+$', ''), '[.]$', '.0') END), 60) || ' (' || CAST(timestamp_seconds(CAST(timestamp__num AS BIGINT)) AS STRING) || ') is outside the accepted window ' || CAST(timestamp_seconds(CAST(params.earliest_epoch AS BIGINT)) AS STRING) || ' to ' || CAST(timestamp_seconds(CAST(params.latest_epoch AS BIGINT)) AS STRING))
  END AS first_reason
  FROM field_values
  CROSS JOIN etl_params AS params
  LEFT JOIN location_keys ON location_keys.location_key = field_values.location__str
),

rechecked AS (
  SELECT
    judged.*,
    first_reason AS reason
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
  CASE WHEN reason IS NULL THEN coalesce(event_id__str, 'v1-' || md5(source_key || '#' || CAST(line_number AS STRING))) END AS event_key,
  CASE WHEN reason IS NULL THEN date_from_unix_date(CAST(floor(timestamp__num / 86400) AS INT)) END AS event_date,
  known_location_id,
  schema_version__num,
  event_id__str,
  event_type__str,
  user_id__str,
  session_id__str,
  user_action__str,
  product_category__str,
  product_id__str,
  price__num,
  quantity__num,
  location__str,
  user_age__num,
  timestamp__num,
  page_url__str,
  referrer__str,
  device_type__str,
  browser__str,
  os__str,
  utm_source__str,
  utm_medium__str,
  utm_campaign__str
FROM rechecked

-- statement: event_dates query
-- event_dates: the event dates this run loads into; the engine reads the event ids already stored under these partitions into existing_events before the next step.
SELECT DISTINCT CAST(event_date AS STRING) AS event_date
FROM validated
WHERE reason_code IS NULL
ORDER BY event_date

-- statement: event_fates materialize
-- event_fates: the valid lines this run does not load, and why: every copy of an event id after the first (by source key, then line) is a duplicate in the run; a first copy whose id an earlier run stored is already loaded. Every other valid line is loaded.
CREATE OR REPLACE TEMPORARY VIEW event_fates AS
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

-- statement: events_out view
-- events_out: the rows this run adds to `events`, in the columns of model/tables.ts EVENTS and its partition key. A column is derived here as out_<name>, or else carried over from the event field of the same name; events_columns lists them in the model's order and types.
CREATE OR REPLACE TEMPORARY VIEW events_out AS
WITH derived AS (
  SELECT
    validated.*,
    event_key AS out_event_id,
    version AS out_schema_version,
    CASE WHEN event_type__str = 'purchase' THEN price__num * quantity__num END AS out_revenue,
    known_location_id AS out_location_id,
    locations.country_name AS out_country_name,
    locations.iso_alpha2 AS out_country_iso2,
    locations.iso_alpha3 AS out_country_iso3,
    locations.iso_numeric AS out_country_numeric,
    locations.continent AS out_continent,
    timestamp_seconds(CAST(timestamp__num AS BIGINT)) AS out_click_date,
    timestamp__num AS out_epoch_seconds,
    floor(timestamp__num / 3600) % 24 AS out_event_hour,
    validated.source_key AS out_source_key,
    params.run_id AS out_run_id,
    event_date AS out_event_date
  FROM validated
  LEFT JOIN event_fates ON event_fates.source_key = validated.source_key AND event_fates.line_number = validated.line_number
  -- Every valid event's location is in locations: validated found it there.
  JOIN locations ON locations.location_id = validated.known_location_id
  CROSS JOIN etl_params AS params
  WHERE validated.reason_code IS NULL AND event_fates.outcome IS NULL
)

SELECT
  CAST(out_event_id AS STRING) AS event_id,
  CAST(out_schema_version AS INT) AS schema_version,
  CAST(event_type__str AS STRING) AS event_type,
  CAST(user_id__str AS STRING) AS user_id,
  CAST(session_id__str AS STRING) AS session_id,
  CAST(user_action__str AS STRING) AS user_action,
  CAST(product_category__str AS STRING) AS product_category,
  CAST(product_id__str AS STRING) AS product_id,
  CAST(price__num AS DOUBLE) AS price,
  CAST(quantity__num AS INT) AS quantity,
  CAST(out_revenue AS DOUBLE) AS revenue,
  CAST(page_url__str AS STRING) AS page_url,
  CAST(referrer__str AS STRING) AS referrer,
  CAST(device_type__str AS STRING) AS device_type,
  CAST(browser__str AS STRING) AS browser,
  CAST(os__str AS STRING) AS os,
  CAST(utm_source__str AS STRING) AS utm_source,
  CAST(utm_medium__str AS STRING) AS utm_medium,
  CAST(utm_campaign__str AS STRING) AS utm_campaign,
  CAST(out_location_id AS INT) AS location_id,
  CAST(out_country_name AS STRING) AS country_name,
  CAST(out_country_iso2 AS STRING) AS country_iso2,
  CAST(out_country_iso3 AS STRING) AS country_iso3,
  CAST(out_country_numeric AS STRING) AS country_numeric,
  CAST(out_continent AS STRING) AS continent,
  CAST(user_age__num AS INT) AS user_age,
  CAST(out_click_date AS TIMESTAMP_NTZ) AS click_date,
  CAST(out_epoch_seconds AS BIGINT) AS epoch_seconds,
  CAST(out_event_hour AS INT) AS event_hour,
  CAST(out_source_key AS STRING) AS source_key,
  CAST(out_run_id AS STRING) AS run_id,
  CAST(out_event_date AS DATE) AS event_date
FROM derived

-- statement: session_days_out view
-- session_days_out: the rows this run adds to `session_days` (model/tables.ts SESSION_DAYS): the events it loads (events_out) summed per event date, session (per user for events without one), location and device, with a count per event type. Only sums and maxima, so rows another run adds for the same key add up. A location's country and continent follow from its id: taken with max(), not grouped by, which hashes three strings fewer per row.
CREATE OR REPLACE TEMPORARY VIEW session_days_out AS
WITH derived AS (
  SELECT
    session_id AS out_session_id,
    user_id AS out_user_id,
    location_id AS out_location_id,
    max(country_name) AS out_country_name,
    max(country_iso2) AS out_country_iso2,
    max(continent) AS out_continent,
    device_type AS out_device_type,
    browser AS out_browser,
    os AS out_os,
    max(user_age) AS out_user_age,
    count(*) AS out_events,
    sum(CASE WHEN event_type = 'page_view' THEN 1 ELSE 0 END) AS out_page_view_events,
    sum(CASE WHEN event_type = 'product_view' THEN 1 ELSE 0 END) AS out_product_view_events,
    sum(CASE WHEN event_type = 'search' THEN 1 ELSE 0 END) AS out_search_events,
    sum(CASE WHEN event_type = 'add_to_cart' THEN 1 ELSE 0 END) AS out_add_to_cart_events,
    sum(CASE WHEN event_type = 'remove_from_cart' THEN 1 ELSE 0 END) AS out_remove_from_cart_events,
    sum(CASE WHEN event_type = 'checkout' THEN 1 ELSE 0 END) AS out_checkout_events,
    sum(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) AS out_purchase_events,
    sum(CASE WHEN event_type = 'click' THEN 1 ELSE 0 END) AS out_click_events,
    event_date AS out_event_date
  FROM events_out
  GROUP BY event_date, session_id, user_id, location_id, device_type, browser, os
)

SELECT
  CAST(out_session_id AS STRING) AS session_id,
  CAST(out_user_id AS STRING) AS user_id,
  CAST(out_location_id AS INT) AS location_id,
  CAST(out_country_name AS STRING) AS country_name,
  CAST(out_country_iso2 AS STRING) AS country_iso2,
  CAST(out_continent AS STRING) AS continent,
  CAST(out_device_type AS STRING) AS device_type,
  CAST(out_browser AS STRING) AS browser,
  CAST(out_os AS STRING) AS os,
  CAST(out_user_age AS INT) AS user_age,
  CAST(out_events AS BIGINT) AS events,
  CAST(out_page_view_events AS BIGINT) AS page_view_events,
  CAST(out_product_view_events AS BIGINT) AS product_view_events,
  CAST(out_search_events AS BIGINT) AS search_events,
  CAST(out_add_to_cart_events AS BIGINT) AS add_to_cart_events,
  CAST(out_remove_from_cart_events AS BIGINT) AS remove_from_cart_events,
  CAST(out_checkout_events AS BIGINT) AS checkout_events,
  CAST(out_purchase_events AS BIGINT) AS purchase_events,
  CAST(out_click_events AS BIGINT) AS click_events,
  CAST(out_event_date AS DATE) AS event_date
FROM derived

-- statement: rejections materialize
-- rejections: every record this run refuses, before deduplication: each line that broke a rule, exactly as read, and each input that could not be read at all (unreadable_inputs: a truncated or not-gzip .gz, no permission), as one record standing for the whole file: line 0, no raw line, the decompressor's or the system's message as detail.
CREATE OR REPLACE TEMPORARY VIEW rejections AS
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
  0 AS line_number,
  'unreadable_file' AS reason_code,
  reason_detail,
  CAST(NULL AS STRING) AS raw_line
FROM unreadable_inputs

-- statement: rejection_fates materialize
-- rejection_fates: the rejections this run does not write again, and why: a (source key, line) that rejected_events already holds was rejected by an earlier run over the same file (a replay) and is already rejected. Within one run a (source key, line) is unique: every input key is read once.
CREATE OR REPLACE TEMPORARY VIEW rejection_fates AS
WITH stored AS (
  SELECT DISTINCT source_key, line_number FROM existing_rejections
)

SELECT
  rejections.source_key,
  rejections.line_number,
  'already_rejected' AS outcome
FROM rejections
JOIN stored ON stored.source_key = rejections.source_key AND stored.line_number = rejections.line_number

-- statement: rejected_out view
-- rejected_out: the rows this run adds to `rejected_events` (model/tables.ts REJECTED_EVENTS): every rejection no earlier run stored, with where it came from and why. Columns are derived here as out_<name>; rejected_columns lists them in the model's order and types.
CREATE OR REPLACE TEMPORARY VIEW rejected_out AS
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
  CAST(out_raw_line AS STRING) AS raw_line,
  CAST(out_source_key AS STRING) AS source_key,
  CAST(out_line_number AS BIGINT) AS line_number,
  CAST(out_reason_code AS STRING) AS reason_code,
  CAST(out_reason_detail AS STRING) AS reason_detail,
  CAST(out_run_id AS STRING) AS run_id,
  CAST(out_rejected_at AS TIMESTAMP_NTZ) AS rejected_at
FROM derived

-- statement: run_counts query
-- run_counts: how every record of the run ended, for the summary and its reconciliation: lines read + unreadable inputs = loaded + rejected (by reason) + duplicates (in this run, or loaded or rejected before).
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
