"""Diagnosis (spec §11): what costs a shop its points, the events behind each indicator,
when each leaves the window, and the score of the coming days on unchanged data.

The events come from one query (``queries.DIAGNOSIS_EVENTS``) with the conditions of the
indicator counts; the projection is the ordinary scoring (``score_report.score_shops``) at
later as-of instants, so each of its points equals a ``svc score --as-of`` run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from svc_cli.config import ModelConfig
from svc_cli.i18n import Message, Verbatim
from svc_cli.queries import DIAGNOSIS_EVENTS
from svc_cli.score_report import score_shops
from svc_cli.scoring import GROWTH_STAGE, SCORED, ShopInputs, ShopScore
from svc_cli.window import TIMESTAMP_FORMAT, Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

US_PER_HOUR = 3_600_000_000
US_PER_SECOND = 1_000_000

#: The indicators whose events are measured in hours over the 5.0 anchor.
HOURS_INDICATORS = ("delivery_hours", "refund_hours")


def events_phrase(indicator: str, count: int) -> Message:
    """``3 late pickups`` (``indicator`` may be ``more``: ``2 more events``)."""
    return Message(f"events.{'one' if count == 1 else 'many'}.{indicator}", count=str(count))


def best_anchor(config: ModelConfig, indicator: str, industry: str) -> float:
    """The indicator value that earns the top sub-score (the 5.0 anchor) for an industry."""
    anchors = config.anchors_for(indicator, industry)
    return max(anchors, key=lambda a: (a[1], -a[0]))[0]


def anchor_us(config: ModelConfig, indicator: str, industry: str) -> int:
    """The 5.0 anchor of an hours indicator in whole microseconds."""
    return round(best_anchor(config, indicator, industry) * US_PER_HOUR)


@dataclass(frozen=True)
class Event:
    """One event that counts against an indicator (spec §11)."""

    indicator: str
    id: str
    at: datetime  # the anchor instant
    kind: str
    leaves_window_at: datetime
    rating: int | None = None
    duration_us: int | None = None  # delivery / refund / pickup wait, or first reply
    limit_us: int | None = None  # the 5.0 anchor an hours event exceeds

    @property
    def excess_us(self) -> int:
        """Microseconds over the 5.0 anchor (hours indicators; 0 otherwise)."""
        if self.limit_us is None or self.duration_us is None:
            return 0
        return self.duration_us - self.limit_us

    def what(self) -> Message:
        pickup_limit = 48 * US_PER_HOUR
        h = _hours_text(self.duration_us or 0, self.limit_us or pickup_limit)
        limit = f"{(self.limit_us or 0) / US_PER_HOUR:g}"
        reply = _seconds_text((self.duration_us or 0) / US_PER_SECOND)
        return Message(f"event.{self.kind}", rating=str(self.rating), h=h, limit=limit, reply=reply)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "leaves_window_at": self.leaves_window_at.strftime(TIMESTAMP_FORMAT),
            "kind": self.kind,
            "what": self.what(),
            "at": self.at.strftime(TIMESTAMP_FORMAT),
        }


def _hours_text(us: int, limit_us: int) -> Message:
    """``52.3 h``; to the second within 3 minutes of the limit, where a tenth of an hour
    would hide which side of it the event is (``48 h 0 min 1 s``)."""
    if abs(us - limit_us) >= 180 * US_PER_SECOND:
        return Message("duration.hours", value=Verbatim(f"{us / US_PER_HOUR:.1f}"))
    seconds = round(us / US_PER_SECOND)
    h, m, s = (Verbatim(str(n)) for n in (seconds // 3600, seconds % 3600 // 60, seconds % 60))
    return Message("duration.hms", h=h, m=m, s=s)


def _seconds_text(seconds: float) -> Message:
    whole = round(seconds)
    if whole < 60:
        return Message("duration.s", s=Verbatim(str(whole)))
    return Message("duration.ms", m=Verbatim(str(whole // 60)), s=Verbatim(str(whole % 60)))


def sort_key(event: Event) -> tuple[datetime, str]:
    """Spec §11: by leaves_window_at, then id."""
    return (event.leaves_window_at, event.id)


def fetch_events(
    con: Engine, config: ModelConfig, window: Window, shop: ShopInputs
) -> dict[str, list[Event]]:
    """Every event counting against each indicator of ``shop`` in ``window`` (all
    indicators, assessed or not), sorted by leaves_window_at then id."""
    limits = {i: anchor_us(config, i, shop.industry) for i in HOURS_INDICATORS}
    params = {
        **window.params(),
        "shop": shop.shop_id,
        "delivery_us": limits["delivery_hours"],
        "refund_us": limits["refund_hours"],
    }
    found: dict[str, list[Event]] = {name: [] for name in config.indicators}
    span = timedelta(days=window.days)
    for indicator, event_id, at, kind, rating, duration_us in con.execute(
        DIAGNOSIS_EVENTS, params
    ).fetchall():
        found[indicator].append(
            Event(
                indicator,
                str(event_id),
                at,
                kind,
                at + span,
                None if rating is None else int(rating),
                None if duration_us is None else int(duration_us),
                limits.get(indicator),
            )
        )
    for events in found.values():
        events.sort(key=sort_key)
    return found


@dataclass
class IndicatorDiagnosis:
    name: str
    assessed: bool
    value: float | None
    score: float | None
    points_lost: float | None
    events: list[Event] | None  # None: not assessed
    rank: int | None = None  # 1 = costs the most
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "assessed": self.assessed,
            "value": self.value,
            "score": self.score,
            "points_lost": self.points_lost,
            "rank": self.rank,
            "event_count": None if self.events is None else len(self.events),
            "reason": self.reason,
            "events": None if self.events is None else [e.to_dict() for e in self.events],
        }


@dataclass
class ProjectionPoint:
    """The shop at the end of a coming day, on unchanged data."""

    date: date
    as_of: datetime
    status: str
    score: float | None
    tier: str | None
    stars: float | None
    leaving: dict[str, int] = field(default_factory=dict)  # events leaving that day

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "status": self.status,
            "score": self.score,
            "tier": self.tier,
            "stars": self.stars,
            "as_of": self.as_of.strftime(TIMESTAMP_FORMAT),
            "events_leaving": dict(self.leaving),
        }


@dataclass
class Milestone:
    """A day the projected score crosses a threshold (tier, star, assessment minimum)."""

    date: date
    kind: str  # high_tier, ordinary_tier, assessment_minimum, stars, status
    threshold: float | None
    direction: str  # up or down
    score_before: float | None
    score: float | None
    leaving: dict[str, int]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "threshold": self.threshold,
            "direction": self.direction,
            "score_before": self.score_before,
            "score": self.score,
            "events_leaving": dict(self.leaving),
            "text": self.text,
        }


@dataclass
class Diagnosis:
    shop_id: str
    window: Window
    current: ShopScore
    indicators: dict[str, IndicatorDiagnosis]  # ranked: most points lost first
    projection: list[ProjectionPoint]
    milestones: list[Milestone]
    warnings: list[str] = field(default_factory=list)  # of the data and of the score

    def milestone_days(self) -> list[tuple[date, str]]:
        """Each day a milestone happens, with its text (the crossings of a day share one)."""
        return list(dict.fromkeys((m.date, m.text) for m in self.milestones))

    def events(self) -> list[Event]:
        """Every event of the assessed indicators, in rank order of their indicator."""
        return [e for d in self.indicators.values() for e in d.events or []]

    def to_dict(self) -> dict[str, Any]:
        c = self.current
        return {
            "shop_id": self.shop_id,
            "as_of": self.window.as_of.strftime(TIMESTAMP_FORMAT),
            "window_days": self.window.days,
            "status": c.status,
            "score": c.score,
            "tier": c.tier,
            "stars": c.stars,
            "indicators": {name: d.to_dict() for name, d in self.indicators.items()},
            "projection": [p.to_dict() for p in self.projection],
            "milestones": [m.to_dict() for m in self.milestones],
        }


def rank_indicators(
    shop: ShopScore, events: dict[str, list[Event]]
) -> dict[str, IndicatorDiagnosis]:
    """Per indicator: value, sub-score, points lost and its events; the assessed ones
    ranked by points lost (most first, then by name), the others after them."""
    rows = []
    for name, ind in shop.indicators.items():
        lost = ind.points_lost if ind.score is not None else None
        rows.append(
            IndicatorDiagnosis(
                name,
                ind.assessed,
                ind.value,
                ind.score,
                lost,
                events[name] if ind.assessed else None,
                reason=ind.reason,
            )
        )
    rows.sort(key=lambda d: (not d.assessed, -(d.points_lost or 0.0), d.name))
    for rank, row in enumerate((r for r in rows if r.assessed), start=1):
        row.rank = rank
    return {r.name: r for r in rows}


def projection_instants(window: Window) -> list[tuple[date, datetime]]:
    """The end of each of the next ``window.days`` calendar days after the last observed
    day L (spec §9, §11): day L+k ends at the instant L+k+1 00:00:00."""
    last = window.last_day
    return [
        (last + timedelta(days=k), datetime.combine(last + timedelta(days=k + 1), time()))
        for k in range(1, window.days + 1)
    ]


def project(
    con: Engine,
    config: ModelConfig,
    window: Window,
    shop_id: str,
    benchmark: str,
    events: list[Event],
) -> list[ProjectionPoint]:
    """Status, score and tier at the end of each coming day, scored exactly as
    ``svc score --as-of DAY`` would; with the diagnosed events leaving on each day.

    With fixed thresholds a shop's score depends on its own rows only, so the days are
    scored on an in-memory copy of them (the same query, far fewer rows); peers need
    every shop."""
    from svc_cli.store import one_shop_copy

    own = one_shop_copy(con, shop_id) if benchmark == "thresholds" else None
    try:
        return _project(own or con, config, window, shop_id, benchmark, events)
    finally:
        if own is not None:
            own.close()


def _project(
    con: Engine,
    config: ModelConfig,
    window: Window,
    shop_id: str,
    benchmark: str,
    events: list[Event],
) -> list[ProjectionPoint]:
    points = []
    previous = window.as_of
    for day, as_of in projection_instants(window):
        later = Window(as_of, window.days)
        shop = score_shops(con, config, later, benchmark=benchmark, shop_ids=[shop_id]).shops[0]
        leaving: dict[str, int] = {}
        for e in events:
            if previous < e.leaves_window_at <= as_of:
                leaving[e.indicator] = leaving.get(e.indicator, 0) + 1
        points.append(
            ProjectionPoint(day, as_of, shop.status, shop.score, shop.tier, shop.stars, leaving)
        )
        previous = as_of
    return points


def _leaving_text(leaving: dict[str, int], day: date, shown: int = 3) -> Message:
    """`` on 07-02 when 3 late pickups roll off`` (the three largest groups, then how many
    more)."""
    if not leaving:
        return Message("when.on", date=f"{day:%m-%d}")
    ranked = sorted(leaving.items(), key=lambda item: (-item[1], item[0]))
    parts = [events_phrase(name, n) for name, n in ranked[:shown]]
    rest = sum(n for _, n in ranked[shown:])
    if rest:
        parts.append(events_phrase("more", rest))
    events = Message(f"leaving.{len(parts)}", **dict(zip("abcd", parts, strict=False)))
    key = "when.leaving_one" if sum(leaving.values()) == 1 else "when.leaving_many"
    return Message(key, date=f"{day:%m-%d}", events=events)


def milestones(
    current: ShopScore, projection: list[ProjectionPoint], config: ModelConfig
) -> list[Milestone]:
    """The days the projected score crosses the high tier, the ordinary tier, the
    assessment minimum or a star boundary (up or down), or the shop changes status."""
    thresholds = [
        ("high_tier", config.tier_high),
        ("ordinary_tier", config.tier_ordinary),
        ("assessment_minimum", config.assessment_minimum),
    ]
    found: list[Milestone] = []
    today = "—" if current.score is None else f"{current.score:.2f}"
    prev_score, prev_status, prev_stars = current.score, current.status, current.stars
    for p in projection:
        crossed: list[tuple[str, float | None, bool]] = []  # kind, threshold, up
        notes: list[Message] = []  # what each crossing means (the score moved through all)
        what: Message | None = None
        if p.status != prev_status:
            what = (
                Message("milestone.scored", score=f"{p.score:.2f}")
                if p.score is not None
                else Message(f"milestone.enters.{p.status}", min=str(config.growth_min_orders))
            )
            crossed.append(("status", None, p.status == SCORED))
        elif p.score is not None and prev_score is not None:
            for kind, t in thresholds:
                if prev_score < t <= p.score or p.score < t <= prev_score:
                    key = "note.reaches" if p.score >= t else "note.falls_below"
                    if kind == "assessment_minimum":  # a bare 4.23 says nothing: name it
                        key += "_minimum"
                    notes.append(Message(key, threshold=f"{t:.2f}"))
                    crossed.append((kind, t, p.score >= t))
            if p.stars != prev_stars and p.stars is not None and prev_stars is not None:
                notes.append(Message("note.stars", stars=f"{p.stars:g}"))
                crossed.append(("stars", max(p.stars, prev_stars), p.stars > prev_stars))
            if notes:  # one text for the day: "4.49 (falls below 4.50; 4 stars)"
                key = "milestone.rises" if p.score > prev_score else "milestone.falls"
                what = Message(key, score=f"{p.score:.2f}", notes=notes)
        day = f"{p.date:%m-%d}"
        if p.status != prev_status and p.status == GROWTH_STAGE:
            when = Message("when.growth", date=day, min=str(config.growth_min_orders))
        elif p.status != prev_status:
            when = Message("when.on", date=day)
        elif p.score is not None and prev_score is not None and p.score > prev_score:
            when = _leaving_text(p.leaving, p.date)
        else:  # bad events leaving do not explain a fall (good ones leave too)
            when = Message("when.on", date=day)
        found += [
            Milestone(
                p.date,
                kind,
                threshold,
                "up" if up else "down",
                prev_score,
                p.score,
                dict(p.leaving),
                Message("milestone.text", today=today, what=what, when=when),
            )
            for kind, threshold, up in crossed
        ]
        prev_score, prev_status, prev_stars = p.score, p.status, p.stars
    return found


def diagnose_shop(
    con: Engine,
    config: ModelConfig,
    window: Window,
    shop_id: str,
    benchmark: str = "thresholds",
    with_projection: bool = True,
) -> Diagnosis:
    """The diagnosis of one shop at ``window`` (spec §11)."""
    report = score_shops(con, config, window, benchmark=benchmark, shop_ids=[shop_id])
    current = report.shops[0]
    events = fetch_events(con, config, window, report.inputs[shop_id])
    ranked = rank_indicators(current, events)
    counted = [e for d in ranked.values() for e in d.events or []]
    projection = (
        project(con, config, window, shop_id, benchmark, counted) if with_projection else []
    )
    return Diagnosis(
        shop_id,
        window,
        current,
        ranked,
        projection,
        milestones(current, projection, config),
        report.warnings,
    )
