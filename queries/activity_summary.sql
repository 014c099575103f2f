-- name: activity_summary
-- description: Headline figures: events, distinct users, distinct sessions and the users' average age, where a user's age is the highest their events report. One row; no row when no event matches. Version 1 events carry no session.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

-- session_days: the events summed per session and day, with the keys to count distinct users and
-- sessions (model/tables.ts), so this reads about a third of the rows `events` holds.
with sessions_in_range as (
  select user_id, session_id, user_age, events
  from session_days
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
),

user_ages as (
  select user_id, max(user_age) as user_age
  from sessions_in_range
  group by user_id
),

event_totals as (
  select cast(sum(events) as bigint) as events, count(distinct session_id) as sessions
  from sessions_in_range
)

select
  event_totals.events,
  count(*) as users,
  event_totals.sessions,
  round(avg(cast(user_ages.user_age as double)), 1) as average_user_age
from user_ages
cross join event_totals
group by event_totals.events, event_totals.sessions
