"""Hand-written DuckDB baselines: what svc's work costs without svc.

    python bench/baseline.py load DB DIR              typed read_csv of DIR/*.csv into DB
    python bench/baseline.py load DB DIR --gz         the same from DIR/*.csv.gz (shops.csv
                                                      plain unless shops.csv.gz exists)
    python bench/baseline.py load DB DIR --tables orders   only DIR/orders.csv (the other
                                                      tables are created empty)
    python bench/baseline.py read DIR                 read DIR/*.csv into memory (read time)
    python bench/baseline.py score DB --as-of TS      one SQL query: every shop's score
    python bench/baseline.py score --files DIR --as-of TS   the same, straight from CSVs
    python bench/baseline.py repurchase DB --as-of TS one SQL query: repurchase per shop

Each prints JSON (``{"shops": [...]}``) on stdout so bench/run.py can check the numbers
against svc's before timing anything. The model's default numbers (weights, anchors,
catalog, tiers of spec §3–§5) are written into the SQL by hand: a baseline is what a
person would write for one fixed model, with no validation, de-duplication or upsert.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Collection
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from defaults import ANCHORS, CATALOG, DIMENSIONS, INDICATORS

# Canonical schema (spec §1) for a plain typed read_csv.
ORDERS = {
    "order_id": "VARCHAR",
    "shop_id": "VARCHAR",
    "customer_id": "VARCHAR",
    "ordered_at": "TIMESTAMP",
    "paid_at": "TIMESTAMP",
    "shipped_at": "TIMESTAMP",
    "delivered_at": "TIMESTAMP",
    "amount": "DECIMAL(18,2)",
    "quantity": "INTEGER",
    "sku": "VARCHAR",
    "status": "VARCHAR",
    "refund_amount": "DECIMAL(18,2)",
    "refund_reason": "VARCHAR",
    "refund_status": "VARCHAR",
    "refund_requested_at": "TIMESTAMP",
    "refund_completed_at": "TIMESTAMP",
    "escalated": "BOOLEAN",
}
REVIEWS = {
    "review_id": "VARCHAR",
    "order_id": "VARCHAR",
    "shop_id": "VARCHAR",
    "customer_id": "VARCHAR",
    "rating": "TINYINT",
    "created_at": "TIMESTAMP",
    "text": "VARCHAR",
}
CHATS = {
    "session_id": "VARCHAR",
    "shop_id": "VARCHAR",
    "agent_id": "VARCHAR",
    "customer_id": "VARCHAR",
    "started_at": "TIMESTAMP",
    "first_response_seconds": "DOUBLE",
    "satisfaction": "TINYINT",
    "qa_score": "DOUBLE",
}
SHOPS = {"shop_id": "VARCHAR", "name": "VARCHAR", "industry": "VARCHAR", "services": "VARCHAR"}
TABLES = {"orders": ORDERS, "reviews": REVIEWS, "chats": CHATS}


def _read_csv(path: Path, schema: dict[str, str]) -> str:
    cols = ", ".join(f"'{k}': '{v}'" for k, v in schema.items())
    return (
        f"read_csv('{path}', header = true, auto_detect = false, quote = '\"', escape = '\"', "
        f"timestampformat = '%Y-%m-%d %H:%M:%S', columns = {{{cols}}})"
    )


def load_tables(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    temp: bool = False,
    suffix: str = ".csv",
    tables: Collection[str] | None = None,
) -> None:
    """CREATE TABLE … AS SELECT * FROM read_csv(typed) for every canonical file present
    (``<table><suffix>``: ``.csv.gz`` reads the gzip copies, decompressed by read_csv; a
    shops file falls back to ``shops.csv``); an absent file, or a table not in ``tables``,
    gives an empty table (as in an svc database)."""
    kind = "TEMP TABLE" if temp else "TABLE"
    wanted = set(TABLES) | {"shops"} if tables is None else set(tables)
    for name, schema in TABLES.items():
        path = folder / f"{name}{suffix}"
        if name in wanted and path.exists():
            con.execute(f"CREATE {kind} {name} AS SELECT * FROM {_read_csv(path, schema)}")
        else:
            cols = ", ".join(f"{k} {v}" for k, v in schema.items())
            con.execute(f"CREATE {kind} {name} ({cols})")
    shops = folder / f"shops{suffix}"
    shops = shops if shops.exists() else folder / "shops.csv"
    if "shops" in wanted and shops.exists():
        con.execute(
            f"CREATE {kind} shops AS SELECT shop_id, name, coalesce(industry, 'general') AS "
            "industry, list_filter(string_split(coalesce(services, ''), ';'), lambda s: s <> '') "
            f"AS services FROM {_read_csv(shops, SHOPS)}"
        )
    else:
        con.execute(
            f"CREATE {kind} shops (shop_id VARCHAR, name VARCHAR, industry VARCHAR, "
            "services VARCHAR[])"
        )


# --- score: indicators (spec §3), sub-scores (§4), redistribution, add-ons, tiers (§5) ---


def _interp(x: str, anchors: list[tuple[float, float]]) -> str:
    """Piecewise-linear interpolation through anchors (sorted by x), clamped."""
    anchors = sorted(anchors)
    parts = [f"WHEN {x} <= {anchors[0][0]} THEN {anchors[0][1]}"]
    for (x0, y0), (x1, y1) in itertools.pairwise(anchors):
        parts.append(f"WHEN {x} <= {x1} THEN {y0} + ({x} - {x0}) * ({y1} - {y0}) / ({x1} - {x0})")
    return f"CASE WHEN {x} IS NULL THEN NULL {' '.join(parts)} ELSE {anchors[-1][1]} END"


def _weighted(pairs: list[tuple[str, float]], assessed: str) -> tuple[str, str]:
    """(weighted sum, assessed weight) SQL of (value SQL, weight) pairs."""
    total = " + ".join(f"CASE WHEN {assessed.format(v)} THEN {w} ELSE 0 END" for v, w in pairs)
    num = " + ".join(f"coalesce({v} * {w}, 0)" for v, w in pairs)
    return num, total


def score_sql() -> str:
    """Every shop's score in one query (parameters $as_of, $start)."""
    sub_scores = ",\n    ".join(f"{_interp(n, ANCHORS[n])} AS s_{n}" for n in INDICATORS)
    dims = []
    for dim, (_, members) in DIMENSIONS.items():
        num, total = _weighted([(f"s_{n}", w) for n, w in members.items()], "{} IS NOT NULL")
        dims.append(f"CASE WHEN ({total}) > 0 THEN ({num}) / ({total}) END AS d_{dim}")
    base_num, base_total = _weighted(
        [(f"d_{d}", w) for d, (w, _) in DIMENSIONS.items()], "{} IS NOT NULL"
    )
    catalog = ", ".join(
        f"('{sid}', '{ind}', {pts}::DECIMAL(4,2))" for sid, (ind, pts) in CATALOG.items()
    )
    return f"""
WITH
o AS (
  SELECT * FROM orders
  WHERE paid_at > $start OR delivered_at > $start OR refund_completed_at > $start
),
bad AS (
  SELECT DISTINCT r.shop_id, r.order_id FROM reviews r
  WHERE r.rating <= 2 AND r.created_at <= $as_of
),
oc AS (
  SELECT o.shop_id,
    count(*) FILTER (pay_w) AS valid_orders,
    count(*) FILTER (pay_w AND escalated) AS escalated_orders,
    count(*) FILTER (pay_w AND (shipped OR (NOT early_refund
                      AND paid_at <= $as_of - INTERVAL 48 HOUR))) AS pickup_due,
    count(*) FILTER (pay_w AND shipped AND shipped_at <= paid_at + INTERVAL 48 HOUR) AS on_time,
    count(*) FILTER (del_w) AS delivered,
    count(*) FILTER (del_w AND (b.order_id IS NOT NULL OR (
        refund_reason IN ('quality', 'not_as_described')
        AND (refund_requested_at IS NULL OR refund_requested_at <= $as_of)))) AS negative,
    count(*) FILTER (del_w AND paid_at IS NOT NULL) AS timed,
    sum(epoch_us(delivered_at) - epoch_us(paid_at)) FILTER (del_w AND paid_at IS NOT NULL)
      AS delivery_us,
    count(*) FILTER (del_w AND paid_at IS NOT NULL
                     AND delivered_at::DATE - paid_at::DATE <= 1) AS fast,
    count(*) FILTER (ref_w) AS refunds,
    sum(epoch_us(refund_completed_at) - epoch_us(refund_requested_at)) FILTER (ref_w)
      AS refund_us
  FROM (
    SELECT *,
      paid_at > $start AND paid_at <= $as_of AND status <> 'cancelled' AS pay_w,
      delivered_at > $start AND delivered_at <= $as_of AS del_w,
      refund_completed_at > $start AND refund_completed_at <= $as_of
        AND refund_requested_at IS NOT NULL AS ref_w,
      coalesce(shipped_at <= $as_of, false) AS shipped,
      coalesce(refund_requested_at <= $as_of
               AND refund_requested_at <= paid_at + INTERVAL 48 HOUR
               AND coalesce(refund_status, '') NOT IN ('withdrawn', 'rejected'), false)
        AS early_refund
    FROM o
  ) o
  LEFT JOIN bad b ON o.del_w AND b.shop_id = o.shop_id AND b.order_id = o.order_id
  GROUP BY o.shop_id
),
rc AS (
  SELECT shop_id, count(*) AS reviews, count(*) FILTER (rating >= 4) AS good
  FROM reviews WHERE created_at > $start AND created_at <= $as_of GROUP BY shop_id
),
cc AS (
  SELECT shop_id, count(*) AS sessions, count(*) FILTER (first_response_seconds <= 180) AS fast
  FROM chats
  WHERE started_at > $start AND started_at <= $as_of
    AND started_at::TIME >= TIME '08:00:00' AND started_at::TIME < TIME '23:00:00'
  GROUP BY shop_id
),
sat AS (
  SELECT shop_id, count(satisfaction) AS rated, count(*) FILTER (satisfaction >= 4) AS satisfied
  FROM chats WHERE started_at > $start AND started_at <= $as_of GROUP BY shop_id
),
catalog(service, industry, points) AS (VALUES {catalog}),
svc AS (
  SELECT s.shop_id, sum(c.points) AS points, count(c.service) AS counting
  FROM (SELECT shop_id, industry, unnest(services) AS service FROM shops) s
  JOIN catalog c ON c.service = s.service AND c.industry IN (s.industry, 'any')
  GROUP BY s.shop_id
),
v AS (
  SELECT s.shop_id, coalesce(oc.valid_orders, 0) AS valid_orders,
    oc.negative / nullif(oc.delivered, 0) AS neg_feedback_rate,
    rc.good / nullif(rc.reviews, 0) AS good_review_rate,
    oc.on_time / nullif(oc.pickup_due, 0) AS pickup_48h_rate,
    oc.delivery_us / nullif(oc.timed, 0) / 3600e6 AS delivery_hours,
    oc.refund_us / nullif(oc.refunds, 0) / 3600e6 AS refund_hours,
    oc.escalated_orders / nullif(oc.valid_orders, 0) AS help_rate,
    cc.fast / nullif(cc.sessions, 0) AS response_3min_rate,
    sat.satisfied / nullif(sat.rated, 0) AS satisfaction_rate,
    oc.fast / nullif(oc.timed, 0) AS delivery_share,
    coalesce(svc.points, 0) AS service_points, coalesce(svc.counting, 0) AS services
  FROM (SELECT DISTINCT shop_id FROM orders) s
  LEFT JOIN oc USING (shop_id) LEFT JOIN rc USING (shop_id) LEFT JOIN cc USING (shop_id)
  LEFT JOIN sat USING (shop_id) LEFT JOIN svc USING (shop_id)
),
sub AS (SELECT *, {sub_scores} FROM v),
dim AS (SELECT *, {", ".join(dims)} FROM sub),
base AS (
  SELECT *, CASE WHEN valid_orders >= 30 AND ({base_total}) > 0
                 THEN ({base_num}) / ({base_total}) END AS base_score,
    least(0.30, service_points) AS addon  -- delivery points: off by default (v1.3)
  FROM dim
),
final AS (
  SELECT *, CASE WHEN base_score IS NOT NULL  -- least() would skip a NULL
    THEN round(least(5.0, base_score + addon::DOUBLE)::DECIMAL(20, 10), 2)::DOUBLE END AS score
  FROM base
)
SELECT shop_id, valid_orders,
  CASE WHEN base_score IS NULL THEN 'growth_stage' ELSE 'scored' END AS status,
  score, base_score,
  CASE WHEN score >= 4.80 THEN 'high' WHEN score >= 4.50 THEN 'ordinary'
       WHEN score IS NOT NULL THEN 'low' END AS tier,
  floor(score * 2) / 2 AS stars,
  coalesce(score > 4.80 AND services > 0, false) AS badge_eligible,
  {", ".join(INDICATORS)}
FROM final ORDER BY shop_id
"""


# --- repurchase (spec §6, §9) ---

REPURCHASE_SQL = """
WITH days AS (
  SELECT shop_id, customer_id, paid_at::DATE AS d,
    bool_or(paid_at > $start) AS in_w, bool_or(paid_at <= $start) AS before_w
  FROM orders
  WHERE paid_at <= $as_of AND status <> 'cancelled' AND customer_id IS NOT NULL
  GROUP BY ALL
),
customers AS (
  SELECT shop_id, min(d) AS f, min(d, 2)[2] AS s,
    count(*) FILTER (in_w) AS days_in_w, bool_or(before_w) AS before_w
  FROM days GROUP BY shop_id, customer_id
),
c AS (
  SELECT shop_id,
    count(*) FILTER (days_in_w >= 1) AS customers,
    count(*) FILTER (days_in_w >= 2) AS repeat_customers,
    count(*) FILTER (days_in_w >= 1 AND before_w) AS returning_customers,
    count(*) FILTER (f + 30 <= $last_day) AS e30,
    count(*) FILTER (f + 30 <= $last_day AND s <= f + 30) AS r30,
    count(*) FILTER (f + 90 <= $last_day) AS e90,
    count(*) FILTER (f + 90 <= $last_day AND s <= f + 90) AS r90,
    count(*) FILTER (f + 180 <= $last_day) AS e180,
    count(*) FILTER (f + 180 <= $last_day AND s <= f + 180) AS r180,
    count(*) FILTER (f + 365 <= $last_day) AS e365,
    count(*) FILTER (f + 365 <= $last_day AND s <= f + 365) AS r365
  FROM customers GROUP BY shop_id
),
masked AS (  -- shops whose valid orders all lack a customer id: no customer metrics
  SELECT shop_id FROM orders WHERE paid_at <= $as_of AND status <> 'cancelled'
  GROUP BY shop_id HAVING count(customer_id) = 0
),
reach AS (  -- shops whose data reaches back before W: returning rate observable
  SELECT DISTINCT shop_id FROM orders WHERE paid_at <= $start AND status <> 'cancelled'
)
SELECT s.shop_id,
  CASE WHEN m.shop_id IS NULL THEN coalesce(customers, 0) END AS customers,
  CASE WHEN m.shop_id IS NULL THEN coalesce(repeat_customers, 0) END AS repeat_customers,
  repeat_customers / nullif(customers, 0) AS repeat_purchase_rate,
  CASE WHEN reach.shop_id IS NOT NULL
       THEN returning_customers / nullif(customers, 0) END AS returning_customer_rate,
  r30 / nullif(e30, 0) AS rr_30d, r90 / nullif(e90, 0) AS rr_90d,
  r180 / nullif(e180, 0) AS rr_180d, r365 / nullif(e365, 0) AS rr_365d
FROM (SELECT DISTINCT shop_id FROM orders) s LEFT JOIN c USING (shop_id)
LEFT JOIN masked m USING (shop_id) LEFT JOIN reach USING (shop_id)
ORDER BY s.shop_id
"""


def parse_as_of(text: str) -> datetime:
    """A date D means the end of D (spec §9); a timestamp is taken as is."""
    if len(text.strip()) == 10:
        return datetime.fromisoformat(text.strip()) + timedelta(days=1)
    return datetime.fromisoformat(text.strip())


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def score(con: duckdb.DuckDBPyConnection, as_of: datetime, days: int = 30) -> list[dict]:
    return _rows(con.execute(score_sql(), {"as_of": as_of, "start": as_of - timedelta(days=days)}))


def repurchase(con: duckdb.DuckDBPyConnection, as_of: datetime, days: int = 365) -> list[dict]:
    last_day: date = (as_of - timedelta(microseconds=1)).date()
    params = {"as_of": as_of, "start": as_of - timedelta(days=days), "last_day": last_day}
    return _rows(con.execute(REPURCHASE_SQL, params))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="typed read_csv of DIR/*.csv into a new DB file")
    p_load.add_argument("db", type=Path)
    p_load.add_argument("dir", type=Path)
    p_load.add_argument("--gz", action="store_true", help="read DIR/*.csv.gz instead")
    p_load.add_argument(
        "--tables", nargs="+", choices=[*TABLES, "shops"], help="only these tables' files"
    )
    p_read = sub.add_parser("read", help="read DIR/*.csv into memory (the files' read time)")
    p_read.add_argument("dir", type=Path)
    for name in ("score", "repurchase"):
        p = sub.add_parser(name)
        p.add_argument("db", type=Path, nargs="?")
        p.add_argument("--files", type=Path, help="read the CSVs of this folder instead")
        p.add_argument("--as-of", required=True)
        p.add_argument("--window-days", type=int, default=30 if name == "score" else 365)
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 2GB")
    args = parser.parse_args(argv)
    config = {"memory_limit": args.memory_limit} if args.memory_limit else {}

    if args.command == "load":
        con = duckdb.connect(str(args.db), config=config)
        load_tables(con, args.dir, suffix=".csv.gz" if args.gz else ".csv", tables=args.tables)
        con.close()
        return
    if args.command == "read":
        con = duckdb.connect(":memory:", config=config)
        load_tables(con, args.dir)
        return
    if args.files:
        con = duckdb.connect(":memory:", config=config)
        load_tables(con, args.files)
    else:
        con = duckdb.connect(str(args.db), read_only=True, config=config)
    fn = score if args.command == "score" else repurchase
    shops = fn(con, parse_as_of(args.as_of), args.window_days)
    json.dump({"shops": shops}, sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
