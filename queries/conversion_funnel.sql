-- name: conversion_funnel
-- description: Users reaching each step of the shop funnel (product_view, add_to_cart, checkout, purchase), with step-to-step and overall conversion. A user reaches a step with an event of that step and of every earlier one in the range.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: continent (string, default 'all'): only events in this continent, e.g. Europe; all for every continent
-- param: country (string, default 'all'): only events in this country, by name, e.g. France; all for every country

-- From session_days (events summed per session and day, with each funnel step's count): one pass
-- over about a third of the rows `events` holds.
with user_progress as (
  select
    user_id,
    max(case when product_view_events > 0 then 1 else 0 end) as viewed_product,
    max(case when add_to_cart_events > 0 then 1 else 0 end) as added_to_cart,
    max(case when checkout_events > 0 then 1 else 0 end) as checked_out,
    max(case when purchase_events > 0 then 1 else 0 end) as purchased
  from session_days
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and ? in ('all', continent)
    and ? in ('all', country_name)
    and product_view_events + add_to_cart_events + checkout_events + purchase_events > 0
  group by user_id
),

users_per_step as (
  select
    cast(coalesce(sum(viewed_product), 0) as bigint) as product_view_users,
    cast(coalesce(sum(viewed_product * added_to_cart), 0) as bigint) as add_to_cart_users,
    cast(coalesce(sum(viewed_product * added_to_cart * checked_out), 0) as bigint) as checkout_users,
    cast(coalesce(sum(viewed_product * added_to_cart * checked_out * purchased), 0) as bigint) as purchase_users
  from user_progress
),

-- The four steps as rows: a cross join with users_per_step's one row, so that Athena (Trino), which
-- inlines each reference to a CTE, reads session_days once, not once per step.
steps as (
  select 1 as step_number, 'product_view' as step
  union all
  select 2 as step_number, 'add_to_cart' as step
  union all
  select 3 as step_number, 'checkout' as step
  union all
  select 4 as step_number, 'purchase' as step
),

funnel_steps as (
  select
    steps.step_number,
    steps.step,
    case steps.step_number
      when 1 then users_per_step.product_view_users
      when 2 then users_per_step.add_to_cart_users
      when 3 then users_per_step.checkout_users
      else users_per_step.purchase_users
    end as users
  from steps
  cross join users_per_step
)

select
  step_number,
  step,
  users,
  round(100 * cast(users as double) / nullif(lag(users) over (order by step_number), 0), 1) as conversion_from_previous_pct,
  round(100 * cast(users as double) / nullif(first_value(users) over (order by step_number), 0), 1) as conversion_from_first_pct
from funnel_steps
order by step_number
