-- event_dates: the event dates this run loads into; the engine reads the event ids already stored
-- under these partitions into existing_events before the next step.
-- kind: query
SELECT DISTINCT CAST(event_date AS {{ type(string) }}) AS event_date
FROM validated
WHERE reason_code IS NULL
ORDER BY event_date
