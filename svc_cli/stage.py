"""STAGE: one file's rows, typed and checked, in temporary tables a ``Stage`` owns.

The third step of a load (read → map → stage → merge, see ``svc_cli.load``). A ``Stage``
reads the file with DuckDB (every column as text, explicit CSV options, no sniffing) and
converts each column with checked casts into its typed table, with a ``_bad`` flag per
row. The checks that need the whole file then flag more rows: keys given twice with other
values (``flag_duplicates``), reviews or order updates of unknown orders
(``flag_unknown_orders``). The detail of what is wrong (file, line, column, value, reason)
is only worked out for bad rows, by re-reading them as text (``problems``,
``write_rejects``): the common, valid case pays for one read and one conversion.

Line numbers count the header as line 1. The typed table keeps the file's row order, so a
row's line is ``rowid - first rowid + 2`` (rows created inside a transaction get row ids
from a large offset, not 0).

A ``Stage`` creates, names and drops its tables (``close``; it is a context manager): the
typed rows, the file as text (only when a row is bad), the problems found, the duplicate
check's keys and the merge's delta (``temp_table``), and the table of a preset's rows it
reads (``canonical_rows``). A *persistent* stage is a table of the database itself,
which the merge renames into place when the target table is empty (``svc_cli.merge``):
no copy.

Why not DuckDB's ``read_csv(..., store_rejects=true)`` for errors in the CSV structure
(ragged rows, unclosed quotes, lines over the limit): it records them in a
``reject_errors`` table, with line and error type, instead of failing, but not all of
them — a mix of CRLF and LF under strict mode still fails with a parser-state error, a
last line far over the limit is dropped silently either way (``svc_cli.read`` scans
for it), and a lenient read accepts unclosed quotes and extra fields without a record —
so the translation of DuckDB's error text (``csv_error``) would stay, as a second path.
And a structure error refuses the file anyway: with rejects stored the whole file is read
and converted before the error is seen (one over-long line is reported as four rejects),
and the rows it leaves out would shift the ``rowid`` line numbers of every later row.
"""

from __future__ import annotations

import contextlib
import re
import threading
import zoneinfo
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from svc_cli import shop_ids
from svc_cli.errors import InputError, RowProblem
from svc_cli.i18n import Message
from svc_cli.privacy import pseudonym_sql
from svc_cli.read import (
    ENCODING_HINT,
    MAX_LINE_BYTES,
    CsvHeader,
    LineTooLongError,
    mixed_newlines,
)
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
#: How far past the machine's clock a time must be to be reported as in the future.
FUTURE_SLACK = timedelta(hours=1)
#: Reviews' orders are looked for first among those placed this many days before the
#: first review (then, if any is not found there, among all): speed only, not results.
RECENT_ORDER_DAYS = 90


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
    if kind == "id":  # a NUL byte is no text a merchant typed: a damaged export
        return x, [("contains(v, chr(0))", "contains a NUL byte (a damaged export?)")]
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
        return InputError(f"{where}: bytes that are not UTF-8", ENCODING_HINT)
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


def check_header(table: Table, header: CsvHeader, label: str, merge: bool) -> list[str]:
    """Refuse a header that cannot be staged into ``table`` (a column twice, a required
    one missing; for a ``merge`` file, a column that is not one of the table's); returns
    a warning naming the columns that are ignored."""
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


def _timezone_literal(tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"config: unknown time zone {tz!r}", "e.g. Asia/Shanghai") from exc
    return sql_str(tz)


class MixedNewlines(Exception):
    """A strict read failed on a file with CRLF and LF line ends: load again, leniently."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def line_of(first_rowid: int, alias: str = "") -> str:
    """SQL of a staged row's line number."""
    return f"({alias}rowid - {int(first_rowid)} + 2)"


#: The temporary table of a preset's canonical rows while its file loads.
PRESET_ROWS = "svc_canonical_rows"
_BATCH = "svc_canonical_batch"


def canonical_rows(
    con: duckdb.DuckDBPyConnection,
    batches: Callable[[duckdb.DuckDBPyConnection], Generator[Any, None, None]],
    label: str,
) -> CsvHeader:
    """The canonical rows a preset maps, batch by batch (each read by DuckDB as Arrow),
    into the temporary table ``PRESET_ROWS``: memory holds one batch, DuckDB spills the
    rest. Returns their header, whose relation is that table (the ``Stage`` reading it
    drops it)."""
    con.execute(f"DROP TABLE IF EXISTS {PRESET_ROWS}")
    created = False
    with contextlib.closing(batches(con)) as batch_iter:
        for batch in batch_iter:
            con.register(_BATCH, batch)
            try:
                con.execute(
                    f"INSERT INTO {PRESET_ROWS} SELECT * FROM {_BATCH}"
                    if created
                    else f"CREATE TEMP TABLE {PRESET_ROWS} AS SELECT * FROM {_BATCH}"
                )
            finally:
                con.unregister(_BATCH)
            created = True
    columns = [r[0] for r in con.execute(f"DESCRIBE {PRESET_ROWS}").fetchall()]
    has_rows = scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {PRESET_ROWS} LIMIT 1)") > 0
    return CsvHeader(Path(label), columns, ",", has_rows, relation=PRESET_ROWS)


def _qualified(name: str, temporary: bool) -> str:
    """A table's name in the temporary catalog, or in the database's own schema."""
    return f"temp.main.{name}" if temporary else f"main.{name}"


class Stage:
    """One file's rows for ``table``, typed and checked, in tables this object owns.

    ``read`` fills the typed table from the file of ``header`` (or the relation it
    names); the checks flag bad rows; ``problems`` and ``write_rejects`` say what is
    wrong with them; ``svc_cli.merge`` merges the valid rows (``valid_rows``) into
    ``table``; ``close`` drops every table the stage made.
    """

    #: The stage's tables (one stage at a time per connection).
    TYPED = "typed_stage"
    RAW = "raw_stage"
    PROBLEMS = "problems"

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        table: Table,
        header: CsvHeader | None,
        label: str,
        *,
        timezone: str = "UTC",
        optional: frozenset[str] = frozenset(),
        pseudonym_key: str | None = None,
        persistent: bool = False,
    ) -> None:
        """``header`` is the file's (None: rows given by ``from_columns``); columns in
        ``optional`` may be empty where the canonical format requires them; with a
        ``pseudonym_key`` customer ids are stored as keyed hashes; a ``persistent``
        stage is a table of the database (see ``svc_cli.merge``)."""
        self.con, self.table, self.header, self.label = con, table, header, label
        self.timezone = timezone
        self.persistent = persistent
        self.name = self.TYPED
        self.params: dict[str, object] = {}
        self._tables: list[str] = []  # every table made (or handed over), to drop
        if header is not None and header.relation is not None:
            self._own(header.relation)  # a preset's rows (``canonical_rows``)
        elif header is not None:
            self.params["path"] = str(header.path)
        if pseudonym_key is not None:
            self.params["key"] = pseudonym_key
        self.plan = (
            plan(
                table,
                header,
                _timezone_literal(timezone),
                optional,
                pseudonymize=pseudonym_key is not None,
            )
            if header is not None
            else None
        )
        self.rows_read = 0  #: rows read from the file
        self.duplicates = 0  #: exact copies of an earlier row, dropped
        self.rejected = 0  #: bad rows
        self._first = 0  # row id of line 2 in the typed table
        self._raw_first: int | None = None  # … in the file as text, once read
        self._unexplained = False  # rows bad by conversion, not yet in the problems table

    # --- the tables -----------------------------------------------------------------

    def __enter__(self) -> Stage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
            return
        # after an error DuckDB may have aborted the transaction (its rollback drops the
        # tables): nothing may hide the error itself
        with contextlib.suppress(duckdb.Error):
            self.close()

    def close(self) -> None:
        """Drop every table the stage made (the typed one unless it became the target)."""
        while self._tables:
            self.con.execute(f"DROP TABLE IF EXISTS {self._tables[-1]}")
            self._tables.pop()

    def _own(self, name: str, temporary: bool = True) -> str:
        """Record ``name`` as one of the stage's tables (dropped by ``close``)."""
        if _qualified(name, temporary) not in self._tables:
            self._tables.append(_qualified(name, temporary))
        return name

    def temp_table(
        self, name: str, select: str, params: dict[str, object] | list[object] | None = None
    ) -> str:
        """Create (or replace) the temporary table ``name`` as ``select``; it is the
        stage's, dropped by ``close``. Returns the name."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)
        return self._own(name)

    def _create_typed(self, select: str, on_progress: Callable[[float], None] | None) -> None:
        for temporary in (True, False):  # a temporary table would hide a persistent one
            self.con.execute(f"DROP TABLE IF EXISTS {_qualified(self.name, temporary)}")
        kind = "TABLE main." if self.persistent else "TEMP TABLE "
        self._own(self.name, temporary=not self.persistent)
        execute(self.con, f"CREATE {kind}{self.name} AS {select}", self.params, on_progress)

    @property
    def valid_rows(self) -> str:
        """SQL of the valid staged rows, with the canonical columns."""
        return f"SELECT {', '.join(self.table.column_names)} FROM {self.name} WHERE NOT _bad"

    @property
    def valid(self) -> int:
        """How many staged rows are valid (after the checks)."""
        return self.rows_read - self.duplicates - self.rejected

    # --- reading ----------------------------------------------------------------------

    @classmethod
    def from_columns(
        cls,
        con: duckdb.DuckDBPyConnection,
        table: Table,
        columns: dict[str, list[object]],
        label: str,
    ) -> Stage:
        """A stage of rows given column by column (the shops file, read in Python): all
        valid, with every column of ``table``."""
        stage = cls(con, table, None, label)
        select = ", ".join(f"unnest(${c.name})::{c.sql_type} AS {c.name}" for c in table.columns)
        stage.params = dict(columns)
        stage._create_typed(f"SELECT {select}, false AS _bad", None)
        stage.rows_read = len(next(iter(columns.values()), []))
        return stage

    def read(self, on_progress: Callable[[float], None] | None = None) -> int:
        """Read and convert the file into the typed table (rows of a shop alias stored
        under its shop id); returns the number of rows read. A CSV error is an
        ``InputError`` naming the file and line, or ``MixedNewlines`` when a strict read
        failed on a file that mixes line ends (read it again with ``mixed_newlines``)."""
        header = self.header
        assert header is not None and self.plan is not None
        try:
            self._create_typed(self.plan.select(read_csv_sql(header)), on_progress)
        except duckdb.Error as exc:
            error = csv_error(self.label, exc)
            # no lenient read helps a line too long; and a gzip bomb is not scanned again
            if (
                not isinstance(error, LineTooLongError)
                and header.relation is None
                and not header.mixed_newlines
                and mixed_newlines(header.path)
            ):
                raise MixedNewlines(header.path) from error
            raise error from exc
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {self._own(self.PROBLEMS)} "
            '(_line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)'
        )
        shop_ids.rekey_stage(self.con, self.name)
        self.rows_read, first, bad = self.con.execute(
            f"SELECT count(*), min(rowid), count(*) FILTER (_bad) FROM {self.name}"
        ).fetchone() or (0, None, 0)
        self._first = int(first) if first is not None else 0
        self.rejected = int(bad)
        self._unexplained = bool(bad)
        if self.rows_read == 0 and header.has_body:
            raise InputError(
                f"{self.label}: no row could be read after the header",
                "is a line longer than 2 MB (a field with a runaway quote, or a damaged file)?",
            )
        return int(self.rows_read)

    # --- the checks ---------------------------------------------------------------------

    def flag(
        self, column: str, value_sql: str, reason_sql: str, where: str, join: str | None = None
    ) -> int:
        """Mark the good staged rows matching ``where`` as bad, recording a problem each
        (``join`` adds a table the value and reason may use); returns how many."""
        t = self.name
        source = f"{t} JOIN {join}" if join else t
        self.con.execute(f"""
            INSERT INTO {self.PROBLEMS}
            SELECT {line_of(self._first, f"{t}.")}, {sql_str(column)}, {value_sql}, {reason_sql}
            FROM {source} WHERE NOT {t}._bad AND ({where})""")
        flagged = self.con.execute(f"UPDATE {t} SET _bad = true WHERE NOT _bad AND ({where})")
        n = int((flagged.fetchone() or (0,))[0])
        self.rejected += n
        return n

    def flag_duplicates(self) -> int:
        """Rows sharing a key: exact copies are dropped (their count is returned); copies
        with other values are bad rows naming the first line of the key."""
        table, t = self.table, self.name
        keys = ", ".join(table.key)
        dup_keys = self.temp_table(
            "dup_keys",
            f"SELECT {keys} FROM {t} WHERE NOT _bad GROUP BY {keys} HAVING count(*) > 1",
        )
        if not scalar(self.con, f"SELECT count(*) FROM {dup_keys}"):
            return 0
        # aggregations only (they spill to disk under --memory-limit; window functions over
        # one key's millions of copies did not): the distinct variants of each duplicated key
        cols = ", ".join(table.column_names)
        match = " AND ".join(f"s.{k} = d.{k}" for k in table.key)
        variants = self.temp_table(
            "dup_variants",
            f"""SELECT {keys}, count(*) AS variants, min(first_rid) AS first_rid
            FROM (SELECT {cols}, min(rowid) AS first_rid FROM {t} s
                  WHERE NOT s._bad AND EXISTS (SELECT 1 FROM {dup_keys} d WHERE {match})
                  GROUP BY {cols})
            GROUP BY {keys}""",
        )
        copies = f"""{variants} d
            WHERE {match.replace("s.", f"{t}.")} AND d.variants = 1
            AND {t}.rowid > d.first_rid AND NOT {t}._bad"""
        deleted = self.con.execute(f"DELETE FROM {t} USING {copies}").fetchone()
        self.duplicates = int(deleted[0]) if deleted else 0
        dup_rows = self.temp_table(
            "dup_rows",
            f"""SELECT s.rowid AS rid, (d.first_rid - {int(self._first)} + 2) AS first_line
            FROM {t} s JOIN {variants} d ON {match}
            WHERE NOT s._bad AND d.variants > 1 AND s.rowid > d.first_rid""",
        )
        key = table.key[-1]
        self.flag(
            key,
            f"{t}.{key}",
            "'duplicate key with different values (first on line ' || d.first_line || ')'",
            f"{t}.rowid IN (SELECT rid FROM {dup_rows})",
            join=f"{dup_rows} d ON d.rid = {t}.rowid",
        )
        return self.duplicates

    def flag_unknown_orders(self, reason: str, nullable: bool) -> None:
        """Rows whose (shop_id, order_id) is not a loaded order are bad (with
        ``nullable``, rows without an order id are not checked)."""
        t = self.name
        missing = (
            f"NOT EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = {t}.shop_id "
            f"AND o.order_id = {t}.order_id)"
        )
        where = f"order_id IS NOT NULL AND {missing}" if nullable else missing
        # the common case, no orphan, is checked with an anti join (twice as fast as NOT EXISTS)
        unfound = (
            f"SELECT count(*) FROM {t} s ANTI JOIN {{orders}} o "
            "ON o.shop_id = s.shop_id AND o.order_id = s.order_id "
            f"WHERE NOT s._bad{' AND s.order_id IS NOT NULL' if nullable else ''}"
        )
        if self.table is REVIEWS:
            # reviews are of recent orders: looked for first among the orders placed at
            # most RECENT_ORDER_DAYS before the first review (the zone maps of the
            # time-ordered table skip the older row groups); only when some are not
            # found there is every order read
            since = f"(SELECT min(created_at) FROM {t} WHERE NOT _bad) - INTERVAL {RECENT_ORDER_DAYS} DAY"
            recent = f"(SELECT shop_id, order_id FROM orders WHERE ordered_at >= {since})"
            if not scalar(self.con, unfound.format(orders=recent)):
                return
        if scalar(self.con, unfound.format(orders="orders")):
            self.flag("order_id", "order_id", sql_str(reason), where)

    def future_times(self) -> str | None:
        """A warning when valid staged rows carry times after the machine's clock (in the
        shop's time zone): the default as-of is the latest time loaded, so they move it."""
        columns = [c.name for c in self.table.columns if c.kind == "timestamp"]
        latest = f"greatest({', '.join(columns)})"
        now = datetime.now(zoneinfo.ZoneInfo(self.timezone)).replace(tzinfo=None) + FUTURE_SLACK
        n, last = self.con.execute(
            f"SELECT count(*), max({latest}) FROM {self.name} WHERE NOT _bad AND {latest} > ?",
            [now],
        ).fetchone() or (0, None)
        if not n:
            return None
        return Message("future_times", file=self.label, count=str(n), latest=str(last))

    def shops(self) -> list[str]:
        """The shops of the valid staged rows."""
        rows = self.con.execute(f"SELECT DISTINCT shop_id FROM {self.name} WHERE NOT _bad")
        return [r[0] for r in rows.fetchall()]

    # --- what is wrong ------------------------------------------------------------------

    def _read_raw(self) -> int:
        """The file again, as text (only needed for bad rows); returns its first row id."""
        if self._raw_first is None:
            assert self.header is not None
            raw = self.temp_table(
                self.RAW,
                "SELECT * FROM " + read_csv_sql(self.header),
                {k: v for k, v in self.params.items() if k == "path"},
            )
            first = scalar(self.con, f"SELECT min(rowid) FROM {raw}")
            self._raw_first = int(first) if first is not None else 0
        return self._raw_first

    def _explain(self) -> None:
        """Record what is wrong with each row the conversion found bad (read again)."""
        if not self._unexplained:
            return
        assert self.plan is not None
        raw_first = self._read_raw()
        structs = ", ".join(
            f"CASE WHEN {c.condition} THEN {{'column': {sql_str(c.column)}, 'value': "
            f"{'raw_' + c.column if c.shows_value else 'NULL'}, 'reason': {sql_str(c.reason)}}} END"
            for c in self.plan.checks
        )
        inner = ", ".join(self.plan.inner)
        self.con.execute(f"""
            INSERT INTO {self.PROBLEMS}
            SELECT _line, p.column, p.value, p.reason FROM (
              SELECT _line, unnest(list_filter([{structs}], lambda p: p IS NOT NULL)) AS p
              FROM (SELECT {line_of(raw_first)} AS _line, {inner} FROM {self.RAW})
              WHERE _line IN (
                SELECT {line_of(self._first)} FROM {self.name}
                WHERE _bad EXCEPT SELECT _line FROM {self.PROBLEMS}))""")
        self._unexplained = False

    def problems(self, limit: int) -> list[RowProblem]:
        """The first ``limit`` problems of the bad rows (by line and column)."""
        self._explain()
        rows = self.con.execute(
            f'SELECT _line, "column", value, reason FROM {self.PROBLEMS} '
            'ORDER BY _line, "column" LIMIT $n',
            {"n": limit},
        ).fetchall()
        return [
            RowProblem(self.label, line, col, value, reason) for line, col, value, reason in rows
        ]

    def write_rejects(self, path: Path) -> None:
        """Write the bad rows as read (under the file's own column names) with their line
        and errors to ``path`` (a CSV)."""
        assert self.header is not None
        self._explain()
        raw_first = self._read_raw()
        raw = ", ".join(
            f'r.c{i} AS "{name.replace(chr(34), chr(34) * 2)}"'
            for i, name in enumerate(self.header.columns)
        )
        self.con.execute(f"""
            COPY (
              SELECT b._line AS line, e.errors, {raw}
              FROM (SELECT {line_of(self._first)} AS _line FROM {self.name} WHERE _bad) b
              JOIN (SELECT _line, string_agg("column" || ': ' || reason, '; ' ORDER BY "column")
                      AS errors FROM {self.PROBLEMS} GROUP BY _line) e USING (_line)
              JOIN (SELECT {line_of(raw_first)} AS _line, * FROM {self.RAW}) r USING (_line)
              ORDER BY line
            ) TO {sql_str(str(path))} (FORMAT csv, HEADER true, USE_TMP_FILE false)""")
