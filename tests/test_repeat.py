"""Repeat deep-dive on a hand-made customer history: overdue list, gaps, first-order
views and cumulative cohort curves.

as_of 2025-06-30 00:00:00 → last observed day L = 2025-06-29.
"""

from __future__ import annotations

from typing import Any

import pytest

from svc_cli import api
from svc_cli.api import DataSource
from svc_cli.config import load_config
from svc_cli.repeat import _percentile
from tests.factories import order, write_orders

AS_OF = "2025-06-30 00:00:00"
CONFIG = load_config()


def o(oid: str, customer: str, paid: str, **fields: Any) -> dict[str, Any]:
    return order(oid, paid, customer_id=customer, **fields)


ORDERS = [
    # a: 06-01, 06-11 (mean 10 days); 18 days since ≥ 15 → overdue by 3
    o("a1", "a", "2025-06-01 10:00:00", sku="S1", amount="40.00"),
    o("a2", "a", "2025-06-11 10:00:00"),
    # b: 06-09, 06-19; 10 days since < 15 → not overdue
    o("b1", "b", "2025-06-09 10:00:00", sku="S1", amount="50.00"),
    o("b2", "b", "2025-06-19 10:00:00"),
    # x: 06-04, 06-14; exactly 15 days since → overdue by 0 (the boundary counts)
    o("x1", "x", "2025-06-04 10:00:00", sku="S2", amount="120.00"),
    o("x2", "x", "2025-06-14 10:00:00"),
    # d: three order days 30 days apart; 119 days since → overdue by 74
    o("d1", "d", "2025-01-01 10:00:00", sku="S2", amount="99.99"),
    o("d0", "d", "2025-01-01 09:00:00", sku="S3", amount="5.00"),  # earlier: the first order
    o("d2", "d", "2025-01-31 10:00:00"),
    o("d3", "d", "2025-03-02 10:00:00"),
    # e: one order; f: two orders on one day (one order day); neither can be overdue
    o("e1", "e", "2025-01-01 10:00:00", sku="S1", amount="10.00"),
    o("f1", "f", "2025-01-01 10:00:00", sku="S1", amount="10.00"),
    o("f2", "f", "2025-01-01 18:00:00"),
    # g: a second order after as_of does not exist yet
    o("g1", "g", "2025-06-01 10:00:00", sku="S1", amount="10.00"),
    o("g2", "g", "2025-06-30 00:00:01"),
    # h: the second order was cancelled
    o("h1", "h", "2025-05-01 10:00:00", sku="S1", amount="10.00"),
    o("h2", "h", "2025-05-10 10:00:00", status="cancelled"),
]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    return DataSource(orders=write_orders(tmp_path_factory.mktemp("repeat") / "o.csv", ORDERS))


def view(source: DataSource, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = api.repeat_report(source, CONFIG, view=name, as_of=AS_OF).rows
    return rows


def test_overdue_list_by_hand(source: DataSource) -> None:
    rows = view(source, "overdue")
    assert [(r["customer_id"], r["overdue_by_days"]) for r in rows] == [
        ("d", 74.0),
        ("a", 3.0),
        ("x", 0.0),
    ]
    d = rows[0]
    assert (d["order_days"], d["mean_interval_days"], d["days_since_last_order"]) == (3, 30.0, 119)


def test_days_to_second_order(source: DataSource) -> None:
    summary = view(source, "summary")[0]
    # gaps: a, b, x 10 days; d 30 days
    assert summary["repeat_customers"] == 4
    assert summary["median_days_to_second"] == 10.0
    assert summary["p90_days_to_second"] == 30.0
    assert summary["first_time_customers"] == 8
    assert summary["overdue_customers"] == 3
    gaps = {r["days"]: r["customers"] for r in view(source, "gaps")}
    assert gaps["8–14"] == 3 and gaps["15–30"] == 1 and gaps["1–7"] == 0


def test_percentiles() -> None:
    assert _percentile([(1, 1), (2, 1), (3, 1), (4, 1)], 50) == 2.5
    assert _percentile([(5, 3)], 90) == 5.0
    assert _percentile([], 50) is None


def test_repeat_rate_by_first_sku_and_amount(source: DataSource) -> None:
    # rr_90d eligible: first order day + 90 <= 2025-06-29 → first day <= 2025-03-31: d, e, f
    sku = {r["sku"]: r for r in view(source, "sku")}
    assert sku["S3"]["first_time_customers"] == 1 and sku["S3"]["rr_90d"] == 1.0  # d
    assert (sku["S1"]["first_time_customers"], sku["S1"]["eligible_90d"]) == (6, 2)  # e, f
    assert sku["S1"]["rr_90d"] == 0.0
    bands = {r["amount_band"]: r["first_time_customers"] for r in view(source, "amount")}
    # a 40, b 50 (a band's lower bound is inclusive), x 120, d 5, e/f/g/h 10
    assert bands == {"0–50": 6, "50–100": 1, "100–200": 1}


def test_cumulative_cohort_curves(source: DataSource) -> None:
    cells = {(r["cohort"], r["month"]): r for r in view(source, "cohorts")}
    jan = [cells[("2025-01", k)]["cumulative_repeat_share"] for k in range(6)]
    assert jan == [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3]  # d repeats in January
    june = cells[("2025-06", 0)]
    assert (june["cohort_customers"], june["repeated_by_month"]) == (4, 3)  # a, b, x of a, b, x, g
    assert ("2025-06", 1) not in cells  # not begun: not reported
