-- name: revenue_by_category
-- description: Purchases by product category: orders, order lines, units, revenue (EUR), average order value and share of revenue. An order is a session's purchase; a version 1 purchase, having no session, is an order of its own.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)

with purchases as (
  select coalesce(product_category, 'unknown') as product_category, coalesce(session_id, event_id) as order_id, quantity, revenue
  from events
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and event_type = 'purchase'
),

category_sales as (
  select
    product_category,
    count(distinct order_id) as orders,
    count(*) as order_lines,
    cast(coalesce(sum(quantity), 0) as bigint) as units,
    round(coalesce(sum(revenue), 0), 2) as revenue
  from purchases
  group by product_category
)

select
  product_category,
  orders,
  order_lines,
  units,
  revenue,
  round(revenue / orders, 2) as average_order_value,
  round(100 * revenue / nullif(sum(revenue) over (), 0), 1) as share_of_revenue_pct
from category_sales
order by revenue desc, product_category
