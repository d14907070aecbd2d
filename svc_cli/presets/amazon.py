"""Amazon Seller Central: the All Orders report (tab-separated, one row per order item)
and the merchant-fulfilled returns report.

See docs/presets.md.
"""

from __future__ import annotations

import polars as pl

from svc_cli.presets.base import MONEY, Ctx, Preset, aggregate_lines, first, refund_reason

ORDER_STATUSES = {
    "Pending": "pending",
    "PendingAvailability": "pending",
    "Unshipped": "paid",
    "PartiallyShipped": "shipped",
    "Shipping": "shipped",
    "Shipped": "shipped",
    "Shipped - Out for Delivery": "shipped",
    "Shipped - Picked Up": "shipped",
    "Shipped - Delivered to Buyer": "completed",
    "Shipped - Returning to Seller": "shipped",
    "Shipped - Returned to Seller": "shipped",
    "Shipped - Rejected by Buyer": "shipped",
    "Shipped - Lost in Transit": "shipped",
    "Shipped - Damaged": "shipped",
    "Cancelled": "cancelled",
    "Canceled": "cancelled",
}
PAID_RULE = (
    "paid_at = purchase-date for every order not Pending or Cancelled (the report has no "
    "payment time; Amazon charges the buyer when the order is accepted)"
)
AMOUNT_PARTS = ("item_price", "shipping_price", "gift_wrap_price")
DISCOUNTS = ("item_discount", "ship_discount")


def _orders(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.timestamps(df, "ordered_at", required=["ordered_at"])
    df = ctx.money(df, *AMOUNT_PARTS)
    df = ctx.money(df, *DISCOUNTS, negative=True)  # reported as negative numbers
    df = ctx.counts(df, "quantity")
    df = ctx.status(df)
    df = ctx.settle(df)
    zero = pl.lit(0).cast(MONEY)
    amount = sum(
        (pl.col(c).fill_null(zero) for c in AMOUNT_PARTS[1:]),
        pl.col(AMOUNT_PARTS[0]).fill_null(zero),
    ) - sum(
        (pl.col(c).fill_null(zero).abs() for c in DISCOUNTS[1:]),
        pl.col(DISCOUNTS[0]).fill_null(zero).abs(),
    )
    df = df.with_columns(
        amount=pl.max_horizontal(amount.cast(MONEY), zero),
        paid_at=pl.when(~pl.col("status").is_in(["pending", "cancelled"])).then(
            pl.col("ordered_at")
        ),
    )
    df = ctx.shop(df)
    df = df.select(
        "_line",
        "shop_id",
        "order_id",
        "ordered_at",
        "paid_at",
        "amount",
        "quantity",
        "sku",
        "status",
    )
    ctx.notes.update(
        amount="sum over the items of item-price + shipping-price + gift-wrap-price "
        "− item-promotion-discount − ship-promotion-discount (taxes excluded)",
        paid_at="purchase-date unless Pending/Cancelled",
        quantity="sum of quantity over the items",
        sku="sku of the items, joined with ;",
    )
    return aggregate_lines(ctx, df, "per_line")


AMAZON_ALL_ORDERS = Preset(
    name="amazon_all_orders",
    title="Amazon All Orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_…, tab-separated)",
    table="orders",
    mode="rows",
    fingerprint=("amazon-order-id", "purchase-date", "order-status"),
    fields={
        "order_id": ("amazon-order-id",),
        "shop": ("sales-channel",),
        "ordered_at": ("purchase-date",),
        "status": ("order-status",),
        "item_price": ("item-price",),
        "shipping_price": ("shipping-price",),
        "gift_wrap_price": ("gift-wrap-price",),
        "item_discount": ("item-promotion-discount",),
        "ship_discount": ("ship-promotion-discount",),
        "quantity": ("quantity",),
        "sku": ("sku",),
    },
    required=("order_id", "ordered_at", "status"),
    transform=_orders,
    statuses=ORDER_STATUSES,
    status_rules=(
        PAID_RULE,
        "the Shipped - … values are unverified beyond Pending, Shipped, Cancelled",
    ),
    grain="line",
    order_money="per_line (item-price is the line total; summed)",
    formats="tsv (.txt)",
    encoding="UTF-8, cp1252 (EU/US) or cp932 (JP): sniffed",
    priority=80,
    missing=(
        "customer_id (no buyer id in the report)",
        "shipped_at, delivered_at (in other reports)",
        "refunds (in the returns report: amazon_returns)",
    ),
    notes=(
        "shop_id = sales-channel (e.g. Amazon.com) unless a shop id is given.",
        "purchase-date is ISO 8601 with an offset: converted to shop time.",
    ),
)

RETURN_STATUSES = {
    "Pending": "requested",
    "Approved": "requested",
    "Authorized": "requested",
    "Closed": "completed",
    "Completed": "completed",
    "Cancelled": "withdrawn",
    "Canceled": "withdrawn",
    "Rejected": "rejected",
    "Denied": "rejected",
}


def _returns(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.timestamps(df, "refund_requested_at")
    df = ctx.money(df, "refund_amount")
    df = ctx.status(df)
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    df = df.with_columns(
        refund_reason=refund_reason(pl.col("reason")),
        refund_status=pl.when(pl.col("refund_amount").fill_null(0) > 0)
        .then(pl.lit("completed"))
        .otherwise(pl.col("refund_status")),
    )
    out = df.group_by("shop_id", "order_id", maintain_order=True).agg(
        pl.col("_line").min(),
        pl.col("refund_amount").sum(),
        first("refund_reason"),
        first("refund_status"),
        pl.col("refund_requested_at").min(),
    )
    ctx.notes.update(
        refund_amount=f"sum of {ctx.header('refund_amount')} over the order's returns",
        refund_reason=f"{ctx.header('reason')} by keyword (docs/presets.md)",
        refund_status=f"{ctx.header('status')}; completed when an amount was refunded",
    )
    return out


AMAZON_RETURNS = Preset(
    name="amazon_returns",
    title="Amazon merchant-fulfilled returns report (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE)",
    table="orders",
    mode="merge",
    fingerprint=("Order ID", "Return request date", "Refunded Amount"),
    fields={
        "order_id": ("Order ID",),
        "refund_requested_at": ("Return request date",),
        "status": ("Return request status",),
        "reason": ("Return Reason",),
        "refund_amount": ("Refunded Amount",),
    },
    required=("order_id", "refund_amount", "status"),
    transform=_returns,
    statuses=RETURN_STATUSES,
    status_target="refund_status",
    status_rules=("refund_status is completed whenever Refunded Amount > 0",),
    grain="return",
    order_money="per return (summed per order)",
    formats="tsv/csv",
    encoding="sniffed",
    priority=81,
    missing=("refund_completed_at (no refund date in the report)", "escalated"),
    notes=("Merged into orders loaded from the All Orders report; give the same shop id.",),
)

PRESETS = (AMAZON_ALL_ORDERS, AMAZON_RETURNS)
