"""Service → repurchase on the merchant's own customers: first-time customers grouped by
what their first order went through, their rr_Nd with Wilson intervals, and the same
pooled by score tier beside the platform's "2×" claim. Correlation, not cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from svc_cli.bootstrap import Interval, rate_interval, ratio_interval
from svc_cli.config import ModelConfig
from svc_cli.i18n import Message
from svc_cli.queries import CHATS_MATCHING_NO_ORDER, SERVICE_REPURCHASE_COUNTS
from svc_cli.window import Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

FLAGS = ("late_shipping", "unanswered_chat", "refund_requested", "refund_retained", "bad_review")

#: Groups (overlapping: a customer may be in several) and the input each one needs (§10).
GROUPS: dict[str, str | None] = {
    "all": None,
    "late_shipping": "shipped_at",
    "unanswered_chat": "chats",
    "refund_requested": "refund_requested_at",
    "refund_retained": "refund_status",
    "refund_not_retained": "refund_status",
    "bad_review": "reviews.order_id",
    "nothing_went_wrong": None,
}
TIER_ORDER = ("high", "ordinary", "low", "growth_stage", "no_data")
RATIOS = (("high", "low"), ("high", "ordinary"), ("ordinary", "low"))

CORRELATION = Message("correlation_not_cause")


def definitions(config: ModelConfig) -> list[Message]:
    b = config.bootstrap
    return [
        Message("service.def.first"),
        Message("service.def.groups", days=str(config.repeat.chat_days)),
        Message("service.def.rr"),
        Message(
            "service.def.intervals",
            confidence=f"{b.confidence:.0%}",
            resamples=str(b.resamples),
            seed=str(b.seed),
        ),
        Message("service.def.tiers"),
        CORRELATION,
    ]


@dataclass
class Cell:
    """Counts of one group at one horizon."""

    customers: int = 0
    eligible: int = 0
    repeated: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.customers += row["customers"]
        self.eligible += row["eligible"]
        self.repeated += row["repeated"]

    @property
    def rate(self) -> float | None:
        return float(Fraction(self.repeated, self.eligible)) if self.eligible else None


Counts = dict[str, dict[int, Cell]]  # group -> horizon -> cell


def _member(group: str, row: dict[str, Any], observable: set[str]) -> bool:
    if group == "all":
        return True
    if group == "nothing_went_wrong":
        return not any(row[f] for f in FLAGS if f in observable)
    if group not in observable:
        return False
    if group == "refund_not_retained":
        return bool(row["refund_requested"] and not row["refund_retained"])
    return bool(row[group])


def _observable(provided: frozenset[str]) -> set[str]:
    return {g for g, need in GROUPS.items() if need is None or need in provided}


def _row(scope: str, group: str, counts: dict[int, Cell], config: ModelConfig) -> dict[str, Any]:
    """A group's rates with their intervals (the same customers, the same interval in
    every row: a shop's and all shops')."""
    out: dict[str, Any] = {
        "scope": scope,
        "group": group,
        "customers": next(iter(counts.values())).customers if counts else 0,
    }
    for n, cell in counts.items():
        interval = rate_interval(cell.repeated, cell.eligible, config.bootstrap.confidence)
        out[f"eligible_{n}d"] = cell.eligible
        out[f"repeat_{n}d"] = cell.repeated
        out[f"rr_{n}d"] = cell.rate
        out[f"rr_{n}d_low"] = interval.low if interval else None
        out[f"rr_{n}d_high"] = interval.high if interval else None
    return out


@dataclass
class ServiceRepurchaseReport:
    window: Window
    config: ModelConfig
    groups: list[dict[str, Any]]  # pooled over the shops
    shops: list[dict[str, Any]]  # per shop: {"shop_id", "groups": [...]}
    tiers: list[dict[str, Any]]
    ratios: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)

    def claim(self) -> dict[str, Any]:
        ratio = self.config.good_service_ratio
        measured = next(
            (r for r in self.ratios if (r["top"], r["bottom"]) == ("high", "low")), None
        )
        return {
            "platform_ratio": ratio,
            "statement": Message("service.claim", ratio=f"{ratio:g}"),
            "measured": measured,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "window_days": self.window.days,
            "horizons": list(self.config.repeat.horizons),
            "groups": self.groups,
            "shops": self.shops,
            "tiers": self.tiers,
            "tier_ratios": self.ratios,
            "platform_claim": self.claim(),
            "correlation_not_cause": CORRELATION,
            "definitions": definitions(self.config),
        }


def group_counts(
    con: Engine,
    window: Window,
    config: ModelConfig,
    provided: dict[str, frozenset[str]],
) -> dict[str, Counts]:
    """Per shop, per group, per horizon: first-time customers, eligible, repeated."""
    out: dict[str, Counts] = {}
    for n in config.repeat.horizons:
        params = {
            "as_of": window.as_of,
            "last_day": window.last_day,
            "horizon": n,
            "chat_days": config.repeat.chat_days,
        }
        cursor = con.execute(SERVICE_REPURCHASE_COUNTS, params)
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            observable = _observable(provided.get(row["shop_id"], frozenset()))
            shop = out.setdefault(row["shop_id"], {})
            for group in GROUPS:
                cells = shop.setdefault(group, {})
                cell = cells.setdefault(n, Cell())
                if _member(group, row, observable):
                    cell.add(row)
    return out


def _pool(shops: list[Counts], horizons: tuple[int, ...]) -> Counts:
    pooled: Counts = {g: {n: Cell() for n in horizons} for g in GROUPS}
    for counts in shops:
        for group, cells in counts.items():
            for n, cell in cells.items():
                target = pooled[group][n]
                target.customers += cell.customers
                target.eligible += cell.eligible
                target.repeated += cell.repeated
    return pooled


def service_repurchase(
    con: Engine,
    window: Window,
    config: ModelConfig,
    provided: dict[str, frozenset[str]],
    tier_of: dict[str, str],
    shop_ids: list[str] | None = None,
) -> ServiceRepurchaseReport:
    """Groups pooled over the shops (and per shop), tiers pooled, and tier ratios."""
    horizons = config.repeat.horizons
    counts = {
        s: c
        for s, c in group_counts(con, window, config, provided).items()
        if not shop_ids or s in shop_ids
    }
    pooled = _pool(list(counts.values()), horizons)
    groups = [_row("all_shops", g, pooled[g], config) for g in GROUPS]
    shops = [
        {
            "shop_id": shop_id,
            "groups": [_row(shop_id, g, c[g], config) for g in GROUPS if g in c],
        }
        for shop_id, c in sorted(counts.items())
    ]
    by_tier: dict[str, list[Counts]] = {}
    for shop_id, c in counts.items():
        by_tier.setdefault(tier_of.get(shop_id, "no_data"), []).append(c)
    tier_counts = {t: _pool(members, horizons)["all"] for t, members in by_tier.items()}
    tiers = []
    for tier in sorted(tier_counts, key=lambda t: TIER_ORDER.index(t) if t in TIER_ORDER else 99):
        row = _row(tier, "all", tier_counts[tier], config)
        row["shops"] = len(by_tier[tier])
        tiers.append(row)
    ratios = []
    for top, bottom in RATIOS:
        if top not in tier_counts or bottom not in tier_counts:
            continue
        for n in horizons:
            a, b = tier_counts[top][n], tier_counts[bottom][n]
            ratio = (
                float(Fraction(a.repeated * b.eligible, a.eligible * b.repeated))
                if a.eligible and b.repeated
                else None
            )
            interval: Interval | None = ratio_interval(
                (a.repeated, a.eligible),
                (b.repeated, b.eligible),
                config.bootstrap,
                f"ratio/{top}/{bottom}/{n}",
            )
            ratios.append(
                {
                    "top": top,
                    "bottom": bottom,
                    "horizon_days": n,
                    "ratio": ratio,
                    "ratio_low": interval.low if interval else None,
                    "ratio_high": interval.high if interval else None,
                    "platform_ratio": config.good_service_ratio,
                    "platform_ratio_in_interval": interval.contains(config.good_service_ratio)
                    if interval
                    else None,
                }
            )
    warnings: list[str] = []
    for shop_id in sorted(counts):
        missing = [
            g
            for g, need in GROUPS.items()
            if need and need not in provided.get(shop_id, frozenset())
        ]
        if missing:
            warnings.append(
                Message(
                    "shop_message",
                    shop=shop_id,
                    message=Message("service.groups_not_provided", groups=missing),
                )
            )
    warnings += [
        Message("shop_message", shop=shop_id, message=Message("service.chats_match_no_order"))
        for (shop_id,) in con.execute(CHATS_MATCHING_NO_ORDER).fetchall()
        if shop_id in counts
    ]
    return ServiceRepurchaseReport(window, config, groups, shops, tiers, ratios, warnings)


def tier_cells(
    con: Engine,
    window: Window,
    config: ModelConfig,
    provided: dict[str, frozenset[str]],
    tier_of: dict[str, str],
    horizon: int,
) -> tuple[dict[str, tuple[Cell, int]], dict[str, Cell]]:
    """rr_{horizon}d counts of every first-time customer pooled per tier (with the number
    of shops), and per shop: what `svc simulate` projects repurchase from."""
    one = config._replace(repeat=config.repeat._replace(horizons=(horizon,)))
    per_shop = {s: c["all"][horizon] for s, c in group_counts(con, window, one, provided).items()}
    tiers: dict[str, tuple[Cell, int]] = {}
    for shop_id, cell in per_shop.items():
        tier = tier_of.get(shop_id, "no_data")
        pooled, shops = tiers.get(tier, (Cell(), 0))
        pooled = Cell(
            pooled.customers + cell.customers,
            pooled.eligible + cell.eligible,
            pooled.repeated + cell.repeated,
        )
        tiers[tier] = (pooled, shops + 1)
    return tiers, per_shop
