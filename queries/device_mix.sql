-- name: device_mix
-- description: The device, browser and operating-system mix: events and users per value, and each value's share of its dimension's events. Version 1 events carry none of these and show as unknown.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

-- Each user's events per device, browser and OS first, from session_days (events summed per session
-- and day; a user keeps one setup, so about a row per user): the three breakdowns below then read
-- those rows, not every event three times.
with user_setups as (
  select
    coalesce(device_type, 'unknown') as device_type,
    coalesce(browser, 'unknown') as browser,
    coalesce(os, 'unknown') as os,
    user_id,
    sum(events) as events
  from session_days
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
  group by coalesce(device_type, 'unknown'), coalesce(browser, 'unknown'), coalesce(os, 'unknown'), user_id
),

-- The three dimensions as rows: each user_setups row counts once under each, in one pass, so that
-- Athena (Trino), which inlines each reference to a CTE, reads session_days once, not three times.
dimensions as (
  select 1 as dimension_order, 'device_type' as dimension
  union all
  select 2 as dimension_order, 'browser' as dimension
  union all
  select 3 as dimension_order, 'os' as dimension
),

usage_by_value as (
  select
    dimensions.dimension_order,
    dimensions.dimension,
    case dimensions.dimension_order when 1 then user_setups.device_type when 2 then user_setups.browser else user_setups.os end as label,
    cast(sum(user_setups.events) as bigint) as events,
    count(distinct user_setups.user_id) as users
  from user_setups
  cross join dimensions
  group by
    dimensions.dimension_order,
    dimensions.dimension,
    case dimensions.dimension_order when 1 then user_setups.device_type when 2 then user_setups.browser else user_setups.os end
)

select
  dimension,
  label,
  events,
  users,
  round(100 * cast(events as double) / sum(events) over (partition by dimension), 1) as share_of_events_pct
from usage_by_value
order by dimension_order, events desc, label
