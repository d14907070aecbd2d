"""Platform exports loaded end to end through `svc load` / `svc score` / `svc inspect`.

tests/test_presets.py checks each preset's normalised rows; this file checks that the
loader takes them as they come (detection, merges, shop ids, mappings, stdin) and gets
the same data and score as from the equivalent canonical CSV.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import presets
from svc_cli.load_options import Recognition
from tests.conftest import GOLDEN

PRESETS_DIR = Path(__file__).parent / "data" / "presets"
TAOBAO_SHOP = "57300001"


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def loaded(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_taobao_exports_merge_into_orders(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    doc = loaded(
        run(
            "load",
            db,
            PRESETS_DIR / "taobao_refunds.csv",
            PRESETS_DIR / "taobao_orders_v1.csv",
            PRESETS_DIR / "taobao_items_v1.csv",
            "--reviews",
            PRESETS_DIR / "taobao_traderates.csv",
            "--shop",
            TAOBAO_SHOP,
            "-f",
            "json",
        )
    )
    # orders rows first, then the merges that refer to them, then reviews
    assert [(f["preset"], f["encoding"]) for f in doc["files"]] == [
        ("taobao_orders_v1", "gb18030"),
        ("taobao_refunds", "gb18030"),
        ("taobao_items_v1", "gb18030"),
        ("taobao_traderates", "utf-8"),
    ]
    assert [(f["inserted"], f["updated"]) for f in doc["files"]] == [(5, 0), (0, 4), (0, 2), (3, 0)]
    merged = rows(
        db,
        """SELECT order_id, sku, quantity, refund_amount, refund_reason,
                         refund_status, refund_completed_at, escalated FROM orders
                         WHERE order_id IN ('3851234567890123456', '1622334455667791')
                         ORDER BY order_id""",
    )
    assert [(r[0], r[1], r[2], str(r[3]), r[4], r[5], str(r[6]), r[7]) for r in merged] == [
        (
            "1622334455667791",
            None,
            1,
            "88.00",
            "quality",
            "completed",
            "2024-12-12 15:30:00",
            False,
        ),
        (
            "3851234567890123456",
            "TS-WHITE-L;TS-BLACK-M",
            2,
            "0.00",
            "not_as_described",
            "requested",
            "None",
            True,
        ),
    ]
    # loading the same exports again leaves the same data (the orders export's 退款金额
    # predates one refund, which the refunds export, merged after it, sets again)
    before = rows(db, "SELECT * FROM orders ORDER BY order_id")
    again = [PRESETS_DIR / "taobao_orders_v1.csv", PRESETS_DIR / "taobao_refunds.csv"]
    loaded(run("load", db, *again, "--shop", TAOBAO_SHOP, "-f", "json"))
    assert rows(db, "SELECT * FROM orders ORDER BY order_id") == before


def test_refund_of_an_order_not_loaded_is_refused(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    result = run("load", db, PRESETS_DIR / "taobao_refunds.csv", "--shop", TAOBAO_SHOP)
    assert result.exit_code == 2
    assert "no such order loaded for this shop_id (load the orders export first)" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    ("fixture", "shop"),
    [
        ("taobao_orders_v1.csv", None),
        ("taobao_orders_v2.xlsx", None),
        ("douyin_orders.csv", "dy"),
        ("jd_orders.csv", "jd"),
        ("pdd_orders.csv", "pdd"),
        ("shopify_orders.csv", "shopify"),
        ("amazon_all_orders.txt", None),
    ],
)
def test_order_exports_load_like_their_canonical_csv(
    run: Any, tmp_path: Path, fixture: str, shop: str | None
) -> None:
    """Same rows and same score from the export as from the canonical CSV it stands for
    (the columns the export provides: an empty column would be a provided input)."""
    export = PRESETS_DIR / fixture
    normalised = presets.normalise(export, recognise=Recognition(shop_id=shop))
    canonical = tmp_path / "canonical.csv"
    with normalised.path.open(encoding="utf-8", newline="") as src:
        table = list(csv.DictReader(src))
    with canonical.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, list(normalised.mapping), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    normalised.cleanup()
    shop_args = ("--shop", shop) if shop else ()
    from_export, from_canonical = tmp_path / "export.duckdb", tmp_path / "canonical.duckdb"
    loaded(run("load", from_export, export, *shop_args, "-f", "json"))
    loaded(run("load", from_canonical, canonical, "-f", "json"))
    query = "SELECT * FROM orders ORDER BY shop_id, order_id"
    assert rows(from_export, query) == rows(from_canonical, query)
    assert len(rows(from_export, query)) >= 3
    score = ("score", "--as-of", "2025-01-01", "-f", "json")
    assert (
        run(score[0], from_export, *score[1:]).stdout
        == run(score[0], from_canonical, *score[1:]).stdout
    )
    # and straight from the file, no database
    direct = run("score", "--orders", export, *(("--shop", shop) if shop else ()), *score[1:])
    assert (
        json.loads(direct.stdout)["shops"]
        == json.loads(run(score[0], from_canonical, *score[1:]).stdout)["shops"]
    )


def test_reviews_without_order_ids_count_for_good_review_rate(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    loaded(run("load", db, PRESETS_DIR / "taobao_orders_v1.csv", "-f", "json"))
    result = run("load", db, PRESETS_DIR / "judgeme_reviews.csv", "--shop", TAOBAO_SHOP)
    assert result.exit_code == 0, result.output
    assert "have no order id" in result.stderr and "spam" in result.stderr
    assert rows(db, "SELECT order_id, rating, created_at FROM reviews") == [
        (None, 4, datetime(2023, 6, 1, 22, 0))  # 10:00 -04:00 in Shanghai time
    ]
    doc = loaded(run("score", db, "--as-of", "2023-06-30", "-f", "json"))
    assert doc["shops"][0]["indicators"]["good_review_rate"]["value"] == 1.0


def test_export_without_shop_column_needs_shop(run: Any, tmp_path: Path) -> None:
    result = run("load", tmp_path / "shop.duckdb", PRESETS_DIR / "jd_orders.csv")
    assert result.exit_code == 2
    assert "no shop id" in result.stderr and "--shop SHOP" in result.stderr
    assert list(tmp_path.iterdir()) == []  # a failed first load leaves no database behind


def test_a_padded_shop_id_is_trimmed_as_the_cells_are(run: Any, tmp_path: Path) -> None:
    """The stage takes a platform export's mapped ids as the read step trimmed them; a
    given shop id is trimmed the same way, not stored with its spaces."""
    db = tmp_path / "shop.duckdb"
    result = run("load", db, PRESETS_DIR / "jd_orders.csv", "--shop", " JD1\u3000")
    assert result.exit_code == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("SELECT DISTINCT shop_id FROM orders").fetchall() == [("JD1",)]


def test_file_given_as_the_wrong_table(run: Any, tmp_path: Path) -> None:
    result = run(
        "load", tmp_path / "shop.duckdb", "--reviews", PRESETS_DIR / "taobao_orders_v1.csv"
    )
    assert result.exit_code == 2 and "given as reviews, but it is a orders export" in result.stderr


UNKNOWN_EXPORT = (
    "单号,店铺,下单,付款,状态,实付\nA1,my,2025-01-02 10:00:00,2025-01-02 10:01:00,已完成,12.50\n"
)


def test_unknown_export_with_column_map_and_mapping_file(run: Any, tmp_path: Path) -> None:
    export = tmp_path / "erp.csv"
    export.write_text(UNKNOWN_EXPORT, encoding="utf-8")
    db = tmp_path / "shop.duckdb"
    refused = run("load", db, export)
    assert refused.exit_code == 2 and "no preset recognises this export" in refused.stderr
    mapping = tmp_path / "erp.toml"
    mapping.write_text(
        'table = "orders"\n[columns]\norder_id = "单号"\nshop_id = "店铺"\nordered_at = "下单"\n'
        'paid_at = "付款"\nstatus = "状态"\namount = "实付"\n[status]\n"已完成" = "completed"\n',
        encoding="utf-8",
    )
    doc = loaded(run("load", db, export, "--mapping", mapping, "-f", "json"))
    assert (doc["files"][0]["preset"], doc["files"][0]["inserted"]) == ("mapped", 1)
    assert rows(db, "SELECT order_id, shop_id, status, amount::VARCHAR FROM orders") == [
        ("A1", "my", "completed", "12.50")
    ]
    # --map on the command line overrides the file
    flags = [
        f"--map={c}"
        for c in ("order_id=单号", "shop_id=店铺", "ordered_at=下单", "paid_at=付款", "status=状态")
    ]
    missing_status = run("load", tmp_path / "other.duckdb", export, *flags)
    assert missing_status.exit_code == 2 and "已完成" in missing_status.stderr


def test_stdin(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    text = (Path(__file__).parent / "data" / "golden" / "orders.csv").read_text(encoding="utf-8")
    doc = loaded(run("load", db, "-", "-f", "json", input=text))
    assert doc["files"][0]["file"] == "stdin" and doc["files"][0]["inserted"] == 4421


def test_a_pipe_is_read_once_into_a_copy(tmp_path: Path) -> None:
    """``svc load db <(zcat orders.csv.gz)``: a pipe can be read only once; it is copied
    like stdin, not sniffed and then read again (which saw a header-less rest)."""
    db, fifo = tmp_path / "shop.duckdb", tmp_path / "orders.pipe"
    data = gzip.compress((Path(__file__).parent / "data" / "golden" / "orders.csv").read_bytes())
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as out:  # blocks until svc opens the pipe
            out.write(data)

    threading.Thread(target=write, daemon=True).start()
    # a process of its own: reading the pipe twice would wait for a writer for ever
    command = [sys.executable, "-m", "svc_cli", "load", str(db), str(fifo), "-f", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["files"][0]["file"] == str(fifo) and doc["files"][0]["inserted"] == 4421


def test_inspect_loads_nothing(run: Any, tmp_path: Path) -> None:
    result = run("inspect", PRESETS_DIR / "taobao_orders_v1.csv", "-f", "json")
    info = loaded(result)
    assert (info["preset"], info["encoding"], info["table"], info["rows"]) == (
        "taobao_orders_v1",
        "gb18030",
        "orders",
        5,
    )
    assert info["mapping"]["order_id"] == "订单编号" and "收货地址" in info["unmapped"]
    assert info["sample"][0]["order_id"] == "3851234567890123456"  # 19 digits, exact
    assert "taobao_orders_v1" in run("inspect", PRESETS_DIR / "taobao_orders_v1.csv").stdout
    listed = loaded(run("presets", "-f", "json"))["presets"]
    assert {p["preset"] for p in listed} >= {
        "taobao_orders_v1",
        "douyin_orders",
        "jd_orders",
        "pdd_orders",
        "shopify_orders",
        "amazon_all_orders",
    }
    assert list(tmp_path.iterdir()) == []


def test_shop_filter_on_an_export_with_a_shop_column_does_not_rename(run: Any) -> None:
    export = PRESETS_DIR / "taobao_orders_v2.xlsx"
    as_of = ("--as-of", "2025-01-01", "-f", "json")
    found = loaded(run("score", "--orders", export, "--shop", "暖阳优选服饰旗舰店", *as_of))
    assert [s["shop_id"] for s in found["shops"]] == ["暖阳优选服饰旗舰店"]
    other = run("score", "--orders", export, "--shop", "another-shop", *as_of)
    assert other.exit_code == 2 and "unknown shop id(s): another-shop" in other.stderr


BROKEN = sorted(p.name for p in (PRESETS_DIR / "broken").iterdir() if p.name != "header_only.csv")


@pytest.mark.parametrize("name", BROKEN)
def test_broken_exports_leave_the_database_unchanged(run: Any, tmp_path: Path, name: str) -> None:
    db = tmp_path / "shop.duckdb"
    loaded(run("load", db, PRESETS_DIR / "taobao_orders_v1.csv", "-f", "json"))
    before = rows(db, "SELECT * FROM orders ORDER BY order_id")
    result = run("load", db, PRESETS_DIR / "broken" / name, "--shop", TAOBAO_SHOP)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and name in result.stderr
    assert rows(db, "SELECT * FROM orders ORDER BY order_id") == before


@pytest.mark.parametrize(
    ("fixture", "shop"),
    [("taobao_traderates.csv", "57300001")],  # review apps carry no order id: no canonical twin
)
def test_a_review_gets_one_id_whichever_way_it_is_loaded(
    run: Any, tmp_path: Path, fixture: str, shop: str
) -> None:
    """A review without an id loaded from a platform export and from the canonical CSV it
    stands for (without ids) gets the same synthesised id: loading both counts it once."""
    export = PRESETS_DIR / fixture
    normalised = presets.normalise(export, recognise=Recognition(shop_id=shop))
    canonical = tmp_path / "reviews.csv"
    with normalised.path.open(encoding="utf-8", newline="") as src:
        records = list(csv.DictReader(src))
    normalised.cleanup()
    fields = [f for f in records[0] if f != "review_id"]
    with canonical.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    orders = tmp_path / "orders.csv"
    ids = sorted({r["order_id"] for r in records})
    orders.write_text(
        "order_id,shop_id,ordered_at,paid_at,status\n"
        + "".join(f"{o},{shop},2018-01-01 00:00:00,2018-01-01 00:00:00,completed\n" for o in ids),
        encoding="utf-8",
    )
    db = tmp_path / "both.duckdb"
    loaded(run("load", db, orders, "-f", "json"))
    loaded(run("load", db, "--reviews", canonical, "--shop", shop, "-f", "json"))
    first = sorted(rows(db, "SELECT review_id FROM reviews"))
    loaded(run("load", db, export, "--shop", shop, "-f", "json"))
    assert sorted(rows(db, "SELECT review_id FROM reviews")) == first
    assert all(r[0].startswith("h") and len(r[0]) == 33 for r in first)


def test_rows_the_loader_refuses_in_an_export_name_its_own_lines(run: Any, tmp_path: Path) -> None:
    """A platform export's rows reach the stage with their line in the source: a row
    the loader refuses is reported (and written to the rejects file) at that line, even
    after rows the preset skipped."""
    with (PRESETS_DIR / "taobao_orders_v1.csv").open(encoding="gb18030", newline="") as fh:
        header, first, second, third, *_ = list(csv.reader(fh))
    quantity, amount = header.index("宝贝总数量"), header.index("买家实际支付金额")
    unreadable = [*second[:quantity], "abc", *second[quantity + 1 :]]
    other_amount = [*third[:amount], "1.00", *third[amount + 1 :]]
    export = tmp_path / "taobao.csv"
    with export.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([header, first, unreadable, third, other_amount])
    doc = loaded(run("load", tmp_path / "shop.duckdb", export, "--skip-invalid", "-f", "json"))
    # the row the preset skipped is one of the rows read and of the rows rejected
    assert [(f["rows"], f["inserted"], f["rejected"]) for f in doc["files"]] == [(4, 2, 2)]
    with (tmp_path / "taobao.csv.rejects.csv").open(encoding="utf-8") as fh:
        assert [(r["line"], r["errors"]) for r in csv.DictReader(fh)] == [
            ("3", "宝贝总数量: not a whole number")
        ]
    with (tmp_path / "taobao.csv.canonical.rejects.csv").open(encoding="utf-8") as fh:
        refused = list(csv.DictReader(fh))
    assert [(r["line"], r["errors"], r["order_id"]) for r in refused] == [
        (
            "5",
            "order_id: duplicate key with different values (first on line 4)",
            "1622334455667789",
        )
    ]
    assert rows(tmp_path / "shop.duckdb", "SELECT count(*) FROM orders") == [(2,)]


def test_an_error_while_mapping_a_later_batch_is_raised_as_itself() -> None:
    """The stage reads a platform export's batches as DuckDB reads them; an error the
    mapping raises on a later batch reaches the user as itself (message and hint), not as
    DuckDB's report of a failed stream."""
    import polars as pl

    from svc_cli import store
    from svc_cli.errors import InputError
    from svc_cli.schema import ORDERS
    from svc_cli.stage import MappedRows, Stage

    def batches(_con: Any) -> Any:
        yield pl.DataFrame({"_line": [2], **{c: ["1"] for c in ORDERS.column_names}})
        raise InputError("taobao.csv:200002: unknown status '拼团中'", "map it with --status")

    con = store.open_memory()
    mapped = MappedRows(batches)
    header = mapped.header(con, "taobao.csv")
    with (
        Stage(con, ORDERS, header, "taobao.csv", mapped=mapped) as stage,
        pytest.raises(InputError) as info,
    ):
        stage.read()
    assert (info.value.message, info.value.hint) == (
        "taobao.csv:200002: unknown status '拼团中'",
        "map it with --status",
    )


def test_amounts_and_counts_a_preset_parsed_reach_the_stage_as_values() -> None:
    """A preset hands the stage the amounts and counts it parsed as values (not as text
    to parse again): stored as they are, and the stage's own checks still apply to them,
    naming the line and the value."""
    from decimal import Decimal

    import polars as pl

    from svc_cli import store
    from svc_cli.presets.base import MONEY, to_canonical
    from svc_cli.schema import ORDERS
    from svc_cli.stage import MappedRows, Stage

    mapped_frame = pl.DataFrame(
        {
            "_line": [2, 3, 4],
            "order_id": ["A1", "A2", "A3"],
            "shop_id": ["s1", "s1", "s1"],
            "ordered_at": ["2026-05-01 10:00:00", "2026-05-02 11:00:00", "2026-05-03 12:00:00"],
            "amount": pl.Series(["1234.50", "-3.5", "8"]).cast(MONEY),
            "refund_amount": pl.Series(["0", "0", None]).cast(MONEY),
            "quantity": pl.Series([2, 1, 0], dtype=pl.Int64),
            "status": ["completed", "completed", "paid"],
        }
    )
    canonical = to_canonical(mapped_frame, "orders", "rows")
    assert (canonical.schema["amount"], canonical.schema["quantity"]) == (MONEY, pl.Int64)
    assert canonical.schema["sku"] == pl.String  # not given: blank text

    def batches(_con: Any) -> Any:
        yield canonical

    con = store.open_memory()
    mapped = MappedRows(batches)
    header = mapped.header(con, "taobao.csv")
    assert mapped.native == frozenset({"amount", "refund_amount", "quantity"})
    with Stage(con, ORDERS, header, "taobao.csv", mapped=mapped) as stage:
        stage.read()
        assert [(p.line, p.column, p.value, str(p.reason)) for p in stage.problems(5)] == [
            (3, "amount", "-3.50", "must not be negative"),
            (4, "quantity", "0", "must be at least 1"),
        ]
        assert con.execute(
            f"SELECT order_id, amount, refund_amount, quantity FROM {stage.name} WHERE NOT _bad"
        ).fetchall() == [("A1", Decimal("1234.50"), Decimal("0.00"), 2)]


def test_an_amount_polars_widened_reaches_the_stage_as_money() -> None:
    """``fill_null(0)`` widens Decimal(18,2) to Decimal(38,2): still an amount, handed
    over as a value (not as text for the stage to parse again)."""
    from decimal import Decimal

    import polars as pl

    from svc_cli.presets.base import MONEY, to_canonical

    frame = pl.DataFrame(
        {"_line": [2, 3], "order_id": ["A1", "A2"], "refund_amount": ["1.50", None]}
    ).with_columns(pl.col("refund_amount").cast(MONEY).fill_null(0))
    assert frame.schema["refund_amount"] != MONEY
    canonical = to_canonical(frame, "orders", "rows")
    assert canonical.schema["refund_amount"] == MONEY
    assert canonical["refund_amount"].to_list() == [Decimal("1.50"), Decimal("0.00")]
    # a sum over MONEY's 18 digits stays text: the stage refuses it, naming the row
    big = pl.Series(["9999999999999999.00"] * 2).cast(MONEY)
    summed = pl.DataFrame({"_line": [2], "order_id": ["A1"], "refund_amount": [big.sum()]})
    assert to_canonical(summed, "orders", "rows")["refund_amount"].to_list() == [
        "19999999999999998.00"
    ]


def test_an_impossible_date_in_the_canonical_form_is_refused_by_the_preset(
    run: Any, tmp_path: Path
) -> None:
    """A preset parses a time written as YYYY-MM-DD HH:MM:SS itself and hands the stage
    the value (no text for it to parse and check again): a date that does not exist is
    refused there, with its place in the export and its header."""
    with (PRESETS_DIR / "taobao_orders_v1.csv").open(encoding="gb18030", newline="") as fh:
        header, first, second, *_ = list(csv.reader(fh))
    paid = header.index("订单付款时间 ")
    impossible = [*second[:paid], "2024-02-30 08:24:29", *second[paid + 1 :]]
    export = tmp_path / "taobao.csv"
    with export.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([header, first, impossible])
    result = run("load", tmp_path / "shop.duckdb", export)
    assert result.exit_code == 2
    assert (
        f"{export}:3: column '订单付款时间': not a date/time (expected e.g. 2024-05-31 "
        "14:16:18 or 2024/5/31 14:16) (got '2024-02-30 08:24:29'; preset taobao_orders_v1)"
    ) in result.stderr


def test_an_export_whose_every_row_the_preset_skips_is_recorded(run: Any, tmp_path: Path) -> None:
    """--skip-invalid on an export with no valid row: nothing is stored, the load is
    logged (svc_loads) with every row read and rejected, the rows in the rejects file."""
    with (PRESETS_DIR / "taobao_orders_v1.csv").open(encoding="gb18030", newline="") as fh:
        header, *body = list(csv.reader(fh))
    quantity = header.index("宝贝总数量")
    export = tmp_path / "taobao.csv"
    with export.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows(
            [header, *([*r[:quantity], "x", *r[quantity + 1 :]] for r in body)]
        )
    db = tmp_path / "shop.duckdb"
    doc = loaded(run("load", db, export, "--skip-invalid", "-f", "json"))
    assert [(f["rows"], f["inserted"], f["rejected"]) for f in doc["files"]] == [
        (len(body), 0, len(body))
    ]
    assert rows(db, "SELECT count(*) FROM orders") == [(0,)]
    assert rows(db, "SELECT file, rows_read, rejected FROM svc_loads") == [
        (str(export), len(body), len(body))
    ]
    with (tmp_path / "taobao.csv.rejects.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(body)


def _taobao_with_bad_quantities(tmp_path: Path, bad: int) -> tuple[Path, int]:
    """The Taobao order report fixture with the quantity of its first ``bad`` rows unreadable."""
    with (PRESETS_DIR / "taobao_orders_v1.csv").open(encoding="gb18030", newline="") as fh:
        header, *body = list(csv.reader(fh))
    quantity = header.index("宝贝总数量")
    for row in body[:bad]:
        row[quantity] = "x"
    export = tmp_path / "taobao.csv"
    with export.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([header, *body])
    return export, len(body)


def test_max_errors_lets_a_preset_skip_that_many_rows(run: Any, tmp_path: Path) -> None:
    export, rows_in = _taobao_with_bad_quantities(tmp_path, 1)
    db = tmp_path / "shop.duckdb"
    doc = loaded(run("load", db, export, "--max-errors", "1", "-f", "json"))
    assert [(f["rows"], f["inserted"], f["rejected"]) for f in doc["files"]] == [
        (rows_in, rows_in - 1, 1)
    ]
    with (tmp_path / "taobao.csv.rejects.csv").open(encoding="utf-8") as fh:
        assert [(r["line"], r["errors"]) for r in csv.DictReader(fh)] == [
            ("2", "宝贝总数量: not a whole number")
        ]


def test_more_invalid_rows_than_max_errors_refuse_the_load(run: Any, tmp_path: Path) -> None:
    export, _rows_in = _taobao_with_bad_quantities(tmp_path, 2)
    db = tmp_path / "shop.duckdb"
    result = run("load", db, export, "--max-errors", "1")
    assert result.exit_code == 2
    assert "2 invalid row(s); nothing was loaded" in result.stderr
    assert f"{export}:2: column '宝贝总数量'" in result.stderr
    assert not db.exists() and not (tmp_path / "taobao.csv.rejects.csv").exists()


def test_a_skipped_rows_problem_shows_its_value_once(run: Any, tmp_path: Path) -> None:
    """A reason that names the value (an unknown status) is not followed by it again."""
    with (PRESETS_DIR / "taobao_orders_v1.csv").open(encoding="gb18030", newline="") as fh:
        header, *body = list(csv.reader(fh))
    status = header.index("订单状态")
    for row in body[:2]:
        row[status] = "拼团中"
    export = tmp_path / "taobao.csv"
    with export.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([header, *body])
    result = run("load", tmp_path / "shop.duckdb", export, "--max-errors", "1")
    assert result.exit_code == 2
    line = next(ln for ln in result.stderr.splitlines() if f"{export}:2:" in ln)
    assert "column '订单状态': unknown status '拼团中' for preset taobao_orders_v1" in line
    assert line.count("拼团中") == 1


def test_inspect_shows_a_canonical_file_as_it_would_be_stored(run: Any, tmp_path: Path) -> None:
    """Cells as the load stores them (trimmed, a choice in lower case, a flag's word as
    a boolean, an amount with its cents); a row the load would reject is named."""
    lines = (GOLDEN / "orders.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:4]]
    rows[0][header.index("status")] = " PAID "
    rows[0][header.index("escalated")] = "TRUE"
    rows[0][header.index("amount")] = " 12.5"
    rows[0][header.index("shop_id")] = f" {rows[0][header.index('shop_id')]} "
    rows[1][header.index("status")] = "maybe"
    # a time with an offset, which DuckDB's fast read passes over: shown in shop time
    paid = datetime.fromisoformat(rows[2][header.index("paid_at")])
    rows[2][header.index("paid_at")] = (paid - timedelta(hours=8)).isoformat() + "+00:00"
    messy = tmp_path / "orders.csv"
    messy.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    result = run("inspect", messy, "-f", "json")
    info = loaded(result)
    row, offset = info["sample"]
    assert offset["paid_at"] == paid.strftime("%Y-%m-%d %H:%M:%S") and info["rows"] == 3
    shop = rows[0][header.index("shop_id")].strip()
    assert (row["status"], row["escalated"], row["amount"], row["shop_id"]) == (
        "paid",
        "true",
        "12.50",
        shop,
    )
    assert f"{messy}:3: column 'status': must be one of" in " ".join(info["warnings"])
    assert list(tmp_path.iterdir()) == [messy]


def test_inspect_reads_a_file_of_mixed_line_ends_as_the_load_does(run: Any, tmp_path: Path) -> None:
    lines = (GOLDEN / "orders.csv").read_text(encoding="utf-8").splitlines()[:4]
    mixed = tmp_path / "orders.csv"
    mixed.write_bytes("\r\n".join(lines[:2]).encode() + b"\n" + "\r\n".join(lines[2:]).encode())
    info = loaded(run("inspect", mixed, "-f", "json"))
    assert [r["order_id"] for r in info["sample"]] == [line.split(",")[0] for line in lines[1:]]
    assert info["warnings"] == [
        f"{mixed}: mixes Windows (CRLF) and Unix (LF) line ends; each was read as a line end"
    ]
