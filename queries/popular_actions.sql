-- name: popular_actions
-- description: Events by type: how many, by how many users, and each type's share of all events. Most frequent first.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

-- Each user's events of each type first, from session_days (events summed per session and day, a
-- count per event type of model/events.ts EVENT_TYPES): a row per user, not per event.
with user_actions as (
  select
    user_id,
    sum(page_view_events) as page_view,
    sum(product_view_events) as product_view,
    sum(search_events) as search,
    sum(add_to_cart_events) as add_to_cart,
    sum(remove_from_cart_events) as remove_from_cart,
    sum(checkout_events) as checkout,
    sum(purchase_events) as purchase,
    sum(click_events) as click
  from session_days
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
  group by user_id
),

-- The event types as rows, crossed with each user's row, so that Athena (Trino), which inlines each
-- reference to a CTE, reads session_days once, not once per type.
event_types as (
  select 'page_view' as event_type
  union all
  select 'product_view' as event_type
  union all
  select 'search' as event_type
  union all
  select 'add_to_cart' as event_type
  union all
  select 'remove_from_cart' as event_type
  union all
  select 'checkout' as event_type
  union all
  select 'purchase' as event_type
  union all
  select 'click' as event_type
),

user_type_events as (
  select
    event_types.event_type,
    case event_types.event_type
      when 'page_view' then user_actions.page_view
      when 'product_view' then user_actions.product_view
      when 'search' then user_actions.search
      when 'add_to_cart' then user_actions.add_to_cart
      when 'remove_from_cart' then user_actions.remove_from_cart
      when 'checkout' then user_actions.checkout
      when 'purchase' then user_actions.purchase
      else user_actions.click
    end as events
  from user_actions
  cross join event_types
),

actions as (
  select event_type, cast(sum(events) as bigint) as events, count(case when events > 0 then 1 end) as users
  from user_type_events
  group by event_type
)

select
  event_type,
  events,
  users,
  round(100 * cast(events as double) / sum(events) over (), 1) as share_of_events_pct
from actions
where events > 0
order by events desc, event_type
