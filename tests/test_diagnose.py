"""Diagnosis (spec §11): the events behind each indicator at every boundary, the day each
leaves the window, and the projection of the coming days."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from svc_cli import api
from svc_cli.api import DataSource
from svc_cli.diagnose import projection_instants
from svc_cli.window import Window
from tests.conftest import GOLDEN_AS_OF
from tests.factories import order, write_chats, write_orders, write_reviews
from tests.test_indicators import AS_OF, CHATS, ORDERS, REVIEWS


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hand-built shop of test_indicators (every §9 boundary), diagnosed."""
    tmp = tmp_path_factory.mktemp("diagnose")
    source = DataSource(
        orders=write_orders(tmp / "o.csv", ORDERS),
        reviews=write_reviews(tmp / "r.csv", REVIEWS),
        chats=write_chats(tmp / "c.csv", CHATS),
    )
    return api.diagnose(source, "s1", as_of=AS_OF, window_days=30).to_dict()


def events(doc: dict[str, Any], indicator: str) -> list[tuple[str, str, str]]:
    return [(e["id"], e["kind"], e["leaves_window_at"]) for e in doc["indicators"][indicator]["events"]]  # fmt: skip


def test_negative_feedback_events(boundaries: dict[str, Any]) -> None:
    # o6: withdrawn quality refund (counts, v1.3); o2: 2-star review; o8: rejected
    # not-as-described refund. o9's 1-star review is written after as_of: not yet.
    assert events(boundaries, "neg_feedback_rate") == [
        ("o6", "quality_refund", "2025-07-02 00:00:00"),
        ("o2", "bad_review", "2025-07-05 10:00:00"),
        ("o8", "quality_refund", "2025-07-22 09:00:00"),
    ]


def test_review_events(boundaries: dict[str, Any]) -> None:
    # r5 (rated 3) was written exactly at the window start: outside W
    assert events(boundaries, "good_review_rate") == [("r2", "low_review", "2025-07-06 10:00:00")]


def test_pickup_events(boundaries: dict[str, Any]) -> None:
    # o1 shipped at exactly 48:00:00 is on time, o2 one second later is late; o3's refund
    # before the deadline makes it not due, o4's withdrawn one does not; o5 is not due yet
    assert events(boundaries, "pickup_48h_rate") == [
        ("o2", "late_pickup", "2025-07-01 10:00:00"),
        ("o4", "not_shipped", "2025-07-10 10:00:00"),
    ]
    whats = [e["what"] for e in boundaries["indicators"]["pickup_48h_rate"]["events"]]
    assert whats == [
        "shipped 48 h 0 min 1 s after payment (limit 48 h)",
        "not shipped 470.0 h after payment (limit 48 h)",
    ]


def test_delivery_and_refund_events_exceed_the_best_anchor(boundaries: dict[str, Any]) -> None:
    # o6 took exactly 48 h (the 5.0 anchor): not an event; o3's refund took exactly 6 h
    assert events(boundaries, "delivery_hours") == [
        ("o1", "slow_delivery", "2025-07-04 10:00:00"),
        ("o2", "slow_delivery", "2025-07-05 10:00:00"),
    ]
    # o10's refund completed one second inside W: it leaves one second after as_of + 30 d
    assert events(boundaries, "refund_hours") == [("o10", "slow_refund", "2025-06-30 00:00:02")]


def test_help_and_chat_events(boundaries: dict[str, Any]) -> None:
    assert events(boundaries, "help_rate") == [("o8", "escalated", "2025-07-20 10:00:00")]
    # c1 answered in exactly 180 s is on time; c3 (23:00:00) and c4 (07:59:59) are outside
    # service hours; c5 was never answered
    assert events(boundaries, "response_3min_rate") == [
        ("c2", "late_response", "2025-07-10 22:59:59"),
        ("c5", "unanswered", "2025-07-12 12:00:00"),
    ]
    assert events(boundaries, "satisfaction_rate") == [("c2", "unsatisfied", "2025-07-10 22:59:59")]  # fmt: skip


def test_not_assessed_indicators_have_no_events(tmp_path: Path) -> None:
    source = DataSource(orders=write_orders(tmp_path / "o.csv", ORDERS))
    doc = api.diagnose(source, "s1", as_of=AS_OF).to_dict()
    for name in ("good_review_rate", "response_3min_rate", "satisfaction_rate"):
        assert doc["indicators"][name]["assessed"] is False
        assert doc["indicators"][name]["events"] is None
    assert doc["indicators"]["help_rate"]["events"][0]["id"] == "o8"


EXPECTED_EVENTS = {  # indicator -> events counted from the indicator's own counts
    "neg_feedback_rate": lambda c: c["negative_orders"],
    "good_review_rate": lambda c: c["reviews"] - c["good_reviews"],
    "pickup_48h_rate": lambda c: c["pickup_due"] - c["pickup_on_time"],
    "help_rate": lambda c: c["escalated_orders"],
    "response_3min_rate": lambda c: c["chat_sessions"] - c["fast_responses"],
    "satisfaction_rate": lambda c: c["rated_sessions"] - c["satisfied_sessions"],
}


def test_events_match_the_indicator_counts_of_every_golden_shop(golden_db: Path) -> None:
    source = DataSource(db=golden_db)
    report = api.score(source, as_of=GOLDEN_AS_OF)
    for shop in report.shops:
        doc = api.diagnose(source, shop.shop_id, as_of=GOLDEN_AS_OF, projection=False).to_dict()
        counts = report.inputs[shop.shop_id].counts
        for name, expected in EXPECTED_EVENTS.items():
            ind = doc["indicators"][name]
            assert ind["assessed"] == shop.indicators[name].assessed
            if ind["assessed"]:
                assert len(ind["events"]) == expected(counts), (shop.shop_id, name)
        for ind in doc["indicators"].values():
            keys = [(e["leaves_window_at"], e["id"]) for e in ind["events"] or []]
            assert keys == sorted(keys)


def test_points_lost_and_rank(golden_db: Path) -> None:
    doc = api.diagnose(DataSource(db=golden_db), "0042", as_of=GOLDEN_AS_OF).to_dict()
    shop = api.score(DataSource(db=golden_db), as_of=GOLDEN_AS_OF, shop_ids=["0042"]).shops[0]
    ranked = [n for n, i in doc["indicators"].items() if i["rank"] is not None]
    assert ranked[0] == "pickup_48h_rate" and doc["indicators"][ranked[0]]["rank"] == 1
    for name, ind in doc["indicators"].items():
        s = shop.indicators[name]
        assert ind["points_lost"] == pytest.approx(s.overall_weight * (5 - s.score))
    lost = [doc["indicators"][n]["points_lost"] for n in ranked]
    assert lost == sorted(lost, reverse=True)


@pytest.mark.parametrize(
    ("as_of", "last_day"),
    [
        ("2025-11-12", date(2025, 11, 12)),
        ("2025-11-12 00:00:00", date(2025, 11, 11)),
        ("2025-11-12 15:00:00", date(2025, 11, 12)),
    ],
)
def test_projection_days_follow_the_last_observed_day(as_of: str, last_day: date) -> None:
    from svc_cli.window import parse_as_of

    days = projection_instants(Window(parse_as_of(as_of), 30))
    assert len(days) == 30
    assert days[0][0] == date.fromordinal(last_day.toordinal() + 1)
    assert days[0][1] == datetime.combine(date.fromordinal(last_day.toordinal() + 2), datetime.min.time())  # fmt: skip
    assert days[-1][0] == date.fromordinal(last_day.toordinal() + 30)


# A shop that is ordinary today (two late pickups) and high once the first rolls off.
ROLL_OFF = [
    *(
        order(
            f"g{i:02d}",
            "2025-06-20 10:00:00",
            shipped_at="2025-06-20 11:00:00",
            delivered_at="2025-06-21 11:00:00",
        )
        for i in range(40)
    ),
    order(
        "late1",
        "2025-06-01 10:00:00",
        shipped_at="2025-06-03 10:00:01",
        delivered_at="2025-06-03 11:00:00",
    ),
    order(
        "late2",
        "2025-06-05 10:00:00",
        shipped_at="2025-06-07 10:00:01",
        delivered_at="2025-06-07 11:00:00",
    ),
]


@pytest.fixture(scope="module")
def roll_off(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataSource, dict[str, Any]]:
    source = DataSource(orders=write_orders(tmp_path_factory.mktemp("roll") / "o.csv", ROLL_OFF))
    return source, api.diagnose(source, "s1", as_of="2025-06-30 00:00:00").to_dict()


def test_projection_by_hand(roll_off: tuple[DataSource, dict[str, Any]]) -> None:
    _, doc = roll_off
    # pickup 40/42 → 4.0397; logistics 0.7·4.0397 + 0.3·5; with service (help rate) 5.0:
    # base = (0.25·4.3278 + 0.5·5) / 0.75 = 4.7759
    assert (doc["score"], doc["tier"]) == (4.78, "ordinary")
    by_date = {p["date"]: p for p in doc["projection"]}
    assert [p["date"] for p in doc["projection"]][:2] == ["2025-06-30", "2025-07-01"]
    assert by_date["2025-06-30"]["score"] == 4.78
    # late1 leaves at 07-01 10:00: 40/41 → base 4.8663
    assert (by_date["2025-07-01"]["score"], by_date["2025-07-01"]["tier"]) == (4.87, "high")
    assert by_date["2025-07-01"]["events_leaving"] == {"pickup_48h_rate": 1}
    assert by_date["2025-07-05"]["score"] == 5.0  # late2 leaves at 07-05 10:00
    assert by_date["2025-07-19"]["status"] == "scored"
    assert by_date["2025-07-20"]["status"] == "growth_stage"  # the 40 orders leave at 10:00
    milestones = [(m["date"], m["kind"], m["direction"]) for m in doc["milestones"]]
    assert milestones == [
        ("2025-07-01", "high_tier", "up"),
        ("2025-07-05", "stars", "up"),
        ("2025-07-20", "status", "down"),
    ]
    assert doc["milestones"][0]["text"] == (
        "4.78 today → 4.87 (reaches 4.80) on 07-01 when 1 late pickup rolls off"
    )


def test_projection_equals_score_as_of_runs(roll_off: tuple[DataSource, dict[str, Any]]) -> None:
    source, doc = roll_off
    for point in doc["projection"]:
        shop = api.score(source, as_of=point["date"], shop_ids=["s1"]).shops[0]
        assert (point["status"], point["score"], point["tier"]) == (
            shop.status,
            shop.score,
            shop.tier,
        ), point["date"]


def test_golden_projection_equals_score_as_of_runs(golden_db: Path) -> None:
    source = DataSource(db=golden_db)
    doc = api.diagnose(source, "559860", as_of="2025-06-20 12:00:00").to_dict()
    for point in doc["projection"][::3]:
        shop = api.score(source, as_of=point["date"], shop_ids=["559860"]).shops[0]
        assert (point["status"], point["score"], point["tier"]) == (
            shop.status,
            shop.score,
            shop.tier,
        )


def test_cli_every_format(run: Any, golden_db: Path, tmp_path: Path) -> None:
    base = ("diagnose", golden_db, "--shop", "0042", "--as-of", GOLDEN_AS_OF)
    doc = json.loads(run(*base, "-f", "json").stdout)
    assert set(doc) >= {"shop_id", "as_of", "window_days", "indicators", "projection"}
    assert set(doc["indicators"]["pickup_48h_rate"]) >= {
        "assessed", "value", "score", "points_lost", "events",
    }  # fmt: skip
    assert set(doc["projection"][0]) >= {"date", "status", "score", "tier"}
    for fmt in ("table", "markdown", "jsonl"):
        result = run(*base, "-f", fmt)
        assert result.exit_code == 0 and result.stderr == "", result.output
    target = tmp_path / "events.csv"
    assert run(*base, "-f", "csv", "-o", target).exit_code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "shop_id,indicator,id,kind,what,at,leaves_window_at,points_lost"
    assert len(lines) - 1 == sum(len(i["events"] or []) for i in doc["indicators"].values())


def test_peers_projection_equals_score_runs(golden_db: Path) -> None:
    source = DataSource(db=golden_db)
    doc = api.diagnose(source, "0042", as_of="2025-06-10", benchmark="peers").to_dict()
    for point in doc["projection"][:3]:
        report = api.score(source, as_of=point["date"], shop_ids=["0042"], benchmark="peers")
        shop = report.shops[0]
        assert (point["status"], point["score"]) == (shop.status, shop.score)


@pytest.mark.parametrize("command", ["diagnose", "plan", "trend"])
def test_unknown_shop(run: Any, golden_db: Path, command: str) -> None:
    result = run(command, golden_db, "--shop", "nope")
    assert result.exit_code == 2
    assert "unknown shop id" in result.stderr and result.stdout == ""


def test_leaving_text() -> None:
    from datetime import date

    from svc_cli.diagnose import _leaving_text
    from svc_cli.i18n import translate

    day = date(2025, 7, 2)
    assert _leaving_text({"pickup_48h_rate": 3}, day) == " on 07-02 when 3 late pickups roll off"
    assert _leaving_text({"help_rate": 1}, day) == " on 07-02 when 1 escalation rolls off"
    many = _leaving_text(
        {"help_rate": 1, "delivery_hours": 9, "refund_hours": 2, "pickup_48h_rate": 2,
         "satisfaction_rate": 4}, day
    )  # fmt: skip
    assert many == (
        " on 07-02 when 9 slow deliveries, 4 unsatisfied ratings, 2 late pickups and 3 more "
        "events roll off"
    )
    assert translate(many, "zh") == (
        "07-02 随着 9 笔配送慢、4 个不满意评价、2 笔揽收超时和另 3 个事件移出考核期，将"
    )
