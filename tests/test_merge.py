"""Loading exports out of order: the merge is monotonic (svc_cli.merge, docs/model.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import api
from svc_cli.i18n import label, translate
from svc_cli.load_options import LoadOptions, Strictness
from tests.factories import order, write_orders

PAID = "2025-06-01 10:00:00"


def _row(db: Path, order_id: str) -> dict[str, Any]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("SELECT * FROM orders WHERE order_id = ?", [order_id])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def _exports(tmp_path: Path) -> tuple[Path, Path]:
    """A (older: paid, no refund) and B (newer: completed, refund requested)."""
    a = write_orders(
        tmp_path / "a.csv",
        [order("o1", PAID, status="paid"), order("o2", PAID, status="shipped")],
    )
    b = write_orders(
        tmp_path / "b.csv",
        [
            order(
                "o1",
                PAID,
                status="completed",
                shipped_at="2025-06-02 09:00:00",
                delivered_at="2025-06-03 09:00:00",
                refund_amount="5.00",
                refund_reason="quality",
                refund_status="requested",
                refund_requested_at="2025-06-04 09:00:00",
            ),
            order("o2", PAID, status="shipped", shipped_at="2025-06-02 09:00:00"),
        ],
    )
    return a, b


def test_an_older_export_loaded_after_a_newer_one_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    a, b = _exports(tmp_path)
    api.load(db, orders=a)
    api.load(db, orders=b)
    newer = {k: _row(db, k) for k in ("o1", "o2")}
    again = api.load(db, orders=a)  # A → B → A
    assert {k: _row(db, k) for k in ("o1", "o2")} == newer
    assert newer["o1"]["status"] == "completed" and newer["o1"]["refund_status"] == "requested"
    file = again.files[0]
    assert (file.updated, file.kept_newer) == (0, 1)  # o2: same status, its time kept
    assert "1 row(s) older than what is stored" in again.warnings[-1]
    assert translate(again.warnings[-1], "zh").endswith(
        "1 行比已存数据旧（更早的状态或退款状态）；保留了较新的值（--replace 可覆盖）"
    )


def test_a_known_time_is_never_cleared_and_statuses_only_move_forwards(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    _, b = _exports(tmp_path)
    api.load(db, orders=b)
    later = write_orders(
        tmp_path / "later.csv",
        [
            # a newer state: the refund completed; this export has no delivery times
            order(
                "o1",
                PAID,
                status="completed",
                refund_amount="5.00",
                refund_reason="quality",
                refund_status="completed",
                refund_requested_at="2025-06-04 09:00:00",
                refund_completed_at="2025-06-04 12:00:00",
            ),
        ],
    )
    result = api.load(db, orders=later)
    row = _row(db, "o1")
    assert row["refund_status"] == "completed" and str(row["delivered_at"]) == "2025-06-03 09:00:00"
    assert (result.files[0].updated, result.files[0].kept_newer) == (1, 0)
    requested_again = write_orders(
        tmp_path / "req.csv",
        [order("o1", PAID, status="completed", refund_status="requested", refund_amount="5.00")],
    )
    result = api.load(db, orders=requested_again)
    assert _row(db, "o1")["refund_status"] == "completed"
    assert result.files[0].kept_newer == 1


def test_replace_is_the_deliberate_rewrite(tmp_path: Path, run: Any) -> None:
    db = tmp_path / "shop.duckdb"
    a, b = _exports(tmp_path)
    api.load(db, orders=b)
    api.load(db, orders=a, options=LoadOptions(strict=Strictness(replace=True)))
    row = _row(db, "o1")
    assert (row["status"], row["refund_status"], row["delivered_at"]) == ("paid", None, None)
    result = run("load", db, b, "-f", "json")
    assert json.loads(result.stdout)["files"][0]["kept_newer"] == 0
    result = run("load", db, a, "--replace", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["files"][0]["updated"] == 2


def _orders_snapshot(db: Path) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM orders ORDER BY ALL").fetchall()


def test_exports_in_one_load_merge_as_if_loaded_one_after_the_other(tmp_path: Path) -> None:
    """The second file of a load merges into rows the first one inserted or changed in
    the same transaction (found by row id), exactly as two separate loads would."""
    a, b = _exports(tmp_path)
    extra = write_orders(tmp_path / "extra.csv", [order("o3", PAID, status="paid")])
    later = write_orders(
        tmp_path / "later.csv",
        [
            # o1 again: the refund completed (no delivery time in this export: kept)
            order(
                "o1",
                PAID,
                status="completed",
                refund_amount="5.00",
                refund_reason="quality",
                refund_status="completed",
                refund_requested_at="2025-06-04 09:00:00",
                refund_completed_at="2025-06-04 12:00:00",
            ),
            order("o2", PAID, status="paid"),  # older than b's "shipped": kept
            order("o3", PAID, status="shipped", shipped_at="2025-06-02 10:00:00"),  # extra's
            order("o4", PAID, status="paid"),
        ],
    )
    one_by_one, together = tmp_path / "one.duckdb", tmp_path / "together.duckdb"
    for db in (one_by_one, together):
        api.load(db, orders=a)
    for path in (b, extra, later):
        api.load(one_by_one, orders=path)
    result = api.load(together, files=[b, extra, later])
    assert _orders_snapshot(together) == _orders_snapshot(one_by_one)
    counts = [(f.inserted, f.updated, f.unchanged, f.kept_newer) for f in result.files]
    assert counts == [(0, 2, 0, 0), (1, 0, 0, 0), (1, 2, 1, 1)]
    rows = {k: _row(together, k) for k in ("o1", "o2", "o3", "o4")}
    assert (rows["o1"]["refund_status"], str(rows["o1"]["delivered_at"])) == (
        "completed",
        "2025-06-03 09:00:00",
    )
    assert (rows["o2"]["status"], str(rows["o2"]["shipped_at"])) == (
        "shipped",
        "2025-06-02 09:00:00",
    )
    assert (rows["o3"]["status"], rows["o4"]["status"]) == ("shipped", "paid")


def test_the_same_order_id_in_two_shops_is_two_orders(tmp_path: Path) -> None:
    """Stored rows are looked up by order id, then joined on the whole key: an update of
    one shop's order leaves the other shop's order of that id as it was."""
    db = tmp_path / "shop.duckdb"
    first = [order("o1", PAID, shop_id=s, status="paid") for s in ("s1", "s2")]
    api.load(db, orders=write_orders(tmp_path / "a.csv", [*first, order("o2", PAID)]))
    update = [
        order("o1", PAID, shop_id="s1", status="shipped", shipped_at="2025-06-02 09:00:00"),
        order("o2", PAID, shop_id="s2", status="paid"),  # o2 of s1 exists: this one is new
    ]
    result = api.load(db, orders=write_orders(tmp_path / "b.csv", update))
    assert [(f.inserted, f.updated, f.unchanged) for f in result.files] == [(1, 1, 0)]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT shop_id, order_id, status, shipped_at IS NOT NULL FROM orders ORDER BY ALL"
        ).fetchall()
    assert rows == [
        ("s1", "o1", "shipped", True),
        ("s1", "o2", "completed", False),
        ("s2", "o1", "paid", False),
        ("s2", "o2", "paid", False),
    ]


@pytest.mark.parametrize(("lang", "header"), [("en", "Older, kept newer"), ("zh", "较旧未覆盖")])
def test_the_summary_names_the_rows_kept_older(
    tmp_path: Path, run: Any, lang: str, header: str
) -> None:
    db = tmp_path / "shop.duckdb"
    a, b = _exports(tmp_path)
    api.load(db, orders=b)
    result = run("--lang", lang, "load", db, a, "--wide")
    header_line = next(line for line in result.stdout.splitlines() if header in line)
    assert "{" not in header_line and header_line.split()[-1] == label("rejected", lang)
