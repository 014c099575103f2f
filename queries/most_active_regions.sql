-- name: most_active_regions
-- description: Activity by continent and, within each, its busiest countries: events, users and shares. Busiest continent first.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country
-- param: countries_per_continent (int, default 5): how many of each continent's busiest countries to list

-- Each user's events per country first, from session_days (events summed per session and day): the
-- counts below then add up a few rows per user instead of counting distinct users over every event.
with user_countries as (
  select continent, country_name, country_iso2, user_id, sum(events) as events
  from session_days
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
  group by continent, country_name, country_iso2, user_id
),

continent_activity as (
  select
    continent,
    cast(sum(events) as bigint) as continent_events,
    count(distinct user_id) as continent_users,
    round(100 * cast(sum(events) as double) / sum(sum(events)) over (), 1) as continent_share_pct
  from user_countries
  group by continent
),

country_activity as (
  select continent, country_name, country_iso2, cast(sum(events) as bigint) as events, count(user_id) as users
  from user_countries
  group by continent, country_name, country_iso2
),

ranked_countries as (
  select
    continent,
    country_name,
    country_iso2,
    events,
    users,
    row_number() over (partition by continent order by events desc, country_name) as country_rank
  from country_activity
)

select
  continent_activity.continent,
  continent_activity.continent_events,
  continent_activity.continent_users,
  continent_activity.continent_share_pct,
  ranked_countries.country_rank,
  ranked_countries.country_name,
  ranked_countries.country_iso2,
  ranked_countries.events,
  ranked_countries.users,
  round(100 * cast(ranked_countries.events as double) / continent_activity.continent_events, 1) as share_of_continent_pct
from ranked_countries
join continent_activity on continent_activity.continent = ranked_countries.continent
where ranked_countries.country_rank <= ?
order by continent_activity.continent_events desc, continent_activity.continent, ranked_countries.country_rank
