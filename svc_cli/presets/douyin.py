"""Douyin 抖店 order export (订单管理 → 批量导出): one row per 子订单 (sub-order).

See docs/presets.md.
"""

from __future__ import annotations

import polars as pl

from svc_cli.presets.base import Ctx, Preset, aggregate_lines

# 订单状态 per sub-order → canonical.
ORDER_STATUSES = {
    "待支付": "pending",
    "待发货": "paid",
    "备货中": "paid",
    "已发货": "shipped",
    "已完成": "completed",
    "已关闭": "cancelled",
}
CLOSED_RULE = (
    "已关闭 is refunded for a paid sub-order whose 售后状态 says 退款成功 (or 售后完成); "
    "otherwise cancelled"
)


def _orders(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.timestamps(
        df, "ordered_at", "paid_at", "shipped_at", "delivered_at", required=["ordered_at"]
    )
    df = ctx.money(df, "amount")
    df = ctx.counts(df, "quantity")
    df = ctx.status(df)
    df = ctx.settle(df)
    after = pl.col("aftersale").fill_null("")
    refunded = (
        (pl.col("status") == "cancelled")
        & pl.col("paid_at").is_not_null()
        & after.str.contains("退款成功|售后完成")
    )
    df = df.with_columns(status=pl.when(refunded).then(pl.lit("refunded")).otherwise("status"))
    df = ctx.shop(df, None)
    df = df.select(
        "_line",
        "shop_id",
        "order_id",
        "ordered_at",
        "paid_at",
        "shipped_at",
        "delivered_at",
        "amount",
        "quantity",
        "sku",
        "status",
    )
    ctx.notes.update(
        amount=f"sum of {ctx.header('amount')} over the sub-orders",
        quantity=f"sum of {ctx.header('quantity')} over the sub-orders",
        sku=f"{ctx.header('sku')} of the sub-orders, joined with ;",
        status="sub-order statuses combined (least advanced live one)",
    )
    return aggregate_lines(ctx, df, "per_line")


DOUYIN_ORDERS = Preset(
    name="douyin_orders",
    title="Douyin 抖店 order export (one row per 子订单)",
    table="orders",
    mode="rows",
    fingerprint=("主订单编号", "子订单编号", "选购商品"),
    fields={
        "order_id": ("主订单编号",),
        "line_id": ("子订单编号",),
        "sku": ("商家编码", "商品ID"),
        "quantity": ("商品数量",),
        "amount": ("订单应付金额",),
        "ordered_at": ("订单提交时间",),
        "paid_at": ("支付完成时间",),
        "shipped_at": ("发货时间",),
        "delivered_at": ("订单完成时间",),
        "status": ("订单状态",),
        "aftersale": ("售后状态",),
    },
    required=("order_id", "ordered_at", "amount", "status"),
    transform=_orders,
    statuses=ORDER_STATUSES,
    status_rules=(CLOSED_RULE,),
    grain="line",
    order_money="per_line (订单应付金额 is taken as the sub-order's share and summed; unverified)",
    encoding="UTF-8 with BOM or GB18030 (sniffed)",
    priority=30,
    missing=(
        "customer_id (收件人 and phone are masked; no buyer id)",
        "shop_id (no shop column: give the shop id)",
        "refund_amount and refund details (in the separate 售后 export)",
    ),
    notes=(
        "Ids carry a trailing tab; amounts use thousands separators; 订单完成时间 is taken as "
        "delivered_at.",
    ),
)

PRESETS = (DOUYIN_ORDERS,)
