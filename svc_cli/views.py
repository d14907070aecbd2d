"""Turning results into ``render.Output``: which rows and columns each command shows.

JSON and CSV keep stable English field names and values (the contract); ``lang`` only
changes the labels of the terminal table and Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from svc_cli.config import ModelConfig
from svc_cli.i18n import label
from svc_cli.render import Output, Section

if TYPE_CHECKING:
    from svc_cli.indicators import ScoreReport
    from svc_cli.load import LoadResult
    from svc_cli.repurchase import RepurchaseReport
    from svc_cli.scoring import ShopScore
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
        **{d.name: d.score for d in shop.dimensions.values()},
        "addon": shop.addon,
        "biggest_loss": (f"{label(loss.name, lang)} −{loss.points_lost:.2f}" if loss else None),
    }


def _shop_notes(shop: ShopScore, lang: str) -> list[str]:
    """Growth-stage reasons, ignored services and not-assessed indicators of one shop."""
    notes = list(shop.notes)
    not_assessed = [label(i.name, lang) for i in shop.indicators.values() if not i.assessed]
    if not_assessed and shop.status == "scored":
        notes.append(f"{label('not_assessed', lang)}: {', '.join(not_assessed)}")
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
        )
    }
    row["window_start"], row["window_end"] = d["window"]["start"], d["window"]["end"]
    for name, dim in d["dimensions"].items():
        row[f"{name}_score"] = dim["score"]
        row[f"{name}_effective_weight"] = dim["effective_weight"]
    for name, ind in d["indicators"].items():
        row[f"{name}_value"] = ind["value"]
        row[f"{name}_score"] = ind["score"]
        row[f"{name}_assessed"] = ind["assessed"]
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


def info_output(info: dict[str, Any]) -> Output:
    tables = Section(info["tables"], title="Tables")
    shops = Section(info["shops"], title="Shops")
    footer = [f"{info['database']}: schema {info['schema_version']}, {info['loads']} file load(s)"]
    return Output([tables, shops], info, info["shops"], footer, csv=shops)


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


def export_output(result: dict[str, Any]) -> Output:
    rows = [
        {"table": name, "rows": t["rows"], "partitioned_by": ", ".join(t["partitioned_by"])}
        for name, t in result["tables"].items()
    ]
    footer = [
        f"{result['lake']}: {result['format']} format {result['format_version']}, "
        f"schema {result['schema_version']}; read with --source {result['lake']}"
    ]
    return Output([Section(rows)], result, rows, footer)
