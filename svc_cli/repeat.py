"""Repeat-customer deep-dive (`svc report repeat`): time from the first to the second
order, repeat rate by first SKU and by first-order amount band, cumulative cohort curves,
and customers overdue for a reorder. Each view states its definition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from svc_cli.config import ModelConfig
from svc_cli.i18n import Message, listed
from svc_cli.queries import REPEAT_BY_FIRST_ORDER, REPEAT_COHORTS, REPEAT_GAPS, REPEAT_OVERDUE
from svc_cli.window import Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

VIEWS = ("summary", "gaps", "sku", "amount", "cohorts", "overdue")
PERCENTILES = (25, 50, 75, 90)


def definitions(view: str, config: ModelConfig) -> list[Message]:
    r = config.repeat
    common = Message("repeat.def.common")
    rr = Message("repeat.def.rr", n=str(r.horizon_days))
    gap = Message("repeat.def.gap")
    first = Message("repeat.def.first")
    texts = {
        "summary": [common, rr, gap],
        "gaps": [
            common,
            gap,
            Message("repeat.def.bins", bins=listed(map(str, r.gap_bins))),
        ],
        "sku": [common, first, rr],
        "amount": [
            common,
            first,
            rr,
            Message("repeat.def.bands", bands=listed(f"{b:g}" for b in r.amount_bands)),
        ],
        "cohorts": [common, Message("repeat.def.cohorts")],
        "overdue": [
            common,
            Message("repeat.def.overdue", factor=f"{r.overdue_factor:g}"),
            Message("repeat.def.overdue_ids"),
        ],
    }
    return texts[view]


def _rate(num: int, den: int) -> float | None:
    return float(Fraction(num, den)) if den else None


def _percentile(counts: list[tuple[int, int]], q: int) -> float | None:
    """``q``-th percentile of values given as (value, count) sorted by value: nearest
    rank, and the usual median (mean of the two middle values) for q = 50."""
    n = sum(c for _, c in counts)
    if n == 0:
        return None

    def nth(rank: int) -> int:  # 1-based
        seen = 0
        for value, c in counts:
            seen += c
            if seen >= rank:
                return value
        raise AssertionError("unreachable")  # pragma: no cover

    if q == 50:
        return (nth((n + 1) // 2) + nth(n // 2 + 1)) / 2
    return float(nth(max(1, math.ceil(q * n / 100))))


@dataclass
class RepeatReport:
    window: Window
    view: str
    rows: list[dict[str, Any]]
    definitions: list[Message]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "last_observed_day": self.window.last_day.isoformat(),
            "view": self.view,
            "rows": self.rows,
            "definitions": self.definitions,
        }


def _query(
    con: Engine, sql: str, params: dict[str, Any], shop_ids: list[str] | None
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    return [r for r in rows if not shop_ids or r["shop_id"] in shop_ids]


def _gaps(
    con: Engine, window: Window, shop_ids: list[str] | None
) -> dict[str, list[tuple[int, int]]]:
    by_shop: dict[str, list[tuple[int, int]]] = {}
    for row in _query(con, REPEAT_GAPS, {"as_of": window.as_of}, shop_ids):
        by_shop.setdefault(row["shop_id"], []).append((int(row["gap_days"]), row["customers"]))
    return by_shop


def _first_orders(
    con: Engine, window: Window, config: ModelConfig, shop_ids: list[str] | None
) -> list[dict[str, Any]]:
    params = {
        "as_of": window.as_of,
        "last_day": window.last_day,
        "horizon": config.repeat.horizon_days,
    }
    return _query(con, REPEAT_BY_FIRST_ORDER, params, shop_ids)


def _overdue(
    con: Engine, window: Window, config: ModelConfig, shop_ids: list[str] | None
) -> list[dict[str, Any]]:
    factor = Fraction(str(config.repeat.overdue_factor))
    params = {
        "as_of": window.as_of,
        "last_day": window.last_day,
        "factor_num": factor.numerator,
        "factor_den": factor.denominator,
    }
    rows = []
    for row in _query(con, REPEAT_OVERDUE, params, shop_ids):
        first, last, n = row["first_order_day"], row["last_order_day"], row["order_days"]
        mean = Fraction((last - first).days, n - 1)
        since = (window.last_day - last).days
        rows.append(
            {
                **row,
                "mean_interval_days": float(mean),
                "days_since_last_order": since,
                "overdue_by_days": float(since - factor * mean),
            }
        )
    rows.sort(key=lambda r: (r["shop_id"], -r["overdue_by_days"], r["customer_id"]))
    return rows


def _band(amount: Decimal | None, bands: tuple[float, ...]) -> str:
    if amount is None:
        return "unknown"
    lowers = [Decimal(str(b)) for b in bands]
    chosen = None
    for i, lower in enumerate(lowers):
        if amount >= lower:
            chosen = i
    if chosen is None:
        return f"< {bands[0]:g}"
    if chosen == len(lowers) - 1:
        return f"≥ {bands[chosen]:g}"
    return f"{bands[chosen]:g}–{bands[chosen + 1]:g}"


def _grouped(rows: list[dict[str, Any]], key: str, horizon: int) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        cell = groups.setdefault((row["shop_id"], row[key]), [0, 0, 0])
        cell[0] += row["customers"]
        cell[1] += row["eligible"]
        cell[2] += row["repeated"]
    return [
        {
            "shop_id": shop,
            key: value,
            "first_time_customers": c,
            f"eligible_{horizon}d": e,
            f"repeat_{horizon}d": k,
            f"rr_{horizon}d": _rate(k, e),
        }
        for (shop, value), (c, e, k) in groups.items()
    ]


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _cohorts(con: Engine, window: Window, shop_ids: list[str] | None) -> list[dict[str, Any]]:
    sizes: dict[tuple[str, date], int] = {}
    seconds: dict[tuple[str, date], dict[int, int]] = {}
    for row in _query(con, REPEAT_COHORTS, {"as_of": window.as_of}, shop_ids):
        key = (row["shop_id"], row["cohort"])
        sizes[key] = sizes.get(key, 0) + row["customers"]
        if row["second_month"] is not None:
            seconds.setdefault(key, {})[int(row["second_month"])] = row["customers"]
    last = _month_index(window.last_day)
    cells = []
    for (shop, cohort), size in sorted(sizes.items()):
        repeated = 0
        by_month = seconds.get((shop, cohort), {})
        for k in range(0, last - _month_index(cohort) + 1):
            repeated += by_month.get(k, 0)
            cells.append(
                {
                    "shop_id": shop,
                    "cohort": cohort.strftime("%Y-%m"),
                    "month": k,
                    "cohort_customers": size,
                    "repeated_by_month": repeated,
                    "cumulative_repeat_share": _rate(repeated, size),
                }
            )
    return cells


def repeat_report(
    con: Engine,
    window: Window,
    config: ModelConfig,
    view: str = "summary",
    shop_ids: list[str] | None = None,
) -> RepeatReport:
    """One view of the repeat deep-dive at ``window.as_of`` (see ``definitions``)."""
    horizon = config.repeat.horizon_days
    rows: list[dict[str, Any]]
    if view == "summary":
        gaps = _gaps(con, window, shop_ids)
        firsts = _grouped(
            [{**r, "all": ""} for r in _first_orders(con, window, config, shop_ids)],
            "all",
            horizon,
        )
        overdue: dict[str, int] = {}
        for row in _overdue(con, window, config, shop_ids):
            overdue[row["shop_id"]] = overdue.get(row["shop_id"], 0) + 1
        rows = []
        for f in firsts:
            shop_gaps = gaps.get(f["shop_id"], [])
            row = {k: v for k, v in f.items() if k != "all"}
            row["repeat_customers"] = sum(c for _, c in shop_gaps)
            for q in PERCENTILES:
                name = "median_days_to_second" if q == 50 else f"p{q}_days_to_second"
                row[name] = _percentile(shop_gaps, q)
            row["overdue_customers"] = overdue.get(f["shop_id"], 0)
            rows.append(row)
    elif view == "gaps":
        bins = config.repeat.gap_bins
        rows = []
        for shop, shop_counts in sorted(_gaps(con, window, shop_ids).items()):
            total = sum(c for _, c in shop_counts)
            lower = 1  # the second order day is at least a day after the first
            for upper in (*bins, None):
                count = sum(
                    c for d, c in shop_counts if d >= lower and (upper is None or d <= upper)
                )
                rows.append(
                    {
                        "shop_id": shop,
                        "days": f"{lower}–{upper}" if upper is not None else f"> {bins[-1]}",
                        "customers": count,
                        "share": _rate(count, total),
                    }
                )
                lower = (upper or 0) + 1
    elif view in ("sku", "amount"):
        firsts = _first_orders(con, window, config, shop_ids)
        if view == "amount":
            firsts = [
                {**r, "amount_band": _band(r["amount"], config.repeat.amount_bands)} for r in firsts
            ]
        key = "sku" if view == "sku" else "amount_band"
        rows = _grouped(firsts, key, horizon)
        if view == "sku":
            rows.sort(key=lambda r: (r["shop_id"], -r["first_time_customers"], r["sku"]))
        else:
            order = {
                _band(Decimal(str(b)), config.repeat.amount_bands): i
                for i, b in enumerate(config.repeat.amount_bands)
            }
            rows.sort(key=lambda r: (r["shop_id"], order.get(r["amount_band"], -1)))
    elif view == "cohorts":
        rows = _cohorts(con, window, shop_ids)
    elif view == "overdue":
        rows = _overdue(con, window, config, shop_ids)
    else:  # pragma: no cover - the CLI offers only VIEWS
        raise ValueError(view)
    return RepeatReport(window, view, rows, definitions(view, config))
