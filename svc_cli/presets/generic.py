"""The ``mapped`` preset: an export no preset knows, read through a column map
(``--map order_id=订单号`` or a TOML mapping file), so a new format needs no code.

Every canonical column can be mapped; a header already named like the canonical column
is used as is. Values are parsed by the column's kind (ids as text, amounts with ¥/元/
thousands separators, any supported date format); statuses must be canonical unless a
status map is given.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from svc_cli.errors import InputError
from svc_cli.i18n import Message, Verbatim, listed
from svc_cli.presets.base import Ctx, Preset, finish_reviews, reason, refund_reason
from svc_cli.schema import (
    CHATS,
    ORDER_STATUSES,
    ORDERS,
    REFUND_REASONS,
    REFUND_STATUSES,
    REVIEWS,
)

#: Tables a column map can produce (chat sessions: seconds and QA scores pass through as
#: text and are validated by the loader like a canonical chats CSV).
MAPPABLE = {t.name: t for t in (ORDERS, REVIEWS, CHATS)}

_TRUE = ["true", "t", "1", "yes", "y", "是"]
_FALSE = ["false", "f", "0", "no", "n", "否"]


def _transform(ctx: Ctx) -> pl.DataFrame:
    table = MAPPABLE[ctx.preset.table]
    df = ctx.frame
    present = [c for c in table.columns if ctx.has(c.name) and c.name != "shop_id"]
    for col in present:
        name = col.name
        if col.kind == "id":
            df = ctx.ids(df, name, required=col.required)
        elif col.kind == "timestamp":
            df = ctx.timestamps(df, name, required=[name] if col.required else [])
        elif col.kind == "money":
            df = ctx.money(df, name)
        elif col.kind in ("count", "rating"):
            df = ctx.counts(df, name)
            if col.kind == "rating":
                ctx.flag(
                    df, ~pl.col(name).is_between(1, 5), name, reason("preset_reason.rating_range")
                )
        elif col.kind == "bool":
            low = pl.col(name).str.to_lowercase()
            df = df.with_columns(
                pl.when(low.is_in(_TRUE))
                .then(True)
                .when(low.is_in(_FALSE))
                .then(False)
                .alias(f"_b_{name}")
            )
            ctx.flag(
                df,
                pl.col(name).is_not_null() & pl.col(f"_b_{name}").is_null(),
                name,
                reason("reason.bool"),
            )
            df = df.drop(name).rename({f"_b_{name}": name})
        elif name == "status":
            df = ctx.status(df)
        elif name == "refund_status":
            df = df.with_columns(pl.col(name).str.to_lowercase())
            ctx.flag(
                df,
                pl.col(name).is_not_null() & ~pl.col(name).is_in(list(REFUND_STATUSES)),
                name,
                reason("reason.one_of", choices=listed(REFUND_STATUSES)),
            )
        elif name == "refund_reason":
            low = pl.col(name).str.to_lowercase()
            df = df.with_columns(
                pl.when(low.is_in(list(REFUND_REASONS))).then(low).otherwise(refund_reason(low))
            )
    df = ctx.settle(df)
    df = ctx.shop(df, "shop" if ctx.has("shop") else None)
    df = df.drop([n for n in df.columns if n not in table.column_names and n != "_line"])
    if table is REVIEWS:
        df = finish_reviews(ctx, df, drop_default=pl.lit(False))
    return df


def mapped_preset(
    column_map: Mapping[str, str], table: str | None, status_map: Mapping[str, str] | None
) -> Preset:
    """A preset built from a column map (canonical column → source header; canonical
    headers map to themselves, so a ``table`` alone maps a canonical file)."""
    if not column_map and table is None:
        raise InputError(Message("error.no_column_map"))
    if table is None:
        table = (
            "chats"
            if "session_id" in column_map
            else "reviews"
            if "rating" in column_map
            else "orders"
        )
    if table not in MAPPABLE:
        raise InputError(
            Message("error.mapping_unknown_table", table=Verbatim(repr(table))),
            Message("hint.mapping_tables"),
        )
    spec = MAPPABLE[table]
    fields: dict[str, tuple[str, ...]] = {
        c.name: (c.name,) for c in spec.columns if c.name != "shop_id"
    }
    fields["shop"] = ("shop_id",)
    statuses = dict(status_map) if status_map else {s: s for s in ORDER_STATUSES}
    for src, dst in statuses.items():
        if dst not in ORDER_STATUSES:
            raise InputError(
                Message(
                    "error.mapping_bad_status",
                    source=Verbatim(repr(src)),
                    target=Verbatim(repr(dst)),
                ),
                Message("hint.one_of", choices=[Verbatim(s) for s in ORDER_STATUSES]),
            )
    required = tuple(
        c.name
        for c in spec.columns
        if c.in_header and c.name not in ("shop_id", "paid_at", "first_response_seconds")
    )
    if table == "reviews":
        required = tuple(r for r in required if r != "order_id")
    return Preset(
        name="mapped",
        title="an export read through a column map",
        table=table,
        mode="rows",
        fingerprint=(),
        fields=fields,
        transform=_transform,
        required=required,
        statuses=statuses,
        priority=1000,
    )
