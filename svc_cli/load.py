"""Loading canonical CSV files into the database: validate, de-duplicate, upsert.

A load is one transaction: every file of one ``load_files`` call lands, or none does.
Rows are read as text by DuckDB, converted with explicit, checked casts, and merged
into the canonical tables by key — re-loading the same file changes nothing; a newer
export replaces the rows whose content changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from svc_cli import coverage, merge, shop_ids, signals, staging, tempfiles, testhook
from svc_cli import shops as shops_file
from svc_cli.config import ModelConfig
from svc_cli.csvfile import (
    CsvHeader,
    LineTooLongError,
    check_line_lengths,
    mixed_newlines,
    read_header,
)
from svc_cli.errors import (
    DataError,
    InputError,
    Interrupted,
    UsageError,
    ValidationError,
    is_interrupt,
)
from svc_cli.i18n import Message
from svc_cli.normalised import CANONICAL, Normalised, plain_canonical
from svc_cli.privacy import fingerprint
from svc_cli.schema import CHATS, ORDERS, REVIEWS, SHOPS, Table
from svc_cli.store import scalar

TABLES = {t.name: t for t in (ORDERS, REVIEWS, CHATS)}

#: Progress callback: a description of the current step and, when known, its fraction done.
Progress = Callable[[str, float | None], None]
MAX_PROBLEMS_SHOWN = 20


@dataclass
class FileLoad:
    """What one input file did to its table."""

    table: str
    file: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    kept_newer: int = 0  # rows older than what is stored: the stored, newer values kept
    preset: str = "canonical"
    encoding: str = "utf-8"

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)


@dataclass
class LoadResult:
    files: list[FileLoad] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejects_files: list[str] = field(default_factory=list)
    pending_rejects: list[tuple[Path, Path]] = field(default_factory=list)  # (temp, final)
    order_shops: set[str] = field(default_factory=set)  # shops whose orders were loaded


@dataclass(frozen=True)
class LoadOptions:
    """How strict a load is. ``max_errors`` invalid rows are skipped (and written to a
    rejects CSV); one more and the whole load is refused. ``skip_invalid`` lifts the limit."""

    max_errors: int = 0
    skip_invalid: bool = False
    rejects_dir: Path | None = None
    encoding: str | None = None
    pseudonym_key: str | None = None  # replace customer ids by a keyed hash (privacy)
    preset: str | None = None  # force a platform preset (default: detected from the header)
    shop_id: str | None = None  # for exports without a shop column
    shop_fallback: bool = False  # shop_id only fills in, never overrides, a file's shop column
    column_map: tuple[tuple[str, str], ...] = ()  # canonical column -> source header
    status_map: tuple[tuple[str, str], ...] = ()  # source status -> canonical status
    table: str | None = None  # table of an export mapped with column_map only
    replace: bool = False  # the file's values win, even over newer stored ones

    @property
    def error_limit(self) -> float:
        return float("inf") if self.skip_invalid else self.max_errors


def _timezone_literal(tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"config: unknown time zone {tz!r}", "e.g. Asia/Shanghai") from exc
    return staging.sql_str(tz)


def _check_header(table: Table, header: CsvHeader, label: str, merge: bool) -> list[str]:
    lowered = [c.lower() for c in header.columns]
    dupes = sorted(c for c, n in Counter(lowered).items() if n > 1 and c)
    if dupes:
        raise InputError(
            f"{label}: column(s) appear twice in the header: {', '.join(dupes)}",
            "remove the duplicated columns",
        )
    if merge:  # an update of some order columns, keyed by shop and order
        unknown = [c for c in lowered if c not in table.column_names]
        if unknown or not set(table.key) <= set(lowered):
            raise InputError(f"{label}: not a column update of {table.name} ({', '.join(lowered)})")
        return []
    missing = [c.name for c in table.columns if c.in_header and c.name not in lowered]
    if missing:
        raise InputError(
            f"{label}: missing required column(s) {', '.join(missing)} for {table.name}",
            f"found columns: {', '.join(header.columns)}; expected at least: "
            + ", ".join(c.name for c in table.columns if c.in_header),
        )
    known = set(table.column_names)
    extra = [c for c in header.columns if c.lower() not in known]
    return [f"{label}: ignoring unknown column(s): {', '.join(extra)}"] if extra else []


def _flag_duplicates(con: duckdb.DuckDBPyConnection, table: Table, first: int) -> int:
    """Rows sharing a key: exact copies are dropped (their count is returned); copies
    with other values are bad rows naming the first line of the key."""
    keys = ", ".join(table.key)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_keys AS
        SELECT {keys} FROM typed_stage WHERE NOT _bad GROUP BY {keys} HAVING count(*) > 1""")
    if not scalar(con, "SELECT count(*) FROM dup_keys"):
        return 0
    # aggregations only (they spill to disk under --memory-limit; window functions over
    # one key's millions of copies did not): the distinct variants of each duplicated key
    cols = ", ".join(table.column_names)
    match = " AND ".join(f"s.{k} = d.{k}" for k in table.key)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_variants AS
        SELECT {keys}, count(*) AS variants, min(first_rid) AS first_rid
        FROM (SELECT {cols}, min(rowid) AS first_rid FROM typed_stage s
              WHERE NOT s._bad AND EXISTS (SELECT 1 FROM dup_keys d WHERE {match})
              GROUP BY {cols})
        GROUP BY {keys}""")
    copies = f"""dup_variants d
        WHERE {match.replace("s.", "typed_stage.")} AND d.variants = 1
        AND typed_stage.rowid > d.first_rid AND NOT typed_stage._bad"""
    exact = scalar(con, f"SELECT count(*) FROM typed_stage, {copies}")
    con.execute(f"DELETE FROM typed_stage USING {copies}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_rows AS
        SELECT s.rowid AS rid, (d.first_rid - {int(first)} + 2) AS first_line
        FROM typed_stage s JOIN dup_variants d ON {match}
        WHERE NOT s._bad AND d.variants > 1 AND s.rowid > d.first_rid""")
    staging.flag(
        con,
        first,
        table.key[-1],
        f"typed_stage.{table.key[-1]}",
        "'duplicate key with different values (first on line ' || d.first_line || ')'",
        "typed_stage.rowid IN (SELECT rid FROM dup_rows)",
        join="dup_rows d ON d.rid = typed_stage.rowid",
    )
    return int(exact)


def _flag_unknown_orders(
    con: duckdb.DuckDBPyConnection, first: int, reason: str, nullable: bool
) -> None:
    """Rows whose (shop_id, order_id) is not a loaded order are bad."""
    missing = (
        "NOT EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = typed_stage.shop_id "
        "AND o.order_id = typed_stage.order_id)"
    )
    where = f"order_id IS NOT NULL AND {missing}" if nullable else missing
    # the common case, no orphan, is checked with an anti join (twice as fast as NOT EXISTS)
    orphans = scalar(
        con,
        "SELECT count(*) FROM typed_stage s ANTI JOIN orders o "
        "ON o.shop_id = s.shop_id AND o.order_id = s.order_id "
        f"WHERE NOT s._bad{' AND s.order_id IS NOT NULL' if nullable else ''}",
    )
    if orphans:
        staging.flag(con, first, "order_id", "order_id", staging.sql_str(reason), where)


def _become_table(con: duckdb.DuckDBPyConnection, table: Table, result: FileLoad) -> None:
    """An empty target table is replaced by the (persistent) stage itself: no copy."""
    con.execute("DELETE FROM typed_stage WHERE _bad")
    con.execute("ALTER TABLE typed_stage DROP COLUMN _bad")
    con.execute(f"DROP TABLE {table.name}")
    con.execute(f"ALTER TABLE typed_stage RENAME TO {table.name}")
    result.inserted = result.rows_read - result.rejected - result.duplicates
    result.unchanged = 0


def _upsert(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    provided: list[str],
    result: FileLoad,
    replace: bool = False,
) -> None:
    """Merge the valid staged rows into ``table`` by key. New rows are inserted whole;
    existing rows get the ``provided`` columns (those the file has), so an export that
    lacks a column never wipes what another export loaded, merged monotonically (see
    ``svc_cli.merge``: an older export never undoes a newer one) unless ``replace``."""
    cols = ", ".join(table.column_names)
    valid = result.rows_read - result.rejected - result.duplicates
    if not scalar(con, f"SELECT count(*) FROM {table.name}"):
        con.execute(f"INSERT INTO {table.name} SELECT {cols} FROM typed_stage WHERE NOT _bad")
        result.inserted, result.unchanged = valid, 0
        return
    join = " AND ".join(f"s.{k} = t.{k}" for k in table.key)
    updates = [c for c in provided if c not in table.key]
    is_older = merge.older(table, updates, replace)
    new = f"t.{table.key[0]} IS NULL"
    values = {
        c: f"CASE WHEN {new} THEN s.{c} ELSE {merge.merged(table, c, is_older, replace)} END"
        for c in updates
    }
    changed = (
        f"row({', '.join(values.values())}) IS DISTINCT FROM "
        f"row({', '.join(f't.{c}' for c in updates)})"
        if updates
        else "false"
    )
    select = ", ".join(
        f"{values[c]} AS {c}" if c in values else f"s.{c}" for c in table.column_names
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE delta AS
        SELECT * FROM (
          SELECT {select}, NOT {new} AS _exists, NOT {new} AND {is_older} AS _older,
                 {changed} AS _changed
          FROM (SELECT {cols} FROM typed_stage WHERE NOT _bad) s
          LEFT JOIN {table.name} t ON {join})
        WHERE NOT _exists OR _changed OR _older""")
    inserted = scalar(con, "SELECT count(*) FROM delta WHERE NOT _exists")
    updated = scalar(con, "SELECT count(*) FROM delta WHERE _exists AND _changed")
    result.kept_newer = scalar(con, "SELECT count(*) FROM delta WHERE _older")
    if inserted:
        con.execute(f"INSERT INTO {table.name} SELECT {cols} FROM delta WHERE NOT _exists")
    if updated:
        key_match = " AND ".join(f"{table.name}.{k} = d.{k}" for k in table.key)
        assignments = ", ".join(f"{c} = d.{c}" for c in updates)
        con.execute(
            f"UPDATE {table.name} SET {assignments} FROM delta d "
            f"WHERE d._exists AND d._changed AND {key_match}"
        )
    result.inserted, result.updated = inserted, updated
    result.unchanged = valid - inserted - updated


#: The temporary table of a preset's canonical rows while its file loads.
_FRAME = "svc_canonical_rows"
_BATCH = "svc_canonical_batch"


def _materialise(con: duckdb.DuckDBPyConnection, source: Normalised) -> None:
    """The canonical rows a preset maps, batch by batch (each read by DuckDB as Arrow),
    into the temporary table ``_FRAME``: memory holds one batch, DuckDB spills the rest."""
    assert source.batches is not None
    con.execute(f"DROP TABLE IF EXISTS {_FRAME}")
    created = False
    with contextlib.closing(source.batches(con)) as batches:
        for batch in batches:
            con.register(_BATCH, batch)
            try:
                con.execute(
                    f"INSERT INTO {_FRAME} SELECT * FROM {_BATCH}"
                    if created
                    else f"CREATE TEMP TABLE {_FRAME} AS SELECT * FROM {_BATCH}"
                )
            finally:
                con.unregister(_BATCH)
            created = True


class _MixedNewlines(Exception):
    """A strict read failed on a file with CRLF and LF line ends: load again, leniently."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


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
    """Validate one normalised file and merge it into its table."""
    table = TABLES[source.table]
    merge = source.mode == "merge"
    params: dict[str, object] = {}
    if source.batches is not None:  # a preset's canonical rows, in a temporary table
        columns = [r[0] for r in con.execute(f"DESCRIBE {_FRAME}").fetchall()]
        has_rows = scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {_FRAME} LIMIT 1)") > 0
        header = CsvHeader(Path(label), columns, ",", has_rows, relation=_FRAME)
    else:
        assert source.source is not None
        header = read_header(source.source)
        check_line_lengths(source.source, label)  # streaming; before DuckDB reads the body
        params["path"] = str(source.source)
    result.warnings += _check_header(table, header, label, merge)
    _keep_preset_rejects(source, label, options, result)
    # reviews from exports that do not link them to orders count for good_review_rate only
    no_order_ids = table is REVIEWS and "order_id" not in source.mapping
    conversion = staging.plan(
        table,
        header,
        _timezone_literal(config.timezone),
        frozenset({"order_id"}) if no_order_ids else frozenset(),
        pseudonymize=options.pseudonym_key is not None,
    )
    if options.pseudonym_key is not None:
        params["key"] = options.pseudonym_key
    into_empty = not merge and not scalar(con, f"SELECT count(*) FROM {table.name}")
    started = time.monotonic()
    if source.source is not None and source.source in lenient:
        header = dataclasses.replace(header, mixed_newlines=True)
        result.warnings.append(
            f"{label}: mixes Windows (CRLF) and Unix (LF) line ends; each was read as a line end"
        )
    try:
        first = staging.stage(
            con,
            conversion,
            header,
            params,
            label,
            lambda done: progress(f"reading {label}", done),
            persistent=into_empty,
        )
    except LineTooLongError:
        raise  # no lenient read helps; and a gzip bomb is not scanned again
    except InputError as exc:
        path = source.source
        if path is not None and not header.mixed_newlines and mixed_newlines(path):
            raise _MixedNewlines(path) from exc
        raise
    shop_ids.rekey_stage(con, shop_ids.aliases(con))
    file_load = FileLoad(table.name, label, preset=source.preset, encoding=source.encoding)
    file_load.rows_read = scalar(con, "SELECT count(*) FROM typed_stage")
    if file_load.rows_read == 0 and header.has_body:
        raise InputError(
            f"{label}: no row could be read after the header",
            "is a line longer than 2 MB (a field with a runaway quote, or a damaged file)?",
        )
    if file_load.rows_read == 0:
        result.warnings.append(Message("header_only", file=label))
        result.files.append(file_load)
        _record_coverage(con, table, source, [], options, result)
        return
    rate = file_load.rows_read / max(time.monotonic() - started, 1e-6)
    progress(f"checking {label}: {file_load.rows_read:,} rows read ({rate:,.0f} rows/s)", None)
    unexplained = scalar(con, "SELECT count(*) FROM typed_stage WHERE _bad")
    file_load.duplicates = _flag_duplicates(con, table, first)
    if file_load.duplicates:
        result.warnings.append(Message("duplicates", file=label, count=str(file_load.duplicates)))
    if table is REVIEWS:
        _flag_unknown_orders(
            con,
            first,
            "review of an unknown order (no such order_id for this shop_id)",
            nullable=True,
        )
    elif merge:
        _flag_unknown_orders(
            con,
            first,
            "no such order loaded for this shop_id (load the orders export first)",
            nullable=False,
        )
    total = scalar(con, "SELECT count(*) FROM typed_stage WHERE _bad")
    if total:
        raw_first = staging.read_raw(con, header, params)
        if unexplained:
            staging.explain_bad_rows(con, conversion, first, raw_first)
        shown = staging.problems(con, label, MAX_PROBLEMS_SHOWN)
        if total > options.error_limit:
            hint = (
                "fix the rows and load again, or use --skip-invalid to load the valid rows "
                "and write the invalid ones to a rejects CSV"
            )
            raise ValidationError(shown, total, hint)
        rejects = _rejects_target(label, options, result)
        tmp = tempfiles.create_beside(rejects)  # anonymous until the load commits
        result.pending_rejects.append((tmp, rejects))
        staging.write_rejects(con, header, first, raw_first, str(tmp))
        result.rejects_files.append(str(rejects))
        result.warnings.append(
            Message("skipped_rows", file=label, count=str(total), rejects=str(rejects))
        )
        result.warnings += [str(p) for p in shown[:5]]
    file_load.rejected = total
    future = _future_times(con, table, label, config.timezone)
    if future:
        result.warnings.append(future)
    staged_shops = [
        r[0]
        for r in con.execute("SELECT DISTINCT shop_id FROM typed_stage WHERE NOT _bad").fetchall()
    ]
    progress(f"writing {table.name}", None)
    if into_empty:
        _become_table(con, table, file_load)
    else:
        provided = [c for c in table.column_names if c in source.mapping or c in table.key]
        _upsert(con, table, provided, file_load, options.replace)
        if file_load.kept_newer:
            result.warnings.append(
                f"{label}: {file_load.kept_newer} row(s) older than what is stored (an "
                "earlier status or refund state); kept the newer values (--replace overwrites)"
            )
    _log_load(con, file_load)
    result.files.append(file_load)
    _record_coverage(con, table, source, staged_shops, options, result)


def _rejects_target(label: str, options: LoadOptions, result: LoadResult) -> Path:
    """FILE.rejects.csv beside the input (or in --rejects-dir); a second rejects file of
    the same input (rows the loader refused after the preset skipped some) is
    FILE.canonical.rejects.csv."""
    origin = Path(label)
    folder = options.rejects_dir or origin.parent
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
    result.warnings.append(f"{label}: the rows the preset skipped are written to {target}")


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
    if options.shop_id is not None and not options.shop_fallback:
        shops.add(shop_ids.aliases(con).get(options.shop_id, options.shop_id))
    if table is ORDERS:
        result.order_shops |= shops
    else:
        shops |= result.order_shops
    inputs = coverage.file_inputs(table.name, set(source.mapping))
    coverage.record(con, sorted(shops), inputs)


#: How far past the machine's clock a time must be to be reported as in the future.
FUTURE_SLACK = timedelta(hours=1)


def _future_times(con: duckdb.DuckDBPyConnection, table: Table, label: str, tz: str) -> str | None:
    """A warning when valid staged rows carry times after the machine's clock (in the
    shop's time zone): the default as-of is the latest time loaded, so they move it."""
    columns = [c.name for c in table.columns if c.kind == "timestamp"]
    latest = f"greatest({', '.join(columns)})"
    now = datetime.now(zoneinfo.ZoneInfo(tz)).replace(tzinfo=None) + FUTURE_SLACK
    n, last = con.execute(
        f"SELECT count(*), max({latest}) FROM typed_stage WHERE NOT _bad AND {latest} > ?",
        [now],
    ).fetchone() or (0, None)
    if not n:
        return None
    return (
        f"{label}: {n} row(s) have a time after this machine's clock (latest {last}); "
        "the default --as-of is the latest time loaded, so it moves with them: check the "
        "export, or give --as-of"
    )


def _log_load(con: duckdb.DuckDBPyConnection, file_load: FileLoad) -> None:
    con.execute(
        "INSERT INTO svc_loads VALUES (now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_load.table,
            file_load.file,
            file_load.rows_read,
            file_load.inserted,
            file_load.updated,
            file_load.unchanged,
            file_load.rejected,
        ],
    )


def _load_shops(
    con: duckdb.DuckDBPyConnection, path: Path, config: ModelConfig, result: LoadResult
) -> list[shops_file.ShopRecord]:
    records = shops_file.read_shops(path, config)
    file_load = FileLoad(SHOPS.name, str(path), rows_read=len(records))
    if not records:
        result.warnings.append(Message("no_shops_listed", file=str(path)))
        result.files.append(file_load)
        return records
    staging.drop_stage(con)
    con.execute(
        "CREATE TEMP TABLE typed_stage AS SELECT unnest($ids) AS shop_id, "
        "unnest($names) AS name, unnest($industries) AS industry, "
        "unnest($services)::VARCHAR[] AS services, false AS _bad",
        {
            "ids": [r.shop_id for r in records],
            "names": [r.name for r in records],
            "industries": [r.industry for r in records],
            "services": [list(r.services) for r in records],
        },
    )
    _upsert(con, SHOPS, SHOPS.column_names, file_load)
    _log_load(con, file_load)
    result.files.append(file_load)
    _load_aliases(con, records, result)
    return records


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
) -> list[str]:
    """After a load: shops file entries without orders (a typo?), and shops that look
    like another shop under another key (its name)."""
    new_shops = set(shop_ids.known_shops(con)) - known_before
    if not new_shops and not records:
        return []
    warnings = shop_ids.unmatched_shops_warnings(con, [r.shop_id for r in records], shops_label)
    named = [(r.shop_id, r.name) for r in records if r.name]
    return warnings + shop_ids.name_clash_warnings(con, new_shops, named)


def _check_pseudonymisation(con: duckdb.DuckDBPyConnection, key: str | None) -> None:
    """A database is pseudonymised with one key from its first load on, or never."""
    stored = scalar(con, "SELECT value FROM svc_meta WHERE key = 'pseudonym_key'")
    given = fingerprint(key) if key is not None else None
    if stored == given:
        return
    if stored is not None:
        raise UsageError(
            "this database holds pseudonymised customer ids"
            + ("; the key given is not the one it was made with" if given else ""),
            "load with --pseudonymize and the same key, so pseudonyms stay consistent",
        )
    has_rows = scalar(
        con,
        "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM reviews) "
        "+ (SELECT count(*) FROM chats)",
    )
    if has_rows:
        raise UsageError(
            "this database already holds real customer ids; --pseudonymize needs a new database",
            "load everything into a new database with --pseudonymize",
        )
    con.execute("INSERT INTO svc_meta VALUES ('pseudonym_key', ?)", [given])


def _normalise(path: Path, expected: str | None, options: LoadOptions) -> Normalised:
    """Recognise and normalise one input file; ``expected`` is the table it was given as."""
    plain = (
        options.preset in (None, CANONICAL)
        and (options.encoding or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8")
        and not (options.column_map or options.status_map or options.table)
    )
    normalised = plain_canonical(path) if plain else None
    if normalised is None:
        normalised = via_presets(path, options, expected)
    if expected is not None and normalised.table != expected:
        normalised.cleanup()
        raise InputError(
            f"{path}: given as {expected}, but it is a {normalised.table} export "
            f"(preset {normalised.preset})",
            "pass it as a plain file argument: svc load DB FILE…",
        )
    return normalised


def via_presets(path: Path, options: LoadOptions, expected: str | None = None) -> Normalised:
    """``path`` normalised by the platform presets, with the load's options."""
    from svc_cli import presets  # Polars: only for files that are not plain canonical CSVs

    return presets.normalise(
        path,
        preset=options.preset,
        encoding=options.encoding,
        shop_id=options.shop_id,
        column_map=dict(options.column_map),
        status_map=dict(options.status_map) or None,
        skip_invalid=options.skip_invalid,
        table=options.table or expected,
        shop_fallback=options.shop_fallback,
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
            normalised.append((_normalise(path, expected, options), label))
        normalised.sort(key=lambda n: _LOAD_ORDER[(n[0].table, n[0].mode)])
        lenient: frozenset[Path] = frozenset()
        while True:  # once more per file found to mix line ends (the transaction aborted)
            result = LoadResult()
            try:
                _load_all(con, config, normalised, shops, options, result, report, lenient)
                break
            except _MixedNewlines as exc:
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
        f"cannot write the database ({reason}): nothing was loaded; the database is as it was",
        "free some disk space and load again",
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
        _check_pseudonymisation(con, options.pseudonym_key)
        known_before = set(shop_ids.known_shops(con))
        records = _load_shops(con, Path(shops), config, result) if shops is not None else []
        for source, label in normalised:
            if source.batches is not None:  # mapped batch by batch: no temporary CSV
                report(f"reading {label}", None)
                _materialise(con, source)
            result.warnings += source.warnings
            _load_csv(con, source, label, config, options, result, report, lenient)
        result.warnings += _identity_warnings(con, known_before, records, str(shops))
        staging.drop_stage(con)
        for temp in (
            "raw_stage",
            "problems",
            "dup_keys",
            "dup_variants",
            "dup_rows",
            "delta",
            _FRAME,
        ):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
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
