"""Trend: a shop's score and every indicator as of each period end (rolling window), with
period-over-period change. Each point is the ordinary scoring at that as-of, so it
equals a ``svc score --as-of DAY`` run."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from svc_cli.config import ModelConfig
from svc_cli.coverage import NEEDS
from svc_cli.errors import UsageError
from svc_cli.i18n import Message, Verbatim
from svc_cli.queries import SHOP_INPUT_STARTS
from svc_cli.score_report import score_shops
from svc_cli.scoring import ShopScore
from svc_cli.window import TIMESTAMP_FORMAT, Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

PERIODS = ("day", "week", "month")
#: Periods shown when --from is not given.
DEFAULT_POINTS = {"day": 30, "week": 12, "month": 12}
MAX_POINTS = 1000


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(
            Message("error.not_a_date", option=option, text=Verbatim(repr(text))),
            Message("hint.date_example"),
        ) from exc


def period_end(day: date, every: str) -> date:
    """The last day of the calendar period holding ``day`` (weeks end on Sunday)."""
    if every == "day":
        return day
    if every == "week":
        return day + timedelta(days=6 - day.weekday())
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def default_start(end: date, every: str, points: int | None = None) -> date:
    """The first day of the last ``points`` (default ``DEFAULT_POINTS``) periods up to
    ``end``."""
    n = points or DEFAULT_POINTS[every]
    if every == "day":
        return end - timedelta(days=n - 1)
    if every == "week":
        return end - timedelta(days=end.weekday() + 7 * (n - 1))
    month = end.year * 12 + end.month - 1 - (n - 1)
    return date(month // 12, month % 12 + 1, 1)


def period_ends(start: date, end: date, every: str) -> list[date]:
    """The end of every calendar period from ``start`` to ``end``; the last one is cut
    at ``end`` (a period still running is shown up to ``end``)."""
    if every not in PERIODS:
        raise UsageError(
            Message(
                "error.bad_every",
                value=Verbatim(repr(every)),
                choices=[Verbatim(p) for p in PERIODS],
            )
        )
    if end < start:
        raise UsageError(
            Message("error.from_after_to", start=Verbatim(str(start)), end=Verbatim(str(end)))
        )
    ends = []
    day = start
    while day <= end:
        last = min(period_end(day, every), end)
        ends.append(last)
        day = last + timedelta(days=1)
        if len(ends) > MAX_POINTS:
            raise UsageError(
                Message(
                    "error.too_many_points",
                    max=Verbatim(str(MAX_POINTS)),
                    start=Verbatim(str(start)),
                    end=Verbatim(str(end)),
                    every=Message(f"every.{every}"),
                ),
                Message("hint.too_many_points"),
            )
    return ends


def end_of(day: date) -> datetime:
    """A date as an as-of: the end of that day (spec §9)."""
    return datetime.combine(day + timedelta(days=1), time())


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


@dataclass
class TrendPoint:
    date: date
    shop: ShopScore
    previous: ShopScore | None

    def to_dict(self) -> dict[str, Any]:
        s, p = self.shop, self.previous
        return {
            "date": self.date.isoformat(),
            "as_of": s.window_end.strftime(TIMESTAMP_FORMAT),
            "status": s.status,
            "score": s.score,
            "tier": s.tier,
            "stars": s.stars,
            "change": round(change, 2)
            if p and (change := _change(s.score, p.score)) is not None
            else None,
            "dimensions": {name: d.score for name, d in s.dimensions.items()},
            "indicators": {
                name: {
                    "value": i.value,
                    "score": i.score,
                    "assessed": i.assessed,
                    "change": _change(i.value, p.indicators[name].value) if p else None,
                }
                for name, i in s.indicators.items()
            },
        }


@dataclass
class Trend:
    shop_id: str
    start: date
    end: date
    every: str
    window_days: int
    points: list[TrendPoint]
    warnings: list[str] = field(default_factory=list)  # of the data and of the last score

    def to_dict(self) -> dict[str, Any]:
        return {
            "shop_id": self.shop_id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "every": self.every,
            "window_days": self.window_days,
            "points": [p.to_dict() for p in self.points],
        }


def trend_shop(
    con: Engine,
    config: ModelConfig,
    shop_id: str,
    start: date,
    end: date,
    every: str,
    window_days: int,
    benchmark: str = "thresholds",
) -> Trend:
    """Score ``shop_id`` as of the end of each period from ``start`` to ``end`` (with
    fixed thresholds on an in-memory copy of the shop's rows, as diagnose projects)."""
    from svc_cli.store import one_shop_copy

    ends = period_ends(start, end, every)
    # an unknown shop id is refused here, naming the known ones
    last = score_shops(con, config, Window(end_of(end), window_days), shop_ids=[shop_id])
    own = one_shop_copy(con, shop_id) if benchmark == "thresholds" else None
    points: list[TrendPoint] = []
    previous: ShopScore | None = None
    try:
        for day in ends:
            window = Window(end_of(day), window_days)
            report = score_shops(
                own or con, config, window, benchmark=benchmark, shop_ids=[shop_id]
            )
            points.append(TrendPoint(day, report.shops[0], previous))
            previous = report.shops[0]
    finally:
        if own is not None:
            own.close()
    first_window = Window(end_of(ends[0]), window_days) if ends else None
    late = _inputs_begin_later(con, shop_id, first_window) if first_window else []
    return Trend(shop_id, start, end, every, window_days, points, last.warnings + late)


#: Orders without a review or chat for this long before the first one: the review or
#: chat export began later than the orders, it is not a quiet start.
LATE_START = timedelta(days=30)


def _inputs_begin_later(con: Engine, shop_id: str, first: Window) -> list[str]:
    """A warning per input (reviews, chats) whose first row comes well after the shop's
    first order and after the first point's window began: the points before it read the
    indicators it feeds as if nothing happened (provided is per shop, not per period)."""
    row = con.execute(SHOP_INPUT_STARTS, {"shop": shop_id}).fetchone()
    orders, reviews, chats = row if row else (None, None, None)
    warnings: list[str] = []
    for name, begins in (("reviews", reviews), ("chats", chats)):
        if orders and begins and begins - orders > LATE_START and first.start < begins:
            # the indicators that need the input or one of its columns (spec §10)
            indicators = [
                i for i, needs in NEEDS.items() if name in {n.split(".")[0] for n in needs}
            ]
            warnings.append(
                Message(
                    "trend.input_begins_later",
                    shop=shop_id,
                    input=name,
                    begins=begins.strftime("%Y-%m-%d"),
                    indicators=indicators,
                )
            )
    return warnings
