"""Loading export files into the database: read → map → stage → merge, in one transaction.

The four steps of a load, each in its own module:

1. **read** (``svc_cli.read``): the container (gzip, xlsx, stdin), encoding, delimiter
   and header, sniffed once and checked while streaming; DuckDB reads the body with
   explicit options (a canonical CSV in place, any other export in batches).
2. **map** (``svc_cli.normalised``, ``svc_cli.presets``): a platform export becomes rows of
   one canonical table (``Normalised``); a canonical CSV is read in place.
3. **stage** (``svc_cli.stage``): a ``Stage`` converts the rows with checked casts into
   typed rows, flags bad ones (invalid values, duplicate keys, unknown orders) and says
   what is wrong with them (file, line, column, reason; a rejects CSV).
4. **merge** (``svc_cli.merge``): the valid rows are merged into the canonical table by
   key, monotonically (re-loading a file changes nothing; an older export never undoes a
   newer one), logged in ``svc_loads``, and the inputs provided recorded (coverage).

This module only orchestrates: it recognises the files, opens the transaction, runs each
file through stage and merge, commits (every file of one ``load_files`` call lands, or
none does) or rolls back, and then publishes the rejects files; ``load_database`` opens
the database file (a new one is built beside its path and linked into place when
complete).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import glob
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from svc_cli import (
    coverage,
    merge,
    privacy,
    queries,
    shop_ids,
    signals,
    store,
    tempfiles,
    testhook,
)
from svc_cli import shops as shops_file
from svc_cli.config import ModelConfig, load_config
from svc_cli.errors import (
    DataError,
    InputError,
    Interrupted,
    UsageError,
    ValidationError,
    is_interrupt,
)
from svc_cli.i18n import Message, Verbatim
from svc_cli.load_options import LoadOptions
from svc_cli.merge import FileLoad
from svc_cli.normalised import CANONICAL, Normalised, plain_canonical
from svc_cli.read import CsvHeader, LineCheck, read_header
from svc_cli.schema import DATA_TABLE_BY_NAME, ORDERS, REVIEWS, SHOPS, Table
from svc_cli.stage import MappedRows, MixedNewlines, Stage, check_header

#: Progress callback: a description of the current step and, when known, its fraction done.
Progress = Callable[[str, float | None], None]
MAX_PROBLEMS_SHOWN = 20


@dataclass
class LoadResult:
    files: list[FileLoad] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejects_files: list[str] = field(default_factory=list)
    pending_rejects: list[tuple[Path, Path]] = field(default_factory=list)  # (temp, final)
    order_shops: set[str] = field(default_factory=set)  # shops whose orders were loaded
    stored_order_shops: set[str] = field(default_factory=set)  # … of the valid rows stored


def _load_csv(
    con: duckdb.DuckDBPyConnection,
    source: Normalised,
    label: str,
    config: ModelConfig,
    options: LoadOptions,
    result: LoadResult,
    progress: Progress,
    lenient: frozenset[Path] = frozenset(),
) -> None:
    """One normalised file: stage it, check it, merge it into its table."""
    table = DATA_TABLE_BY_NAME[source.table]
    is_merge = source.mode == "merge"  # an update of some order columns
    mapped = MappedRows(source.batches) if source.batches is not None else None
    header = _header(con, source, mapped, label, progress)
    result.warnings += check_header(table, header, label, is_merge)
    if source.source is not None and source.source in lenient:
        header = dataclasses.replace(header, mixed_newlines=True)
        result.warnings.append(Message("mixed_newlines", file=label))
    # reviews from exports that do not link them to orders count for good_review_rate only
    no_order_ids = table is REVIEWS and "order_id" not in source.mapping
    file_load = FileLoad(table.name, label, preset=source.preset, encoding=source.encoding)
    # the columns that feed an indicator's coverage: provided even if blank (spec §10)
    inputs = coverage.indicator_columns(table.name, set(source.mapping))
    with Stage(
        con,
        table,
        header,
        label,
        timezone=config.timezone,
        optional=frozenset({"order_id"}) if no_order_ids else frozenset(),
        pseudonym_key=options.pseudonym_key,
        persistent=not is_merge and merge.is_empty(con, table),  # it can become the table
        mapped=mapped,
        source_columns=dict(source.mapping) if mapped else None,  # the export's headers
        watch=frozenset(inputs),
    ) as stage:
        started = time.monotonic()
        with _line_check(con, source, label):
            staged = stage.read(lambda done: progress(f"reading {label}", done))
        # the rows a platform preset skipped as invalid were read, and are rejected, too
        file_load.rows_read, file_load.rejected = staged + source.skipped, source.skipped
        if source.skipped > options.strict.error_limit:
            raise ValidationError(
                source.skipped_problems, source.skipped, Message("invalid_rows.load_hint")
            )
        # a file with no data row (not one whose rows a preset all skipped, said as such)
        header_only = file_load.rows_read == 0 and source.rows_in <= 0
        # complete once a preset's rows are read; a header-only file is warned of once, by
        # the load (the preset's own warning is for `svc inspect`)
        result.warnings += [
            w for w in source.warnings if not (header_only and _is(w, "preset_header_only"))
        ]
        _keep_preset_rejects(source, label, options, result)
        if staged == 0:  # nothing to merge; recorded as a load all the same (`svc info`)
            if header_only:  # a valid empty export (`svc info` counts them)
                result.warnings.append(Message("header_only", file=label))
            merge.log_load(con, file_load)
            result.files.append(file_load)
            _record_coverage(con, table, source, [], options, result)
            return
        rate = staged / max(time.monotonic() - started, 1e-6)
        progress(f"checking {label}: {staged:,} rows read ({rate:,.0f} rows/s)", None)
        file_load.duplicates = stage.flag_duplicates()
        if file_load.duplicates:
            result.warnings.append(
                Message("duplicates", file=label, count=str(file_load.duplicates))
            )
        if table is REVIEWS:
            stage.flag_unknown_orders(Message("reason.review_unknown_order"), nullable=True)
        elif is_merge:
            stage.flag_unknown_orders(Message("reason.unknown_order"), nullable=False)
        if stage.rejected:
            _reject(stage, source, label, options, result)
        file_load.rejected += stage.rejected
        warnings, blank = stage.look_at_valid_rows()
        result.warnings += warnings
        if blank:
            result.warnings.append(_blank_inputs(source, label, blank, inputs))
        staged_shops = stage.shops()
        given = options.recognise.shop_id
        if given and source.preset == CANONICAL:  # a preset's rows take --shop
            others = sorted(set(staged_shops) - {shop_ids.aliases(con).get(given, given)})
            if others:
                result.warnings.append(
                    Message(
                        "shop_option_unused", file=label, shop=repr(given), example=repr(others[0])
                    )
                )
        if table is ORDERS:
            result.stored_order_shops.update(staged_shops)
        progress(f"writing {table.name}", None)
        provided = [c for c in table.column_names if c in source.mapping or c in table.key]
        merge.into_table(stage, file_load, provided, options.strict.replace)
    if file_load.kept_newer:
        result.warnings.append(
            Message("warning.kept_newer", file=label, count=str(file_load.kept_newer))
        )
    result.files.append(file_load)
    _record_coverage(con, table, source, staged_shops, options, result)


def _is(warning: str, key: str) -> bool:
    """Whether ``warning`` is the library message ``key``."""
    return isinstance(warning, Message) and warning.key == key


def _blank_inputs(
    source: Normalised, label: str, blank: list[str], inputs: dict[str, str]
) -> Message:
    """The warning for indicator inputs a file has as columns but blank in every valid
    row: named as in the file (a platform export's header beside the canonical name)."""
    headers = [h if (h := source.mapping[c]).casefold() == c else f"{h} → {c}" for c in blank]
    return coverage.blank_inputs_warning(label, headers, [inputs[c] for c in blank])


def _header(
    con: duckdb.DuckDBPyConnection,
    source: Normalised,
    mapped: MappedRows | None,
    label: str,
    progress: Progress,
) -> CsvHeader:
    """The header of a file's canonical rows: a preset's mapped columns (its first batch
    is mapped for it); a canonical CSV's, read before DuckDB reads the body in place."""
    if mapped is not None:
        progress(f"reading {label}", None)
        return mapped.header(con, label)
    assert source.source is not None
    return read_header(source.source)


def _line_check(
    con: duckdb.DuckDBPyConnection, source: Normalised, label: str
) -> contextlib.AbstractContextManager[object]:
    """Around DuckDB's read of a canonical CSV: its lines' lengths checked at the same
    time (``LineCheck``); a platform export's were checked as it was decoded."""
    if source.batches is not None or source.source is None:
        return contextlib.nullcontext()
    return LineCheck(source.source, label, con.interrupt)


def _reject(
    stage: Stage, source: Normalised, label: str, options: LoadOptions, result: LoadResult
) -> None:
    """Refuse the load when the file has more bad rows than allowed (the stage's and
    those its preset skipped); otherwise write the stage's to the file's rejects CSV
    (named once the load commits)."""
    shown = stage.problems(MAX_PROBLEMS_SHOWN)
    total = stage.rejected + source.skipped
    if total > options.strict.error_limit:
        first = sorted([*source.skipped_problems, *shown], key=lambda p: p.line)
        raise ValidationError(first[:MAX_PROBLEMS_SHOWN], total, Message("invalid_rows.load_hint"))
    rejects = _rejects_target(label, options, result)
    tmp = tempfiles.create_beside(rejects)  # anonymous until the load commits
    result.pending_rejects.append((tmp, rejects))
    stage.write_rejects(tmp)
    result.rejects_files.append(str(rejects))
    result.warnings.append(
        Message("skipped_rows", file=label, count=str(stage.rejected), rejects=str(rejects))
    )
    result.warnings += [str(p) for p in shown[:5]]


def _rejects_target(label: str, options: LoadOptions, result: LoadResult) -> Path:
    """FILE.rejects.csv beside the input (or in --rejects-dir); a second rejects file of
    the same input (rows the loader refused after the preset skipped some) is
    FILE.canonical.rejects.csv."""
    origin = Path(label)
    folder = options.strict.rejects_dir or origin.parent
    target = folder / f"{origin.name}.rejects.csv"
    if str(target) in result.rejects_files:
        target = folder / f"{origin.name}.canonical.rejects.csv"
    return target


def _keep_preset_rejects(
    source: Normalised, label: str, options: LoadOptions, result: LoadResult
) -> None:
    """Write the rows a platform preset skipped (--skip-invalid) to the rejects file:
    original columns, line and errors (renamed into place once the load commits)."""
    if source.rejects is None:
        return
    target = _rejects_target(label, options, result)
    tmp = tempfiles.create_beside(target)  # anonymous until the load commits
    result.pending_rejects.append((tmp, target))
    with open(source.rejects, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst)
    result.rejects_files.append(str(target))
    result.warnings.append(Message("preset_rejects_written", file=label, rejects=str(target)))


def _record_coverage(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    source: Normalised,
    staged_shops: list[str],
    options: LoadOptions,
    result: LoadResult,
) -> None:
    """Record the inputs one file provided (spec §10) for the shops it was loaded for: the
    shops of its rows, the one given with --shop and, for reviews and chats, the shops
    whose orders this load carried (their file was loaded with them: none is none)."""
    shops = set(staged_shops)
    given = options.recognise
    if given.shop_id is not None and not given.shop_fallback:
        shops.add(shop_ids.aliases(con).get(given.shop_id, given.shop_id))
    if table is ORDERS:
        result.order_shops |= shops
    else:
        shops |= result.order_shops
    merge.record_coverage(con, table, set(source.mapping), shops)


def _load_shops(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    config: ModelConfig,
    result: LoadResult,
    encoding: str | None,
) -> list[shops_file.ShopRecord]:
    """The shops file: read in Python, staged and merged like any file."""
    records, encoding = shops_file.read_shops(path, config, encoding)
    file_load = FileLoad(SHOPS.name, str(path), rows_read=len(records), encoding=encoding)
    if not records:  # a header-only shops file: recorded as a load, like any header-only file
        result.warnings.append(Message("no_shops_listed", file=str(path)))
        merge.log_load(con, file_load)
        result.files.append(file_load)
        return records
    with Stage.from_columns(con, SHOPS, _shop_columns(con, records), str(path)) as stage:
        merge.into_table(stage, file_load, SHOPS.column_names)
    result.files.append(file_load)
    _load_aliases(con, records, result)
    return records


def _shop_columns(
    con: duckdb.DuckDBPyConnection, records: list[shops_file.ShopRecord]
) -> dict[str, list[object]]:
    """The shops file's rows as columns; a field a record leaves out (a column the file
    does not have) keeps the shop's stored value, so a file of ids and industries never
    wipes the names and services loaded before."""
    rows = con.execute(queries.STORED_SHOPS, {"ids": [r.shop_id for r in records]}).fetchall()
    stored = {row[0]: dict(zip(shops_file.OPTIONAL_FIELDS, row[1:], strict=True)) for row in rows}

    def value(record: shops_file.ShopRecord, name: str) -> object:
        if name not in record.given and record.shop_id in stored:
            return stored[record.shop_id][name]
        given = getattr(record, name)
        return list(given) if name == "services" else given

    columns: dict[str, list[object]] = {"shop_id": [r.shop_id for r in records]}
    for name in shops_file.OPTIONAL_FIELDS:
        columns[name] = [value(r, name) for r in records]
    return columns


def _load_aliases(
    con: duckdb.DuckDBPyConnection, records: list[shops_file.ShopRecord], result: LoadResult
) -> None:
    """Store the shops file's aliases, and move the rows already stored under an alias to
    its shop id (files loaded later are mapped as they are staged)."""
    shop_ids.record_aliases(con, [(a, r.shop_id) for r in records for a in r.aliases])
    result.warnings += shop_ids.rekey_stored(con)


def _identity_warnings(
    con: duckdb.DuckDBPyConnection,
    known_before: set[str],
    records: list[shops_file.ShopRecord],
    shops_label: str,
    stored_order_shops: set[str],
) -> list[str]:
    """After a load: shops file entries without orders (a typo?), and shops that look
    like another shop under another key (its name). Without a shops file, the shops with
    orders are those known before and those of the order rows stored (a load never
    removes orders); a shops file's aliases may have moved rows: they are counted."""
    with_orders = set(shop_ids.known_shops(con)) if records else known_before | stored_order_shops
    new_shops = with_orders - known_before
    if not new_shops and not records:
        return []
    listed = [r.shop_id for r in records]
    warnings = shop_ids.unmatched_shops_warnings(con, listed, shops_label, with_orders)
    named = [(r.shop_id, r.name) for r in records if r.name]
    return warnings + shop_ids.name_clash_warnings(con, new_shops, named)


def _normalise(path: Path, expected: str | None, options: LoadOptions, timezone: str) -> Normalised:
    """Recognise and normalise one input file; ``expected`` is the table it was given as."""
    plain = options.read.utf8 and options.recognise.by_header
    normalised = plain_canonical(path) if plain else None
    if normalised is None:
        normalised = via_presets(path, options, expected, timezone)
    if expected is not None and normalised.table != expected:
        normalised.cleanup()
        raise InputError(
            Message(
                "error.given_as",
                file=str(path),
                expected=expected,
                table=normalised.table,
                preset=Verbatim(normalised.preset),
            ),
            Message("hint.given_as"),
        )
    return normalised


def via_presets(
    path: Path, options: LoadOptions, expected: str | None = None, timezone: str | None = None
) -> Normalised:
    """``path`` normalised by the platform presets, with the load's options (times with
    an offset in the shop's ``timezone``; default: the model's)."""
    from svc_cli import presets  # Polars: only for files that are not plain canonical CSVs

    # the preset skips invalid rows whenever some may be: the load counts them (--max-errors)
    strict = options.strict
    return presets.normalise(
        path,
        options.read,
        options.recognise.given_as(expected),
        strict.skip_invalid or strict.max_errors > 0,
        timezone,
    )


def _check_stdin(
    files: list[Path] | tuple[Path, ...] = (),
    orders: Path | None = None,
    reviews: Path | None = None,
    chats: Path | None = None,
) -> None:
    """Refuse standard input (``-``) given to more than one input (UsageError): it can be
    read once; the error names the inputs (the file arguments, ``--reviews`` …)."""
    given = [("FILES", f) for f in files]
    given += [
        (f"--{name}", p)
        for name, p in (("orders", orders), ("reviews", reviews), ("chats", chats))
        if p is not None
    ]
    stdin = [name for name, path in given if str(path) == "-"]
    if len(stdin) > 1:
        raise UsageError(
            Message(
                "error.stdin_twice",
                count=str(len(stdin)),
                inputs=[Verbatim(name) for name in dict.fromkeys(stdin)],
            ),
            Message("hint.stdin_twice"),
        )


#: Order of loading within one transaction: orders before the files that refer to them.
_LOAD_ORDER = {
    ("orders", "rows"): 0,
    ("orders", "merge"): 1,
    ("reviews", "rows"): 2,
    ("chats", "rows"): 3,
}


def load_files(
    con: duckdb.DuckDBPyConnection,
    config: ModelConfig,
    *,
    files: list[Path] | tuple[Path, ...] = (),
    orders: Path | None = None,
    reviews: Path | None = None,
    chats: Path | None = None,
    shops: Path | None = None,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Load export files into ``con`` in one transaction (all or nothing).

    ``files`` are recognised by their header (canonical or a platform preset); ``orders``,
    ``reviews`` and ``chats`` are files given as that table. ``-`` reads standard input.
    """
    _check_stdin(files, orders, reviews, chats)
    options = options or LoadOptions()
    report: Progress = progress or (lambda _message, _done: None)
    result = LoadResult()
    inputs: list[tuple[Path, str | None]] = [(Path(f), None) for f in files]
    inputs += [
        (Path(p), t)
        for t, p in (("orders", orders), ("reviews", reviews), ("chats", chats))
        if p is not None
    ]
    normalised: list[tuple[Normalised, str]] = []
    try:
        for path, expected in inputs:
            report(f"recognising {path}", None)
            label = "stdin" if str(path) == "-" else str(path)
            normalised.append((_normalise(path, expected, options, config.timezone), label))
        normalised.sort(key=lambda n: _LOAD_ORDER[(n[0].table, n[0].mode)])
        lenient: frozenset[Path] = frozenset()
        while True:  # once more per file found to mix line ends (the transaction aborted)
            result = LoadResult()
            try:
                _load_all(con, config, normalised, shops, options, result, report, lenient)
                break
            except MixedNewlines as exc:
                lenient |= {exc.path}
    finally:
        for source, _label in normalised:
            source.cleanup()
    return result


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the load; a transaction DuckDB has already aborted (disk full, I/O
    error) needs none, and that must not hide the error that aborted it."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _disk_full(exc: BaseException) -> DataError | None:
    """A full disk (or a file size limit) during a load, as a clear error."""
    text = str(exc)
    reason = next(
        (
            s
            for s in ("No space left on device", "File too large", "Disk quota exceeded")
            if s in text
        ),
        None,
    )
    if not isinstance(exc, duckdb.Error) or reason is None:
        return None
    return DataError(
        Message("error.db_write_failed", reason=Verbatim(reason)), Message("hint.free_disk")
    )


def _load_all(
    con: duckdb.DuckDBPyConnection,
    config: ModelConfig,
    normalised: list[tuple[Normalised, str]],
    shops: Path | None,
    options: LoadOptions,
    result: LoadResult,
    report: Progress,
    lenient: frozenset[Path] = frozenset(),
) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        privacy.check_database(con, options.pseudonym_key)
        known_before = set(shop_ids.known_shops(con))
        records = (
            _load_shops(con, Path(shops), config, result, options.read.encoding)
            if shops is not None
            else []
        )
        for source, label in normalised:
            _load_csv(con, source, label, config, options, result, report, lenient)
        result.warnings += _identity_warnings(
            con, known_before, records, str(shops), result.stored_order_shops
        )
        testhook.pause("in-transaction")
        signals.committing()  # from here an interrupt cannot undo the load: it is reported
        con.execute("COMMIT")
    except BaseException as exc:
        signals.done_committing()
        _rollback(con)
        for tmp, _target in result.pending_rejects:
            tempfiles.discard(tmp)
        if is_interrupt(exc):
            raise Interrupted("interrupted: nothing was loaded; the database is as it was") from exc
        full = _disk_full(exc)
        if full is not None:
            raise full from exc
        raise
    testhook.pause("committed")
    for tmp, target in result.pending_rejects:
        tempfiles.publish(tmp, target)


# --- the database file -----------------------------------------------------------------


def load_database(
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
    ``orders``/``reviews``/``chats`` are files given as that table; ``config`` defaults to
    the model configuration found as ``svc`` finds it. Published as ``svc_cli.api.load``;
    the command line calls it directly, without the modules of the other commands."""
    if not any((files, orders, reviews, chats, shops)):
        raise UsageError(Message("error.nothing_to_load"))
    _check_stdin(files, orders, reviews, chats)
    target = Path(db)
    run = functools.partial(
        load_files,
        config=config or load_config(),
        files=files,
        orders=orders,
        reviews=reviews,
        chats=chats,
        shops=shops,
        options=options,
        progress=progress,
    )
    if not target.exists():
        result = _load_new(target, run, wait)
        if result is not None:
            return result
        signals.done_committing()  # that commit was discarded: this load starts again
        if "-" in {str(p) for p in (*files, orders, reviews, chats) if p is not None}:
            raise DataError(
                Message("error.db_created_meanwhile", path=str(target)), Message("hint.load_again")
            )
    con = store.open_for_write(target, wait)
    try:
        testhook.pause("load-started")
        return run(con)
    finally:
        con.close()


def _load_new(
    target: Path, run: Callable[[duckdb.DuckDBPyConnection], LoadResult], wait: float
) -> LoadResult | None:
    """A first load: built in a file of its own beside ``target`` and linked into place
    only when complete, so a failed load leaves nothing and never removes a database that
    another process created meanwhile. None when ``target`` appeared in the meantime (the
    caller then loads into it)."""
    if not target.parent.is_dir():  # a wrong path, as for `-o` (exit 2)
        raise UsageError(
            Message("error.db_no_folder", path=str(target), folder=str(target.parent)),
            Message("hint.output_folder"),
        )
    _remove_stale_builds(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.new")
    leftovers = (tmp, Path(f"{tmp}.wal"))
    try:
        con = store.open_for_write(tmp, wait)
        try:
            testhook.pause("load-started")
            result = run(con)
        finally:
            con.close()
        testhook.pause("before-publish")
        try:
            os.link(tmp, target)  # atomic, and never replaces an existing file
        except FileExistsError:
            return None
        except OSError:  # a file system without hard links
            if target.exists():
                return None
            os.replace(tmp, target)
        return result
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _remove_stale_builds(target: Path) -> None:
    """Remove the half-built first loads of killed svc processes (``.NAME.PID.new``)."""
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.new*"):
        pid = path.name[len(target.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if path.is_dir():  # DuckDB's spill folder (.NAME.PID.new.tmp)
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:  # alive under another user
            continue
