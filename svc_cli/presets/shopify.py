"""Shopify: the admin orders export (one row per line item, order fields on the first
row) and the review apps' exports (Shopify Product Reviews, Judge.me, Yotpo, Okendo).

See docs/presets.md.
"""

from __future__ import annotations

import polars as pl

from svc_cli.i18n import Message, listed
from svc_cli.presets.base import Ctx, Preset, finish_reviews, first, reason, sku_list

# Financial Status → canonical status (before fulfilment and cancellation are applied).
FINANCIAL_STATUSES = {
    "pending": "pending",
    "authorized": "paid",
    "partially_paid": "paid",
    "paid": "paid",
    "partially_refunded": "paid",
    "refunded": "refunded",
    "voided": "cancelled",
    "expired": "cancelled",
}
FULFILLMENT = {"fulfilled": "shipped", "partial": "shipped", "unfulfilled": None, "restocked": None}
RULES = (
    "Fulfillment Status fulfilled or partial turns paid into shipped (Shopify exports no "
    "delivery, so no order is completed); unfulfilled / restocked / empty leave it",
    "Cancelled at set → cancelled, unless Financial Status is refunded (→ refunded)",
    "unknown Fulfillment Status values are errors like unknown Financial Status values",
)


def _orders(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.timestamps(
        df, "ordered_at", "paid_at", "shipped_at", "cancelled_at", required=["ordered_at"]
    )
    df = ctx.money(df, "amount", "refund_amount")
    df = ctx.counts(df, "quantity")
    df = df.with_columns(
        pl.col("status").str.to_lowercase(), pl.col("fulfillment").str.to_lowercase()
    )
    # order-level fields are on the first row of each order only
    df = df.with_columns(
        pl.col(
            "status",
            "fulfillment",
            "paid_at",
            "amount",
            "refund_amount",
            "customer_id",
            "cancelled_at",
            "shipped_at",
        )
        .drop_nulls()
        .first()
        .over("order_id"),
    )
    df = ctx.status(df)
    ctx.flag(
        df,
        pl.col("fulfillment").is_not_null() & ~pl.col("fulfillment").is_in(list(FULFILLMENT)),
        "fulfillment",
        reason(
            "preset_reason.unknown_fulfillment",
            preset="shopify_orders",
            known=listed(FULFILLMENT),
        ),
    )
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    out = df.group_by("shop_id", "order_id", maintain_order=True).agg(
        pl.col("_line").min(),
        first("customer_id"),
        pl.col("ordered_at").min(),
        first("paid_at"),
        first("shipped_at"),
        first("amount"),
        pl.col("quantity").sum(),
        sku_list(),
        first("status"),
        first("fulfillment"),
        first("cancelled_at"),
        first("refund_amount"),
    )
    shipped = pl.col("fulfillment").is_in(["fulfilled", "partial"])
    status = (
        pl.when(pl.col("cancelled_at").is_not_null() & (pl.col("status") != "refunded"))
        .then(pl.lit("cancelled"))
        .when((pl.col("status") == "paid") & shipped)
        .then(pl.lit("shipped"))
        .otherwise(pl.col("status"))
    )
    out = out.with_columns(status=status, refund_amount=pl.col("refund_amount").fill_null(0))
    ctx.notes.update(
        amount=f"first row of {ctx.header('amount')}",
        quantity=f"sum of {ctx.header('quantity')} over the line items",
        sku=f"{ctx.header('sku')} of the line items, joined with ;",
        status="Financial Status + Fulfillment Status + Cancelled at (first row)",
        refund_amount=f"first row of {ctx.header('refund_amount')}",
    )
    return out.drop("fulfillment", "cancelled_at")


SHOPIFY_ORDERS = Preset(
    name="shopify_orders",
    title="Shopify orders_export.csv (Admin → Orders → Export)",
    table="orders",
    mode="rows",
    fingerprint=("Name", "Financial Status", "Lineitem quantity"),
    fields={
        "order_id": ("Name",),
        "customer_id": ("Email",),
        "ordered_at": ("Created at",),
        "paid_at": ("Paid at",),
        "shipped_at": ("Fulfilled at",),
        "cancelled_at": ("Cancelled at",),
        "amount": ("Total",),
        "quantity": ("Lineitem quantity",),
        "sku": ("Lineitem sku",),
        "status": ("Financial Status",),
        "fulfillment": ("Fulfillment Status",),
        "refund_amount": ("Refunded Amount",),
    },
    required=("order_id", "ordered_at", "amount", "status"),
    transform=_orders,
    statuses=FINANCIAL_STATUSES,
    status_rules=RULES,
    grain="line",
    order_money="first_row (Total, Financial Status, Paid at … only on an order's first row)",
    encoding="UTF-8 (±BOM)",
    priority=60,
    missing=(
        "delivered_at (Shopify exports no delivery time)",
        "shop_id (no shop column: give the shop id)",
        "refund reason, status and times",
    ),
    notes=(
        "Dates carry an offset (2025-10-07 09:50:26 +0200): converted to shop time.",
        "customer_id is the Email (the default export has no customer id).",
    ),
)


# --- review apps -------------------------------------------------------------------------------


def _text(title: str, body: str) -> pl.Expr:
    t, b = pl.col(title), pl.col(body)
    return (
        pl.when(t.is_not_null() & b.is_not_null())
        .then(pl.concat_str(t, pl.lit("\n"), b))
        .otherwise(pl.coalesce(b, t))
    )


def _app_reviews(ctx: Ctx) -> pl.DataFrame:
    df = ctx.frame
    if "curated" in df.columns and ctx.has("curated"):
        spam = pl.col("curated").fill_null("").str.to_lowercase() == "spam"
        n = df.filter(spam).height
        if n:
            ctx.warn(Message("spam_reviews_dropped", file=ctx.label, count=str(n)))
            df = df.filter(~spam)
    df = ctx.timestamps(df, "created_at", required=["created_at"])
    df = ctx.counts(df, "rating")
    ctx.flag(df, ~pl.col("rating").is_between(1, 5), "rating", reason("preset_reason.rating_range"))
    ctx.flag(df, pl.col("rating").is_null(), "rating", reason("preset_reason.rating_missing"))
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    df = df.with_columns(text=_text("title", "body"), order_id=pl.lit(None, pl.String))
    ctx.notes["text"] = f"{ctx.header('title')} + newline + {ctx.header('body')}"
    return finish_reviews(ctx, df, drop_default=pl.lit(False))


def _review_preset(
    name: str, title: str, fingerprint: tuple[str, ...], fields: dict, priority: int
) -> Preset:  # type: ignore[type-arg]
    return Preset(
        name=name,
        title=title,
        table="reviews",
        mode="rows",
        fingerprint=fingerprint,
        fields=fields,
        required=("rating", "created_at"),
        transform=_app_reviews,
        encoding="UTF-8 (±BOM)",
        priority=priority,
        missing=(
            "order_id (review apps do not export the order): the reviews are loaded and "
            "count for good_review_rate only; neg_feedback_rate is not assessed from them",
            "shop_id (give the shop id)",
        ),
        notes=("review_id is synthesised as a hash unless the export has one.",),
    )


SHOPIFY_PRODUCT_REVIEWS = _review_preset(
    "shopify_product_reviews",
    "Shopify Product Reviews (legacy app) export",
    ("product_handle", "state", "rating", "author"),
    {
        "rating": ("rating",),
        "title": ("title",),
        "body": ("body",),
        "customer_id": ("email",),
        "created_at": ("created_at",),
    },
    70,
)
JUDGEME_REVIEWS = _review_preset(
    "judgeme_reviews",
    "Judge.me reviews export",
    ("review_date", "reviewer_name", "curated"),
    {
        "rating": ("rating",),
        "title": ("title",),
        "body": ("body",),
        "customer_id": ("reviewer_email",),
        "created_at": ("review_date",),
        "curated": ("curated",),
    },
    71,
)
YOTPO_REVIEWS = _review_preset(
    "yotpo_reviews",
    "Yotpo reviews export",
    ("Review Score", "Review Content", "Display Name"),
    {
        "rating": ("Review Score",),
        "title": ("Review Title",),
        "body": ("Review Content",),
        "customer_id": ("Email",),
        "created_at": ("Date",),
    },
    72,
)
OKENDO_REVIEWS = _review_preset(
    "okendo_reviews",
    "Okendo reviews export",
    ("reviewId", "rating", "reviewer.name", "dateCreated"),
    {
        "review_id": ("reviewId",),
        "rating": ("rating",),
        "title": ("title",),
        "body": ("body",),
        "customer_id": ("reviewer.email",),
        "created_at": ("dateCreated",),
    },
    73,
)

PRESETS = (
    SHOPIFY_ORDERS,
    SHOPIFY_PRODUCT_REVIEWS,
    JUDGEME_REVIEWS,
    YOTPO_REVIEWS,
    OKENDO_REVIEWS,
)
