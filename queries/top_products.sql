-- name: top_products
-- description: The best-selling products by revenue (EUR), with their category, orders and units. Ties go to the lower product id.
-- param: start_date (date, default 2010-01-01): first event date included (UTC)
-- param: end_date (date, default 9999-12-31): last event date included (UTC)
-- param: top_n (int, default 10): how many products to list

with purchases as (
  select product_id, product_category, coalesce(session_id, event_id) as order_id, quantity, revenue
  from events
  where event_date between cast(substr(?, 1, 10) as date) and cast(substr(?, 1, 10) as date)
    and event_type = 'purchase'
    and product_id is not null
),

product_sales as (
  select
    product_id,
    product_category,
    count(distinct order_id) as orders,
    cast(coalesce(sum(quantity), 0) as bigint) as units,
    round(coalesce(sum(revenue), 0), 2) as revenue
  from purchases
  group by product_id, product_category
),

ranked_products as (
  select
    row_number() over (order by revenue desc, product_id) as sales_rank,
    product_id,
    product_category,
    orders,
    units,
    revenue
  from product_sales
)

select sales_rank, product_id, product_category, orders, units, revenue
from ranked_products
where sales_rank <= ?
order by sales_rank
