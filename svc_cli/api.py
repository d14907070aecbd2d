"""The Python API: every svc command as a function.

    >>> from svc_cli import api
    >>> report = api.score(api.DataSource(db="shop.duckdb"), as_of="2025-06-30")
    >>> report.shops[0].score

Functions return dataclasses (``ScoreReport``, ``Simulation``, ``RepurchaseReport`` …) with
``to_dict()`` giving the JSON contract; nothing here prints or imports a UI library.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svc_cli import coverage, store
from svc_cli.agents import AgentReport, agent_report
from svc_cli.config import ModelConfig, load_config
from svc_cli.diagnose import Diagnosis, diagnose_shop
from svc_cli.errors import DataError, UsageError, ValidationError
from svc_cli.html_report import HtmlReport, ShopPage
from svc_cli.i18n import Message, Verbatim
from svc_cli.load import load_database, load_files, via_presets
from svc_cli.load_options import LoadOptions
from svc_cli.plan import Plan, load_fixables, plan_shop
from svc_cli.queries import (
    HAS_ORDERS,
    INFO_SHOPS,
    LOADS_SUMMARY,
    SCHEMA_VERSION_STORED,
    TABLE_SPANS,
)
from svc_cli.refunds import RefundReport, refund_retention
from svc_cli.repeat import RepeatReport
from svc_cli.repurchase import RepurchaseReport, by_group, customer_list, repurchase
from svc_cli.repurchase import cohorts as cohort_cells
from svc_cli.score_report import ScoreReport, score_shops, select_shops
from svc_cli.service_repurchase import ServiceRepurchaseReport, service_repurchase
from svc_cli.shop_ids import require_known
from svc_cli.shops import shop_names
from svc_cli.simulate import Change, Simulation, estimate_repurchase, simulate
from svc_cli.trend import Trend, default_start, parse_day, trend_shop
from svc_cli.window import TIMESTAMP_FORMAT, Window, resolve_window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

AsOf = str | datetime | None


@dataclass
class DataSource:
    """Where a computation reads from: an svc database, export files loaded into an
    in-memory database for this one run, or a Parquet lake (``lake``: a folder, or any
    path Spark reads) on the DuckDB or Spark ``engine``."""

    db: Path | str | None = None
    orders: Path | str | None = None
    reviews: Path | str | None = None
    chats: Path | str | None = None
    shops: Path | str | None = None
    load_options: LoadOptions = field(default_factory=LoadOptions)
    wait: float = store.DEFAULT_WAIT  # seconds to wait for another svc holding the database
    warnings: list[str] = field(default_factory=list)
    lake: Path | str | None = None  # written by `svc export DB DIR` (docs/parquet-format.md)
    engine: str = "duckdb"  # "duckdb" or "spark" (Spark reads a lake)
    spark_master: str | None = None  # default: spark-submit's, SPARK_REMOTE, else local[*]

    def connect(self, config: ModelConfig) -> Engine:
        if self.lake is not None:
            if self.db is not None or any((self.orders, self.reviews, self.chats, self.shops)):
                raise UsageError(Message("error.one_source"))
            from svc_cli.engines import open_lake

            return open_lake(str(self.lake), self.engine, self.spark_master, self.warnings)
        if self.engine != "duckdb":
            raise UsageError(
                Message("error.engine_needs_lake", engine=Verbatim(self.engine)),
                Message("hint.export_lake"),
            )
        if self.db is not None:
            if any((self.orders, self.reviews, self.chats)):
                raise UsageError(Message("error.db_and_files"))
            if self.shops is not None:
                raise UsageError(Message("error.shops_with_db"))
            return store.open_for_read(self.db, self.wait)
        if self.orders is None:
            raise UsageError(Message("error.no_input"), Message("hint.no_input"))
        con = store.open_memory()
        try:
            result = load_files(
                con,
                config,
                orders=Path(self.orders),
                reviews=Path(self.reviews) if self.reviews else None,
                chats=Path(self.chats) if self.chats else None,
                shops=Path(self.shops) if self.shops else None,
                options=self.load_options,
            )
        except ValidationError as exc:  # said as a computation's, not as a load's
            con.close()
            raise ValidationError(
                exc.problems,
                exc.total,
                Message("invalid_rows.files_hint"),
                Message("invalid_rows.files", total=str(exc.total)),
            ) from exc
        self.warnings += result.warnings
        return con


# Loading lives in svc_cli.load (the command line imports it without this module).
load = load_database


def export(
    db: Path | str, out: Path | str, *, overwrite: bool = False, wait: float = store.DEFAULT_WAIT
) -> dict[str, Any]:
    """Write the database's canonical tables as a Parquet lake under ``out``
    (docs/parquet-format.md), for ``--source DIR`` on DuckDB or Spark."""
    from svc_cli.lake import export as export_lake

    return export_lake(db, out, overwrite=overwrite, wait=wait)


def _window(
    con: Engine,
    config: ModelConfig,
    as_of: AsOf,
    window_days: int | None,
    default_days: int,
) -> Window:
    """The window of a computation on the orders; none loaded is an error, not a report
    of nothing (a header-only export loads no rows)."""
    if not store.scalar(con, HAS_ORDERS):
        raise DataError(Message("error.no_orders"), Message("hint.no_orders"))
    return resolve_window(con, as_of, window_days or default_days, config.timezone)


def _past_the_data(con: Engine, window: Window) -> list[str]:
    """A warning when the as-of is days past the latest time loaded (more than the day
    after it): a repurchase measure counts the days after the data as days without an
    order (spec §9 observes up to the as-of)."""
    latest = store.latest_timestamp(con)
    if latest is None or window.as_of <= latest + timedelta(days=2):
        return []
    return [
        Message(
            "repurchase.past_the_data",
            latest=latest.strftime(TIMESTAMP_FORMAT),
            as_of=window.as_of.strftime(TIMESTAMP_FORMAT),
        )
    ]


def _tiers(scored: ScoreReport) -> tuple[dict[str, str], list[str]]:
    """Each shop's tier (or status) to pool by, and a warning naming the shops whose tier
    rests on fewer than all indicators (pooled with the fully scored ones all the same)."""
    tiers = {s.shop_id: s.tier or s.status for s in scored.shops}
    partial = [s for s in scored.shops if s.tier and s.assessed_count < len(s.indicators)]
    if not partial:
        return tiers, []
    shops = [Verbatim(f"{s.shop_id} ({s.assessed_count})") for s in partial]
    total = str(len(partial[0].indicators))
    return tiers, [Message("tiers.partly_scored", shops=shops, total=total)]


def score(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    shop_ids: list[str] | None = None,
    benchmark: str = "thresholds",
) -> ScoreReport:
    """Experience score of every shop (or ``shop_ids``)."""
    config = config or load_config()
    with closing(source.connect(config)) as con:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        require_known(con, shop_ids)
        report = score_shops(con, config, window, benchmark=benchmark, shop_ids=shop_ids)
    report.warnings = source.warnings + report.warnings
    return report


def simulate_shop(
    source: DataSource,
    shop_id: str,
    changes: list[Change],
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    benchmark: str = "thresholds",
    target: float | None = None,
) -> Simulation:
    """Before/after of one shop under hypothetical changes, paths to ``target`` and, when
    its tier changes, a labelled estimate of its repeat purchase rate."""
    config = config or load_config()
    with closing(source.connect(config)) as con:
        require_known(con, [shop_id])
        window = _window(con, config, as_of, window_days, config.score_window_days)
        report = score_shops(con, config, window, benchmark=benchmark)
        select_shops(list(report.inputs.values()), [shop_id])
        inputs = report.inputs[shop_id]
        fixables = (
            load_fixables(con, config, window, inputs)
            if any(c.kind == "fix" for c in changes)
            else None
        )
        sim = simulate(report, inputs, changes, target, fixables)
        if sim.paths:  # the same question in whole events, as `svc plan` answers it
            fixables = fixables or load_fixables(con, config, window, inputs)
            sim.plan = plan_shop(inputs, fixables, config, report.benchmark, window, sim.target)
        sim.repurchase_estimate = estimate_repurchase(con, report, sim)
    sim.warnings = source.warnings + sim.warnings
    return sim


def repurchase_report(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    shop_ids: list[str] | None = None,
    by_tier: bool = False,
    cohorts: bool = False,
    show_customers: bool = False,
) -> RepurchaseReport:
    """Repurchase metrics per shop; with ``by_tier`` also pooled by score tier (scored at
    the same as-of with the model's scoring window), with ``cohorts`` the cohort cells,
    with ``show_customers`` the customers ordering in the window (buyer ids)."""
    if by_tier + cohorts + show_customers > 1:
        raise UsageError(Message("error.views_combined"))
    config = config or load_config()
    with closing(source.connect(config)) as con:
        require_known(con, shop_ids)
        window = _window(con, config, as_of, window_days, config.repurchase_window_days)
        report = repurchase(con, window, shop_ids)
        report.warnings += _past_the_data(con, window)
        report.names = shop_names(con)
        if by_tier:
            score_window = Window(window.as_of, config.score_window_days)
            scored = score_shops(con, config, score_window, shop_ids=shop_ids)
            tiers, partly_scored = _tiers(scored)
            report.groups = by_group(report, tiers)
            report.warnings += partly_scored
        if cohorts:
            report.cohorts = cohort_cells(con, window, shop_ids)
        if show_customers:
            report.customers = customer_list(con, window, shop_ids)
    report.warnings = source.warnings + report.warnings
    return report


def refunds_report(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    shop_ids: list[str] | None = None,
    every_month: bool = False,
) -> RefundReport:
    """Refund retention (spec §13) per shop over refunds requested in the window (default:
    the scoring window), by reason, by stage and, with ``every_month``, by month."""
    config = config or load_config()
    with closing(source.connect(config)) as con:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        require_known(con, shop_ids)
        report = refund_retention(con, window, shop_ids, every_month)
    report.warnings = source.warnings + report.warnings
    return report


def agents_report(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    shop_ids: list[str] | None = None,
    benchmark: str = "thresholds",
) -> AgentReport:
    """Customer-service agents (spec §12): metrics and grade of every agent, its share of
    the points its shop loses on response and satisfaction (the shop scored at the same
    window), and the score had every agent below the what-if level reached it."""
    config = config or load_config()
    with closing(source.connect(config)) as con:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        require_known(con, shop_ids)
        scores = score_shops(con, config, window, benchmark=benchmark)
        report = agent_report(
            con, window, config.agents, scores, coverage.provided_by_shop(con), shop_ids
        )
    report.warnings = source.warnings + report.warnings
    return report


def service_repurchase_report(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    shop_ids: list[str] | None = None,
    seed: int | None = None,
) -> ServiceRepurchaseReport:
    """First-time customers grouped by what their first order went through, rr_Nd per
    group with Wilson intervals, and the same pooled by score tier (scored at
    ``as_of`` over ``window_days``, default the scoring window) beside the platform's
    claim."""
    config = config or load_config()
    if seed is not None:
        config = config._replace(bootstrap=config.bootstrap._replace(seed=seed))
    with closing(source.connect(config)) as con:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        require_known(con, shop_ids)
        scored = score_shops(con, config, window)
        tiers, partly_scored = _tiers(scored)
        report = service_repurchase(
            con, window, config, coverage.provided_by_shop(con), tiers, shop_ids
        )
        report.warnings += partly_scored
        report.warnings += _past_the_data(con, window)
    report.warnings = source.warnings + report.warnings
    return report


def repeat_report(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    view: str = "summary",
    as_of: AsOf = None,
    shop_ids: list[str] | None = None,
) -> RepeatReport:
    """One view of the repeat-customer deep-dive (``repeat.VIEWS``): summary, gaps (days
    from first to second order), sku, amount (first-order band), cohorts (cumulative
    curves) or overdue (customers overdue for a reorder; prints customer ids)."""
    from svc_cli import repeat

    if view not in repeat.VIEWS:
        raise UsageError(
            Message("error.unknown_view", name=Verbatim(repr(view))),
            Message("hint.views", views=[Verbatim(v) for v in repeat.VIEWS]),
        )
    config = config or load_config()
    with closing(source.connect(config)) as con:
        window = _window(con, config, as_of, None, config.repurchase_window_days)
        require_known(con, shop_ids)
        report = repeat.repeat_report(con, window, config, view, shop_ids)
        report.warnings += _past_the_data(con, window)
    report.warnings = source.warnings + report.warnings
    return report


def info(db: Path | str, wait: float = store.DEFAULT_WAIT) -> dict[str, Any]:
    """What a database holds: row counts and date ranges per table; per shop the rows and
    period of each table, the inputs provided (spec §10) and the indicators they allow."""
    with closing(store.open_for_read(db, wait)) as con:
        tables = store.records(con, TABLE_SPANS)
        shop_rows = store.records(con, INFO_SHOPS)
        version = store.scalar(con, SCHEMA_VERSION_STORED)
        loads, last_load, header_only_loads = con.execute(LOADS_SUMMARY).fetchall()[0]
    return {
        "database": str(db),
        "schema_version": int(version) if version is not None else None,
        "loads": loads,
        "header_only_loads": header_only_loads,
        "last_load": last_load,
        "tables": [
            {
                "table": t["table_name"],
                "rows": t["row_count"],
                "first": t["first_at"],
                "last": t["last_at"],
            }
            for t in tables
        ],
        "shops": [
            {**shop, **coverage.assessable(frozenset(shop["provided"]))} for shop in shop_rows
        ],
    }


def inspect_file(
    path: Path | str,
    options: LoadOptions | None = None,
    sample: int = 5,
    config: ModelConfig | None = None,
) -> dict[str, Any]:
    """How svc would read an export, without loading it: preset, encoding, rows, column
    mapping and the first normalised rows (times in the time zone of ``config``)."""
    from svc_cli import presets

    timezone = (config or load_config()).timezone
    normalised = via_presets(Path(path), options or LoadOptions(), timezone=timezone)
    try:
        rows = normalised.head(sample, timezone)
    finally:
        normalised.cleanup()
    return {
        "file": "stdin" if str(path) == "-" else str(path),
        "preset": normalised.preset,
        "description": None
        if normalised.preset == "canonical"
        else presets.describe(normalised.preset),
        "encoding": normalised.encoding,
        "table": normalised.table,
        "mode": normalised.mode,
        "rows": normalised.rows_in,
        "mapping": normalised.mapping,
        "unmapped": normalised.unmapped,
        "sample": rows,
        "warnings": normalised.warnings,
    }


def preset_catalog() -> list[dict[str, Any]]:
    """Every platform preset: name, what it reads, and how it is recognised."""
    from svc_cli import presets
    from svc_cli.presets.base import fingerprint_text

    return [
        {
            "preset": p.name,
            "title": p.title,
            "table": p.table,
            "mode": p.mode,
            "grain": p.grain,
            "detected_by": fingerprint_text(p),
        }
        for p in presets.PRESETS.values()
    ]


def report_pages(
    source: DataSource,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    shop_ids: list[str] | None = None,
    trend_weeks: int = 12,
    reviews: int = 3,
) -> HtmlReport:
    """Everything the HTML report shows, per shop: the score, its diagnosis (``svc
    diagnose``), the plan to the high tier (``svc plan``), the score at the end of each of
    the last ``trend_weeks`` calendar weeks (``svc trend``), repurchase, refund retention,
    agents and the latest bad reviews. The same library results the other commands
    return."""

    from svc_cli.queries import RECENT_BAD_REVIEWS
    from svc_cli.trend import end_of, period_ends

    config = config or load_config()
    with closing(source.connect(config)) as con:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        report = score_shops(con, config, window, shop_ids=shop_ids)
        chosen = [s.shop_id for s in report.shops]
        # weekly points as `svc trend` gives them (each = `svc score --as-of DAY`); an
        # as-of within a day is the last week's point itself (the score card), in place
        # of the end of its day, which is after it
        start = default_start(window.last_day, "week", trend_weeks)
        ends = period_ends(start, window.last_day, "week")
        within_a_day = end_of(window.last_day) != window.as_of
        if within_a_day:
            ends.pop()
        trends: dict[str, list[tuple[date | datetime, float | None]]] = {}
        diagnoses: dict[str, Diagnosis] = {}
        plans: dict[str, Plan] = {}
        for shop in report.shops:
            points = (
                trend_shop(con, config, shop.shop_id, start, ends[-1], "week", window.days).points
                if ends
                else []
            )
            trends[shop.shop_id] = [(p.date, p.shop.score) for p in points]
            if within_a_day:
                trends[shop.shop_id].append((window.as_of, shop.score))
            diagnoses[shop.shop_id] = diagnose_shop(con, config, window, shop.shop_id)
            inputs = report.inputs[shop.shop_id]
            fixables = load_fixables(con, config, window, inputs)
            plans[shop.shop_id] = plan_shop(
                inputs, fixables, config, report.benchmark, window, config.tier_high
            )
        rr = repurchase(con, Window(window.as_of, config.repurchase_window_days), chosen)
        refunds = refund_retention(con, window, chosen)
        agents = agent_report(
            con, window, config.agents, report, coverage.provided_by_shop(con), chosen
        )
        bad: dict[str, list[dict[str, Any]]] = {}
        for review in store.records(con, RECENT_BAD_REVIEWS, {**window.params(), "limit": reviews}):
            bad.setdefault(review["shop_id"], []).append(review)
    rates = {s.shop_id: s.to_dict() for s in rr.shops}
    refund_of = {s.shop_id: s for s in refunds.shops if s.provided and s.total.requests}
    agents_of = {s.shop_id: s for s in agents.shops}
    pages = [
        ShopPage(
            shop=shop,
            name=report.names.get(shop.shop_id),
            target=config.tier_high,
            trend=trends[shop.shop_id],
            repurchase=rates.get(shop.shop_id),
            bad_reviews=bad.get(shop.shop_id, []),
            diagnosis=diagnoses[shop.shop_id],
            plan=plans[shop.shop_id],
            refunds=refund_of.get(shop.shop_id),
            agents=[a for a in agents.agents if a.shop_id == shop.shop_id],
            agents_shop=agents_of.get(shop.shop_id),
            what_if_level=config.agents.what_if_level,
        )
        for shop in report.shops
    ]
    warnings = source.warnings + report.warnings + rr.warnings + refunds.warnings
    warnings += agents.warnings
    return HtmlReport(window, config, pages, config.repurchase_window_days, warnings)


def diagnose(
    source: DataSource,
    shop_id: str,
    config: ModelConfig | None = None,
    *,
    as_of: AsOf = None,
    window_days: int | None = None,
    benchmark: str = "thresholds",
    projection: bool = True,
) -> Diagnosis:
    """What costs one shop its points (spec §11): per indicator the points lost and the
    events behind them with the day each leaves the window, and (unless ``projection``
    is false) the score of each of the next window_days days on unchanged data."""
    config = config or load_config()
    with closing(source.connect(config)) as con:
        require_known(con, [shop_id])
        window = _window(con, config, as_of, window_days, config.score_window_days)
        result = diagnose_shop(con, config, window, shop_id, benchmark, projection)
    result.warnings = source.warnings + result.warnings
    return result


def plan(
    source: DataSource,
    shop_id: str,
    config: ModelConfig | None = None,
    *,
    target: float | None = None,
    as_of: AsOf = None,
    window_days: int | None = None,
    benchmark: str = "thresholds",
) -> Plan:
    """The cheapest set of whole-event fixes and special services that lifts one shop's
    rounded score to ``target`` (default: the high tier), spec §14."""
    config = config or load_config()
    with closing(source.connect(config)) as con:
        require_known(con, [shop_id])
        window = _window(con, config, as_of, window_days, config.score_window_days)
        report = score_shops(con, config, window, benchmark=benchmark, shop_ids=[shop_id])
        inputs = report.inputs[shop_id]
        fixables = load_fixables(con, config, window, inputs)
    goal = config.tier_high if target is None else target
    result = plan_shop(inputs, fixables, config, report.benchmark, window, goal)
    result.warnings = source.warnings + report.warnings
    return result


def trend(
    source: DataSource,
    shop_id: str,
    config: ModelConfig | None = None,
    *,
    start: str | date | None = None,
    end: str | date | None = None,
    every: str = "week",
    window_days: int | None = None,
    benchmark: str = "thresholds",
) -> Trend:
    """The score and every indicator of one shop as of the end of each day, week or
    month from ``start`` to ``end`` (default: the last observed day), rolling window."""
    config = config or load_config()
    days = window_days or config.score_window_days
    with closing(source.connect(config)) as con:
        require_known(con, [shop_id])
        if end is None:
            end = _window(con, config, None, days, days).last_day
        elif isinstance(end, str):
            end = parse_day(end, "--to")
        if start is None:
            start = default_start(end, every)
        elif isinstance(start, str):
            start = parse_day(start, "--from")
        result = trend_shop(con, config, shop_id, start, end, every, days, benchmark)
    result.warnings = source.warnings + result.warnings
    return result
