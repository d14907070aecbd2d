"""Hostile and odd values that used to load wrongly or fail with an internal error."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import api
from svc_cli.errors import SvcError, ValidationError
from tests.factories import ORDER_FIELDS, order, write_orders

PAID = "2025-06-01 10:00:00"


def _stored(db: Path, column: str, order_id: str = "o1") -> Any:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(f"SELECT {column} FROM orders WHERE order_id = ?", [order_id]).fetchone()
    return row[0] if row else None


# --- timestamps ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["infinity", "-infinity", "+infinity", "epoch", " epoch"])
def test_special_time_values_are_refused(tmp_path: Path, value: str, run: Any) -> None:
    db = tmp_path / "shop.duckdb"
    path = write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)])
    result = run("load", db, path)
    assert result.exit_code == 2
    assert "column 'delivered_at': not a date" in result.stderr  # never 9999-12-31
    if value != "+infinity":  # which DuckDB does not read as a time at all
        assert "special values such as infinity or epoch are refused" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2025-06-01 10:00:00 UTC", "2025-06-01 18:00:00"),
        ("2025-06-01 10:00:00 gmt", "2025-06-01 18:00:00"),
        ("2025-06-01T10:00:00Z", "2025-06-01 18:00:00"),
        ("2025-06-01 10:00:00 America/New_York", "2025-06-01 22:00:00"),
        ("2025-06-01 10:00:00+08:00", "2025-06-01 10:00:00"),
    ],
)
def test_times_with_a_zone_are_converted_to_the_shop_zone(
    tmp_path: Path, value: str, stored: str
) -> None:
    db = tmp_path / "shop.duckdb"
    api.load(db, orders=write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)]))
    assert str(_stored(db, "delivered_at")) == stored


@pytest.mark.parametrize("value", ["2025-06-01 10:00:00 EST", "2025-06-01 10:00:00 CST"])
def test_zone_abbreviations_are_refused(tmp_path: Path, value: str) -> None:
    path = write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)])
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert "time zone abbreviation is ambiguous" in caught.value.message


@pytest.mark.parametrize("value", ["2025-06-01 3:32 PM", "2025-06-01 03:32:15 am"])
def test_a_12_hour_time_is_refused_as_one(tmp_path: Path, value: str) -> None:
    """DuckDB's cast reads 3:32 PM as 03:32 (it drops the AM/PM): refused, and said to
    be a 12-hour time (not a zone abbreviation)."""
    path = write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)])
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert caught.value.message == (
        f"1 invalid row(s); nothing was loaded. First: {path}:2: column 'delivered_at': a 12-hour "
        f"time (AM/PM): give it as a 24-hour time, YYYY-MM-DD HH:MM:SS (got '{value}')"
    )


def test_unknown_zone_names_are_refused(tmp_path: Path) -> None:
    path = write_orders(
        tmp_path / "o.csv", [order("o1", PAID, delivered_at="2025-06-01 10:00:00 Mars/Olympus")]
    )
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert "'delivered_at': not a date/time" in caught.value.message


def test_times_after_the_machine_clock_are_warned_about(tmp_path: Path) -> None:
    path = write_orders(
        tmp_path / "o.csv",
        [order("o1", PAID), order("o2", "2999-01-01 00:00:00"), order("o3", PAID)],
    )
    result = api.load(tmp_path / "shop.duckdb", orders=path)
    assert any(
        "1 row(s) have a time after this machine's clock (latest 2999-01-01 00:00:00)" in w
        for w in result.warnings
    )
    quiet = api.load(
        tmp_path / "other.duckdb", orders=write_orders(tmp_path / "p.csv", [order("o1", PAID)])
    )
    assert not any("machine's clock" in w for w in quiet.warnings)


def test_times_out_of_order_are_warned_about(tmp_path: Path, run: Any) -> None:
    """Shipped before paid, delivered before shipped: loaded as given (the export is the
    record), with a warning that names each pair and how many rows have it."""
    rows = [
        order("o1", PAID, shipped_at="2025-06-01 09:00:00", delivered_at="2025-06-01 08:00:00"),
        order("o2", PAID, shipped_at="2025-06-01 09:59:59"),
        order("o3", PAID, shipped_at="2025-06-02 10:00:00", delivered_at="2025-06-03 10:00:00"),
        order("o4", PAID, ordered_at="2025-06-01 10:00:01"),
    ]
    path = write_orders(tmp_path / "o.csv", rows)
    result = api.load(tmp_path / "shop.duckdb", orders=path)
    assert [w for w in result.warnings if "out of order" in w] == [
        f"{path}: times out of order: paid_at before ordered_at in 1 row(s) (first on line "
        "5); shipped_at before paid_at in 2 row(s) (first on line 2); delivered_at before "
        "shipped_at in 1 row(s) (first on line 2); the durations computed from them come out "
        "negative: check the export's columns and time zones"
    ]
    assert [r.inserted for r in result.files] == [4]
    in_order = write_orders(tmp_path / "p.csv", rows[2:3])
    warnings = api.load(tmp_path / "p.duckdb", orders=in_order).warnings
    assert not [w for w in warnings if "out of order" in w]
    zh = run("load", tmp_path / "zh.duckdb", path, "--lang", "zh")
    assert (
        f"警告：{path}：时间先后顺序不对：1 行 paid_at 早于 ordered_at（首次在第 5 行）；"
        "2 行 shipped_at 早于 paid_at（首次在第 2 行）；1 行 delivered_at 早于 shipped_at"
        "（首次在第 2 行）；由此算出的时长为负：请检查导出文件的列和时区"
    ) in zh.stderr.replace("\n", "")


# --- line ends, byte-order marks, long lines ----------------------------------------------

HEADER = ",".join(ORDER_FIELDS)


def _line(order_id: str, shop_id: str = "s1") -> str:
    return f"{order_id},{shop_id},c{order_id},{PAID},{PAID},,,10.00,1,,completed,0.00,,,,,false"


def test_mixed_crlf_and_lf_line_ends_load(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (
            HEADER + "\r\n" + _line("o1") + "\r\n" + _line("o2") + "\n" + _line("o3") + "\r\n"
        ).encode()
    )
    result = api.load(tmp_path / "shop.duckdb", orders=path)
    assert result.files[0].inserted == 3
    assert "mixes Windows (CRLF) and Unix (LF) line ends" in result.warnings[0]
    assert _stored(tmp_path / "shop.duckdb", "escalated", "o3") is False


def test_mixed_line_ends_do_not_hide_a_ragged_row(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "\r\n" + _line("o1") + "\n" + "o2,s1,c\r\n").encode())
    with pytest.raises(SvcError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert "excel.csv:3: 3 fields where the header has" in caught.value.message


def test_cr_only_line_ends_load(tmp_path: Path, run: Any) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes((HEADER + "\r" + _line("o1") + "\r" + _line("o2") + "\r").encode())
    result = run("load", tmp_path / "shop.duckdb", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    with duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 2


@pytest.mark.parametrize("value", ["1.00055E+18", "8.00000000025901E+18", "9e+18"])
def test_an_id_a_spreadsheet_rounded_is_refused(tmp_path: Path, value: str) -> None:
    """A long numeric id Excel re-saved in scientific notation has lost its digits: the
    row is refused with the reason, not stored under a wrong id (or reported as a
    duplicate of another rounded id)."""
    path = write_orders(tmp_path / "o.csv", [order("o1", PAID), order(value, PAID)])
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert caught.value.message == (
        f"1 invalid row(s); nothing was loaded. First: {path}:3: column 'order_id': id in "
        "scientific notation: a spreadsheet rounded it and its digits are lost; export the "
        f"file again and do not re-save it in Excel (got '{value}')"
    )


@pytest.mark.parametrize("value", ["E+1", "A+B", "1.5E+", "SKU-1E+5X"])
def test_an_id_with_a_plus_sign_is_not_taken_for_a_rounded_one(tmp_path: Path, value: str) -> None:
    db = tmp_path / "shop.duckdb"
    api.load(db, orders=write_orders(tmp_path / "o.csv", [order(value, PAID)]))
    assert _stored(db, "order_id", value) == value


def test_a_byte_order_mark_inside_the_file_is_not_part_of_an_id(tmp_path: Path) -> None:
    path = tmp_path / "joined.csv"
    path.write_text(HEADER + "\n" + _line("o1") + "\n\ufeff" + _line("2") + "\n", encoding="utf-8")
    api.load(tmp_path / "shop.duckdb", orders=path)
    with duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True) as con:
        ids = sorted(r[0] for r in con.execute("SELECT order_id FROM orders").fetchall())
    assert ids == ["2", "o1"]


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        *[(" o2", "o2"), ("o2  ", "o2"), ("\ufeff o2 ", "o2"), (" \ufeffo2", "o2"), ("o 2", "o 2")],
        # any whitespace, as a platform export's cells: no-break, ideographic, em spaces,
        # tabs, line separators; not inside the id
        *[("\u00a0o2\u00a0", "o2"), ("\u3000o2", "o2"), ("o2\t", "o2"), ("\to2", "o2")],
        *[("订单\u3000", "订单"), ("\u2003o2\u2028", "o2"), ("o\u00a02", "o\u00a02")],
    ],
)
def test_whitespace_and_byte_order_marks_around_an_id_are_trimmed(
    tmp_path: Path, cell: str, stored: str
) -> None:
    """A padded id is the same id (not another shop or order); a padded choice the same
    choice. Only text that may be padded is trimmed (``stage.trimmed_sql``)."""
    path = tmp_path / "padded.csv"
    row = _line(cell, "\u3000s1\u00a0").replace(",completed,", ",\u00a0Completed\t,")
    path.write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    api.load(tmp_path / "shop.duckdb", orders=path)
    assert _stored(tmp_path / "shop.duckdb", "status", stored) == "completed"
    assert _stored(tmp_path / "shop.duckdb", "shop_id", stored) == "s1"


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("\r\no2", "o2"), ("\x0co2 ", "o2"), ("订单\r\n", "订单"), ("\n订单\x0c", "订单")],
)
def test_line_ends_around_a_quoted_id_are_trimmed(tmp_path: Path, cell: str, stored: str) -> None:
    fields = _line("o1").split(",")
    fields[0] = cell
    path = tmp_path / "quoted.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write(HEADER + "\r\n")  # CRLF: the writer quotes a cell with \r then
        csv.writer(fh, lineterminator="\r\n").writerow(fields)
    api.load(tmp_path / "shop.duckdb", orders=path)
    assert _stored(tmp_path / "shop.duckdb", "status", stored) == "completed"


def test_a_three_megabyte_cell_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "\n" + _line("o1").replace(",c", "," + "x" * 3_000_000, 1) + "\n")
    with pytest.raises(SvcError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    message = caught.value.message
    assert "long.csv:2: the line is 3,000,0" in message and "at most 2,000,000 bytes" in message
    assert "quoted field is never closed" not in message


# --- the typed read and the checked conversion agree -------------------------------------

MONEY_TEXTS = ["12.345", "0.005", "-0.005", "1,000", "1e2", " 5", "+5", ".5", "5.", "1.2.3"]
MONEY_TEXTS += ["99999999999999999.99", "NaN", "inf", "-1.00", "12.50"]
TIME_TEXTS = ["2024-01-05 03:04:05", "2024-1-5 3:4:5", "2024-01-05 03:04:05.5", " epoch"]
TIME_TEXTS += ["2024-01-05T03:04:05", "2024-01-05 03:04:05+08:00", "2024-02-30 10:00:00"]
TIME_TEXTS += ["infinity", "-infinity", "epoch", "1970-01-01 00:00:00", "2024-01-05"]
TIME_TEXTS += ["24-01-05 03:04:05", "2024-01-05 24:00:00", "12024-01-05 03:04:05"]


def _load_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Load ``rows`` with the CSV reader parsing times and amounts (the fast read) and with
    the checked conversion alone; both must store the same rows, or refuse the same."""
    from svc_cli import stage

    path = write_orders(tmp_path / "orders.csv", rows)
    outcomes = []
    for typed in (True, False):
        if not typed:
            monkeypatch.setattr(stage, "TYPED_KINDS", {})
        db = tmp_path / f"typed-{typed}.duckdb"
        try:
            api.load(db, orders=path)
        except ValidationError as exc:
            outcomes.append(("refused", exc.total, [str(p) for p in exc.problems]))
            continue
        with duckdb.connect(str(db), read_only=True) as con:
            outcomes.append(("loaded", con.execute("SELECT * FROM orders").fetchall()))
    assert outcomes[0] == outcomes[1]
    return outcomes[0]


@pytest.mark.parametrize("text", MONEY_TEXTS)
def test_an_amount_reads_the_same_typed_or_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _load_both_ways(tmp_path, monkeypatch, [order("o1", PAID, amount=text)])


@pytest.mark.parametrize("column", ["amount", "refund_amount"])
def test_a_blank_amount_is_stored_as_zero_in_an_existing_and_a_new_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str
) -> None:
    """A blank amount is the column's default, 0: the row is stored, not lost (the typed
    read once left such rows neither good nor bad: an existing database kept none)."""
    db = tmp_path / "existing.duckdb"
    api.load(db, orders=write_orders(tmp_path / "first.csv", [order("o0", PAID)]))
    blank = [order("o1", PAID, **{column: ""}), order("o2", PAID, **{column: ""})]
    api.load(db, orders=write_orders(tmp_path / "second.csv", blank))
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            f"SELECT order_id, {column}::VARCHAR FROM orders ORDER BY 1"
        ).fetchall()
        shops = con.execute("SELECT DISTINCT shop_id FROM coverage").fetchall()
    first = "10.00" if column == "amount" else "0.00"
    assert stored == [("o0", first), ("o1", "0.00"), ("o2", "0.00")]
    assert shops == [("s1",)]
    # a new database, typed read and checked conversion alike (this patches the reader)
    outcome = _load_both_ways(tmp_path, monkeypatch, blank)
    assert outcome[0] == "loaded" and len(outcome[1]) == 2


@pytest.mark.parametrize("text", TIME_TEXTS)
def test_a_time_reads_the_same_typed_or_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _load_both_ways(tmp_path, monkeypatch, [order("o1", text, ordered_at=PAID)])


CHOICE_TEXTS = [("status", t) for t in ["paid", " paid", "PAID", "Paid", "paid\t", "\u00a0paid"]]
CHOICE_TEXTS += [("status", t) for t in ["\u3000paid", "payed", "  "]]
CHOICE_TEXTS += [("refund_reason", t) for t in ["quality", "Quality ", "QUALITY", "bad", ""]]
CHOICE_TEXTS += [("escalated", t) for t in ["true", "True", "TRUE", "tRuE", " yes", "Y", "0"]]
CHOICE_TEXTS += [("escalated", t) for t in ["No", "maybe", "  ", ""]]


@pytest.mark.parametrize(("column", "text"), CHOICE_TEXTS)
def test_a_choice_or_flag_reads_the_same_typed_or_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str, text: str
) -> None:
    _load_both_ways(tmp_path, monkeypatch, [order("o1", PAID, **{column: text})])


def test_a_clean_file_is_read_once_and_one_with_another_spelling_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The typed read takes choices and flags as the canonical format writes them; a
    file with any other spelling is read again, trimmed and lowered."""
    from svc_cli import stage

    reads: list[str] = []
    create_typed = stage.Stage._create_typed

    def counted(self: stage.Stage, select: str, on_progress: Any) -> None:
        reads.append(self.label)
        create_typed(self, select, on_progress)

    monkeypatch.setattr(stage.Stage, "_create_typed", counted)
    clean = [order("o1", PAID, status="paid", escalated="True"), order("o2", PAID, escalated="0")]
    api.load(tmp_path / "clean.duckdb", orders=write_orders(tmp_path / "clean.csv", clean))
    assert len(reads) == 1
    reads.clear()
    odd = [order("o1", PAID, status=" Paid", escalated="YES"), order("o2", PAID, escalated="0")]
    api.load(tmp_path / "odd.duckdb", orders=write_orders(tmp_path / "odd.csv", odd))
    assert len(reads) == 2
    with duckdb.connect(str(tmp_path / "odd.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT order_id, status, escalated FROM orders ORDER BY 1").fetchall()
    assert stored == [("o1", "paid", True), ("o2", "completed", False)]


def test_a_valid_1970_time_is_not_taken_for_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = _load_both_ways(
        tmp_path,
        monkeypatch,
        [order("o1", "1970-01-01 00:00:00", ordered_at="1970-01-01 00:00:00")],
    )
    assert outcome[0] == "loaded"
