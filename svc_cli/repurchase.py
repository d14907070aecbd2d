"""Repurchase (复购) metrics per shop, by tier, and cohort matrices (spec §6, §9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from svc_cli.i18n import Message, label
from svc_cli.queries import COHORT_COUNTS, CUSTOMER_LIST, REPURCHASE_COUNTS
from svc_cli.window import Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

HORIZONS = (30, 90, 180, 365)

#: The definitions printed with every repurchase report (keys of ``svc_cli.i18n``).
DEFINITION_KEYS = ("def.valid", "def.repeat", "def.returning", "def.rr")
DEFINITIONS = tuple(label(key) for key in DEFINITION_KEYS)


def _rate(numerator: int, denominator: int) -> float | None:
    return float(Fraction(numerator, denominator)) if denominator else None


@dataclass
class ShopRepurchase:
    shop_id: str
    customers: int
    repeat_customers: int
    returning_customers: int
    eligible: dict[int, int]
    repeated: dict[int, int]
    valid_orders: int
    identified_orders: int
    reaches_back: bool  # a valid order paid at or before the window's start

    @property
    def customer_ids_available(self) -> bool:
        return self.identified_orders > 0 or self.valid_orders == 0

    @property
    def returning_rate(self) -> float | None:
        if not self.reaches_back:
            return None
        return _rate(self.returning_customers, self.customers)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "shop_id": self.shop_id,
            "customers": self.customers,
            "repeat_customers": self.repeat_customers,
            "repeat_purchase_rate": _rate(self.repeat_customers, self.customers),
            "returning_customer_rate": self.returning_rate,
        }
        for n in HORIZONS:
            out[f"rr_{n}d"] = _rate(self.repeated[n], self.eligible[n])
        for n in HORIZONS:  # each rr_Nd's base: the first-time customers observed N days
            out[f"eligible_{n}d"] = self.eligible[n]
        if not self.customer_ids_available:
            out["customers"] = out["repeat_customers"] = None
        return out


@dataclass
class RepurchaseReport:
    window: Window
    shops: list[ShopRepurchase]
    warnings: list[str] = field(default_factory=list)
    groups: list[dict[str, Any]] | None = None  # pooled by score tier
    cohorts: list[dict[str, Any]] | None = None  # tidy cohort cells
    customers: list[dict[str, Any]] | None = None  # only when asked: identifies buyers
    names: dict[str, str] = field(default_factory=dict)  # shop id -> name, for display

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "window_days": self.window.days,
            "shops": [s.to_dict() for s in self.shops],
            "definitions": list(DEFINITIONS),
        }
        if self.groups is not None:
            out["groups"] = self.groups
        if self.cohorts is not None:
            out["cohorts"] = self.cohorts
        if self.customers is not None:
            out["customers"] = self.customers
        return out


def repurchase(con: Engine, window: Window, shop_ids: list[str] | None = None) -> RepurchaseReport:
    """Repurchase metrics of every shop (growth stage or not) at ``window``."""
    params = {**window.params(), "last_day": window.last_day}
    cursor = con.execute(REPURCHASE_COUNTS, params)
    names = [d[0] for d in cursor.description]
    shops = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=False))
        if shop_ids and row["shop_id"] not in shop_ids:
            continue
        shops.append(
            ShopRepurchase(
                shop_id=row["shop_id"],
                customers=row["customers"],
                repeat_customers=row["repeat_customers"],
                returning_customers=row["returning_customers"],
                eligible={n: row[f"eligible_{n}d"] for n in HORIZONS},
                repeated={n: row[f"repeat_{n}d"] for n in HORIZONS},
                valid_orders=row["valid_orders"],
                identified_orders=row["identified_orders"],
                reaches_back=row["orders_before_w"] > 0,
            )
        )
    warnings: list[str] = [
        Message("shop_message", shop=s.shop_id, message=Message("masked_customers"))
        for s in shops
        if not s.customer_ids_available
    ]
    return RepurchaseReport(window, shops, warnings)


def by_group(report: RepurchaseReport, group_of: dict[str, str]) -> list[dict[str, Any]]:
    """Pool shops into groups (e.g. score tiers): rates are pooled counts, not averages."""
    groups: dict[str, list[ShopRepurchase]] = {}
    for shop in report.shops:
        if shop.customer_ids_available:
            groups.setdefault(group_of.get(shop.shop_id, "unknown"), []).append(shop)
    order = {name: i for i, name in enumerate(("high", "ordinary", "low", "growth_stage"))}
    rows = []
    for name, members in sorted(groups.items(), key=lambda g: (order.get(g[0], 99), g[0])):
        customers = sum(s.customers for s in members)
        repeat = sum(s.repeat_customers for s in members)
        row: dict[str, Any] = {
            "group": name,
            "shops": len(members),
            "customers": customers,
            "repeat_customers": repeat,
            "repeat_purchase_rate": _rate(repeat, customers),
            "returning_customer_rate": _rate(
                sum(s.returning_customers for s in members if s.reaches_back),
                sum(s.customers for s in members if s.reaches_back),
            ),
        }
        eligible = {n: sum(s.eligible[n] for s in members) for n in HORIZONS}
        for n in HORIZONS:
            row[f"rr_{n}d"] = _rate(sum(s.repeated[n] for s in members), eligible[n])
        row |= {f"eligible_{n}d": eligible[n] for n in HORIZONS}
        rows.append(row)
    return rows


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def cohorts(con: Engine, window: Window, shop_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Tidy cohort cells: shop, cohort month, k, cohort size, active customers, share.

    Month 0 is the first-order month (share 1.0). A cell is observed once its calendar
    month has begun by the last observed day; later cells are null (not 0).
    """
    rows = con.execute(COHORT_COUNTS, {"as_of": window.as_of}).fetchall()
    sizes: dict[tuple[str, date], int] = {}
    active: dict[tuple[str, date, int], int] = {}
    for shop_id, cohort, k, customers in rows:
        if shop_ids and shop_id not in shop_ids:
            continue
        if k == 0:
            sizes[(shop_id, cohort)] = customers
        active[(shop_id, cohort, k)] = customers
    last_month = _month_index(window.last_day)
    cells = []
    for (shop_id, cohort), size in sorted(sizes.items()):
        for k in range(0, last_month - _month_index(cohort) + 1):
            count = active.get((shop_id, cohort, k), 0)
            cells.append(
                {
                    "shop_id": shop_id,
                    "cohort": cohort.strftime("%Y-%m"),
                    "month": k,
                    "cohort_customers": size,
                    "active_customers": count,
                    "share": _rate(count, size),
                }
            )
    return cells


def customer_list(
    con: Engine, window: Window, shop_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Each customer ordering in the window: first order day and order days in it, repeat."""
    cursor = con.execute(CUSTOMER_LIST, window.params())
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [r for r in rows if not shop_ids or r["shop_id"] in shop_ids]
