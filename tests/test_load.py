"""`svc load` end to end: bad input is refused cleanly and changes nothing; loads are
idempotent, incremental and all-or-nothing; --skip-invalid / --max-errors; types survive."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from svc_cli import api, store
from svc_cli.cli import app
from svc_cli.config import load_config
from svc_cli.errors import UsageError, ValidationError
from svc_cli.load import load_files
from svc_cli.load_options import LoadOptions, Strictness
from tests.conftest import GOLDEN


def _golden_header(name: str) -> list[str]:
    return (GOLDEN / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


HEADERS = {name: _golden_header(name) for name in ("orders", "reviews", "chats", "shops")}
DATA_TABLES = ("orders", "reviews", "chats", "shops")
ALL_TABLES = (*DATA_TABLES, "svc_loads", "svc_meta")


# --- building input files ------------------------------------------------------------


def order(n: int, **changes: str) -> dict[str, str]:
    """A valid, delivered order of shop 0042; ``changes`` override columns."""
    row = {
        "order_id": f"{10000 + n}",
        "shop_id": "0042",
        "customer_id": f"tb{n}",
        "ordered_at": "2025-06-01 10:00:00",
        "paid_at": "2025-06-01 10:05:00",
        "shipped_at": "2025-06-02 09:00:00",
        "delivered_at": "2025-06-03 12:00:00",
        "amount": "99.90",
        "quantity": "1",
        "sku": f"SKU-{n}",
        "status": "completed",
        "refund_amount": "0.00",
        "refund_reason": "",
        "refund_status": "",
        "refund_requested_at": "",
        "refund_completed_at": "",
        "escalated": "false",
    }
    return row | changes


def review(n: int, order_n: int, **changes: str) -> dict[str, str]:
    row = {
        "review_id": f"rv{n}",
        "order_id": f"{10000 + order_n}",
        "shop_id": "0042",
        "customer_id": f"tb{order_n}",
        "rating": "5",
        "created_at": "2025-06-04 09:00:00",
        "text": "包装严实，客服态度好",
    }
    return row | changes


def chat(n: int, **changes: str) -> dict[str, str]:
    row = {
        "session_id": f"ch{n}",
        "shop_id": "0042",
        "agent_id": "0042-kf1",
        "customer_id": f"tb{n}",
        "started_at": "2025-06-01 09:00:00",
        "first_response_seconds": "30",
        "satisfaction": "5",
        "qa_score": "90",
    }
    return row | changes


def shop(shop_id: str = "0042", **changes: str) -> dict[str, str]:
    row = {
        "shop_id": shop_id,
        "name": "暖阳悦然美妆专营店",
        "industry": "beauty",
        "services": "breakage_compensation;extended_warranty",
    }
    return row | changes


def write_csv(
    path: Path, table: str, rows: list[dict[str, str]], header: Any = None, encoding: str = "utf-8"
) -> Path:
    """Write ``rows`` under the canonical header of ``table`` (the golden files' header)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header or HEADERS[table], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def csv_text(table: str, rows: list[dict[str, str]]) -> str:
    lines = [",".join(HEADERS[table])] + [",".join(r[c] for c in HEADERS[table]) for r in rows]
    return "\n".join(lines) + "\n"


# --- running and inspecting ------------------------------------------------------------


@dataclass
class Base:
    """A database holding a valid first load, and the files it was loaded from."""

    db: Path
    dir: Path
    orders: Path
    reviews: Path
    chats: Path
    shops: Path

    def args(self) -> list[Any]:
        return [
            self.orders,
            "--reviews",
            self.reviews,
            "--chats",
            self.chats,
            "--shops",
            self.shops,
        ]


BASE_ORDERS = [order(n) for n in range(1, 5)] + [order(5, shop_id="719992")]


@pytest.fixture(scope="module")
def base_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid first load, done once; ``base`` gives each test its own copy."""
    root = tmp_path_factory.mktemp("base")
    files = root / "first"
    files.mkdir()
    write_csv(files / "orders.csv", "orders", BASE_ORDERS)
    write_csv(files / "reviews.csv", "reviews", [review(1, 1), review(2, 2)])
    write_csv(files / "chats.csv", "chats", [chat(1), chat(2)])
    write_csv(files / "shops.csv", "shops", [shop()])
    result = CliRunner().invoke(
        app,
        [
            "load",
            str(root / "shop.duckdb"),
            str(files / "orders.csv"),
            *("--reviews", str(files / "reviews.csv")),
            *("--chats", str(files / "chats.csv")),
            *("--shops", str(files / "shops.csv")),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def base(base_template: Path, tmp_path: Path) -> Base:
    shutil.copytree(base_template, tmp_path, dirs_exist_ok=True)
    files = tmp_path / "first"
    return Base(
        db=tmp_path / "shop.duckdb",
        dir=tmp_path,
        orders=files / "orders.csv",
        reviews=files / "reviews.csv",
        chats=files / "chats.csv",
        shops=files / "shops.csv",
    )


def snapshot(db: Path, tables: tuple[str, ...] = ALL_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def load_ok(run: Callable[..., Any], *args: Any) -> tuple[dict[str, Any], Any]:
    """`svc load … --format json` that must succeed: (JSON document, click result)."""
    result = run("load", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return json.loads(result.stdout), result


def assert_refused(result: Any, *needles: str) -> None:
    """Exit 2, a clear one-line error on stderr containing every needle, no traceback."""
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception), result.exception
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    for needle in needles:
        assert needle in result.stderr, f"{needle!r} not in:\n{result.stderr}"


# --- 1. bad input: refused, clear message, database unchanged -------------------------

# Each case writes a file into a folder and returns (CLI arguments after the database,
# substrings the error must contain). Row-level problems sit on line 3, not line 2.
BadCase = Callable[[Path], tuple[list[Any], list[str]]]


def _orders_with(d: Path, bad: dict[str, str], **kw: Any) -> Path:
    return write_csv(d / "orders.csv", "orders", [order(11), bad, order(13)], **kw)


def missing_column(d: Path) -> tuple[list[Any], list[str]]:
    header = [c for c in HEADERS["orders"] if c != "status"]
    rows = [{k: v for k, v in order(11).items() if k != "status"}]
    p = write_csv(d / "orders.csv", "orders", rows, header=header)
    return [p], [str(p), "missing required column(s) status for orders", "found columns:"]


def text_in_amount(d: Path) -> tuple[list[Any], list[str]]:
    p = _orders_with(d, order(12, amount="abc"))
    return [p], [f"{p}:3: column 'amount'", "not a decimal amount", "'abc'", "nothing was loaded"]


def bad_date(d: Path) -> tuple[list[Any], list[str]]:
    p = _orders_with(d, order(12, paid_at="2025-13-45"))
    return [p], [f"{p}:3: column 'paid_at'", "not a date/time", "'2025-13-45'"]


def missing_required_value(d: Path) -> tuple[list[Any], list[str]]:
    p = _orders_with(d, order(12, ordered_at=""))
    return [p], [f"{p}:3: column 'ordered_at'", "required value is missing"]


def duplicate_id_other_content(d: Path) -> tuple[list[Any], list[str]]:
    p = write_csv(d / "orders.csv", "orders", [order(11), order(11, amount="5.00")])
    return [p], [
        f"{p}:3: column 'order_id'",
        "duplicate key with different values (first on line 2)",
        "'10011'",
    ]


def negative_amount(d: Path) -> tuple[list[Any], list[str]]:
    p = _orders_with(d, order(12, amount="-1.00"))
    return [p], [f"{p}:3: column 'amount'", "must not be negative", "'-1.00'"]


def fractional_quantity(d: Path) -> tuple[list[Any], list[str]]:
    p = _orders_with(d, order(12, quantity="1.5"))
    return [p], [f"{p}:3: column 'quantity'", "not a whole number", "'1.5'"]


def unknown_status(d: Path) -> tuple[list[Any], list[str]]:
    p = _orders_with(d, order(12, status="shipping"))
    return [p], [f"{p}:3: column 'status'", "must be one of pending, paid", "'shipping'"]


def rating_six(d: Path) -> tuple[list[Any], list[str]]:
    p = write_csv(d / "reviews.csv", "reviews", [review(11, 1), review(12, 2, rating="6")])
    return ["--reviews", p], [f"{p}:3: column 'rating'", "from 1 to 5", "'6'"]


def fractional_rating(d: Path) -> tuple[list[Any], list[str]]:
    p = write_csv(d / "reviews.csv", "reviews", [review(11, 1), review(12, 2, rating="4.5")])
    return ["--reviews", p], [f"{p}:3: column 'rating'", "from 1 to 5", "'4.5'"]


def review_of_unknown_order(d: Path) -> tuple[list[Any], list[str]]:
    rows = [review(11, 1), review(12, 2, order_id="99999")]
    p = write_csv(d / "reviews.csv", "reviews", rows)
    return ["--reviews", p], [f"{p}:3: column 'order_id'", "review of an unknown order", "'99999'"]


def review_of_other_shops_order(d: Path) -> tuple[list[Any], list[str]]:
    # order 10001 exists, but for shop 0042, not 719992: reviews join on (shop_id, order_id)
    p = write_csv(d / "reviews.csv", "reviews", [review(11, 1, shop_id="719992")])
    return ["--reviews", p], [f"{p}:2: column 'order_id'", "unknown order"]


def negative_response_time(d: Path) -> tuple[list[Any], list[str]]:
    p = write_csv(d / "chats.csv", "chats", [chat(11), chat(12, first_response_seconds="-5")])
    return ["--chats", p], [f"{p}:3: column 'first_response_seconds'", "'-5'"]


def zero_bytes(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "orders.csv"
    p.write_bytes(b"")
    return [p], [str(p), "file is empty"]


def unterminated_quote(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "orders.csv"
    text = csv_text("orders", [order(11), order(12), order(13)])
    p.write_text(text + '10014,0042,tb14,"2025-06-01 10:00:00', encoding="utf-8")
    return [p], [f"{p}:5:", "quoted field is never closed", "truncated"]


def short_last_row(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "orders.csv"
    text = csv_text("orders", [order(11), order(12), order(13)])
    p.write_text(text + "10014,0042,tb14,2025-06-01 10:00:00", encoding="utf-8")
    return [p], [f"{p}:5: the file ends in the middle of a record (4 of 17 fields", "truncated"]


def short_row(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "orders.csv"
    text = csv_text("orders", [order(11), order(12), order(13)])
    p.write_text(text + "10014,0042,tb14,2025-06-01 10:00:00\n" + text.splitlines()[1] + "\n")
    return [p], [f"{p}:5: 4 fields where the header has 17", "--skip-invalid skips rows"]


def mixed_encodings(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "orders.csv"
    utf8 = csv_text("orders", [order(11, sku="好评如潮"), order(12, sku="物流很快")])
    gbk_row = csv_text("orders", [order(13, sku="差评")]).split("\n", 1)[1]
    p.write_bytes(utf8.encode("utf-8") + gbk_row.encode("gbk"))
    return [p], [f"{p}:4:", "mixed encodings", "UTF-8"]


def late_bad_bytes(d: Path) -> tuple[list[Any], list[str]]:
    """A byte no candidate encoding reads (0x81 before a comma), after 64 KB of ASCII."""
    p = d / "orders.csv"
    text = csv_text("orders", [order(n) for n in range(100, 1100)])
    last = csv_text("orders", [order(9, sku="X")]).split("\n", 1)[1]
    p.write_bytes(text.encode() + last.replace("X", "\x81").encode("latin-1"))
    return [p], [str(p), "UTF-8", "--encoding"]


def duplicated_header_column(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "orders.csv"
    text = csv_text("orders", [order(11)])
    p.write_text(text.replace(",sku,", ",sku,SKU,", 1).replace(",SKU-11,", ",SKU-11,x,", 1))
    return [p], [str(p), "column(s) appear twice in the header: sku"]


def header_of_200k_columns(d: Path) -> tuple[list[Any], list[str]]:
    """Refused at the header (over 1 MiB), not cut and misread as duplicated columns."""
    p = d / "orders.csv"
    extra = ",".join(f"x{i}" for i in range(200_000))
    p.write_text(csv_text("orders", [order(11)]).replace("\n", f",{extra}\n", 1))
    return [p], [str(p), "line 1 is longer than 1 MiB"]


def unknown_service(d: Path) -> tuple[list[Any], list[str]]:
    rows = [shop(), shop("0043", services="breakage_compensation;teleport")]
    p = write_csv(d / "shops.csv", "shops", rows)
    return ["--shops", p], [f"{p}:3:", "unknown service id 'teleport'", "known services:"]


def unknown_service_toml(d: Path) -> tuple[list[Any], list[str]]:
    p = d / "shops.toml"
    p.write_text('[[shops]]\nshop_id = "0042"\nindustry = "beauty"\nservices = ["teleport"]\n')
    return ["--shops", p], [f"{p}: shop #1", "unknown service id 'teleport'"]


def unknown_industry(d: Path) -> tuple[list[Any], list[str]]:
    p = write_csv(d / "shops.csv", "shops", [shop(industry="spaceships", services="")])
    return ["--shops", p], [f"{p}:2:", "unknown industry 'spaceships'", "known industries:"]


@pytest.mark.parametrize("encoding", [None, "gb18030"])
def test_a_shops_file_in_gb18030_loads_as_an_export_does(
    run: Any, tmp_path: Path, encoding: str | None
) -> None:
    """The shops file is read in the --encoding given, else in the one its bytes show."""
    shops = write_csv(tmp_path / "shops.csv", "shops", [shop()], encoding="gb18030")
    db = tmp_path / "shop.duckdb"
    told = ("--encoding", encoding) if encoding else ()
    doc, _ = load_ok(run, db, "--shops", shops, *told)
    assert [(f["table"], f["encoding"]) for f in doc["files"]] == [("shops", "gb18030")]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT shop_id, name, industry FROM shops").fetchall() == [
            ("0042", "暖阳悦然美妆专营店", "beauty")
        ]


def test_orders_past_payment_without_a_payment_time_are_warned(run: Any, tmp_path: Path) -> None:
    """A shipped or completed order without paid_at is loaded but is no valid order
    (spec §1): the load says how many, from which line, instead of leaving them out of
    every number silently. A pending one without it is as expected."""
    rows = [
        order(1),
        order(2, paid_at="", status="pending", shipped_at="", delivered_at=""),
        order(3, paid_at=""),
        order(4, paid_at="", status="shipped", delivered_at=""),
    ]
    orders = write_csv(tmp_path / "orders.csv", "orders", rows)
    doc, result = load_ok(run, tmp_path / "shop.duckdb", orders)
    assert doc["files"][0]["inserted"] == 4
    assert (
        f"{orders}: 2 order(s) are paid, shipped, completed or refunded but have no paid_at "
        "(first at line 4)"
    ) in " ".join(result.stderr.split())
    # what is counted without the payment time (spec §3: orders delivered, refunds done)
    assert "they count only where delivery or a refund is enough" in " ".join(result.stderr.split())


def test_a_shops_file_without_some_columns_keeps_what_is_stored(run: Any, tmp_path: Path) -> None:
    """A shops file of ids and industries (or a TOML entry without services) changes
    what it gives and keeps the names and services loaded before; a new shop gets the
    defaults."""
    db = tmp_path / "shop.duckdb"
    full = tmp_path / "shops.csv"
    full.write_text(
        "shop_id,name,industry,services\n"
        "S1,暖阳家居,home_furnishing,old_item_removal;extended_warranty\n"
        "S2,木子百货,general,return_shipping_insurance\n",
        encoding="utf-8",
    )
    load_ok(run, db, "--shops", full)
    partial = tmp_path / "industries.csv"
    partial.write_text("shop_id,industry\nS1,general\nS3,pets\n", encoding="utf-8")
    load_ok(run, db, "--shops", partial)
    toml = tmp_path / "shops.toml"
    toml.write_text('[[shops]]\nshop_id = "S2"\nname = "木子优选"\n', encoding="utf-8")
    load_ok(run, db, "--shops", toml)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT shop_id, name, industry, services FROM shops ORDER BY shop_id"
        ).fetchall()
    assert rows == [
        ("S1", "暖阳家居", "general", ["old_item_removal", "extended_warranty"]),
        ("S2", "木子优选", "general", ["return_shipping_insurance"]),
        ("S3", None, "pets", []),
    ]


def header_repeated(d: Path) -> tuple[list[Any], list[str]]:
    """Two exports joined into one file: the second header is one problem, not one per
    column it fails."""
    p = d / "orders.csv"
    p.write_text(csv_text("orders", [order(11)]) + csv_text("orders", [order(12)]), "utf-8")
    return [p], [
        f"1 invalid row(s); nothing was loaded\n  {p}:3: column 'order_id': the header line "
        "again (files joined into one?): remove this line (got 'order_id')\nHint:"
    ]


def shops_not_in_the_encoding_given(d: Path) -> tuple[list[Any], list[str]]:
    p = write_csv(d / "shops.csv", "shops", [shop()], encoding="gb18030")
    return ["--shops", p, "--encoding", "utf-8"], [f"{p}:2: bytes that are not utf-8", "--encoding"]


BAD_CASES: list[BadCase] = [
    missing_column,
    text_in_amount,
    bad_date,
    missing_required_value,
    duplicate_id_other_content,
    negative_amount,
    fractional_quantity,
    unknown_status,
    rating_six,
    fractional_rating,
    review_of_unknown_order,
    review_of_other_shops_order,
    negative_response_time,
    zero_bytes,
    unterminated_quote,
    short_last_row,
    short_row,
    mixed_encodings,
    late_bad_bytes,
    duplicated_header_column,
    header_of_200k_columns,
    unknown_service,
    unknown_service_toml,
    unknown_industry,
    shops_not_in_the_encoding_given,
    header_repeated,
]


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda c: c.__name__)
def test_bad_input_is_refused_and_changes_nothing(
    case: BadCase, base: Base, run: Callable[..., Any]
) -> None:
    d = base.dir / "bad"
    d.mkdir()
    args, needles = case(d)
    before = snapshot(base.db)
    assert_refused(run("load", base.db, *args), *needles)
    assert snapshot(base.db) == before
    assert not list(d.glob("*.rejects.csv"))


def test_gbk_file_is_recognised(tmp_path: Path, run: Callable[..., Any]) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_text("orders", [order(1), order(2, sku="好评")]).encode("gbk"))
    db = tmp_path / "shop.duckdb"
    doc, _ = load_ok(run, db, path)
    assert (doc["files"][0]["inserted"], doc["files"][0]["encoding"]) == (2, "gb18030")
    assert query(db, "SELECT sku FROM orders ORDER BY order_id") == [("SKU-1",), ("好评",)]
    doc, _ = load_ok(run, db, path, "--encoding", "gb18030")
    assert doc["files"][0]["unchanged"] == 2


def test_a_stray_byte_in_a_gb18030_export_is_named_not_guessed_away(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    """A GB18030 export with one byte that is not GB18030 early on (where the encoding is
    sniffed) was "not UTF-8; best guess cp1252", and loading it as cp1252 stored every
    Chinese text garbled: the byte is named by its line, as a later one would be."""
    rows = [order(i, sku=f"连衣裙{i}") for i in range(1, 2001)]
    lines = csv_text("orders", rows).encode("gb18030").split(b"\n")
    lines[99] = lines[99].replace("连衣裙".encode("gb18030"), b"\x80", 1)  # line 100
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\n".join(lines))
    result = run("load", tmp_path / "shop.duckdb", path)
    assert result.exit_code == 2
    assert f"{path}:100: bytes that are not gb18030" in result.stderr
    assert "fix or remove these bytes" in result.stderr
    assert "cp1252" not in result.stderr.split("Hint")[0]
    assert not (tmp_path / "shop.duckdb").exists()


# --- 2. header-only files --------------------------------------------------------------


def test_header_only_files_warn_change_no_data_and_are_recorded(
    base: Base, run: Callable[..., Any]
) -> None:
    d = base.dir / "empty"
    d.mkdir()
    orders = write_csv(d / "orders.csv", "orders", [])
    reviews = write_csv(d / "reviews.csv", "reviews", [])
    shops = write_csv(d / "shops.csv", "shops", [])
    before = snapshot(base.db, (*DATA_TABLES, "svc_meta"))
    loads_before = query(base.db, "SELECT count(*) FROM svc_loads")[0][0]
    doc, result = load_ok(run, base.db, orders, "--reviews", reviews, "--shops", shops)
    assert result.stderr == (
        f"Warning: {shops}: no shops listed; nothing to load from it\n"
        f"Warning: {orders}: header only, no data rows; nothing to load from it\n"
        f"Warning: {reviews}: header only, no data rows; nothing to load from it\n"
    )
    assert [(f["rows"], f["inserted"], f["updated"]) for f in doc["files"]] == [(0, 0, 0)] * 3
    assert snapshot(base.db, (*DATA_TABLES, "svc_meta")) == before
    # each file's load is recorded, with no row read
    assert query(base.db, "SELECT count(*) FROM svc_loads")[0][0] == loads_before + 3
    assert query(
        base.db, "SELECT table_name, file, inserted FROM svc_loads WHERE rows_read = 0 ORDER BY ALL"
    ) == [("orders", str(orders), 0), ("reviews", str(reviews), 0), ("shops", str(shops), 0)]


# --- 3. idempotency --------------------------------------------------------------------


def test_loading_the_same_files_twice_changes_nothing(base: Base, run: Callable[..., Any]) -> None:
    before = snapshot(base.db, DATA_TABLES)
    doc, _ = load_ok(run, base.db, *base.args())
    counts = {f["table"]: (f["inserted"], f["updated"], f["unchanged"]) for f in doc["files"]}
    assert counts == {
        "shops": (0, 0, 1),
        "orders": (0, 0, len(BASE_ORDERS)),
        "reviews": (0, 0, 2),
        "chats": (0, 0, 2),
    }
    assert snapshot(base.db, DATA_TABLES) == before


def test_reviews_without_review_id_reload_idempotently(base: Base, run: Callable[..., Any]) -> None:
    header = [c for c in HEADERS["reviews"] if c != "review_id"]
    rows = [{k: v for k, v in review(0, n).items() if k != "review_id"} for n in (3, 4)]
    path = write_csv(base.dir / "reviews_no_id.csv", "reviews", rows, header=header)
    first, _ = load_ok(run, base.db, "--reviews", path)
    assert first["files"][0]["inserted"] == 2
    after_first = snapshot(base.db, DATA_TABLES)
    second, _ = load_ok(run, base.db, "--reviews", path)
    assert (second["files"][0]["inserted"], second["files"][0]["updated"]) == (0, 0)
    assert snapshot(base.db, DATA_TABLES) == after_first
    ids = query(base.db, "SELECT review_id FROM reviews WHERE order_id IN ('10003', '10004')")
    assert len(ids) == 2 and all(i.startswith("h") for (i,) in ids)


# --- 4. incremental upsert -------------------------------------------------------------


def test_newer_export_updates_changed_order_and_inserts_new(
    base: Base, run: Callable[..., Any]
) -> None:
    others = "SELECT * FROM orders WHERE order_id NOT IN ('10002', '10009') ORDER BY ALL"
    before_others = query(base.db, others)
    changed = order(
        2,
        status="refunded",
        delivered_at="2025-06-04 08:00:00",
        refund_amount="99.90",
        refund_reason="quality",
        refund_status="completed",
        refund_requested_at="2025-06-04 09:00:00",
        refund_completed_at="2025-06-05 10:30:00",
    )
    newer = [changed if r["order_id"] == "10002" else r for r in BASE_ORDERS] + [order(9)]
    path = write_csv(base.dir / "orders_newer.csv", "orders", newer)
    doc, _ = load_ok(run, base.db, path)
    f = doc["files"][0]
    assert (f["rows"], f["inserted"], f["updated"], f["unchanged"]) == (
        len(BASE_ORDERS) + 1,
        1,
        1,
        len(BASE_ORDERS) - 1,
    )
    row = query(
        base.db,
        "SELECT status, delivered_at, refund_amount, refund_reason, refund_status, "
        "refund_requested_at, refund_completed_at FROM orders WHERE order_id = '10002'",
    )
    assert row == [
        (
            "refunded",
            datetime(2025, 6, 4, 8, 0),
            Decimal("99.90"),
            "quality",
            "completed",
            datetime(2025, 6, 4, 9, 0),
            datetime(2025, 6, 5, 10, 30),
        )
    ]
    assert query(base.db, others) == before_others
    assert query(base.db, "SELECT count(*) FROM orders WHERE order_id = '10009'") == [(1,)]
    assert query(base.db, "SELECT count(*) FROM orders") == [(len(BASE_ORDERS) + 1,)]


def test_partial_export_keeps_orders_it_does_not_list(base: Base, run: Callable[..., Any]) -> None:
    path = write_csv(base.dir / "orders_recent.csv", "orders", [order(9)])
    doc, _ = load_ok(run, base.db, path)
    assert doc["files"][0]["inserted"] == 1
    assert query(base.db, "SELECT count(*) FROM orders") == [(len(BASE_ORDERS) + 1,)]


# --- 5. duplicates within one file -----------------------------------------------------


def test_exact_duplicate_rows_are_loaded_once(tmp_path: Path, run: Callable[..., Any]) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", [order(1), order(2), order(1)])
    db = tmp_path / "shop.duckdb"
    doc, result = load_ok(run, db, path)
    assert "1 exact duplicate row(s) loaded once" in result.stderr
    assert (doc["files"][0]["rows"], doc["files"][0]["inserted"]) == (3, 2)
    assert query(db, "SELECT order_id FROM orders ORDER BY 1") == [("10001",), ("10002",)]


# --- 6. all or nothing across files ----------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "table", "bad_row"),
    [
        ("--reviews", "reviews", review(21, 21, rating="0")),
        ("--chats", "chats", chat(21, started_at="yesterday")),
        ("--shops", "shops", shop("0043", industry="spaceships")),
    ],
    ids=["bad-reviews", "bad-chats", "bad-shops"],
)
def test_one_invalid_file_stores_nothing_from_the_others(
    flag: str, table: str, bad_row: dict[str, str], base: Base, run: Callable[..., Any]
) -> None:
    d = base.dir / "next"
    d.mkdir()
    # valid: a new order, a changed order and (unless reviews are the bad file) a review of it
    files: dict[str, Any] = {
        "--reviews": write_csv(d / "reviews.csv", "reviews", [review(20, 21)]),
        flag: write_csv(d / f"bad_{table}.csv", table, [bad_row]),
    }
    orders = write_csv(d / "orders.csv", "orders", [order(21), order(1, status="refunded")])
    before = snapshot(base.db)
    result = run("load", base.db, orders, *(a for kv in files.items() for a in kv))
    assert_refused(result, str(files[flag]))
    assert snapshot(base.db) == before


def test_invalid_reviews_leave_no_new_database(tmp_path: Path, run: Callable[..., Any]) -> None:
    orders = write_csv(tmp_path / "orders.csv", "orders", [order(1), order(2)])
    reviews = write_csv(tmp_path / "reviews.csv", "reviews", [review(1, 1, rating="6")])
    db = tmp_path / "shop.duckdb"
    assert_refused(run("load", db, orders, "--reviews", reviews), f"{reviews}:2:")
    assert not db.exists() and not Path(f"{db}.wal").exists()


# --- 7. --skip-invalid, --rejects-dir, --max-errors ------------------------------------

MIXED = [
    order(1),
    order(2, amount="abc"),
    order(3),
    order(4, paid_at="2025-13-45", status="shipping"),
    order(5),
]


def test_skip_invalid_loads_valid_rows_and_writes_rejects(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", MIXED)
    rejects_dir = tmp_path / "rejects"
    rejects_dir.mkdir()
    db = tmp_path / "shop.duckdb"
    doc, result = load_ok(run, db, path, "--skip-invalid", "--rejects-dir", rejects_dir)
    rejects = rejects_dir / "orders.csv.rejects.csv"
    assert doc["rejects_files"] == [str(rejects)]
    assert f"{path}: skipped 2 invalid row(s); written to {rejects}" in result.stderr
    assert f"{path}:3: column 'amount'" in result.stderr
    f = doc["files"][0]
    assert (f["rows"], f["inserted"], f["rejected"]) == (5, 3, 2)
    assert query(db, "SELECT order_id FROM orders ORDER BY 1") == [
        ("10001",),
        ("10003",),
        ("10005",),
    ]
    with rejects.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["line", "errors", *HEADERS["orders"]]
        rows = list(reader)
    assert [(r["line"], r["order_id"], r["shop_id"]) for r in rows] == [
        ("3", "10002", "0042"),
        ("5", "10004", "0042"),
    ]
    assert rows[0]["errors"] == "amount: not a decimal amount"
    assert rows[0]["amount"] == "abc"
    assert "paid_at: not a date/time" in rows[1]["errors"]
    assert "status: must be one of" in rows[1]["errors"]
    assert rows[1]["paid_at"] == "2025-13-45"


def test_rejects_csv_defaults_to_beside_the_input(tmp_path: Path, run: Callable[..., Any]) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", MIXED)
    doc, _ = load_ok(run, tmp_path / "shop.duckdb", path, "--skip-invalid")
    assert doc["rejects_files"] == [f"{path}.rejects.csv"]
    assert Path(f"{path}.rejects.csv").is_file()


def test_no_rejects_file_when_a_later_file_fails(tmp_path: Path, run: Callable[..., Any]) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", MIXED)
    bad_reviews = write_csv(
        tmp_path / "reviews.csv", "reviews", [review(n, 1, rating="9") for n in (1, 2, 3)]
    )
    result = run(
        "load", tmp_path / "shop.duckdb", path, "--reviews", bad_reviews, "--max-errors", "2"
    )
    assert_refused(result, f"{bad_reviews}:2: column 'rating'")
    # no rejects file, and no database: this failed load was its first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv", "reviews.csv"]


def test_max_errors_refuses_when_exceeded(tmp_path: Path, run: Callable[..., Any]) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", MIXED)
    db = tmp_path / "shop.duckdb"
    result = run("load", db, path, "--max-errors", "1")
    assert_refused(result, "2 invalid row(s); nothing was loaded", f"{path}:3:", f"{path}:5:")
    assert not db.exists()  # a failed first load leaves no database behind
    assert not Path(f"{path}.rejects.csv").exists()


def test_max_errors_loads_the_rest_when_within_limit(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", MIXED[:3])
    db = tmp_path / "shop.duckdb"
    doc, result = load_ok(run, db, path, "--max-errors", "1")
    assert (doc["files"][0]["inserted"], doc["files"][0]["rejected"]) == (2, 1)
    assert "skipped 1 invalid row(s)" in result.stderr
    assert query(db, "SELECT order_id FROM orders ORDER BY 1") == [("10001",), ("10003",)]


# --- 8. types survive ------------------------------------------------------------------


def test_ids_timestamps_and_booleans_keep_their_meaning(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    rows = [
        order(1, order_id="9800516028182869828", paid_at="2025-06-01T10:00:00+00:00"),
        order(2, order_id="0000000000000000002", paid_at="2025-06-01T02:30:00Z"),
        order(3, paid_at="2025-06-01 10:00:00+08:00", escalated="true"),
        order(4, escalated="1", quantity="2.0"),
        order(5, escalated="0"),
        order(6, escalated="false"),
        order(7, escalated="TRUE"),
    ]
    path = write_csv(tmp_path / "orders.csv", "orders", rows)
    db = tmp_path / "shop.duckdb"
    load_ok(run, db, path)
    got = query(
        db,
        "SELECT order_id, shop_id, paid_at, escalated, quantity, amount, typeof(order_id) "
        "FROM orders ORDER BY order_id",
    )
    amount = Decimal("99.90")
    assert got == [
        ("0000000000000000002", "0042", datetime(2025, 6, 1, 10, 30), False, 1, amount, "VARCHAR"),
        ("10003", "0042", datetime(2025, 6, 1, 10, 0), True, 1, amount, "VARCHAR"),
        ("10004", "0042", datetime(2025, 6, 1, 10, 5), True, 2, amount, "VARCHAR"),
        ("10005", "0042", datetime(2025, 6, 1, 10, 5), False, 1, amount, "VARCHAR"),
        ("10006", "0042", datetime(2025, 6, 1, 10, 5), False, 1, amount, "VARCHAR"),
        ("10007", "0042", datetime(2025, 6, 1, 10, 5), True, 1, amount, "VARCHAR"),
        ("9800516028182869828", "0042", datetime(2025, 6, 1, 18, 0), False, 1, amount, "VARCHAR"),
    ]


def test_bad_boolean_is_refused(tmp_path: Path, run: Callable[..., Any]) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", [order(1, escalated="maybe")])
    result = run("load", tmp_path / "shop.duckdb", path)
    assert_refused(result, f"{path}:2: column 'escalated'", "must be true or false", "'maybe'")


# --- 9. svc info -----------------------------------------------------------------------


def test_info_shows_row_counts(base: Base, run: Callable[..., Any]) -> None:
    result = run("info", base.db, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {t["table"]: t["rows"] for t in doc["tables"]} == {
        "orders": len(BASE_ORDERS),
        "reviews": 2,
        "chats": 2,
        "shops": 1,
    }
    assert doc["loads"] == 4  # one per file (shops, orders, reviews, chats)
    shops = {s["shop_id"]: (s["industry"], s["orders"]) for s in doc["shops"]}
    assert shops == {"0042": ("beauty", 4), "719992": ("general", 1)}


# --- library calls ---------------------------------------------------------------------


def test_api_load_counts_and_requires_a_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orders.csv", "orders", [order(1), order(2)])
    db = tmp_path / "shop.duckdb"
    first = api.load(db, orders=path)
    assert [(f.table, f.inserted, f.unchanged) for f in first.files] == [("orders", 2, 0)]
    again = api.load(db, orders=path)
    assert [(f.inserted, f.updated, f.unchanged, f.changed) for f in again.files] == [
        (0, 0, 2, False)
    ]
    with pytest.raises(UsageError, match="nothing to load"):
        api.load(db)


def test_load_files_rolls_back_and_reports_lines(tmp_path: Path) -> None:
    config = load_config()
    good = write_csv(tmp_path / "orders.csv", "orders", [order(1), order(2)])
    bad = write_csv(tmp_path / "reviews.csv", "reviews", [review(1, 1), review(2, 2, rating="9")])
    con = store.open_memory()
    try:
        with pytest.raises(ValidationError) as info:
            load_files(con, config, orders=good, reviews=bad)
        assert info.value.total == 1
        [problem] = info.value.problems
        assert (problem.file, problem.line, problem.column, problem.value) == (
            str(bad),
            3,
            "rating",
            "9",
        )
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
        # the transaction was rolled back: the connection takes the next load
        options = LoadOptions(strict=Strictness(max_errors=1, rejects_dir=tmp_path))
        result = load_files(con, config, orders=good, reviews=bad, options=options)
        assert [(f.table, f.inserted, f.rejected) for f in result.files] == [
            ("orders", 2, 0),
            ("reviews", 1, 1),
        ]
        assert result.rejects_files == [str(tmp_path / "reviews.csv.rejects.csv")]
    finally:
        con.close()


def test_reviews_of_old_recent_and_unknown_orders(tmp_path: Path) -> None:
    """Reviews' orders are looked for among recent orders first, then among all: a review
    of an order placed long before is loaded, one of no loaded order is refused."""
    db = tmp_path / "shop.duckdb"
    old = order(1, ordered_at="2024-01-05 10:00:00", paid_at="2024-01-05 10:05:00")
    recent = order(2, ordered_at="2025-06-01 10:00:00")
    after = order(3, ordered_at="2025-06-20 10:00:00")  # placed after the review (bad data)
    api.load(db, orders=write_csv(tmp_path / "orders.csv", "orders", [old, recent, after]))
    found = [review(1, 1), review(2, 2), review(3, 3)]
    result = api.load(db, reviews=write_csv(tmp_path / "found.csv", "reviews", found))
    assert [(f.inserted, f.rejected) for f in result.files] == [(3, 0)]
    unknown = [review(4, 1), review(5, 9), review(6, 2, shop_id="719992")]
    skip = LoadOptions(strict=Strictness(skip_invalid=True, rejects_dir=tmp_path))
    result = api.load(
        db, reviews=write_csv(tmp_path / "unknown.csv", "reviews", unknown), options=skip
    )
    assert [(f.inserted, f.rejected) for f in result.files] == [(1, 2)]
    with (tmp_path / "unknown.csv.rejects.csv").open(encoding="utf-8") as fh:
        rejected = [(r["line"], r["review_id"], r["errors"]) for r in csv.DictReader(fh)]
    reason = "order_id: review of an unknown order (no such order_id for this shop_id)"
    assert rejected == [("3", "rv5", reason), ("4", "rv6", reason)]


# --- a file that lacks a column, or is given in the wrong place ---------------------------


def _without(source: Path, target: Path, column: str, rename: str | None = None) -> Path:
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = [c for c in rows[0] if c != column] + ([rename] if rename else [])
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, names, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({**r, **({rename: r[column]} if rename else {})} for r in rows)
    return target


def _one_shop(tmp_path: Path, shop: str) -> Path:
    with (GOLDEN / "orders.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["shop_id"] == shop]
    target = tmp_path / "one.csv"
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_a_canonical_file_without_shop_id_is_loaded_for_the_shop_given(
    tmp_path: Path, run: Any
) -> None:
    one = _one_shop(tmp_path, "0042")
    assert run("load", tmp_path / "a.duckdb", one, "-q").exit_code == 0
    no_shop = _without(one, tmp_path / "no_shop.csv", "shop_id")
    refused = run("load", tmp_path / "b.duckdb", no_shop)
    assert refused.exit_code == 2
    assert "a file of one shop: give its id with --shop SHOP" in " ".join(refused.stderr.split())
    assert run("load", tmp_path / "b.duckdb", no_shop, "--shop", "0042", "-q").exit_code == 0
    scores = [
        json.loads(run("score", tmp_path / db, "--as-of", "2025-06-30", "-f", "json").stdout)
        for db in ("a.duckdb", "b.duckdb")
    ]
    assert scores[0]["shops"] == scores[1]["shops"]
    assert scores[0]["shops"][0]["valid_orders_in_window"] > 0


def test_a_missing_column_suggests_the_map_from_the_file_column_most_like_it(
    tmp_path: Path, run: Any
) -> None:
    renamed = _without(GOLDEN / "orders.csv", tmp_path / "o.csv", "ordered_at", "order_time")
    result = run("load", tmp_path / "x.duckdb", renamed)
    assert result.exit_code == 2
    assert "--map ordered_at=order_time" in " ".join(result.stderr.split())
    fixed = run("load", tmp_path / "x.duckdb", renamed, "--map", "ordered_at=order_time", "-q")
    assert fixed.exit_code == 0, fixed.output


def test_shop_option_beside_a_shop_id_column_is_warned(tmp_path: Path, run: Any) -> None:
    result = run("load", tmp_path / "x.duckdb", GOLDEN / "orders.csv", "--shop", "123")
    assert result.exit_code == 0
    assert "--shop '123' given, but the file has its own shop_id column" in " ".join(
        result.stderr.split()
    )


def test_a_shops_file_given_as_an_export_is_pointed_to_shops(tmp_path: Path, run: Any) -> None:
    result = run("load", tmp_path / "x.duckdb", GOLDEN / "shops.csv")
    assert result.exit_code == 2
    assert "this looks like a shops file: give it with --shops FILE" in result.stderr


def test_reviews_without_any_order_loaded_are_one_error(tmp_path: Path, run: Any) -> None:
    header_only = tmp_path / "orders.csv"
    header_only.write_text((GOLDEN / "orders.csv").read_text().splitlines()[0] + "\n")
    reviews = GOLDEN / "reviews.csv"
    for args in (
        ("load", tmp_path / "x.duckdb", header_only, "--reviews", reviews),
        ("score", "--orders", header_only, "--reviews", reviews),
    ):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {reviews}: no order is loaded"), result.stderr
        assert "review of an unknown order" not in result.stderr


# --- DuckDB's memory while a file streams in --------------------------------------------


def _memory_limit(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])  # type: ignore[index]


def test_memory_at_most_lowers_the_limit_for_a_block_only() -> None:
    con = duckdb.connect()
    default = _memory_limit(con)
    with store.memory_at_most(con, "512MB"):
        assert _memory_limit(con) == "488.2 MiB"  # 512·10⁶ bytes
    assert _memory_limit(con) == default
    with pytest.raises(KeyError), store.memory_at_most(con, "512MB"):
        raise KeyError("the block failed")
    assert _memory_limit(con) == default
    con.execute("SET memory_limit = '100MB'")
    with store.memory_at_most(con, "512MB"):  # a lower limit (--memory-limit) stays
        assert _memory_limit(con) == "95.3 MiB"
    assert _memory_limit(con) == "95.3 MiB"


def test_a_first_load_streams_in_under_a_capped_memory(
    tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file read into an empty table (a stage that becomes the table) runs with at most
    ``STREAM_MEMORY``; into a table holding rows (a temporary stage, which would spill)
    with DuckDB's own limit."""
    from svc_cli import stage

    seen: list[tuple[str, str]] = []
    execute = stage.execute

    def spy(con: duckdb.DuckDBPyConnection, sql: str, *args: Any) -> None:
        if sql.startswith("CREATE"):
            seen.append((sql.split(" AS ")[0], _memory_limit(con)))
        execute(con, sql, *args)

    monkeypatch.setattr(stage, "execute", spy)
    db = tmp_path / "x.duckdb"
    load_ok(run, db, GOLDEN / "orders.csv")
    load_ok(run, db, GOLDEN / "orders.csv")
    default = _memory_limit(duckdb.connect())
    assert seen == [
        ("CREATE TABLE main.typed_stage", "488.2 MiB"),
        ("CREATE TEMP TABLE typed_stage", default),
    ]


def test_a_sku_is_trimmed_as_an_id_is(run: Any, tmp_path: Path) -> None:
    """Whitespace around a SKU is no part of it (a platform export's cells are trimmed
    too): the padded file stores the SKU, and reloading the plain one changes nothing."""
    db = tmp_path / "shop.duckdb"
    padded = write_csv(tmp_path / "padded.csv", "orders", [order(1, sku="\u00a0SKU-1  ")])
    plain = write_csv(tmp_path / "plain.csv", "orders", [order(1, sku="SKU-1")])
    load_ok(run, db, padded)
    assert query(db, "SELECT sku FROM orders") == [("SKU-1",)]
    doc, _ = load_ok(run, db, plain)
    assert (doc["files"][0]["updated"], doc["files"][0]["unchanged"]) == (0, 1)
