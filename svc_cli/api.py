"""The Python API: every svc command as a function.

    >>> from svc_cli import api
    >>> report = api.score(api.DataSource(db="shop.duckdb"), as_of="2025-06-30")
    >>> report.shops[0].score

Functions return dataclasses (``ScoreReport``, ``Simulation``, ``RepurchaseReport`` …) with
``to_dict()`` giving the JSON contract; nothing here prints or imports a UI library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svc_cli import store
from svc_cli.config import ModelConfig, load_config
from svc_cli.errors import UsageError
from svc_cli.indicators import ScoreReport, score_shops, select_shops
from svc_cli.load import LoadOptions, LoadResult, Progress, load_files, via_presets
from svc_cli.repurchase import RepurchaseReport, by_group, customer_list, repurchase
from svc_cli.repurchase import cohorts as cohort_cells
from svc_cli.schema import ALL_TABLES
from svc_cli.simulate import Change, Simulation, project_repurchase, simulate
from svc_cli.window import Window, resolve_window

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
                raise UsageError("give one source: a database, export files, or --source DIR")
            from svc_cli.engines import open_lake

            return open_lake(str(self.lake), self.engine, self.spark_master)
        if self.engine != "duckdb":
            raise UsageError(
                f"--engine {self.engine} reads a Parquet lake: give --source DIR",
                "write one from a database with `svc export DB DIR`",
            )
        if self.db is not None:
            if any((self.orders, self.reviews, self.chats)):
                raise UsageError(
                    "give either a database or --orders/--reviews/--chats files, not both"
                )
            if self.shops is not None:
                raise UsageError("--shops with a database: load it with `svc load DB --shops FILE`")
            return store.open_for_read(self.db, self.wait)
        if self.orders is None:
            raise UsageError(
                "no data: give a database (svc load DB …) or --orders FILE",
                "e.g. svc score --orders orders.csv --reviews reviews.csv",
            )
        con = store.open_memory()
        result = load_files(
            con,
            config,
            orders=Path(self.orders),
            reviews=Path(self.reviews) if self.reviews else None,
            chats=Path(self.chats) if self.chats else None,
            shops=Path(self.shops) if self.shops else None,
            options=self.load_options,
        )
        self.warnings += result.warnings
        return con


def load(
    db: Path | str,
    config: ModelConfig | None = None,
    *,
    files: list[Path] | tuple[Path, ...] = (),
    orders: Path | None = None,
    reviews: Path | None = None,
    chats: Path | None = None,
    shops: Path | None = None,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
    wait: float = store.DEFAULT_WAIT,
) -> LoadResult:
    """Load export files into the database ``db`` (created if missing), all or nothing.

    ``files`` are recognised from their header (canonical CSV or a platform export);
    ``orders``/``reviews``/``chats`` are files given as that table."""
    config = config or load_config()
    if not any((files, orders, reviews, chats, shops)):
        raise UsageError("nothing to load: give export files and/or --reviews/--chats/--shops")
    new = not Path(db).exists()
    con = store.open_for_write(db, wait)
    try:
        result = load_files(
            con,
            config,
            files=files,
            orders=orders,
            reviews=reviews,
            chats=chats,
            shops=shops,
            options=options,
            progress=progress,
        )
    except BaseException:
        con.close()
        if new:  # a failed first load leaves no (empty) database behind
            for leftover in (Path(db), Path(f"{db}.wal")):
                leftover.unlink(missing_ok=True)
        raise
    con.close()
    return result


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
    return resolve_window(con, as_of, window_days or default_days, config.timezone)


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
    con = source.connect(config)
    try:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        report = score_shops(con, config, window, benchmark=benchmark, shop_ids=shop_ids)
    finally:
        con.close()
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
    con = source.connect(config)
    try:
        window = _window(con, config, as_of, window_days, config.score_window_days)
        report = score_shops(con, config, window, benchmark=benchmark)
        select_shops(list(report.inputs.values()), [shop_id])
        sim = simulate(report, report.inputs[shop_id], changes, target)
        if sim.before.tier != sim.after.tier:
            rr = repurchase(con, Window(window.as_of, config.repurchase_window_days))
            tiers = {s.shop_id: s.tier or s.status for s in report.shops}
            tier_rates = {
                g["group"]: (g["repeat_purchase_rate"], g["shops"]) for g in by_group(rr, tiers)
            }
            shop_rate = next(
                (s.to_dict()["repeat_purchase_rate"] for s in rr.shops if s.shop_id == shop_id),
                None,
            )
            sim.repurchase_estimate = project_repurchase(sim, shop_rate, tier_rates, config)
    finally:
        con.close()
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
        raise UsageError(
            "--by tier, --cohorts and --show-customers cannot be combined; run them separately"
        )
    config = config or load_config()
    con = source.connect(config)
    try:
        window = _window(con, config, as_of, window_days, config.repurchase_window_days)
        report = repurchase(con, window, shop_ids)
        if by_tier:
            score_window = Window(window.as_of, config.score_window_days)
            scored = score_shops(con, config, score_window, shop_ids=shop_ids)
            report.groups = by_group(report, {s.shop_id: s.tier or s.status for s in scored.shops})
        if cohorts:
            report.cohorts = cohort_cells(con, window, shop_ids)
        if show_customers:
            report.customers = customer_list(con, window, shop_ids)
    finally:
        con.close()
    report.warnings = source.warnings + report.warnings
    return report


def info(db: Path | str, wait: float = store.DEFAULT_WAIT) -> dict[str, Any]:
    """What a database holds: row counts and date ranges per table, and the shops."""
    con = store.open_for_read(db, wait)
    try:
        tables = []
        for table in ALL_TABLES:
            ts = [c.name for c in table.columns if c.kind == "timestamp"]
            first_ts = f"least({', '.join(f'min({c})' for c in ts)})" if ts else "NULL"
            last_ts = f"greatest({', '.join(f'max({c})' for c in ts)})" if ts else "NULL"
            n, first, last = con.execute(
                f"SELECT count(*), {first_ts}, {last_ts} FROM {table.name}"
            ).fetchall()[0]
            tables.append({"table": table.name, "rows": n, "first": first, "last": last})
        shops = con.execute("""
            SELECT o.shop_id, s.name, coalesce(s.industry, 'general') AS industry,
                   coalesce(s.services, []) AS services, count(*) AS orders,
                   min(o.ordered_at) AS first_order, max(o.ordered_at) AS last_order
            FROM orders o LEFT JOIN shops s USING (shop_id)
            GROUP BY ALL ORDER BY o.shop_id""").fetchall()
        shop_rows = [
            dict(
                zip(
                    (
                        "shop_id",
                        "name",
                        "industry",
                        "services",
                        "orders",
                        "first_order",
                        "last_order",
                    ),
                    r,
                    strict=False,
                )
            )
            for r in shops
        ]
        version = store.scalar(con, "SELECT value FROM svc_meta WHERE key = 'schema_version'")
        loads = con.execute("SELECT count(*), max(loaded_at) FROM svc_loads").fetchall()[0]
    finally:
        con.close()
    return {
        "database": str(db),
        "schema_version": int(version) if version is not None else None,
        "loads": loads[0],
        "last_load": loads[1],
        "tables": tables,
        "shops": shop_rows,
    }


def inspect_file(
    path: Path | str, options: LoadOptions | None = None, sample: int = 5
) -> dict[str, Any]:
    """How svc would read an export, without loading it: preset, encoding, rows, column
    mapping and the first normalised rows."""
    import csv

    from svc_cli import presets

    normalised = via_presets(Path(path), options or LoadOptions())
    try:
        with normalised.path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [row for _, row in zip(range(sample), reader, strict=False)]
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
