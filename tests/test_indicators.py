"""Indicator SQL against a hand-built shop whose every value is checked by hand (spec §3, §9).

Window: as_of 2025-06-30 00:00:00, 30 days → W = (2025-05-31 00:00:00, 2025-06-30 00:00:00].
"""

from __future__ import annotations

from pathlib import Path

import pytest

from svc_cli import api
from svc_cli.api import DataSource
from tests.factories import order, write_chats, write_orders, write_reviews

AS_OF = "2025-06-30 00:00:00"

ORDERS = [
    # o1: shipped exactly 48:00:00 after payment (on time), delivered after 72 h.
    order(
        "o1",
        "2025-06-01 10:00:00",
        shipped_at="2025-06-03 10:00:00",
        delivered_at="2025-06-04 10:00:00",
    ),
    # o2: shipped one second late, delivered after 96 h; gets a 2-star review.
    order(
        "o2",
        "2025-06-01 10:00:00",
        shipped_at="2025-06-03 10:00:01",
        delivered_at="2025-06-05 10:00:00",
    ),
    # o3: unshipped, refund asked 23 h after payment and completed 6 h later: not due.
    order(
        "o3",
        "2025-06-10 10:00:00",
        status="refunded",
        refund_amount="10.00",
        refund_reason="no_reason",
        refund_status="completed",
        refund_requested_at="2025-06-11 09:00:00",
        refund_completed_at="2025-06-11 15:00:00",
    ),
    # o4: unshipped, refund asked then withdrawn: still due, and late.
    order(
        "o4",
        "2025-06-10 10:00:00",
        status="paid",
        refund_reason="no_reason",
        refund_status="withdrawn",
        refund_requested_at="2025-06-11 09:00:00",
    ),
    # o5: paid less than 48 h before as_of and unshipped: not yet due.
    order("o5", "2025-06-29 12:00:00", status="paid"),
    # o6: paid exactly at the window start (excluded from paid-in-W), delivered in W after
    #     48 h; its quality refund was withdrawn (retained): still negative feedback (v1.3).
    order(
        "o6",
        "2025-05-31 00:00:00",
        shipped_at="2025-05-31 08:00:00",
        delivered_at="2025-06-02 00:00:00",
        refund_reason="quality",
        refund_status="withdrawn",
        refund_requested_at="2025-06-03 00:00:00",
    ),
    # o7: cancelled: not a valid order, its escalation does not count.
    order("o7", "2025-06-05 10:00:00", status="cancelled", escalated="true"),
    # o8: escalated; delivered after 47 h; not_as_described refund rejected → negative.
    order(
        "o8",
        "2025-06-20 10:00:00",
        shipped_at="2025-06-21 10:00:00",
        delivered_at="2025-06-22 09:00:00",
        escalated="true",
        refund_reason="not_as_described",
        refund_status="rejected",
        refund_requested_at="2025-06-23 10:00:00",
    ),
    # o9: delivered exactly at as_of (in W), next day after payment, after 1 h.
    order(
        "o9",
        "2025-06-29 23:00:00",
        shipped_at="2025-06-29 23:30:00",
        delivered_at="2025-06-30 00:00:00",
    ),
    # o10: old order whose refund completed one second inside W, 24 h + 1 s after request.
    order(
        "o10",
        "2025-04-01 10:00:00",
        shipped_at="2025-04-01 12:00:00",
        delivered_at="2025-04-03 10:00:00",
        status="refunded",
        refund_reason="quality",
        refund_status="completed",
        refund_requested_at="2025-05-30 00:00:01",
        refund_completed_at="2025-05-31 00:00:02",
    ),
]
REVIEWS = [
    {"review_id": "r1", "order_id": "o1", "shop_id": "s1", "rating": 5, "created_at": "2025-06-05 10:00:00"},
    {"review_id": "r2", "order_id": "o2", "shop_id": "s1", "rating": 2, "created_at": "2025-06-06 10:00:00"},
    {"review_id": "r3", "order_id": "o8", "shop_id": "s1", "rating": 4, "created_at": "2025-06-23 10:00:00"},
    # after as_of: does not exist yet (neither negative feedback nor a review in W)
    {"review_id": "r4", "order_id": "o9", "shop_id": "s1", "rating": 1, "created_at": "2025-06-30 00:00:01"},
    # exactly at the window start: outside W
    {"review_id": "r5", "order_id": "o10", "shop_id": "s1", "rating": 3, "created_at": "2025-05-31 00:00:00"},
]  # fmt: skip
CHATS = [
    {"session_id": "c1", "shop_id": "s1", "started_at": "2025-06-10 08:00:00", "first_response_seconds": 180, "satisfaction": 4},
    {"session_id": "c2", "shop_id": "s1", "started_at": "2025-06-10 22:59:59", "first_response_seconds": 181, "satisfaction": 3},
    {"session_id": "c3", "shop_id": "s1", "started_at": "2025-06-10 23:00:00", "first_response_seconds": 5, "satisfaction": 5},
    {"session_id": "c4", "shop_id": "s1", "started_at": "2025-06-11 07:59:59", "first_response_seconds": 5},
    {"session_id": "c5", "shop_id": "s1", "started_at": "2025-06-12 12:00:00", "first_response_seconds": ""},
    # rated, but at the window start (outside W) and after as_of (does not exist yet)
    {"session_id": "c6", "shop_id": "s1", "started_at": "2025-05-31 00:00:00", "first_response_seconds": 5, "satisfaction": 1},
    {"session_id": "c7", "shop_id": "s1", "started_at": "2025-06-30 00:00:01", "first_response_seconds": 5, "satisfaction": 1},
]  # fmt: skip


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("indicators")
    source = DataSource(
        orders=write_orders(tmp / "o.csv", ORDERS),
        reviews=write_reviews(tmp / "r.csv", REVIEWS),
        chats=write_chats(tmp / "c.csv", CHATS),
    )
    report = api.score(source, as_of=AS_OF, window_days=30)
    return report.shops[0].to_dict()


def value(shop: dict, name: str) -> float | None:
    return shop["indicators"][name]["value"]


def test_valid_orders_and_growth_stage(shop: dict) -> None:
    # o1 o2 o3 o4 o5 o8 o9: o6 paid at the (exclusive) start, o7 cancelled
    assert shop["valid_orders_in_window"] == 7
    assert shop["status"] == "growth_stage"


def test_pickup_48h_rate(shop: dict) -> None:
    # due: o1 (on time), o2 (late), o4 (late), o8, o9 (on time); o3 and o5 not due
    assert value(shop, "pickup_48h_rate") == pytest.approx(3 / 5)


def test_neg_feedback_rate(shop: dict) -> None:
    # delivered in W: o1 o2 o6 o8 o9; negative: o2 (2-star review), o6 (withdrawn quality
    # refund: requested is what counts), o8 (rejected not_as_described refund)
    assert value(shop, "neg_feedback_rate") == pytest.approx(3 / 5)


def test_delivery_hours_and_delivery_share(shop: dict) -> None:
    assert value(shop, "delivery_hours") == pytest.approx((72 + 96 + 48 + 47 + 1) / 5)
    assert shop["delivery_share"] == pytest.approx(1 / 5)  # o9 only: next day


def test_refund_hours(shop: dict) -> None:
    # o3: 6 h; o10: 24 h + 1 s (completed inside W whatever the order's status)
    assert value(shop, "refund_hours") == pytest.approx((6 * 3600 + 24 * 3600 + 1) / 2 / 3600)


def test_help_rate(shop: dict) -> None:
    assert value(shop, "help_rate") == pytest.approx(1 / 7)


def test_good_review_rate(shop: dict) -> None:
    assert value(shop, "good_review_rate") == pytest.approx(2 / 3)  # r1, r3 of r1–r3


def test_response_3min_rate(shop: dict) -> None:
    # in [08:00, 23:00): c1 (180 s: on time), c2 (181 s), c5 (never answered)
    assert value(shop, "response_3min_rate") == pytest.approx(1 / 3)


def test_satisfaction_rate(shop: dict) -> None:
    # rated in W, any hour: c1 (4), c2 (3), c3 (5, at 23:00); c4 and c5 unrated
    assert value(shop, "satisfaction_rate") == pytest.approx(2 / 3)


def test_no_chats_means_not_assessed(tmp_path: Path) -> None:
    source = DataSource(orders=write_orders(tmp_path / "o.csv", ORDERS))
    shop = api.score(source, as_of=AS_OF).shops[0].to_dict()
    assert shop["indicators"]["response_3min_rate"] == {
        "value": None,
        "score": None,
        "weight": 0.3,
        "effective_weight": None,
        "overall_weight": None,
        "assessed": False,
        "reason": "not provided: chats — load the chat sessions with --chats",
    }
    assert shop["indicators"]["good_review_rate"]["assessed"] is False


def test_as_of_date_means_end_of_day(tmp_path: Path) -> None:
    source = DataSource(
        orders=write_orders(tmp_path / "o.csv", ORDERS),
        reviews=write_reviews(tmp_path / "r.csv", REVIEWS),
    )
    by_date = api.score(source, as_of="2025-06-29").to_dict()
    source = DataSource(orders=tmp_path / "o.csv", reviews=tmp_path / "r.csv")
    by_instant = api.score(source, as_of=AS_OF).to_dict()
    assert by_date == by_instant


def test_default_as_of_is_latest_timestamp(tmp_path: Path) -> None:
    source = DataSource(
        orders=write_orders(tmp_path / "o.csv", ORDERS),
        reviews=write_reviews(tmp_path / "r.csv", REVIEWS),
    )
    report = api.score(source)
    assert report.to_dict()["as_of"] == "2025-06-30 00:00:01"  # review r4
