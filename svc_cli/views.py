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
    from svc_cli.agents import AgentReport
    from svc_cli.indicators import ScoreReport
    from svc_cli.load import LoadResult
    from svc_cli.refunds import RefundReport
    from svc_cli.repeat import RepeatReport
    from svc_cli.repurchase import RepurchaseReport
    from svc_cli.scoring import ShopScore
    from svc_cli.service_repurchase import ServiceRepurchaseReport
    from svc_cli.simulate import Simulation

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
    footer += report.notes
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
    if estimate is not None and estimate["projected_rate"] is not None:
        metric = estimate.get("metric", "repeat_purchase_rate")
        spread = (
            f", interval {pct(estimate['projected_low'])}–{pct(estimate['projected_high'])}"
            f" (ratio {estimate['ratio_low']:.2f}–{estimate['ratio_high']:.2f})"
            if estimate.get("projected_low") is not None
            else ""
        )
        footer.append(
            f"Estimate, not part of the score: {metric} "
            f"{pct(estimate['current_rate'])} → {pct(estimate['projected_rate'])} "
            f"(×{estimate['ratio']:.2f}{spread}; source: {estimate['source']})"
        )
    elif estimate is not None:
        footer.append(f"No repurchase estimate for this tier change (source: {estimate['source']})")
    footer += _shop_notes(sim.after, lang)
    document = sim.to_dict()
    return Output(sections, document, [document], footer, csv=_simulate_csv(sim, config))


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
            "repeat_purchase_rate",
            estimate.get("current_repeat_purchase_rate"),
            estimate.get("projected_repeat_purchase_rate"),
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


def agents_output(report: AgentReport, lang: str = "en") -> Output:
    """Agents (spec §12): one row per agent, then per shop the points lost and the what-if."""
    from svc_cli.agents import DEFINITIONS

    document = report.to_dict()
    agents: list[dict[str, Any]] = document["agents"]
    level = report.config.what_if_level
    rows = [{**a, "grade": label(a["grade"], lang)} for a in agents]
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
    section = Section(rows, columns, label("agents_title", lang), _headers(columns, lang), fmt)
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
        label("agent_shops_title", lang).format(level=label(level, lang)),
        _headers(shop_cols, lang),
        fmt,
    )
    w = report.window
    levels = "; ".join(
        f"{lv.name} ({lv.zh}): sessions ≥ {lv.sessions}, response ≥ {lv.response_3min_rate:.0%}, "
        f"satisfaction ≥ {lv.satisfaction_rate:.0%}, QA ≥ {lv.qa_score:g}"
        for lv in report.config.levels
    )
    c = report.config
    footer = [
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; {label('window', lang)} "
        f"({w.start.strftime(TS)}, {w.as_of.strftime(TS)}] = {w.days} {label('days', lang)}",
        f"levels: {levels}",
        f"samples: response needs ≥ {c.min_service_hour_sessions} sessions in service hours, "
        f"satisfaction ≥ {c.min_rated_sessions} rated sessions, QA ≥ "
        f"{c.min_qa_scored_sessions} scored session(s) when qa_score was provided",
        *DEFINITIONS,
        f"what-if: every agent below {level} (including those not graded) reaches {level}'s "
        "response and satisfaction rates, in whole sessions; the shop is re-scored through "
        "the same model (only assessed indicators change)",
    ]
    return Output([section, shops], document, agents, footer, csv=Section(agents))


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
    interval = label("interval", lang).format(confidence=f"{confidence:.0%}")
    headers["interval"] = interval
    for n in horizons:
        headers[f"eligible_{n}d"] = f"{label('eligible', lang)} {n}d"
        headers[f"rr_{n}d"] = f"rr_{n}d"
        headers[f"rr_{n}d_interval"] = f"rr_{n}d {interval}"
    return headers


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
    sections = [
        Section(groups, group_cols, label("service_groups_title", lang), headers, rate_fmt),
        Section(
            tiers,
            tier_cols,
            label("service_tiers_title", lang),
            _rr_headers(tier_cols, horizons, lang, confidence),
            rate_fmt,
        ),
        Section(
            ratio_rows,
            ratio_cols,
            label("service_ratios_title", lang),
            _rr_headers(ratio_cols, [], lang, confidence),
            {"ratio": lambda v: f"{v:.2f}×"},
        ),
    ]
    w = report.window
    claim = document["platform_claim"]
    footer = [
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; last observed day "
        f"{w.last_day.isoformat()}; tiers scored over ({w.start.strftime(TS)}, "
        f"{w.as_of.strftime(TS)}] = {w.days} {label('days', lang)}",
        label("correlation_not_cause", lang),
        f"Platform claim: {claim['statement']}.",
    ]
    for r in document["tier_ratios"]:
        if (r["top"], r["bottom"]) != ("high", "low") or r["ratio"] is None:
            continue
        where = (
            "not measurable (too few customers)"
            if r["platform_ratio_in_interval"] is None
            else "inside"
            if r["platform_ratio_in_interval"]
            else "outside"
        )
        footer.append(
            f"This data, rr_{r['horizon_days']}d: high / low = {r['ratio']:.2f}× "
            f"(interval {_interval_text(r['ratio_low'], r['ratio_high'], lambda v: f'{v:.2f}')}); "
            f"the platform's {r['platform_ratio']:g}× is {where} it."
        )
    footer += document["definitions"][:-1]
    tidy = [
        *document["groups"],
        *(g for shop in document["shops"] for g in shop["groups"]),
        *({**t, "group": "all"} for t in document["tiers"]),
    ]
    return Output(sections, document, tidy, footer, csv=Section(tidy))


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
    fmt.update({k: lambda v: f"{v:g}" for k in ("mean_interval_days", "overdue_by_days")})
    headers = _headers(list(rows[0]) if rows else [], lang)
    for key in headers:
        if key.startswith(("eligible_", "repeat_")) and key.endswith("d"):
            name, _, days = key.partition("_")
            headers[key] = f"{label('eligible' if name == 'eligible' else 'repeated', lang)} {days}"
    section = Section(rows, None, title, headers, fmt)
    if report.view == "cohorts" and rows:
        pivot: dict[tuple[str, str], dict[str, Any]] = {}
        months = max(r["month"] for r in rows)
        for r in rows:
            row = pivot.setdefault(
                (r["shop_id"], r["cohort"]),
                {
                    "shop_id": r["shop_id"],
                    "cohort": r["cohort"],
                    "customers": r["cohort_customers"],
                },
            )
            row[f"m{r['month']}"] = r["cumulative_repeat_share"]
        cols = ["shop_id", "cohort", "customers", *(f"m{k}" for k in range(months + 1))]
        section = Section(
            list(pivot.values()),
            cols,
            title,
            _headers(cols, lang),
            {f"m{k}": pct for k in range(months + 1)},
        )
    footer = [
        f"{label('as_of', lang)} {report.window.as_of.strftime(TS)}; last observed day "
        f"{report.window.last_day.isoformat()}",
        *report.definitions,
    ]
    return Output([section], document, rows, footer, csv=Section(rows))


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
    return f"{label(group, lang)}: {shown}"


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
    fmt = {"retention_rate": pct, "median_handling_hours": hours}
    columns = ["shop_id", *REFUND_FIELDS, "withdrawn_quality"]
    summary = Section(shops, columns, None, _headers(columns, lang), fmt)
    detail_rows = [
        {**row, "key": _group_label(row["group"], row["key"], lang)}
        for row in tidy
        if row["group"] != "all"
    ]
    detail_cols = ["shop_id", "key", *REFUND_FIELDS]
    detail = Section(
        detail_rows,
        detail_cols,
        label("refunds_title", lang) + (" / month" if report.every_month else ""),
        _headers(detail_cols, lang),
        fmt,
    )
    w = report.window
    footer = [
        f"{label('as_of', lang)} {w.as_of.strftime(TS)}; {label('window', lang)} "
        f"({w.start.strftime(TS)}, {w.as_of.strftime(TS)}] = {w.days} {label('days', lang)}",
        label("refund_score_effect", lang),
        *DEFINITIONS,
    ]
    footer += [
        f"{s['shop_id']}: {s['withdrawn_quality']} retained quality/not-as-described "
        "request(s) still count as negative feedback"
        for s in shops
        if s["withdrawn_quality"]
    ]
    csv_cols = ["shop_id", "group", "key", *REFUND_FIELDS]
    return Output([summary, detail], document, shops, footer, csv=Section(tidy, csv_cols))


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
