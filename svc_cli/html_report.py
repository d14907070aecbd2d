"""`svc report html`: one self-contained HTML file (inline CSS and SVG, no scripts, no
network) with a section per shop.

A shop's page is a list of sections, each made by a small function of
``(page, report, lang)`` returning HTML (or "" to leave it out): ``SECTIONS``. A new part
(say a diagnosis or plan from their own modules) is a field on ``ShopPage`` and a function
in ``SECTIONS``. Every value that comes from the data goes through ``e`` (``html.escape``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from svc_cli.i18n import fill, grade_label, label
from svc_cli.svg import line_chart
from svc_cli.views_base import TS, as_of_text

if TYPE_CHECKING:
    from svc_cli.agents import Agent, ShopAgents
    from svc_cli.config import ModelConfig
    from svc_cli.diagnose import Diagnosis
    from svc_cli.plan import Plan
    from svc_cli.refunds import ShopRefunds
    from svc_cli.scoring import ShopScore
    from svc_cli.window import Window


@dataclass
class ShopPage:
    """What the report shows about one shop."""

    shop: ShopScore
    name: str | None = None
    target: float | None = None  # the score the plan reaches for
    #: (day, score): the score as of the end of each day (``svc trend`` points)
    trend: list[tuple[date | datetime, float | None]] = field(default_factory=list)
    repurchase: dict[str, Any] | None = None  # ShopRepurchase.to_dict()
    bad_reviews: list[dict[str, Any]] = field(default_factory=list)  # created_at, rating, text
    diagnosis: Diagnosis | None = None  # svc diagnose
    plan: Plan | None = None  # svc plan
    refunds: ShopRefunds | None = None  # svc report refunds (when the data has requests)
    agents: list[Agent] = field(default_factory=list)  # svc agents
    agents_shop: ShopAgents | None = None
    what_if_level: str = "senior"


@dataclass
class HtmlReport:
    window: Window
    config: ModelConfig
    pages: list[ShopPage]
    repurchase_days: int
    warnings: list[str] = field(default_factory=list)


def e(value: Any) -> str:
    """Escaped text of a value (None as a dash)."""
    return "—" if value is None else escape(str(value), quote=True)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _hours(value: float | None, lang: str) -> str:
    return "—" if value is None else fill("hours_value", lang, value=f"{value:.1f}")


def _value(config: ModelConfig, indicator: str, value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    if config.indicators[indicator].unit == "hours":
        return _hours(value, lang)
    return _pct(value)


def _names(config: ModelConfig, lang: str) -> dict[str, str]:
    """Industry and service ids -> names (services by their English name in English)."""
    if lang == "en":
        return {s.id: s.en for s in config.services.values()}
    return {**config.industries, **{s.id: s.zh for s in config.services.values()}}


def _say(message: str, config: ModelConfig, lang: str) -> str:
    from svc_cli.i18n import translate

    return translate(message, lang, _names(config, lang))


def _tier(shop: ShopScore) -> str:
    return shop.tier or shop.status


def _stars(stars: float | None) -> str:
    if stars is None:
        return ""
    full = int(stars)
    return "★" * full + ("½" if stars - full >= 0.5 else "") + "☆" * (5 - full - (stars > full))


def score_card(page: ShopPage, report: HtmlReport, lang: str) -> str:
    shop, t = page.shop, (lambda key: e(label(key, lang)))
    facts = [
        (t("base_score"), _num(shop.base_score)),
        (t("addon"), _num(shop.addon)),
        (t("stars"), f"{_num(shop.stars)} {_stars(shop.stars)}"),
        (t("badge_eligible"), t("yes" if shop.badge_eligible else "no")),
        (t("assessed"), f"{shop.assessed_count}/{len(shop.indicators)}"),
        (t("valid_orders"), e(shop.valid_orders)),
    ]
    dims = "".join(
        f'<div class="dim"><span>{t(d.name)}</span><b class="num">{_num(d.score)}</b></div>'
        for d in shop.dimensions.values()
    )
    return (
        f'<div class="card"><div class="score tier-{e(_tier(shop))}">'
        f'<b class="num" data-field="score">{_num(shop.score)}</b>'
        f'<span class="pill">{t(_tier(shop))}</span></div>'
        f"<dl>{''.join(f'<dt>{k}</dt><dd>{v}</dd>' for k, v in facts)}</dl>"
        f'<div class="dims">{dims}</div></div>'
    )


def indicators_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    config, t = report.config, (lambda key: e(label(key, lang)))
    rows = []
    for ind in page.shop.indicators.values():
        bar = ""
        if ind.score is not None:
            share = max(0.0, min(1.0, (ind.score - 3.0) / 2.0))
            bar = f'<span class="bar"><span style="width:{share * 100:.0f}%"></span></span>'
        note = "" if ind.assessed else e(_say(ind.reason or "", config, lang))
        rows.append(
            f"<tr><td>{t(config.indicators[ind.name].dimension)}</td><td>{t(ind.name)}</td>"
            f'<td class="num">{e(_value(config, ind.name, ind.value, lang))}</td>'
            f'<td class="num">{_num(ind.score)}{bar}</td>'
            f'<td class="num">{_num(ind.points_lost if ind.score is not None else None)}</td>'
            f'<td class="note">{note}</td></tr>'
        )
    numeric = ("value", "sub_score", "points_lost")
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{t(c)}</th>'
        for c in ("dimension", "indicator", "value", "sub_score", "points_lost", "note")
    )
    return (
        f"<h3>{t('indicators')}</h3><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _th(columns: list[str], numeric: tuple[str, ...], lang: str) -> str:
    return "".join(
        f'<th class="{"num" if c in numeric else ""}">{e(label(c, lang))}</th>' for c in columns
    )


def _table(columns: list[str], numeric: tuple[str, ...], rows: list[str], lang: str) -> str:
    return (
        f"<table><thead><tr>{_th(columns, numeric, lang)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


#: Indicators the diagnosis lists (those costing the most points).
DIAGNOSIS_SHOWN = 3


def diagnosis_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    """What costs the shop the most points (``svc diagnose``): the indicators with their
    events and the next day one leaves the window, the days the projected score crosses
    a threshold, and what could not be assessed or counted."""
    shop, config, d = page.shop, report.config, page.diagnosis
    parts = []
    lossy = [
        ind
        for ind in (d.indicators.values() if d is not None else [])
        if ind.points_lost is not None and ind.points_lost > 0
    ][:DIAGNOSIS_SHOWN]
    if lossy:
        rows = [
            f"<tr><td><b>{e(label(ind.name, lang))}</b></td>"
            f'<td class="num">{e(_value(config, ind.name, ind.value, lang))}</td>'
            f'<td class="num">{_num(ind.points_lost)}</td>'
            f'<td class="num" data-field="events">{e(len(ind.events or []))}</td>'
            f'<td class="num">{e(_day(ind.events[0].leaves_window_at) if ind.events else None)}'
            "</td></tr>"
            for ind in lossy
        ]
        columns = ["indicator", "value", "points_lost", "events", "next_roll_off"]
        parts.append(
            _table(columns, ("value", "points_lost", "events", "next_roll_off"), rows, lang)
        )
    if d is not None and d.milestones:
        items = "".join(
            f'<li><span class="num">{e(day.isoformat())}</span> {e(_say(text, config, lang))}</li>'
            for day, text in d.milestone_days()
        )
        parts.append(f"<h4>{e(label('projection_title', lang))}</h4><ul>{items}</ul>")
    notes = [e(_say(note, config, lang)) for note in shop.notes]
    if not lossy and not notes:
        notes.append(e(label("nothing_lost", lang)))
    if notes:
        parts.append("<ul>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>")
    return f"<h3>{e(label('diagnosis', lang))}</h3>{''.join(parts)}"


def _day(value: datetime) -> str:
    return value.strftime("%m-%d %H:%M")


def plan_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    """The cheapest whole-event fixes and services to the high tier (``svc plan``)."""
    shop, config, plan = page.shop, report.config, page.plan
    target = page.target if page.target is not None else config.tier_high
    title = e(fill("plan_section_title", lang, target=f"{target:.2f}"))
    if plan is None or shop.score is None:
        body = f"<p>{e(label('plan_no_score', lang))}</p>"
    elif not plan.reachable:
        body = f"<p>{e(_say(plan.reason or '', config, lang))}</p>"
    elif not plan.actions:
        body = f"<p>{e(fill('plan_reached', lang, target=f'{target:.2f}'))}</p>"
    else:
        rows = []
        for action in plan.actions:
            if action.service is not None:
                text, change = e(_say(action.service_text(), config, lang)), ""
            else:
                assert action.indicator is not None
                name = action.indicator
                sep = "：" if lang == "zh" else ": "
                text = f"<b>{e(label(name, lang))}</b>{sep}{e(_say(action.text, config, lang))}"
                change = (
                    f"{e(_value(config, name, action.value_from, lang))} → "
                    f"<b>{e(_value(config, name, action.value_to, lang))}</b>"
                )
            rows.append(
                f'<tr><td data-field="action">{text}</td><td class="num">{change}</td>'
                f'<td class="num">{e(action.cost)}</td></tr>'
            )
        summary = fill(
            "plan_summary",
            lang,
            before=_num(plan.before.score),
            after=_num(plan.after.score),
            target=f"{target:.2f}",
            cost=plan.cost,
        )
        body = f"<p>{e(summary)}</p>" + _table(
            ["action", "value", "cost"], ("value", "cost"), rows, lang
        )
    return f"<h3>{title}</h3>{body}"


def trend_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    if not page.trend:
        return ""
    config = report.config
    guides = [
        (config.tier_high, label("high", lang)),
        (config.tier_ordinary, label("ordinary", lang)),
    ]
    chart = line_chart(
        page.trend,
        guides=guides,
        title=label("score_trend", lang),
        empty_text=label("no_data", lang),
    )
    caption = fill("trend_caption", lang, weeks=len(page.trend), days=report.window.days)
    return (
        f"<h3>{e(label('score_trend', lang))}</h3><figure>{chart}"
        f"<figcaption>{e(caption)}</figcaption></figure>"
    )


def repurchase_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    if page.repurchase is None:
        return ""
    rr = page.repurchase
    cols = [c for c in rr if c != "shop_id"]
    cells = "".join(
        f'<td class="num">{e(rr[c]) if c in ("customers", "repeat_customers") else _pct(rr[c])}'
        "</td>"
        for c in cols
    )
    head = "".join(f'<th class="num">{e(label(c, lang))}</th>' for c in cols)
    caption = fill("repurchase_caption", lang, days=report.repurchase_days)
    return (
        f"<h3>{e(label('repurchase', lang))}</h3><table><thead><tr>{head}</tr></thead>"
        f'<tbody><tr>{cells}</tr></tbody></table><p class="small">{e(caption)}</p>'
    )


def refunds_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    """Refund retention (``svc report refunds``) when the data has refund requests."""
    if page.refunds is None:
        return ""
    counts = page.refunds.total.to_dict()
    fmt = {
        "retention_rate": _pct,
        "median_handling_hours": lambda v: _hours(v, lang),
    }
    columns = list(counts)
    cells = "".join(
        f'<td class="num">{e(fmt[c](counts[c]) if c in fmt else counts[c])}</td>' for c in columns
    )
    notes = [label("refund_score_effect", lang)]
    if page.refunds.withdrawn_quality:
        notes.append(
            fill(
                "withdrawn_quality_note",
                lang,
                shop=page.shop.shop_id,
                count=page.refunds.withdrawn_quality,
            )
        )
    small = "".join(f'<p class="small">{e(n)}</p>' for n in notes)
    return (
        f"<h3>{e(label('refunds_section', lang))}</h3>"
        f"{_table(columns, tuple(columns), [f'<tr>{cells}</tr>'], lang)}{small}"
    )


def agents_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    """The shop's customer-service agents (``svc agents``) when the chats name them."""
    if not page.agents:
        return ""
    rows = []
    for agent in page.agents:
        a = agent.to_dict()
        lost = [a["response_points_lost"], a["satisfaction_points_lost"]]
        points = None if all(v is None for v in lost) else sum(v or 0.0 for v in lost)
        rows.append(
            f"<tr><td>{e(a['agent_id'])}</td><td class='num'>{e(a['sessions'])}</td>"
            f"<td class='num'>{_pct(a['response_3min_rate'])}</td>"
            f"<td class='num'>{_pct(a['satisfaction_rate'])}</td>"
            f"<td>{e(grade_label(a['grade'], lang))}</td>"
            f"<td class='num'>{'—' if points is None else f'{points:.3f}'}</td></tr>"
        )
    columns = [
        "agent_id", "sessions", "response_3min_rate", "satisfaction_rate", "grade",
        "agent_points_lost",
    ]  # fmt: skip
    numeric = ("sessions", "response_3min_rate", "satisfaction_rate", "agent_points_lost")
    body = _table(columns, numeric, rows, lang)
    after = page.agents_shop.what_if if page.agents_shop is not None else None
    if after is not None and after.score is not None:
        line = fill(
            "agents_what_if_line",
            lang,
            level=label(page.what_if_level, lang),
            score=_num(after.score),
            tier=label(after.tier or after.status, lang),
        )
        body += f'<p class="small">{e(line)}</p>'
    return f"<h3>{e(label('agents_title', lang))}</h3>{body}"


def reviews_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    if not page.bad_reviews:
        return ""
    items = "".join(
        f'<li><span class="small">{e(day)} · {e(r["rating"])}★</span> {e(r["text"])}</li>'
        for r in page.bad_reviews
        for day in [r["created_at"].strftime("%Y-%m-%d")]
    )
    return f'<h3>{e(label("bad_reviews", lang))}</h3><ul class="reviews">{items}</ul>'


#: The sections of a shop's page, in order.
SECTIONS: list[Callable[[ShopPage, HtmlReport, str], str]] = [
    score_card,
    indicators_section,
    diagnosis_section,
    plan_section,
    trend_section,
    repurchase_section,
    refunds_section,
    agents_section,
    reviews_section,
]


def shop_section(page: ShopPage, report: HtmlReport, lang: str) -> str:
    shop = page.shop
    industry = _names(report.config, lang).get(shop.industry, shop.industry)
    name = f"{e(page.name)} " if page.name else ""
    parts = "".join(section(page, report, lang) for section in SECTIONS)
    return (
        f'<section class="shop" id="shop-{e(shop.shop_id)}">'
        f'<h2>{name}<span class="id">{e(shop.shop_id)}</span> '
        f'<span class="industry">{e(industry)}</span></h2>{parts}</section>'
    )


def overview(report: HtmlReport, lang: str) -> str:
    t = lambda key: e(label(key, lang))  # noqa: E731
    rows = "".join(
        f'<tr><td><a href="#shop-{e(p.shop.shop_id)}">{e(p.shop.shop_id)}</a></td>'
        f"<td>{e(p.name)}</td>"
        f'<td class="num">{_num(p.shop.score)}</td>'
        f'<td><span class="pill tier-{e(_tier(p.shop))}">{t(_tier(p.shop))}</span></td>'
        f"<td>{e(label(loss.name, lang)) if (loss := p.shop.biggest_loss()) else '—'}</td></tr>"
        for p in report.pages
    )
    head = "".join(
        f'<th class="{"num" if c == "score" else ""}">{t(c)}</th>'
        for c in ("shop_id", "name", "score", "tier", "biggest_loss")
    )
    return f'<table class="overview"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


CSS = """
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC",
  "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); margin: 0;
  background: #f3f4f6; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 18px 0 6px; color: #374151; }
h4 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); font-weight: 600; }
.small, figcaption, .meta { color: var(--muted); font-size: 13px; }
section.shop, .overview-box { background: #fff; border: 1px solid var(--line);
  border-radius: 10px; padding: 20px 24px; margin: 18px 0; }
.id { font-family: ui-monospace, monospace; color: var(--muted); font-size: 15px; }
.industry { font-size: 13px; background: #eef2ff; color: #3730a3; border-radius: 10px;
  padding: 1px 8px; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; text-align: right; }
td.note { color: var(--muted); font-size: 13px; }
.card { display: flex; gap: 28px; align-items: center; flex-wrap: wrap; }
.score { text-align: center; min-width: 130px; }
.score b { display: block; font-size: 46px; line-height: 1.1; }
.pill { display: inline-block; border-radius: 10px; padding: 1px 10px; font-size: 13px;
  background: #e5e7eb; }
.tier-high .pill, .pill.tier-high { background: #dcfce7; color: #166534; }
.tier-ordinary .pill, .pill.tier-ordinary { background: #fef9c3; color: #854d0e; }
.tier-low .pill, .pill.tier-low { background: #fee2e2; color: #991b1b; }
dl { display: grid; grid-template-columns: auto auto; gap: 2px 14px; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; font-variant-numeric: tabular-nums; }
.dims { display: flex; gap: 12px; }
.dim { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px;
  text-align: center; } .dim span { display: block; color: var(--muted); font-size: 13px; }
.dim b { font-size: 20px; }
.bar { display: inline-block; width: 60px; height: 6px; background: #e5e7eb;
  border-radius: 3px; margin-left: 8px; vertical-align: middle; }
.bar span { display: block; height: 100%; background: #2563eb; border-radius: 3px; }
svg.chart { max-width: 100%; height: auto; }
.chart .tick, .chart .guide, .chart .empty { font-size: 11px; fill: var(--muted); }
.chart .guide { fill: #b45454; }
figure { margin: 0; }
ul.reviews li { margin: 4px 0; }
footer { color: var(--muted); font-size: 12px; margin: 24px 0; }
footer p { margin: 4px 0; }
"""


def render_html(report: HtmlReport, lang: str = "en") -> str:
    """The whole report as one HTML document."""
    from svc_cli.repurchase import DEFINITION_KEYS

    w = report.window
    meta = fill(
        "score_footer",
        lang,
        as_of=as_of_text(w.as_of, lang),
        start=w.start.strftime(TS),
        end=w.as_of.strftime(TS),
        days=w.days,
        benchmark=label("thresholds", lang),
        config=label(report.config.source, lang),
    )
    tiers = fill(
        "tiers_footer",
        lang,
        high=f"{report.config.tier_high:.2f}",
        ordinary=f"{report.config.tier_ordinary:.2f}",
        orders=report.config.growth_min_orders,
    )
    warnings = "".join(
        f"<p>{e(label('warning', lang))}{e(_say(m, report.config, lang))}</p>"
        for m in report.warnings
    )
    definitions = "".join(f"<p>{e(label(k, lang))}</p>" for k in DEFINITION_KEYS)
    shops = "".join(shop_section(p, report, lang) for p in report.pages)
    title = label("report_title", lang)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>"
        f'<h1>{e(title)}</h1><p class="meta">{e(meta)}</p><p class="meta">{e(tiers)}</p>'
        f'<div class="overview-box">{overview(report, lang)}</div>{shops}'
        f"<footer>{warnings}{definitions}</footer></main></body></html>\n"
    )
