"""STAGE: one file's rows, typed and checked, in temporary tables a ``Stage`` owns.

The third step of a load (read → map → stage → merge, see ``svc_cli.load``). A ``Stage``
reads the file with DuckDB (every column as text, explicit CSV options, no sniffing), or
a platform export's mapped rows as a stream (``MappedRows``), and converts each column
with checked casts into its typed table, with a ``_bad`` flag per row. A CSV is first
read with the reader parsing its times and amounts itself (``plan(typed=True)``: the
fast path, nearly a plain typed ``read_csv``); a value that read cannot take as the
checked conversion would is read again the checked way. The checks that
need the whole file then flag more rows: keys given twice with other values
(``flag_duplicates``), reviews or order updates of unknown orders
(``flag_unknown_orders``). The detail of what is wrong (file, line, column, value, reason)
is only worked out for bad rows, by re-reading them as text (``problems``,
``write_rejects``): the common, valid case pays for one read and one conversion. Which
of the columns an indicator needs are blank in every valid row is one aggregate
(``look_at_valid_rows``, with the checks of their times): they count as provided (spec
§10), and the load warns of them.

Line numbers count the header as line 1. The typed table keeps the file's row order, so a
row's line is ``rowid - first rowid + 2`` (rows created inside a transaction get row ids
from a large offset, not 0); a platform export's rows carry their line in the source
(``_line``: a row the preset skipped, or an order of several lines, does not shift it).

A ``Stage`` creates, names and drops its tables (``close``; it is a context manager): the
typed rows, the file as text (only when a row is bad), the problems found, the duplicate
check's keys and the merge's delta (``temp_table``). A *persistent* stage is a table of
the database itself, which the merge renames into place when the target table is empty
(``svc_cli.merge``): no copy.

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
import difflib
import itertools
import re
import threading
import zoneinfo
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from svc_cli import shop_ids
from svc_cli.errors import InputError, RowProblem
from svc_cli.i18n import LABELS, Message, Verbatim, listed
from svc_cli.privacy import pseudonym_sql
from svc_cli.queries import HAS_ORDERS
from svc_cli.read import (
    CELL_STRIP,
    ENCODING_HINT,
    MAX_LINE_BYTES,
    CsvHeader,
    LineTooLongError,
    mixed_newlines,
    tail_check,
)
from svc_cli.schema import KEY_HASH, ORDERS, REVIEWS, Column, Table
from svc_cli.store import STREAM_MEMORY, memory_at_most, scalar

# a time with an offset (Z, +08:00), UTC/GMT or a zone name (Area/City): converted to
# the shop's time zone; a zone abbreviation (CST: China or US Central?) is refused
_TS_OFFSET = (
    r"(?i)\d[T ]\d{1,2}:\d\d(:\d\d(\.\d+)?)?\s*"
    r"(Z|[+-]\d\d(:?\d\d)?|UTC|GMT|[A-Z]+/[A-Z0-9_/+-]+)\s*$"
)
_TS_ZONE_WORD = r"[A-Za-z]\s*$"
#: An id in a spreadsheet's scientific notation (its digits are lost).
_SCI_ID = r"\d(\.\d+)?[eE]\+\d+"
#: A 12-hour time: DuckDB's cast drops the AM/PM (3:32 PM would be 03:32).
_TS_TWELVE_HOUR = r"(?i)\d\s*[ap]\.?m\.?\s*$"
_CSV_ERROR = re.compile(r"CSV Error on Line: (\d+)")
#: (later, earlier): an order's times that cannot come before the one they follow.
TIME_ORDER = (
    ("paid_at", "ordered_at"),
    ("shipped_at", "paid_at"),
    ("delivered_at", "shipped_at"),
    ("refund_completed_at", "refund_requested_at"),
)
#: How far past the machine's clock a time must be to be reported as in the future.
FUTURE_SLACK = timedelta(hours=1)
#: Reviews' orders are looked for first among those placed this many days before the
#: first review (then, if any is not found there, among all): speed only, not results.
RECENT_ORDER_DAYS = 90


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


#: A flag's words (any case): true, false.
BOOL_WORDS: dict[bool, tuple[str, ...]] = {
    True: ("true", "t", "1", "yes", "y"),
    False: ("false", "f", "0", "no", "n"),
}


def _whole(x: str, sql_type: str) -> str:
    """Cast text to an integer type only if it is a whole number ("2", "2.0", not "1.5":
    a plain cast would round)."""
    return f"CASE WHEN try_cast({x} AS DOUBLE) % 1 = 0 THEN try_cast({x} AS {sql_type}) END"


def _convert(col: Column, x: str, tz: str) -> tuple[str, list[tuple[str, str]]]:
    """SQL converting trimmed text ``x`` to the column's type, and (condition, reason)
    pairs that flag an invalid value (evaluated on the converted value ``v``)."""
    kind = col.kind
    if kind == "timestamp":
        # Costly tests only in a CASE: DuckDB computes every operand of an AND or OR in a
        # select list for every row, a CASE its THEN only for the rows its WHEN selects.
        # The canonical 'YYYY-MM-DD HH:MM:SS' (19 bytes, ':' 17th) carries no offset: only
        # other text goes through the regex
        conv = (
            f"CASE WHEN strlen({x}) = 19 AND substr({x}, 17, 1) = ':' "
            f"THEN try_cast({x} AS TIMESTAMP) "
            f"WHEN regexp_matches({x}, '{_TS_OFFSET}') "
            f"THEN timezone({tz}, try_cast({x} AS TIMESTAMPTZ)) "
            f"ELSE try_cast({x} AS TIMESTAMP) END"
        )
        # what DuckDB would read as a time but is not one: infinity, epoch, … (the cheap
        # test first: text starting with a digit is none of them)
        special = (
            "CASE WHEN v IS NOT NULL AND NOT (RAW >= '0' AND RAW < ':') "
            "THEN NOT (ltrim(RAW)[1] BETWEEN '0' AND '9') ELSE false END"
        )
        zone_word = (
            "CASE WHEN v IS NOT NULL AND strlen(RAW) <> 19 "
            f"THEN regexp_matches(RAW, '{_TS_ZONE_WORD}') AND NOT regexp_matches(RAW, '{_TS_OFFSET}') "
            f"AND NOT regexp_matches(RAW, '{_TS_TWELVE_HOUR}') ELSE false END"
        )
        twelve_hour = (
            "CASE WHEN v IS NOT NULL AND strlen(RAW) <> 19 "
            f"THEN regexp_matches(RAW, '{_TS_TWELVE_HOUR}') ELSE false END"
        )
        return conv, [
            ("v IS NULL", Message("reason.not_a_time")),
            (special, Message("reason.special_time")),
            (zone_word, Message("reason.zone_abbreviation")),
            (twelve_hour, Message("reason.twelve_hour")),
        ]
    if kind == "money":
        return f"try_cast({x} AS DECIMAL(18,2))", [
            ("v IS NULL", Message("reason.not_an_amount")),
            ("v < 0", Message("reason.negative")),
        ]
    if kind == "count":
        return _whole(x, "INTEGER"), [
            ("v IS NULL", Message("reason.not_whole")),
            ("v < 1", Message("reason.at_least_one")),
        ]
    if kind == "rating":
        return _whole(x, "TINYINT"), [
            ("v IS NULL OR v NOT BETWEEN 1 AND 5", Message("reason.rating"))
        ]
    if kind == "seconds":
        return f"try_cast({x} AS DOUBLE)", [
            ("v IS NULL OR NOT isfinite(v) OR v < 0", Message("reason.seconds"))
        ]
    if kind == "score100":
        return f"try_cast({x} AS DOUBLE)", [
            ("v IS NULL OR NOT v BETWEEN 0 AND 100", Message("reason.score100"))
        ]
    if kind == "bool":
        conv = (
            f"CASE WHEN lower({x}) IN ({_words(True)}) THEN true "
            f"WHEN lower({x}) IN ({_words(False)}) THEN false END"
        )
        return conv, [("v IS NULL", Message("reason.bool"))]
    if kind == "enum":
        choices = ", ".join(sql_str(c) for c in col.choices)
        one_of = Message("reason.one_of", choices=listed(col.choices))
        return f"lower({x})", [(f"v NOT IN ({choices})", one_of)]
    if kind == "id":  # a NUL byte is no text a merchant typed: a damaged export
        # nor is 1.00055E+18, a long numeric id a spreadsheet rounded (the cheap test first)
        rounded = (
            f"CASE WHEN contains(v, '+') THEN regexp_full_match(v, '{_SCI_ID}') ELSE false END"
        )
        return x, [
            ("contains(v, chr(0))", Message("reason.nul_byte")),
            (rounded, Message("preset_reason.sci_id")),
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
    outer: list[str]  # the columns of typed_stage: canonical, given, the key hash
    checks: list[Check]
    lines: bool = False  # whether the rows carry their source line (``_line``)
    #: columns read as values, not text (index -> SQL type): parsed by the CSV reader
    #: (a ``typed`` plan), or handed over typed by a preset (``native``)
    typed: dict[int, str] = field(default_factory=dict)

    def select(self, source: str) -> str:
        bad = " OR ".join(f"({c.condition})" for c in self.checks) or "false"
        line = ["_line"] if self.lines else []
        inner = ", ".join(line + self.inner)
        return f"SELECT {', '.join(self.outer + line)}, {bad} AS _bad FROM (SELECT {inner} FROM {source})"


def _words(value: bool, cases: bool = False) -> str:
    """SQL list of a flag's words for ``value`` (lower case; with ``cases`` also
    Capitalised and UPPER)."""
    words = BOOL_WORDS[value]
    if cases:
        words = tuple(dict.fromkeys(f(w) for w in words for f in (str, str.capitalize, str.upper)))
    return ", ".join(sql_str(w) for w in words)


def _exact(col: Column, x: str) -> tuple[str, list[tuple[str, str]]]:
    """A typed read's conversion of a choice or flag ``x`` (``_convert``'s kinds "enum"
    and "bool"): the text as written, untrimmed, a choice in lower case, a flag's word
    in lower, Capitalised or UPPER case. Any other value makes its row *undecided* (the
    check gives NULL) and the file is read again the checked way, which trims and
    lowers: trimming and lowering every value cost ~7% of a load."""
    if col.kind == "enum":
        choices = ", ".join(sql_str(c) for c in col.choices)
        one_of = Message("reason.one_of", choices=listed(col.choices))
        return x, [(f"CASE WHEN v IN ({choices}) THEN false END", one_of)]
    conv = (
        f"CASE WHEN {x} IN ({_words(True, cases=True)}) THEN true "
        f"WHEN {x} IN ({_words(False, cases=True)}) THEN false END"
    )
    return conv, [("CASE WHEN v IS NOT NULL THEN false END", Message("reason.bool"))]


def given_column(column: str) -> str:
    """The staged column with the file's own value of ``column`` (see ``plan``'s ``given``)."""
    return f"_given_{column}"


#: What the CSV reader parses itself in a typed read: times in the canonical form, amounts.
TYPED_KINDS = {"timestamp": "TIMESTAMP", "money": "DECIMAL(18,2)"}
#: Times a typed read accepts that the checked conversion refuses: special values.
SPECIAL_TIMES = "(isinf({c}) OR {c} = TIMESTAMP '1970-01-01 00:00:00')"


def plan(
    table: Table,
    header: CsvHeader,
    tz: str,
    optional: frozenset[str] = frozenset(),
    pseudonymize: bool = False,
    typed: bool = False,
    given: frozenset[str] = frozenset(),
    native: frozenset[str] = frozenset(),
) -> Plan:
    """The conversion of a file with ``header`` to ``table``. Columns in ``optional`` may
    be empty where the canonical format requires them; ``pseudonymize`` hashes customer
    ids with the ``$key`` parameter; a column in ``given`` that has a default keeps the
    file's own value too, as ``_given_<column>`` (NULL where blank: the default hides it).

    A ``typed`` plan lets the CSV reader parse times (in the canonical form only) and
    amounts itself, which is much faster than text and checked casts. The reader accepts
    a subset of what the checked conversion accepts, as the same values, except the
    special times (``SPECIAL_TIMES``); it takes choices and flags only as the canonical
    format writes them (``_exact``: a row with another spelling is undecided, its
    ``_bad`` NULL). It must be read with rejects stored, and any reject, special time
    or undecided row means the file is read again with the checked plan.

    The columns in ``native`` come as values, not text (a preset's mapped rows hand over
    the times, amounts and counts it parsed): converted and checked as they are (a time
    as it is: the preset checked it)."""
    present = {name.lower(): i for i, name in enumerate(header.columns)}
    typed_columns: dict[int, str] = {}
    inner: list[str] = []
    outer: list[str] = []
    checks: list[Check] = []
    for col in table.columns:
        idx = present.get(col.name)
        if idx is None:
            inner.append(f"NULL::{col.sql_type} AS v_{col.name}")
        elif typed and col.kind in TYPED_KINDS:
            typed_columns[idx] = TYPED_KINDS[col.kind]
            inner += [f"c{idx} AS raw_{col.name}", f"c{idx} AS v_{col.name}"]
            if col.required and col.name not in optional:
                checks.append(
                    Check(col.name, f"raw_{col.name} IS NULL", Message("reason.required"), False)
                )
            if col.kind == "money":
                negative = f"v_{col.name} IS NOT NULL AND v_{col.name} < 0"  # blank: default
                checks.append(Check(col.name, negative, Message("reason.negative")))
        else:
            # ids, codes and choices are trimmed (a typed read takes choices as written:
            # ``_exact``); casts to numbers and times skip blanks themselves
            trimmed = col.kind in ("id", "code") or (not typed and col.kind in ("enum", "bool"))
            c = f"c{idx}"
            if col.name in native:  # a value, not text: converted and checked as it is
                typed_columns[idx] = col.sql_type
                x = c
            elif trimmed and header.relation is None:  # mapped rows: trimmed when read
                x = f"nullif({trimmed_sql(c)}, '')"
            else:
                x = f"nullif({c}, '')"
            rules: list[tuple[str, str]] = []
            if col.name in native and col.kind == "timestamp":  # checked by the preset
                conv = x
            elif typed and col.kind in ("enum", "bool"):
                conv, rules = _exact(col, x)
            else:
                conv, rules = _convert(col, x, tz)
            inner += [f"{x} AS raw_{col.name}", f"{conv} AS v_{col.name}"]
            if col.required and col.name not in optional:
                checks.append(
                    Check(col.name, f"raw_{col.name} IS NULL", Message("reason.required"), False)
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
        if col.default and col.name in given and idx is not None:
            outer.append(f"v_{col.name}::{col.sql_type} AS {given_column(col.name)}")
    if table.key_hash:  # of the id columns just made (an alias names the value before it)
        outer.append(f"{table.key_hash_sql()} AS {KEY_HASH}")
    return Plan(inner, outer, checks, lines=header.relation is not None, typed=typed_columns)


#: ``CELL_STRIP`` as SQL: whitespace and the byte-order mark.
_STRIP_SQL = " || ".join(f"chr({ord(ch)})" for ch in CELL_STRIP)


def trimmed_sql(c: str) -> str:
    """SQL of text ``c`` trimmed of whitespace (Unicode's, as a platform export's cells
    are) and of byte-order marks (files joined with cat). ``trim`` with characters is
    slow, so only text that may need it goes through it: ASCII text that starts with a
    space, tab, line end or other control character or ends with a space or tab, and
    text that is not ASCII and starts or ends with any whitespace or holds a byte-order
    mark (DuckDB's own ``trim`` removes the spaces of Unicode's Zs). A line end at the
    end of a quoted ASCII id is kept: testing every value's last character for one
    costs ~2% of a load (``right``), testing its first costs nothing measurable."""
    other = f"right({c}, 1) < '!' OR trim({c}) <> {c} OR contains({c}, chr(65279))" + "".join(
        f" OR starts_with({c}, chr({n})) OR ends_with({c}, chr({n}))"
        for n in (0x85, 0x2028, 0x2029)
    )
    padded = (
        f"{c} < '!' OR ends_with({c}, ' ') OR ends_with({c}, chr(9)) "
        f"OR CASE WHEN strlen({c}) <> length({c}) THEN {other} ELSE false END"
    )
    return f"CASE WHEN {padded} THEN trim({c}, {_STRIP_SQL}) ELSE {c} END"


def read_csv_sql(header: CsvHeader, typed: dict[int, str] | None = None) -> str:
    """``read_csv`` of the body of a file with ``header``: every column as text ``c<i>``,
    explicit options (no sniffing), strict about quotes and field counts. A preset's
    rows (``header.relation``) are read the same way: their columns as text ``c<i>``,
    with the source line ``_line``. With ``typed`` (column index -> SQL type) those
    columns are parsed by the reader (times as YYYY-MM-DD HH:MM:SS), and a row it cannot
    read is stored in the ``REJECTS`` table instead of failing the statement."""
    types = typed or {}
    if header.relation is not None:  # ``typed``: columns that come typed, as they are
        names = ", ".join(
            f'"{c.replace(chr(34), chr(34) * 2)}"{"" if i in types else "::VARCHAR"} AS c{i}'
            for i, c in enumerate(header.columns)
        )
        return f"(SELECT {names}, _line FROM {header.relation})"
    columns = (
        "{"
        + ", ".join(f"'c{i}': '{types.get(i, 'VARCHAR')}'" for i in range(len(header.columns)))
        + "}"
    )
    rejects = (
        f", timestampformat='%Y-%m-%d %H:%M:%S', store_rejects=true, rejects_table='{REJECTS}', "
        f"rejects_scan='{REJECTS}_scans'"
        if typed
        else ""
    )
    delim = "\\t" if header.delimiter == "\t" else ","
    # DuckDB's strict mode refuses mixed line ends; its lenient mode still refuses ragged
    # rows and broken quotes
    strict = "false" if header.mixed_newlines else "true"
    return (
        f"read_csv($path, header=true, auto_detect=false, delim=E'{delim}', quote='\"', "
        f"escape='\"', strict_mode={strict}, compression='{header.compression}', "
        f"max_line_size={MAX_LINE_BYTES}, columns={columns}{rejects})"
    )


#: The temporary table where a typed read stores the rows it could not read.
REJECTS = "svc_typed_rejects"


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
    hint = Message("hint.line_too_long")
    if too_long:
        length, limit = (f"{int(too_long.group(i)):,}" for i in (2, 1))
        return LineTooLongError(
            Message("error.line_length", file=where, length=length, limit=limit), hint
        )
    if "Parallel CSV Reader currently does not support" in text:  # a line too long to split
        limit = f"{MAX_LINE_BYTES:,}"
        return LineTooLongError(
            Message("error.a_line_over", file=label, length=limit, limit=limit), hint
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
        return InputError(Message("error.not_utf8", file=where), ENCODING_HINT)
    fields = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", reason)
    if fields and match:
        columns, count = fields.groups()
        return InputError(
            Message("error.field_count", file=label, line=match[1], count=count, columns=columns),
            Message("hint.field_count"),
        )
    if "Expected Number of Columns" in reason:
        detail = Verbatim(reason.split(":", 1)[-1].strip())
        return InputError(
            Message("error.wrong_fields", file=where, detail=detail), Message("hint.wrong_fields")
        )
    if "quote" in reason.lower():
        return InputError(
            Message("error.quote_not_closed", file=where), Message("hint.quote_not_closed")
        )
    return InputError(Message("error.cannot_parse_csv", file=where, reason=Verbatim(reason)))


def _supply(column: str, extra: list[str]) -> Message:
    """How to supply a missing ``column``: ``--shop`` for the shop id, else ``--map`` from
    the file's unknown column most like it."""
    if column == "shop_id":
        return Message("hint.give_shop_option")
    close = difflib.get_close_matches(column, extra, n=1, cutoff=0.5)
    return Message(
        "hint.map_column", column=Verbatim(column), header=Verbatim(close[0] if close else "HEADER")
    )


def check_header(table: Table, header: CsvHeader, label: str, merge: bool) -> list[str]:
    """Refuse a header that cannot be staged into ``table`` (a column twice, a required
    one missing; for a ``merge`` file, a column that is not one of the table's); returns
    a warning naming the columns that are ignored."""
    lowered = [c.lower() for c in header.columns]
    dupes = sorted(c for c, n in Counter(lowered).items() if n > 1 and c)
    if dupes:
        raise InputError(
            Message("error.columns_twice", file=label, columns=listed(dupes)),
            Message("hint.columns_twice"),
        )
    if merge:  # an update of some order columns, keyed by shop and order
        unknown = [c for c in lowered if c not in table.column_names]
        if unknown or not set(table.key) <= set(lowered):
            raise InputError(f"{label}: not a column update of {table.name} ({', '.join(lowered)})")
        return []
    known = set(table.column_names)
    extra = [c for c in header.columns if c.lower() not in known]
    missing = [c.name for c in table.columns if c.in_header and c.name not in lowered]
    if missing:
        raise InputError(
            Message(
                "error.missing_columns",
                file=label,
                columns=listed(missing),
                table=table.name,
            ),
            Message(
                "hint.missing_columns",
                fix=[_supply(name, extra) for name in missing],
                found=listed(header.columns),
                expected=listed(c.name for c in table.columns if c.in_header),
            ),
        )
    ignored = Message("ignored_columns", file=label, columns=listed(extra))
    return [ignored] if extra else []


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


#: The reason of a row whose key an earlier line has with other values (built in SQL,
#: read back as the catalog's message).
_DUPLICATE_BEFORE, _DUPLICATE_AFTER = LABELS["reason.duplicate_key"]["en"].split("{line}")
_DUPLICATE_KEY_TEXT = re.compile(
    re.escape(_DUPLICATE_BEFORE) + r"(\d+)" + re.escape(_DUPLICATE_AFTER)
)


def line_of(first_rowid: int, alias: str = "") -> str:
    """SQL of a staged row's line number."""
    return f"({alias}rowid - {int(first_rowid)} + 2)"


class MappedRows:
    """A platform export's canonical rows as DuckDB reads them: the preset's batches
    (Polars frames: ``_line``, the row's line in the source, then String columns, amounts
    and counts as the values the preset parsed) streamed
    as one Arrow ``RecordBatchReader`` registered as ``RELATION``. Memory holds about one
    batch: no temporary table, no temporary CSV. The first batch is read ahead for the
    header (``header``); reading the rows again (only to say what is wrong with bad rows)
    maps the file again. An error of the mapping is raised as itself, not as DuckDB's."""

    RELATION = "svc_mapped_rows"

    def __init__(self, batches: Callable[[duckdb.DuckDBPyConnection], Generator[Any, None, None]]):
        self._batches = batches
        self._ahead: tuple[Any, Generator[Any, None, None]] | None = None
        #: the columns that come as values (amounts, counts), known with ``header``
        self.native: frozenset[str] = frozenset()

    def header(self, con: duckdb.DuckDBPyConnection, label: str) -> CsvHeader:
        """The rows' header: the mapped columns (the first batch is read for it)."""
        import polars as pl

        frames = self._batches(con)
        try:
            first = next(frames)  # a mapping yields at least one (maybe empty) batch
        except BaseException:
            frames.close()
            raise
        self._ahead = (first, frames)
        columns = [c for c in first.columns if c != "_line"]
        self.native = frozenset(c for c in columns if first.schema[c] != pl.String)
        return CsvHeader(Path(label), columns, ",", False, relation=self.RELATION)

    @contextlib.contextmanager
    def registered(self, con: duckdb.DuckDBPyConnection) -> Generator[None, None, None]:
        """The rows registered as ``RELATION`` on ``con`` while the block runs."""
        import polars as pl
        import pyarrow as pa

        if self._ahead is not None:
            (first, frames), self._ahead = self._ahead, None
        else:
            frames = self._batches(con)
            first = next(frames)
        # string views: Polars' own layout, handed over without a copy (the default
        # converts every text column to large strings)
        newest = pl.CompatLevel.newest()
        schema = first.head(0).to_arrow(compat_level=newest).schema
        failure: list[BaseException] = []

        def record_batches() -> Generator[Any, None, None]:
            try:
                for frame in itertools.chain([first], frames):
                    table = frame.to_arrow(compat_level=newest)
                    yield from (
                        table if table.schema == schema else table.cast(schema)
                    ).to_batches()
            except BaseException as exc:  # DuckDB reports it as its own error
                failure.append(exc)
                raise

        stream = record_batches()
        con.complete()  # a result left unread (a fetchone) would refuse the registration
        con.register(self.RELATION, pa.RecordBatchReader.from_batches(schema, stream))
        try:
            yield
        except duckdb.Error:
            if failure:
                raise failure[0] from None
            raise
        finally:
            con.unregister(self.RELATION)
            stream.close()
            frames.close()


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
        mapped: MappedRows | None = None,
        source_columns: dict[str, str] | None = None,
        watch: frozenset[str] = frozenset(),
    ) -> None:
        """``header`` is the file's (None: rows given by ``from_columns``), or that of the
        ``mapped`` rows of a platform export; columns in ``optional`` may be empty where
        the canonical format requires them; with a ``pseudonym_key`` customer ids are
        stored as keyed hashes; a ``persistent`` stage is a table of the database (see
        ``svc_cli.merge``). Problems name a column by its header in the source when
        ``source_columns`` (canonical column -> header) has it. ``look_at_valid_rows`` tells
        which of the ``watch`` columns the file has are blank in every valid row."""
        self.con, self.table, self.header, self.label = con, table, header, label
        self.timezone = timezone
        self.persistent = persistent
        self.mapped = mapped
        self.source_columns = source_columns or {}
        self.name = self.TYPED
        self.params: dict[str, object] = {}
        self._tables: list[str] = []  # every table made (or handed over), to drop
        if header is not None and mapped is None:
            self.params["path"] = str(header.path)
        if pseudonym_key is not None:
            self.params["key"] = pseudonym_key
        self.plan = self.typed_plan = None
        present = {c.lower() for c in header.columns} if header is not None else set()
        #: the watched columns the file has, in the table's order
        self.watch = [c for c in table.column_names if c in watch and c in present]
        #: the staged columns that are not the table's (``given_column``): dropped by the merge
        self.given_columns = [
            given_column(c.name) for c in table.columns if c.default and c.name in self.watch
        ]
        if header is not None:
            tz, pseudonymize = _timezone_literal(timezone), pseudonym_key is not None
            kept = frozenset(self.watch)
            native = mapped.native if mapped is not None else frozenset()
            self.plan = plan(table, header, tz, optional, pseudonymize, given=kept, native=native)
            if mapped is None:  # a CSV: the reader parses times and amounts itself first
                self.typed_plan = plan(
                    table, header, tz, optional, pseudonymize, typed=True, given=kept
                )
        self.rows_read = 0  #: rows read from the file
        self.duplicates = 0  #: exact copies of an earlier row, dropped
        self.rejected = 0  #: bad rows
        self._first = 0  # row id of line 2 in the typed table
        self._raw_first: int | None = None  # … in the file as text, once read
        self._unexplained = False  # rows bad by conversion, not yet in the problems table
        self._flagged: dict[str, str] = {}  # the reasons ``flag_unknown_orders`` gave

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
        # a table of the database streams in capped; a temporary one would spill to disk
        with (
            memory_at_most(self.con, STREAM_MEMORY) if self.persistent else contextlib.nullcontext()
        ):
            execute(self.con, f"CREATE {kind}{self.name} AS {select}", self.params, on_progress)

    def _source(self) -> contextlib.AbstractContextManager[None]:
        """What the stage reads registered for one statement: a platform export's rows."""
        return self.mapped.registered(self.con) if self.mapped else contextlib.nullcontext()

    def _line(self, alias: str = "") -> str:
        """SQL of a staged row's line in the file: the source line the mapped rows of a
        platform export carry, or the row's position (the header is line 1)."""
        return f"{alias}_line" if self.mapped else line_of(self._first, alias)

    @property
    def valid_rows(self) -> str:
        """SQL of the valid staged rows, with the columns of the stored table."""
        return f"SELECT {', '.join(self.table.stored_columns)} FROM {self.name} WHERE NOT _bad"

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
            if not self._read_typed(on_progress):
                with self._source():
                    read = read_csv_sql(header, self.plan.typed)
                    self._create_typed(self.plan.select(read), on_progress)
        except duckdb.Error as exc:
            error = csv_error(self.label, exc)
            # no lenient read helps a line too long, nor a read stopped because the line
            # check found one (``LineCheck``); and a gzip bomb is not scanned again
            if (
                not isinstance(error, LineTooLongError)
                and not isinstance(exc, duckdb.InterruptException)
                and self.mapped is None
                and not header.mixed_newlines
                and mixed_newlines(header.path)
            ):
                raise MixedNewlines(header.path) from error
            if (
                getattr(error.message, "key", "") == "error.field_count"
                and header.compression == "none"
            ):
                tail_check(header.path, self.label, len(header.columns), header.delimiter)
            raise error from exc
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {self._own(self.PROBLEMS)} "
            '(_line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)'
        )
        shop_ids.rekey_stage(self.con, self.name)
        self.rows_read, first, bad, undecided = self.con.execute(
            f"SELECT count(*), min(rowid), count(*) FILTER (_bad), count(*) FILTER (_bad IS NULL) "
            f"FROM {self.name}"
        ).fetchone() or (0, None, 0, 0)
        if undecided:  # a check gave NULL: the row would be neither stored nor rejected
            raise RuntimeError(f"{self.label}: {undecided} rows neither good nor bad")
        self._first = int(first) if first is not None else 0
        self.rejected = int(bad)
        self._unexplained = bool(bad)
        if self.rows_read == 0 and header.has_body:
            raise InputError(
                Message("error.no_rows_read", file=self.label), Message("hint.no_rows_read")
            )
        return int(self.rows_read)

    def _read_typed(self, on_progress: Callable[[float], None] | None) -> bool:
        """The fast read of a CSV (``plan(typed=True)``); False when a value it parsed
        (or could not parse) needs the checked conversion: the file is then read again."""
        typed = self.typed_plan
        if typed is None or not typed.typed:
            return False
        assert self.header is not None
        read = read_csv_sql(self.header, typed.typed)
        self._create_typed(typed.select(read), on_progress)
        times = [c.name for c in self.table.columns if c.kind == "timestamp"]
        special = " OR ".join(SPECIAL_TIMES.format(c=c) for c in times) or "false"
        again = scalar(
            self.con,
            f"SELECT (SELECT count(*) FROM {REJECTS}) + "
            f"(SELECT count(*) FROM {self.name} WHERE _bad IS NULL OR {special})",
        )
        for name in (REJECTS, f"{REJECTS}_scans"):
            self.con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")
        return not again

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
            SELECT {self._line(f"{t}.")}, {sql_str(column)}, {value_sql}, {reason_sql}
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
        # the common case, no key twice, proven by one aggregate of 64-bit hashes (keys
        # with distinct hashes are distinct; a collision only leads to the exact check),
        # of the staged hash of the ids where there is one
        hashed = f"shop_id, {KEY_HASH}" if table.key_hash else keys
        unique = f"SELECT count(*) = count(DISTINCT hash({hashed})) FROM {t} WHERE NOT _bad"
        if scalar(self.con, unique):
            return 0
        dup_keys = self.temp_table(
            "dup_keys",
            f"SELECT {keys} FROM {t} WHERE NOT _bad GROUP BY {keys} HAVING count(*) > 1",
        )
        if not scalar(self.con, f"SELECT count(*) FROM {dup_keys}"):
            return 0  # a hash collision
        # aggregations only (they spill to disk under --memory-limit; window functions over
        # one key's millions of copies did not): the distinct variants of each duplicated key
        cols = ", ".join(table.column_names)
        match = " AND ".join(f"s.{k} = d.{k}" for k in table.key)
        variants = self.temp_table(
            "dup_variants",
            f"""SELECT {keys}, count(*) AS variants, min(first_rid) AS first_rid,
              min(first_line) AS first_line
            FROM (SELECT {cols}, min(rowid) AS first_rid, min({self._line("s.")}) AS first_line
                  FROM {t} s
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
            f"""SELECT s.rowid AS rid, d.first_line
            FROM {t} s JOIN {variants} d ON {match}
            WHERE NOT s._bad AND d.variants > 1 AND s.rowid > d.first_rid""",
        )
        key = table.key[-1]
        self.flag(
            key,
            f"{t}.{key}",
            f"{sql_str(_DUPLICATE_BEFORE)} || d.first_line || {sql_str(_DUPLICATE_AFTER)}",
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
            # reviews when no order at all is loaded: one error, not one per review
            if self.table is REVIEWS and not scalar(self.con, HAS_ORDERS):
                raise InputError(
                    Message("error.no_orders_for_reviews", file=self.label),
                    Message("hint.load_orders_with"),
                )
            self._flagged[str(reason)] = reason
            self.flag("order_id", "order_id", sql_str(reason), where)

    def look_at_valid_rows(self) -> tuple[list[Message], list[str]]:
        """One pass over the valid staged rows: warnings about their times, and the
        watched columns (see ``__init__``) blank in every one of them ([] when no row is
        valid). Times after the machine's clock (in the shop's time zone) move the default
        as-of, the latest time loaded; a time before the one it follows (shipped before
        paid, …) makes the durations computed from it negative."""
        names = set(self.table.column_names)
        times = [c.name for c in self.table.columns if c.kind == "timestamp"]
        latest = f"greatest({', '.join(times)})" if times else "NULL::TIMESTAMP"
        pairs = [(a, b) for a, b in TIME_ORDER if a in names and b in names]
        defaulted = {c.name for c in self.table.columns if c.default}
        # orders past payment without its time: valid orders need paid_at (spec §1)
        unpaid = (
            "paid_at IS NULL AND status IN ('paid', 'shipped', 'completed', 'refunded')"
            if self.table is ORDERS
            else "false"
        )
        line = self._line()
        # count_if and CASE, not FILTER: a third less time (one selection per aggregate)
        aggregates = [
            "count(*)",
            f"count_if({latest} > $now)",
            f"max(CASE WHEN {latest} > $now THEN {latest} END)",
            f"count_if({unpaid})",
            f"min(CASE WHEN {unpaid} THEN {line} END)",
            *(f"count_if({later} < {earlier})" for later, earlier in pairs),
            *(f"min(CASE WHEN {later} < {earlier} THEN {line} END)" for later, earlier in pairs),
            *(f"count({given_column(c) if c in defaulted else c})" for c in self.watch),
        ]
        now = datetime.now(zoneinfo.ZoneInfo(self.timezone)).replace(tzinfo=None) + FUTURE_SLACK
        row = self.con.execute(
            f"SELECT {', '.join(aggregates)} FROM {self.name} WHERE NOT _bad", {"now": now}
        ).fetchone()
        if not row or not row[0]:
            return [], []
        future, last, unpaid_count, unpaid_line = row[1:5]
        ends = 5 + len(pairs), 5 + 2 * len(pairs)
        out_of_order, first_lines, filled = row[5 : ends[0]], row[ends[0] : ends[1]], row[ends[1] :]
        warnings = []
        if future:
            warnings.append(
                Message("future_times", file=self.label, count=str(future), latest=str(last))
            )
        if unpaid_count:
            line = str(unpaid_line)
            warnings.append(
                Message("unpaid_orders", file=self.label, count=str(unpaid_count), line=line)
            )
        found = [
            Message(
                "time_before",
                later=Verbatim(later),
                earlier=Verbatim(earlier),
                count=str(n),
                line=str(line),
            )
            for (later, earlier), n, line in zip(pairs, out_of_order, first_lines, strict=True)
            if n
        ]
        if found:
            warnings.append(Message("times_out_of_order", file=self.label, pairs=found))
        return warnings, [c for c, n in zip(self.watch, filled, strict=True) if not n]

    def shops(self) -> list[str]:
        """The shops of the valid staged rows."""
        rows = self.con.execute(f"SELECT DISTINCT shop_id FROM {self.name} WHERE NOT _bad")
        return [r[0] for r in rows.fetchall()]

    # --- what is wrong ------------------------------------------------------------------

    def _raw_rows(self) -> str:
        """SQL of the file's rows as text, with their line ``_line``: the file read again
        into a table (only needed for bad rows)."""
        if self._raw_first is None:
            assert self.header is not None and self.plan is not None
            with self._source():
                raw = self.temp_table(
                    self.RAW,
                    "SELECT * FROM " + read_csv_sql(self.header, self.plan.typed),
                    {k: v for k, v in self.params.items() if k == "path"},
                )
            first = scalar(self.con, f"SELECT min(rowid) FROM {raw}")
            self._raw_first = int(first) if first is not None else 0
        if self.mapped:  # the mapped rows carry their line
            return f"SELECT * FROM {self.RAW}"
        return f"SELECT {line_of(self._raw_first)} AS _line, * FROM {self.RAW}"

    def _explain(self) -> None:
        """Record what is wrong with each row the conversion found bad (read again)."""
        if not self._unexplained:
            return
        assert self.plan is not None and self.header is not None
        raw_rows = self._raw_rows()
        bad_lines = f"SELECT {self._line()} FROM {self.name} WHERE _bad"
        if (
            not self.mapped
        ):  # the header again (files joined into one): one problem, not one a column
            again = Message("reason.header_again")
            self._flagged[str(again)] = again
            first = self.header.columns[0].strip().lower()
            same = " AND ".join(
                f"lower(trim(c{i})) = {sql_str(name.strip().lower())}"
                for i, name in enumerate(self.header.columns)
            )
            self.con.execute(
                f"INSERT INTO {self.PROBLEMS} SELECT _line, {sql_str(first)}, c0, "
                f"{sql_str(str(again))} FROM ({raw_rows}) WHERE {same} AND _line IN ({bad_lines})"
            )
        structs = ", ".join(
            f"CASE WHEN {c.condition} THEN {{'column': {sql_str(c.column)}, 'value': "
            f"{f'raw_{c.column}::VARCHAR' if c.shows_value else 'NULL'}, "
            f"'reason': {sql_str(c.reason)}}} END"
            for c in self.plan.checks
        )
        inner = ", ".join(self.plan.inner)
        self.con.execute(f"""
            INSERT INTO {self.PROBLEMS}
            SELECT _line, p.column, p.value, p.reason FROM (
              SELECT _line, unnest(list_filter([{structs}], lambda p: p IS NOT NULL)) AS p
              FROM (SELECT _line, {inner} FROM ({raw_rows}))
              WHERE _line IN ({bad_lines} EXCEPT SELECT _line FROM {self.PROBLEMS}))""")
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
            RowProblem(self.label, line, self.source_columns.get(col, col), value, self._reason(r))
            for line, col, value, r in rows
        ]

    def _reason(self, text: str) -> str:
        """The message of a reason read back from the problems table as its English text
        (the text itself when the catalog has no such reason)."""
        known = {str(c.reason): c.reason for c in self.plan.checks} if self.plan else {}
        known.update(self._flagged)
        if text in known:
            return known[text]
        duplicate = _DUPLICATE_KEY_TEXT.fullmatch(text)
        if duplicate:
            return Message("reason.duplicate_key", line=duplicate[1])
        return text

    def write_rejects(self, path: Path) -> None:
        """Write the bad rows as read (under the file's own column names) with their line
        and errors to ``path`` (a CSV)."""
        assert self.header is not None
        self._explain()
        raw_rows = self._raw_rows()
        raw = ", ".join(
            f'r.c{i} AS "{name.replace(chr(34), chr(34) * 2)}"'
            for i, name in enumerate(self.header.columns)
        )
        self.con.execute(f"""
            COPY (
              SELECT b._line AS line, e.errors, {raw}
              FROM (SELECT {self._line()} AS _line FROM {self.name} WHERE _bad) b
              JOIN (SELECT _line, string_agg("column" || ': ' || reason, '; ' ORDER BY "column")
                      AS errors FROM {self.PROBLEMS} GROUP BY _line) e USING (_line)
              JOIN ({raw_rows}) r USING (_line)
              ORDER BY line
            ) TO {sql_str(str(path))} (FORMAT csv, HEADER true, USE_TMP_FILE false)""")
