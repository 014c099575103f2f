-- name: daily_activity
-- description: Daily active users, sessions and events for each day with events, oldest first. Version 1 events carry no session and count in events and users only.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

-- From session_days: events summed per session and day, keeping the user and session ids to count.
select
  event_date,
  count(distinct user_id) as active_users,
  count(distinct session_id) as sessions,
  cast(sum(events) as bigint) as events,
  round(cast(sum(case when session_id is not null then events end) as double) / nullif(count(distinct session_id), 0), 2) as events_per_session
from session_days
where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
  and ? in ('all', continent)
  and ? in ('all', country_name)
group by event_date
order by event_date
