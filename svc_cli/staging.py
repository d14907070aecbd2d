"""Staging one canonical CSV: typed, checked rows in a temporary table, in one pass.

``stage`` reads the file with DuckDB (every column as text, explicit CSV options, no
sniffing) and converts each column with checked casts into ``typed_stage``, with a
``_bad`` flag per row. The detail of what is wrong (column, value, reason) is only
worked out for bad rows, by re-reading them (``explain_bad_rows``): the common, valid
case pays for one read and one conversion, nothing more.

Line numbers count the header as line 1. ``typed_stage`` keeps the file's row order, so a
row's line is ``rowid - first rowid + 2`` (rows created inside a transaction get row ids
from a large offset, not 0).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from svc_cli.csvfile import MAX_LINE_BYTES, CsvHeader, LineTooLongError
from svc_cli.errors import InputError, RowProblem
from svc_cli.privacy import pseudonym_sql
from svc_cli.schema import REVIEWS, Column, Table
from svc_cli.store import scalar

# a time with an offset (Z, +08:00), UTC/GMT or a zone name (Area/City): converted to
# the shop's time zone; a zone abbreviation (CST: China or US Central?) is refused
_TS_OFFSET = (
    r"(?i)\d[T ]\d{1,2}:\d\d(:\d\d(\.\d+)?)?\s*"
    r"(Z|[+-]\d\d(:?\d\d)?|UTC|GMT|[A-Z]+/[A-Z0-9_/+-]+)\s*$"
)
_TS_ZONE_WORD = r"[A-Za-z]\s*$"
_CSV_ERROR = re.compile(r"CSV Error on Line: (\d+)")
PROBLEMS_DDL = (
    "CREATE OR REPLACE TEMP TABLE problems "
    '(_line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)'
)


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _whole(x: str, sql_type: str) -> str:
    """Cast text to an integer type only if it is a whole number ("2", "2.0", not "1.5":
    a plain cast would round)."""
    return f"CASE WHEN try_cast({x} AS DOUBLE) % 1 = 0 THEN try_cast({x} AS {sql_type}) END"


def _convert(col: Column, x: str, tz: str) -> tuple[str, list[tuple[str, str]]]:
    """SQL converting trimmed text ``x`` to the column's type, and (condition, reason)
    pairs that flag an invalid value (evaluated on the converted value ``v``)."""
    kind = col.kind
    if kind == "timestamp":
        # cheap test first: the canonical 'YYYY-MM-DD HH:MM:SS' (19 characters, ':' 17th)
        # carries no offset; only other text goes through the regex
        maybe_offset = f"(length({x}) <> 19 OR {x}[17] <> ':')"
        conv = (
            f"CASE WHEN {maybe_offset} AND regexp_matches({x}, '{_TS_OFFSET}') "
            f"THEN timezone({tz}, try_cast({x} AS TIMESTAMPTZ)) "
            f"ELSE try_cast({x} AS TIMESTAMP) END"
        )
        # what DuckDB would read as a time but is not one: infinity, epoch, …
        special = "v IS NOT NULL AND NOT (ltrim(RAW)[1] BETWEEN '0' AND '9')"
        zone_word = (
            f"v IS NOT NULL AND length(RAW) <> 19 AND regexp_matches(RAW, '{_TS_ZONE_WORD}') "
            f"AND NOT regexp_matches(RAW, '{_TS_OFFSET}')"
        )
        return conv, [
            ("v IS NULL", "not a date/time (expected YYYY-MM-DD HH:MM:SS)"),
            (special, "not a date (special values such as infinity or epoch are refused)"),
            (
                zone_word,
                "a time zone abbreviation is ambiguous (CST: China or US?); give an offset "
                "such as +08:00 or a zone name such as Asia/Shanghai",
            ),
        ]
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
        choices = ", ".join(sql_str(c) for c in col.choices)
        return f"lower({x})", [
            (f"v NOT IN ({choices})", f"must be one of {', '.join(col.choices)}")
        ]
    return x, []


@dataclass(frozen=True)
class Check:
    """One way a value can be wrong: a SQL condition over ``raw_<col>``/``v_<col>``."""

    column: str
    condition: str
    reason: str
    shows_value: bool = True


@dataclass(frozen=True)
class Plan:
    """How one file's columns become canonical columns."""

    inner: list[str]  # text and converted values, per column present in the file
    outer: list[str]  # the canonical columns of typed_stage
    checks: list[Check]

    def select(self, source: str) -> str:
        bad = " OR ".join(f"({c.condition})" for c in self.checks) or "false"
        inner = ", ".join(self.inner)
        return f"SELECT {', '.join(self.outer)}, {bad} AS _bad FROM (SELECT {inner} FROM {source})"


def plan(
    table: Table,
    header: CsvHeader,
    tz: str,
    optional: frozenset[str] = frozenset(),
    pseudonymize: bool = False,
) -> Plan:
    """The conversion of a file with ``header`` to ``table``. Columns in ``optional`` may
    be empty where the canonical format requires them; ``pseudonymize`` hashes customer
    ids with the ``$key`` parameter."""
    present = {name.lower(): i for i, name in enumerate(header.columns)}
    inner: list[str] = []
    outer: list[str] = []
    checks: list[Check] = []
    for col in table.columns:
        idx = present.get(col.name)
        if idx is None:
            inner.append(f"NULL::{col.sql_type} AS v_{col.name}")
        else:
            # ids and enums are trimmed; casts to numbers and times skip blanks themselves
            trimmed = col.kind in ("id", "enum", "bool")
            # a byte-order mark inside the file (files joined with cat) is not part of an id
            x = f"nullif(trim(c{idx}, ' ' || chr(65279)), '')" if trimmed else f"nullif(c{idx}, '')"
            conv, rules = _convert(col, x, tz)
            inner += [f"{x} AS raw_{col.name}", f"{conv} AS v_{col.name}"]
            if col.required and col.name not in optional:
                checks.append(
                    Check(col.name, f"raw_{col.name} IS NULL", "required value is missing", False)
                )
            for cond, reason in rules:
                cond_sql = re.sub(r"\bv\b", f"v_{col.name}", cond).replace("RAW", f"raw_{col.name}")
                checks.append(
                    Check(col.name, f"raw_{col.name} IS NOT NULL AND ({cond_sql})", reason)
                )
        value = f"v_{col.name}"
        if col.default:
            value = f"coalesce({value}, {col.default}::{col.sql_type})"
        if col.name == "customer_id" and pseudonymize:
            value = pseudonym_sql(value)
        if table is REVIEWS and col.name == "review_id":  # synthesised when absent
            value = (
                "coalesce(v_review_id, 'h' || md5(concat_ws('|', v_shop_id, v_order_id, "
                "v_created_at, v_rating, v_text)))"
            )
        outer.append(f"{value}::{col.sql_type} AS {col.name}")
    return Plan(inner, outer, checks)


def read_csv_sql(header: CsvHeader) -> str:
    """``read_csv`` of the body of a file with ``header``: every column as text ``c<i>``,
    explicit options (no sniffing), strict about quotes and field counts. A preset's
    frame (``header.relation``) is read the same way: its columns as text ``c<i>``."""
    if header.relation is not None:
        names = ", ".join(
            f'"{c.replace(chr(34), chr(34) * 2)}"::VARCHAR AS c{i}'
            for i, c in enumerate(header.columns)
        )
        return f"(SELECT {names} FROM {header.relation})"
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header.columns))) + "}"
    delim = "\\t" if header.delimiter == "\t" else ","
    # DuckDB's strict mode refuses mixed line ends; its lenient mode still refuses ragged
    # rows and broken quotes
    strict = "false" if header.mixed_newlines else "true"
    return (
        f"read_csv($path, header=true, auto_detect=false, delim=E'{delim}', quote='\"', "
        f"escape='\"', strict_mode={strict}, compression='{header.compression}', "
        f"max_line_size={MAX_LINE_BYTES}, columns={columns})"
    )


def execute(
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


def csv_error(label: str, exc: duckdb.Error) -> InputError:
    """A DuckDB CSV reader error as a message naming the file and line."""
    text = str(exc)
    match = _CSV_ERROR.search(text)
    where = f"{label}:{match.group(1)}" if match else label
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    too_long = re.search(r"Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+)", text)
    if too_long:
        return LineTooLongError(
            f"{where}: the line is {int(too_long.group(2)):,} bytes long; svc reads lines of at "
            f"most {int(too_long.group(1)):,} bytes",
            "is a quote never closed, or a cell holding a huge text? shorten or remove it",
        )
    if "Parallel CSV Reader currently does not support" in text:  # a line too long to split
        return LineTooLongError(
            f"{label}: a line is longer than {MAX_LINE_BYTES:,} bytes; svc reads lines of at "
            f"most {MAX_LINE_BYTES:,} bytes",
            "is a quote never closed, or a cell holding a huge text? shorten or remove it",
        )
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


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE IF EXISTS temp.main.typed_stage")
    con.execute("DROP TABLE IF EXISTS main.typed_stage")


def stage(
    con: duckdb.DuckDBPyConnection,
    conversion: Plan,
    header: CsvHeader,
    params: dict[str, object],
    label: str,
    on_progress: Callable[[float], None] | None = None,
    persistent: bool = False,
) -> int:
    """Read and convert the file into ``typed_stage``; returns the first row id.

    A ``persistent`` stage is a table of the database itself, which can become the target
    table without a copy (see ``load``); otherwise it is a temporary table."""
    drop_stage(con)
    kind = "TABLE main." if persistent else "TEMP TABLE "
    sql = f"CREATE {kind}typed_stage AS " + conversion.select(read_csv_sql(header))
    try:
        execute(con, sql, params, on_progress)
    except duckdb.Error as exc:
        raise csv_error(label, exc) from exc
    con.execute(PROBLEMS_DDL)
    first = scalar(con, "SELECT min(rowid) FROM typed_stage")
    return int(first) if first is not None else 0


def line_of(first_rowid: int, alias: str = "") -> str:
    """SQL of a staged row's line number."""
    return f"({alias}rowid - {int(first_rowid)} + 2)"


def read_raw(con: duckdb.DuckDBPyConnection, header: CsvHeader, params: dict[str, object]) -> int:
    """The file again, as text, in ``raw_stage`` (only needed for bad rows); returns its
    first row id."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw_stage AS SELECT * FROM " + read_csv_sql(header),
        {k: v for k, v in params.items() if k == "path"},
    )
    first = scalar(con, "SELECT min(rowid) FROM raw_stage")
    return int(first) if first is not None else 0


def explain_bad_rows(
    con: duckdb.DuckDBPyConnection, conversion: Plan, first_rowid: int, raw_first: int
) -> None:
    """Record in ``problems`` what is wrong with each bad row not yet explained (the file
    must be in ``raw_stage``, see ``read_raw``)."""
    structs = ", ".join(
        f"CASE WHEN {c.condition} THEN {{'column': {sql_str(c.column)}, 'value': "
        f"{'raw_' + c.column if c.shows_value else 'NULL'}, 'reason': {sql_str(c.reason)}}} END"
        for c in conversion.checks
    )
    inner = ", ".join(conversion.inner)
    con.execute(f"""
        INSERT INTO problems
        SELECT _line, p.column, p.value, p.reason FROM (
          SELECT _line, unnest(list_filter([{structs}], lambda p: p IS NOT NULL)) AS p
          FROM (SELECT {line_of(raw_first)} AS _line, {inner} FROM raw_stage)
          WHERE _line IN (
            SELECT {line_of(first_rowid)} FROM typed_stage
            WHERE _bad EXCEPT SELECT _line FROM problems))""")


def flag(
    con: duckdb.DuckDBPyConnection,
    first_rowid: int,
    column: str,
    value_sql: str,
    reason_sql: str,
    where: str,
    join: str | None = None,
) -> None:
    """Mark the good staged rows matching ``where`` as bad, recording a problem each
    (``join`` adds a table the value and reason may use)."""
    source = f"typed_stage JOIN {join}" if join else "typed_stage"
    con.execute(f"""
        INSERT INTO problems
        SELECT {line_of(first_rowid, "typed_stage.")}, {sql_str(column)}, {value_sql}, {reason_sql}
        FROM {source} WHERE NOT typed_stage._bad AND ({where})""")
    con.execute(f"UPDATE typed_stage SET _bad = true WHERE NOT _bad AND ({where})")


def problems(con: duckdb.DuckDBPyConnection, label: str, limit: int) -> list[RowProblem]:
    """The first ``limit`` recorded problems."""
    rows = con.execute(
        'SELECT _line, "column", value, reason FROM problems ORDER BY _line, "column" LIMIT $n',
        {"n": limit},
    ).fetchall()
    return [RowProblem(label, line, col, value, reason) for line, col, value, reason in rows]


def write_rejects(
    con: duckdb.DuckDBPyConnection, header: CsvHeader, first_rowid: int, raw_first: int, tmp: str
) -> None:
    """Write the bad rows as read (under the file's own column names) with their line and
    errors to ``tmp`` (renamed into place once the load commits); the file must be in
    ``raw_stage``."""
    raw = ", ".join(
        f'r.c{i} AS "{name.replace(chr(34), chr(34) * 2)}"' for i, name in enumerate(header.columns)
    )
    con.execute(f"""
        COPY (
          SELECT b._line AS line, e.errors, {raw}
          FROM (SELECT {line_of(first_rowid)} AS _line FROM typed_stage WHERE _bad) b
          JOIN (SELECT _line, string_agg("column" || ': ' || reason, '; ' ORDER BY "column")
                  AS errors FROM problems GROUP BY _line) e USING (_line)
          JOIN (SELECT {line_of(raw_first)} AS _line, * FROM raw_stage) r USING (_line)
          ORDER BY line
        ) TO {sql_str(tmp)} (FORMAT csv, HEADER true, USE_TMP_FILE false)""")
