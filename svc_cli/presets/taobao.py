"""Taobao/Tmall 千牛 exports: order reports (old CSV, new xlsx), item reports, the 退款
refunds export, and reviews (trade-rate API field set, 评论数据 plugin export).

See docs/presets.md.
"""

from __future__ import annotations

import polars as pl

from svc_cli.i18n import Message
from svc_cli.presets.base import (
    Ctx,
    Preset,
    aggregate_lines,
    finish_reviews,
    first,
    reason,
    refund_reason,
    sku_list,
)

# 订单状态 (orders v1 and v2; a status with an ASCII comma is read as the full-width one).
ORDER_STATUSES = {
    "等待买家付款": "pending",
    "买家已付款，等待卖家发货": "paid",
    "卖家部分发货": "shipped",
    "卖家已发货，等待买家确认": "shipped",
    "交易成功": "completed",
    "交易关闭": "cancelled",
}
CLOSED_RULE = (
    "交易关闭 is refunded when the order was paid and 退款金额 > 0 or 订单关闭原因 mentions 退款; "
    "otherwise cancelled (closed before payment)"
)

# 退款状态 of the refunds export → refund_status.
REFUND_STATUSES = {
    "买家已经申请退款，等待卖家同意": "requested",
    "卖家已经同意退款，等待买家退货": "requested",
    "买家已经退货，等待卖家确认收货": "requested",
    "退款成功": "completed",
    "退款关闭": "withdrawn",
    "卖家拒绝退款": "rejected",
}
ESCALATED_RULE = (
    "escalated when 客服介入状态 mentions 介入 and not 未/不需要/无需 (e.g. 需要客服介入, "
    "客服介入中, 客服已介入); 客服未介入 / 不需要客服介入 / empty are not escalated"
)

RATINGS = {"good": 5, "neutral": 3, "bad": 1}


def _close_to_refunded(df: pl.DataFrame) -> pl.DataFrame:
    refunded = (
        (pl.col("status") == "cancelled")
        & pl.col("paid_at").is_not_null()
        & (
            (pl.col("refund_amount").fill_null(0) > 0)
            | pl.col("close_reason").fill_null("").str.contains("退款")
        )
    )
    return df.with_columns(status=pl.when(refunded).then(pl.lit("refunded")).otherwise("status"))


def _orders(ctx: Ctx) -> pl.DataFrame:
    df = ctx.frame
    df = ctx.ids(df, "order_id")
    df = ctx.timestamps(
        df, "ordered_at", "paid_at", "shipped_at", "delivered_at", required=["ordered_at"]
    )
    df = ctx.money(df, "amount", "refund_amount", zero=["无退款申请"])
    df = ctx.counts(df, "quantity")
    df = ctx.status(df, normalise_comma=True)
    df = ctx.settle(df)
    df = _close_to_refunded(df)
    df = df.with_columns(refund_amount=pl.col("refund_amount").fill_null(0))
    return ctx.shop(df)


TAOBAO_ORDERS_V1 = Preset(
    name="taobao_orders_v1",
    title="Taobao/Tmall 千牛 订单报表, old CSV (ExportOrderList*.csv)",
    table="orders",
    mode="rows",
    fingerprint=("订单编号", "买家会员名", "买家实际支付金额"),
    fields={
        "order_id": ("订单编号",),
        "customer_id": ("买家会员名",),
        "shop": ("店铺Id", "店铺名称"),
        "ordered_at": ("订单创建时间",),
        "paid_at": ("订单付款时间",),
        "shipped_at": ("发货时间",),
        "delivered_at": ("确认收货时间",),
        "amount": ("买家实际支付金额",),
        "quantity": ("宝贝总数量",),
        "sku": ("商家编码",),
        "status": ("订单状态",),
        "refund_amount": ("退款金额",),
        "close_reason": ("订单关闭原因",),
    },
    required=("order_id", "ordered_at", "amount", "status"),
    transform=_orders,
    statuses=ORDER_STATUSES,
    status_rules=(CLOSED_RULE,),
    encoding="GBK (read as GB18030)",
    priority=10,
    missing=(
        "sku (in the item report: load ExportOrderDetailList*.csv too)",
        "shipped_at (only in later versions: 发货时间)",
        "refund_reason, refund_status, refund times, escalated (in the 退款 export)",
    ),
    notes=(
        '订单编号 is wrapped as ="…"; several headers end with a space; both comma variants '
        "of the status values occur.",
        "shop_id: 店铺Id, else 店铺名称, unless a shop id is given.",
    ),
)

TAOBAO_ORDERS_V2 = Preset(
    name="taobao_orders_v2",
    title="Taobao/Tmall 千牛 订单报表, new xlsx (≈2023+)",
    table="orders",
    mode="rows",
    fingerprint=("订单编号", "买家实付金额", "支付单号|确认收货打款金额"),
    fields={
        "order_id": ("订单编号",),
        "shop": ("店铺名称",),
        "ordered_at": ("订单创建时间",),
        "paid_at": ("订单付款时间",),
        "shipped_at": ("发货时间",),
        "delivered_at": ("确认收货时间",),
        "amount": ("买家实付金额",),
        "quantity": ("宝贝总数量",),
        "sku": ("商家编码", "商品属性SKU"),
        "status": ("订单状态",),
        "refund_amount": ("退款金额",),
        "close_reason": ("订单关闭原因",),
    },
    required=("order_id", "ordered_at", "amount", "status"),
    transform=_orders,
    statuses=ORDER_STATUSES,
    status_rules=(CLOSED_RULE,),
    formats="xlsx (also CSV)",
    encoding="xlsx (UTF-8 if re-saved as CSV)",
    priority=11,
    missing=(
        "customer_id (the new export redacts the buyer: repurchase metrics need another source)",
        "refund_reason, refund_status, refund times, escalated (in the 退款 export)",
    ),
    notes=("退款金额 may read 无退款申请: taken as 0.",),
)


def _items(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.counts(df, "quantity")
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    df = df.select("shop_id", "order_id", "_line", "quantity", "sku")
    ctx.notes["sku"] = f"{ctx.header('sku')} of the order's lines, joined with ;"
    ctx.notes["quantity"] = f"sum of {ctx.header('quantity')} over the order's lines"
    return aggregate_lines(ctx, df, "per_line", money_cols=())


TAOBAO_ITEMS_V1 = Preset(
    name="taobao_items_v1",
    title="Taobao/Tmall 千牛 宝贝报表, old CSV (ExportOrderDetailList*.csv)",
    table="orders",
    mode="merge",
    fingerprint=("订单编号", "标题", "价格", "购买数量"),
    fields={
        "order_id": ("订单编号",),
        "quantity": ("购买数量",),
        "sku": ("商家编码", "外部系统编号"),
    },
    required=("order_id", "quantity"),
    transform=_items,
    grain="line",
    order_money="n/a (价格 is the unit list price; amounts come from the order report)",
    encoding="GBK (read as GB18030)",
    priority=12,
    notes=(
        "Merges sku and quantity into orders already loaded from the order report; "
        "no shop column, so the shop id must be given (the same as the order report's).",
    ),
)

TAOBAO_ITEMS_V2 = Preset(
    name="taobao_items_v2",
    title="Taobao/Tmall 千牛 宝贝报表 (item report), new xlsx",
    table="orders",
    mode="merge",
    fingerprint=("子订单编号", "主订单编号", "商品标题", "购买数量"),
    fields={
        "order_id": ("主订单编号",),
        "line_id": ("子订单编号",),
        "quantity": ("购买数量",),
        "sku": ("商家编码", "商品ID"),
    },
    required=("order_id", "quantity"),
    transform=_items,
    grain="line",
    order_money="n/a (merged columns only; 买家实付金额 is per line)",
    formats="xlsx (also CSV)",
    encoding="xlsx",
    priority=13,
    notes=(
        "Merges sku and quantity into orders loaded from the new order report; the shop "
        "id must be given (the same as the order report's).",
    ),
)


def _refunds(ctx: Ctx) -> pl.DataFrame:
    df = ctx.ids(ctx.frame, "order_id")
    df = ctx.money(df, "refund_amount")
    df = ctx.timestamps(df, "refund_requested_at", "refund_completed_at")
    df = ctx.status(df, normalise_comma=True)
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    esc = pl.col("escalation").fill_null("")
    df = df.with_columns(
        refund_reason=refund_reason(pl.col("reason")),
        escalated=esc.str.contains("介入") & ~esc.str.contains("未|不需要|无需"),
        # only money actually returned counts; a refund still open, withdrawn or
        # rejected has refunded nothing (yet)
        refund_amount=pl.when(pl.col("refund_status") == "completed")
        .then(pl.col("refund_amount"))
        .otherwise(pl.lit(0).cast(pl.Decimal(18, 2))),
        refund_completed_at=pl.when(pl.col("refund_status") == "completed").then(
            pl.col("refund_completed_at")
        ),
        _rank=pl.col("refund_status").replace_strict(
            {"completed": 0, "requested": 1, "rejected": 2, "withdrawn": 3}, return_dtype=pl.Int64
        ),
    )
    df = df.sort("_rank", "refund_requested_at", "_line", nulls_last=True)
    out = df.group_by("shop_id", "order_id", maintain_order=True).agg(
        pl.col("_line").min(),
        pl.col("refund_amount").sum(),
        first("refund_reason"),
        first("refund_status"),
        pl.col("refund_requested_at").min(),
        pl.col("refund_completed_at").max(),
        pl.col("escalated").any(),
    )
    ctx.notes.update(
        refund_amount=f"sum of {ctx.header('refund_amount')} over the order's completed refunds",
        refund_reason=f"{ctx.header('reason')} by keyword (docs/presets.md)",
        refund_status=f"{ctx.header('status')} (most advanced refund of the order)",
        refund_completed_at=f"{ctx.header('refund_completed_at')} of completed refunds",
        escalated=f"{ctx.header('escalation')} (介入 and not 未/不需要)",
    )
    return out.sort("_line")


TAOBAO_REFUNDS = Preset(
    name="taobao_refunds",
    title="Taobao/Tmall 退款管理 export (refunds)",
    table="orders",
    mode="merge",
    fingerprint=("退款编号", "订单编号", "买家退款金额"),
    fields={
        "order_id": ("订单编号",),
        "refund_id": ("退款编号",),
        "refund_amount": ("买家退款金额",),
        "reason": ("买家退款原因",),
        "status": ("退款状态",),
        "refund_requested_at": ("退款的申请时间", "退款申请时间"),
        "refund_completed_at": ("退款完结时间",),
        "escalation": ("客服介入状态",),
    },
    required=("order_id", "refund_amount", "status"),
    transform=_refunds,
    statuses=REFUND_STATUSES,
    status_target="refund_status",
    status_rules=(
        ESCALATED_RULE,
        "one row per refund; an order with several refunds gets the sum of its completed "
        "refunds, the earliest request, the latest completion, and the reason and status of "
        "its most advanced refund (completed > requested > rejected > withdrawn)",
        "refund_amount counts completed refunds only (a withdrawn refund returned nothing)",
    ),
    grain="refund",
    order_money="per refund (summed per order)",
    encoding="GBK (read as GB18030)",
    priority=5,
    notes=("Merged into orders loaded before; the shop id must be given.",),
)


# --- reviews -------------------------------------------------------------------------------


def _traderates(ctx: Ctx) -> pl.DataFrame:
    df = ctx.frame
    if "role" in df.columns:
        sellers = df.filter(pl.col("role").fill_null("buyer") != "buyer").height
        if sellers:
            ctx.warn(Message("seller_ratings_dropped", file=ctx.label, count=str(sellers)))
            df = df.filter(pl.col("role").fill_null("buyer") == "buyer")
    df = ctx.ids(df, "order_id")
    df = ctx.timestamps(df, "created_at", required=["created_at"])
    df = df.with_columns(
        rating=pl.col("result")
        .str.to_lowercase()
        .replace_strict(RATINGS, default=None, return_dtype=pl.Int64)
    )
    ctx.flag(
        df,
        pl.col("rating").is_null(),
        "result",
        reason(
            "preset_reason.unknown_rating", preset="taobao_traderates", known="bad, good, neutral"
        ),
    )
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    ctx.notes["rating"] = "result: good → 5, neutral → 3, bad → 1"
    return finish_reviews(ctx, df)


TAOBAO_TRADERATES = Preset(
    name="taobao_traderates",
    title="Taobao trade rates (taobao.traderates.get field set)",
    table="reviews",
    mode="rows",
    fingerprint=("tid", "oid", "result", "created"),
    fields={
        "order_id": ("tid",),
        "line_id": ("oid",),
        "role": ("role",),
        "customer_id": ("nick",),
        "result": ("result",),
        "created_at": ("created",),
        "text": ("content",),
    },
    required=("order_id", "result", "created_at"),
    transform=_traderates,
    status_rules=("rating: good → 5, neutral → 3, bad → 1 (a convention, not stars)",),
    encoding="UTF-8",
    priority=20,
    notes=(
        "Default/system reviews (默认好评 …) are dropped and counted in a warning.",
        "No rate id in the field set: review_id is synthesised as a hash.",
    ),
)


def _plugin(ctx: Ctx) -> pl.DataFrame:
    df = ctx.timestamps(ctx.frame, "created_at", required=["created_at"])
    df = ctx.counts(df, "rating")
    ctx.flag(df, ~pl.col("rating").is_between(1, 5), "rating", reason("preset_reason.rating_range"))
    ctx.flag(df, pl.col("rating").is_null(), "rating", reason("preset_reason.rating_missing"))
    df = ctx.settle(df)
    df = ctx.shop(df, None)
    follow = pl.col("followup")
    df = df.with_columns(
        text=pl.when(follow.is_not_null())
        .then(pl.concat_str(pl.col("text").fill_null(""), pl.lit(" [追评] "), follow))
        .otherwise(pl.col("text"))
    )
    ctx.notes["text"] = "评论内容, then 追加评论 after ' [追评] '"
    return finish_reviews(ctx, df)


TAOBAO_REVIEW_PLUGIN = Preset(
    name="taobao_review_plugin",
    title="Taobao 评论数据 export of a browser plugin (评论数据_*.csv)",
    table="reviews",
    mode="rows",
    fingerprint=("评论内容", "评分", "日期", "用户昵称"),
    fields={
        "text": ("评论内容",),
        "followup": ("追加评论",),
        "rating": ("评分",),
        "created_at": ("日期",),
        "sku": ("SKU",),
        "customer_id": ("用户昵称",),
    },
    required=("text", "rating", "created_at"),
    transform=_plugin,
    encoding="UTF-8 with BOM",
    priority=21,
    missing=("order_id (the plugin export has none: reviews come out with an empty order_id)",),
    notes=("Default/system reviews are dropped and counted in a warning.",),
)

PRESETS = (
    TAOBAO_ORDERS_V1,
    TAOBAO_ORDERS_V2,
    TAOBAO_ITEMS_V1,
    TAOBAO_ITEMS_V2,
    TAOBAO_REFUNDS,
    TAOBAO_TRADERATES,
    TAOBAO_REVIEW_PLUGIN,
)

__all__ = ["PRESETS", "sku_list"]
