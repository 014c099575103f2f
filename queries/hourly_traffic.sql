-- name: hourly_traffic
-- description: Events and users by day of week and hour of day (UTC), Monday 00h first. day_of_week is ISO (1 = Monday ... 7 = Sunday).
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)

with events_in_range as (
  select
    -- DuckDB and Trino number weekdays differently (dow, day_of_week); counting days from a Monday
    -- (2001-01-01) means the same in both. Events start in 2010, so the difference is never negative.
    1 + date_diff('day', date '2001-01-01', event_date) % 7 as day_of_week,
    event_hour,
    user_id
  from events
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
)

select
  day_of_week,
  case day_of_week
    when 1 then 'Monday'
    when 2 then 'Tuesday'
    when 3 then 'Wednesday'
    when 4 then 'Thursday'
    when 5 then 'Friday'
    when 6 then 'Saturday'
    else 'Sunday'
  end as day_name,
  event_hour,
  count(*) as events,
  count(distinct user_id) as users
from events_in_range
group by day_of_week, event_hour
order by day_of_week, event_hour
