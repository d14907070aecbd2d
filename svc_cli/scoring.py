"""Indicator values → sub-scores → dimensions → base + add-on → score, tier, stars, badge.

Pure Python over one small record per shop (spec §3–§5); the row-level work happened in
SQL (``queries.INDICATOR_COUNTS``). ``simulate`` reuses everything here on modified inputs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from svc_cli.config import Anchors, ModelConfig
from svc_cli.coverage import missing_inputs, missing_reason
from svc_cli.i18n import Message

GROWTH_STAGE = "growth_stage"
NO_DATA = "no_data"
SCORED = "scored"
US_PER_HOUR = 3_600_000_000


@dataclass(frozen=True)
class ShopInputs:
    """Everything the score of one shop depends on: what ``simulate`` changes."""

    shop_id: str
    industry: str
    services: tuple[str, ...]  # as listed for the shop (some may not count)
    valid_orders: int
    values: dict[str, float | None]  # indicator -> value (None: not assessed)
    delivery_share: float | None  # same/next-day delivery share (add-on points)
    reasons: dict[str, str] = field(default_factory=dict)  # why an indicator has no value
    provided: frozenset[str] = frozenset()  # inputs provided for the shop (spec §10)
    counts: dict[str, int] = field(default_factory=dict)  # the SQL counts behind the values


@dataclass
class IndicatorScore:
    name: str
    value: float | None
    score: float | None
    weight: float
    effective_weight: float | None
    overall_weight: float | None
    assessed: bool
    reason: str | None = None  # why it is not assessed

    @property
    def points_lost(self) -> float:
        """Score points this indicator costs versus a perfect 5.0."""
        if self.score is None or not self.overall_weight:
            return 0.0
        return self.overall_weight * (5.0 - self.score)


@dataclass
class DimensionScore:
    name: str
    score: float | None
    weight: float
    effective_weight: float | None
    assessed: bool


@dataclass
class ShopScore:
    shop_id: str
    industry: str
    services: tuple[str, ...]
    counting_services: tuple[str, ...]
    window_start: datetime
    window_end: datetime
    valid_orders: int
    status: str
    score: float | None
    raw_score: float | None
    base_score: float | None
    addon: float | None
    service_points: float | None
    delivery_points: float | None
    tier: str | None
    stars: float | None
    badge_eligible: bool
    dimensions: dict[str, DimensionScore]
    indicators: dict[str, IndicatorScore]
    delivery_share: float | None
    benchmark: str = "thresholds"
    notes: list[str] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)  # needed, not provided (§10)

    @property
    def assessed_count(self) -> int:
        return sum(1 for i in self.indicators.values() if i.assessed)

    def coverage_warning(self) -> Message | None:
        """Why a shop is scored on fewer than all indicators (spec §10): the inputs not
        provided, and the indicators without events in the window."""
        if self.status == GROWTH_STAGE or self.assessed_count == len(self.indicators):
            return None
        parts = [
            Message(
                "coverage_assessed",
                assessed=str(self.assessed_count),
                total=str(len(self.indicators)),
            )
        ]
        if self.missing_inputs:
            parts.append(Message("coverage_not_provided", inputs=list(self.missing_inputs)))
        no_events = [
            i.name for i in self.indicators.values() if i.reason and "not provided" not in i.reason
        ]
        if no_events:
            parts.append(Message("coverage_no_events", indicators=no_events))
        return Message("clauses", parts=parts)

    def biggest_loss(self) -> IndicatorScore | None:
        """The assessed indicator that costs the most points (the diagnosis)."""
        lossy = [i for i in self.indicators.values() if i.points_lost > 0]
        return max(lossy, key=lambda i: i.points_lost) if lossy else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of spec §8 (plus informational fields)."""
        fmt = "%Y-%m-%d %H:%M:%S"
        out: dict[str, Any] = {
            "shop_id": self.shop_id,
            "industry": self.industry,
            "status": self.status,
            "valid_orders_in_window": self.valid_orders,
            "score": self.score,
            "raw_score": self.raw_score,
            "base_score": self.base_score,
            "addon": self.addon,
            "service_points": self.service_points,
            "delivery_points": self.delivery_points,
            "tier": self.tier,
            "stars": self.stars,
            "badge_eligible": self.badge_eligible,
            "assessed_indicators": self.assessed_count,
            "indicator_count": len(self.indicators),
            "services": list(self.services),
            "counting_services": list(self.counting_services),
            "window": {
                "start": self.window_start.strftime(fmt),
                "end": self.window_end.strftime(fmt),
            },
            "dimensions": {
                d.name: {
                    "score": d.score,
                    "weight": d.weight,
                    "effective_weight": d.effective_weight,
                    "assessed": d.assessed,
                }
                for d in self.dimensions.values()
            },
            "indicators": {
                i.name: {
                    "value": i.value,
                    "score": i.score,
                    "weight": i.weight,
                    "effective_weight": i.effective_weight,
                    "overall_weight": i.overall_weight,
                    "assessed": i.assessed,
                    "reason": i.reason,
                }
                for i in self.indicators.values()
            },
            "delivery_share": self.delivery_share,
            "benchmark": self.benchmark,
            "missing_inputs": list(self.missing_inputs),
            "notes": list(self.notes),
        }
        loss = self.biggest_loss()
        out["diagnosis"] = (
            {"indicator": loss.name, "points_lost": loss.points_lost} if loss else None
        )
        return out


def _ratio(numerator: int, denominator: int) -> float | None:
    return float(Fraction(int(numerator), int(denominator))) if denominator else None


def _hours(total_us: int, count: int) -> float | None:
    return float(Fraction(int(total_us), int(count) * US_PER_HOUR)) if count else None


#: Why an indicator has no value when its inputs were provided: its denominator is zero.
NO_EVENTS = {
    name: Message(f"no_events.{name}")
    for name in (
        "neg_feedback_rate",
        "good_review_rate",
        "pickup_48h_rate",
        "delivery_hours",
        "refund_hours",
        "help_rate",
        "response_3min_rate",
        "satisfaction_rate",
    )
}


def inputs_from_counts(row: dict[str, Any], provided: frozenset[str]) -> ShopInputs:
    """Indicator values of one shop from the counts of ``queries.INDICATOR_COUNTS``; an
    indicator whose inputs were not ``provided`` (spec §10) has none, whatever the counts."""
    counted = {
        "neg_feedback_rate": _ratio(row["negative_orders"], row["delivered_orders"]),
        "good_review_rate": _ratio(row["good_reviews"], row["reviews"]),
        "pickup_48h_rate": _ratio(row["pickup_on_time"], row["pickup_due"]),
        "delivery_hours": _hours(row["delivery_us"], row["timed_deliveries"]),
        "refund_hours": _hours(row["refund_us"], row["completed_refunds"]),
        "help_rate": _ratio(row["escalated_orders"], row["valid_orders"]),
        "response_3min_rate": _ratio(row["fast_responses"], row["chat_sessions"]),
        "satisfaction_rate": _ratio(row["satisfied_sessions"], row["rated_sessions"]),
    }
    values: dict[str, float | None] = {}
    reasons: dict[str, str] = {}  # Message: translatable
    for name, value in counted.items():
        reason = missing_reason(name, provided) or (NO_EVENTS[name] if value is None else None)
        values[name] = None if reason else value
        if reason:
            reasons[name] = reason
    return ShopInputs(
        shop_id=row["shop_id"],
        industry=row["industry"],
        services=tuple(row["services"] or ()),
        valid_orders=int(row["valid_orders"]),
        values=values,
        delivery_share=_ratio(row["fast_deliveries"], row["timed_deliveries"])
        if "delivered_at" in provided
        else None,
        reasons=reasons,
        provided=provided,
        counts={k: int(v) for k, v in row.items() if isinstance(v, int)},
    )


def interpolate(x: float, anchors: Anchors) -> float:
    """Piecewise-linear interpolation through (x, y) anchors sorted by x, clamped at the ends."""
    if x <= anchors[0][0]:
        return anchors[0][1]
    if x >= anchors[-1][0]:
        return anchors[-1][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(anchors):
        if x0 <= x <= x1:
            return y0 + (x - x0) * (y1 - y0) / (x1 - x0)
    raise AssertionError("unreachable")  # pragma: no cover


def round_half_up(x: float, places: int = 2) -> float:
    """Round half up on the decimal value (float noise below 1e-10 is ignored first)."""
    snapped = Decimal(x).quantize(Decimal("1e-10"))
    return float(snapped.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def stars_for(score: float) -> float:
    return float((Decimal(repr(score)) * 2).to_integral_value(rounding=ROUND_FLOOR) / 2)


def tier_for(score: float, config: ModelConfig) -> str:
    if score >= config.tier_high:
        return "high"
    if score >= config.tier_ordinary:
        return "ordinary"
    return "low"


class Benchmark:
    """Maps an indicator value to a sub-score: fixed thresholds (default)."""

    name = "thresholds"

    def __init__(self, config: ModelConfig) -> None:
        self.config = config

    def warnings(self, industries: set[str]) -> list[str]:
        """What a report about shops of these industries should warn about."""
        return []

    def sub_score(self, shop: ShopInputs, indicator: str, value: float) -> float:
        return interpolate(value, self.config.anchors_for(indicator, shop.industry))

    def used_for(self, industry: str) -> str:
        """The benchmark a shop of ``industry`` is scored by."""
        return self.name


class PeerBenchmark(Benchmark):
    """Sub-score from the share of same-industry peers a shop beats (spec §4, §9)."""

    name = "peers"

    def __init__(self, config: ModelConfig, shops: list[ShopInputs]) -> None:
        super().__init__(config)
        ranked = [s for s in shops if s.valid_orders >= config.growth_min_orders]
        self.peers: dict[str, list[ShopInputs]] = {}
        for shop in ranked:
            self.peers.setdefault(shop.industry, []).append(shop)

    def warnings(self, industries: set[str]) -> list[str]:
        return [
            Message(
                "peers_fallback",
                industry=industry,
                count=str(len(self.peers.get(industry, []))),
                min=str(self.config.peer_min_shops),
            )
            for industry in sorted(industries)
            if not self.uses_peers(industry)
        ]

    def uses_peers(self, industry: str) -> bool:
        return len(self.peers.get(industry, [])) >= self.config.peer_min_shops

    def used_for(self, industry: str) -> str:
        return self.name if self.uses_peers(industry) else super().name

    def sub_score(self, shop: ShopInputs, indicator: str, value: float) -> float:
        if not self.uses_peers(shop.industry):
            return super().sub_score(shop, indicator, value)
        higher = self.config.indicators[indicator].higher_is_better
        peers = (
            p.values[indicator] for p in self.peers[shop.industry] if p.shop_id != shop.shop_id
        )
        others = [v for v in peers if v is not None]
        if not others:
            return super().sub_score(shop, indicator, value)
        worse = sum(1 for v in others if (v < value if higher else v > value))
        tied = sum(1 for v in others if v == value)
        return interpolate((worse + 0.5 * tied) / len(others), self.config.peer_anchors)


def score_shop(
    shop: ShopInputs,
    config: ModelConfig,
    benchmark: Benchmark,
    window_start: datetime,
    window_end: datetime,
) -> ShopScore:
    """Score one shop (spec §3–§5)."""
    counting = tuple(
        s
        for s in shop.services
        if s in config.services and config.services[s].counts_for(shop.industry)
    )
    notes: list[str] = [
        Message("service_ignored", service=s, industry=shop.industry)
        for s in shop.services
        if s not in counting
    ]
    growth = shop.valid_orders < config.growth_min_orders
    indicators: dict[str, IndicatorScore] = {}
    dimensions: dict[str, DimensionScore] = {}
    for dim, dim_weight in config.dimensions.items():
        members = [i for i in config.indicators.values() if i.dimension == dim]
        assessed_weight = sum(i.weight for i in members if shop.values.get(i.name) is not None)
        for ind in members:
            value = shop.values.get(ind.name)
            assessed = value is not None
            if growth:
                sub, eff = None, None
            elif value is not None:
                sub = benchmark.sub_score(shop, ind.name, value)
                eff = ind.weight / assessed_weight
            else:
                sub, eff = None, 0.0
            reason = None if assessed else shop.reasons.get(ind.name, "no value")
            indicators[ind.name] = IndicatorScore(
                ind.name, value, sub, ind.weight, eff, None, assessed, reason
            )
        dim_assessed = assessed_weight > 0 and not growth
        weighted = [
            (s.score, s.effective_weight)
            for s in (indicators[i.name] for i in members)
            if s.score is not None and s.effective_weight is not None
        ]
        dim_score = sum(score * weight for score, weight in weighted) if dim_assessed else None
        dimensions[dim] = DimensionScore(dim, dim_score, dim_weight, None, dim_assessed)

    common: dict[str, Any] = dict(
        shop_id=shop.shop_id,
        industry=shop.industry,
        services=shop.services,
        counting_services=counting,
        window_start=window_start,
        window_end=window_end,
        valid_orders=shop.valid_orders,
        dimensions=dimensions,
        indicators=indicators,
        delivery_share=shop.delivery_share,
        benchmark=benchmark.used_for(shop.industry),
        notes=notes,
        missing_inputs=list(
            dict.fromkeys(
                m
                for name, ind in indicators.items()
                if not ind.assessed
                for m in missing_inputs(name, shop.provided)
            )
        ),
    )
    total_assessed = sum(d.weight for d in dimensions.values() if d.assessed)
    if growth:
        notes.append(
            Message("growth_note", orders=str(shop.valid_orders), min=str(config.growth_min_orders))
        )
    if growth or total_assessed == 0:
        if not growth:
            notes.append(Message("no_data_note"))
        return ShopScore(
            status=GROWTH_STAGE if growth else NO_DATA,
            score=None,
            raw_score=None,
            base_score=None,
            addon=None,
            service_points=None,
            delivery_points=None,
            tier=None,
            stars=None,
            badge_eligible=False,
            **common,
        )  # type: ignore[arg-type]

    base = 0.0
    for d in dimensions.values():
        d.effective_weight = d.weight / total_assessed if d.assessed else 0.0
        if d.assessed:
            base += d.score * d.effective_weight  # type: ignore[operator]
    for i in indicators.values():
        dim_eff = dimensions[config.indicators[i.name].dimension].effective_weight or 0.0
        i.overall_weight = (i.effective_weight or 0.0) * dim_eff

    service_points = round(sum(config.services[s].points for s in counting), 10)
    delivery_points = 0.0
    if config.delivery_points_enabled and shop.delivery_share is not None:
        for threshold, points in config.delivery_points:
            if shop.delivery_share >= threshold:
                delivery_points = points
    addon = round(min(config.addon_cap, service_points + delivery_points), 10)
    raw = min(5.0, base + addon)
    score = round_half_up(raw)
    return ShopScore(
        status=SCORED,
        score=score,
        raw_score=raw,
        base_score=base,
        addon=addon,
        service_points=service_points,
        delivery_points=delivery_points,
        tier=tier_for(score, config),
        stars=stars_for(score),
        badge_eligible=score > config.badge_min_score and bool(counting),
        **common,  # type: ignore[arg-type]
    )
