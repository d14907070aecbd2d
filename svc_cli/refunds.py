"""Refund retention (智能挽单, spec §13): what happened to the refunds requested in W.

Per shop: requests; withdrawn (retained), completed, rejected and open ones; the retention
rate and the amount retained; the same by refund reason, by stage (before / after
shipping) and, on request, by month of the request; median handling hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from svc_cli.coverage import provided_by_shop
from svc_cli.i18n import Message
from svc_cli.queries import KNOWN_SHOPS, REFUND_COUNTS, REFUND_HANDLING
from svc_cli.window import Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

STAGES = ("before_shipping", "after_shipping")
STATUSES = ("withdrawn", "completed", "rejected", "open")
QUALITY_REASONS = ("quality", "not_as_described")
US_PER_HOUR = 3_600_000_000
#: What a shop's data must carry for the report (spec §10: never read missing as zero).
NEEDS = ("refund_requested_at", "refund_status")

DEFINITIONS = (
    Message("refunds.def.requests"),
    Message("refunds.def.retention"),
    Message("refunds.def.stage"),
    Message("refunds.def.handling"),
)

SCORE_EFFECT = (
    "Score effect: a request with reason quality or not_as_described counts in the "
    "negative feedback rate whether it is retained or not; only completed refunds count "
    "in refund handling time. Retention saves money, not score points.",
)


@dataclass
class RefundCounts:
    """Counts of one group of requests (a shop, a reason, a stage or a month)."""

    requests: int = 0
    withdrawn: int = 0
    completed: int = 0
    rejected: int = 0
    open: int = 0
    retained_amount: Decimal = Decimal("0.00")
    handling_us: list[int] = field(default_factory=list)

    def add(self, row: dict[str, Any]) -> None:
        self.requests += row["requests"]
        for status in STATUSES:
            setattr(self, status, getattr(self, status) + row[status])
        self.retained_amount += Decimal(row["retained_amount"])

    @property
    def retention_rate(self) -> float | None:
        final = self.withdrawn + self.completed + self.rejected
        return float(Fraction(self.withdrawn, final)) if final else None

    @property
    def median_handling_hours(self) -> float | None:
        values = sorted(self.handling_us)
        if not values:
            return None
        mid = len(values) // 2
        us = (
            Fraction(values[mid]) if len(values) % 2 else Fraction(values[mid - 1] + values[mid], 2)
        )
        return float(us / US_PER_HOUR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "withdrawn": self.withdrawn,
            "completed": self.completed,
            "rejected": self.rejected,
            "open": self.open,
            "retention_rate": self.retention_rate,
            "retained_amount": self.retained_amount.quantize(Decimal("0.01")),
            "median_handling_hours": self.median_handling_hours,
        }


@dataclass
class ShopRefunds:
    shop_id: str
    provided: bool  # the shop's data carries refund requests (spec §10)
    total: RefundCounts = field(default_factory=RefundCounts)
    by_reason: dict[str, RefundCounts] = field(default_factory=dict)
    by_stage: dict[str, RefundCounts] = field(
        default_factory=lambda: {s: RefundCounts() for s in STAGES}
    )
    by_month: dict[date, RefundCounts] = field(default_factory=dict)
    withdrawn_quality: int = 0  # retained requests that still count as negative feedback

    def to_dict(self, every_month: bool = False) -> dict[str, Any]:
        if not self.provided:
            empty: dict[str, Any] = {k: None for k in RefundCounts().to_dict()}
            out = {"shop_id": self.shop_id, **empty, "by_reason": None, "by_stage": None}
            out["withdrawn_quality"] = None
            if every_month:
                out["by_month"] = None
            return out
        out = {
            "shop_id": self.shop_id,
            **self.total.to_dict(),
            "withdrawn_quality": self.withdrawn_quality,
            "by_reason": {k: v.to_dict() for k, v in sorted(self.by_reason.items())},
            "by_stage": {k: v.to_dict() for k, v in self.by_stage.items()},
        }
        if every_month:
            out["by_month"] = {
                m.strftime("%Y-%m"): v.to_dict() for m, v in sorted(self.by_month.items())
            }
        return out


@dataclass
class RefundReport:
    window: Window
    shops: list[ShopRefunds]
    every_month: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "window_days": self.window.days,
            "shops": [s.to_dict(self.every_month) for s in self.shops],
            "definitions": list(DEFINITIONS),
            "score_effect": SCORE_EFFECT[0],
        }


def _rows(con: Engine, sql: str, window: Window) -> list[dict[str, Any]]:
    cursor = con.execute(sql, window.params())
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def refund_retention(
    con: Engine,
    window: Window,
    shop_ids: list[str] | None = None,
    every_month: bool = False,
) -> RefundReport:
    """Refund retention of every shop with orders (or ``shop_ids``) at ``window``."""
    provided = provided_by_shop(con)
    shops: dict[str, ShopRefunds] = {}
    for (shop_id,) in con.execute(KNOWN_SHOPS).fetchall():
        if not shop_ids or shop_id in shop_ids:
            have = provided.get(shop_id, frozenset())
            shops[shop_id] = ShopRefunds(shop_id, all(n in have for n in NEEDS))

    def groups(shop: ShopRefunds, row: dict[str, Any]) -> list[RefundCounts]:
        return [
            shop.total,
            shop.by_reason.setdefault(row["reason"], RefundCounts()),
            shop.by_stage[row["stage"]],
            shop.by_month.setdefault(row["month"], RefundCounts()),
        ]

    for row in _rows(con, REFUND_COUNTS, window):
        shop = shops.get(row["shop_id"])
        if shop is None:
            continue
        for counts in groups(shop, row):
            counts.add(row)
        if row["reason"] in QUALITY_REASONS:
            shop.withdrawn_quality += row["withdrawn"]
    for row in _rows(con, REFUND_HANDLING, window):
        shop = shops.get(row["shop_id"])
        if shop is None:
            continue
        for counts in groups(shop, row):
            counts.handling_us.append(int(row["handling_us"]))
    warnings: list[str] = [
        Message(
            "shop_message",
            shop=s.shop_id,
            message=Message("refunds.not_provided", how=Message("provide.refund_requested_at")),
        )
        for s in shops.values()
        if not s.provided
    ]
    return RefundReport(window, list(shops.values()), every_month, warnings)
