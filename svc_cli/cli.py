"""The `svc` command line: parse options, call ``svc_cli.api``, render the result.

Start-up time counts: at import this module needs typer and a few light svc modules
only. Everything else (duckdb, polars, the views, the renderer, the model config, Rich's
console) is imported inside the commands that need it, so ``svc --help`` and ``svc
services`` start fast (tests/test_cli.py checks which modules start-up imports).
Annotations are evaluated (no ``from __future__ import annotations``): typer reads every
command's signature at start-up, and evaluating string annotations costs more; ``main``
has typer build only the command it runs (``only_command``).
"""

import copy
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
from svc_cli.formats import Format

if TYPE_CHECKING:
    from svc_cli.api import DataSource
    from svc_cli.config import ModelConfig
    from svc_cli.errors import SvcError
    from svc_cli.load import Progress
    from svc_cli.render import Output

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
    short_help="Reports: repurchase, html, refunds, repeat, …",
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


class Every(str, Enum):
    day = "day"
    week = "week"
    month = "month"


class GroupBy(str, Enum):
    tier = "tier"


class EngineName(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


class RepeatView(str, Enum):
    summary = "summary"
    gaps = "gaps"
    sku = "sku"
    amount = "amount"
    cohorts = "cohorts"
    overdue = "overdue"


class ByMonth(str, Enum):
    month = "month"


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
    typer.Option(
        "--shops",
        help="Shops file (CSV or TOML): industry, special services and aliases (other ids "
        "or names of the shop).",
    ),
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


#: ``svc --lang`` of this invocation (set by the root callback, which runs before the
#: command's options are read), for ``_inherited_lang`` and ``_error_lang``.
_root_lang: str | None = None
#: ``svc --config`` of this invocation: the model of every command without its own.
_root_config: Path | None = None


def _inherited_lang(ctx: typer.Context, value: Lang) -> str:
    """A command's ``--lang``: given to the command, else svc's own (``svc --lang zh
    score …``), else ``SVC_LANG``, else English. (Typer converts what this returns: the
    value, not the member.)"""
    source = ctx.get_parameter_source("lang")
    if _root_lang is not None and (source is None or source.name != "COMMANDLINE"):
        return _root_lang
    return value.value


LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="SVC_LANG", callback=_inherited_lang, help="Label language."),
]


def _set_wide(value: bool) -> bool:
    from svc_cli.formats import set_wide

    set_wide(value)
    return value


WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        callback=_set_wide,
        help="Terminal tables: every column, however wide (default: the columns that fit).",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Input encoding, e.g. gb18030 (default: told from the bytes: UTF-8, GB18030, …).",
    ),
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
TargetOpt = Annotated[
    float | None,
    typer.Option(
        "--target",
        help="Score to find the cheapest ways to (default: the high tier, 4.80).",
        min=0.0,
        max=5.0,  # the score is capped at 5.00 (spec §5)
    ),
]
BenchmarkOpt = Annotated[
    Benchmark,
    typer.Option(
        "--benchmark", help="Sub-scores from fixed thresholds or from same-industry peers."
    ),
]
OneShopOpt = Annotated[str, typer.Option("--shop", help="The shop (one shop id).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or warnings on stderr.")]


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)


def warn(
    messages: list[str],
    quiet: bool = False,
    lang: str = "en",
    config: "ModelConfig | None" = None,
) -> None:
    """Warnings on stderr, in ``lang`` (library messages are translated)."""
    if quiet or not messages:
        return
    from svc_cli.i18n import by_shop, label
    from svc_cli.views import say

    console = _stderr()
    for message in by_shop(messages):
        console.print(
            label("warning", lang) + say(message, lang, config), style="yellow", markup=False
        )


def _report_error(exc: "SvcError", lang: str = "en") -> None:
    """``Error: …`` (and ``Hint: …``) on stderr, in ``lang`` where the message is one of
    the catalog's; a validation error lists each invalid row it holds once."""
    from svc_cli.errors import ValidationError
    from svc_cli.i18n import Message, label, translate

    console = _stderr()
    message = exc.head if isinstance(exc, ValidationError) else exc.message
    console.print(
        label("error_prefix", lang) + translate(message, lang), style="bold red", markup=False
    )
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            console.print("  " + translate(problem.message(), lang), markup=False)
        if exc.total > len(exc.problems):
            more = Message("invalid_rows.more", count=str(exc.total - len(exc.problems)))
            console.print("  " + translate(more, lang), markup=False)
    if exc.hint:
        console.print(
            label("hint_prefix", lang) + translate(exc.hint, lang), style="cyan", markup=False
        )


def _error_lang(kwargs: dict[str, Any]) -> str:
    """The language of a command's errors: its ``--lang`` (which reads svc's own and
    ``SVC_LANG``), or for a command without the option svc's own, else ``SVC_LANG``."""
    given = kwargs.get("lang")
    if isinstance(given, Lang):
        value = given.value
    else:
        value = _root_lang or os.environ.get("SVC_LANG", "en")
    return value if value in Lang.__members__ else "en"


def _check_output(output: Any) -> None:
    """A command's ``-o PATH`` that cannot be written is refused before the command runs."""
    if isinstance(output, Path):
        from svc_cli.render import check_output

        check_output(output)


def handle_errors(fn: F) -> F:
    """Turn every user error into a message on stderr (in the command's ``--lang``) and
    a documented exit code; a command's ``-o PATH`` is checked before it runs."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _check_output(kwargs.get("output"))
            return fn(*args, **kwargs)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except (KeyboardInterrupt, Exception) as exc:
            from svc_cli.errors import ExitCode, SvcError, is_interrupt
            from svc_cli.i18n import Message, Verbatim

            lang = _error_lang(kwargs)
            if isinstance(exc, SvcError):
                _report_error(exc, lang)
                raise typer.Exit(int(exc.exit_code)) from None
            if is_interrupt(exc):
                from svc_cli.i18n import label

                _stderr().print(label("interrupted", lang), style="red", markup=False)
                raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
            if os.environ.get("SVC_DEBUG"):
                raise
            if "Could not read enough bytes" in str(exc):  # DuckDB: a damaged database file
                damaged = SvcError(
                    Message("error.damaged_file", error=Verbatim(str(exc))),
                    Message("hint.restore_backup"),
                )
                _report_error(damaged, lang)
                raise typer.Exit(int(ExitCode.FAILURE)) from None
            internal = SvcError(
                Message("error.internal", error=Verbatim(f"{type(exc).__name__}: {exc}")),
                Message("hint.internal"),
            )
            _report_error(internal, lang)
            raise typer.Exit(int(ExitCode.FAILURE)) from None

    return wrapper  # type: ignore[return-value]


def _config(path: Path | None) -> "ModelConfig":
    """The model: a command's own ``--config``, else ``svc --config``, else the default."""
    from svc_cli.config import load_config

    return load_config(path or _root_config)


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
) -> "DataSource":
    """Where a computing command reads from. Exports without a shop column, scored
    straight from files, take the shop id from a single ``--shop``; ``lake`` is a
    Parquet lake read by ``engine``."""
    from svc_cli.api import DataSource
    from svc_cli.load_options import LoadOptions, ReadOptions, Recognition

    shops_given = [shop] if isinstance(shop, str) else list(shop or [])
    shop_id = shops_given[0] if len(shops_given) == 1 else None
    return DataSource(
        db=db,
        orders=orders,
        reviews=reviews,
        chats=chats,
        shops=shops,
        load_options=LoadOptions(
            ReadOptions(encoding), Recognition(shop_id=shop_id, shop_fallback=True)
        ),
        wait=wait,
        lake=lake,
        engine=engine.value,
        spark_master=spark_master,
    )


def render(output: "Output", fmt: Format, path: Path | None = None) -> None:
    """Print ``output`` or write it to ``path`` (``svc_cli.render``, imported only when a
    command has something to show)."""
    from svc_cli.render import render as render_output

    render_output(output, fmt, path)


def _emit(
    output: "Output",
    fmt: Format,
    path: Path | None,
    warnings: list[str],
    config: "ModelConfig | None" = None,
) -> None:
    warn(warnings, lang=output.lang, config=config)
    render(output, fmt, path)


@contextmanager
def _progress(enabled: bool) -> Iterator["Progress | None"]:
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


@app.command(short_help="Load exports into a database, validated and merged.")
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
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Let the files' values overwrite stored ones even where they are older "
            "(an earlier status, a cleared time); by default a load never moves data back.",
        ),
    ] = False,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    wait: WaitOpt = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Load exports into a database: recognised, validated, de-duplicated, incremental.

    Takes canonical CSVs and the platforms' own exports (Taobao/Tmall, Douyin, JD,
    Pinduoduo, Shopify, Amazon, review apps) as they come. One transaction: every file
    lands or none does. Loading the same file again changes nothing; a newer export
    updates the orders whose status, refund or delivery changed, and an older one never
    moves them back (a status only moves forwards, a known time is never cleared).

    \b
    Examples:
      svc load shop.duckdb orders.csv --reviews reviews.csv --chats chats.csv --shops shops.csv
      svc load shop.duckdb ExportOrderList202506.csv 退款导出.csv --shop 57300001
    """
    # not svc_cli.api: a load needs none of the other commands' modules
    from svc_cli.load import load_database
    from svc_cli.load_options import LoadOptions, ReadOptions, Recognition, Strictness
    from svc_cli.privacy import read_key
    from svc_cli.signals import late_signal
    from svc_cli.views import load_output

    options = LoadOptions(
        ReadOptions(encoding),
        Recognition.from_options(preset, shop_id, column_map, mapping),
        Strictness(max_errors, skip_invalid, rejects_dir, replace),
        pseudonym_key=read_key(key_file) if pseudonymize or key_file else None,
    )
    with _progress(not quiet) as progress:
        result = load_database(
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
    warn(result.warnings, quiet, lang.value)
    render(load_output(result, lang.value), fmt, output)
    late = late_signal()
    if late:
        warn([f"{late} received while the load was committing: the load is complete (above)"])


@app.command(short_help="What a database holds: tables, dates, coverage.")
@handle_errors
def info(
    db: Annotated[Path, typer.Argument(help="svc database.")],
    wait: WaitOpt = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Show what a database holds: tables, row counts, date ranges, shops.

    \b
    Example:
      svc info shop.duckdb
    """
    from svc_cli import api
    from svc_cli.views import info_output

    render(info_output(api.info(db, wait), lang.value, _config(None)), fmt, output)


@app.command(short_help="Write the canonical tables as Parquet (for Spark).")
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
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
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

    result = api.export(db, folder, overwrite=overwrite, wait=wait)
    render(export_output(result, lang.value), fmt, output)


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
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Show how svc reads an export, without loading anything.

    Detected preset and encoding, row count, mapped and unmapped columns, and the first
    rows as svc would load them.

    \b
    Example:
      svc inspect ExportOrderList202506.csv
    """
    from svc_cli import api
    from svc_cli.load_options import LoadOptions, ReadOptions, Recognition
    from svc_cli.views import inspect_output

    options = LoadOptions(
        ReadOptions(encoding), Recognition.from_options(preset, shop_id, column_map, mapping)
    )
    info = api.inspect_file(file, options, config=_config(None))
    _emit(inspect_output(info, lang.value), fmt, output, info["warnings"])


@app.command("presets")
@handle_errors
def presets_command(
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """List the platform export presets svc recognises.

    \b
    Example:
      svc presets --format markdown
    """
    from svc_cli import api
    from svc_cli.views import presets_output

    render(presets_output(api.preset_catalog(), lang.value), fmt, output)


@app.command(short_help="Experience score per shop: tier, stars, breakdown.")
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
    wide: WideOpt = False,
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

    model = _config(config)
    report = api.score(
        _source(
            db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
        ),
        model,
        as_of=as_of,
        window_days=window_days,
        shop_ids=shop,
        benchmark=benchmark.value,
    )
    _emit(score_output(report, lang.value), fmt, output, report.warnings, model)


@app.command(short_help="What-if: the score after services or better values.")
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
    fix: Annotated[
        list[str] | None,
        typer.Option(
            "--fix",
            help="INDICATOR=K: fix K whole events of the indicator (as listed by `svc "
            "diagnose`; what `svc plan` proposes).",
        ),
    ] = None,
    target: TargetOpt = None,
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
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """What-if: score, tier and badge after adding services or improving indicators.

    Also lists the cheapest ways to reach the target score (fewest services first, then
    the value each indicator would need on its own).

    \b
    Examples:
      svc simulate shop.duckdb --shop 664656 --add-service breakage_compensation
      svc simulate shop.duckdb --shop 0042 --set pickup_48h_rate=0.99 --improve refund_hours=20
      svc simulate shop.duckdb --shop 0042 --fix pickup_48h_rate=2 --fix satisfaction_rate=1
    """
    from svc_cli import api
    from svc_cli.simulate import Change, parse_assignment, parse_fix
    from svc_cli.views import simulate_output

    changes = [Change("add_service", s) for s in add_service or []]
    changes += [Change("set", *parse_assignment(s, "--set")) for s in set_ or []]
    changes += [Change("improve", *parse_assignment(s, "--improve")) for s in improve or []]
    changes += [parse_fix(s) for s in fix or []]
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
    _emit(simulate_output(sim, model, lang.value), fmt, output, sim.warnings, model)


@app.command(short_help="The special-service catalog (特色服务).")
@handle_errors
def services(
    industry: Annotated[
        str | None, typer.Option("--industry", help="Only services that count for this industry.")
    ] = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """List the special-service catalog (特色服务): ids, names, industry, points.

    \b
    Example:
      svc services --industry pets
    """
    from svc_cli.errors import UsageError
    from svc_cli.i18n import Message, Verbatim
    from svc_cli.views_base import services_output

    model = _config(config)
    if industry is not None and industry not in model.industries:
        raise UsageError(
            Message("error.unknown_industry", name=Verbatim(repr(industry))),
            Message("hint.known_industries", industries=[Verbatim(i) for i in model.industries]),
        )
    render(services_output(model, industry, lang.value), fmt, output)


@app.command(short_help="Print the model config (TOML) in use.")
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

    config = config or _root_config
    if config is not None:
        _config(config)  # validate
        sys.stdout.write(config.read_text(encoding="utf-8"))
    else:
        sys.stdout.write(default_config_text())


@report_app.command("repurchase", short_help="Repurchase (复购) per shop.")
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
    wide: WideOpt = False,
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
    model = _config(config)
    report = api.repurchase_report(
        data,
        model,
        as_of=as_of,
        window_days=window_days,
        shop_ids=shop,
        by_tier=by is GroupBy.tier,
        cohorts=cohorts,
        show_customers=show_customers,
    )
    _emit(repurchase_output(report, lang.value), fmt, output, report.warnings, model)


@report_app.command("html", short_help="One self-contained HTML page per database.")
@handle_errors
def report_html(
    db: DbArg = None,
    shop: ShopOpt = None,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    weeks: Annotated[
        int,
        typer.Option("--weeks", min=1, max=104, help="Weeks of score trend (one point a week)."),
    ] = 12,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = Lang.en,
) -> None:
    """One self-contained HTML page per database: per shop the score card, indicators,
    diagnosis (as svc diagnose), the plan to the high tier (as svc plan), the weekly score
    trend (as svc trend), repurchase, refund retention, agents and latest bad reviews.

    No scripts and nothing fetched from the network: the file opens anywhere and can be
    mailed as it is.

    \b
    Example:
      svc report html shop.duckdb -o report.html --lang zh
    """
    from svc_cli import api
    from svc_cli.html_report import render_html
    from svc_cli.render import write_atomic

    model = _config(config)
    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    report = api.report_pages(
        data, model, as_of=as_of, window_days=window_days, shop_ids=shop, trend_weeks=weeks
    )
    warn(report.warnings, lang=lang.value, config=model)
    text = render_html(report, lang.value)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


@app.command(short_help="Customer-service agents (客服分级): grades, points.")
@handle_errors
def agents(
    db: DbArg = None,
    shop: ShopOpt = None,
    orders: OrdersOpt = None,
    chats: ChatsOpt = None,
    reviews: ReviewsOpt = None,
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
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Customer-service agents (客服分级): metrics, grade, points each one costs the shop.

    Per agent over chat sessions started in the window: sessions, 3-minute response
    rate, mean first response, satisfaction rate, QA score and grade (专家 / 资深 / 高级
    客服; levels and sample minimums in the config's [agents]); "not graded" names the
    sample that is too small. Each agent's share of the points the shop loses on response
    and satisfaction, and the shop's score if every agent below senior reached senior.

    \b
    Examples:
      svc agents shop.duckdb --shop 0042 --as-of 2025-06-30
      svc agents --orders orders.csv --chats chats.csv --format csv -o agents.csv
      svc agents --engine spark --source s3a://bucket/svc-lake --format csv -o agents.csv
    """
    from svc_cli import api
    from svc_cli.views import agents_output

    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    report = api.agents_report(
        data, _config(config), as_of=as_of, window_days=window_days, shop_ids=shop
    )
    _emit(agents_output(report, lang.value), fmt, output, report.warnings)


@report_app.command("refunds", short_help="Refund retention (智能挽单).")
@handle_errors
def report_refunds(
    db: DbArg = None,
    every: Annotated[
        ByMonth | None, typer.Option("--every", help="Also break the requests down by month.")
    ] = None,
    shop: ShopOpt = None,
    orders: OrdersOpt = None,
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
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Refund retention (智能挽单): requests retained, completed, rejected, open.

    Per shop over refunds requested in the window (default 30 days): retention rate,
    retained amount, by reason and by stage (before/after shipping), median handling
    hours. Retention saves money, not score points: a quality request still counts as
    negative feedback, and the report says so.

    \b
    Examples:
      svc report refunds shop.duckdb --as-of 2025-06-30
      svc report refunds shop.duckdb --window-days 180 --every month --format csv
      svc report refunds --source lake/ --engine spark --spark-master yarn
    """
    from svc_cli import api
    from svc_cli.views import refunds_output

    data = _source(db, orders, None, None, None, encoding, wait, shop, source, engine, spark_master)
    report = api.refunds_report(
        data,
        _config(config),
        as_of=as_of,
        window_days=window_days,
        shop_ids=shop,
        every_month=every is ByMonth.month,
    )
    _emit(refunds_output(report, lang.value), fmt, output, report.warnings)


@report_app.command("repeat", short_help="Repeat customers: time to the second order, …")
@handle_errors
def report_repeat(
    db: DbArg = None,
    view: Annotated[
        RepeatView,
        typer.Option(
            "--view",
            help="summary; gaps (days first → second order); sku / amount (repeat rate by "
            "first order); cohorts (cumulative curves); overdue (customers, prints ids).",
        ),
    ] = RepeatView.summary,
    shop: ShopOpt = None,
    orders: OrdersOpt = None,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Repeat-customer deep-dive: time to the second order, what first orders bring
    customers back, cohort curves, and who is overdue for a reorder.

    Every view states its definition in the footer; horizon, amount bands, histogram
    bins and the overdue factor (1.5× the customer's own mean interval) are in the
    config's [repeat]. The whole history up to --as-of counts (no window).

    \b
    Examples:
      svc report repeat shop.duckdb --view gaps
      svc report repeat shop.duckdb --view overdue --shop 0042 --format csv -o overdue.csv
    """
    from svc_cli import api
    from svc_cli.views import repeat_output

    data = _source(db, orders, None, None, None, encoding, wait, shop, source, engine, spark_master)
    report = api.repeat_report(data, _config(config), view=view.value, as_of=as_of, shop_ids=shop)
    _emit(repeat_output(report, lang.value), fmt, output, report.warnings)


SeedOpt = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Bootstrap seed (default from the config's [bootstrap]); same seed, same intervals.",
    ),
]


@report_app.command("service-repurchase", short_help="Service → repurchase on your own customers.")
@handle_errors
def report_service_repurchase(
    db: DbArg = None,
    shop: ShopOpt = None,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    seed: SeedOpt = None,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Service → repurchase on your own customers, with honest intervals.

    First-time customers grouped by what their first order went through (shipped late,
    a chat unanswered 3+ minutes, a refund requested — retained or not —, a bad review,
    nothing went wrong): rr_90d and rr_180d per group with 95% intervals (Wilson).
    The same pooled by score tier, the ratio between tiers (seeded bootstrap interval)
    beside the platform's "2×" claim. Correlation, not cause. --window-days is the
    scoring window that sets each shop's tier.

    \b
    Examples:
      svc report service-repurchase shop.duckdb --as-of 2025-06-30
      svc report service-repurchase shop.duckdb --seed 7 --format json -o service.json
    """
    from svc_cli import api
    from svc_cli.views import service_repurchase_output

    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    report = api.service_repurchase_report(
        data,
        _config(config),
        as_of=as_of,
        window_days=window_days,
        shop_ids=shop,
        seed=seed,
    )
    _emit(service_repurchase_output(report, lang.value), fmt, output, report.warnings)


@app.command(short_help="What costs a shop points, and when it rolls off.")
@handle_errors
def diagnose(
    db: DbArg = None,
    shop: OneShopOpt = ...,  # type: ignore[assignment]
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    config: ConfigOpt = None,
    benchmark: BenchmarkOpt = Benchmark.thresholds,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """What costs a shop its points, the events behind them, and the coming days.

    Per indicator: value, sub-score and points lost, ranked; every order, review or chat
    that counts against it, with the day it leaves the window. Then the score at the end
    of each of the next window-days days on unchanged data, and the days it crosses
    4.80, 4.50, a star boundary or 4.23. CSV and JSONL give the events: a to-do list.

    \b
    Examples:
      svc diagnose shop.duckdb --shop 0042 --as-of 2025-06-30
      svc diagnose shop.duckdb --shop 0042 --format csv -o events.csv
      svc diagnose --source lake/ --engine spark --shop 0042
    """
    from svc_cli import api
    from svc_cli.views import diagnose_output

    model = _config(config)
    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    result = api.diagnose(
        data, shop, model, as_of=as_of, window_days=window_days, benchmark=benchmark.value
    )
    _emit(diagnose_output(result, model, lang.value), fmt, output, result.warnings)


@app.command(short_help="The cheapest way to a target score, in events.")
@handle_errors
def plan(
    db: DbArg = None,
    shop: OneShopOpt = ...,  # type: ignore[assignment]
    target: TargetOpt = None,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = None,
    config: ConfigOpt = None,
    benchmark: BenchmarkOpt = Benchmark.thresholds,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """The cheapest way to a target score, in whole events: a to-do list.

    Actions are events fixed ("answer 14 more chats within 3 minutes", "3 fewer
    escalations") and special services of the shop's industry added, costed from the
    model config ([plan]: event 1, service 10 by default). The exact optimum: least total
    cost, then fewest services, then fewest events. When the target is out of reach, says
    so and gives the best score reachable. Apply a plan with `svc simulate --fix
    INDICATOR=K --add-service ID`; -f csv lists the events to fix (ids as in `svc
    diagnose`).

    \b
    Examples:
      svc plan shop.duckdb --shop 0042 --target 4.80
      svc plan shop.duckdb --shop 0042 --format csv -o todo.csv
    """
    from svc_cli import api
    from svc_cli.views import plan_output

    model = _config(config)
    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    result = api.plan(
        data,
        shop,
        model,
        target=target,
        as_of=as_of,
        window_days=window_days,
        benchmark=benchmark.value,
    )
    _emit(plan_output(result, model, lang.value), fmt, output, result.warnings)


@app.command(short_help="Score and every indicator over time.")
@handle_errors
def trend(
    db: DbArg = None,
    shop: OneShopOpt = ...,  # type: ignore[assignment]
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day (default: 30 days, 12 weeks or 12 months before --to)."
        ),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last day (default: the last observed day).")
    ] = None,
    every: Annotated[
        Every, typer.Option("--every", help="One point per calendar day, week or month.")
    ] = Every.week,
    orders: OrdersOpt = None,
    reviews: ReviewsOpt = None,
    chats: ChatsOpt = None,
    shops: ShopsOpt = None,
    window_days: WindowOpt = None,
    config: ConfigOpt = None,
    benchmark: BenchmarkOpt = Benchmark.thresholds,
    encoding: EncodingOpt = None,
    wait: WaitOpt = 5.0,
    source: SourceOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    wide: WideOpt = False,
    lang: LangOpt = Lang.en,
) -> None:
    """Score and every indicator as of each period end, with a sparkline per indicator.

    Each point is the score as of the end of that day over the rolling window before it
    (what `svc score --as-of DAY` prints), with the change since the previous point.

    \b
    Examples:
      svc trend shop.duckdb --shop 0042 --from 2025-01-01 --to 2025-06-30 --every month
      svc trend shop.duckdb --shop 0042 --every day --format csv -o trend.csv
    """
    from svc_cli import api
    from svc_cli.views import trend_output

    model = _config(config)
    data = _source(
        db, orders, reviews, chats, shops, encoding, wait, shop, source, engine, spark_master
    )
    result = api.trend(
        data,
        shop,
        model,
        start=from_,
        end=to,
        every=every.value,
        window_days=window_days,
        benchmark=benchmark.value,
    )
    _emit(trend_output(result, model, lang.value), fmt, output, result.warnings)


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
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang", help="Label language of every command (a command's own --lang wins)."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Model TOML of every command (a command's own --config wins; see `svc model`).",
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
    from svc_cli.formats import set_formula_escaping, set_wide

    global _root_lang, _root_config
    _root_lang = lang.value if lang is not None else None
    _root_config = config

    set_formula_escaping(not no_formula_escape)
    set_wide(False)  # until a command's --wide
    if memory_limit is not None:
        from svc_cli.store import set_memory_limit

        set_memory_limit(memory_limit)


#: Arguments that show a group's help page (its commands listed), and nothing else.
GROUP_HELP: tuple[list[str], ...] = ([], ["-h"], ["--help"])


def only_command(group: typer.Typer, args: list[str]) -> typer.Typer:
    """``group`` as much as running ``args`` needs: typer builds every command of the
    group it runs, reading each one's signature, and that is most of its start-up.

    Running a command needs only that command (a sub-group pruned the same way); a
    group's help page lists its commands, their names and first docstring lines, and
    needs none of their parameters. ``group`` itself when ``args`` start with another
    option or name no command (usage errors and suggestions list them all)."""
    if args in GROUP_HELP:
        return _listing(group)
    if args[0].startswith("-"):
        return group
    commands = [c for c in group.registered_commands if _command_name(c) == args[0]]
    groups = [g for g in group.registered_groups if g.name == args[0]]
    if not commands and not groups:
        return group
    pruned = copy.copy(group)
    pruned.registered_commands = commands
    pruned.registered_groups = [_sub_group(g, only_command, args[1:]) for g in groups]
    return pruned


def _command_name(info: Any) -> str | None:
    callback = info.callback
    return info.name or (typer.main.get_command_name(callback.__name__) if callback else None)


def _sub_group(info: Any, prune: Callable[..., typer.Typer], *args: Any) -> Any:
    sub = copy.copy(info)
    if info.typer_instance is not None:
        sub.typer_instance = prune(info.typer_instance, *args)
    return sub


def _listing(group: typer.Typer) -> typer.Typer:
    """``group`` for its help page: its commands as parameterless stubs with their
    names and docstrings (never run: the help page exits first)."""
    listed = copy.copy(group)
    listed.registered_commands = []
    for info in group.registered_commands:
        stub = copy.copy(info)
        if info.callback is not None:

            def listed_only() -> None:  # pragma: no cover - the help page exits first
                raise typer.Exit(2)

            listed_only.__name__ = info.callback.__name__
            listed_only.__doc__ = info.callback.__doc__
            stub.callback = listed_only
        listed.registered_commands.append(stub)
    listed.registered_groups = [_sub_group(g, _listing) for g in group.registered_groups]
    return listed


def main() -> None:
    """Console-script entry point."""
    from svc_cli.signals import handler

    # SIGTERM ends a command like Ctrl-C (rolled back, exit 130), unless a load has
    # begun to commit: then it finishes and reports what it committed
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    try:
        only_command(app, sys.argv[1:])()
    except KeyboardInterrupt:  # pragma: no cover - raised outside a command
        from svc_cli.errors import ExitCode

        sys.stderr.write("Interrupted.\n")
        sys.exit(int(ExitCode.INTERRUPTED))
