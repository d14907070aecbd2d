"""The view helpers every view shares, and the service catalog (`svc services`).

Kept apart from ``svc_cli.views`` so that `svc services` imports no more than it
renders: no model computations, no coverage or query modules (start-up time counts).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from svc_cli.i18n import fill, label
from svc_cli.render import Output, Section

if TYPE_CHECKING:
    from svc_cli.config import ModelConfig


#: How views show an instant (``window.TIMESTAMP_FORMAT``, not imported: `svc services`
#: imports this module, and ``svc_cli.window`` would bring zoneinfo into its start-up).
TS = "%Y-%m-%d %H:%M:%S"


def as_of_text(instant: datetime, lang: str) -> str:
    """The as-of instant as a footer shows it; a midnight also as the day it ends
    (``--as-of 2025-10-31`` is the instant 2025-11-01 00:00:00)."""
    text = instant.strftime(TS)
    if instant.time() != time():
        return text
    day = (instant - timedelta(days=1)).date().isoformat()
    return fill("as_of_end_of_day", lang, instant=text, day=day)


def num2(value: float) -> str:
    return f"{value:.2f}"


def headers(columns: list[str], lang: str) -> dict[str, str]:
    """Column labels in ``lang``."""
    return {c: label(c, lang) for c in columns}


def names(config: ModelConfig | None, lang: str) -> dict[str, str]:
    """Industry and service ids -> their names in ``lang`` (ids in English)."""
    if config is None or lang == "en":
        return {}
    return {**config.industries, **{s.id: s.zh for s in config.services.values()}}


def industry_name(config: ModelConfig | None, industry: str, lang: str) -> str:
    return names(config, lang).get(industry, industry)


def services_output(config: ModelConfig, industry: str | None, lang: str = "en") -> Output:
    rows = [
        {"id": s.id, "zh": s.zh, "en": s.en, "industry": s.industry, "points": s.points}
        for s in (config.services_for(industry) if industry else config.services.values())
    ]
    footer = [fill("services_footer", lang, cap=f"{config.addon_cap:.2f}")]
    cols = ["id", "zh", "en", "industry", "points"]
    if lang == "zh":
        cols.remove("en")
    shown = [
        {
            **r,
            "industry": label(str(r["industry"]), lang)
            if r["industry"] == "any"
            else industry_name(config, str(r["industry"]), lang),
        }
        for r in rows
    ]
    section = Section(
        shown,
        cols,
        None,
        headers(cols, lang),
        formatters={"points": num2},
        wrap=("en",),
        drop=("zh", "industry"),  # the points are what the list is for
    )
    csv = Section(rows, ["id", "zh", "en", "industry", "points"])  # the same in every language
    return Output([section], {"services": rows}, rows, footer, csv=csv, lang=lang)
