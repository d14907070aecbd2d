"""Deterministic synthetic e-commerce exports in svc's canonical CSV format, any size.

    python bench/generate.py --orders 1000000            # -> bench/data/o1000000/
    python bench/generate.py --orders 2000 --chats 0.3 --out /tmp/tiny

Files (the columns and formats of tests/data/golden/*.csv):

    orders.csv reviews.csv shops.csv [chats.csv]   every order as of END (the full export)
    base/orders.csv base/reviews.csv [chats.csv]   the same shops as of END − 1 day
    day/orders.csv  day/reviews.csv  [chats.csv]   a 1-day export: rows new or changed
                                                   during the last day, as of END
    meta.json                                      the parameters, row counts and as-of

Written on demand by bench/run.py, once per data set (see ``taobao_export`` and
``gzip_copies``):

    taobao_orders.csv                              orders.csv as a Taobao 千牛 order report, GBK
    orders.csv.gz reviews.csv.gz [chats.csv.gz]    gzip copies of the full export

Loading base/ then day/ gives exactly the full export: the incremental-load benchmark.

Every value is a function of (row number, field number, seed) through DuckDB's ``hash``,
so the same parameters give byte-identical files on the same DuckDB version, whatever
the number of threads. Shop quality varies, so scores spread over the tiers; customers
repeat (about 2.5 orders per customer per shop), so repurchase rates are not trivial.
Rows are written in ``ordered_at`` order, as exports usually are.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

END = "2025-06-30 00:00:00"  # every event is at or before this instant; the bench's as-of
SPAN_DAYS = 400  # orders are spread over this many days before END
ORDERS_PER_CUSTOMER = 2.5
REVIEW_RATE = 0.32  # reviews per delivered order (≈ 0.3 per order, as the reference)
VERSION = 2  # bump when the generated data change: cached data sets are then rebuilt
BIG = 5_000_000  # above this many orders, generate through a database file, not memory
DATA_ROOT = Path(__file__).resolve().parent / "data"

INDUSTRIES = (
    "general",
    "apparel",
    "beauty",
    "food",
    "home_furnishing",
    "pets",
    "mother_baby",
    "electronics_accessories",
)
# (service id, industry it counts for) — the default catalog of spec §5.
CATALOG = (
    ("delivery_install", "home_furnishing"),
    ("old_item_removal", "home_furnishing"),
    ("refund_if_pet_refuses", "pets"),
    ("free_size_exchange", "mother_baby"),
    ("damaged_item_reship", "electronics_accessories"),
    ("breakage_compensation", "any"),
    ("extended_warranty", "any"),
    ("return_shipping_insurance", "any"),
)
REVIEW_TEXTS = (
    "宝贝收到了，和描述一致",
    "包装严实，客服态度好",
    "第二次买了，一如既往的好",
    '很满意，"正品"无疑',
    "物流有点慢",
    "质量一般, 凑合用",
    "不推荐",
    "",
)

ORDER_COLUMNS = (
    "order_id, shop_id, customer_id, ordered_at, paid_at, shipped_at, delivered_at, amount, "
    "quantity, sku, status, refund_amount, refund_reason, refund_status, refund_requested_at, "
    "refund_completed_at, escalated"
)


def default_dir(orders: int, chats: float) -> Path:
    return DATA_ROOT / (f"o{orders}" + (f"-c{chats:g}" if chats else ""))


def _shops(n_shops: int, seed: int) -> list[dict[str, object]]:
    """Shop ids (6 digits, some with leading zeros), industry, services, quality."""
    rng = random.Random(f"svc-bench-shops-{seed}")
    shops = []
    for s in range(n_shops):
        industry = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
        services = [sid for sid, ind in CATALOG if ind in (industry, "any") and rng.random() < 0.25]
        shops.append(
            {
                "s": s,
                "shop_id": f"{(s * 7919 + 1234) % 1_000_000:06d}",
                "name": f"bench shop {s}",
                "industry": industry,
                "services": ";".join(services),
                # 0 = excellent shop, 1 = poor one; most shops are good.
                "q": rng.random() ** 2,
                "listed": rng.random() < 0.9,  # some shops are missing from shops.csv
            }
        )
    return shops


def _order_events(n_orders: int, n_shops: int) -> str:
    """Every order with all its event times (possibly after END: not happened yet)."""
    return f"""
    CREATE TABLE ev AS
    WITH r AS (
      SELECT range AS i, least(floor({n_shops} * pow(u(range, 1), 2)), {n_shops} - 1)::INT AS s
      FROM range({n_orders})
    ),
    a AS (
      SELECT r.i, r.s, sq.shop_id, sq.q,
        greatest(1, {n_orders} * (sqrt((r.s + 1) / {n_shops}) - sqrt(r.s / {n_shops}))
                    / {ORDERS_PER_CUSTOMER})::BIGINT AS pool,
        TIMESTAMP '{END}' - to_seconds(floor(u(i, 3) * {SPAN_DAYS * 86400})::BIGINT) AS ordered_at,
        u(i, 4) < 0.03 AS unpaid,
        u(i, 6) < 0.03 AS cancel_after_pay,
        u(i, 7) < 0.002 + 0.08 * q * q AS late,
        u(i, 9) < 0.005 + 0.08 * q * q AS has_refund,
        u(i, 10) < 0.25 AS refund_early,
        u(i, 12) AS reason_u, u(i, 13) AS rstatus_u
      FROM r JOIN shop_q sq USING (s)
    ),
    b AS (
      SELECT *,
        CASE WHEN NOT unpaid
             THEN ordered_at + to_seconds(floor(pow(u(i, 5), 3) * 3600)::BIGINT) END AS paid,
        CASE WHEN reason_u < 0.30 THEN 'quality' WHEN reason_u < 0.45 THEN 'not_as_described'
             WHEN reason_u < 0.60 THEN 'logistics' WHEN reason_u < 0.90 THEN 'no_reason'
             ELSE 'other' END AS reason,
        CASE WHEN rstatus_u < 0.70 THEN 'completed' WHEN rstatus_u < 0.80 THEN 'withdrawn'
             WHEN rstatus_u < 0.90 THEN 'rejected' ELSE 'requested' END AS rstatus
      FROM a
    ),
    c AS (
      SELECT *,
        has_refund AND refund_early AND NOT cancel_after_pay AND paid IS NOT NULL
          AS early_refund,
        CASE WHEN paid IS NOT NULL AND NOT cancel_after_pay
             THEN paid + to_seconds(CASE
                    WHEN late AND u(i, 8) < 0.02 THEN 172800  -- exactly 48:00:00, on time
                    WHEN late THEN 172801 + floor(u(i, 8) * 259200)::BIGINT
                    ELSE 1800 + floor(u(i, 8) * 169200)::BIGINT END) END AS ship_time
      FROM b
    ),
    d AS (
      SELECT *,
        CASE WHEN early_refund THEN paid + to_seconds(floor(u(i, 11) * 144000)::BIGINT) END
          AS early_req
      FROM c
    ),
    e AS (
      SELECT *,
        -- an early refund that went through (or is pending) stops the shipment
        CASE WHEN early_refund AND rstatus IN ('completed', 'requested') AND early_req < ship_time
             THEN NULL ELSE ship_time END AS shipped
      FROM d
    ),
    f AS (
      SELECT *,
        shipped + to_seconds(floor((12 + u(i, 15) * (48 + 80 * q)) * 3600)::BIGINT) AS delivered
      FROM e
    ),
    g AS (
      SELECT *,
        CASE WHEN early_refund THEN early_req
             WHEN has_refund AND paid IS NOT NULL AND NOT cancel_after_pay AND shipped IS NOT NULL
             THEN delivered + to_seconds(floor(u(i, 11) * 432000)::BIGINT) END AS req
      FROM f
    )
    SELECT i, s, shop_id, q, ordered_at, paid, shipped, delivered, req,
      CASE WHEN rstatus = 'completed'
           THEN req + to_seconds(floor((1 + u(i, 14) * (10 + 80 * q)) * 3600)::BIGINT) END AS comp,
      CASE WHEN req IS NOT NULL THEN reason END AS reason,
      CASE WHEN req IS NOT NULL THEN rstatus END AS rstatus,
      cancel_after_pay,
      u(i, 16) < 0.0005 + 0.015 * q * q AS esc,
      (5 + 995 * pow(u(i, 17), 2))::DECIMAL(18, 2) AS amount,
      CASE WHEN u(i, 18) < 0.1 THEN 2 + floor(u(i, 18) * 40)::INT % 4 ELSE 1 END AS quantity,
      'SKU-' || shop_id || '-' || lpad(floor(u(i, 19) * 50)::INT::VARCHAR, 3, '0') AS sku,
      CASE WHEN u(i, 2) >= 0.04
           THEN 'tb' || lpad(s::VARCHAR, 5, '0')
                || lpad(floor(pool * pow(u(i, 20), 1.5))::BIGINT::VARCHAR, 7, '0') END
        AS customer_id,
      (8000000000000000000 + i * 7 + floor(u(i, 21) * 7)::BIGINT)::VARCHAR AS order_id
    FROM g
    """


def _snapshot(t: str) -> str:
    """The export of every order placed by instant ``t``, as it stood at ``t``."""
    t = f"TIMESTAMP '{t}'"
    return f"""
    SELECT i, order_id, shop_id, customer_id, ordered_at,
      CASE WHEN paid <= {t} THEN paid END AS paid_at,
      CASE WHEN shipped <= {t} THEN shipped END AS shipped_at,
      CASE WHEN delivered <= {t} THEN delivered END AS delivered_at,
      amount, quantity, sku,
      CASE WHEN comp <= {t} THEN 'refunded'
           WHEN paid IS NULL THEN
             CASE WHEN ordered_at + INTERVAL 1 DAY <= {t} THEN 'cancelled' ELSE 'pending' END
           WHEN paid > {t} THEN 'pending'
           WHEN cancel_after_pay AND paid + INTERVAL 2 HOUR <= {t} THEN 'cancelled'
           WHEN delivered <= {t} THEN 'completed'
           WHEN shipped <= {t} THEN 'shipped'
           ELSE 'paid' END AS status,
      CASE WHEN comp <= {t} THEN amount ELSE 0 END::DECIMAL(18, 2) AS refund_amount,
      CASE WHEN req <= {t} THEN reason END AS refund_reason,
      CASE WHEN req IS NULL OR req > {t} THEN NULL
           WHEN rstatus = 'completed' THEN
             CASE WHEN comp <= {t} THEN 'completed' ELSE 'requested' END
           WHEN rstatus IN ('withdrawn', 'rejected') THEN
             CASE WHEN req + INTERVAL 1 DAY <= {t} THEN rstatus ELSE 'requested' END
           ELSE 'requested' END AS refund_status,
      CASE WHEN req <= {t} THEN req END AS refund_requested_at,
      CASE WHEN comp <= {t} THEN comp END AS refund_completed_at,
      esc AND paid IS NOT NULL AND paid <= {t} AS escalated
    FROM ev WHERE ordered_at <= {t}
    """


def _review_events(n_orders: int) -> str:
    texts = ", ".join("'" + t.replace("'", "''") + "'" for t in REVIEW_TEXTS)
    return f"""
    CREATE TABLE rev AS
    WITH base AS (
      SELECT i, k, order_id, shop_id, customer_id, q,
        delivered + to_seconds(floor((2 + u(i, 22) * 238 + k * (72 + u(i, 23) * 400)) * 3600)
                               ::BIGINT) AS created_at,
        u(i, 24 + k) AS ru
      FROM ev, (SELECT unnest([0, 1]) AS k)
      WHERE delivered IS NOT NULL AND u(i, 26) < {REVIEW_RATE}
        AND (k = 0 OR u(i, 27) < 0.03)  -- a few follow-up reviews
    )
    SELECT 'rv' || lpad((2 * i + k)::VARCHAR, 11, '0') AS review_id, order_id, shop_id,
      customer_id,
      CASE WHEN ru < 0.005 + 0.1 * q * q THEN 1 + floor(u(i, 28 + k) * 2)::INT
           WHEN ru < 0.035 + 0.1 * q * q THEN 3
           WHEN ru < 0.185 + 0.1 * q * q THEN 4 ELSE 5 END::TINYINT AS rating,
      created_at,
      ([{texts}])[1 + floor(u(i, 30 + k) * {len(REVIEW_TEXTS)})::INT] AS text
    FROM base
    """


def _chat_events(n_chats: int, n_shops: int) -> str:
    return f"""
    CREATE TABLE chat AS
    WITH r AS (
      SELECT range AS j, least(floor({n_shops} * pow(u(range, 101), 2)), {n_shops} - 1)::INT AS s
      FROM range({n_chats})
    )
    SELECT 'ch' || lpad(j::VARCHAR, 10, '0') AS session_id, sq.shop_id,
      sq.shop_id || '-kf' || (1 + floor(u(j, 102) * 4)::INT) AS agent_id,
      CASE WHEN u(j, 103) >= 0.1
           THEN 'tb' || lpad(s::VARCHAR, 5, '0') || lpad(floor(u(j, 104) * 9999999)::BIGINT::VARCHAR, 7, '0')
      END AS customer_id,
      TIMESTAMP '{END}' - to_seconds(floor(u(j, 105) * {SPAN_DAYS * 86400})::BIGINT) AS started_at,
      CASE WHEN u(j, 106) < 0.02 + 0.1 * q THEN NULL
           WHEN u(j, 107) < 0.98 - 0.3 * q THEN 2 + floor(u(j, 108) * 178)::INT
           ELSE 181 + floor(u(j, 108) * 1200)::INT END AS first_response_seconds,
      CASE WHEN u(j, 109) < 0.4 THEN 1 + floor(u(j, 110) * 5)::INT END AS satisfaction,
      CASE WHEN u(j, 111) < 0.2 THEN floor(u(j, 112) * 101)::INT END AS qa_score
    FROM r JOIN shop_q sq USING (s)
    """


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    rows = con.execute(
        f"COPY ({query}) TO '{tmp}' (FORMAT csv, HEADER true, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')"
    ).fetchone()[0]
    tmp.replace(path)
    return int(rows)


def generate(
    orders: int,
    out: Path | None = None,
    *,
    chats: float = 0.0,
    shops: int | None = None,
    seed: int = 1,
    force: bool = False,
    quiet: bool = False,
) -> Path:
    """Write the data set to ``out`` (default bench/data/o<orders>[-c<chats>]) and return
    the folder. Does nothing when the folder already holds the same data set."""
    out = Path(out) if out else default_dir(orders, chats)
    n_shops = shops or max(10, orders // 5000)
    params = {
        "version": VERSION,
        "orders": orders,
        "chats": chats,
        "shops": n_shops,
        "seed": seed,
        "end": END,
    }
    meta_path = out / "meta.json"
    if not force and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("params") == params and meta.get("duckdb") == duckdb.__version__:
            return out
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    cutoff = (datetime.fromisoformat(END) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    shop_rows = _shops(n_shops, seed)

    # Large sets are built in a scratch database file, so DuckDB can spill to disk.
    scratch = out / ".generate.duckdb" if orders > BIG else None
    if scratch:
        scratch.unlink(missing_ok=True)
    con = duckdb.connect(str(scratch) if scratch else ":memory:")
    con.execute("SET preserve_insertion_order = true")
    con.execute(
        f"CREATE MACRO u(i, k) AS (hash(i, k, {int(seed)}) >> 11)::DOUBLE / 9007199254740992.0"
    )
    con.execute(
        "CREATE TABLE shop_q AS SELECT unnest($s) AS s, unnest($id) AS shop_id, unnest($q) AS q",
        {
            "s": [r["s"] for r in shop_rows],
            "id": [r["shop_id"] for r in shop_rows],
            "q": [r["q"] for r in shop_rows],
        },
    )
    con.execute(
        "CREATE TABLE shop_file AS SELECT unnest($id) AS shop_id, unnest($name) AS name, "
        "unnest($ind) AS industry, unnest($svc) AS services",
        {
            "id": [r["shop_id"] for r in shop_rows if r["listed"]],
            "name": [r["name"] for r in shop_rows if r["listed"]],
            "ind": [r["industry"] for r in shop_rows if r["listed"]],
            "svc": [r["services"] for r in shop_rows if r["listed"]],
        },
    )
    counts: dict[str, int] = {}
    counts["shops"] = _copy(con, "SELECT * FROM shop_file", out / "shops.csv")
    con.execute(_order_events(orders, n_shops))
    con.execute(_review_events(orders))

    def orders_at(t: str) -> str:
        return f"SELECT {ORDER_COLUMNS} FROM ({_snapshot(t)}) ORDER BY ordered_at, i"

    def reviews_between(lo: str | None, hi: str) -> str:
        lower = f"AND created_at > TIMESTAMP '{lo}'" if lo else ""
        return (
            f"SELECT * FROM rev WHERE created_at <= TIMESTAMP '{hi}' {lower} "
            "ORDER BY created_at, review_id"
        )

    counts["orders"] = _copy(con, orders_at(END), out / "orders.csv")
    counts["reviews"] = _copy(con, reviews_between(None, END), out / "reviews.csv")
    counts["base_orders"] = _copy(con, orders_at(cutoff), out / "base" / "orders.csv")
    counts["base_reviews"] = _copy(con, reviews_between(None, cutoff), out / "base" / "reviews.csv")
    # The 1-day export: orders placed or changed during the last day, as they stand at END.
    now_cols = ", ".join(f"now.{c}" for c in ORDER_COLUMNS.split(", "))
    was_cols = ", ".join(f"was.{c}" for c in ORDER_COLUMNS.split(", "))
    day_orders = f"""
        SELECT {now_cols} FROM ({_snapshot(END)}) now LEFT JOIN ({_snapshot(cutoff)}) was
          ON was.i = now.i
        WHERE was.i IS NULL OR row({now_cols}) IS DISTINCT FROM row({was_cols})
        ORDER BY now.ordered_at, now.i"""
    counts["day_orders"] = _copy(con, day_orders, out / "day" / "orders.csv")
    counts["day_reviews"] = _copy(con, reviews_between(cutoff, END), out / "day" / "reviews.csv")
    if chats:
        con.execute(_chat_events(round(orders * chats), n_shops))
        chat_cols = "* EXCLUDE (j)"
        for name, cond in (
            ("chats.csv", ""),
            ("base/chats.csv", f"WHERE started_at <= TIMESTAMP '{cutoff}'"),
            ("day/chats.csv", f"WHERE started_at > TIMESTAMP '{cutoff}'"),
        ):
            query = (
                f"SELECT {chat_cols} FROM (SELECT row_number() OVER () AS j, * FROM chat) "
                f"{cond} ORDER BY started_at, session_id"
            )
            counts[name.replace("/", "_").removesuffix(".csv")] = _copy(con, query, out / name)
    con.close()
    if scratch:
        scratch.unlink(missing_ok=True)
        scratch.with_name(scratch.name + ".wal").unlink(missing_ok=True)
    sizes = {
        str(p.relative_to(out)): p.stat().st_size for p in sorted(out.rglob("*.csv")) if p.is_file()
    }
    meta = {
        "params": params,
        "duckdb": duckdb.__version__,
        "as_of": END,
        "cutoff": cutoff,
        "rows": counts,
        "bytes": sizes,
        "seconds": round(time.perf_counter() - started, 2),
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    if not quiet:
        total = sum(sizes.values()) / 1e6
        print(f"generated {out} ({total:,.0f} MB) in {meta['seconds']} s: {counts}")
    return out


#: canonical status -> 订单状态 of a Taobao 千牛 order report (a refunded order is 交易关闭
#: with a refund amount, as the platform writes it)
TAOBAO_STATUSES = {
    "pending": "等待买家付款",
    "paid": "买家已付款，等待卖家发货",
    "shipped": "卖家已发货，等待买家确认",
    "completed": "交易成功",
    "cancelled": "交易关闭",
    "refunded": "交易关闭",
}


def taobao_export(folder: Path) -> Path:
    """The orders of a data set as a Taobao/Tmall 千牛 order report (preset
    taobao_orders_v1) in GBK, as the platform exports it: ``folder/taobao_orders.csv``.
    Written once per data set (its rows are those of ``orders.csv``)."""
    target = folder / "taobao_orders.csv"
    source = folder / "orders.csv"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    statuses = (
        "CASE status "
        + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in TAOBAO_STATUSES.items())
        + " END"
    )
    utf8 = folder / ".taobao_orders.utf8.csv"
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT '="' || order_id || '"' AS "订单编号", customer_id AS "买家会员名",
                     shop_id AS "店铺Id", amount AS "买家实际支付金额", {statuses} AS "订单状态",
                     ordered_at AS "订单创建时间", paid_at AS "订单付款时间",
                     shipped_at AS "发货时间", delivered_at AS "确认收货时间",
                     quantity AS "宝贝总数量", sku AS "商家编码",
                     CASE WHEN refund_amount::DECIMAL(18,2) > 0 THEN refund_amount
                          ELSE '无退款申请' END AS "退款金额",
                     CASE WHEN status = 'refunded' THEN '买家申请退款' END AS "订单关闭原因"
              FROM read_csv('{source}', all_varchar=true))
        TO '{utf8}' (HEADER true)""")
    con.close()
    with utf8.open(encoding="utf-8") as src, target.open("w", encoding="gbk") as out:
        while block := src.read(1 << 22):
            out.write(block)
    utf8.unlink()
    return target


#: files of a data set that bench/run.py also loads gzip-compressed (shops.csv stays plain:
#: svc reads a shops file as text, and it is a few KB)
GZIP_FILES = ("orders", "reviews", "chats")


def gzip_copies(folder: Path, level: int = 6) -> dict[str, Path]:
    """``folder/<name>.csv.gz`` next to every present ``orders``/``reviews``/``chats`` CSV
    (gzip's default level; no name or time in the header, so the bytes are deterministic).
    Written once per data set: a copy newer than its CSV is kept. Returns {name: path}."""
    copies = {}
    for name in GZIP_FILES:
        source = folder / f"{name}.csv"
        if not source.exists():
            continue
        target = folder / f"{name}.csv.gz"
        copies[name] = target
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        tmp = target.with_name(target.name + ".tmp")
        with (
            source.open("rb") as src,
            tmp.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=level, mtime=0) as out,
        ):
            shutil.copyfileobj(src, out, 1 << 22)
        tmp.replace(target)
    return copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, required=True, help="number of orders")
    parser.add_argument("--out", type=Path, help="output folder (default bench/data/o<N>)")
    parser.add_argument("--chats", type=float, default=0.0, help="chat sessions per order")
    parser.add_argument("--shops", type=int, help="number of shops (default orders / 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args()
    generate(
        args.orders, args.out, chats=args.chats, shops=args.shops, seed=args.seed, force=args.force
    )


if __name__ == "__main__":
    main()
