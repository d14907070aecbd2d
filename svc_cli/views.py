"""Turning results into ``render.Output``: which rows and columns each command shows.

JSON and CSV keep stable English field names and values (the contract); ``lang`` only
changes the labels of the terminal table and Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from svc_cli.config import ModelConfig
from svc_cli.coverage import NEEDS
from svc_cli.i18n import label
from svc_cli.render import Output, Section

if TYPE_CHECKING:
    from svc_cli.diagnose import Diagnosis
    from svc_cli.indicators import ScoreReport
    from svc_cli.load import LoadResult
    from svc_cli.plan import Plan
    from svc_cli.repurchase import RepurchaseReport
    from svc_cli.scoring import ShopScore
    from svc_cli.simulate import Simulation
    from svc_cli.trend import Trend

TS = "%Y-%m-%d %H:%M:%S"


def pct(value: float) -> str:
    return f"{value * 100:.2f}%"


def num2(value: float) -> str:
    return f"{value:.2f}"


def hours(value: float) -> str:
    return f"{value:.1f} h"


def _value_text(config: ModelConfig, indicator: str, value: float | None) -> str:
    if value is None:
        return "—"
    return hours(value) if config.indicators[indicator].unit == "hours" else pct(value)


def _headers(columns: list[str], lang: str) -> dict[str, str]:
    return {c: label(c, lang) for c in columns}


def _shop_row(shop: ShopScore, lang: str) -> dict[str, Any]:
    loss = shop.biggest_loss()
    return {
        "shop_id": shop.shop_id,
        "industry": shop.industry,
        "score": shop.score,
        "tier": label(shop.tier or shop.status, lang),
        "stars": shop.stars,
        "badge_eligible": label("yes" if shop.badge_eligible else "no", lang),
        "assessed": f"{shop.assessed_count}/{len(shop.indicators)}",
        **{d.name: d.score for d in shop.dimensions.values()},
        "addon": shop.addon,
        "biggest_loss": (f"{label(loss.name, lang)} −{loss.points_lost:.2f}" if loss else None),
    }


def _shop_notes(shop: ShopScore, lang: str) -> list[str]:
    """Growth-stage reasons, ignored services and why indicators were not assessed."""
    notes = list(shop.notes)
    if shop.status != "growth_stage":
        notes += [
            f"{label('not_assessed', lang)}: {label(i.name, lang)} ({i.reason})"
            for i in shop.indicators.values()
            if not i.assessed
        ]
    return [f"{shop.shop_id}: {note}" for note in notes]


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
                "value": _value_text(config, ind.name, ind.value),
                "sub_score": ind.score,
                "weight": ind.weight,
                "effective_weight": ind.effective_weight,
                "points_lost": ind.points_lost if ind.score is not None else None,
                "assessed": label("yes" if ind.assessed else "no", lang),
            }
        )
    columns = list(rows[0])
    title = f"{label('shop_id', lang)} {shop.shop_id} ({shop.industry})"
    return Section(
        rows,
        columns,
        title,
        _headers(columns, lang),
        {"sub_score": num2, "weight": num2, "effective_weight": num2, "points_lost": num2},
    )


def score_output(report: ScoreReport, lang: str = "en") -> Output:
    rows = [_shop_row(s, lang) for s in report.shops]
    columns = [
        "shop_id",
        "industry",
        "score",
        "tier",
        "stars",
        "badge_eligible",
        "assessed",
        *report.config.dimensions,
        "addon",
        "biggest_loss",
    ]
    summary = Section(
        rows,
        columns,
        None,
        _headers(columns, lang),
        {"score": num2, **{d: num2 for d in report.config.dimensions}, "addon": num2},
    )
    sections = [summary]
    if len(report.shops) == 1:
        sections.append(breakdown(report.shops[0], report.config, lang))
    w = report.window
    footer = [
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; {label('window', lang)} "
        f"({w.start.strftime(TS)}, {w.as_of.strftime(TS)}] = {w.days} {label('days', lang)}; "
        f"benchmark {report.benchmark.name}; config {report.config.source}",
        f"tiers: high ≥ {report.config.tier_high:.2f}, ordinary ≥ {report.config.tier_ordinary:.2f}; "
        f"growth stage < {report.config.growth_min_orders} valid orders paid in the window",
    ]
    for shop in report.shops:
        footer += _shop_notes(shop, lang)
    document = report.to_dict()
    csv_rows = Section([_flat_shop(s) for s in report.shops])
    shops: list[Any] = document["shops"]  # type: ignore[assignment]
    return Output(sections, document, shops, footer, csv=csv_rows)


def simulate_output(sim: Simulation, config: ModelConfig, lang: str = "en") -> Output:
    b, a = sim.before, sim.after
    rows: list[dict[str, Any]] = []

    def add(item: str, before: Any, after: Any) -> None:
        rows.append({"item": item, "before": before, "after": after})

    for name in config.indicators:
        ib, ia = b.indicators[name], a.indicators[name]
        add(
            label(name, lang),
            _value_text(config, name, ib.value),
            _value_text(config, name, ia.value),
        )
        add(f"  {label('sub_score', lang)}", _n(ib.score), _n(ia.score))
    for name in config.dimensions:
        add(label(name, lang), _n(b.dimensions[name].score), _n(a.dimensions[name].score))
    add(label("base_score", lang), _n(b.base_score), _n(a.base_score))
    add(label("addon", lang), _n(b.addon), _n(a.addon))
    add(label("score", lang), _n(b.score), _n(a.score))
    add(
        label("tier", lang),
        label(b.tier, lang) if b.tier else "—",
        label(a.tier, lang) if a.tier else "—",
    )
    add(label("stars", lang), b.stars, a.stars)
    add(
        label("badge_eligible", lang),
        label("yes" if b.badge_eligible else "no", lang),
        label("yes" if a.badge_eligible else "no", lang),
    )
    changes = ", ".join(c.describe() for c in sim.changes) or "none"
    main = Section(
        rows,
        ["item", "before", "after"],
        f"{sim.shop_id}: {changes}",
        _headers(["item", "before", "after"], lang),
    )
    sections = [main]
    if sim.paths:
        path_rows = [
            {
                "way": "; ".join(_describe_path_change(c, config, lang) for c in p["changes"]),
                "score": p["score"],
            }
            for p in sim.paths
        ]
        sections.append(
            Section(
                path_rows,
                ["way", "score"],
                f"Ways to reach {sim.target:.2f} (fewest services first)",
                formatters={"score": num2},
            )
        )
    footer = [
        f"as of {sim.after.window_end.strftime(TS)}; window "
        f"({sim.after.window_start.strftime(TS)}, {sim.after.window_end.strftime(TS)}]"
    ]
    estimate = sim.repurchase_estimate
    if estimate is not None and estimate["projected_repeat_purchase_rate"] is not None:
        footer.append(
            "Estimate, not part of the score: repeat purchase rate "
            f"{pct(estimate['current_repeat_purchase_rate'])} → "
            f"{pct(estimate['projected_repeat_purchase_rate'])} "
            f"(×{estimate['ratio']:.2f}; source: {estimate['source']})"
        )
    elif estimate is not None:
        footer.append(f"No repurchase estimate for this tier change (source: {estimate['source']})")
    footer += _shop_notes(sim.after, lang)
    document = sim.to_dict()
    return Output(sections, document, [document], footer)


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _describe_path_change(change: dict[str, Any], config: ModelConfig, lang: str) -> str:
    if "add_service" in change:
        return f"+ {change['add_service']}"
    name = change["set"]
    before = _value_text(config, name, change["from"])
    return f"{label(name, lang)}: {before} → {_value_text(config, name, change['value'])}"


def repurchase_output(report: RepurchaseReport, lang: str = "en") -> Output:
    from svc_cli.repurchase import DEFINITIONS, HORIZONS

    w, groups, cohort_cells = report.window, report.groups, report.cohorts
    footer = [
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; window "
        f"({w.start.strftime(TS)}, {w.as_of.strftime(TS)}] = {w.days} days; "
        f"last observed day {w.last_day.isoformat()}",
        *DEFINITIONS,
    ]
    rate_fmt = {
        "repeat_purchase_rate": pct,
        "returning_customer_rate": pct,
        **{f"rr_{n}d": pct for n in HORIZONS},
    }
    document = report.to_dict()
    if cohort_cells is not None:
        pivot: dict[tuple[str, str], dict[str, Any]] = {}
        months = max((c["month"] for c in cohort_cells), default=0)
        for c in cohort_cells:
            row = pivot.setdefault(
                (c["shop_id"], c["cohort"]),
                {
                    "shop_id": c["shop_id"],
                    "cohort": c["cohort"],
                    "customers": c["cohort_customers"],
                },
            )
            row[f"m{c['month']}"] = c["share"]
        cols = ["shop_id", "cohort", "customers", *(f"m{k}" for k in range(months + 1))]
        table = Section(
            list(pivot.values()),
            cols,
            "Cohort matrix (share of cohort ordering in month k)",
            formatters={f"m{k}": pct for k in range(months + 1)},
        )
        tidy = Section(cohort_cells)
        footer.insert(
            1,
            "cohort = calendar month of the first order; month k = k calendar months "
            "later; cells whose month has not begun are empty (null, not 0)",
        )
        return Output([table], document, cohort_cells, footer, csv=tidy)
    if report.customers is not None:
        section = Section(report.customers, None, "Customers ordering in the window")
        footer.insert(1, "customer ids are shown because --show-customers was given")
        return Output([section], document, report.customers, footer)
    if groups is not None:
        cols = list(groups[0]) if groups else ["group"]
        section = Section(groups, cols, "Repurchase by score tier (pooled)", formatters=rate_fmt)
        return Output([section], document, groups, footer)
    rows = [s.to_dict() for s in report.shops]
    cols = [
        "shop_id",
        "customers",
        "repeat_customers",
        "repeat_purchase_rate",
        "returning_customer_rate",
        *(f"rr_{n}d" for n in HORIZONS),
    ]
    section = Section(rows, cols, None, _headers(cols, lang), rate_fmt)
    return Output([section], document, rows, footer)


def load_output(result: LoadResult) -> Output:
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
            "rejected": f.rejected,
        }
        for f in result.files
    ]
    doc = {"files": rows, "warnings": result.warnings, "rejects_files": result.rejects_files}
    return Output([Section(rows)], doc, rows)


def services_output(config: ModelConfig, industry: str | None) -> Output:
    rows = [
        {"id": s.id, "zh": s.zh, "en": s.en, "industry": s.industry, "points": s.points}
        for s in (config.services_for(industry) if industry else config.services.values())
    ]
    footer = [
        f"add-on = min({config.addon_cap:.2f}, service points + same/next-day delivery "
        "points); a service counts only for its own industry (or any)"
    ]
    return Output([Section(rows, formatters={"points": num2})], {"services": rows}, rows, footer)


def _period(first: Any, last: Any) -> str:
    return "—" if first is None else f"{first:%Y-%m-%d} → {last:%Y-%m-%d}"


def info_output(info: dict[str, Any]) -> Output:
    tables = Section(info["tables"], title="Tables")
    shops = Section(
        [
            {
                "shop_id": s["shop_id"],
                "industry": s["industry"],
                "orders": s["orders"],
                "orders_period": _period(s["orders_from"], s["orders_to"]),
                "reviews": s["reviews"],
                "chats": s["chats"],
            }
            for s in info["shops"]
        ],
        title="Shops",
    )
    total = len(NEEDS)
    coverage = Section(
        [
            {
                "shop_id": s["shop_id"],
                "assessable": f"{len(s['assessable'])}/{total}",
                "not_provided": ", ".join(s["not_provided"]) or "—",
                "inferred": "yes" if s["inferred"] else "no",
            }
            for s in info["shops"]
        ],
        title="Coverage: what scores are built on",
    )
    footer = [
        f"{info['database']}: schema {info['schema_version']}, {info['loads']} file load(s)",
        "assessable = indicators whose inputs were provided (an indicator also needs events "
        "in the window); inferred = guessed from the rows of a database loaded before svc "
        "recorded coverage",
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
    return Output([tables, shops, coverage], info, info["shops"], footer, csv=csv_rows)


def inspect_output(info: dict[str, Any]) -> Output:
    summary = Section(
        [
            {"item": k, "value": info[k]}
            for k in ("file", "preset", "encoding", "table", "mode", "rows")
        ],
        ["item", "value"],
    )
    columns = Section(
        [{"canonical": k, "source": v} for k, v in info["mapping"].items()],
        ["canonical", "source"],
        "Columns",
    )
    names = list(info["sample"][0]) if info["sample"] else []
    transposed = [
        {"column": name, **{f"row {i + 1}": row[name] for i, row in enumerate(info["sample"])}}
        for name in names
        if any(row[name] for row in info["sample"])
    ]
    sample = Section(transposed, None, "First normalised rows (empty columns left out)")
    footer = []
    if info["description"]:
        footer.append(info["description"])
    if info["unmapped"]:
        footer.append("not used: " + ", ".join(info["unmapped"]))
    return Output(
        [summary, columns, sample], info, info["sample"], footer, csv=Section(info["sample"])
    )


def presets_output(catalog: list[dict[str, Any]]) -> Output:
    footer = ["canonical CSVs (docs/model.md) are recognised too; details: docs/presets.md"]
    return Output([Section(catalog)], {"presets": catalog}, catalog, footer)


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
            "value": _value_text(config, ind.name, ind.value),
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
        f"{label('shop_id', lang)} {d.shop_id}: {score_text} ({status})",
        _headers(columns, lang),
        {"sub_score": num2, "points_lost": num2},
    )
    sections = [indicators]
    if d.milestones:
        rows = [{"date": m.date.isoformat(), "milestone": m.text} for m in d.milestones]
        cols = ["date", "milestone"]
        sections.append(Section(rows, cols, "Projection: unchanged data", _headers(cols, lang)))
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
        listed += [{**r, "indicator": label(ind.name, lang)} for r in rows_of[:EVENTS_SHOWN]]
        if len(rows_of) > EVENTS_SHOWN:
            more = len(rows_of) - EVENTS_SHOWN
            listed.append({"indicator": label(ind.name, lang), "what": f"… {more} more"})
    sections.append(
        Section(
            listed,
            shown,
            f"Events counting against the score ({len(todo)}; all of them with -f csv)",
            _headers(shown, lang),
            {"at": _day, "leaves_window_at": _day},
        )
    )
    w = d.window
    scores = [p.score for p in d.projection]
    footer = [
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; {label('window', lang)} "
        f"({w.start.strftime(TS)}, {w.as_of.strftime(TS)}] = {w.days} {label('days', lang)}; "
        f"points lost = overall weight × (5 − sub-score); an event leaves the window "
        f"{w.days} days after its anchor",
    ]
    if d.projection:
        first, last = d.projection[0], d.projection[-1]
        end = "—" if last.score is None else f"{last.score:.2f}"
        footer.append(
            f"projection {first.date:%m-%d} → {last.date:%m-%d} (end of each day, unchanged "
            f"data): {score_text} {sparkline(scores)} {end}"
        )
        if not d.milestones:
            footer.append("projection: no tier, star or 4.23 boundary crossed")
    footer += _shop_notes(current, lang)
    document = d.to_dict()
    csv_rows = Section(todo, TODO_COLUMNS)
    return Output(sections, document, todo, footer, csv=csv_rows)


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
            rows.append({"action": item["text"], "cost": action.cost, "value": None})
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
            f"{_value_text(config, name, action.value_from)} → "
            f"{_value_text(config, name, action.value_to)}"
        )
        rows.append(
            {"action": f"{label(name, lang)}: {action.text}", "cost": action.cost, "value": change}
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
        title = (
            f"{label('shop_id', lang)} {plan.shop_id}: {shown} → {reached} "
            f"(target {plan.target:.2f}), cost {plan.cost}"
        )
    else:
        title = f"{label('shop_id', lang)} {plan.shop_id}: {shown}, target {plan.target:.2f} out of reach"
    columns = ["action", "value", "cost"]
    sections = [Section(rows, columns, title, _headers(columns, lang))]
    footer = []
    if plan.reachable and not plan.actions:
        footer.append(f"already at {plan.target:.2f}: nothing to do")
    if plan.reason:
        footer.append(plan.reason)
    w = plan.window
    footer.append(
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; {label('window', lang)} "
        f"({w.start.strftime(TS)}, {w.as_of.strftime(TS)}]; costs from the config [plan]: "
        f"event {config.plan_event_cost}, service {config.plan_service_cost} unless set per "
        "indicator or service; -f csv lists the events to fix (ids as in `svc diagnose`)"
    )
    document = plan.to_dict()
    return Output(sections, document, todo, footer, csv=Section(todo, PLAN_COLUMNS))


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _change_text(config: ModelConfig, indicator: str, change: float | None) -> str:
    if change is None:
        return "—"
    if config.indicators[indicator].unit == "hours":
        return f"{change:+.1f} h"
    return f"{change * 100:+.2f} pp"


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
        }
        for p in points
    ]
    columns = list(rows[0]) if rows else ["period_end", "score", "change", "tier", "stars"]
    title = (
        f"{label('shop_id', lang)} {trend.shop_id}: {trend.start} → {trend.end}, every "
        f"{trend.every}, window {trend.window_days} {label('days', lang)}"
    )
    table = Section(
        rows, columns, title, _headers(columns, lang), {"score": num2, "change": _signed}
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
                    "first": _value_text(config, name, first),
                    "last": _value_text(config, name, last),
                    "change": _change_text(
                        config, name, None if first is None or last is None else last - first
                    ),
                }
            )
    chart_columns = ["indicator", "trend", "first", "last", "change"]
    sections = [table, Section(chart, chart_columns, None, _headers(chart_columns, lang))]
    flat = []
    for p in points:
        row = {k: p[k] for k in ("date", "as_of", "status", "score", "change", "tier", "stars")}
        for name, ind in p["indicators"].items():
            row[f"{name}_value"] = ind["value"]
            row[f"{name}_score"] = ind["score"]
            row[f"{name}_change"] = ind["change"]
        flat.append({"shop_id": trend.shop_id, **row})
    footer = [
        "each point is the score as of the end of that day (= svc score --as-of DAY), over "
        f"the {trend.window_days} days before it; periods are calendar {trend.every}s"
        f"{' (Monday to Sunday)' if trend.every == 'week' else ''}, the last one cut at "
        f"{trend.end}; "
        "change = since the previous point (pp = percentage points)"
    ]
    return Output(sections, trend.to_dict(), points, footer, csv=Section(flat))
