-- events_out: the rows this run adds to `events`, in the columns of model/tables.ts EVENTS and its
-- partition key. A column is derived here as out_<name>, or else carried over from the event field
-- of the same name; events_columns lists them in the model's order and types.
-- kind: view
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
    {{ epoch_to_timestamp(timestamp__num) }} AS out_click_date,
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
  {{ events_columns }}
FROM derived
