"""Loading canonical CSV files into the database: validate, de-duplicate, upsert.

A load is one transaction: every file of one ``load_files`` call lands, or none does.
Rows are read as text by DuckDB, converted with explicit, checked casts, and merged
into the canonical tables by key — re-loading the same file changes nothing; a newer
export replaces the rows whose content changed.
"""

from __future__ import annotations

import os
import re
import threading
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from svc_cli import presets
from svc_cli import shops as shops_file
from svc_cli.config import ModelConfig
from svc_cli.csvfile import CsvHeader, read_header
from svc_cli.errors import (
    InputError,
    Interrupted,
    RowProblem,
    UsageError,
    ValidationError,
    is_interrupt,
)
from svc_cli.presets import Normalised
from svc_cli.privacy import PSEUDONYM_SQL, fingerprint
from svc_cli.schema import CHATS, ORDERS, REVIEWS, SHOPS, Column, Table

TABLES = {t.name: t for t in (ORDERS, REVIEWS, CHATS)}

#: Progress callback: a description of the current step and, when known, its fraction done.
Progress = Callable[[str, float | None], None]
MAX_PROBLEMS_SHOWN = 20
_TS_OFFSET = r"\d[T ]\d{1,2}:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?)$"
_CSV_ERROR = re.compile(r"CSV Error on Line: (\d+)")
# Line of a raw_stage row (the header is line 1). Rows inserted inside a transaction get
# DuckDB row ids from a large offset, not 0, so count from the table's first row id.
_RAW_LINE = "rowid - (SELECT min(rowid) FROM raw_stage) + 2"


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
    column_map: tuple[tuple[str, str], ...] = ()  # canonical column -> source header
    status_map: tuple[tuple[str, str], ...] = ()  # source status -> canonical status
    table: str | None = None  # table of an export mapped with column_map only

    @property
    def error_limit(self) -> float:
        return float("inf") if self.skip_invalid else self.max_errors


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _timezone_literal(tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"config: unknown time zone {tz!r}", "e.g. Asia/Shanghai") from exc
    return _sql_str(tz)


def _whole(x: str, sql_type: str) -> str:
    """Cast text to an integer type only if it is a whole number ("2", "2.0", not "1.5":
    a plain cast would round)."""
    return f"CASE WHEN try_cast({x} AS DOUBLE) % 1 = 0 THEN try_cast({x} AS {sql_type}) END"


def _convert(col: Column, x: str, tz: str) -> tuple[str, list[tuple[str, str]]]:
    """SQL converting trimmed text ``x`` to the column's type, and (condition, reason)
    pairs that flag an invalid value (evaluated on the converted value ``v``)."""
    kind = col.kind
    if kind == "timestamp":
        conv = (
            f"CASE WHEN regexp_matches({x}, '{_TS_OFFSET}') "
            f"THEN timezone({tz}, try_cast({x} AS TIMESTAMPTZ)) "
            f"ELSE try_cast({x} AS TIMESTAMP) END"
        )
        return conv, [("v IS NULL", "not a date/time (expected YYYY-MM-DD HH:MM:SS)")]
    if kind == "money":
        return f"try_cast({x} AS DECIMAL(18,2))", [
            ("v IS NULL", "not a decimal amount"),
            ("v < 0", "must not be negative"),
        ]
    if kind == "count":
        return _whole(x, "INTEGER"), [
            ("v IS NULL", "not a whole number"),
            ("v < 1", "must be at least 1"),
        ]
    if kind == "rating":
        return _whole(x, "TINYINT"), [
            ("v IS NULL OR v NOT BETWEEN 1 AND 5", "must be a whole number from 1 to 5")
        ]
    if kind == "seconds":
        return f"try_cast({x} AS DOUBLE)", [
            ("v IS NULL OR NOT isfinite(v) OR v < 0", "must be a number of seconds ≥ 0")
        ]
    if kind == "score100":
        return f"try_cast({x} AS DOUBLE)", [
            ("v IS NULL OR NOT v BETWEEN 0 AND 100", "must be a number from 0 to 100")
        ]
    if kind == "bool":
        conv = (
            f"CASE WHEN lower({x}) IN ('true','t','1','yes','y') THEN true "
            f"WHEN lower({x}) IN ('false','f','0','no','n') THEN false END"
        )
        return conv, [("v IS NULL", "must be true or false")]
    if kind == "enum":
        choices = ", ".join(_sql_str(c) for c in col.choices)
        return f"lower({x})", [
            (f"v NOT IN ({choices})", f"must be one of {', '.join(col.choices)}")
        ]
    return x, []


def _typed_select(
    table: Table, header: CsvHeader, tz: str, optional: frozenset[str] = frozenset()
) -> str:
    """SELECT converting the raw text table to canonical types, with a ``_problems`` list.
    Columns in ``optional`` may be empty even where the canonical format requires them."""
    present = {name.lower(): i for i, name in enumerate(header.columns)}
    inner, outer, checks = [f"{_RAW_LINE} AS _line"], ["_line"], []
    for col in table.columns:
        idx = present.get(col.name)
        if idx is None:
            outer.append(f"{col.default or 'NULL'}::{col.sql_type} AS {col.name}")
            continue
        x = f"nullif(trim(c{idx}), '')" if col.kind != "text" else f"nullif(c{idx}, '')"
        conv, rules = _convert(col, x, tz)
        inner.append(f"{x} AS raw_{col.name}")
        inner.append(f"{conv} AS v_{col.name}")
        value = (
            f"coalesce(v_{col.name}, {col.default}::{col.sql_type})"
            if col.default
            else f"v_{col.name}"
        )
        outer.append(f"{value}::{col.sql_type} AS {col.name}")
        if col.required and col.name not in optional:
            checks.append(
                f"CASE WHEN raw_{col.name} IS NULL THEN "
                f"{{'column': '{col.name}', 'value': NULL, 'reason': 'required value is missing'}} END"
            )
        for cond, reason in rules:
            cond_sql = re.sub(r"\bv\b", f"v_{col.name}", cond)
            checks.append(
                f"CASE WHEN raw_{col.name} IS NOT NULL AND ({cond_sql}) THEN "
                f"{{'column': '{col.name}', 'value': raw_{col.name}, 'reason': {_sql_str(reason)}}} END"
            )
    problems = f"list_filter([{', '.join(checks)}], lambda p: p IS NOT NULL)" if checks else "[]"
    outer.append(f"{problems} AS _problems")
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM raw_stage)"


def _execute(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, object],
    on_progress: Callable[[float], None] | None,
) -> None:
    """Run one statement; with ``on_progress``, poll DuckDB's progress while it runs."""
    if on_progress is None:
        con.execute(sql, params)
        return
    done, failure = threading.Event(), []

    def work() -> None:
        try:
            con.execute(sql, params)
        except BaseException as exc:  # re-raised in the calling thread
            failure.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        while not done.wait(0.2):
            percent = con.query_progress()
            if percent >= 0:
                on_progress(percent / 100)
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    worker.join()
    if failure:
        raise failure[0]


def _read_raw(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    header: CsvHeader,
    label: str,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header.columns))) + "}"
    delim = "\\t" if header.delimiter == "\t" else ","
    sql = (
        f"CREATE OR REPLACE TEMP TABLE raw_stage AS SELECT * FROM read_csv($path, header=true, "
        f"auto_detect=false, delim=E'{delim}', quote='\"', escape='\"', strict_mode=true, "
        f"columns={columns})"
    )
    try:
        _execute(con, sql, {"path": str(path)}, on_progress)
    except duckdb.Error as exc:
        raise _csv_error(label, exc) from exc


def _csv_error(label: str, exc: duckdb.Error) -> InputError:
    text = str(exc)
    match = _CSV_ERROR.search(text)
    where = f"{label}:{match.group(1)}" if match else label
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    reason = next(
        (
            ln
            for ln in lines
            if "unicode" in ln.lower()
            or "Expected Number" in ln
            or "unterminated" in ln.lower()
            or "quote" in ln.lower()
        ),
        lines[0] if lines else text,
    )
    if "unicode" in reason.lower():
        return InputError(
            f"{where}: bytes that are not UTF-8", "try --encoding gb18030 (or cp1252)"
        )
    if "Expected Number of Columns" in reason:
        return InputError(
            f"{where}: wrong number of fields ({reason.split(':', 1)[-1].strip()})",
            "is the last line truncated, or a field's quote not closed?",
        )
    if "quote" in reason.lower():
        return InputError(
            f"{where}: a quoted field is never closed (is the file truncated?)",
            're-export the file; embedded quotes must be doubled ("")',
        )
    return InputError(f"{where}: cannot parse CSV: {reason}")


def _check_header(table: Table, header: CsvHeader, label: str) -> list[str]:
    lowered = [c.lower() for c in header.columns]
    dupes = sorted({c for c in lowered if lowered.count(c) > 1 and c})
    if dupes:
        raise InputError(
            f"{label}: column(s) appear twice in the header: {', '.join(dupes)}",
            "remove the duplicated columns",
        )
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


def _cross_row_problems(con: duckdb.DuckDBPyConnection, table: Table, merge: bool = False) -> None:
    """Add conflicting duplicates (same key, other content) and reviews of unknown orders."""
    keys = ", ".join(table.key)
    cols = ", ".join(table.column_names)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_lines AS
        WITH d AS (
          SELECT {keys}, count(DISTINCT row({cols})) AS variants,
                 list(_line ORDER BY _line) AS lines
          FROM typed_stage WHERE len(_problems) = 0 GROUP BY {keys} HAVING count(*) > 1
        )
        SELECT unnest(lines[2:]) AS _line, lines[1] AS first_line, variants FROM d""")
    con.execute(
        """
        UPDATE typed_stage SET _problems = list_append(_problems, {
            'column': '"""
        + table.key[-1]
        + """', 'value': typed_stage."""
        + table.key[-1]
        + """,
            'reason': 'duplicate key with different values (first on line ' || d.first_line || ')'})
        FROM dup_lines d WHERE typed_stage._line = d._line AND d.variants > 1"""
    )
    if table is REVIEWS:
        con.execute("""
            UPDATE typed_stage SET _problems = list_append(_problems, {
                'column': 'order_id', 'value': typed_stage.order_id,
                'reason': 'review of an unknown order (no such order_id for this shop_id)'})
            WHERE len(_problems) = 0 AND order_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM orders o
                WHERE o.shop_id = typed_stage.shop_id AND o.order_id = typed_stage.order_id)""")
    if merge:
        con.execute("""
            UPDATE typed_stage SET _problems = list_append(_problems, {
                'column': 'order_id', 'value': typed_stage.order_id,
                'reason': 'no such order loaded for this shop_id (load the orders export first)'})
            WHERE len(_problems) = 0 AND NOT EXISTS (
                SELECT 1 FROM orders o
                WHERE o.shop_id = typed_stage.shop_id AND o.order_id = typed_stage.order_id)""")


def _collect_problems(
    con: duckdb.DuckDBPyConnection, label: str, limit: int
) -> tuple[int, list[RowProblem]]:
    total = con.execute("SELECT count(*) FROM typed_stage WHERE len(_problems) > 0").fetchone()[0]
    rows = con.execute(
        "SELECT _line, p.column, p.value, p.reason FROM "
        "(SELECT _line, unnest(_problems) AS p FROM typed_stage WHERE len(_problems) > 0) "
        "ORDER BY _line LIMIT $n",
        {"n": limit},
    ).fetchall()
    return total, [RowProblem(label, line, col, value, reason) for line, col, value, reason in rows]


def _write_rejects(con: duckdb.DuckDBPyConnection, header: CsvHeader, tmp: Path) -> None:
    """Write the invalid rows as read (under the file's own column names) with their line
    and errors, to a temporary file renamed into place once the load commits."""
    raw = ", ".join(
        f'r.c{i} AS "{name.replace(chr(34), chr(34) * 2)}"' for i, name in enumerate(header.columns)
    )
    con.execute(f"""
        COPY (
          SELECT t._line AS line,
                 array_to_string(list_transform(t._problems, lambda p: p.column || ': ' || p.reason), '; ')
                   AS errors,
                 {raw}
          FROM typed_stage t JOIN (SELECT {_RAW_LINE} AS _line, * FROM raw_stage) r USING (_line)
          WHERE len(t._problems) > 0 ORDER BY t._line
        ) TO {_sql_str(str(tmp))} (FORMAT csv, HEADER true)""")


def _check_merge_header(header: CsvHeader, label: str) -> None:
    names = [c.lower() for c in header.columns]
    unknown = [c for c in names if c not in ORDERS.column_names]
    if unknown or not {"shop_id", "order_id"} <= set(names):
        raise InputError(f"{label}: not a column update of orders (columns: {', '.join(names)})")


def _merge_columns(con: duckdb.DuckDBPyConnection, columns: list[str], result: FileLoad) -> None:
    """Update only ``columns`` of existing orders (refund exports, item reports)."""
    updates = [c for c in columns if c not in ORDERS.key]
    if not updates:
        result.unchanged = result.rows_read - result.rejected - result.duplicates
        return
    new = ", ".join(f"s.{c}" for c in updates)
    old = ", ".join(f"orders.{c}" for c in updates)
    changed = con.execute(f"""
        UPDATE orders SET {", ".join(f"{c} = s.{c}" for c in updates)}
        FROM (SELECT DISTINCT {", ".join(ORDERS.key)}, {", ".join(updates)}
              FROM typed_stage WHERE len(_problems) = 0) s
        WHERE orders.shop_id = s.shop_id AND orders.order_id = s.order_id
          AND row({new}) IS DISTINCT FROM row({old})""").fetchone()[0]
    result.updated = changed
    result.unchanged = result.rows_read - result.rejected - result.duplicates - changed


def _upsert(con: duckdb.DuckDBPyConnection, table: Table, result: FileLoad) -> None:
    """Merge the valid staged rows into ``table`` by key; count inserted/updated/unchanged."""
    cols = ", ".join(table.column_names)
    join = " AND ".join(f"s.{k} = t.{k}" for k in table.key)
    s_row = ", ".join(f"s.{c}" for c in table.column_names)
    t_row = ", ".join(f"t.{c}" for c in table.column_names)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE delta AS
        SELECT s.*, t.{table.key[0]} IS NOT NULL AS _exists
        FROM (SELECT DISTINCT {cols} FROM typed_stage WHERE len(_problems) = 0) s
        LEFT JOIN {table.name} t ON {join}
        WHERE t.{table.key[0]} IS NULL OR row({s_row}) IS DISTINCT FROM row({t_row})""")
    inserted, updated = con.execute(
        "SELECT count(*) FILTER (NOT _exists), count(*) FILTER (_exists) FROM delta"
    ).fetchone()
    if updated:
        key_match = " AND ".join(f"{table.name}.{k} = d.{k}" for k in table.key)
        con.execute(f"DELETE FROM {table.name} USING delta d WHERE d._exists AND {key_match}")
    if inserted or updated:
        con.execute(f"INSERT INTO {table.name} SELECT {cols} FROM delta")
    result.inserted, result.updated = inserted, updated
    valid = result.rows_read - result.rejected - result.duplicates
    result.unchanged = valid - inserted - updated


def _load_csv(
    con: duckdb.DuckDBPyConnection,
    source: Normalised,
    label: str,
    config: ModelConfig,
    options: LoadOptions,
    result: LoadResult,
    progress: Progress,
) -> None:
    """Validate one normalised file and merge it into its table."""
    table = TABLES[source.table]
    merge = source.mode == "merge"
    header = read_header(source.path)
    if merge:
        _check_merge_header(header, label)
    else:
        result.warnings += _check_header(table, header, label)
    _read_raw(con, source.path, header, label, lambda done: progress(f"reading {label}", done))
    file_load = FileLoad(table.name, label, preset=source.preset, encoding=source.encoding)
    file_load.rows_read = con.execute("SELECT count(*) FROM raw_stage").fetchone()[0]
    if file_load.rows_read == 0 and header.has_body:
        raise InputError(
            f"{label}: no row could be read after the header",
            "is a line longer than 2 MB (a field with a runaway quote, or a damaged file)?",
        )
    if file_load.rows_read == 0:
        result.warnings.append(f"{label}: header only, no data rows; nothing to load from it")
        result.files.append(file_load)
        return
    progress(f"validating {label} ({file_load.rows_read:,} rows)", None)
    # reviews from exports that do not link them to orders count for good_review_rate only
    optional = (
        frozenset({"order_id"})
        if table is REVIEWS and "order_id" not in source.mapping
        else frozenset()
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE typed_stage AS "
        + _typed_select(table, header, _timezone_literal(config.timezone), optional)
    )
    if options.pseudonym_key is not None:
        con.execute(
            f"UPDATE typed_stage SET customer_id = {PSEUDONYM_SQL} WHERE customer_id IS NOT NULL",
            {"key": options.pseudonym_key},
        )
    if table is REVIEWS:
        con.execute("""UPDATE typed_stage SET review_id = 'h' || md5(concat_ws('|', shop_id, order_id,
                       created_at, rating, text)) WHERE review_id IS NULL""")
    _cross_row_problems(con, table, merge)
    total, problems = _collect_problems(con, label, MAX_PROBLEMS_SHOWN)
    if total > options.error_limit:
        hint = (
            "fix the rows and load again, or use --skip-invalid to load the valid rows "
            "and write the invalid ones to a rejects CSV"
        )
        raise ValidationError(problems, total, hint)
    if total:
        origin = Path(label)
        rejects = (options.rejects_dir or origin.parent) / f"{origin.name}.rejects.csv"
        tmp = rejects.with_name(f".{rejects.name}.{os.getpid()}.tmp")
        result.pending_rejects.append((tmp, rejects))
        _write_rejects(con, header, tmp)
        result.rejects_files.append(str(rejects))
        result.warnings.append(f"{label}: skipped {total} invalid row(s); written to {rejects}")
        result.warnings += [str(p) for p in problems[:5]]
    file_load.rejected = total
    file_load.duplicates = con.execute(
        "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (_line) "
        "FROM typed_stage WHERE len(_problems) = 0)) FROM typed_stage WHERE len(_problems) = 0"
    ).fetchone()[0]
    if file_load.duplicates:
        result.warnings.append(
            f"{label}: {file_load.duplicates} exact duplicate row(s) loaded once"
        )
    progress(f"writing {table.name}", None)
    if merge:
        _merge_columns(con, [c.lower() for c in header.columns], file_load)
    else:
        _upsert(con, table, file_load)
    _log_load(con, file_load)
    result.files.append(file_load)


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
) -> None:
    records = shops_file.read_shops(path, config)
    file_load = FileLoad(SHOPS.name, str(path), rows_read=len(records))
    if not records:
        result.warnings.append(f"{path}: no shops listed; nothing to load from it")
        result.files.append(file_load)
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE typed_stage "
        "(shop_id VARCHAR, name VARCHAR, industry VARCHAR, services VARCHAR[], "
        '_problems STRUCT("column" VARCHAR, value VARCHAR, reason VARCHAR)[])'
    )
    con.executemany(
        "INSERT INTO typed_stage VALUES (?, ?, ?, ?, [])",
        [[r.shop_id, r.name, r.industry, list(r.services)] for r in records],
    )
    _upsert(con, SHOPS, file_load)
    _log_load(con, file_load)
    result.files.append(file_load)


def _check_pseudonymisation(con: duckdb.DuckDBPyConnection, key: str | None) -> None:
    """A database is pseudonymised with one key from its first load on, or never."""
    row = con.execute("SELECT value FROM svc_meta WHERE key = 'pseudonym_key'").fetchone()
    stored = row[0] if row else None
    given = fingerprint(key) if key is not None else None
    if stored == given:
        return
    if stored is not None:
        raise UsageError(
            "this database holds pseudonymised customer ids"
            + ("; the key given is not the one it was made with" if given else ""),
            "load with --pseudonymize and the same key, so pseudonyms stay consistent",
        )
    has_rows = con.execute(
        "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM reviews) "
        "+ (SELECT count(*) FROM chats)"
    ).fetchone()[0]
    if has_rows:
        raise UsageError(
            "this database already holds real customer ids; --pseudonymize needs a new database",
            "load everything into a new database with --pseudonymize",
        )
    con.execute("INSERT INTO svc_meta VALUES ('pseudonym_key', ?)", [given])


def _normalise(path: Path, expected: str | None, options: LoadOptions) -> Normalised:
    """Recognise and normalise one input file; ``expected`` is the table it was given as."""
    normalised = presets.normalise(
        path,
        preset=options.preset,
        encoding=options.encoding,
        shop_id=options.shop_id,
        column_map=dict(options.column_map),
        status_map=dict(options.status_map) or None,
        skip_invalid=options.skip_invalid,
        table=options.table or expected,
    )
    if expected is not None and normalised.table != expected:
        normalised.cleanup()
        raise InputError(
            f"{path}: given as {expected}, but it is a {normalised.table} export "
            f"(preset {normalised.preset})",
            "pass it as a plain file argument: svc load DB FILE…",
        )
    return normalised


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
    inputs = [(Path(f), None) for f in files]
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
        for source, _label in normalised:
            result.warnings += source.warnings
        _load_all(con, config, normalised, shops, options, result, report)
    finally:
        for source, _label in normalised:
            source.cleanup()
    return result


def _load_all(
    con: duckdb.DuckDBPyConnection,
    config: ModelConfig,
    normalised: list[tuple[Normalised, str]],
    shops: Path | None,
    options: LoadOptions,
    result: LoadResult,
    report: Progress,
) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        _check_pseudonymisation(con, options.pseudonym_key)
        if shops is not None:
            _load_shops(con, Path(shops), config, result)
        for source, label in normalised:
            _load_csv(con, source, label, config, options, result, report)
        for temp in ("raw_stage", "typed_stage", "dup_lines", "delta"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")
        con.execute("COMMIT")
    except BaseException as exc:
        con.execute("ROLLBACK")
        for tmp, _target in result.pending_rejects:
            tmp.unlink(missing_ok=True)
        if is_interrupt(exc):
            raise Interrupted("interrupted: nothing was loaded; the database is as it was") from exc
        raise
    for tmp, target in result.pending_rejects:
        os.replace(tmp, target)
