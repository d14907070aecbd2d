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

from svc_cli.schema import ALL_TABLES, ORDERS, Table

# Valid order = paid and not cancelled (spec §1).
VALID = "paid_at IS NOT NULL AND status <> 'cancelled'"

# What each order is in W (paid in W, delivered in W, shipped, refunded before it was
# due): one definition for the indicator counts and the diagnosis events, so an
# indicator's events always number what its count says.
_ORDER_FLAGS = f"""
    o.paid_at > $start AND o.paid_at <= $as_of AND {VALID} AS paid_in_w,
    o.delivered_at > $start AND o.delivered_at <= $as_of AS delivered_in_w,
    o.shipped_at IS NOT NULL AND o.shipped_at <= $as_of AS shipped,
    o.refund_requested_at IS NOT NULL AND o.refund_requested_at <= $as_of
      AND o.refund_requested_at <= o.paid_at + INTERVAL 48 HOUR
      AND coalesce(o.refund_status, 'requested') NOT IN ('withdrawn', 'rejected')
      AS refunded_before_due"""

INDICATOR_COUNTS = f"""
WITH
shop_list AS (SELECT DISTINCT shop_id FROM orders),
bad_reviewed AS (
  SELECT DISTINCT shop_id, order_id FROM reviews WHERE rating <= 2 AND created_at <= $as_of
),
o AS (
  SELECT o.*,
    {_ORDER_FLAGS},
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
    count(*) FILTER (paid_in_w AND NOT shipped AND status = 'refunded'
                     AND refund_requested_at IS NULL
                     AND paid_at <= $as_of - INTERVAL 48 HOUR) AS late_unshipped_refunds,
    count(*) FILTER (delivered_in_w) AS delivered_orders,
    count(*) FILTER (delivered_in_w AND (bad_review OR (
        refund_reason IN ('quality', 'not_as_described')
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
  SELECT shop_id,
    count(*) FILTER (in_hours) AS chat_sessions,
    count(*) FILTER (in_hours AND first_response_seconds <= 180) AS fast_responses,
    count(satisfaction) AS rated_sessions,
    count(*) FILTER (satisfaction >= 4) AS satisfied_sessions
  FROM (
    SELECT *,  -- 08:00:00 <= time of day < 23:00:00
      hour(started_at) >= 8 AND hour(started_at) < 23 AS in_hours
    FROM chats WHERE started_at > $start AND started_at <= $as_of
  )
  GROUP BY shop_id
)
SELECT s.shop_id,
  coalesce(sh.industry, 'general') AS industry,
  coalesce(sh.services, []) AS services,
  coalesce(oc.valid_orders, 0) AS valid_orders,
  coalesce(oc.escalated_orders, 0) AS escalated_orders,
  coalesce(oc.pickup_due, 0) AS pickup_due,
  coalesce(oc.pickup_on_time, 0) AS pickup_on_time,
  coalesce(oc.late_unshipped_refunds, 0) AS late_unshipped_refunds,
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
  coalesce(cc.fast_responses, 0) AS fast_responses,
  coalesce(cc.rated_sessions, 0) AS rated_sessions,
  coalesce(cc.satisfied_sessions, 0) AS satisfied_sessions
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
  SELECT shop_id, count(customer_id) AS identified_orders, count(*) AS valid_orders,
    count(*) FILTER (paid_at <= $start) AS orders_before_w
  FROM orders WHERE {VALID} AND paid_at <= $as_of GROUP BY shop_id
)
SELECT s.shop_id,
  coalesce(i.valid_orders, 0) AS valid_orders,
  coalesce(i.identified_orders, 0) AS identified_orders,
  coalesce(i.orders_before_w, 0) AS orders_before_w,
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

# Data coverage (spec §10): each shop's provided inputs; a later load only adds to them.
COVERAGE = "SELECT shop_id, input FROM coverage ORDER BY shop_id, input"

# (what is already recorded as provided is left alone: a daily load rewrites nothing)
RECORD_COVERAGE = """
INSERT INTO coverage
SELECT s.shop_id, i.input, false
FROM (SELECT DISTINCT unnest($shops::VARCHAR[]) AS shop_id) s,
     (SELECT DISTINCT unnest($inputs::VARCHAR[]) AS input) i
WHERE NOT EXISTS (
  SELECT 1 FROM coverage c WHERE c.shop_id = s.shop_id AND c.input = i.input AND NOT c.inferred)
ON CONFLICT DO UPDATE SET inferred = false
"""


def _provided_when(column: str, default: str | None) -> str:
    """When a column counts as provided without a coverage record: any non-null value, or
    for a column with a default, any value other than it."""
    if default is None:
        return f"bool_or({column} IS NOT NULL)"
    return f"bool_or({column} IS DISTINCT FROM {default})"


def _unpivot(relation: str, flags: dict[str, str]) -> str:
    """(shop_id, input, seen) rows of ``relation``, one per input of ``flags`` (input ->
    its flag, an expression over ``relation``): a cross join with the list of inputs,
    one pass over the relation."""
    names = ", ".join(f"('{name}')" for name in flags)
    cases = " ".join(f"WHEN '{name}' THEN {flag}" for name, flag in flags.items())
    return (
        f"SELECT {relation}.shop_id, n.input, CASE n.input {cases} END AS seen\n"
        f"  FROM {relation} CROSS JOIN (VALUES {names}) AS n(input)"
    )


_order_inputs = [c for c in ORDERS.columns if not c.in_header]
_order_flags = ",\n    ".join(
    f"{_provided_when(c.name, c.default)} AS {c.name}" for c in _order_inputs
)
_chat_flags = {
    "chats": "true",
    "chats.satisfaction": "c.satisfaction",
    "chats.qa_score": "c.qa_score",
}

# Coverage inferred from the data (spec §10), for a database loaded before coverage was
# recorded (migration to schema 3) and a Parquet lake without a coverage folder: one
# ``inferred`` row per shop and input that any of the shop's rows shows a value for.
# One aggregate per table, unpivoted by a cross join with the input names (portable:
# runs on Spark too, one scan of each table).
INFERRED_COVERAGE = f"""
WITH
o AS (
  SELECT shop_id,
    {_order_flags}
  FROM orders GROUP BY shop_id
),
r AS (
  SELECT shop_id, bool_or(order_id IS NOT NULL) AS order_id FROM reviews GROUP BY shop_id
),
c AS (
  SELECT shop_id, bool_or(satisfaction IS NOT NULL) AS satisfaction,
    bool_or(qa_score IS NOT NULL) AS qa_score
  FROM chats GROUP BY shop_id
),
inputs AS (
  {_unpivot("o", {c.name: f"o.{c.name}" for c in _order_inputs})}
  UNION ALL
  {_unpivot("r", {"reviews": "true", "reviews.order_id": "r.order_id"})}
  UNION ALL
  {_unpivot("c", _chat_flags)}
)
SELECT shop_id, input, true AS inferred FROM inputs WHERE seen
"""

# The same rows added to a database's coverage (rows recorded by a load are kept).
INFER_COVERAGE = f"""
INSERT INTO coverage
{INFERRED_COVERAGE.strip()}
ON CONFLICT DO NOTHING
"""

# `svc info`: per shop, what each table holds and the period it covers, and the inputs
# provided (spec §10).
INFO_SHOPS = """
WITH
o AS (SELECT shop_id, count(*) AS orders, min(ordered_at) AS orders_from,
             max(ordered_at) AS orders_to FROM orders GROUP BY shop_id),
r AS (SELECT shop_id, count(*) AS reviews, min(created_at) AS reviews_from,
             max(created_at) AS reviews_to FROM reviews GROUP BY shop_id),
c AS (SELECT shop_id, count(*) AS chats, min(started_at) AS chats_from,
             max(started_at) AS chats_to FROM chats GROUP BY shop_id),
cov AS (SELECT shop_id, list(input ORDER BY input) AS provided,
               coalesce(list(input ORDER BY input) FILTER (inferred), []) AS inferred
        FROM coverage GROUP BY shop_id)
SELECT o.shop_id, s.name, coalesce(s.industry, 'general') AS industry,
  coalesce(s.services, []) AS services,
  o.orders, o.orders_from, o.orders_to,
  coalesce(r.reviews, 0) AS reviews, r.reviews_from, r.reviews_to,
  coalesce(c.chats, 0) AS chats, c.chats_from, c.chats_to,
  coalesce(cov.provided, []) AS provided, coalesce(cov.inferred, []) AS inferred
FROM o LEFT JOIN shops s USING (shop_id) LEFT JOIN r USING (shop_id)
LEFT JOIN c USING (shop_id) LEFT JOIN cov USING (shop_id)
ORDER BY o.shop_id
"""


def _table_span(position: int, table: Table) -> str:
    stamps = [c.name for c in table.columns if c.kind == "timestamp"]
    first = f"least({', '.join(f'min({c})' for c in stamps)})" if stamps else "NULL"
    last = f"greatest({', '.join(f'max({c})' for c in stamps)})" if stamps else "NULL"
    return (
        f"SELECT {position} AS position, '{table.name}' AS table_name, count(*) AS row_count, "
        f"{first} AS first_at, {last} AS last_at FROM {table.name}"
    )


# `svc info`: each canonical table's rows and the first and last of its timestamps, in
# the order of schema.ALL_TABLES.
TABLE_SPANS = (
    "\nUNION ALL\n".join(_table_span(i, t) for i, t in enumerate(ALL_TABLES))
    + "\nORDER BY position"
)

# The schema version an svc database records (svc_cli/store.py).
SCHEMA_VERSION_STORED = "SELECT value FROM svc_meta WHERE key = 'schema_version'"

# Whether a database's key hashes (schema.KEY_HASH) were made by a DuckDB whose ``hash``
# gives what this one does: the database records what ``hash`` gave for this text.
KEY_HASH_CURRENT = """
SELECT hash('svc key hash')::VARCHAR IS NOT DISTINCT FROM
  (SELECT value FROM svc_meta WHERE key = 'key_hash')
"""
RECORD_KEY_HASH = (
    "INSERT OR REPLACE INTO svc_meta VALUES ('key_hash', hash('svc key hash')::VARCHAR)"
)

# `svc info`: how many loads the database has seen, and when the last one ran.
# Loads of a file with no data row (header only) are recorded with rows_read = 0.
LOADS_SUMMARY = """
SELECT count(*) AS loads, max(loaded_at) AS last_load,
       count(*) FILTER (rows_read = 0) AS header_only_loads
FROM svc_loads"""

# Shop identity (svc_cli/shop_ids.py): the shops a computation reports (those with
# orders), the aliases shops files gave, and names shared by several shops.
KNOWN_SHOPS = "SELECT DISTINCT shop_id FROM orders ORDER BY shop_id"

# The shops of the shops file (some may have no order yet).
LISTED_SHOPS = "SELECT shop_id FROM shops"

# Whether any order is loaded (1 or 0; stops at the first row, on DuckDB and Spark alike).
HAS_ORDERS = "SELECT count(*) FROM (SELECT 1 FROM orders LIMIT 1) t"

SHOP_ALIASES = "SELECT alias, shop_id FROM shop_aliases ORDER BY alias"

# What is stored of the shops ``$ids`` (the fields a shops file may leave out).
STORED_SHOPS = """
SELECT shop_id, name, industry, services FROM shops
WHERE shop_id IN (SELECT unnest($ids::VARCHAR[]))
"""

RECORD_ALIASES = """
INSERT INTO shop_aliases
SELECT unnest($aliases::VARCHAR[]) AS alias, unnest($shops::VARCHAR[]) AS shop_id
ON CONFLICT DO UPDATE SET shop_id = excluded.shop_id
"""

# Rows of one table stored under an alias: those whose key is free under the shop id
# move to it; those whose key the shop id already has are left to REKEY_DROP_CLASHES.
REKEY_CLASHES = """
SELECT count(*) FROM {table} t JOIN shop_aliases a ON t.shop_id = a.alias
WHERE EXISTS (SELECT 1 FROM {table} u WHERE u.shop_id = a.shop_id AND {same_key})
"""

REKEY_DROP_CLASHES = """
DELETE FROM {table} WHERE shop_id IN (SELECT alias FROM shop_aliases) AND EXISTS (
  SELECT 1 FROM shop_aliases a, {table} u
  WHERE a.alias = {table}.shop_id AND u.shop_id = a.shop_id AND {same_key_outer})
"""

REKEY_ROWS = """
UPDATE {table} SET shop_id = a.shop_id FROM shop_aliases a WHERE {table}.shop_id = a.alias
"""

REKEY_COVERAGE = """
INSERT INTO coverage
SELECT a.shop_id, c.input, c.inferred FROM coverage c JOIN shop_aliases a ON c.shop_id = a.alias
ON CONFLICT DO NOTHING;
DELETE FROM coverage WHERE shop_id IN (SELECT alias FROM shop_aliases);
"""

SHOP_NAMES = "SELECT name, shop_id FROM shops WHERE name IS NOT NULL ORDER BY shop_id"

# First and last payment of each shop's valid orders (to say where the data lies when a
# window holds none of them).
ORDER_SPAN = f"""
SELECT shop_id, min(paid_at) AS first_paid, max(paid_at) AS last_paid
FROM orders WHERE {VALID} GROUP BY shop_id
"""

# Refund retention (spec §13): refunds requested in W, by shop, reason, stage and month.
# A request's status is taken at as_of: a refund completed after as_of was still open.
_REFUND_REQUESTS = """
requests AS (
  SELECT shop_id, amount,
    coalesce(refund_reason, '') AS reason,
    CASE WHEN shipped_at IS NULL OR shipped_at > refund_requested_at
         THEN 'before_shipping' ELSE 'after_shipping' END AS stage,
    CAST(date_trunc('month', refund_requested_at) AS DATE) AS month,
    CASE
      WHEN refund_status = 'completed'
           AND (refund_completed_at IS NULL OR refund_completed_at <= $as_of) THEN 'completed'
      WHEN refund_status IN ('withdrawn', 'rejected') THEN refund_status
      ELSE 'open'
    END AS final_status,
    refund_requested_at, refund_completed_at
  FROM orders
  WHERE refund_requested_at > $start AND refund_requested_at <= $as_of
)
"""

REFUND_COUNTS = f"""
WITH {_REFUND_REQUESTS}
SELECT shop_id, reason, stage, month,
  count(*) AS requests,
  count(*) FILTER (final_status = 'withdrawn') AS withdrawn,
  count(*) FILTER (final_status = 'completed') AS completed,
  count(*) FILTER (final_status = 'rejected') AS rejected,
  count(*) FILTER (final_status = 'open') AS open,
  coalesce(sum(amount) FILTER (final_status = 'withdrawn'), 0) AS retained_amount
FROM requests
GROUP BY shop_id, reason, stage, month
ORDER BY shop_id, reason, stage, month
"""

# Handling time of each completed request (for medians, which are not sums).
REFUND_HANDLING = f"""
WITH {_REFUND_REQUESTS}
SELECT shop_id, reason, stage, month,
  date_diff('microsecond', refund_requested_at, refund_completed_at) AS handling_us
FROM requests
WHERE final_status = 'completed' AND refund_completed_at IS NOT NULL
ORDER BY shop_id, reason, stage, month, handling_us
"""


# Customer-service agents (spec §12): per shop and agent, counts over chat sessions started
# in W. The row with a NULL agent_id holds the shop's sessions without an agent (left out
# of grading, but part of the shop's totals). Seconds and QA points are summed as whole
# micro-units, exact on any engine.
AGENT_COUNTS = """
WITH c AS (
  SELECT shop_id, agent_id, first_response_seconds, satisfaction, qa_score,
    hour(started_at) >= 8
      AND hour(started_at) < 23 AS in_hours  -- 08:00 <= time < 23:00
  FROM chats WHERE started_at > $start AND started_at <= $as_of
)
SELECT shop_id, agent_id,
  count(*) AS sessions,
  count(*) FILTER (in_hours) AS service_hour_sessions,
  count(*) FILTER (in_hours AND first_response_seconds <= 180) AS fast_responses,
  count(first_response_seconds) AS answered_sessions,
  coalesce(sum(CAST(round(first_response_seconds * 1000000) AS BIGINT)), 0)
    AS first_response_us,
  count(satisfaction) AS rated_sessions,
  count(*) FILTER (satisfaction >= 4) AS satisfied_sessions,
  count(qa_score) AS qa_scored_sessions,
  coalesce(sum(CAST(round(qa_score * 1000000) AS BIGINT)), 0) AS qa_micro
FROM c
GROUP BY shop_id, agent_id
ORDER BY shop_id, agent_id NULLS LAST
"""

# Service -> repurchase: every first-time customer (first order day f, second order day s)
# with what the orders of the first order day went through. Counts per shop and
# combination of flags; ``$horizon`` (days) sets the eligibility and repeat rule of §9,
# ``$chat_days`` how many days after the first order day a chat still counts.
SERVICE_REPURCHASE_COUNTS = f"""
WITH
{_CUSTOMER_DAYS},
seconds AS (
  SELECT shop_id, customer_id, min(d) AS s FROM days d JOIN firsts f USING (shop_id, customer_id)
  WHERE d.d > f.f GROUP BY shop_id, customer_id
),
bad_reviewed AS (
  SELECT DISTINCT shop_id, order_id FROM reviews WHERE rating <= 2 AND created_at <= $as_of
),
first_orders AS (
  SELECT o.shop_id, o.customer_id,
    bool_or(
      (o.shipped_at IS NOT NULL AND o.shipped_at <= $as_of
        AND o.shipped_at > o.paid_at + INTERVAL 48 HOUR)
      OR ((o.shipped_at IS NULL OR o.shipped_at > $as_of)
        AND o.paid_at <= $as_of - INTERVAL 48 HOUR
        AND NOT coalesce(o.refund_requested_at <= $as_of
          AND o.refund_requested_at <= o.paid_at + INTERVAL 48 HOUR
          AND coalesce(o.refund_status, 'requested') NOT IN ('withdrawn', 'rejected'), false))
    ) AS late_shipping,
    bool_or(o.refund_requested_at IS NOT NULL AND o.refund_requested_at <= $as_of)
      AS refund_requested,
    bool_or(o.refund_requested_at IS NOT NULL AND o.refund_requested_at <= $as_of
            AND o.refund_status = 'withdrawn') AS refund_retained,
    bool_or(b.order_id IS NOT NULL) AS bad_review
  FROM orders o
  JOIN firsts f ON f.shop_id = o.shop_id AND f.customer_id = o.customer_id
    AND CAST(o.paid_at AS DATE) = f.f
  LEFT JOIN bad_reviewed b ON b.shop_id = o.shop_id AND b.order_id = o.order_id
  WHERE {VALID} AND o.paid_at <= $as_of
  GROUP BY o.shop_id, o.customer_id
),
unanswered AS (
  SELECT DISTINCT c.shop_id, c.customer_id
  FROM chats c JOIN firsts f ON f.shop_id = c.shop_id AND f.customer_id = c.customer_id
  WHERE c.started_at <= $as_of
    AND CAST(c.started_at AS DATE) >= f.f
    AND CAST(c.started_at AS DATE) <= f.f + $chat_days
    AND (c.first_response_seconds IS NULL OR c.first_response_seconds > 180)
),
customers AS (
  SELECT f.shop_id, f.f, s.s, fo.late_shipping, fo.refund_requested, fo.refund_retained,
    fo.bad_review, u.customer_id IS NOT NULL AS unanswered_chat
  FROM firsts f
  JOIN first_orders fo USING (shop_id, customer_id)
  LEFT JOIN seconds s USING (shop_id, customer_id)
  LEFT JOIN unanswered u USING (shop_id, customer_id)
)
SELECT shop_id, late_shipping, unanswered_chat, refund_requested, refund_retained, bad_review,
  count(*) AS customers,
  count(*) FILTER (f + $horizon <= $last_day) AS eligible,
  count(*) FILTER (f + $horizon <= $last_day AND s <= f + $horizon) AS repeated
FROM customers
GROUP BY shop_id, late_shipping, unanswered_chat, refund_requested, refund_retained, bad_review
ORDER BY shop_id, late_shipping, unanswered_chat, refund_requested, refund_retained, bad_review
"""

# Repeat deep-dive (`svc report repeat`). Each customer's first order day f, second order
# day s (null: none yet), last order day, number of order days, and first order (the
# earliest valid order: by paid_at, then order_id).
#: When a shop's orders, reviews and chats begin (a trend warns of points before the
#: reviews or chats of an export that starts later than the orders).
SHOP_INPUT_STARTS = """
SELECT (SELECT min(paid_at) FROM orders WHERE shop_id = $shop),
  (SELECT min(created_at) FROM reviews WHERE shop_id = $shop),
  (SELECT min(started_at) FROM chats WHERE shop_id = $shop)
"""

#: Shops whose chats name customers, none of whom is a customer of the shop's orders
#: (the chat export's ids in another form than the order export's).
CHATS_MATCHING_NO_ORDER = """
SELECT c.shop_id
FROM (SELECT DISTINCT shop_id, customer_id FROM chats WHERE customer_id IS NOT NULL) c
LEFT JOIN (SELECT DISTINCT shop_id, customer_id FROM orders) o USING (shop_id, customer_id)
GROUP BY c.shop_id HAVING count(o.customer_id) = 0
ORDER BY c.shop_id
"""

_REPEAT_CUSTOMERS = f"""
{_CUSTOMER_DAYS},
per_customer AS (
  SELECT d.shop_id, d.customer_id, f.f,
    min(d.d) FILTER (d.d > f.f) AS s, max(d.d) AS last_day, count(*) AS order_days
  FROM days d JOIN firsts f USING (shop_id, customer_id)
  GROUP BY d.shop_id, d.customer_id, f.f
)
"""

# Days from the first to the second order day, customers per number of days.
REPEAT_GAPS = f"""
WITH {_REPEAT_CUSTOMERS}
SELECT shop_id, date_diff('day', f, s) AS gap_days, count(*) AS customers
FROM per_customer WHERE s IS NOT NULL
GROUP BY shop_id, date_diff('day', f, s) ORDER BY shop_id, gap_days
"""

# First-time customers by their first order's SKU and amount: customers, eligible for
# the ``$horizon`` (f + horizon <= last observed day) and repeating within it (spec §9).
REPEAT_BY_FIRST_ORDER = f"""
WITH {_REPEAT_CUSTOMERS},
ranked AS (
  SELECT shop_id, customer_id, sku, amount,
    row_number() OVER (PARTITION BY shop_id, customer_id ORDER BY paid_at, order_id) AS rn
  FROM orders WHERE {VALID} AND customer_id IS NOT NULL AND paid_at <= $as_of
)
SELECT c.shop_id, coalesce(r.sku, '') AS sku, r.amount,
  count(*) AS customers,
  count(*) FILTER (c.f + $horizon <= $last_day) AS eligible,
  count(*) FILTER (c.f + $horizon <= $last_day AND c.s <= c.f + $horizon) AS repeated
FROM per_customer c JOIN ranked r ON r.shop_id = c.shop_id AND r.customer_id = c.customer_id
WHERE r.rn = 1
GROUP BY c.shop_id, coalesce(r.sku, ''), r.amount
ORDER BY c.shop_id, sku, r.amount
"""

# Cumulative cohort curves: cohort month of the first order, calendar-month offset of the
# second order day (null: no second order yet), customers.
REPEAT_COHORTS = f"""
WITH {_REPEAT_CUSTOMERS}
SELECT shop_id, CAST(date_trunc('month', f) AS DATE) AS cohort,
  date_diff('month', date_trunc('month', f), date_trunc('month', s)) AS second_month,
  count(*) AS customers
FROM per_customer
GROUP BY shop_id, CAST(date_trunc('month', f) AS DATE),
  date_diff('month', date_trunc('month', f), date_trunc('month', s))
ORDER BY shop_id, cohort, second_month
"""

# Customers overdue for a reorder: at least two order days, and no order for
# ``$factor_num / $factor_den`` times their own mean interval between order days:
# (L - last) >= factor x (last - first) / (order days - 1), compared in whole numbers.
REPEAT_OVERDUE = f"""
WITH {_REPEAT_CUSTOMERS}
SELECT shop_id, customer_id, f AS first_order_day, last_day AS last_order_day, order_days
FROM per_customer
WHERE order_days >= 2
  AND date_diff('day', last_day, $last_day) * (order_days - 1) * $factor_den
      >= $factor_num * date_diff('day', f, last_day)
ORDER BY shop_id, customer_id
"""

# `svc report html`: the latest bad reviews (rating <= 2) with text per shop in the window.
RECENT_BAD_REVIEWS = """
SELECT shop_id, created_at, rating, text
FROM reviews
WHERE rating <= 2 AND text IS NOT NULL AND trim(text) <> ''
  AND created_at > $start AND created_at <= $as_of
QUALIFY row_number() OVER (PARTITION BY shop_id ORDER BY created_at DESC, review_id) <= $limit
ORDER BY shop_id, created_at DESC
"""

# Diagnosis (spec §11): the events that count against each indicator of one shop in W,
# one row each: indicator, event id, anchor instant and what happened. The conditions
# are those of INDICATOR_COUNTS (an indicator's events number its numerator, or its
# denominator minus its numerator). ``$delivery_us`` / ``$refund_us``: the shop's 5.0
# anchor of delivery_hours / refund_hours in microseconds; ``duration_us`` is the
# event's duration (delivery, refund handling, pickup wait) or first response time.
DIAGNOSIS_EVENTS = f"""
WITH
bad_reviewed AS (
  SELECT order_id, min(rating) AS rating FROM reviews
  WHERE shop_id = $shop AND rating <= 2 AND created_at <= $as_of GROUP BY order_id
),
o AS (
  SELECT o.*,
    {_ORDER_FLAGS},
    o.refund_reason IN ('quality', 'not_as_described')
      AND (o.refund_requested_at IS NULL OR o.refund_requested_at <= $as_of) AS quality_refund,
    b.rating AS bad_rating
  FROM orders o LEFT JOIN bad_reviewed b ON b.order_id = o.order_id
  WHERE o.shop_id = $shop AND (
        (o.paid_at > $start AND o.paid_at <= $as_of)
     OR (o.delivered_at > $start AND o.delivered_at <= $as_of)
     OR (o.refund_completed_at > $start AND o.refund_completed_at <= $as_of))
),
pickup AS (
  SELECT *,
    paid_in_w AND (shipped OR (NOT refunded_before_due
                   AND paid_at <= $as_of - INTERVAL 48 HOUR)) AS due,
    paid_in_w AND shipped AND shipped_at <= paid_at + INTERVAL 48 HOUR AS on_time
  FROM o
),
c AS (
  SELECT *, hour(started_at) >= 8
            AND hour(started_at) < 23 AS in_hours  -- 08:00 <= time < 23:00
  FROM chats WHERE shop_id = $shop AND started_at > $start AND started_at <= $as_of
)
SELECT 'neg_feedback_rate' AS indicator, order_id AS event_id, delivered_at AS anchor_at,
  CASE WHEN bad_rating IS NOT NULL AND quality_refund THEN 'bad_review_and_quality_refund'
       WHEN bad_rating IS NOT NULL THEN 'bad_review' ELSE 'quality_refund' END AS kind,
  bad_rating AS rating, CAST(NULL AS BIGINT) AS duration_us
FROM o WHERE delivered_in_w AND (bad_rating IS NOT NULL OR quality_refund)
UNION ALL
SELECT 'good_review_rate', review_id, created_at, 'low_review', rating, NULL
FROM reviews
WHERE shop_id = $shop AND created_at > $start AND created_at <= $as_of AND rating <= 3
UNION ALL
SELECT 'pickup_48h_rate', order_id, paid_at,
  CASE WHEN shipped THEN 'late_pickup' ELSE 'not_shipped' END,
  NULL,
  CASE WHEN shipped THEN date_diff('microsecond', paid_at, shipped_at)
       ELSE date_diff('microsecond', paid_at, $as_of) END
FROM pickup WHERE due AND NOT on_time
UNION ALL
SELECT 'delivery_hours', order_id, delivered_at, 'slow_delivery', NULL,
  date_diff('microsecond', paid_at, delivered_at)
FROM o
WHERE delivered_in_w AND paid_at IS NOT NULL
  AND date_diff('microsecond', paid_at, delivered_at) > $delivery_us
UNION ALL
SELECT 'refund_hours', order_id, refund_completed_at, 'slow_refund', NULL,
  date_diff('microsecond', refund_requested_at, refund_completed_at)
FROM o
WHERE refund_completed_at > $start AND refund_completed_at <= $as_of
  AND refund_requested_at IS NOT NULL
  AND date_diff('microsecond', refund_requested_at, refund_completed_at) > $refund_us
UNION ALL
SELECT 'help_rate', order_id, paid_at, 'escalated', NULL, NULL
FROM o WHERE paid_in_w AND escalated
UNION ALL
SELECT 'response_3min_rate', session_id, started_at,
  CASE WHEN first_response_seconds IS NULL THEN 'unanswered' ELSE 'late_response' END,
  NULL, CAST(first_response_seconds * 1000000 AS BIGINT)
FROM c WHERE in_hours AND (first_response_seconds IS NULL OR first_response_seconds > 180)
UNION ALL
SELECT 'satisfaction_rate', session_id, started_at, 'unsatisfied', satisfaction, NULL
FROM c WHERE satisfaction <= 3
ORDER BY indicator, anchor_at, event_id
"""

# One shop's rows of a table ({table}: orders, reviews, chats, shops or coverage).
SHOP_ROWS = "SELECT * FROM {table} WHERE shop_id = $shop"
