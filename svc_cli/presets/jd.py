"""JD 京东 POP order export: one row per SKU, order money repeated on every row.

See docs/presets.md.
"""

from __future__ import annotations

import polars as pl

from svc_cli.i18n import Message
from svc_cli.presets.base import Ctx, Preset, aggregate_lines

# 订单状态 (after removing a "(删除)"/"(锁定)" prefix) → canonical.
ORDER_STATUSES = {
    "等待付款": "pending",
    "等待出库": "paid",
    "等待确认收货": "shipped",
    "完成": "completed",
    "已取消": "cancelled",
}
PREFIX_RULE = (
    "a leading (删除) or (锁定) is removed before the lookup (deleted / locked orders keep "
    "their underlying status; they are counted in a warning)"
)
_PREFIX = r"^[(（](删除|锁定)[)）]"


def _orders(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    flagged = df.filter(pl.col("status").fill_null("").str.contains(_PREFIX)).height
    if flagged:
        ctx.warn(Message("jd_status_prefix", file=ctx.label, count=str(flagged)))
    df = df.with_columns(pl.col("status").str.replace(_PREFIX, ""))
    df = ctx.timestamps(df, "ordered_at", "paid_at", "delivered_at", required=["ordered_at"])
    df = ctx.money(df, "amount")
    df = ctx.counts(df, "quantity")
    df = ctx.status(df)
    df = ctx.settle(df)
    df = ctx.shop(df)
    df = df.select(
        "_line",
        "shop_id",
        "order_id",
        "customer_id",
        "ordered_at",
        "paid_at",
        "delivered_at",
        "amount",
        "quantity",
        "sku",
        "status",
    )
    ctx.notes.update(
        amount=f"{ctx.header('amount')} of the order's first row (repeated on every SKU row)",
        quantity=f"sum of {ctx.header('quantity')} over the SKU rows",
        sku=f"{ctx.header('sku')} of the SKU rows, joined with ;",
    )
    return aggregate_lines(ctx, df, "repeated")


JD_ORDERS = Preset(
    name="jd_orders",
    title="JD 京东 POP order export (one row per SKU)",
    table="orders",
    mode="rows",
    fingerprint=("订单号", "商品ID", "订购数量", "京东价"),
    fields={
        "order_id": ("订单号",),
        "customer_id": ("下单帐号", "下单账号"),
        "shop": ("店铺名称",),
        "ordered_at": ("下单时间",),
        "paid_at": ("付款确认时间",),
        "delivered_at": ("订单完成时间",),
        "amount": ("应付金额",),
        "quantity": ("订购数量",),
        "sku": ("商品ID",),
        "status": ("订单状态",),
    },
    required=("order_id", "ordered_at", "amount", "status"),
    transform=_orders,
    statuses=ORDER_STATUSES,
    status_rules=(PREFIX_RULE,),
    grain="line",
    order_money="repeated (应付金额 repeats on every SKU row: taken once)",
    encoding="GBK (read as GB18030)",
    priority=40,
    missing=(
        "shipped_at (not in the 30-column layout)",
        "refund_amount and refund details (not in this export)",
    ),
    notes=("sku is JD's 商品ID (the merchant's 货号 may be empty).",),
)

PRESETS = (JD_ORDERS,)
