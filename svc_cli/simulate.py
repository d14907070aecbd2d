"""What-if (spec §7): re-score a shop after added services or changed indicator values,
find the cheapest ways to reach the high tier, and estimate its repurchase rate when its
tier changes."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from svc_cli.bootstrap import ratio_interval
from svc_cli.config import ModelConfig
from svc_cli.coverage import provided_by_shop
from svc_cli.errors import UsageError
from svc_cli.i18n import Message, Verbatim, listed
from svc_cli.plan import Fixable, Plan, with_fixes
from svc_cli.score_report import ScoreReport
from svc_cli.scoring import Benchmark, ShopInputs, ShopScore, score_shop
from svc_cli.service_repurchase import tier_cells

if TYPE_CHECKING:
    from svc_cli.engines import Engine


@dataclass(frozen=True)
class Change:
    """One hypothetical change: ``kind`` is add_service, set, improve or fix (fix
    ``amount`` whole events of the indicator, spec §14)."""

    kind: str
    target: str
    amount: float | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "add_service":
            return {"add_service": self.target}
        if self.kind == "set":
            return {"set": self.target, "value": self.amount}
        if self.kind == "fix":
            return {"fix": self.target, "events": int(self.amount or 0)}
        return {"improve": self.target, "percent": self.amount}

    def describe(self) -> str:
        if self.kind == "add_service":
            return f"add service {self.target}"
        if self.kind == "set":
            return f"set {self.target} = {self.amount:g}"
        if self.kind == "fix":
            return f"fix {int(self.amount or 0)} {self.target} event(s)"
        return f"improve {self.target} by {self.amount:g}%"


def parse_assignment(text: str, option: str) -> tuple[str, float]:
    """``NAME=NUMBER`` from --set / --improve (a trailing % is allowed)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise UsageError(
            Message("error.expected_assignment", option=option, text=Verbatim(repr(text))),
            Message("hint.expected_assignment", option=option),
        )
    try:
        value = float(raw.strip().rstrip("%"))
    except ValueError as exc:
        raise UsageError(
            Message(
                "error.not_a_number",
                option=option,
                text=Verbatim(repr(text)),
                value=Verbatim(repr(raw)),
            )
        ) from exc
    if not math.isfinite(value):
        raise UsageError(Message("error.not_finite", option=option, text=Verbatim(repr(text))))
    return name.strip(), value


def _check_indicator(name: str, config: ModelConfig) -> None:
    if name not in config.indicators:
        raise UsageError(
            Message("error.unknown_indicator", name=Verbatim(repr(name))),
            Message("hint.indicators", names=listed(config.indicators)),
        )


def parse_fix(text: str) -> Change:
    """``INDICATOR=K`` from --fix: K whole events of the indicator fixed."""
    name, value = parse_assignment(text, "--fix")
    if value != int(value) or value < 0:
        raise UsageError(Message("error.fix_not_whole", text=Verbatim(repr(text))))
    return Change("fix", name, float(int(value)))


def apply_change(
    shop: ShopInputs,
    change: Change,
    config: ModelConfig,
    fixables: dict[str, Fixable] | None = None,
) -> ShopInputs:
    """The shop's inputs after one change; impossible changes raise UsageError.

    A fix needs the shop's ``fixables`` (``plan.load_fixables``)."""
    if change.kind == "fix":
        _check_indicator(change.target, config)
        return with_fixes(shop, {change.target: int(change.amount or 0)}, fixables or {})
    if change.kind == "add_service":
        service = config.services.get(change.target)
        if service is None:
            raise UsageError(
                Message("error.unknown_service", name=Verbatim(repr(change.target))),
                Message(
                    "hint.services_for",
                    industry=shop.industry,
                    services=listed(s.id for s in config.services_for(shop.industry)),
                ),
            )
        if not service.counts_for(shop.industry):
            raise UsageError(
                Message(
                    "error.service_other_industry",
                    service=Verbatim(change.target),
                    zh=Verbatim(service.zh),
                    industry=Verbatim(service.industry),
                    shop=Verbatim(shop.shop_id),
                    shop_industry=Verbatim(shop.industry),
                ),
                Message(
                    "hint.services_for_shop",
                    services=[Verbatim(s.id) for s in config.services_for(shop.industry)],
                ),
            )
        if change.target in shop.services:
            raise UsageError(
                Message(
                    "error.already_offers",
                    shop=Verbatim(shop.shop_id),
                    service=Verbatim(change.target),
                )
            )
        return replace(shop, services=(*shop.services, change.target))
    _check_indicator(change.target, config)
    indicator = config.indicators[change.target]
    current = shop.values.get(change.target)
    assert change.amount is not None
    if change.kind == "set":
        value = change.amount
    else:
        if current is None:
            raise UsageError(
                Message(
                    "error.cannot_improve",
                    indicator=Verbatim(change.target),
                    shop=Verbatim(shop.shop_id),
                ),
                Message("hint.set_instead", indicator=Verbatim(change.target)),
            )
        if not 0 < change.amount <= 100:
            raise UsageError(
                Message(
                    "error.improve_percent",
                    indicator=Verbatim(change.target),
                    percent=Verbatim(f"{change.amount:g}"),
                )
            )
        factor = change.amount / 100
        value = (
            min(1.0, current * (1 + factor))
            if indicator.higher_is_better
            else current * (1 - factor)
        )
    if value < 0 or (indicator.unit == "rate" and value > 1):
        raise UsageError(
            Message(
                "error.impossible_value",
                value=Verbatim(f"{value:g}"),
                indicator=Verbatim(change.target),
                limits=Message("limits.rate" if indicator.unit == "rate" else "limits.hours"),
            )
        )
    return replace(shop, values={**shop.values, change.target: value})


@dataclass
class Simulation:
    shop_id: str
    changes: list[Change]
    before: ShopScore
    after: ShopScore
    target: float
    paths: list[dict[str, Any]] = field(default_factory=list)
    repurchase_estimate: dict[str, Any] | None = None
    #: ``svc plan`` to the same target from the data before the changes (whole events),
    #: shown under the ways (which change rates); not part of the JSON
    plan: Plan | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "shop_id": self.shop_id,
            "changes": [c.to_dict() for c in self.changes],
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "paths_to_target": {"target": self.target, "paths": self.paths},
            "repurchase_estimate": self.repurchase_estimate,
        }


def _round_needed(value: float, higher_is_better: bool, unit: str) -> float:
    """A presentable value at least as good as ``value``."""
    scale = 10_000 if unit == "rate" else 10
    return (math.ceil(value * scale) if higher_is_better else math.floor(value * scale)) / scale


def _needed_value(
    shop: ShopInputs,
    name: str,
    config: ModelConfig,
    benchmark: Benchmark,
    report: ScoreReport,
    target: float,
) -> float | None:
    """The least change of one indicator that alone lifts the rounded score to ``target``."""
    indicator = config.indicators[name]
    current = shop.values.get(name)
    if current is None:
        return None
    best = max(indicator.anchors, key=lambda a: a[1])[0]
    if (best - current) * (1 if indicator.higher_is_better else -1) <= 0:
        return None  # already at the best anchor

    def reaches(v: float) -> bool:
        trial = replace(shop, values={**shop.values, name: v})
        s = score_shop(trial, config, benchmark, report.window.start, report.window.as_of)
        return s.score is not None and s.score >= target

    if not reaches(best):
        return None
    lo, hi = current, best  # reaches(hi) is True
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if reaches(mid) else (mid, hi)
    needed = _round_needed(hi, indicator.higher_is_better, indicator.unit)
    return needed if reaches(needed) else hi


def paths_to_target(
    shop: ShopInputs,
    config: ModelConfig,
    benchmark: Benchmark,
    report: ScoreReport,
    target: float,
) -> list[dict[str, Any]]:
    """Ways to reach ``target``, cheapest first.

    Special services are the cheapest lever (a policy, not an operational change), so
    the smallest set of services that suffices leads. Then, for each indicator, the value
    it would need on its own; when services alone cannot reach the target, also the value
    it would need with every available service added.
    """

    def rescore(inputs: ShopInputs) -> ShopScore:
        return score_shop(inputs, config, benchmark, report.window.start, report.window.as_of)

    current = rescore(shop)
    if current.score is None or current.score >= target:
        return []
    paths: list[dict[str, Any]] = []
    available = [s for s in config.services_for(shop.industry) if s.id not in shop.services]
    for size in range(1, len(available) + 1):
        combos = sorted(
            itertools.combinations(available, size), key=lambda c: sum(s.points for s in c)
        )
        for combo in combos:
            reached = rescore(replace(shop, services=(*shop.services, *(s.id for s in combo))))
            if reached.score is not None and reached.score >= target:
                paths.append(
                    {"changes": [{"add_service": x.id} for x in combo], "score": reached.score}
                )
                break
        if paths:
            break
    bases: list[tuple[ShopInputs, list[dict[str, Any]]]] = [(shop, [])]
    if not paths and available:
        with_all = replace(shop, services=(*shop.services, *(s.id for s in available)))
        bases.append((with_all, [{"add_service": s.id} for s in available]))
    for base, service_changes in bases:
        for name in config.indicators:
            needed = _needed_value(base, name, config, benchmark, report, target)
            if needed is None:
                continue
            reached = rescore(replace(base, values={**base.values, name: needed}))
            change = {"set": name, "value": needed, "from": base.values[name]}
            paths.append({"changes": [*service_changes, change], "score": reached.score})
    return paths


def simulate(
    report: ScoreReport,
    inputs: ShopInputs,
    changes: list[Change],
    target: float | None = None,
    fixables: dict[str, Fixable] | None = None,
) -> Simulation:
    """Before/after scores of one shop under ``changes`` (scored with ``report``'s model),
    with the report's warnings about the shop; notes about the whole report (a window
    without any order) go in its before/after notes too."""
    config, benchmark = report.config, report.benchmark
    fixed = [c.target for c in changes if c.kind == "fix"]
    if len(set(fixed)) < len(fixed):
        raise UsageError(Message("error.fix_twice"))
    after_inputs = inputs
    for change in changes:
        after_inputs = apply_change(after_inputs, change, config, fixables)
    window = report.window
    before = score_shop(inputs, config, benchmark, window.start, window.as_of)
    after = score_shop(after_inputs, config, benchmark, window.start, window.as_of)
    goal = config.tier_high if target is None else target
    paths = paths_to_target(after_inputs, config, benchmark, report, goal)
    for note in report.notes:
        for shop in (before, after):
            if note not in shop.notes:
                shop.notes.append(note)
    sim = Simulation(inputs.shop_id, changes, before, after, goal, paths)
    sim.warnings = report.shop_warnings(inputs.shop_id)
    return sim


TierRates = dict[str, tuple[float | None, int]]  # tier -> (pooled rate, shops)
#: (to tier, from tier) -> bootstrap interval of the ratio of their pooled rates
RatioIntervals = dict[tuple[str, str], tuple[float, float] | None]


def project_repurchase(
    sim: Simulation,
    shop_rate: float | None,
    tier_rates: TierRates,
    config: ModelConfig,
    intervals: RatioIntervals | None = None,
    metric: str = "repeat_purchase_rate",
) -> dict[str, Any] | None:
    """An estimate (never part of the score) of the shop's repurchase rate (``metric``)
    after a tier change: its own rate times the ratio measured between the two tiers in
    this data, with the ratio's interval when given; None when the tier does not change."""
    before, after = sim.before, sim.after
    if before.tier is None or after.tier is None or before.tier == after.tier:
        return None
    estimate: dict[str, Any] = {
        "estimate": True,
        "metric": metric,
        "from_tier": before.tier,
        "to_tier": after.tier,
        "current_rate": shop_rate,
        "ratio": None,
        "ratio_low": None,
        "ratio_high": None,
        "projected_rate": None,
        "projected_low": None,
        "projected_high": None,
    }
    b_rate, b_shops = tier_rates.get(before.tier, (None, 0))
    a_rate, a_shops = tier_rates.get(after.tier, (None, 0))
    enough = min(b_shops, a_shops) >= config.projection_min_shops
    if enough and b_rate and a_rate is not None:
        estimate["ratio"] = a_rate / b_rate
        interval = (intervals or {}).get((after.tier, before.tier))
        if interval is not None:
            estimate["ratio_low"], estimate["ratio_high"] = interval
        estimate["source"] = Message(
            "estimate.tiers",
            metric=metric,
            after_tier=after.tier,
            after_rate=f"{a_rate:.1%}",
            after_shops=str(a_shops),
            before_tier=before.tier,
            before_rate=f"{b_rate:.1%}",
            before_shops=str(b_shops),
        )
    elif before.tier == "low" and after.badge_eligible:
        estimate["ratio"] = config.good_service_ratio
        estimate["source"] = Message("estimate.published", ratio=f"{config.good_service_ratio:g}")
    else:
        estimate["source"] = Message("estimate.none", shops=str(config.projection_min_shops))
    if estimate["ratio"] is not None and shop_rate is not None:
        estimate["projected_rate"] = min(1.0, shop_rate * estimate["ratio"])
        if estimate["ratio_low"] is not None:
            estimate["projected_low"] = min(1.0, shop_rate * estimate["ratio_low"])
            estimate["projected_high"] = min(1.0, shop_rate * estimate["ratio_high"])
    return estimate


def estimate_repurchase(con: Engine, report: ScoreReport, sim: Simulation) -> dict[str, Any] | None:
    """The repurchase projection of a tier change (``project_repurchase``): the shop's own
    rr_Nd (N = the first service-repurchase horizon) times the ratio between the tiers'
    pooled rr_Nd in this data (every shop of ``report`` in its tier), with its bootstrap
    interval (as `svc report service-repurchase` measures it). None when the tier does
    not change."""
    before, after = sim.before.tier, sim.after.tier
    if before is None or after is None or before == after:
        return None
    config, window = report.config, report.window
    n = config.repeat.horizons[0]
    tiers = {s.shop_id: s.tier or s.status for s in report.shops}
    cells, per_shop = tier_cells(con, window, config, provided_by_shop(con), tiers, n)
    intervals: RatioIntervals = {}
    if before in cells and after in cells:
        a, b = cells[after][0], cells[before][0]
        found = ratio_interval(
            (a.repeated, a.eligible),
            (b.repeated, b.eligible),
            config.bootstrap,
            f"ratio/{after}/{before}/{n}",
        )
        intervals[(after, before)] = (found.low, found.high) if found else None
    own = per_shop.get(sim.shop_id)
    return project_repurchase(
        sim,
        own.rate if own else None,
        {t: (cell.rate, shops) for t, (cell, shops) in cells.items()},
        config,
        intervals,
        f"rr_{n}d",
    )
