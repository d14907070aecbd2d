"""Turning results into ``render.Output``: which rows and columns each command shows.

JSON and CSV keep stable English field names and values (the contract); ``lang`` only
changes the labels of the terminal table and Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from svc_cli.i18n import CLAUSE_SEPARATOR, fill, grade_label, label, term, translate
from svc_cli.render import Output, Section
from svc_cli.views_base import TS, as_of_text, industry_name, names, num2
from svc_cli.views_base import headers as _headers
from svc_cli.views_base import services_output as services_output

if TYPE_CHECKING:
    from svc_cli.agents import AgentReport
    from svc_cli.config import ModelConfig
    from svc_cli.diagnose import Diagnosis
    from svc_cli.load import LoadResult
    from svc_cli.plan import Plan
    from svc_cli.refunds import RefundReport
    from svc_cli.repeat import RepeatReport
    from svc_cli.repurchase import RepurchaseReport
    from svc_cli.score_report import ScoreReport
    from svc_cli.scoring import ShopScore
    from svc_cli.service_repurchase import ServiceRepurchaseReport
    from svc_cli.simulate import Simulation
    from svc_cli.trend import Trend


def pct(value: float) -> str:
    return f"{value * 100:.2f}%"


def hours(value: float, lang: str = "en") -> str:
    """``62.3 h`` (``62.3 小时``)."""
    return fill("hours_value", lang, value=f"{value:.1f}")


def _value_text(config: ModelConfig, indicator: str, value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    return hours(value, lang) if config.indicators[indicator].unit == "hours" else pct(value)


def say(message: str, lang: str, config: ModelConfig | None = None) -> str:
    """A library message (``i18n.Message``) or id in ``lang``."""
    return translate(message, lang, names(config, lang))


def _colon(lang: str) -> str:
    """A label's colon: full width in Chinese text."""
    return "：" if lang == "zh" else ": "


def value_label(value: str, lang: str) -> str:
    """An id shown as a value: itself in English, its label in other languages."""
    return value if lang == "en" else label(value, lang)


def _yes_no(value: bool, lang: str) -> str:
    return label("yes" if value else "no", lang)


def _shop_row(
    shop: ShopScore, lang: str, name: str | None = None, config: ModelConfig | None = None
) -> dict[str, Any]:
    loss = shop.biggest_loss()
    return {
        "shop_id": shop.shop_id,
        "name": name,
        "industry": industry_name(config, shop.industry, lang),
        "score": shop.score,
        "tier": label(shop.tier or shop.status, lang),
        "stars": shop.stars,
        "badge_eligible": label("yes" if shop.badge_eligible else "no", lang),
        "assessed": f"{shop.assessed_count}/{len(shop.indicators)}",
        **{d.name: d.score for d in shop.dimensions.values()},
        "addon": shop.addon,
        "biggest_loss": label(loss.name, lang) if loss else None,
        "biggest_loss_points": f"−{loss.points_lost:.2f}" if loss else None,
    }


def _shop_notes(shop: ShopScore, lang: str, config: ModelConfig | None = None) -> list[str]:
    """Growth-stage reasons, ignored services and why indicators were not assessed."""
    notes = [say(n, lang, config) for n in shop.notes]
    if shop.status != "growth_stage":
        notes += [
            fill(
                "not_assessed_note",
                lang,
                indicator=label(i.name, lang),
                reason=say(i.reason or "", lang, config),
            )
            for i in shop.indicators.values()
            if not i.assessed
        ]
    sep = _colon(lang)
    return [f"{shop.shop_id}{sep}{note}" for note in notes]


def _flat_shop(shop: ShopScore) -> dict[str, Any]:
    """One wide CSV row per shop (stable English names)."""
    d = shop.to_dict()
    row: dict[str, Any] = {
        k: d[k]
        for k in (
            "shop_id",
            "industry",
            "status",
            "valid_orders_in_window",
            "score",
            "raw_score",
            "base_score",
            "addon",
            "service_points",
            "delivery_points",
            "tier",
            "stars",
            "badge_eligible",
            "assessed_indicators",
        )
    }
    row["missing_inputs"] = ";".join(d["missing_inputs"])
    row["window_start"], row["window_end"] = d["window"]["start"], d["window"]["end"]
    for name, dim in d["dimensions"].items():
        row[f"{name}_score"] = dim["score"]
        row[f"{name}_effective_weight"] = dim["effective_weight"]
    for name, ind in d["indicators"].items():
        row[f"{name}_value"] = ind["value"]
        row[f"{name}_score"] = ind["score"]
        row[f"{name}_assessed"] = ind["assessed"]
        row[f"{name}_reason"] = ind["reason"]
    row["delivery_share"] = d["delivery_share"]
    row["biggest_loss"] = d["diagnosis"]["indicator"] if d["diagnosis"] else None
    row["biggest_loss_points"] = d["diagnosis"]["points_lost"] if d["diagnosis"] else None
    return row


def breakdown(shop: ShopScore, config: ModelConfig, lang: str) -> Section:
    """Per-indicator breakdown of one shop, ordered by dimension."""
    rows = []
    for ind in shop.indicators.values():
        dim = config.indicators[ind.name].dimension
        rows.append(
            {
                "dimension": label(dim, lang),
                "indicator": label(ind.name, lang),
                "value": _value_text(config, ind.name, ind.value, lang),
                "sub_score": ind.score,
                "weight": ind.weight,
                "effective_weight": ind.effective_weight,
                "points_lost": ind.points_lost if ind.score is not None else None,
                "assessed": label("yes" if ind.assessed else "no", lang),
            }
        )
    columns = list(rows[0])
    industry = industry_name(config, shop.industry, lang)
    title = f"{label('shop_id', lang)} {shop.shop_id}" + (
        f"（{industry}）" if lang == "zh" else f" ({industry})"
    )
    return Section(
        rows,
        columns,
        title,
        _headers(columns, lang),
        {"sub_score": num2, "weight": num2, "effective_weight": num2, "points_lost": num2},
        wrap=("indicator",),
        drop=("weight", "dimension", "assessed", "effective_weight"),
    )


def _benchmark_used(report: ScoreReport, lang: str) -> str:
    """The report's benchmark, and where peers fell back to thresholds (too few peers)."""
    used = {s.benchmark for s in report.shops}
    name = report.benchmark.name
    if used and name not in used:
        return fill("benchmark_none_used", lang, asked=label(name, lang))
    if len(used) > 1:
        return fill("benchmark_some_used", lang, asked=label(name, lang))
    return label(name, lang)


def score_output(report: ScoreReport, lang: str = "en") -> Output:
    rows = [_shop_row(s, lang, report.names.get(s.shop_id), report.config) for s in report.shops]
    columns = [
        "shop_id",
        "name",
        "industry",
        "score",
        "tier",
        "stars",
        "badge_eligible",
        "assessed",
        *report.config.dimensions,
        "addon",
        "biggest_loss",
        "biggest_loss_points",
    ]
    summary = Section(
        rows,
        columns,
        None,
        _headers(columns, lang),
        {
            "score": num2,
            "stars": stars_text,
            **{d: num2 for d in report.config.dimensions},
            "addon": num2,
        },
        wrap=("name", "biggest_loss"),
        # what a merchant acts on (score, tier, badge, what costs most) stays longest,
        # and what the score rests on (assessed: a score of 2 of 8 indicators must not
        # pass for a whole one); the shop's name and the stars (the score in halves)
        # before them
        drop=(
            "industry",
            *reversed(report.config.dimensions),
            "addon",
            "name",
            "stars",
            "assessed",
        ),
        beside={"biggest_loss_points": "biggest_loss"},
    )
    if not report.names:
        summary = summary._replace(columns=[c for c in columns if c != "name"])
    sections = [summary]
    if len(report.shops) == 1:
        sections.append(breakdown(report.shops[0], report.config, lang))
    w, config = report.window, report.config
    footer = [
        fill(
            "score_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            days=w.days,
            benchmark=_benchmark_used(report, lang),
            config=label(config.source, lang),
        ),
        fill(
            "tiers_footer",
            lang,
            high=f"{config.tier_high:.2f}",
            ordinary=f"{config.tier_ordinary:.2f}",
            orders=config.growth_min_orders,
        ),
    ]
    footer += report.notes
    for shop in report.shops:
        footer += _shop_notes(shop, lang, config)
    document = report.to_dict()
    csv_rows = Section([_flat_shop(s) for s in report.shops])
    shops: list[Any] = document["shops"]  # type: ignore[assignment]
    return Output(sections, document, shops, footer, csv=csv_rows, lang=lang)


def simulate_output(sim: Simulation, config: ModelConfig, lang: str = "en") -> Output:
    b, a = sim.before, sim.after
    rows: list[dict[str, Any]] = []

    def add(item: str, before: Any, after: Any) -> None:
        rows.append({"item": item, "before": before, "after": after})

    for name in config.indicators:
        ib, ia = b.indicators[name], a.indicators[name]
        add(
            label(name, lang),
            _value_text(config, name, ib.value, lang),
            _value_text(config, name, ia.value, lang),
        )
        add(f"  {label('sub_score', lang)}", _n(ib.score), _n(ia.score))
    for name in config.dimensions:
        add(label(name, lang), _n(b.dimensions[name].score), _n(a.dimensions[name].score))
    add(label("base_score", lang), _n(b.base_score), _n(a.base_score))
    add(label("addon", lang), _n(b.addon), _n(a.addon))
    add(label("score", lang), _n(b.score), _n(a.score))
    add(
        label("tier", lang),
        label(b.tier or b.status, lang),
        label(a.tier or a.status, lang),
    )
    add(label("stars", lang), _stars_or_dash(b.stars), _stars_or_dash(a.stars))
    add(
        label("badge_eligible", lang),
        label("yes" if b.badge_eligible else "no", lang),
        label("yes" if a.badge_eligible else "no", lang),
    )
    comma = "，" if lang == "zh" else ", "  # between phrases, not a list of names
    changes = comma.join(_describe_change(c, lang, config) for c in sim.changes) or label(
        "none", lang
    )
    main = Section(
        rows,
        ["item", "before", "after"],
        f"{sim.shop_id}{_colon(lang)}{changes}",
        _headers(["item", "before", "after"], lang),
    )
    sections = [main]
    if sim.paths:
        path_rows = [
            {
                "way": CLAUSE_SEPARATOR.get(lang, "; ").join(
                    _describe_path_change(c, config, lang) for c in p["changes"]
                ),
                "score": p["score"],
            }
            for p in sim.paths
        ]
        sections.append(
            Section(
                path_rows,
                ["way", "score"],
                fill("ways_title", lang, target=f"{sim.target:.2f}"),
                _headers(["way", "score"], lang),
                formatters={"score": num2},
                wrap=("way",),
            )
        )
    footer = _plan_footer(sim, config, lang)
    footer += [
        fill(
            "window_footer",
            lang,
            as_of=as_of_text(sim.after.window_end, lang),
            start=sim.after.window_start.strftime(TS),
            end=sim.after.window_end.strftime(TS),
        )
    ]
    estimate = sim.repurchase_estimate
    if estimate is not None:
        source = say(estimate["source"], lang, config)
        if estimate["projected_rate"] is not None:
            spread = (
                fill(
                    "estimate_spread",
                    lang,
                    low=pct(estimate["projected_low"]),
                    high=pct(estimate["projected_high"]),
                    ratio_low=f"{estimate['ratio_low']:.2f}",
                    ratio_high=f"{estimate['ratio_high']:.2f}",
                )
                if estimate.get("projected_low") is not None
                else ""
            )
            footer.append(
                fill(
                    "estimate_footer",
                    lang,
                    metric=label(estimate.get("metric", "repeat_purchase_rate"), lang),
                    before=pct(estimate["current_rate"]),
                    after=pct(estimate["projected_rate"]),
                    ratio=f"{estimate['ratio']:.2f}",
                    spread=spread,
                    source=source,
                )
            )
        else:
            footer.append(fill("no_estimate_footer", lang, source=source))
    footer += _shop_notes(sim.after, lang, config)
    document = sim.to_dict()
    return Output(sections, document, [document], footer, csv=_simulate_csv(sim, config), lang=lang)


def _plan_footer(sim: Simulation, config: ModelConfig, lang: str) -> list[str]:
    """Under the ways (which change rates): ``svc plan``'s whole-event actions to the same
    target from the data before the changes, or where to find them."""
    plan = sim.plan
    if not sim.paths:
        return []
    if plan is None or not plan.reachable or not plan.actions:
        return [label("ways_plan_hint", lang)]
    actions = [
        say(a.service_text(), lang, config)
        if a.service is not None
        else f"{label(a.indicator or '', lang)}{_colon(lang)}{say(a.text, lang)}"
        for a in plan.actions
    ]
    return [
        fill(
            "ways_plan_footer",
            lang,
            actions=fill("clauses", lang, parts=CLAUSE_SEPARATOR.get(lang, "; ").join(actions)),
            cost=plan.cost,
        )
    ]


def _simulate_csv(sim: Simulation, config: ModelConfig) -> Section:
    """Everything the simulate table shows, as tidy rows with raw values (rates as
    fractions, hours as numbers): before/after of each indicator, sub-score, dimension
    and score item; each way to the target; the repurchase estimate."""
    b, a = sim.before, sim.after
    rows: list[dict[str, Any]] = []

    def add(section: str, item: str, before: Any, after: Any, detail: Any = None) -> None:
        rows.append(
            {"section": section, "item": item, "before": before, "after": after, "detail": detail}
        )

    for name in config.indicators:
        ib, ia = b.indicators[name], a.indicators[name]
        add("indicator", name, ib.value, ia.value, config.indicators[name].unit)
        add("sub_score", name, ib.score, ia.score)
    for name in config.dimensions:
        add("dimension", name, b.dimensions[name].score, a.dimensions[name].score)
    for item in ("base_score", "addon", "score", "tier", "stars", "badge_eligible"):
        add("score", item, getattr(b, item), getattr(a, item))
    for i, path in enumerate(sim.paths, 1):
        changes = "; ".join(
            f"add_service={c['add_service']}" if "add_service" in c else f"{c['set']}={c['value']}"
            for c in path["changes"]
        )
        add("way_to_target", f"way {i} to {sim.target:.2f}", None, path["score"], changes)
    estimate = sim.repurchase_estimate
    if estimate is not None:
        add(
            "repurchase_estimate",
            estimate["metric"],
            estimate["current_rate"],
            estimate["projected_rate"],
            "estimate, not part of the score; "
            + (f"ratio {estimate['ratio']}; " if estimate.get("ratio") is not None else "")
            + f"source: {estimate.get('source')}",
        )
    add(
        "window",
        "as_of",
        None,
        sim.after.window_end.strftime(TS),
        "window start (exclusive): " + sim.after.window_start.strftime(TS),
    )
    return Section(rows, ["section", "item", "before", "after", "detail"])


def stars_text(value: float) -> str:
    """Stars in half steps: ``4.5``, ``5.0``."""
    return f"{value:.1f}"


def days_text(value: float) -> str:
    """A count of days: whole days as an integer (``17``), a half (a median) as ``20.5``."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _stars_or_dash(value: float | None) -> str:
    return "—" if value is None else stars_text(value)


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _describe_change(change: Any, lang: str, config: ModelConfig) -> str:
    """A ``simulate.Change`` as given on the command line, in ``lang``."""
    if lang == "en":
        return str(change.describe())
    if change.kind == "add_service":
        service = names(config, lang).get(change.target, change.target)
        return fill("add_service", lang, service=service)
    if change.kind == "fix":
        return fill(
            "fix_events", lang, count=int(change.amount or 0), indicator=label(change.target, lang)
        )
    key = "set_value" if change.kind == "set" else "improve_by"
    return fill(key, lang, indicator=label(change.target, lang), value=f"{change.amount:g}")


def _describe_path_change(change: dict[str, Any], config: ModelConfig, lang: str) -> str:
    if "add_service" in change:
        service = change["add_service"]
        return f"+ {names(config, lang).get(service, service)}"
    name = change["set"]
    before = _value_text(config, name, change["from"], lang)
    after = _value_text(config, name, change["value"], lang)
    return f"{label(name, lang)}{_colon(lang)}{before} → {after}"


def _cohort_pivot(cells: list[dict[str, Any]], value: str) -> tuple[list[dict[str, Any]], int]:
    """Tidy cohort cells as one row per (shop, cohort) with a column ``m<k>`` per month
    after the first order, and the last month k seen."""
    pivot: dict[tuple[str, str], dict[str, Any]] = {}
    for c in cells:
        row = pivot.setdefault(
            (c["shop_id"], c["cohort"]),
            {"shop_id": c["shop_id"], "cohort": c["cohort"], "customers": c["cohort_customers"]},
        )
        row[f"m{c['month']}"] = c[value]
    return list(pivot.values()), max((c["month"] for c in cells), default=0)


#: The repurchase table's columns left out first when narrow: the repeat rate and the
#: 30- and 90-day repurchase rates are what it is for.
REPURCHASE_DROP = (
    "rr_365d",
    "rr_180d",
    "returning_customer_rate",
    "name",
    "repeat_customers",
    "customers",
    "rr_30d",
)


def repurchase_output(report: RepurchaseReport, lang: str = "en") -> Output:
    from svc_cli.repurchase import DEFINITION_KEYS, HORIZONS

    w, groups, cohort_cells = report.window, report.groups, report.cohorts
    footer = [
        fill(
            "repurchase_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            days=w.days,
            last=w.last_day.isoformat(),
        ),
        *(label(key, lang) for key in DEFINITION_KEYS),
    ]
    rate_fmt = {
        "repeat_purchase_rate": pct,
        "returning_customer_rate": pct,
        **{f"rr_{n}d": pct for n in HORIZONS},
    }
    document = report.to_dict()
    if cohort_cells is not None:
        pivot, months = _cohort_pivot(cohort_cells, "share")
        cols = ["shop_id", "cohort", "customers", *(f"m{k}" for k in range(months + 1))]
        headers = {
            **_headers(cols, lang),
            **{f"m{k}": fill("month", lang, k=k) for k in range(months + 1)},
        }
        table = Section(
            pivot,
            cols,
            label("cohort_title", lang),
            headers,
            formatters={f"m{k}": pct for k in range(months + 1)},
            drop=tuple(f"m{k}" for k in range(months, 0, -1)),
        )
        tidy = Section(cohort_cells)
        footer.insert(1, label("cohort_footer", lang))
        return Output([table], document, cohort_cells, footer, csv=tidy, lang=lang)
    if report.customers is not None:
        cols = list(report.customers[0]) if report.customers else ["customer_id"]
        shown_customers = [
            {**c, "repeat_in_window": _yes_no(bool(c.get("repeat_in_window")), lang)}
            for c in report.customers
        ]
        section = Section(
            shown_customers, cols, label("customers_title", lang), _headers(cols, lang)
        )
        footer.insert(1, label("customers_footer", lang))
        return Output([section], document, report.customers, footer, lang=lang)
    if groups is not None:  # the rates' bases (eligible_Nd) in JSON and CSV only
        cols = [c for c in groups[0] if not c.startswith("eligible_")] if groups else ["group"]
        shown = [{**g, "group": label(g["group"], lang)} for g in groups]
        section = Section(
            shown,
            cols,
            label("by_tier_title", lang),
            _headers(cols, lang),
            formatters=rate_fmt,
            drop=REPURCHASE_DROP,
        )
        return Output([section], document, groups, footer, csv=Section(groups), lang=lang)
    rows = [{**s.to_dict(), "name": report.names.get(s.shop_id)} for s in report.shops]
    cols = [
        "shop_id",
        *(["name"] if report.names else []),
        "customers",
        "repeat_customers",
        "repeat_purchase_rate",
        "returning_customer_rate",
        *(f"rr_{n}d" for n in HORIZONS),
    ]
    section = Section(
        rows,
        cols,
        None,
        _headers(cols, lang),
        rate_fmt,
        wrap=("name",),
        drop=REPURCHASE_DROP,
    )
    json_rows = [s.to_dict() for s in report.shops]
    csv = Section(rows, [*cols, *(f"eligible_{n}d" for n in HORIZONS)])  # the rates' bases
    return Output([section], document, json_rows, footer, csv=csv, lang=lang)


def agents_output(report: AgentReport, lang: str = "en") -> Output:
    """Agents (spec §12): one row per agent, then per shop the points lost and the what-if."""
    from svc_cli.agents import DEFINITIONS

    document = report.to_dict()
    agents: list[dict[str, Any]] = document["agents"]
    level = report.config.what_if_level
    rows = [
        {
            **a,
            "grade": grade_label(a["grade"], lang),
            "grade_note": say(a["grade_note"] or "", lang),
        }
        for a in agents
    ]
    columns = [
        "shop_id",
        "agent_id",
        "sessions",
        "response_3min_rate",
        "mean_first_response_seconds",
        "satisfaction_rate",
        "qa_score",
        "grade",
        "response_points_lost",
        "satisfaction_points_lost",
        "grade_note",
    ]
    fmt = {
        "response_3min_rate": pct,
        "satisfaction_rate": pct,
        "mean_first_response_seconds": lambda v: f"{v:.1f}",
        "qa_score": lambda v: f"{v:.1f}",
        "response_points_lost": lambda v: f"{v:.3f}",
        "satisfaction_points_lost": lambda v: f"{v:.3f}",
        "score": num2,
        "what_if_score": num2,
    }
    section = Section(
        rows,
        columns,
        label("agents_title", lang),
        _headers(columns, lang),
        fmt,
        wrap=("grade_note",),
        drop=(  # the grade (what the report is for) and the metrics it rests on stay
            "grade_note",
            "mean_first_response_seconds",
            "qa_score",
            "satisfaction_points_lost",
            "response_points_lost",
            "sessions",
            "satisfaction_rate",
            "response_3min_rate",
        ),
    )
    shop_rows = [
        {
            "shop_id": s["shop_id"],
            "score": s["score"],
            "tier": label(s["tier"] or s["status"] or "no_data", lang),
            "response_points_lost": s["response_points_lost"],
            "satisfaction_points_lost": s["satisfaction_points_lost"],
            "unassigned_sessions": s["unassigned_sessions"],
            "what_if_score": s["what_if"]["score"],
            "what_if_tier": label(
                s["what_if"]["tier"] or s["what_if"]["status"] or "no_data", lang
            ),
        }
        for s in document["shops"]
    ]
    shop_cols = list(shop_rows[0]) if shop_rows else ["shop_id"]
    shops = Section(
        shop_rows,
        shop_cols,
        fill("agent_shops_title", lang, level=label(level, lang)),
        _headers(shop_cols, lang),
        fmt,
        # the score now and if every agent reached the level: what the table is for
        drop=(
            "unassigned_sessions",
            "tier",
            "satisfaction_points_lost",
            "response_points_lost",
            "what_if_tier",
        ),
    )
    w = report.window
    levels = fill(
        "clauses",
        lang,
        parts=CLAUSE_SEPARATOR.get(lang, "; ").join(
            fill(
                "agent.level",
                lang,
                name=lv.name,
                zh=lv.zh,
                sessions=lv.sessions,
                response=f"{lv.response_3min_rate:.0%}",
                satisfaction=f"{lv.satisfaction_rate:.0%}",
                qa=f"{lv.qa_score:g}",
            )
            for lv in report.config.levels
        ),
    )
    c = report.config
    footer = [
        fill(
            "window_days_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            days=w.days,
        ),
        fill("agents_levels", lang, levels=levels),
        fill(
            "agents_samples",
            lang,
            sessions=c.min_service_hour_sessions,
            rated=c.min_rated_sessions,
            qa=c.min_qa_scored_sessions,
        ),
        *(say(d, lang) for d in DEFINITIONS),
        fill("agents_what_if", lang, level=label(level, lang) if lang != "en" else level),
    ]
    sections = [s for s in (section, shops) if s.rows]  # a line, not an empty table
    if not agents:
        footer = [label("no_agents", lang), *(footer if sections else footer[:1])]
    return Output(sections, document, agents, footer, csv=Section(agents), lang=lang)


def _interval_text(low: float | None, high: float | None, fmt: Any = pct) -> str | None:
    return None if low is None or high is None else f"{fmt(low)}–{fmt(high)}"


def _rr_rows(
    rows: list[dict[str, Any]], horizons: list[int], key: str, lang: str
) -> list[dict[str, Any]]:
    shown = []
    for row in rows:
        out: dict[str, Any] = {key: label(row[key], lang)}
        if "shops" in row:
            out["shops"] = row["shops"]
        out["customers"] = row["customers"]
        for n in horizons:
            out[f"eligible_{n}d"] = row[f"eligible_{n}d"]
            out[f"rr_{n}d"] = row[f"rr_{n}d"]
            out[f"rr_{n}d_interval"] = _interval_text(row[f"rr_{n}d_low"], row[f"rr_{n}d_high"])
        shown.append(out)
    return shown


def _rr_headers(
    columns: list[str], horizons: list[int], lang: str, confidence: float
) -> dict[str, str]:
    headers = _headers(columns, lang)
    interval = fill("interval", lang, confidence=f"{confidence:.0%}")
    headers["interval"] = interval
    for n in horizons:
        headers[f"eligible_{n}d"] = _horizon_header("eligible", n, lang)
        headers[f"rr_{n}d"] = label(f"rr_{n}d", lang)
        headers[f"rr_{n}d_interval"] = f"{label(f'rr_{n}d', lang)} {interval}"
    return headers


def _horizon_header(name: str, days: int | str, lang: str) -> str:
    """``Observed 90d`` / ``Repeated 90d`` (``90天可观测`` / ``90天内复购``)."""
    return fill(f"{name}_nd", lang, **{name: label(name, lang)}, n=days)


def service_repurchase_output(report: ServiceRepurchaseReport, lang: str = "en") -> Output:
    """Service -> repurchase: groups pooled, tiers pooled, tier ratios beside the claim."""
    document = report.to_dict()
    horizons: list[int] = document["horizons"]
    rate_fmt = {f"rr_{n}d": pct for n in horizons}
    groups = _rr_rows(document["groups"], horizons, "group", lang)
    group_cols = list(groups[0])
    tiers = _rr_rows([{**t, "tier": t["scope"]} for t in document["tiers"]], horizons, "tier", lang)
    tier_cols = list(tiers[0]) if tiers else ["tier"]
    ratio_rows = [
        {
            "tiers_compared": f"{label(r['top'], lang)} / {label(r['bottom'], lang)}",
            "horizon_days": r["horizon_days"],
            "ratio": r["ratio"],
            "interval": _interval_text(r["ratio_low"], r["ratio_high"], lambda v: f"{v:.2f}×"),
            "platform_ratio": f"{r['platform_ratio']:g}×",
            "platform_ratio_in_interval": None
            if r["platform_ratio_in_interval"] is None
            else label("yes" if r["platform_ratio_in_interval"] else "no", lang),
        }
        for r in document["tier_ratios"]
    ]
    ratio_cols = list(ratio_rows[0]) if ratio_rows else ["tiers_compared"]
    confidence = report.config.bootstrap.confidence
    headers = _rr_headers(group_cols, horizons, lang, confidence)
    headers["group"] = label("first_order", lang)
    # the rates and their intervals are what the report is for; the counts go first
    drop = (
        *(f"eligible_{n}d" for n in reversed(horizons)),
        "customers",
        "shops",
        *(c for n in reversed(horizons[1:]) for c in (f"rr_{n}d_interval", f"rr_{n}d")),
    )
    sections = [
        Section(
            groups,
            group_cols,
            label("service_groups_title", lang),
            headers,
            rate_fmt,
            wrap=("group",),
            drop=drop,
        ),
        Section(
            tiers,
            tier_cols,
            label("service_tiers_title", lang),
            _rr_headers(tier_cols, horizons, lang, confidence),
            rate_fmt,
            drop=drop,
        ),
        Section(
            ratio_rows,
            ratio_cols,
            label("service_ratios_title", lang),
            _rr_headers(ratio_cols, [], lang, confidence),
            {"ratio": lambda v: f"{v:.2f}×"},
            drop=("platform_ratio",),  # the claim (2×) is in the title; whether it holds stays
        ),
    ]
    w = report.window
    claim = document["platform_claim"]
    footer = [
        fill(
            "service_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            last=w.last_day.isoformat(),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            days=w.days,
        ),
        label("correlation_not_cause", lang),
        fill("platform_claim_line", lang, statement=say(claim["statement"], lang)),
    ]
    for r in document["tier_ratios"]:
        if (r["top"], r["bottom"]) != ("high", "low") or r["ratio"] is None:
            continue
        where = (
            "claim_unmeasurable"
            if r["platform_ratio_in_interval"] is None
            else "claim_inside"
            if r["platform_ratio_in_interval"]
            else "claim_outside"
        )
        low, high = (None if v is None else f"{v:.2f}" for v in (r["ratio_low"], r["ratio_high"]))
        footer.append(
            fill(
                "claim_check",
                lang,
                n=r["horizon_days"],
                ratio=f"{r['ratio']:.2f}",
                low=low,
                high=high,
                claim=f"{r['platform_ratio']:g}",
                where=label(where, lang),
            )
        )
    footer += [say(d, lang) for d in document["definitions"][:-1]]
    tidy = [
        *document["groups"],
        *(g for shop in document["shops"] for g in shop["groups"]),
        *({**t, "group": "all"} for t in document["tiers"]),
    ]
    return Output(sections, document, tidy, footer, csv=Section(tidy), lang=lang)


REPEAT_TITLES = {
    "summary": "repeat_summary_title",
    "gaps": "repeat_gaps_title",
    "sku": "repeat_sku_title",
    "amount": "repeat_amount_title",
    "cohorts": "repeat_cohorts_title",
    "overdue": "repeat_overdue_title",
}


def repeat_output(report: RepeatReport, lang: str = "en") -> Output:
    """One view of the repeat deep-dive; cohorts pivoted for the terminal, tidy elsewhere."""
    document = report.to_dict()
    rows: list[dict[str, Any]] = document["rows"]
    title = label(REPEAT_TITLES[report.view], lang)
    rates = [k for r in rows[:1] for k in r if k.startswith("rr_")]
    fmt: dict[str, Any] = {k: pct for k in ("share", "cumulative_repeat_share", *rates)}
    fmt.update({k: lambda v: f"{v:.1f}" for k in ("mean_interval_days", "overdue_by_days")})
    fmt.update({k: days_text for r in rows[:1] for k in r if k.endswith("_days_to_second")})
    headers = _headers(list(rows[0]) if rows else [], lang)
    for key in headers:
        if key.startswith(("eligible_", "repeat_")) and key.endswith("d"):
            name, _, days = key.partition("_")
            headers[key] = _horizon_header(
                "eligible" if name == "eligible" else "repeated", days.removesuffix("d"), lang
            )
    # narrow: the outer quantiles go before the median
    quantiles = tuple(f"p{q}_days_to_second" for q in (90, 75, 25))
    section = Section(rows, None, title, headers, fmt, drop=quantiles)
    if report.view == "cohorts" and rows:
        pivot, months = _cohort_pivot(rows, "cumulative_repeat_share")
        cols = ["shop_id", "cohort", "customers", *(f"m{k}" for k in range(months + 1))]
        section = Section(
            pivot,
            cols,
            title,
            {
                **_headers(cols, lang),
                **{f"m{k}": fill("month", lang, k=k) for k in range(months + 1)},
            },
            {f"m{k}": pct for k in range(months + 1)},
        )
    footer = [
        fill(
            "last_observed_footer",
            lang,
            as_of=as_of_text(report.window.as_of, lang),
            last=report.window.last_day.isoformat(),
        ),
        *(say(d, lang) for d in report.definitions),
    ]
    return Output([section], document, rows, footer, csv=Section(rows), lang=lang)


REFUND_FIELDS = [
    "requests",
    "withdrawn",
    "completed",
    "rejected",
    "open",
    "retention_rate",
    "retained_amount",
    "median_handling_hours",
]


def _group_label(group: str, key: str, lang: str) -> str:
    if group == "reason":
        shown = label("logistics_reason" if key == "logistics" else key or "—", lang)
    else:
        shown = label(key, lang)
    # "month" alone is the cohort table's m1, m2 … header
    return f"{label('month_group' if group == 'month' else group, lang)}{_colon(lang)}{shown}"


def refunds_output(report: RefundReport, lang: str = "en") -> Output:
    """Refund retention (spec §13): a row per shop, then its reasons, stages (and months)."""
    from svc_cli.refunds import DEFINITIONS

    document = report.to_dict()
    shops: list[dict[str, Any]] = document["shops"]
    tidy: list[dict[str, Any]] = []
    for shop in shops:
        tidy.append({"shop_id": shop["shop_id"], "group": "all", "key": "", **shop})
        for group, field_name in (
            ("reason", "by_reason"),
            ("stage", "by_stage"),
            ("month", "by_month"),
        ):
            for key, counts in (shop.get(field_name) or {}).items():
                tidy.append({"shop_id": shop["shop_id"], "group": group, "key": key, **counts})
    fmt = {"retention_rate": pct, "median_handling_hours": lambda v: hours(v, lang)}
    columns = ["shop_id", *REFUND_FIELDS, "withdrawn_quality"]
    # the retention rate is what the report is for; the counts behind it next
    drop = ("open", "median_handling_hours", "rejected", "completed", "retained_amount")
    summary = Section(
        shops, columns, None, _headers(columns, lang), fmt, drop=("withdrawn_quality", *drop)
    )
    detail_rows = [
        {**row, "key": _group_label(row["group"], row["key"], lang)}
        for row in tidy
        if row["group"] != "all"
    ]
    detail_cols = ["shop_id", "key", *REFUND_FIELDS]
    detail = Section(
        detail_rows,
        detail_cols,
        label("refunds_title", lang)
        + (label("refunds_by_month", lang) if report.every_month else ""),
        _headers(detail_cols, lang),
        fmt,
        wrap=("key",),
        drop=(*drop, "withdrawn"),
    )
    w = report.window
    footer = [
        fill(
            "window_days_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            days=w.days,
        ),
        label("refund_score_effect", lang),
        *(say(d, lang) for d in DEFINITIONS),
    ]
    footer += [
        fill("withdrawn_quality_note", lang, shop=s["shop_id"], count=s["withdrawn_quality"])
        for s in shops
        if s["withdrawn_quality"]
    ]
    csv_cols = ["shop_id", "group", "key", *REFUND_FIELDS]
    return Output(
        [summary, detail], document, shops, footer, csv=Section(tidy, csv_cols), lang=lang
    )


def load_output(result: LoadResult, lang: str = "en") -> Output:
    rows = [
        {
            "table": f.table,
            "file": f.file,
            "preset": f.preset,
            "encoding": f.encoding,
            "rows": f.rows_read,
            "inserted": f.inserted,
            "updated": f.updated,
            "unchanged": f.unchanged,
            "kept_newer": f.kept_newer,
            "rejected": f.rejected,
        }
        for f in result.files
    ]
    doc = {"files": rows, "warnings": result.warnings, "rejects_files": result.rejects_files}
    kept = any(f.kept_newer for f in result.files)  # the table shows it only then
    shown = [
        {
            **{k: v for k, v in r.items() if k != "kept_newer" or kept},
            "table": value_label(str(r["table"]), lang),
        }
        for r in rows
    ]
    columns = [c for c in rows[0] if c != "kept_newer" or kept] if rows else None
    section = Section(
        shown,
        columns,
        headers=_headers(columns or [], lang),
        wrap=("file",),
        drop=("encoding", "preset", "rows", "unchanged", "updated", "inserted"),
    )
    return Output([section], doc, rows, lang=lang)


def _period(first: Any, last: Any) -> str:
    return "—" if first is None else f"{first:%Y-%m-%d} → {last:%Y-%m-%d}"


def info_output(
    info: dict[str, Any], lang: str = "en", config: ModelConfig | None = None
) -> Output:
    from svc_cli.coverage import NEEDS

    table_cols = ["table", "rows", "first", "last"]
    tables = Section(
        [{**t, "table": value_label(t["table"], lang)} for t in info["tables"]],
        table_cols,
        label("tables_title", lang),
        _headers(table_cols, lang),
    )
    shop_cols = ["shop_id", "name", "industry", "orders", "orders_period", "reviews", "chats"]
    shops = Section(
        [
            {
                "shop_id": s["shop_id"],
                "name": s["name"],
                "industry": industry_name(config, s["industry"], lang),
                "orders": s["orders"],
                "orders_period": _period(s["orders_from"], s["orders_to"]),
                "reviews": s["reviews"],
                "chats": s["chats"],
            }
            for s in info["shops"]
        ],
        shop_cols,
        label("shops_title", lang),
        _headers(shop_cols, lang),
        wrap=("name",),
        drop=("industry", "chats", "reviews"),
    )
    total = len(NEEDS)
    sep = "、" if lang == "zh" else ", "
    cov_cols = ["shop_id", "assessable", "not_provided", "inferred"]
    coverage = Section(
        [
            {
                "shop_id": s["shop_id"],
                "assessable": f"{len(s['assessable'])}/{total}",
                "not_provided": sep.join(term(i, lang) for i in s["not_provided"]) or "—",
                "inferred": _yes_no(bool(s["inferred"]), lang),
            }
            for s in info["shops"]
        ],
        cov_cols,
        label("coverage_title", lang),
        _headers(cov_cols, lang),
        wrap=("not_provided",),
    )
    loads = {"database": info["database"], "schema": info["schema_version"]}
    loads |= {"loads": info["loads"], "header_only": info["header_only_loads"]}
    footer = [
        label("info_footer_header_only" if loads["header_only"] else "info_footer", lang).format(
            **loads
        ),
        label("info_definitions", lang),
    ]
    csv_rows = Section(
        [
            {
                **s,
                **{
                    k: ";".join(s[k])
                    for k in ("services", "provided", "inferred", "assessable", "not_provided")
                },
            }
            for s in info["shops"]
        ]
    )
    return Output([tables, shops, coverage], info, info["shops"], footer, csv=csv_rows, lang=lang)


def inspect_output(info: dict[str, Any], lang: str = "en") -> Output:
    values = {**info, "table": value_label(info["table"], lang), "mode": _mode(info["mode"], lang)}
    summary = Section(
        [
            {"item": label(k, lang), "value": values[k]}
            for k in ("file", "preset", "encoding", "table", "mode", "rows")
        ],
        ["item", "value"],
        None,
        _headers(["item", "value"], lang),
        wrap=("value",),
    )
    columns = Section(
        [{"canonical": k, "source": v} for k, v in info["mapping"].items()],
        ["canonical", "source"],
        label("columns_title", lang),
        _headers(["canonical", "source"], lang),
        wrap=("source",),
    )
    names = list(info["sample"][0]) if info["sample"] else []
    transposed = [
        {"column": name, **{f"row {i + 1}": row[name] for i, row in enumerate(info["sample"])}}
        for name in names
        if any(row[name] for row in info["sample"])
    ]
    row_cols = [f"row {i + 1}" for i in range(len(info["sample"]))]
    sample = Section(
        transposed,
        ["column", *row_cols],
        label("sample_title", lang),
        {"column": label("column", lang)}
        | {c: fill("row", lang, n=c.split()[1]) for c in row_cols},
        drop=tuple(reversed(row_cols[1:])),
    )
    footer = []
    if info["description"] and lang == "en":
        footer.append(info["description"])
    if info["unmapped"]:
        footer.append(
            fill("not_used", lang, columns=label("list_separator", lang).join(info["unmapped"]))
        )
    return Output(
        [summary, columns, sample],
        info,
        info["sample"],
        footer,
        csv=Section(info["sample"]),
        lang=lang,
    )


def _mode(mode: str, lang: str) -> str:
    return mode if lang == "en" else label("rows_mode" if mode == "rows" else mode, lang)


def presets_output(catalog: list[dict[str, Any]], lang: str = "en") -> Output:
    from svc_cli import presets
    from svc_cli.i18n import PRESET_TITLES
    from svc_cli.presets.base import fingerprint_text

    footer = [label("presets_footer", lang)]
    cols = ["preset", "title", "table", "mode", "grain", "detected_by"]
    shown = [
        {
            **p,
            "title": PRESET_TITLES.get(p["preset"], p["title"]) if lang == "zh" else p["title"],
            "detected_by": fingerprint_text(presets.PRESETS[p["preset"]], lang),
            "table": value_label(p["table"], lang),
            "mode": _mode(p["mode"], lang),
            "grain": value_label(p["grain"], lang),
        }
        for p in catalog
    ]
    section = Section(
        shown,
        cols,
        None,
        _headers(cols, lang),
        wrap=("title", "detected_by"),
        drop=("grain", "mode", "table"),
    )
    return Output([section], {"presets": catalog}, catalog, footer, lang=lang)


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """A one-line chart of ``values`` (a gap for a missing one)."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    span = high - low
    return "".join(
        " "
        if v is None
        else SPARK[0 if span == 0 else min(len(SPARK) - 1, int((v - low) / span * len(SPARK)))]
        for v in values
    )


def _day(value: Any) -> str:
    return value.strftime("%m-%d %H:%M") if value is not None else "—"


#: The columns of the diagnosis to-do list (``svc diagnose -f csv``).
TODO_COLUMNS = [
    "shop_id", "indicator", "id", "kind", "what", "at", "leaves_window_at", "points_lost",
]  # fmt: skip


#: Events listed per indicator in the terminal table (CSV and JSON list them all).
EVENTS_SHOWN = 5


def diagnose_output(diagnosis: Diagnosis, config: ModelConfig, lang: str = "en") -> Output:
    """Indicators ranked by points lost, the days the projection crosses a threshold, and
    the events as a to-do list (the CSV / JSONL rows)."""
    d, current = diagnosis, diagnosis.current
    ranked = [
        {
            "rank": ind.rank,
            "indicator": label(ind.name, lang),
            "value": _value_text(config, ind.name, ind.value, lang),
            "sub_score": ind.score,
            "points_lost": ind.points_lost,
            "events": len(ind.events) if ind.events is not None else None,
            "next_roll_off": _day(ind.events[0].leaves_window_at) if ind.events else None,
        }
        for ind in d.indicators.values()
    ]
    columns = list(ranked[0])
    score_text = "—" if current.score is None else f"{current.score:.2f}"
    status = label(current.tier or current.status, lang)
    indicators = Section(
        ranked,
        columns,
        fill("diagnose_title", lang, shop=d.shop_id, score=score_text, status=status),
        _headers(columns, lang),
        {"sub_score": num2, "points_lost": num2},
        wrap=("indicator",),
        drop=("rank", "value", "events"),  # the points lost and the next roll-off stay
    )
    sections = [indicators]
    if d.milestones:
        rows = [
            {"date": day.isoformat(), "milestone": say(text, lang)}
            for day, text in d.milestone_days()
        ]
        cols = ["date", "milestone"]
        sections.append(
            Section(
                rows,
                cols,
                label("projection_title", lang),
                _headers(cols, lang),
                wrap=("milestone",),
            )
        )
    todo: list[dict[str, Any]] = [
        {
            "shop_id": d.shop_id,
            "indicator": e.indicator,
            "id": e.id,
            "kind": e.kind,
            "what": e.what(),
            "at": e.at,
            "leaves_window_at": e.leaves_window_at,
            "points_lost": d.indicators[e.indicator].points_lost,
        }
        for e in d.events()
    ]
    shown = ["indicator", "id", "what", "at", "leaves_window_at"]
    listed: list[dict[str, Any]] = []
    for ind in d.indicators.values():
        rows_of = [r for r in todo if r["indicator"] == ind.name]
        listed += [
            {**r, "indicator": label(ind.name, lang), "what": say(r["what"], lang)}
            for r in rows_of[:EVENTS_SHOWN]
        ]
        if len(rows_of) > EVENTS_SHOWN:
            more = len(rows_of) - EVENTS_SHOWN
            listed.append(
                {
                    "indicator": label(ind.name, lang),
                    "what": fill("more_rows", lang, count=more),
                }
            )
    sections.append(
        Section(
            listed,
            shown,
            fill("diagnose_events_title", lang, count=len(todo)),
            {**_headers(shown, lang), "id": label("event_id", lang)},
            {"at": _day, "leaves_window_at": _day},
            wrap=("what", "indicator"),
            # what happened and when it rolls off are what the list is for; the id next
            drop=("at", "id"),
        )
    )
    w = d.window
    scores = [p.score for p in d.projection]
    footer = [
        fill(
            "diagnose_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            days=w.days,
        )
    ]
    if d.projection:
        first, last = d.projection[0], d.projection[-1]
        end = "—" if last.score is None else f"{last.score:.2f}"
        footer.append(
            fill(
                "projection_footer",
                lang,
                first=f"{first.date:%m-%d}",
                last=f"{last.date:%m-%d}",
                today=score_text,
                spark=sparkline(scores),
                end=end,
            )
        )
        if not d.milestones:
            minimum = f"{config.assessment_minimum:.2f}"
            footer.append(fill("no_milestone", lang, minimum=minimum))
    footer += _shop_notes(current, lang)
    document = d.to_dict()
    csv_rows = Section(todo, TODO_COLUMNS)
    return Output(sections, document, todo, footer, csv=csv_rows, lang=lang)


#: The columns of the plan's to-do list (``svc plan -f csv``): one row per event to fix
#: (ids as in ``svc diagnose``) and per service to add.
PLAN_COLUMNS = [
    "shop_id", "action", "indicator", "id", "what", "leaves_window_at", "cost",
]  # fmt: skip


def plan_output(plan: Plan, config: ModelConfig, lang: str = "en") -> Output:
    before, after = plan.before, plan.after
    rows = []
    todo: list[dict[str, Any]] = []
    for action in plan.actions:
        item = action.to_dict()
        if action.service is not None:
            rows.append(
                {"action": say(item["text"], lang, config), "cost": action.cost, "value": None}
            )
            todo.append(
                {
                    "shop_id": plan.shop_id,
                    "action": item["text"],
                    "id": action.service.id,
                    "cost": action.cost,
                }
            )
            continue
        assert action.indicator is not None
        name = action.indicator
        change = (
            f"{_value_text(config, name, action.value_from, lang)} → "
            f"{_value_text(config, name, action.value_to, lang)}"
        )
        rows.append(
            {
                "action": f"{label(name, lang)}{_colon(lang)}{say(action.text, lang)}",
                "cost": action.cost,
                "value": change,
            }
        )
        unit = config.event_cost(name)
        todo += [
            {
                "shop_id": plan.shop_id,
                "action": action.text,
                "indicator": name,
                "id": e.id,
                "what": e.what(),
                "leaves_window_at": e.leaves_window_at,
                "cost": unit,
            }
            for e in action.fixed
        ]
    shown = "—" if before.score is None else f"{before.score:.2f}"
    if plan.reachable:
        reached = "—" if after.score is None else f"{after.score:.2f}"
        title = fill(
            "plan_title",
            lang,
            shop=plan.shop_id,
            before=shown,
            after=reached,
            target=f"{plan.target:.2f}",
            cost=plan.cost,
        )
    else:
        title = fill(
            "plan_title_out_of_reach",
            lang,
            shop=plan.shop_id,
            before=shown,
            target=f"{plan.target:.2f}",
        )
    columns = ["action", "value", "cost"]
    sections = [Section(rows, columns, title, _headers(columns, lang), wrap=("action", "value"))]
    footer = []
    if before.score is None:  # growth stage or no data: the reason says so, no empty table
        sections = []
    elif not rows:  # nothing to do: the title says where the shop is, no empty table
        sections, footer = [], [title]
    if plan.reachable and not plan.actions:
        footer.append(fill("plan_done", lang, target=f"{plan.target:.2f}"))
    if plan.reason:
        footer.append(say(plan.reason, lang))
    w = plan.window
    footer.append(
        fill(
            "plan_footer",
            lang,
            as_of=as_of_text(w.as_of, lang),
            start=w.start.strftime(TS),
            end=w.as_of.strftime(TS),
            event=config.plan_event_cost,
            service=config.plan_service_cost,
        )
    )
    # a plan on a partly assessed score says what was not measured, as score and diagnose do
    footer += _shop_notes(before, lang, config)
    document = plan.to_dict()
    return Output(sections, document, todo, footer, csv=Section(todo, PLAN_COLUMNS), lang=lang)


def _signed(value: float) -> str:
    """``+0.03`` / ``−0.03``: a minus sign, as every table writes a loss."""
    return f"{value:+.2f}".replace("-", "−")


def _change_text(config: ModelConfig, indicator: str, change: float | None, lang: str) -> str:
    if change is None:
        return "—"
    if config.indicators[indicator].unit == "hours":
        text = fill("hours_value", lang, value=f"{change:+.1f}")
    else:
        text = fill("change.points", lang, value=f"{change * 100:+.2f}")
    return text.replace("-", "−")


def trend_output(trend: Trend, config: ModelConfig, lang: str = "en") -> Output:
    """Score per period end with its change, then one sparkline per indicator."""
    points = [p.to_dict() for p in trend.points]
    rows = [
        {
            "period_end": p["date"],
            "score": p["score"],
            "change": p["change"],
            "tier": label(p["tier"] or p["status"], lang),
            "stars": p["stars"],
            # what each point rests on: a score on fewer indicators is not comparable
            "assessed": f"{point.shop.assessed_count}/{len(point.shop.indicators)}",
        }
        for p, point in zip(points, trend.points, strict=True)
    ]
    columns = ["period_end", "score", "change", "tier", "stars", "assessed"]
    every = label(f"every.{trend.every}", lang)
    title = fill(
        "trend_title",
        lang,
        shop=trend.shop_id,
        start=trend.start,
        end=trend.end,
        every=every,
        days=trend.window_days,
    )
    table = Section(
        rows,
        columns,
        title,
        _headers(columns, lang),
        {"score": num2, "change": _signed, "stars": stars_text},
    )
    chart: list[dict[str, Any]] = []
    if points:
        scores = [p["score"] for p in points]
        chart.append(
            {
                "indicator": label("score", lang),
                "trend": sparkline(scores),
                "first": _n(scores[0]),
                "last": _n(scores[-1]),
                "change": _signed(scores[-1] - scores[0])
                if scores[0] is not None and scores[-1] is not None
                else "—",
            }
        )
        for name in config.indicators:
            values = [p["indicators"][name]["value"] for p in points]
            first, last = values[0], values[-1]
            chart.append(
                {
                    "indicator": label(name, lang),
                    "trend": sparkline(values),
                    "first": _value_text(config, name, first, lang),
                    "last": _value_text(config, name, last, lang),
                    "change": _change_text(
                        config, name, None if first is None or last is None else last - first, lang
                    ),
                }
            )
    chart_columns = ["indicator", "trend", "first", "last", "change"]
    sparklines = Section(
        chart,
        chart_columns,
        None,
        _headers(chart_columns, lang),
        wrap=("indicator",),
        drop=("first",),  # the trend, where it ended and the change over the period stay
    )
    sections = [table, sparklines]
    flat = []
    for p in points:
        row = {k: p[k] for k in ("date", "as_of", "status", "score", "change", "tier", "stars")}
        for name, ind in p["indicators"].items():
            row[f"{name}_value"] = ind["value"]
            row[f"{name}_score"] = ind["score"]
            row[f"{name}_change"] = ind["change"]
        flat.append({"shop_id": trend.shop_id, **row})
    footer = [
        fill(
            "trend_footer",
            lang,
            days=trend.window_days,
            every=every,
            monday=label("monday_to_sunday", lang) if trend.every == "week" else "",
            end=trend.end,
        )
    ]
    return Output(sections, trend.to_dict(), points, footer, csv=Section(flat), lang=lang)


def export_output(result: dict[str, Any], lang: str = "en") -> Output:
    rows = [
        {"table": name, "rows": t["rows"], "partitioned_by": ", ".join(t["partitioned_by"])}
        for name, t in result["tables"].items()
    ]
    shown = [
        {
            "table": value_label(str(r["table"]), lang),
            "rows": r["rows"],
            "partitioned_by": label("list_separator", lang).join(
                result["tables"][r["table"]]["partitioned_by"]
            ),
        }
        for r in rows
    ]
    columns = ["table", "rows", "partitioned_by"]
    footer = [
        fill(
            "export_footer",
            lang,
            lake=result["lake"],
            format=result["format"],
            version=result["format_version"],
            schema=result["schema_version"],
        )
    ]
    section = Section(shown, columns, None, _headers(columns, lang), wrap=("partitioned_by",))
    return Output([section], result, rows, footer, csv=Section(rows, columns), lang=lang)
