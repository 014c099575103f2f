-- name: popular_actions
-- description: Events by type: how many, by how many users, and each type's share of all events. Most frequent first.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

with events_in_range as (
  select event_type, user_id
  from events
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
)

select
  event_type,
  count(*) as events,
  count(distinct user_id) as users,
  round(100 * cast(count(*) as double) / sum(count(*)) over (), 1) as share_of_events_pct
from events_in_range
group by event_type
order by events desc, event_type
