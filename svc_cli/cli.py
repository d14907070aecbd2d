"""The `svc` command line: parse options, call ``svc_cli.api``, render the result.

Heavy modules (duckdb, polars) are imported inside the commands that need them, so
``svc --help`` and ``svc services`` start fast.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from svc_cli import __version__
from svc_cli.errors import ExitCode, SvcError, ValidationError, is_interrupt
from svc_cli.render import Format, Output, render

if TYPE_CHECKING:
    from svc_cli.api import DataSource
    from svc_cli.config import ModelConfig
    from svc_cli.load import Progress

EXIT_CODES = (
    "Exit codes: 0 ok · 1 failure · 2 invalid input or usage · 75 database busy "
    "(another svc is writing) · 130 interrupted. "
    "Data goes to stdout; errors, warnings and progress to stderr."
)

app = typer.Typer(
    name="svc",
    help="Real experience score (真实体验分) toolkit: load shop exports, score shops, "
    "simulate special services, report repurchase.",
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
report_app = typer.Typer(
    help="Reports for cron jobs and analysts.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(report_app, name="report")

F = TypeVar("F", bound=Callable[..., Any])


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class Benchmark(str, Enum):
    thresholds = "thresholds"
    peers = "peers"


class GroupBy(str, Enum):
    tier = "tier"


class EngineName(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


# Shared options, declared once.
DbArg = Annotated[
    Path | None,
    typer.Argument(help="svc database (DuckDB file) written by `svc load`.", show_default=False),
]
OrdersOpt = Annotated[
    Path | None,
    typer.Option(
        "--orders", help="Score straight from an orders CSV (in-memory database, nothing saved)."
    ),
]
ReviewsOpt = Annotated[Path | None, typer.Option("--reviews", help="Reviews CSV.")]
ChatsOpt = Annotated[Path | None, typer.Option("--chats", help="Customer-service chats CSV.")]
ShopsOpt = Annotated[
    Path | None,
    typer.Option("--shops", help="Shops file (CSV or TOML): industry and special services."),
]
ShopOpt = Annotated[
    list[str] | None, typer.Option("--shop", help="Only this shop id (repeatable).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Window end: a date (= end of that day) or a timestamp. "
        "Default: the latest timestamp in the data.",
    ),
]
WindowOpt = Annotated[
    int | None,
    typer.Option(
        "--window-days", min=1, help="Window length in days (default from the model config)."
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Model TOML merged over the defaults (see `svc model`)."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
]
LangOpt = Annotated[Lang, typer.Option("--lang", envvar="SVC_LANG", help="Label language.")]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="Input encoding (default UTF-8), e.g. gb18030.")
]
WaitOpt = Annotated[
    float,
    typer.Option("--wait", min=0, help="Seconds to wait for another svc using the database."),
]
PresetOpt = Annotated[
    str | None,
    typer.Option(
        "--preset", help="Force a platform preset (default: detected; see `svc presets`)."
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map", help="CANONICAL=SOURCE_HEADER column mapping for unknown exports (repeatable)."
    ),
]
MappingOpt = Annotated[
    Path | None,
    typer.Option("--mapping", help="TOML mapping file (columns, status values, table, shop_id)."),
]
ShopIdOpt = Annotated[
    str | None,
    typer.Option("--shop", help="Shop id for exports without a shop column."),
]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Read a Parquet lake written by `svc export` (a folder; with --engine spark "
        "also hdfs://, s3a:// … paths) instead of a database.",
        show_default=False,
    ),
]
EngineOpt = Annotated[
    EngineName,
    typer.Option(
        "--engine", help="Where the SQL runs: duckdb, or spark (reads --source; svc[spark] extra)."
    ),
]
SparkMasterOpt = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        help="Spark master URL (default: spark-submit's, else local[*]); sc://HOST:15002 "
        "for Spark Connect (or set SPARK_REMOTE).",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or warnings on stderr.")]


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def warn(messages: list[str], quiet: bool = False) -> None:
    if quiet or not messages:
        return
    console = _stderr()
    for message in messages:
        console.print("Warning: " + message, style="yellow", markup=False)


def _report_error(exc: SvcError) -> None:
    console = _stderr()
    console.print("Error: " + exc.message, style="bold red", markup=False)
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            console.print("  " + str(problem), markup=False)
        if exc.total > len(exc.problems):
            console.print(
                f"  … and {exc.total - len(exc.problems)} more invalid row(s)", markup=False
            )
    if exc.hint:
        console.print("Hint: " + exc.hint, style="cyan", markup=False)


def handle_errors(fn: F) -> F:
    """Turn every user error into a message on stderr and a documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SvcError as exc:
            _report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except (KeyboardInterrupt, Exception) as exc:
            console = _stderr()
            if is_interrupt(exc):
                console.print("Interrupted.", style="red", markup=False)
                raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
            if os.environ.get("SVC_DEBUG"):
                raise
            console.print(
                f"Error: internal error: {type(exc).__name__}: {exc}",
                style="bold red",
                markup=False,
            )
            console.print(
                "Hint: rerun with SVC_DEBUG=1 for a traceback and report it",
                style="cyan",
                markup=False,
            )
            raise typer.Exit(int(ExitCode.FAILURE)) from None

    return wrapper  # type: ignore[return-value]


def _config(path: Path | None) -> ModelConfig:
    from svc_cli.config import load_config

    return load_config(path)


def _source(
    db: Path | None,
    orders: Path | None,
    reviews: Path | None,
    chats: Path | None,
    shops: Path | None,
    encoding: str | None = None,
    wait: float = 5.0,
    shop: list[str] | str | None = None,
    lake: str | None = None,
    engine: EngineName = EngineName.duckdb,
    spark_master: str | None = None,
) -> DataSource:
    """Where a computing command reads from. Exports without a shop column, scored
    straight from files, take the shop id from a single ``--shop``; ``lake`` is a
    Parquet lake read by ``engine``."""
    from svc_cli.api import DataSource
    from svc_cli.load import LoadOptions

    shops_given = [shop] if isinstance(shop, str) else list(shop or [])
    shop_id = shops_given[0] if len(shops_given) == 1 else None
    return DataSource(
        db=db,
        orders=orders,
        reviews=reviews,
        chats=chats,
        shops=shops,
        load_options=LoadOptions(encoding=encoding, shop_id=shop_id, shop_fallback=True),
        wait=wait,
        lake=lake,
        engine=engine.value,
        spark_master=spark_master,
    )


def _import_options(
    preset: str | None, shop_id: str | None, column_map: list[str] | None, mapping: Path | None
) -> dict[str, Any]:
    """LoadOptions fields for recognising exports: --preset, --shop, --map, --mapping."""
    spec, columns = None, {}
    if mapping is not None or column_map:
        from svc_cli.presets import load_mapping, parse_map_options

        spec = load_mapping(mapping) if mapping is not None else None
        columns = {**(spec.columns if spec else {}), **parse_map_options(column_map or [])}
    return {
        "preset": preset or (spec.preset if spec else None),
        "shop_id": shop_id or (spec.shop_id if spec else None),
        "column_map": tuple(columns.items()),
        "status_map": tuple(spec.statuses.items()) if spec else (),
        "table": spec.table if spec else None,
    }


def _emit(output: Output, fmt: Format, path: Path | None, warnings: list[str]) -> None:
    warn(warnings)
    render(output, fmt, path)


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    """A Rich progress display on stderr, or nothing when quiet / not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (
        BarColumn,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    with RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=_stderr(),
        transient=True,
    ) as bar:
        task = bar.add_task("loading", total=None)

        def update(message: str, done: float | None) -> None:
            if done is None:
                bar.update(task, description=message, total=None)
            else:
                bar.update(task, description=message, total=1.0, completed=done)

        yield update


@app.command()
@handle_errors
def load(
    db: Annotated[Path, typer.Argument(help="Database file to create or update.")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Export files (canonical or platform exports, CSV/TSV/xlsx, .gz; - for "
            "stdin), each recognised from its header.",
            show_default=False,
        ),
    ] = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    max_errors: Annotated[
        int,
        typer.Option(
            "--max-errors",
            min=0,
            help="Skip up to N invalid rows (written to a rejects CSV); more refuses the load.",
        ),
    ] = 0,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Load the valid rows, write the invalid ones to FILE.rejects.csv.",
        ),
    ] = False,
    rejects_dir: Annotated[
        Path | None,
        typer.Option("--rejects-dir", help="Folder for rejects CSVs (default: beside each input)."),
    ] = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
    shop_id: ShopIdOpt = None,
    column_map: MapOpt = None,
    mapping: MappingOpt = None,
    pseudonymize: Annotated[
        bool,
        typer.Option(
            "--pseudonymize",
            help="Store customer ids as a keyed hash (key from $SVC_PSEUDONYM_KEY or "
            "--key-file); repurchase metrics stay identical.",
        ),
    ] = False,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="File holding the pseudonymisation key.")
    ] = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    wait: WaitOpt = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Load exports into a database: recognised, validated, de-duplicated, incremental.

    Takes canonical CSVs and the platforms' own exports (Taobao/Tmall, Douyin, JD,
    Pinduoduo, Shopify, Amazon, review apps) as they come. One transaction: every file
    lands or none does. Loading the same file again changes nothing; a newer export
    updates the orders whose status, refund or delivery changed.

    \b
    Examples:
      svc load shop.duckdb orders.csv --reviews reviews.csv --chats chats.csv --shops shops.csv
      svc load shop.duckdb ExportOrderList202506.csv 退款导出.csv --shop 57300001
    """
    from svc_cli import api
    from svc_cli.load import LoadOptions
    from svc_cli.privacy import read_key
    from svc_cli.views import load_output

    options = LoadOptions(
        max_errors=max_errors,
        skip_invalid=skip_invalid,
        rejects_dir=rejects_dir,
        encoding=encoding,
        pseudonym_key=read_key(key_file) if pseudonymize or key_file else None,
        **_import_options(preset, shop_id, column_map, mapping),
    )
    with _progress(not quiet) as progress:
        result = api.load(
            db,
            _config(config),
            files=files or [],
            reviews=reviews,
            chats=chats,
            shops=shops,
            options=options,
            progress=progress,
            wait=wait,
        )
    warn(result.warnings, quiet)
    render(load_output(result), fmt, output)


@app.command()
@handle_errors
def info(
    db: Annotated[Path, typer.Argument(help="svc database.")],
    wait: WaitOpt = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Show what a database holds: tables, row counts, date ranges, shops.

    \b
    Example:
      svc info shop.duckdb
    """
    from svc_cli import api
    from svc_cli.views import info_output

    render(info_output(api.info(db, wait)), fmt, output)


@app.command()
@handle_errors
def export(
    db: Annotated[Path, typer.Argument(help="svc database.")],
    folder: Annotated[Path, typer.Argument(help="Folder to write the Parquet lake to.")],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace FOLDER if it exists and is not empty.")
    ] = False,
    wait: WaitOpt = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Write the canonical tables as Parquet: the staging format for a cluster.

    Orders and reviews are partitioned by shop and month; the layout is documented in
    docs/parquet-format.md. Read it back with --source FOLDER (--engine duckdb or spark).

    \b
    Examples:
      svc export shop.duckdb lake/
      svc score --source lake/ --engine spark
    """
    from svc_cli import api
    from svc_cli.views import export_output

    render(export_output(api.export(db, folder, overwrite=overwrite, wait=wait)), fmt, output)


@app.command()
@handle_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="An export file (CSV/TSV/xlsx, .gz; - for stdin).")],
    preset: PresetOpt = None,
    encoding: EncodingOpt = None,
    shop_id: ShopIdOpt = None,
    column_map: MapOpt = None,
    mapping: MappingOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Show how svc reads an export, without loading anything.

    Detected preset and encoding, row count, mapped and unmapped columns, and the first
    rows as svc would load them.

    \b
    Example:
      svc inspect ExportOrderList202506.csv
    """
    from svc_cli import api
    from svc_cli.load import LoadOptions
    from svc_cli.views import inspect_output

    options = LoadOptions(
        encoding=encoding, **_import_options(preset, shop_id, column_map, mapping)
    )
    info = api.inspect_file(file, options)
    _emit(inspect_output(info), fmt, output, info["warnings"])


@app.command("presets")
@handle_errors
def presets_command(
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """List the platform export presets svc recognises.

    \b
    Example:
      svc presets --format markdown
    """
    from svc_cli import api
    from svc_cli.views import presets_output

    render(presets_output(api.preset_catalog()), fmt, output)


@app.command()
@handle_errors
def score(
    db: DbArg = None,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    shop: ShopOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    config: ConfigOpt = None,
    benchmark: Annotated[
        Benchmark,
        typer.Option(
            "--benchmark", help="Sub-scores from fixed thresholds or from same-industry peers."
        ),
    ] = Benchmark.thresholds,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    lang: LangOpt = Lang.en,
) -> None:
    """Experience score per shop: tier, stars, badge, breakdown and what costs the most.

    \b
    Examples:
      svc score shop.duckdb --shop 0042 --as-of 2025-06-30
      svc score --orders orders.csv --reviews reviews.csv --shops shops.csv --format json
      svc score --engine spark --source s3a://bucket/svc-lake --format csv -o scores.csv
    """
    from svc_cli import api
    from svc_cli.views import score_output

    report = api.score(
        _source(
            db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
        ),
        _config(config),
        as_of=as_of,
        window_days=window_days,
        shop_ids=shop,
        benchmark=benchmark.value,
    )
    _emit(score_output(report, lang.value), fmt, output, report.warnings)


@app.command()
@handle_errors
def simulate(
    db: DbArg = None,
    shop: Annotated[str, typer.Option("--shop", help="The shop to simulate.")] = ...,  # type: ignore[assignment]
    add_service: Annotated[
        list[str] | None,
        typer.Option(
            "--add-service", help="Special service id to add (repeatable; see `svc services`)."
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="INDICATOR=VALUE, e.g. pickup_48h_rate=0.99 (rates are fractions)."
        ),
    ] = None,
    improve: Annotated[
        list[str] | None,
        typer.Option(
            "--improve",
            help="INDICATOR=PCT: improve by PCT percent (lower-is-better indicators "
            "shrink, higher-is-better ones grow, capped at 100%).",
        ),
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(
            "--target", help="Score to find the cheapest ways to (default: the high tier, 4.80)."
        ),
    ] = None,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    config: ConfigOpt = None,
    benchmark: Annotated[Benchmark, typer.Option("--benchmark")] = Benchmark.thresholds,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    lang: LangOpt = Lang.en,
) -> None:
    """What-if: score, tier and badge after adding services or improving indicators.

    Also lists the cheapest ways to reach the target score (fewest services first, then
    the value each indicator would need on its own).

    \b
    Examples:
      svc simulate shop.duckdb --shop 664656 --add-service breakage_compensation
      svc simulate shop.duckdb --shop 0042 --set pickup_48h_rate=0.99 --improve refund_hours=20
    """
    from svc_cli import api
    from svc_cli.simulate import Change, parse_assignment
    from svc_cli.views import simulate_output

    changes = [Change("add_service", s) for s in add_service or []]
    changes += [Change("set", *parse_assignment(s, "--set")) for s in set_ or []]
    changes += [Change("improve", *parse_assignment(s, "--improve")) for s in improve or []]
    model = _config(config)
    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    sim = api.simulate_shop(
        data,
        shop,
        changes,
        model,
        as_of=as_of,
        window_days=window_days,
        benchmark=benchmark.value,
        target=target,
    )
    _emit(simulate_output(sim, model, lang.value), fmt, output, data.warnings)


@app.command()
@handle_errors
def services(
    industry: Annotated[
        str | None, typer.Option("--industry", help="Only services that count for this industry.")
    ] = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """List the special-service catalog (特色服务): ids, names, industry, points.

    \b
    Example:
      svc services --industry pets
    """
    from svc_cli.errors import UsageError
    from svc_cli.views import services_output

    model = _config(config)
    if industry is not None and industry not in model.industries:
        raise UsageError(
            f"unknown industry {industry!r}", f"known industries: {', '.join(model.industries)}"
        )
    render(services_output(model, industry), fmt, output)


@app.command()
@handle_errors
def model(
    config: ConfigOpt = None,
) -> None:
    """Print the model config (TOML) in use: weights, anchors, tiers, catalog.

    \b
    Example:
      svc model > my-model.toml
    """
    from svc_cli.config import default_config_text

    if config is not None:
        _config(config)  # validate
        sys.stdout.write(config.read_text(encoding="utf-8"))
    else:
        sys.stdout.write(default_config_text())


@report_app.command("repurchase")
@handle_errors
def report_repurchase(
    db: DbArg = None,
    by: Annotated[
        GroupBy | None, typer.Option("--by", help="Aggregate shops by score tier (pooled counts).")
    ] = None,
    cohorts: Annotated[
        bool, typer.Option("--cohorts", help="Print the monthly cohort matrix.")
    ] = False,
    show_customers: Annotated[
        bool,
        typer.Option(
            "--show-customers",
            help="List the customers ordering in the window (prints buyer ids; no other "
            "report does).",
        ),
    ] = False,
    shop: ShopOpt = None,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    lang: LangOpt = Lang.en,
) -> None:
    """Repurchase (复购) per shop: repeat rate, returning rate, rr_30d…rr_365d.

    The window defaults to 365 days; the footer states the definitions and as-of date.

    \b
    Examples:
      svc report repurchase shop.duckdb --as-of 2025-06-30 --format csv -o repurchase.csv
      svc report repurchase shop.duckdb --by tier
      svc report repurchase --engine spark --source hdfs:///lake/svc --spark-master yarn
    """
    from svc_cli import api
    from svc_cli.views import repurchase_output

    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    report = api.repurchase_report(
        data,
        _config(config),
        as_of=as_of,
        window_days=window_days,
        shop_ids=shop,
        by_tier=by is GroupBy.tier,
        cohorts=cohorts,
        show_customers=show_customers,
    )
    _emit(repurchase_output(report, lang.value), fmt, output, report.warnings)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svc {__version__}")
        raise typer.Exit()


@app.callback()
@handle_errors
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            "--memory-limit",
            envvar="SVC_MEMORY_LIMIT",
            help="Cap DuckDB's memory, e.g. 2GB; larger work spills to a temporary folder.",
        ),
    ] = None,
    no_formula_escape: Annotated[
        bool,
        typer.Option(
            "--no-formula-escape",
            help="CSV output: write text cells starting with = + - @ verbatim instead of "
            "prefixing them with ' (spreadsheet formula injection protection).",
        ),
    ] = False,
) -> None:
    """svc: real experience score toolkit."""
    from svc_cli.render import set_formula_escaping

    set_formula_escaping(not no_formula_escape)
    if memory_limit is not None:
        from svc_cli.store import set_memory_limit

        set_memory_limit(memory_limit)


def _terminate(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM ends a command like Ctrl-C: rolled back, exit 130


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - raised outside a command
        sys.stderr.write("Interrupted.\n")
        sys.exit(int(ExitCode.INTERRUPTED))
