"""Refund retention (spec §13) on a hand-made shop, every status and both window edges.

as_of 2025-06-30 00:00:00, 30 days → W = (2025-05-31 00:00:00, 2025-06-30 00:00:00].
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from svc_cli import api
from svc_cli.api import DataSource
from tests.factories import order, write_orders

AS_OF = "2025-06-30 00:00:00"


def refund(oid: str, requested: str, status: str, **fields: Any) -> dict[str, Any]:
    return order(
        oid,
        "2025-05-20 10:00:00",
        refund_requested_at=requested,
        refund_status=status,
        refund_reason=fields.pop("reason", "no_reason"),
        **fields,
    )


ORDERS = [
    # r1: requested exactly at the window start: outside W.
    refund("r1", "2025-05-31 00:00:00", "withdrawn", amount="99.00"),
    # r2: requested exactly at as_of: inside W; withdrawn (retained), quality, unshipped.
    refund("r2", "2025-06-30 00:00:00", "withdrawn", amount="20.50", reason="quality"),
    # r3: retained after shipping (shipped before the request).
    refund(
        "r3",
        "2025-06-02 10:00:00",
        "withdrawn",
        amount="30.25",
        shipped_at="2025-06-01 10:00:00",
    ),
    # r4: completed in 6 h, shipped after the request: before shipping.
    refund(
        "r4",
        "2025-06-03 10:00:00",
        "completed",
        refund_completed_at="2025-06-03 16:00:00",
        shipped_at="2025-06-04 10:00:00",
    ),
    # r5: completed in 10 h, shipped exactly at the request instant: after shipping.
    refund(
        "r5",
        "2025-06-05 10:00:00",
        "completed",
        refund_completed_at="2025-06-05 20:00:00",
        shipped_at="2025-06-05 10:00:00",
        reason="",
    ),
    # r6: rejected.
    refund("r6", "2025-06-06 10:00:00", "rejected", reason="quality"),
    # r7: still requested (open).
    refund("r7", "2025-06-07 10:00:00", "requested", reason="logistics"),
    # r8: completed only after as_of: open at as_of.
    refund(
        "r8",
        "2025-06-29 10:00:00",
        "completed",
        refund_completed_at="2025-07-02 10:00:00",
        reason="logistics",
    ),
    # r9: requested after as_of: does not exist yet.
    refund("r9", "2025-06-30 00:00:01", "withdrawn"),
    # o10: no refund at all.
    order("o10", "2025-06-10 10:00:00"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = write_orders(tmp_path_factory.mktemp("refunds") / "orders.csv", ORDERS)
    result = api.refunds_report(DataSource(orders=path), as_of=AS_OF, every_month=True)
    doc: dict[str, Any] = result.to_dict()
    return doc["shops"][0]


def test_every_status_and_the_window_edges(report: dict[str, Any]) -> None:
    # in W: r2..r8 (r1 at the exclusive start and r9 after as_of are out)
    assert report["requests"] == 7
    assert (report["withdrawn"], report["completed"], report["rejected"], report["open"]) == (
        2,
        2,
        1,
        2,
    )
    assert report["retention_rate"] == 2 / 5
    assert report["retained_amount"] == Decimal("50.75")
    assert report["median_handling_hours"] == 8.0  # median of 6 h and 10 h
    assert report["withdrawn_quality"] == 1  # r2 still counts as negative feedback


def test_by_reason_stage_and_month(report: dict[str, Any]) -> None:
    by_reason = report["by_reason"]
    assert set(by_reason) == {"", "logistics", "no_reason", "quality"}
    assert by_reason[""]["completed"] == 1
    assert by_reason["logistics"]["open"] == 2 and by_reason["logistics"]["retention_rate"] is None
    assert by_reason["quality"]["withdrawn"] == 1 and by_reason["quality"]["rejected"] == 1
    before, after = report["by_stage"]["before_shipping"], report["by_stage"]["after_shipping"]
    assert (before["requests"], after["requests"]) == (5, 2)  # after: r3, r5
    assert after["retained_amount"] == Decimal("30.25")
    assert before["median_handling_hours"] == 6.0 and after["median_handling_hours"] == 10.0
    assert list(report["by_month"]) == ["2025-06"]
    assert report["by_month"]["2025-06"]["requests"] == 7


def test_a_shop_without_refund_data_is_not_zero(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,shop_id,ordered_at,paid_at,status\no1,s1,2025-06-01,2025-06-01,completed\n",
        encoding="utf-8",
    )
    result = api.refunds_report(DataSource(orders=path), as_of=AS_OF)
    shop = result.to_dict()["shops"][0]
    assert shop["requests"] is None and shop["by_reason"] is None
    assert any("refund requests not provided" in w for w in result.warnings)


@pytest.mark.parametrize("lang, heading", [("en", "month: 2025-06"), ("zh", "月份：2025-06")])
def test_the_months_are_named_in_the_table(tmp_path: Path, lang: str, heading: str) -> None:
    """`--every month`: each month's row is headed by the month (it showed the cohort
    table's header template, ``m{k}: 2025-06``)."""
    from svc_cli.render import to_table
    from svc_cli.views import refunds_output

    path = write_orders(tmp_path / "orders.csv", ORDERS)
    result = api.refunds_report(DataSource(orders=path), as_of=AS_OF, every_month=True)
    text = to_table(refunds_output(result, lang), width=200) or ""
    assert heading in text and "{k}" not in text
