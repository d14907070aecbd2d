"""Data coverage (spec §10): what was not provided is not assessed, never perfect."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import api, store
from svc_cli.coverage import NEEDS
from svc_cli.schema import ORDERS
from tests.conftest import GOLDEN, GOLDEN_AS_OF
from tests.factories import ORDER_FIELDS, order, write_orders

SHOP = "0042"  # every indicator is assessed for this shop in the worked example
SCORE = ("--as-of", GOLDEN_AS_OF, "--shop", SHOP, "-f", "json")


def _copy_without(src: Path, dst: Path, drop: set[str]) -> Path:
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [f for f in reader.fieldnames or [] if f not in drop]
        rows = list(reader)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return dst


def _score(run: Any, *args: Any) -> dict[str, Any]:
    result = run("score", *args, *SCORE)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["shops"][0]


@pytest.fixture(scope="module")
def full(golden_db: Path) -> dict[str, Any]:
    from typer.testing import CliRunner

    from svc_cli.cli import app

    result = CliRunner().invoke(app, ["score", str(golden_db), *SCORE])
    shop: dict[str, Any] = json.loads(result.stdout)["shops"][0]
    assert shop["assessed_indicators"] == 8
    return shop


# Each input withheld in turn: (orders columns dropped, tables not loaded, input named)
WITHHELD = [
    ({"shipped_at"}, set(), "shipped_at"),
    ({"delivered_at"}, set(), "delivered_at"),
    ({"refund_reason"}, set(), "refund_reason"),
    ({"refund_requested_at"}, set(), "refund_requested_at"),
    ({"refund_completed_at"}, set(), "refund_completed_at"),
    ({"escalated"}, set(), "escalated"),
    (set(), {"reviews"}, "reviews"),
    (set(), {"chats"}, "chats"),
]


@pytest.mark.parametrize(("columns", "tables", "input_name"), WITHHELD)
def test_each_missing_input_is_not_assessed_and_not_scored_as_perfect(
    run: Any,
    tmp_path: Path,
    full: dict[str, Any],
    columns: set[str],
    tables: set[str],
    input_name: str,
) -> None:
    orders = _copy_without(GOLDEN / "orders.csv", tmp_path / "orders.csv", columns)
    files: list[Any] = ["--orders", orders, "--shops", GOLDEN / "shops.csv"]
    for table in ("reviews", "chats"):
        if table not in tables:
            files += [f"--{table}", GOLDEN / f"{table}.csv"]
    shop = _score(run, *files)
    hit = {name for name, needs in NEEDS.items() if any(n.startswith(input_name) for n in needs)}
    assert hit, input_name
    for name, ind in shop["indicators"].items():
        if name in hit:
            assert (ind["assessed"], ind["value"], ind["score"]) == (False, None, None)
            assert ind["reason"].startswith("not provided: ") and input_name in ind["reason"]
            assert ind["effective_weight"] == 0.0
        else:  # the others keep their values; their weights take the missing one's share
            assert ind["value"] == pytest.approx(full["indicators"][name]["value"], abs=1e-12)
            assert ind["assessed"] is True
    assert shop["assessed_indicators"] == 8 - len(hit)
    assert shop["missing_inputs"] == [input_name]
    assert sum(d["effective_weight"] for d in shop["dimensions"].values()) == pytest.approx(1.0)
    # the base is the weighted mean of what was measured, nothing more
    expected_base = sum(
        ind["score"] * ind["overall_weight"]
        for ind in shop["indicators"].values()
        if ind["assessed"]
    )
    assert shop["base_score"] == pytest.approx(expected_base)


def test_partial_score_warns_naming_the_missing_input(run: Any, tmp_path: Path) -> None:
    result = run(
        "score", "--orders", GOLDEN / "orders.csv", "--chats", GOLDEN / "chats.csv", *SCORE
    )
    assert result.exit_code == 0
    assert "shop 0042: 6 of 8 indicators assessed; not provided: reviews\n" in result.stderr
    shop = json.loads(result.stdout)["shops"][0]
    assert shop["indicators"]["good_review_rate"]["reason"] == (
        "not provided: reviews — load the review export with --reviews"
    )


def test_orders_with_required_columns_only_are_no_data(run: Any, tmp_path: Path) -> None:
    rows = [order(f"o{i}", "2025-06-10 10:00:00", status="paid") for i in range(40)]
    bare = tmp_path / "bare.csv"
    _copy_without(
        write_orders(tmp_path / "o.csv", rows),
        bare,
        set(ORDER_FIELDS) - {"order_id", "shop_id", "ordered_at", "paid_at", "status"},
    )
    result = run("score", "--orders", bare, "--as-of", "2025-06-30", "-f", "json")
    shop = json.loads(result.stdout)["shops"][0]
    assert (shop["status"], shop["score"], shop["tier"], shop["stars"]) == (
        "no_data",
        None,
        None,
        None,
    )
    assert shop["assessed_indicators"] == 0
    assert "no data" in shop["notes"][0]
    table = run("score", "--orders", bare, "--as-of", "2025-06-30")
    assert "no data" in table.stdout and "not provided: shipped_at" in table.stdout


def test_header_only_file_counts_as_provided_and_coverage_only_grows(
    run: Any, tmp_path: Path
) -> None:
    db = tmp_path / "shop.duckdb"
    rows = [
        order(f"o{i}", "2025-06-10 10:00:00", shipped_at="2025-06-11 10:00:00") for i in range(40)
    ]
    orders = write_orders(tmp_path / "o.csv", rows)
    empty_reviews = tmp_path / "reviews.csv"
    empty_reviews.write_text("order_id,shop_id,rating,created_at\n", encoding="utf-8")
    assert run("load", db, orders, "--reviews", empty_reviews, "-q").exit_code == 0
    slim = _copy_without(orders, tmp_path / "slim.csv", {"shipped_at", "delivered_at"})
    assert run("load", db, slim, "-q").exit_code == 0  # a later file without the columns
    shop = json.loads(run("score", db, "--as-of", "2025-06-30", "-f", "json").stdout)["shops"][0]
    good = shop["indicators"]["good_review_rate"]
    assert good["reason"] == "no review created in the window"  # provided: none, not missing
    assert shop["indicators"]["pickup_48h_rate"]["value"] == 1.0  # shipped_at still provided
    assert "reviews" in api.info(db)["shops"][0]["provided"]


def test_reviews_loaded_with_orders_cover_their_shops(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    rows = [order("a1", "2025-06-10 10:00:00", shop_id="A")]
    rows.append(order("b1", "2025-06-10 10:00:00", shop_id="B"))
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(
        "order_id,shop_id,rating,created_at\na1,A,5,2025-06-12 10:00:00\n", encoding="utf-8"
    )
    loaded = run("load", db, write_orders(tmp_path / "o.csv", rows), "--reviews", reviews, "-q")
    assert loaded.exit_code == 0
    provided = {s["shop_id"]: s["provided"] for s in api.info(db)["shops"]}
    assert "reviews" in provided["A"] and "reviews" in provided["B"]
    # a later chats file covers only the shops it has rows for
    chats = tmp_path / "chats.csv"
    chats.write_text(
        "session_id,shop_id,started_at,first_response_seconds\nc1,A,2025-06-12 10:00:00,5\n",
        encoding="utf-8",
    )
    assert run("load", db, "--chats", chats, "-q").exit_code == 0
    provided = {s["shop_id"]: s["provided"] for s in api.info(db)["shops"]}
    assert "chats" in provided["A"] and "chats" not in provided["B"]
    assert "chats.satisfaction" not in provided["A"]


def test_older_database_gets_coverage_inferred(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    rows = [
        order("o1", "2025-06-10 10:00:00", shipped_at="2025-06-11 10:00:00"),
        order("o2", "2025-06-10 10:00:00", shop_id="B"),
    ]
    api.load(db, orders=write_orders(tmp_path / "o.csv", rows))
    with duckdb.connect(str(db)) as con:  # as a schema-2 database: no coverage recorded
        con.execute("DROP TABLE coverage")
        con.execute("UPDATE svc_meta SET value = '2' WHERE key = 'schema_version'")
    info = api.info(db)
    assert info["schema_version"] == store.SCHEMA_VERSION
    shops = {s["shop_id"]: s for s in info["shops"]}
    # s1: the columns with a value; escalated=false everywhere is the old default, not data
    assert shops["s1"]["provided"] == ["amount", "customer_id", "shipped_at"]
    assert shops["s1"]["inferred"] == shops["s1"]["provided"]
    assert shops["B"]["provided"] == ["amount", "customer_id"]
    # a load of the export records what it provides: inferred no more
    api.load(db, orders=write_orders(tmp_path / "o.csv", rows))
    again = {s["shop_id"]: s for s in api.info(db)["shops"]}
    assert again["s1"]["inferred"] == [] and again["B"]["inferred"] == []
    assert set(shops["s1"]["provided"]) < set(again["s1"]["provided"])


def _taobao_module() -> Any:
    path = Path(__file__).parent / "data" / "presets" / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_fixtures", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_taobao_order_report_alone_scores_no_higher_than_with_refunds(
    run: Any, tmp_path: Path
) -> None:
    """The case found in use: slow pickup, fast refunds. The order report alone used to
    score goods and service as perfect 5.00 (higher than with the refund export); now it
    is scored on logistics only, what it measures."""
    fx = _taobao_module()
    orders, refunds = [], []
    for i in range(40):
        oid = f"16223344556{i:05d}"
        paid = f"2024-12-{1 + i % 20:02d} 10:00:00"
        shipped = f"2024-12-{(4 if i % 2 else 2) + i % 20:02d} 09:00:00"  # half shipped late
        confirmed = f"2024-12-{5 + i % 20:02d} 10:00:00"
        orders.append(
            fx.taobao_v1_row(
                oid, f"buyer{i}", "50.00", "交易成功", paid, paid, "1", "订单未关闭", "0.00",
                confirmed, shipped,
            )
        )  # fmt: skip
        if i % 4 == 0:  # a quality refund on every fourth order, completed within 2 hours
            refunds.append(
                fx.refund_row(
                    f"9{i:04d}", oid, "50.00", "质量问题", "退款成功",
                    f"2024-12-{6 + i % 20:02d} 10:00:00", f"2024-12-{6 + i % 20:02d} 12:00:00",
                    "客服未介入",
                )
            )  # fmt: skip
    order_file = tmp_path / "ExportOrderList.csv"
    order_file.write_bytes(fx.csv_bytes(fx.TAOBAO_V1_HEADER, orders, encoding="gbk", crlf=True))
    refund_file = tmp_path / "refunds.csv"
    refund_file.write_bytes(
        fx.csv_bytes(fx.TAOBAO_REFUNDS_HEADER, refunds, encoding="gbk", crlf=True)
    )
    as_of = ("--as-of", "2025-01-01", "-f", "json")
    alone_db, both_db = tmp_path / "alone.duckdb", tmp_path / "both.duckdb"
    assert run("load", alone_db, order_file, "-q").exit_code == 0
    shop = ("--shop", "57300001")  # the refund export has no shop column
    assert run("load", both_db, order_file, refund_file, *shop, "-q").exit_code == 0
    alone = json.loads(run("score", alone_db, *as_of).stdout)["shops"][0]
    both = json.loads(run("score", both_db, *as_of).stdout)["shops"][0]
    assert alone["status"] == both["status"] == "scored"
    assert alone["score"] <= both["score"]
    # neither goods nor service was measured from the order report alone
    assert alone["dimensions"]["goods"]["score"] is None
    assert alone["dimensions"]["service"]["score"] is None
    assert "refund_reason" in alone["missing_inputs"]
    assert both["indicators"]["refund_hours"]["assessed"] is True


def test_refunds_never_shipped_without_request_times_are_named_as_late_pickups(
    run: Any, tmp_path: Path
) -> None:
    """Orders paid, refunded and never shipped are late pickups unless the refund was
    asked for within 48 h (spec §9): without refund_requested_at svc counts them late, as
    the spec says, and says so; with the request times loaded it says nothing."""
    rows = [
        order(f"o{i}", "2025-06-10 10:00:00", shipped_at="2025-06-11 09:00:00", status="shipped")
        for i in range(36)
    ]
    rows += [order(f"r{i}", "2025-06-10 10:00:00", status="refunded") for i in range(4)]
    without = _copy_without(
        write_orders(tmp_path / "o.csv", rows), tmp_path / "no_requests.csv",
        {"refund_requested_at", "refund_completed_at"},
    )  # fmt: skip
    alone = run("score", "--orders", without, "--as-of", "2025-06-30", "-f", "json")
    assert alone.exit_code == 0, alone.output
    pickup = json.loads(alone.stdout)["shops"][0]["indicators"]["pickup_48h_rate"]
    assert pickup["value"] == pytest.approx(36 / 40)
    assert (
        "shop s1: 4 refunded order(s) never shipped count as late pickups: without refund "
        "request times (not provided: refund_requested_at)"
    ) in " ".join(alone.stderr.split())
    for row in rows[36:]:  # asked for within the hour: not due
        row.update(refund_requested_at="2025-06-10 11:00:00", refund_status="completed")
    timed = run("score", "--orders", write_orders(tmp_path / "t.csv", rows), "--as-of",
                "2025-06-30", "-f", "json")  # fmt: skip
    assert json.loads(timed.stdout)["shops"][0]["indicators"]["pickup_48h_rate"]["value"] == 1.0
    assert "never shipped" not in timed.stderr


@pytest.mark.parametrize(
    ("command", "when"),
    [("diagnose", "--as-of"), ("plan", "--as-of"), ("trend", "--to")],
)
def test_one_shop_commands_warn_what_was_not_assessed(
    run: Any, tmp_path: Path, command: str, when: str
) -> None:
    """diagnose, plan and trend carry the score's coverage warning like score does."""
    day = GOLDEN_AS_OF if when == "--as-of" else "2025-06-29"
    result = run(
        command,
        "--orders",
        GOLDEN / "orders.csv",
        "--chats",
        GOLDEN / "chats.csv",
        "--shop",
        "0042",
        when,
        day,
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert "shop 0042: 6 of 8 indicators assessed; not provided: reviews\n" in result.stderr


# --- an indicator's column given but blank in every row (provided, but worth a word) ------

ORDERS_HEADER = "order_id,shop_id,ordered_at,paid_at,status,shipped_at,escalated\n"
BLANK_ESCALATED = (
    "o1,s1,2025-06-10 10:00:00,2025-06-10 10:00:00,completed,2025-06-11 09:00:00,\n"
    "o2,s1,2025-06-11 10:00:00,2025-06-11 10:00:00,completed,2025-06-12 09:00:00,\n"
)


def _blank_warnings(warnings: list[str]) -> list[str]:
    return [w for w in warnings if "blank in every row" in w]


def test_a_column_blank_in_every_row_is_provided_with_a_warning(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_HEADER + BLANK_ESCALATED, encoding="utf-8")
    db = tmp_path / "shop.duckdb"
    warnings = _blank_warnings(api.load(db, orders=orders).warnings)
    assert warnings == [
        f"{orders}: column(s) escalated blank in every row, counted as provided (the export "
        "says: none) — the indicators that need them (help_rate) are scored as if nothing "
        "happened; if the export does not measure them, remove the column(s)"
    ]
    assert "escalated" in api.info(db)["shops"][0]["provided"]  # the spec: still provided
    with duckdb.connect(str(db), read_only=True) as con:  # the stage's helper column is gone
        columns = [r[0] for r in con.execute("DESCRIBE orders").fetchall()]
    assert columns == ORDERS.stored_columns
    # a second file, merged into the stored rows (another path through the stage), too
    again = tmp_path / "again.csv"
    again.write_text(ORDERS_HEADER + BLANK_ESCALATED.replace("o1", "o3"), encoding="utf-8")
    assert len(_blank_warnings(api.load(db, orders=again).warnings)) == 1


def test_a_canonical_file_in_gb18030_names_its_blank_columns_once(tmp_path: Path) -> None:
    """A canonical file in another encoding goes through the mapped path: its columns
    are named as they are (no ``escalated → escalated``)."""
    orders = tmp_path / "orders.csv"
    orders.write_bytes((ORDERS_HEADER + BLANK_ESCALATED.replace("s1", "店铺1")).encode("gb18030"))
    warnings = _blank_warnings(api.load(tmp_path / "shop.duckdb", orders=orders).warnings)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{orders}: column(s) escalated blank in every row")


def test_one_value_or_no_row_is_no_blank_column(tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text(ORDERS_HEADER + BLANK_ESCALATED.replace(",\n", ",false\n", 1), encoding="utf-8")
    header_only = tmp_path / "header_only.csv"  # the merchant says none, deliberately
    header_only.write_text(ORDERS_HEADER, encoding="utf-8")
    for orders in (one, header_only):
        result = api.load(tmp_path / f"{orders.stem}.duckdb", orders=orders)
        assert _blank_warnings(result.warnings) == []


def test_blank_columns_are_named_with_their_indicators_in_chinese(run: Any, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    blank = BLANK_ESCALATED.replace("2025-06-11 09:00:00", "").replace("2025-06-12 09:00:00", "")
    orders.write_text(ORDERS_HEADER + blank, encoding="utf-8")
    result = run("load", tmp_path / "shop.duckdb", orders, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert (
        f"警告：{orders}：列 shipped_at、escalated 每一行都为空：按已提供计（导出表示：没有）"
        "——需要它们的指标（48小时揽收及时率、平台求助率）按什么都没有发生计分；"
        "如果导出并不记录这些数据，请删除这些列"
    ) in result.stderr.replace("\n", "")


def test_score_from_files_warns_of_blank_columns(run: Any, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_HEADER + BLANK_ESCALATED, encoding="utf-8")
    chats = tmp_path / "chats.csv"
    chats.write_text(
        "session_id,shop_id,started_at,first_response_seconds,satisfaction\n"
        "c1,s1,2025-06-12 10:00:00,5,\n",
        encoding="utf-8",
    )
    result = run("score", "--orders", orders, "--chats", chats, "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    stderr = result.stderr.replace("\n", "")
    assert f"{orders}: column(s) escalated blank in every row" in stderr
    assert "(help_rate) are scored as if nothing happened" in stderr
    assert f"{chats}: column(s) satisfaction blank in every row" in stderr
    assert "(satisfaction_rate)" in stderr


def test_a_platform_exports_blank_columns_are_named_by_its_headers(tmp_path: Path) -> None:
    fx = _taobao_module()
    rows = [
        fx.taobao_v1_row(
            f"16223344556{i:05d}", f"buyer{i}", "50.00", "买家已付款，等待卖家发货",
            "2024-12-01 10:00:00", "2024-12-01 10:00:00", "1", "订单未关闭", "0.00", "", "",
        )
        for i in range(3)
    ]  # fmt: skip
    export = tmp_path / "ExportOrderList.csv"
    export.write_bytes(fx.csv_bytes(fx.TAOBAO_V1_HEADER, rows, encoding="gbk", crlf=True))
    warnings = _blank_warnings(api.load(tmp_path / "shop.duckdb", files=[export]).warnings)
    assert len(warnings) == 1
    assert "column(s) 发货时间 → shipped_at, 确认收货时间 → delivered_at blank" in warnings[0]
    assert "(pickup_48h_rate, neg_feedback_rate, delivery_hours)" in warnings[0]
