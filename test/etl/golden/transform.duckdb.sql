-- clickstream-bi ETL transform, rendered for DuckDB from etl/sql/*.sql and model/events.ts by etl/transform.ts. Generated: do not edit.

-- statement: validated materialize
-- validated: every raw line, parsed and judged against the event contract (model/events.ts). One row per line. reason is NULL for a valid event, else the first rule the line breaks, in the order model/validate.ts checks them (the CASE is generated from EVENT_FIELDS). Valid rows also get their event key, date and location id (its names are joined where they are written); rejected rows keep the line as read, so that no later step has to read raw_lines again.
CREATE OR REPLACE TABLE validated AS
WITH parsed AS (
  SELECT
    raw.source_key,
    raw.line_number,
    raw.line,
    try(json_transform(raw.line, '{"schema_version":"JSON","event_id":"JSON","event_type":"JSON","user_id":"JSON","session_id":"JSON","user_action":"JSON","product_category":"JSON","product_id":"JSON","price":"JSON","quantity":"JSON","location":"JSON","user_age":"JSON","timestamp":"JSON","page_url":"JSON","referrer":"JSON","device_type":"JSON","browser":"JSON","os":"JSON","utm_source":"JSON","utm_medium":"JSON","utm_campaign":"JSON"}')) AS doc
  FROM raw_lines AS raw
),

field_texts AS (
  SELECT
    parsed.source_key,
    parsed.line_number,
    parsed.line,
    parsed.doc,
    doc."schema_version" AS schema_version__text,
    doc."event_id" AS event_id__text,
    doc."event_type" AS event_type__text,
    doc."user_id" AS user_id__text,
    doc."session_id" AS session_id__text,
    doc."user_action" AS user_action__text,
    doc."product_category" AS product_category__text,
    doc."product_id" AS product_id__text,
    doc."price" AS price__text,
    doc."quantity" AS quantity__text,
    doc."location" AS location__text,
    doc."user_age" AS user_age__text,
    doc."timestamp" AS timestamp__text,
    doc."page_url" AS page_url__text,
    doc."referrer" AS referrer__text,
    doc."device_type" AS device_type__text,
    doc."browser" AS browser__text,
    doc."os" AS os__text,
    doc."utm_source" AS utm_source__text,
    doc."utm_medium" AS utm_medium__text,
    doc."utm_campaign" AS utm_campaign__text
  FROM parsed
),

field_values AS (
  SELECT
    field_texts.*,
    CASE WHEN schema_version__text IS NULL THEN 1 WHEN (ascii(schema_version__text) BETWEEN 48 AND 57 OR (ascii(schema_version__text) = 45 AND ascii(substr(schema_version__text, 2, 1)) BETWEEN 48 AND 57)) AND TRY_CAST(schema_version__text AS DOUBLE) IN (1, 2) THEN CAST(TRY_CAST(schema_version__text AS DOUBLE) AS INTEGER) END AS schema_version__value,
    TRY_CAST(schema_version__text AS DOUBLE) AS schema_version__num,
    CASE WHEN ascii(event_id__text) = 34 THEN (CASE WHEN contains(event_id__text, '\') THEN json_extract_string(event_id__text, '$') ELSE substr(event_id__text, 2, length(event_id__text) - 2) END) END AS event_id__str,
    CASE WHEN ascii(event_type__text) = 34 THEN (CASE WHEN contains(event_type__text, '\') THEN json_extract_string(event_type__text, '$') ELSE substr(event_type__text, 2, length(event_type__text) - 2) END) END AS event_type__str,
    CASE WHEN ascii(user_id__text) = 34 THEN (CASE WHEN contains(user_id__text, '\') THEN json_extract_string(user_id__text, '$') ELSE substr(user_id__text, 2, length(user_id__text) - 2) END) END AS user_id__str,
    CASE WHEN ascii(session_id__text) = 34 THEN (CASE WHEN contains(session_id__text, '\') THEN json_extract_string(session_id__text, '$') ELSE substr(session_id__text, 2, length(session_id__text) - 2) END) END AS session_id__str,
    CASE WHEN ascii(user_action__text) = 34 THEN (CASE WHEN contains(user_action__text, '\') THEN json_extract_string(user_action__text, '$') ELSE substr(user_action__text, 2, length(user_action__text) - 2) END) END AS user_action__str,
    CASE WHEN ascii(product_category__text) = 34 THEN (CASE WHEN contains(product_category__text, '\') THEN json_extract_string(product_category__text, '$') ELSE substr(product_category__text, 2, length(product_category__text) - 2) END) END AS product_category__str,
    CASE WHEN ascii(product_id__text) = 34 THEN (CASE WHEN contains(product_id__text, '\') THEN json_extract_string(product_id__text, '$') ELSE substr(product_id__text, 2, length(product_id__text) - 2) END) END AS product_id__str,
    TRY_CAST(price__text AS DOUBLE) AS price__num,
    TRY_CAST(quantity__text AS DOUBLE) AS quantity__num,
    CASE WHEN ascii(location__text) = 34 THEN (CASE WHEN contains(location__text, '\') THEN json_extract_string(location__text, '$') ELSE substr(location__text, 2, length(location__text) - 2) END) END AS location__str,
    TRY_CAST(user_age__text AS DOUBLE) AS user_age__num,
    TRY_CAST(timestamp__text AS DOUBLE) AS timestamp__num,
    CASE WHEN ascii(page_url__text) = 34 THEN (CASE WHEN contains(page_url__text, '\') THEN json_extract_string(page_url__text, '$') ELSE substr(page_url__text, 2, length(page_url__text) - 2) END) END AS page_url__str,
    CASE WHEN ascii(referrer__text) = 34 THEN (CASE WHEN contains(referrer__text, '\') THEN json_extract_string(referrer__text, '$') ELSE substr(referrer__text, 2, length(referrer__text) - 2) END) END AS referrer__str,
    CASE WHEN ascii(device_type__text) = 34 THEN (CASE WHEN contains(device_type__text, '\') THEN json_extract_string(device_type__text, '$') ELSE substr(device_type__text, 2, length(device_type__text) - 2) END) END AS device_type__str,
    CASE WHEN ascii(browser__text) = 34 THEN (CASE WHEN contains(browser__text, '\') THEN json_extract_string(browser__text, '$') ELSE substr(browser__text, 2, length(browser__text) - 2) END) END AS browser__str,
    CASE WHEN ascii(os__text) = 34 THEN (CASE WHEN contains(os__text, '\') THEN json_extract_string(os__text, '$') ELSE substr(os__text, 2, length(os__text) - 2) END) END AS os__str,
    CASE WHEN ascii(utm_source__text) = 34 THEN (CASE WHEN contains(utm_source__text, '\') THEN json_extract_string(utm_source__text, '$') ELSE substr(utm_source__text, 2, length(utm_source__text) - 2) END) END AS utm_source__str,
    CASE WHEN ascii(utm_medium__text) = 34 THEN (CASE WHEN contains(utm_medium__text, '\') THEN json_extract_string(utm_medium__text, '$') ELSE substr(utm_medium__text, 2, length(utm_medium__text) - 2) END) END AS utm_medium__str,
    CASE WHEN ascii(utm_campaign__text) = 34 THEN (CASE WHEN contains(utm_campaign__text, '\') THEN json_extract_string(utm_campaign__text, '$') ELSE substr(utm_campaign__text, 2, length(utm_campaign__text) - 2) END) END AS utm_campaign__str
  FROM field_texts
),

location_keys AS (
  SELECT
    CAST(locations.location_id AS VARCHAR) AS location_key,
    locations.*
  FROM locations
),

judged AS (
  SELECT
    field_values.*,
    location_keys.location_id AS known_location_id,
    CASE
    WHEN (doc IS NULL AND NOT json_valid(line))
      THEN struct_pack(code := 'malformed_json', field := CAST(NULL AS VARCHAR), detail := 'not valid JSON')
    WHEN (doc IS NULL)
      THEN struct_pack(code := 'not_an_object', field := CAST(NULL AS VARCHAR), detail := 'an event must be a JSON object')
    WHEN schema_version__value IS NULL
      THEN struct_pack(code := 'unsupported_schema_version', field := 'schema_version', detail := 'schema_version ' || left(schema_version__text, 60) || ' is not supported; use one of 1, 2')
    WHEN schema_version__text IS NOT NULL AND NOT ((ascii(schema_version__text) BETWEEN 48 AND 57 OR (ascii(schema_version__text) = 45 AND ascii(substr(schema_version__text, 2, 1)) BETWEEN 48 AND 57)) AND isfinite(schema_version__num))
      THEN struct_pack(code := 'wrong_type', field := 'schema_version', detail := 'schema_version must be a number, got ' || left(schema_version__text, 60))
    WHEN schema_version__text IS NOT NULL AND schema_version__num % 1 <> 0
      THEN struct_pack(code := 'wrong_type', field := 'schema_version', detail := 'schema_version must be a whole number, got ' || left(schema_version__text, 60))
    WHEN schema_version__text IS NOT NULL AND (schema_version__num < 1 OR schema_version__num > 2)
      THEN struct_pack(code := 'out_of_range', field := 'schema_version', detail := 'schema_version must be between 1 and 2, got ' || left(schema_version__text, 60))
    WHEN NOT (event_id__text IS NOT NULL) AND schema_version__value >= 2
      THEN struct_pack(code := 'missing_field', field := 'event_id', detail := 'event_id is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN event_id__text IS NOT NULL AND NOT (ascii(event_id__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'event_id', detail := 'event_id must be a string, got ' || left(event_id__text, 60))
    WHEN event_id__text IS NOT NULL AND (event_id__str = '' OR (strlen(event_id__str) > 128 AND (length(event_id__str) + length(regexp_replace(event_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'event_id', detail := 'event_id must be 1 to 128 characters, got ' || CAST((length(event_id__str) + length(regexp_replace(event_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN NOT (event_type__text IS NOT NULL) AND true
      THEN struct_pack(code := 'missing_field', field := 'event_type', detail := 'event_type is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN event_type__text IS NOT NULL AND NOT (ascii(event_type__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'event_type', detail := 'event_type must be a string, got ' || left(event_type__text, 60))
    WHEN event_type__text IS NOT NULL AND (event_type__str = '' OR (strlen(event_type__str) > 32 AND (length(event_type__str) + length(regexp_replace(event_type__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 32))
      THEN struct_pack(code := 'out_of_range', field := 'event_type', detail := 'event_type must be 1 to 32 characters, got ' || CAST((length(event_type__str) + length(regexp_replace(event_type__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN event_type__text IS NOT NULL AND event_type__str NOT IN ('page_view', 'product_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout', 'purchase', 'click')
      THEN struct_pack(code := 'unknown_value', field := 'event_type', detail := 'event_type ' || left(event_type__text, 60) || ' is not one of page_view, product_view, search, add_to_cart, remove_from_cart, checkout, purchase, click')
    WHEN NOT (user_id__text IS NOT NULL) AND true
      THEN struct_pack(code := 'missing_field', field := 'user_id', detail := 'user_id is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN user_id__text IS NOT NULL AND NOT (ascii(user_id__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'user_id', detail := 'user_id must be a string, got ' || left(user_id__text, 60))
    WHEN user_id__text IS NOT NULL AND (user_id__str = '' OR (strlen(user_id__str) > 128 AND (length(user_id__str) + length(regexp_replace(user_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'user_id', detail := 'user_id must be 1 to 128 characters, got ' || CAST((length(user_id__str) + length(regexp_replace(user_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN NOT (session_id__text IS NOT NULL) AND schema_version__value >= 2
      THEN struct_pack(code := 'missing_field', field := 'session_id', detail := 'session_id is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN session_id__text IS NOT NULL AND NOT (ascii(session_id__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'session_id', detail := 'session_id must be a string, got ' || left(session_id__text, 60))
    WHEN session_id__text IS NOT NULL AND (session_id__str = '' OR (strlen(session_id__str) > 128 AND (length(session_id__str) + length(regexp_replace(session_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'session_id', detail := 'session_id must be 1 to 128 characters, got ' || CAST((length(session_id__str) + length(regexp_replace(session_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN NOT (user_action__text IS NOT NULL) AND true
      THEN struct_pack(code := 'missing_field', field := 'user_action', detail := 'user_action is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN user_action__text IS NOT NULL AND NOT (ascii(user_action__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'user_action', detail := 'user_action must be a string, got ' || left(user_action__text, 60))
    WHEN user_action__text IS NOT NULL AND (user_action__str = '' OR (strlen(user_action__str) > 32 AND (length(user_action__str) + length(regexp_replace(user_action__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 32))
      THEN struct_pack(code := 'out_of_range', field := 'user_action', detail := 'user_action must be 1 to 32 characters, got ' || CAST((length(user_action__str) + length(regexp_replace(user_action__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN user_action__text IS NOT NULL AND user_action__str NOT IN ('home_page', 'category_page', 'product_page', 'search_page', 'cart_page', 'checkout_page', 'confirmation_page')
      THEN struct_pack(code := 'unknown_value', field := 'user_action', detail := 'user_action ' || left(user_action__text, 60) || ' is not one of home_page, category_page, product_page, search_page, cart_page, checkout_page, confirmation_page')
    WHEN product_category__text IS NOT NULL AND NOT (ascii(product_category__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'product_category', detail := 'product_category must be a string, got ' || left(product_category__text, 60))
    WHEN product_category__text IS NOT NULL AND (product_category__str = '' OR (strlen(product_category__str) > 32 AND (length(product_category__str) + length(regexp_replace(product_category__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 32))
      THEN struct_pack(code := 'out_of_range', field := 'product_category', detail := 'product_category must be 1 to 32 characters, got ' || CAST((length(product_category__str) + length(regexp_replace(product_category__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN product_category__text IS NOT NULL AND product_category__str NOT IN ('electronics', 'clothing', 'books', 'home_appliances', 'toys', 'other')
      THEN struct_pack(code := 'unknown_value', field := 'product_category', detail := 'product_category ' || left(product_category__text, 60) || ' is not one of electronics, clothing, books, home_appliances, toys, other')
    WHEN product_id__text IS NOT NULL AND NOT (ascii(product_id__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'product_id', detail := 'product_id must be a string, got ' || left(product_id__text, 60))
    WHEN product_id__text IS NOT NULL AND (product_id__str = '' OR (strlen(product_id__str) > 128 AND (length(product_id__str) + length(regexp_replace(product_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'product_id', detail := 'product_id must be 1 to 128 characters, got ' || CAST((length(product_id__str) + length(regexp_replace(product_id__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN price__text IS NOT NULL AND NOT ((ascii(price__text) BETWEEN 48 AND 57 OR (ascii(price__text) = 45 AND ascii(substr(price__text, 2, 1)) BETWEEN 48 AND 57)) AND isfinite(price__num))
      THEN struct_pack(code := 'wrong_type', field := 'price', detail := 'price must be a number, got ' || left(price__text, 60))
    WHEN price__text IS NOT NULL AND (price__num < 0 OR price__num > 1000000)
      THEN struct_pack(code := 'out_of_range', field := 'price', detail := 'price must be between 0 and 1000000, got ' || left(price__text, 60))
    WHEN quantity__text IS NOT NULL AND NOT ((ascii(quantity__text) BETWEEN 48 AND 57 OR (ascii(quantity__text) = 45 AND ascii(substr(quantity__text, 2, 1)) BETWEEN 48 AND 57)) AND isfinite(quantity__num))
      THEN struct_pack(code := 'wrong_type', field := 'quantity', detail := 'quantity must be a number, got ' || left(quantity__text, 60))
    WHEN quantity__text IS NOT NULL AND quantity__num % 1 <> 0
      THEN struct_pack(code := 'wrong_type', field := 'quantity', detail := 'quantity must be a whole number, got ' || left(quantity__text, 60))
    WHEN quantity__text IS NOT NULL AND (quantity__num < 1 OR quantity__num > 1000)
      THEN struct_pack(code := 'out_of_range', field := 'quantity', detail := 'quantity must be between 1 and 1000, got ' || left(quantity__text, 60))
    WHEN NOT (location__text IS NOT NULL) AND true
      THEN struct_pack(code := 'missing_field', field := 'location', detail := 'location is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN location__text IS NOT NULL AND NOT (ascii(location__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'location', detail := 'location must be a string, got ' || left(location__text, 60))
    WHEN location__text IS NOT NULL AND (location__str = '' OR (strlen(location__str) > 8 AND (length(location__str) + length(regexp_replace(location__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 8))
      THEN struct_pack(code := 'out_of_range', field := 'location', detail := 'location must be 1 to 8 characters, got ' || CAST((length(location__str) + length(regexp_replace(location__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN location__text IS NOT NULL AND NOT regexp_full_match(location__str, '[0-9]+')
      THEN struct_pack(code := 'out_of_range', field := 'location', detail := 'location must be a string of digits such as "17", got ' || left(location__text, 60))
    WHEN NOT (user_age__text IS NOT NULL) AND true
      THEN struct_pack(code := 'missing_field', field := 'user_age', detail := 'user_age is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN user_age__text IS NOT NULL AND NOT ((ascii(user_age__text) BETWEEN 48 AND 57 OR (ascii(user_age__text) = 45 AND ascii(substr(user_age__text, 2, 1)) BETWEEN 48 AND 57)) AND isfinite(user_age__num))
      THEN struct_pack(code := 'wrong_type', field := 'user_age', detail := 'user_age must be a number, got ' || left(user_age__text, 60))
    WHEN user_age__text IS NOT NULL AND user_age__num % 1 <> 0
      THEN struct_pack(code := 'wrong_type', field := 'user_age', detail := 'user_age must be a whole number, got ' || left(user_age__text, 60))
    WHEN user_age__text IS NOT NULL AND (user_age__num < 13 OR user_age__num > 120)
      THEN struct_pack(code := 'out_of_range', field := 'user_age', detail := 'user_age must be between 13 and 120, got ' || left(user_age__text, 60))
    WHEN NOT (timestamp__text IS NOT NULL) AND true
      THEN struct_pack(code := 'missing_field', field := 'timestamp', detail := 'timestamp is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN timestamp__text IS NOT NULL AND NOT ((ascii(timestamp__text) BETWEEN 48 AND 57 OR (ascii(timestamp__text) = 45 AND ascii(substr(timestamp__text, 2, 1)) BETWEEN 48 AND 57)) AND isfinite(timestamp__num))
      THEN struct_pack(code := 'wrong_type', field := 'timestamp', detail := 'timestamp must be a number, got ' || left(timestamp__text, 60))
    WHEN timestamp__text IS NOT NULL AND timestamp__num % 1 <> 0
      THEN struct_pack(code := 'wrong_type', field := 'timestamp', detail := 'timestamp must be a whole number, got ' || left(timestamp__text, 60))
    WHEN timestamp__text IS NOT NULL AND (timestamp__num < 0 OR timestamp__num > 9999999999)
      THEN struct_pack(code := 'out_of_range', field := 'timestamp', detail := 'timestamp must be between 0 and 9999999999, got ' || left(timestamp__text, 60))
    WHEN NOT (page_url__text IS NOT NULL) AND schema_version__value >= 2
      THEN struct_pack(code := 'missing_field', field := 'page_url', detail := 'page_url is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN page_url__text IS NOT NULL AND NOT (ascii(page_url__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'page_url', detail := 'page_url must be a string, got ' || left(page_url__text, 60))
    WHEN page_url__text IS NOT NULL AND (page_url__str = '' OR (strlen(page_url__str) > 2048 AND (length(page_url__str) + length(regexp_replace(page_url__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 2048))
      THEN struct_pack(code := 'out_of_range', field := 'page_url', detail := 'page_url must be 1 to 2048 characters, got ' || CAST((length(page_url__str) + length(regexp_replace(page_url__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN referrer__text IS NOT NULL AND NOT (ascii(referrer__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'referrer', detail := 'referrer must be a string, got ' || left(referrer__text, 60))
    WHEN referrer__text IS NOT NULL AND (referrer__str = '' OR (strlen(referrer__str) > 2048 AND (length(referrer__str) + length(regexp_replace(referrer__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 2048))
      THEN struct_pack(code := 'out_of_range', field := 'referrer', detail := 'referrer must be 1 to 2048 characters, got ' || CAST((length(referrer__str) + length(regexp_replace(referrer__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN NOT (device_type__text IS NOT NULL) AND schema_version__value >= 2
      THEN struct_pack(code := 'missing_field', field := 'device_type', detail := 'device_type is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN device_type__text IS NOT NULL AND NOT (ascii(device_type__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'device_type', detail := 'device_type must be a string, got ' || left(device_type__text, 60))
    WHEN device_type__text IS NOT NULL AND (device_type__str = '' OR (strlen(device_type__str) > 16 AND (length(device_type__str) + length(regexp_replace(device_type__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 16))
      THEN struct_pack(code := 'out_of_range', field := 'device_type', detail := 'device_type must be 1 to 16 characters, got ' || CAST((length(device_type__str) + length(regexp_replace(device_type__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN device_type__text IS NOT NULL AND device_type__str NOT IN ('desktop', 'mobile', 'tablet')
      THEN struct_pack(code := 'unknown_value', field := 'device_type', detail := 'device_type ' || left(device_type__text, 60) || ' is not one of desktop, mobile, tablet')
    WHEN NOT (browser__text IS NOT NULL) AND schema_version__value >= 2
      THEN struct_pack(code := 'missing_field', field := 'browser', detail := 'browser is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN browser__text IS NOT NULL AND NOT (ascii(browser__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'browser', detail := 'browser must be a string, got ' || left(browser__text, 60))
    WHEN browser__text IS NOT NULL AND (browser__str = '' OR (strlen(browser__str) > 32 AND (length(browser__str) + length(regexp_replace(browser__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 32))
      THEN struct_pack(code := 'out_of_range', field := 'browser', detail := 'browser must be 1 to 32 characters, got ' || CAST((length(browser__str) + length(regexp_replace(browser__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN browser__text IS NOT NULL AND browser__str NOT IN ('chrome', 'safari', 'firefox', 'edge', 'samsung_internet', 'other')
      THEN struct_pack(code := 'unknown_value', field := 'browser', detail := 'browser ' || left(browser__text, 60) || ' is not one of chrome, safari, firefox, edge, samsung_internet, other')
    WHEN NOT (os__text IS NOT NULL) AND schema_version__value >= 2
      THEN struct_pack(code := 'missing_field', field := 'os', detail := 'os is required in schema version ' || CAST(schema_version__value AS VARCHAR) || ' events')
    WHEN os__text IS NOT NULL AND NOT (ascii(os__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'os', detail := 'os must be a string, got ' || left(os__text, 60))
    WHEN os__text IS NOT NULL AND (os__str = '' OR (strlen(os__str) > 32 AND (length(os__str) + length(regexp_replace(os__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 32))
      THEN struct_pack(code := 'out_of_range', field := 'os', detail := 'os must be 1 to 32 characters, got ' || CAST((length(os__str) + length(regexp_replace(os__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN os__text IS NOT NULL AND os__str NOT IN ('windows', 'macos', 'linux', 'ios', 'android', 'other')
      THEN struct_pack(code := 'unknown_value', field := 'os', detail := 'os ' || left(os__text, 60) || ' is not one of windows, macos, linux, ios, android, other')
    WHEN utm_source__text IS NOT NULL AND NOT (ascii(utm_source__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'utm_source', detail := 'utm_source must be a string, got ' || left(utm_source__text, 60))
    WHEN utm_source__text IS NOT NULL AND (utm_source__str = '' OR (strlen(utm_source__str) > 128 AND (length(utm_source__str) + length(regexp_replace(utm_source__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'utm_source', detail := 'utm_source must be 1 to 128 characters, got ' || CAST((length(utm_source__str) + length(regexp_replace(utm_source__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN utm_medium__text IS NOT NULL AND NOT (ascii(utm_medium__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'utm_medium', detail := 'utm_medium must be a string, got ' || left(utm_medium__text, 60))
    WHEN utm_medium__text IS NOT NULL AND (utm_medium__str = '' OR (strlen(utm_medium__str) > 128 AND (length(utm_medium__str) + length(regexp_replace(utm_medium__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'utm_medium', detail := 'utm_medium must be 1 to 128 characters, got ' || CAST((length(utm_medium__str) + length(regexp_replace(utm_medium__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN utm_campaign__text IS NOT NULL AND NOT (ascii(utm_campaign__text) = 34)
      THEN struct_pack(code := 'wrong_type', field := 'utm_campaign', detail := 'utm_campaign must be a string, got ' || left(utm_campaign__text, 60))
    WHEN utm_campaign__text IS NOT NULL AND (utm_campaign__str = '' OR (strlen(utm_campaign__str) > 128 AND (length(utm_campaign__str) + length(regexp_replace(utm_campaign__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) > 128))
      THEN struct_pack(code := 'out_of_range', field := 'utm_campaign', detail := 'utm_campaign must be 1 to 128 characters, got ' || CAST((length(utm_campaign__str) + length(regexp_replace(utm_campaign__str, '[^\x{10000}-\x{10FFFF}]', '', 'g'))) AS VARCHAR))
    WHEN known_location_id IS NULL
      THEN struct_pack(code := 'unknown_location', field := 'location', detail := 'location "' || location__str || '" is not an id in the reference table locations')
    WHEN timestamp__num < params.earliest_epoch OR timestamp__num > params.latest_epoch
      THEN struct_pack(code := 'timestamp_out_of_window', field := 'timestamp', detail := 'timestamp ' || left(timestamp__text, 60) || ' (' || CAST(make_timestamp(CAST(timestamp__num AS BIGINT) * 1000000) AS VARCHAR) || ') is outside the accepted window ' || CAST(make_timestamp(CAST(params.earliest_epoch AS BIGINT) * 1000000) AS VARCHAR) || ' to ' || CAST(make_timestamp(CAST(params.latest_epoch AS BIGINT) * 1000000) AS VARCHAR))
  END AS first_reason
  FROM field_values
  CROSS JOIN etl_params AS params
  LEFT JOIN location_keys ON location_keys.location_key = field_values.location__str
),

rechecked AS (
  SELECT
    judged.*,
    CASE
    WHEN first_reason IS NOT NULL AND first_reason.code NOT IN ('malformed_json') AND ((ascii(schema_version__text) IN (73, 78, 105, 110) OR (ascii(schema_version__text) = 45 AND ascii(substr(schema_version__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(event_id__text) IN (73, 78, 105, 110) OR (ascii(event_id__text) = 45 AND ascii(substr(event_id__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(event_type__text) IN (73, 78, 105, 110) OR (ascii(event_type__text) = 45 AND ascii(substr(event_type__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(user_id__text) IN (73, 78, 105, 110) OR (ascii(user_id__text) = 45 AND ascii(substr(user_id__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(session_id__text) IN (73, 78, 105, 110) OR (ascii(session_id__text) = 45 AND ascii(substr(session_id__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(user_action__text) IN (73, 78, 105, 110) OR (ascii(user_action__text) = 45 AND ascii(substr(user_action__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(product_category__text) IN (73, 78, 105, 110) OR (ascii(product_category__text) = 45 AND ascii(substr(product_category__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(product_id__text) IN (73, 78, 105, 110) OR (ascii(product_id__text) = 45 AND ascii(substr(product_id__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(price__text) IN (73, 78, 105, 110) OR (ascii(price__text) = 45 AND ascii(substr(price__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(quantity__text) IN (73, 78, 105, 110) OR (ascii(quantity__text) = 45 AND ascii(substr(quantity__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(location__text) IN (73, 78, 105, 110) OR (ascii(location__text) = 45 AND ascii(substr(location__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(user_age__text) IN (73, 78, 105, 110) OR (ascii(user_age__text) = 45 AND ascii(substr(user_age__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(timestamp__text) IN (73, 78, 105, 110) OR (ascii(timestamp__text) = 45 AND ascii(substr(timestamp__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(page_url__text) IN (73, 78, 105, 110) OR (ascii(page_url__text) = 45 AND ascii(substr(page_url__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(referrer__text) IN (73, 78, 105, 110) OR (ascii(referrer__text) = 45 AND ascii(substr(referrer__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(device_type__text) IN (73, 78, 105, 110) OR (ascii(device_type__text) = 45 AND ascii(substr(device_type__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(browser__text) IN (73, 78, 105, 110) OR (ascii(browser__text) = 45 AND ascii(substr(browser__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(os__text) IN (73, 78, 105, 110) OR (ascii(os__text) = 45 AND ascii(substr(os__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(utm_source__text) IN (73, 78, 105, 110) OR (ascii(utm_source__text) = 45 AND ascii(substr(utm_source__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(utm_medium__text) IN (73, 78, 105, 110) OR (ascii(utm_medium__text) = 45 AND ascii(substr(utm_medium__text, 2, 1)) IN (73, 78, 105, 110)))
      OR (ascii(utm_campaign__text) IN (73, 78, 105, 110) OR (ascii(utm_campaign__text) = 45 AND ascii(substr(utm_campaign__text, 2, 1)) IN (73, 78, 105, 110))))
      THEN struct_pack(code := 'malformed_json', field := CAST(NULL AS VARCHAR), detail := 'not valid JSON')
    WHEN first_reason IS NOT NULL AND first_reason.code NOT IN ('malformed_json', 'not_an_object') AND NOT regexp_matches(line, '^[ \t\n\r]*\{')
      THEN struct_pack(code := 'not_an_object', field := CAST(NULL AS VARCHAR), detail := 'an event must be a JSON object')
    ELSE first_reason
  END AS reason
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
  CASE WHEN reason IS NULL THEN coalesce(event_id__str, 'v1-' || md5(source_key || '#' || CAST(line_number AS VARCHAR))) END AS event_key,
  CASE WHEN reason IS NULL THEN CAST(make_timestamp(CAST(timestamp__num AS BIGINT) * 1000000) AS DATE) END AS event_date,
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
SELECT DISTINCT CAST(event_date AS VARCHAR) AS event_date
FROM validated
WHERE reason_code IS NULL
ORDER BY event_date

-- statement: event_fates materialize
-- event_fates: the valid lines this run does not load, and why: every copy of an event id after the first (by source key, then line) is a duplicate in the run; a first copy whose id an earlier run stored is already loaded. Every other valid line is loaded.
CREATE OR REPLACE TABLE event_fates AS
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
CREATE OR REPLACE VIEW events_out AS
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
    make_timestamp(CAST(timestamp__num AS BIGINT) * 1000000) AS out_click_date,
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
  CAST(out_event_id AS VARCHAR) AS event_id,
  CAST(out_schema_version AS INTEGER) AS schema_version,
  CAST(event_type__str AS VARCHAR) AS event_type,
  CAST(user_id__str AS VARCHAR) AS user_id,
  CAST(session_id__str AS VARCHAR) AS session_id,
  CAST(user_action__str AS VARCHAR) AS user_action,
  CAST(product_category__str AS VARCHAR) AS product_category,
  CAST(product_id__str AS VARCHAR) AS product_id,
  CAST(price__num AS DOUBLE) AS price,
  CAST(quantity__num AS INTEGER) AS quantity,
  CAST(out_revenue AS DOUBLE) AS revenue,
  CAST(page_url__str AS VARCHAR) AS page_url,
  CAST(referrer__str AS VARCHAR) AS referrer,
  CAST(device_type__str AS VARCHAR) AS device_type,
  CAST(browser__str AS VARCHAR) AS browser,
  CAST(os__str AS VARCHAR) AS os,
  CAST(utm_source__str AS VARCHAR) AS utm_source,
  CAST(utm_medium__str AS VARCHAR) AS utm_medium,
  CAST(utm_campaign__str AS VARCHAR) AS utm_campaign,
  CAST(out_location_id AS INTEGER) AS location_id,
  CAST(out_country_name AS VARCHAR) AS country_name,
  CAST(out_country_iso2 AS VARCHAR) AS country_iso2,
  CAST(out_country_iso3 AS VARCHAR) AS country_iso3,
  CAST(out_country_numeric AS VARCHAR) AS country_numeric,
  CAST(out_continent AS VARCHAR) AS continent,
  CAST(user_age__num AS INTEGER) AS user_age,
  CAST(out_click_date AS TIMESTAMP) AS click_date,
  CAST(out_epoch_seconds AS BIGINT) AS epoch_seconds,
  CAST(out_event_hour AS INTEGER) AS event_hour,
  CAST(out_source_key AS VARCHAR) AS source_key,
  CAST(out_run_id AS VARCHAR) AS run_id,
  CAST(out_event_date AS DATE) AS event_date
FROM derived

-- statement: session_days_out view
-- session_days_out: the rows this run adds to `session_days` (model/tables.ts SESSION_DAYS): the events it loads (events_out) summed per event date, session (per user for events without one), location and device, with a count per event type. Only sums and maxima, so rows another run adds for the same key add up. A location's country and continent follow from its id: taken with max(), not grouped by, which hashes three strings fewer per row.
CREATE OR REPLACE VIEW session_days_out AS
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
  CAST(out_session_id AS VARCHAR) AS session_id,
  CAST(out_user_id AS VARCHAR) AS user_id,
  CAST(out_location_id AS INTEGER) AS location_id,
  CAST(out_country_name AS VARCHAR) AS country_name,
  CAST(out_country_iso2 AS VARCHAR) AS country_iso2,
  CAST(out_continent AS VARCHAR) AS continent,
  CAST(out_device_type AS VARCHAR) AS device_type,
  CAST(out_browser AS VARCHAR) AS browser,
  CAST(out_os AS VARCHAR) AS os,
  CAST(out_user_age AS INTEGER) AS user_age,
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
CREATE OR REPLACE TABLE rejections AS
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
  CAST(NULL AS VARCHAR) AS raw_line
FROM unreadable_inputs

-- statement: rejection_fates materialize
-- rejection_fates: the rejections this run does not write again, and why: a (source key, line) that rejected_events already holds was rejected by an earlier run over the same file (a replay) and is already rejected. Within one run a (source key, line) is unique: every input key is read once.
CREATE OR REPLACE TABLE rejection_fates AS
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
CREATE OR REPLACE VIEW rejected_out AS
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
  CAST(out_raw_line AS VARCHAR) AS raw_line,
  CAST(out_source_key AS VARCHAR) AS source_key,
  CAST(out_line_number AS BIGINT) AS line_number,
  CAST(out_reason_code AS VARCHAR) AS reason_code,
  CAST(out_reason_detail AS VARCHAR) AS reason_detail,
  CAST(out_run_id AS VARCHAR) AS run_id,
  CAST(out_rejected_at AS TIMESTAMP) AS rejected_at
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
