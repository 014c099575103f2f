-- session_days_out: the rows this run adds to `session_days` (model/tables.ts SESSION_DAYS): the
-- events it loads (events_out) summed per event date, session (per user for events without one),
-- location and device, with a count per event type. Only sums and maxima, so rows another run adds
-- for the same key add up. A location's country and continent follow from its id: taken with max(),
-- not grouped by, which hashes three strings fewer per row.
-- kind: view
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
    {{ event_type_counts }},
    event_date AS out_event_date
  FROM events_out
  GROUP BY event_date, session_id, user_id, location_id, device_type, browser, os
)

SELECT
  {{ session_days_columns }}
FROM derived
