"""Every SQL query over the canonical tables, in one place.

Indicator and repurchase queries return integer counts and exact duration sums per shop
(numerators and denominators); the Python side divides. Counts and sums of whole
microseconds are exact on any SQL engine, so the same queries run on DuckDB and, through
sqlglot's duckdb → spark translation, on Spark (``svc_cli.engines``).
Parameters: ``$as_of`` (TIMESTAMP, window end, inclusive), ``$start`` (TIMESTAMP, window
start, exclusive), ``$last_day`` (DATE, last observed day, spec §9).

Portable SQL only (tests/test_engines.py translates every query here): no ``GROUP BY ALL``,
``epoch_us``, ``min(x, n)``, TIME values or date subtraction. Durations are
``date_diff('microsecond', a, b)`` summed as DECIMAL(38, 0) (returned as BIGINT: a
count of microseconds, an error rather than a wrong number past 292,000 years), calendar days
``date_diff('day', CAST(a AS DATE), CAST(b AS DATE))``, hours of the day ``hour(ts)``; a
list index is fine (sqlglot shifts it to Spark's 0-based arrays) when guarded against
short lists (Spark's ANSI mode fails on an index out of range, DuckDB gives NULL).
"""

# Valid order = paid and not cancelled (spec §1).
VALID = "paid_at IS NOT NULL AND status <> 'cancelled'"

INDICATOR_COUNTS = f"""
WITH
shop_list AS (SELECT DISTINCT shop_id FROM orders),
bad_reviewed AS (
  SELECT DISTINCT shop_id, order_id FROM reviews WHERE rating <= 2 AND created_at <= $as_of
),
o AS (
  SELECT o.*,
    o.paid_at > $start AND o.paid_at <= $as_of AND {VALID} AS paid_in_w,
    o.delivered_at > $start AND o.delivered_at <= $as_of AS delivered_in_w,
    o.shipped_at IS NOT NULL AND o.shipped_at <= $as_of AS shipped,
    o.refund_requested_at IS NOT NULL AND o.refund_requested_at <= $as_of
      AND o.refund_requested_at <= o.paid_at + INTERVAL 48 HOUR
      AND coalesce(o.refund_status, 'requested') NOT IN ('withdrawn', 'rejected')
      AS refunded_before_due,
    b.order_id IS NOT NULL AS bad_review
  FROM orders o LEFT JOIN bad_reviewed b ON b.shop_id = o.shop_id AND b.order_id = o.order_id
  WHERE (o.paid_at > $start AND o.paid_at <= $as_of)
     OR (o.delivered_at > $start AND o.delivered_at <= $as_of)
     OR (o.refund_completed_at > $start AND o.refund_completed_at <= $as_of)
),
order_counts AS (
  SELECT shop_id,
    count(*) FILTER (paid_in_w) AS valid_orders,
    count(*) FILTER (paid_in_w AND escalated) AS escalated_orders,
    count(*) FILTER (paid_in_w AND (shipped OR (NOT refunded_before_due
                       AND paid_at <= $as_of - INTERVAL 48 HOUR))) AS pickup_due,
    count(*) FILTER (paid_in_w AND shipped
                     AND shipped_at <= paid_at + INTERVAL 48 HOUR) AS pickup_on_time,
    count(*) FILTER (delivered_in_w) AS delivered_orders,
    count(*) FILTER (delivered_in_w AND (bad_review OR (
        refund_reason IN ('quality', 'not_as_described')
        AND coalesce(refund_status, '') <> 'withdrawn'
        AND (refund_requested_at IS NULL OR refund_requested_at <= $as_of)))) AS negative_orders,
    count(*) FILTER (delivered_in_w AND paid_at IS NOT NULL) AS timed_deliveries,
    sum(CAST(date_diff('microsecond', paid_at, delivered_at) AS DECIMAL(38, 0)))
      FILTER (delivered_in_w AND paid_at IS NOT NULL) AS delivery_us,
    count(*) FILTER (delivered_in_w AND paid_at IS NOT NULL
                     AND date_diff('day', CAST(paid_at AS DATE), CAST(delivered_at AS DATE)) <= 1)
      AS fast_deliveries,
    count(*) FILTER (refund_completed_at > $start AND refund_completed_at <= $as_of
                     AND refund_requested_at IS NOT NULL) AS completed_refunds,
    sum(CAST(date_diff('microsecond', refund_requested_at, refund_completed_at)
             AS DECIMAL(38, 0)))
      FILTER (refund_completed_at > $start AND refund_completed_at <= $as_of
              AND refund_requested_at IS NOT NULL) AS refund_us
  FROM o GROUP BY shop_id
),
review_counts AS (
  SELECT shop_id, count(*) AS reviews, count(*) FILTER (rating >= 4) AS good_reviews
  FROM reviews WHERE created_at > $start AND created_at <= $as_of GROUP BY shop_id
),
chat_counts AS (
  SELECT shop_id, count(*) AS chat_sessions,
    count(*) FILTER (first_response_seconds IS NOT NULL AND first_response_seconds <= 180)
      AS fast_responses
  FROM chats
  WHERE started_at > $start AND started_at <= $as_of
    AND hour(started_at) >= 8 AND hour(started_at) < 23  -- 08:00:00 <= time < 23:00:00
  GROUP BY shop_id
)
SELECT s.shop_id,
  coalesce(sh.industry, 'general') AS industry,
  coalesce(sh.services, []) AS services,
  coalesce(oc.valid_orders, 0) AS valid_orders,
  coalesce(oc.escalated_orders, 0) AS escalated_orders,
  coalesce(oc.pickup_due, 0) AS pickup_due,
  coalesce(oc.pickup_on_time, 0) AS pickup_on_time,
  coalesce(oc.delivered_orders, 0) AS delivered_orders,
  coalesce(oc.negative_orders, 0) AS negative_orders,
  coalesce(oc.timed_deliveries, 0) AS timed_deliveries,
  CAST(coalesce(oc.delivery_us, 0) AS BIGINT) AS delivery_us,
  coalesce(oc.fast_deliveries, 0) AS fast_deliveries,
  coalesce(oc.completed_refunds, 0) AS completed_refunds,
  CAST(coalesce(oc.refund_us, 0) AS BIGINT) AS refund_us,
  coalesce(rc.reviews, 0) AS reviews,
  coalesce(rc.good_reviews, 0) AS good_reviews,
  coalesce(cc.chat_sessions, 0) AS chat_sessions,
  coalesce(cc.fast_responses, 0) AS fast_responses
FROM shop_list s
LEFT JOIN shops sh USING (shop_id)
LEFT JOIN order_counts oc USING (shop_id)
LEFT JOIN review_counts rc USING (shop_id)
LEFT JOIN chat_counts cc USING (shop_id)
ORDER BY s.shop_id
"""

# Distinct order days of every customer with a valid order up to as_of (spec §6/§9).
_CUSTOMER_DAYS = f"""
days AS (
  SELECT DISTINCT shop_id, customer_id, CAST(paid_at AS DATE) AS d
  FROM orders WHERE {VALID} AND customer_id IS NOT NULL AND paid_at <= $as_of
),
firsts AS (SELECT shop_id, customer_id, min(d) AS f FROM days GROUP BY shop_id, customer_id)
"""

REPURCHASE_COUNTS = f"""
WITH
days AS (  -- each customer's distinct order days, and whether they fall in / before W
  SELECT shop_id, customer_id, CAST(paid_at AS DATE) AS d,
    bool_or(paid_at > $start) AS in_w, bool_or(paid_at <= $start) AS before_w
  FROM orders WHERE {VALID} AND customer_id IS NOT NULL AND paid_at <= $as_of
  GROUP BY shop_id, customer_id, CAST(paid_at AS DATE)
),
customers AS (  -- first order day f, second order day s (days are distinct)
  SELECT shop_id, min(d) AS f,
    CASE WHEN count(*) >= 2 THEN list_sort(list(d))[2] END AS s,
    count(*) FILTER (in_w) AS days_in_w, bool_or(before_w) AS before_w
  FROM days GROUP BY shop_id, customer_id
),
counts AS (
  SELECT shop_id,
    count(*) FILTER (days_in_w >= 1) AS customers,
    count(*) FILTER (days_in_w >= 2) AS repeat_customers,
    count(*) FILTER (days_in_w >= 1 AND before_w) AS returning_customers,
    count(*) FILTER (f + 30 <= $last_day) AS eligible_30d,
    count(*) FILTER (f + 30 <= $last_day AND s <= f + 30) AS repeat_30d,
    count(*) FILTER (f + 90 <= $last_day) AS eligible_90d,
    count(*) FILTER (f + 90 <= $last_day AND s <= f + 90) AS repeat_90d,
    count(*) FILTER (f + 180 <= $last_day) AS eligible_180d,
    count(*) FILTER (f + 180 <= $last_day AND s <= f + 180) AS repeat_180d,
    count(*) FILTER (f + 365 <= $last_day) AS eligible_365d,
    count(*) FILTER (f + 365 <= $last_day AND s <= f + 365) AS repeat_365d
  FROM customers GROUP BY shop_id
),
identified AS (  -- shops whose valid orders carry no customer id get no customer metrics
  SELECT shop_id, count(customer_id) AS identified_orders, count(*) AS valid_orders
  FROM orders WHERE {VALID} AND paid_at <= $as_of GROUP BY shop_id
)
SELECT s.shop_id,
  coalesce(i.valid_orders, 0) AS valid_orders,
  coalesce(i.identified_orders, 0) AS identified_orders,
  coalesce(c.customers, 0) AS customers,
  coalesce(c.repeat_customers, 0) AS repeat_customers,
  coalesce(c.returning_customers, 0) AS returning_customers,
  coalesce(c.eligible_30d, 0) AS eligible_30d, coalesce(c.repeat_30d, 0) AS repeat_30d,
  coalesce(c.eligible_90d, 0) AS eligible_90d, coalesce(c.repeat_90d, 0) AS repeat_90d,
  coalesce(c.eligible_180d, 0) AS eligible_180d, coalesce(c.repeat_180d, 0) AS repeat_180d,
  coalesce(c.eligible_365d, 0) AS eligible_365d, coalesce(c.repeat_365d, 0) AS repeat_365d
FROM (SELECT DISTINCT shop_id FROM orders) s
LEFT JOIN counts c USING (shop_id) LEFT JOIN identified i USING (shop_id)
ORDER BY s.shop_id
"""

# Customers ordering in W, for `report repurchase --show-customers` (the one report that
# prints customer ids, and only when asked).
CUSTOMER_LIST = f"""
SELECT shop_id, customer_id,
  min(CAST(paid_at AS DATE)) AS first_order_day_in_window,
  count(DISTINCT CAST(paid_at AS DATE)) AS order_days_in_window,
  count(DISTINCT CAST(paid_at AS DATE)) >= 2 AS repeat_in_window
FROM orders
WHERE {VALID} AND customer_id IS NOT NULL AND paid_at > $start AND paid_at <= $as_of
GROUP BY shop_id, customer_id
ORDER BY shop_id, order_days_in_window DESC, customer_id
"""

# Cohort matrix cells: cohort month of first order, month offset k, customers active.
COHORT_COUNTS = f"""
WITH {_CUSTOMER_DAYS},
active AS (
  SELECT DISTINCT d.shop_id, d.customer_id, date_trunc('month', f.f) AS cohort,
    date_diff('month', date_trunc('month', f.f), date_trunc('month', d.d)) AS k
  FROM days d JOIN firsts f USING (shop_id, customer_id)
)
SELECT shop_id, CAST(cohort AS DATE) AS cohort, k, count(*) AS customers
FROM active GROUP BY shop_id, cohort, k ORDER BY shop_id, cohort, k
"""
