"""Hand-written polars baseline: every shop's score straight from the canonical CSVs.

    python bench/baseline_polars.py DIR --as-of "2025-06-30 00:00:00"

What an analyst would write with polars' lazy API: typed scans of the files (only the
columns needed), the indicator counts per shop (spec §3, §9), then the small per-shop
scoring step in Python (bench/defaults.py). Prints the same JSON as
``baseline.py score`` so bench/run.py can check the numbers before timing.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
from defaults import INDICATORS, score_shop

TS = pl.Datetime("us")
ID = pl.Utf8


def scan(folder: Path) -> dict[str, pl.LazyFrame | None]:
    def csv(name: str, schema: dict[str, pl.DataType]) -> pl.LazyFrame | None:
        path = folder / f"{name}.csv"
        if not path.exists():
            return None
        return pl.scan_csv(path, schema_overrides=schema, infer_schema=False).select(list(schema))

    return {
        "orders": csv(
            "orders",
            {
                "order_id": ID,
                "shop_id": ID,
                "paid_at": TS,
                "shipped_at": TS,
                "delivered_at": TS,
                "status": ID,
                "refund_reason": ID,
                "refund_status": ID,
                "refund_requested_at": TS,
                "refund_completed_at": TS,
                "escalated": pl.Boolean,
            },
        ),
        "reviews": csv(
            "reviews", {"order_id": ID, "shop_id": ID, "rating": pl.Int8, "created_at": TS}
        ),
        "chats": csv(
            "chats",
            {
                "shop_id": ID,
                "started_at": TS,
                "first_response_seconds": pl.Float64,
                "satisfaction": pl.Int8,
            },
        ),
        "shops": csv("shops", {"shop_id": ID, "industry": ID, "services": ID}),
    }


def indicator_counts(files: dict[str, pl.LazyFrame | None], as_of: datetime, days: int) -> list:
    start = as_of - timedelta(days=days)
    c = pl.col
    orders, reviews = files["orders"], files["reviews"]
    assert orders is not None and reviews is not None, "orders.csv and reviews.csv are needed"

    def in_w(col: str) -> pl.Expr:
        return ((c(col) > start) & (c(col) <= as_of)).fill_null(False)

    bad = (
        reviews.filter((c("rating") <= 2) & (c("created_at") <= as_of))
        .select("shop_id", "order_id")
        .unique()
        .with_columns(bad=pl.lit(True))
    )
    o = (
        orders.filter(
            (c("paid_at") > start)
            | (c("delivered_at") > start)
            | (c("refund_completed_at") > start)
        )
        .join(bad, on=["shop_id", "order_id"], how="left")
        .with_columns(
            pay_w=in_w("paid_at") & (c("status") != "cancelled"),
            del_w=in_w("delivered_at"),
            ref_w=in_w("refund_completed_at") & c("refund_requested_at").is_not_null(),
            shipped=(c("shipped_at") <= as_of).fill_null(False),
            early_refund=(
                (c("refund_requested_at") <= as_of)
                & (c("refund_requested_at") <= c("paid_at") + pl.duration(hours=48))
                & ~c("refund_status").fill_null("").is_in(["withdrawn", "rejected"])
            ).fill_null(False),
            negative=(
                c("bad").fill_null(False)
                | (
                    c("refund_reason").is_in(["quality", "not_as_described"])
                    & (c("refund_requested_at").is_null() | (c("refund_requested_at") <= as_of))
                ).fill_null(False)
            ),
            delivery_us=(c("delivered_at") - c("paid_at")).dt.total_microseconds(),
            refund_us=(c("refund_completed_at") - c("refund_requested_at")).dt.total_microseconds(),
            fast=((c("delivered_at").dt.date() - c("paid_at").dt.date()).dt.total_days() <= 1),
        )
    )
    timed = c("del_w") & c("paid_at").is_not_null()
    due = c("shipped") | (~c("early_refund") & (c("paid_at") <= as_of - timedelta(hours=48)))
    oc = o.group_by("shop_id").agg(
        valid_orders=c("pay_w").sum(),
        escalated=(c("pay_w") & c("escalated")).sum(),
        pickup_due=(c("pay_w") & due).sum(),
        on_time=(
            c("pay_w") & c("shipped") & (c("shipped_at") <= c("paid_at") + pl.duration(hours=48))
        ).sum(),
        delivered=c("del_w").sum(),
        negative=(c("del_w") & c("negative")).sum(),
        timed=timed.sum(),
        delivery_us=c("delivery_us").filter(timed).sum(),
        fast=(timed & c("fast")).sum(),
        refunds=c("ref_w").sum(),
        refund_us=c("refund_us").filter(c("ref_w")).sum(),
    )
    rc = (
        reviews.filter(in_w("created_at"))
        .group_by("shop_id")
        .agg(reviews=pl.len(), good=(c("rating") >= 4).sum())
    )
    frames = [orders.select("shop_id").unique(), oc, rc]
    if files["chats"] is not None:
        hour = c("started_at").dt.hour()
        in_hours = (hour >= 8) & (hour < 23)
        frames.append(
            files["chats"]
            .filter(in_w("started_at"))
            .group_by("shop_id")
            .agg(
                sessions=in_hours.sum(),
                fast_chats=(in_hours & (c("first_response_seconds") <= 180)).sum(),
                rated=c("satisfaction").count(),
                satisfied=(c("satisfaction") >= 4).sum(),
            )
        )
    if files["shops"] is not None:
        frames.append(files["shops"].select("shop_id", "industry", "services"))
    return pl.collect_all(frames)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--window-days", type=int, default=30)
    args = parser.parse_args(argv)
    as_of = datetime.fromisoformat(args.as_of)
    if len(args.as_of.strip()) == 10:
        as_of += timedelta(days=1)

    files = scan(args.dir)
    frames = indicator_counts(files, as_of, args.window_days)
    table = frames[0]
    for frame in frames[1:]:
        table = table.join(frame, on="shop_id", how="left")
    rows = []
    for r in table.sort("shop_id").iter_rows(named=True):

        def ratio(num: str, den: str, scale: float = 1.0, r: dict = r) -> float | None:
            return r[num] / r[den] / scale if r.get(den) else None

        values = {
            "neg_feedback_rate": ratio("negative", "delivered"),
            "good_review_rate": ratio("good", "reviews"),
            "pickup_48h_rate": ratio("on_time", "pickup_due"),
            "delivery_hours": ratio("delivery_us", "timed", 3600e6),
            "refund_hours": ratio("refund_us", "refunds", 3600e6),
            "help_rate": ratio("escalated", "valid_orders"),
            "response_3min_rate": ratio("fast_chats", "sessions"),
            "satisfaction_rate": ratio("satisfied", "rated"),
        }
        assert set(values) == set(INDICATORS)
        services = [s for s in (r.get("services") or "").split(";") if s]
        rows.append(
            score_shop(
                r["shop_id"],
                r["valid_orders"] or 0,
                values,
                r.get("industry") or "general",
                services,
                ratio("fast", "timed"),
            )
        )
    json.dump({"shops": rows}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
