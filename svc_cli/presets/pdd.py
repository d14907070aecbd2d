"""Pinduoduo 拼多多 order export (订单查询 → 导出): one row per order.

See docs/presets.md.
"""

from __future__ import annotations

import polars as pl

from svc_cli.presets.base import MONEY, Ctx, Preset

ORDER_STATUSES = {
    "待支付": "pending",
    "待发货": "paid",
    "已发货，待签收": "shipped",
    "已签收": "completed",
    "未发货，退款成功": "refunded",
    "已发货，退款成功": "refunded",
    "已取消": "cancelled",
}
REFUND_RULE = (
    "a refunded order (…退款成功) gets refund_amount = 用户实付金额(元) and refund_status "
    "completed (no refund time in this export); 售后状态 售后处理中 or starting 退货退款/退款中 "
    "gives refund_status requested; 无售后或售后取消 none"
)


def _orders(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.timestamps(
        df, "ordered_at", "paid_at", "shipped_at", "delivered_at", required=["ordered_at"]
    )
    df = ctx.money(df, "amount")
    df = ctx.counts(df, "quantity")
    df = ctx.status(df, normalise_comma=True)
    df = ctx.settle(df)
    after = pl.col("aftersale").fill_null("")
    refunded = pl.col("status") == "refunded"
    open_request = after.str.contains("处理中|^退货退款|^退款中|待商家|待买家")
    df = df.with_columns(
        refund_amount=pl.when(refunded).then(pl.col("amount")).otherwise(pl.lit(0).cast(MONEY)),
        refund_status=pl.when(refunded)
        .then(pl.lit("completed"))
        .when(open_request)
        .then(pl.lit("requested")),
    )
    ctx.notes.update(
        refund_amount=f"{ctx.header('amount')} when the status says 退款成功",
        refund_status=f"{ctx.header('status')} / {ctx.header('aftersale')}",
    )
    return ctx.shop(df, None)


PDD_ORDERS = Preset(
    name="pdd_orders",
    title="Pinduoduo 拼多多 order export",
    table="orders",
    mode="rows",
    fingerprint=("订单号", "商品", "商家实收金额(元)"),
    fields={
        "order_id": ("订单号",),
        "ordered_at": ("订单成交时间", "拼单成功时间", "支付时间"),
        "paid_at": ("支付时间",),
        "shipped_at": ("发货时间",),
        "delivered_at": ("确认收货时间",),
        "amount": ("用户实付金额(元)",),
        "quantity": ("商品数量(件)",),
        "sku": ("商家编码-SKU维度", "商家编码-规格维度", "样式ID"),
        "status": ("订单状态",),
        "aftersale": ("售后状态",),
    },
    required=("order_id", "ordered_at", "amount", "status"),
    transform=_orders,
    statuses=ORDER_STATUSES,
    status_rules=(REFUND_RULE,),
    grain="order",
    order_money="per order",
    encoding="sniffed (unverified: UTF-8 or GB18030)",
    priority=50,
    missing=(
        "customer_id (masked: no buyer id)",
        "shop_id (no shop column: give the shop id)",
        "refund reason and times (in the separate 售后 export)",
    ),
    notes=("Phone columns hold only a tab (masked); they are ignored.",),
)

PRESETS = (PDD_ORDERS,)
