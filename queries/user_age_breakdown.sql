-- name: user_age_breakdown
-- description: Users by age bucket in each continent, with each continent's average user age. A user's age is the highest their events report (a birthday can fall in the range); a user seen in two continents counts in both.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

-- From session_days (events summed per session and day, each row with its highest reported age).
with continent_users as (
  select continent, user_id, max(user_age) as user_age
  from session_days
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
  group by continent, user_id
),

bucketed_users as (
  select
    continent,
    user_age,
    case
      when user_age < 18 then '13-17'
      when user_age < 25 then '18-24'
      when user_age < 35 then '25-34'
      when user_age < 45 then '35-44'
      when user_age < 55 then '45-54'
      when user_age < 65 then '55-64'
      else '65+'
    end as age_bucket
  from continent_users
),

continent_ages as (
  select continent, count(*) as continent_users, round(avg(cast(user_age as double)), 1) as continent_average_age
  from continent_users
  group by continent
)

select
  bucketed_users.continent,
  continent_ages.continent_users,
  continent_ages.continent_average_age,
  bucketed_users.age_bucket,
  count(*) as users,
  round(100 * cast(count(*) as double) / continent_ages.continent_users, 1) as share_of_continent_pct
from bucketed_users
join continent_ages on continent_ages.continent = bucketed_users.continent
group by bucketed_users.continent, continent_ages.continent_users, continent_ages.continent_average_age, bucketed_users.age_bucket
order by continent_ages.continent_users desc, bucketed_users.continent, bucketed_users.age_bucket
