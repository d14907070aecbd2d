"""Plan (spec §14): the cheapest set of whole-event fixes and special services that lifts
a shop's rounded score to a target.

Fixing k events of an indicator changes its value in closed form (the numerator, or the
hours, of §3; denominators unchanged), see ``Fixable``. Every candidate is scored with
``scoring.score_shop`` — there is no second scoring path — and the search is exact:

* the score is the base (a weighted sum of sub-scores with weights fixed by the assessed
  set, which fixing does not change) plus the add-on (services only), and each sub-score
  grows with the number of events fixed;
* per indicator, every k from 0 to the first k that earns its best reachable sub-score
  is a candidate; the candidates of all indicators are merged keeping the Pareto front
  of (cost then events, base gain) — a dropped combination is never cheaper (or as
  cheap with fewer events) and never higher;
* for each subset of the candidate services the cheapest front point that reaches the
  target is taken; ties go to fewer services, then fewer events; the winner is checked
  with ``score_shop`` (candidates are tried in order until one passes).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from svc_cli.config import ModelConfig, Service
from svc_cli.diagnose import HOURS_INDICATORS, Event, best_anchor, fetch_events
from svc_cli.errors import UsageError
from svc_cli.i18n import Message, Verbatim
from svc_cli.scoring import SCORED, Benchmark, ShopInputs, ShopScore, _hours, _ratio, score_shop
from svc_cli.window import TIMESTAMP_FORMAT, Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

#: Per indicator: (numerator count, denominator count, +1 when a fix adds to the
#: numerator, -1 when it removes one from it, 0 for hours: a fix removes the excess).
FORMS: dict[str, tuple[str, str, int]] = {
    "neg_feedback_rate": ("negative_orders", "delivered_orders", -1),
    "good_review_rate": ("good_reviews", "reviews", +1),
    "pickup_48h_rate": ("pickup_on_time", "pickup_due", +1),
    "delivery_hours": ("delivery_us", "timed_deliveries", 0),
    "refund_hours": ("refund_us", "completed_refunds", 0),
    "help_rate": ("escalated_orders", "valid_orders", -1),
    "response_3min_rate": ("fast_responses", "chat_sessions", +1),
    "satisfaction_rate": ("satisfied_sessions", "rated_sessions", +1),
}

#: Slack for float noise when picking candidates; each is confirmed by score_shop.
EPSILON = 1e-9


@dataclass(frozen=True)
class Fixable:
    """The events of one assessed indicator in fixing order, and its value after k fixes.

    Rates: the numerator moves by k, the denominator stays. Hours: each fixed event is
    brought down to the 5.0 anchor (its excess removed), largest excess first."""

    indicator: str
    events: tuple[Event, ...]
    numerator: int  # count, or total microseconds for hours
    denominator: int
    sign: int
    _removed: tuple[int, ...] = field(default=(), repr=False)  # cumulative excess (hours)

    @classmethod
    def build(cls, indicator: str, events: list[Event], counts: dict[str, int]) -> Fixable:
        num, den, sign = FORMS[indicator]
        if sign == 0:
            order = sorted(events, key=lambda e: (-e.excess_us, e.id))
            removed = tuple(itertools.accumulate((e.excess_us for e in order), initial=0))
        else:  # the events that would stay in the window longest first
            order = sorted(events, key=lambda e: (e.leaves_window_at, e.id), reverse=True)
            removed = ()
        return cls(indicator, tuple(order), counts[num], counts[den], sign, removed)

    @property
    def size(self) -> int:
        return len(self.events)

    def value(self, k: int) -> float | None:
        if not 0 <= k <= self.size:
            raise UsageError(
                Message(
                    "error.fix_too_many",
                    indicator=Verbatim(self.indicator),
                    k=Verbatim(str(k)),
                    size=Verbatim(str(self.size)),
                ),
                Message("hint.see_diagnose"),
            )
        if self.sign == 0:
            return _hours(self.numerator - self._removed[k], self.denominator)
        return _ratio(self.numerator + self.sign * k, self.denominator)


def fixables_for(
    shop: ShopInputs, events: dict[str, list[Event]], config: ModelConfig
) -> dict[str, Fixable]:
    """A ``Fixable`` per assessed indicator of ``shop``."""
    return {
        name: Fixable.build(name, events[name], shop.counts)
        for name in config.indicators
        if shop.values.get(name) is not None
    }


def load_fixables(
    con: Engine, config: ModelConfig, window: Window, shop: ShopInputs
) -> dict[str, Fixable]:
    return fixables_for(shop, fetch_events(con, config, window, shop), config)


def with_fixes(shop: ShopInputs, fixes: dict[str, int], fixables: dict[str, Fixable]) -> ShopInputs:
    """The shop's inputs with ``fixes[indicator]`` events of each indicator fixed."""
    if not fixes:
        return shop
    values = dict(shop.values)
    for name, k in fixes.items():
        if name not in fixables:
            raise UsageError(
                Message(
                    "error.fix_not_assessed",
                    indicator=Verbatim(name),
                    shop=Verbatim(shop.shop_id),
                )
            )
        values[name] = fixables[name].value(k)
    return replace(shop, values=values)


@dataclass
class PlanAction:
    indicator: str | None  # None for a service
    events: int
    cost: int
    service: Service | None = None
    fixed: tuple[Event, ...] = ()
    value_from: float | None = None
    value_to: float | None = None
    text: str = ""  # an i18n.Message for an indicator

    def service_text(self) -> Message:
        assert self.service is not None
        return Message(
            "plan.service",
            service=self.service.id,
            zh=self.service.zh,
            points=f"{self.service.points:g}",
        )

    def to_dict(self) -> dict[str, Any]:
        if self.service is not None:
            return {
                "add_service": self.service.id,
                "cost": self.cost,
                "points": self.service.points,
                "text": self.service_text(),
            }
        return {
            "indicator": self.indicator,
            "events": self.events,
            "cost": self.cost,
            "from": self.value_from,
            "to": self.value_to,
            "text": self.text,
            "event_ids": [e.id for e in self.fixed],
        }


@dataclass
class Plan:
    shop_id: str
    window: Window
    target: float
    reachable: bool
    cost: int | None
    actions: list[PlanAction]
    before: ShopScore
    after: ShopScore
    best_score: float | None = None  # when unreachable: every event fixed, every service
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)  # of the data and of the score

    @property
    def fixes(self) -> dict[str, int]:
        return {a.indicator: a.events for a in self.actions if a.indicator is not None}

    @property
    def services(self) -> list[str]:
        return [a.service.id for a in self.actions if a.service is not None]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "shop_id": self.shop_id,
            "target": self.target,
            "reachable": self.reachable,
            "cost": self.cost,
            "actions": [a.to_dict() for a in self.actions],
            "after": self.after.to_dict(),
        }
        if not self.reachable:
            out["best_score"] = self.best_score
        out.update(
            {
                "as_of": self.window.as_of.strftime(TIMESTAMP_FORMAT),
                "window_days": self.window.days,
                "events": sum(a.events for a in self.actions),
                "before": self.before.to_dict(),
                "reason": self.reason,
            }
        )
        return out


@dataclass(frozen=True)
class _Point:
    cost: int
    events: int
    gain: float
    fixes: tuple[tuple[str, int], ...]


def _front(
    shop: ShopInputs,
    current: ShopScore,
    fixables: dict[str, Fixable],
    config: ModelConfig,
    benchmark: Benchmark,
    enough: float,
) -> list[_Point]:
    """The Pareto front of event fixes over the indicators: the combinations no other
    beats or ties on (cost, then events) and base gain.

    For a given set of services a plan is better when it costs less, then when it fixes
    fewer events: a combination with no more of those and at least the gain is never
    worse. Gains above ``enough`` (which reaches the target whatever the services) count
    as ``enough``. Points are (key, gain) with key = cost × M + events, M above any
    event total, so that one integer orders by cost then events; back-pointers rebuild
    each point's fixes."""
    choices: list[tuple[str, list[tuple[int, int, float]]]] = []  # name, (k, key, gain)
    for name, fixable in fixables.items():
        weight = current.indicators[name].overall_weight or 0.0
        if fixable.size == 0 or weight == 0:
            continue
        subs = []
        for k in range(fixable.size + 1):
            value = fixable.value(k)
            assert value is not None
            subs.append(benchmark.sub_score(shop, name, value))
        gains: list[tuple[int, int, float]] = []
        last = subs[0]
        for k, sub in enumerate(subs):
            if k == 0 or sub > last:  # fixing more for no gain is never better
                gains.append((k, k, weight * (sub - subs[0])))
                last = sub
        if len(gains) > 1:
            choices.append((name, gains))
    scale = sum(c[-1][0] for _, c in choices) + 1
    for name, gains in choices:
        unit = config.event_cost(name)
        gains[:] = [(k, (unit * scale + 1) * k, gain) for k, _, gain in gains]

    front: list[tuple[int, float]] = [(0, 0.0)]
    steps: list[list[tuple[int, int]]] = []  # per indicator: (parent index, k) per point
    for _, options in choices:
        candidates = [
            (key + o_key, -(gain + o_gain), i, k)
            for i, (key, gain) in enumerate(front)
            for k, o_key, o_gain in options
        ]
        # nothing costlier than the cheapest candidate reaching `enough` can be useful
        ceiling = min((c[0] for c in candidates if -c[1] >= enough), default=None)
        if ceiling is not None:
            candidates = [c for c in candidates if c[0] <= ceiling]
        candidates.sort()
        kept: list[tuple[int, float]] = []
        back: list[tuple[int, int]] = []
        best = -1.0
        for key, neg_gain, i, k in candidates:
            capped = min(-neg_gain, enough)
            if capped > best:
                kept.append((key, -neg_gain))
                back.append((i, k))
                best = capped
        front = kept
        steps.append(back)

    points = []
    for index, (key, gain) in enumerate(front):
        fixes: list[tuple[str, int]] = []
        for (name, _), back in zip(reversed(choices), reversed(steps), strict=True):
            index, k = back[index]
            fixes.append((name, k))
        cost = sum(config.event_cost(name) * k for name, k in fixes)
        events = sum(k for _, k in fixes)
        assert key == cost * scale + events
        points.append(_Point(cost, events, gain, tuple(reversed(fixes))))
    return points


def _action_text(name: str, k: int, config: ModelConfig, industry: str) -> Message:
    """What fixing ``k`` events of indicator ``name`` means, for the to-do list."""
    anchor = best_anchor(config, name, industry) if name in HOURS_INDICATORS else 0.0
    return Message(f"plan.{'one' if k == 1 else 'many'}.{name}", k=str(k), anchor=f"{anchor:g}")


def plan_shop(
    shop: ShopInputs,
    fixables: dict[str, Fixable],
    config: ModelConfig,
    benchmark: Benchmark,
    window: Window,
    target: float,
) -> Plan:
    """The cheapest plan lifting ``shop``'s rounded score to ``target`` (spec §14)."""

    def rescore(fixes: dict[str, int], services: tuple[str, ...]) -> ShopScore:
        inputs = with_fixes(shop, fixes, fixables)
        if services:
            inputs = replace(inputs, services=(*inputs.services, *services))
        return score_shop(inputs, config, benchmark, window.start, window.as_of)

    current = rescore({}, ())

    def result(reachable: bool, fixes: dict[str, int], services: tuple[Service, ...]) -> Plan:
        after = rescore(fixes, tuple(s.id for s in services))
        actions = [
            PlanAction(
                name,
                k,
                config.event_cost(name) * k,
                fixed=fixables[name].events[:k],
                value_from=shop.values[name],
                value_to=after.indicators[name].value,
                text=_action_text(name, k, config, shop.industry),
            )
            for name, k in fixes.items()
            if k
        ]
        actions += [PlanAction(None, 0, config.service_cost(s.id), s) for s in services]
        cost = sum(a.cost for a in actions)
        return Plan(
            shop.shop_id, window, target, reachable, cost if reachable else None,
            actions if reachable else [], current, after,
        )  # fmt: skip

    if current.status != SCORED or current.score is None:
        plan = result(False, {}, ())
        plan.reason = Message(
            "plan.no_score", shop=shop.shop_id, status=Message(f"milestone.status.{current.status}")
        )
        return plan
    if current.score >= target:
        return result(True, {}, ())
    candidates = [s for s in config.services_for(shop.industry) if s.id not in shop.services]
    assert current.base_score is not None
    needed = target - 0.005 - EPSILON  # the rounded score reaches the target
    # a gain this large reaches the target without any service, beyond float noise
    enough = max(0.0, target - 0.005 - current.base_score - (current.addon or 0.0)) + 1e-6
    front = _front(shop, current, fixables, config, benchmark, enough)
    options: list[tuple[tuple[int, int, int], tuple[Service, ...], _Point]] = []
    for size in range(len(candidates) + 1):
        for services in itertools.combinations(candidates, size):
            addon = rescore({}, tuple(s.id for s in services)).addon or 0.0
            service_cost = sum(config.service_cost(s.id) for s in services)
            for p in front:
                if min(5.0, current.base_score + p.gain + addon) >= needed:
                    options.append(((service_cost + p.cost, size, p.events), services, p))
    options.sort(key=lambda o: o[0])
    for _, services, p in options:
        fixes = dict(p.fixes)
        reached = rescore(fixes, tuple(s.id for s in services))
        if reached.score is not None and reached.score >= target:
            return result(True, fixes, services)
    everything = {name: f.size for name, f in fixables.items()}
    plan = result(False, everything, tuple(candidates))
    plan.best_score = plan.after.score
    plan.reason = Message(
        "plan.out_of_reach", target=f"{target:.2f}", best=f"{plan.best_score:.2f}"
    )
    return plan
