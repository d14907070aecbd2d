"""Customer-service agents (spec §12): hand-computed metrics, every grade threshold and
sample minimum, each agent's share of the points lost, and the what-if.

as_of 2025-06-30 00:00:00, 30 days → W = (2025-05-31 00:00:00, 2025-06-30 00:00:00].
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from svc_cli import api
from svc_cli.agents import AgentCounts, grade
from svc_cli.api import DataSource
from svc_cli.config import load_config
from tests.factories import order, write_chats, write_orders

AS_OF = "2025-06-30 00:00:00"
CONFIG = load_config()
AGENTS = CONFIG.agents


def counts(
    sessions: int = 300,
    hours: int = 300,
    fast: int = 285,
    rated: int = 100,
    satisfied: int = 95,
    qa: Fraction | None = Fraction(90),
    qa_n: int = 10,
) -> AgentCounts:
    return AgentCounts(
        sessions=sessions,
        service_hour_sessions=hours,
        fast_responses=fast,
        answered_sessions=sessions,
        first_response_us=0,
        rated_sessions=rated,
        satisfied_sessions=satisfied,
        qa_scored_sessions=qa_n if qa is not None else 0,
        qa_micro=int(qa * qa_n * 1_000_000) if qa is not None else 0,
    )


@pytest.mark.parametrize(
    ("agent", "qa_provided", "expected"),
    [
        (counts(), True, "expert"),  # every expert minimum met exactly
        (counts(sessions=299, hours=299, fast=285), True, "senior"),  # one session short
        (counts(fast=284), True, "senior"),  # 284/300 < 95%
        (counts(satisfied=94), True, "senior"),  # 94% < 95%
        (counts(qa=Fraction(8999, 100)), True, "senior"),  # QA 89.99 < 90
        (counts(qa=Fraction(8999, 100)), False, "expert"),  # QA not provided: skipped
        (counts(sessions=150, hours=150, fast=135, satisfied=90, qa=Fraction(85)), True, "senior"),
        (
            counts(sessions=150, hours=150, fast=134, satisfied=90, qa=Fraction(85)),
            True,
            "advanced",
        ),
        (
            counts(sessions=50, hours=40, fast=34, rated=40, satisfied=34, qa=Fraction(80)),
            True,
            "advanced",
        ),
        (
            counts(sessions=49, hours=40, fast=34, rated=40, satisfied=34, qa=Fraction(80)),
            True,
            "none",
        ),
        (
            counts(sessions=50, hours=40, fast=34, rated=40, satisfied=34, qa=Fraction(79)),
            True,
            "none",
        ),
        (
            counts(sessions=50, hours=40, fast=33, rated=40, satisfied=34, qa=Fraction(80)),
            True,
            "none",
        ),
        # sample minimums: 30 sessions in service hours, 30 rated, 1 QA-scored when provided
        (counts(hours=30, fast=30), True, "expert"),
        (counts(hours=29, fast=29), True, "not_graded"),
        (counts(rated=30, satisfied=30), True, "expert"),
        (counts(rated=29, satisfied=29), True, "not_graded"),
        (counts(qa=None), True, "not_graded"),
        (counts(qa=None), False, "expert"),
    ],
)
def test_grade_at_every_threshold(agent: AgentCounts, qa_provided: bool, expected: str) -> None:
    assert grade(agent, AGENTS, qa_provided)[0] == expected


def test_not_graded_names_the_samples_too_small() -> None:
    g, note = grade(counts(hours=10, fast=10, rated=5, satisfied=5, qa=None), AGENTS, True)
    assert g == "not_graded" and note is not None
    assert "response sample 10" in note and "satisfaction sample 5" in note
    assert "QA sample 0" in note
    g, note = grade(counts(fast=284), AGENTS, True)
    assert g == "senior" and note == "for expert: 3-min response 94.7% < 95%"


def chat(
    sid: str, agent: str, started: str, fr: Any = "", sat: Any = "", qa: Any = ""
) -> dict[str, Any]:
    return {
        "session_id": sid,
        "shop_id": "s1",
        "agent_id": agent,
        "customer_id": "c",
        "started_at": started,
        "first_response_seconds": fr,
        "satisfaction": sat,
        "qa_score": qa,
    }


CHATS = [
    chat("s1", "a1", "2025-06-01 08:00:00", 180, 5, 90),  # in hours (boundary), on time
    chat("s2", "a1", "2025-06-01 22:59:59", 181, 3, 80),  # in hours, one second late
    chat("s3", "a1", "2025-06-01 23:00:00", 10, 4),  # out of hours
    chat("s4", "a1", "2025-06-02 07:59:59"),  # out of hours, never answered
    chat("s5", "a1", "2025-05-31 00:00:00", 10, 1),  # at the exclusive start: out of W
    chat("s6", "a1", "2025-06-30 00:00:00", 20, 1),  # at as_of: in W, out of hours
    chat("s7", "a2", "2025-06-10 12:00:00", "", 2),  # in hours, never answered
    chat("s8", "", "2025-06-10 13:00:00", 500, 5),  # no agent: shop totals only
]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    folder = tmp_path_factory.mktemp("agents")
    orders = [order(f"o{i}", "2025-06-05 10:00:00") for i in range(30)]
    return DataSource(
        orders=write_orders(folder / "orders.csv", orders),
        chats=write_chats(folder / "chats.csv", CHATS),
    )


def test_agent_metrics_by_hand(source: DataSource) -> None:
    report = api.agents_report(source, CONFIG, as_of=AS_OF)
    a1, a2 = (a.to_dict() for a in report.agents)
    assert (a1["agent_id"], a1["sessions"]) == ("a1", 5)
    assert a1["response_3min_rate"] == 0.5  # s1 of s1, s2
    assert a1["mean_first_response_seconds"] == (180 + 181 + 10 + 20) / 4
    assert a1["satisfaction_rate"] == 0.5  # s1, s3 of s1, s2, s3, s6
    assert a1["qa_score"] == 85
    assert a1["grade"] == "not_graded"
    assert (a2["sessions"], a2["response_3min_rate"], a2["mean_first_response_seconds"]) == (
        1,
        0.0,
        None,
    )
    assert a2["qa_score"] is None


def test_share_of_points_lost(source: DataSource) -> None:
    report = api.agents_report(source, CONFIG, as_of=AS_OF)
    shop = report.shops[0].to_dict("senior")
    scored = api.score(source, CONFIG, as_of=AS_OF).shops[0]
    resp = scored.indicators["response_3min_rate"].points_lost
    sat = scored.indicators["satisfaction_rate"].points_lost
    assert resp > 0 and sat > 0
    assert shop["response_points_lost"] == resp
    assert shop["unassigned_sessions"] == 1
    a1, a2 = (a.to_dict() for a in report.agents)
    # shop: 3 late in service hours (s2, s7, s8), 3 unsatisfied ratings (s2, s6, s7)
    assert a1["response_points_lost"] == pytest.approx(resp / 3)
    assert a1["satisfaction_points_lost"] == pytest.approx(sat * 2 / 3)
    assert a2["satisfaction_points_lost"] == pytest.approx(sat / 3)


def test_what_if_every_agent_reaches_senior(source: DataSource) -> None:
    report = api.agents_report(source, CONFIG, as_of=AS_OF)
    shop = report.shops[0].to_dict("senior")
    # a1: ceil(0.9 × 2) = 2 fast, ceil(0.9 × 4) = 4 satisfied; a2: 1 and 1; no agent: 0, 1
    assert shop["what_if"]["set"] == {"response_3min_rate": 3 / 4, "satisfaction_rate": 1.0}
    assert shop["what_if"]["score"] > shop["score"]


def test_sample_minimums_come_from_the_config(source: DataSource) -> None:
    small = CONFIG._replace(
        agents=AGENTS._replace(min_service_hour_sessions=1, min_rated_sessions=1),
    )
    report = api.agents_report(source, small, as_of=AS_OF)
    # a1: 5 sessions < 50 (below advanced); a2 has no QA score although QA was provided
    assert [a.grade for a in report.agents] == ["none", "not_graded"]
    assert report.agents[0].note == (
        "for advanced: sessions 5 < 50, 3-min response 50.0% < 85%, satisfaction 50.0% < 85%"
    )
    assert report.agents[1].note == "QA sample 0 scored sessions < 1"


def test_qa_not_provided_is_skipped_and_said(tmp_path: Path) -> None:
    chats = tmp_path / "chats.csv"
    chats.write_text(
        "session_id,shop_id,agent_id,started_at,first_response_seconds\n"
        "x1,s1,a1,2025-06-01 10:00:00,30\n",
        encoding="utf-8",
    )
    orders = write_orders(tmp_path / "orders.csv", [order("o1", "2025-06-01 09:00:00")])
    report = api.agents_report(DataSource(orders=orders, chats=chats), CONFIG, as_of=AS_OF)
    assert any("QA criterion is skipped" in w for w in report.warnings)
    note = report.agents[0].note or ""
    assert "QA" not in note and "satisfaction sample 0" in note


def test_a_shop_without_chats_is_not_measured_not_without_agents(tmp_path: Path) -> None:
    """No chat export for the shop: its agents were not measured, which the report says
    (not "no chat session with an agent_id", a statement about data it does not have)."""
    orders = write_orders(tmp_path / "orders.csv", [order("o1", "2025-06-01 09:00:00")])
    report = api.agents_report(DataSource(orders=orders), CONFIG, as_of=AS_OF)
    assert report.agents == []
    assert [w for w in report.warnings if "blank in every row" not in w] == [
        "shop s1: chats not provided (no chat export loaded for this shop): its agents are "
        "not measured"
    ]


def test_a_chat_export_loads_through_a_column_map(run: Any, tmp_path: Path) -> None:
    """No documented 千牛/飞鸽 session export column list exists: a column map reads one."""
    export = tmp_path / "会话导出.csv"
    export.write_text(
        "会话ID,客服账号,买家,开始时间,首次响应时长,满意度\n"
        "k1,kf-a,b1,2025-06-01 10:00:00,35,5\n"
        "k2,kf-a,b2,2025-06-01 11:00:00,,3\n",
        encoding="utf-8",
    )
    orders = write_orders(tmp_path / "orders.csv", [order("o1", "2025-06-01 09:00:00")])
    db = tmp_path / "shop.duckdb"
    maps = [
        "session_id=会话ID",
        "agent_id=客服账号",
        "customer_id=买家",
        "started_at=开始时间",
        "first_response_seconds=首次响应时长",
        "satisfaction=满意度",
    ]
    args = [arg for m in maps for arg in ("--map", m)]
    assert run("load", db, orders, "-q").exit_code == 0
    loaded = run("load", db, "--chats", export, "--shop", "s1", *args, "-q")
    assert loaded.exit_code == 0, loaded.output
    report = api.agents_report(DataSource(db=db), CONFIG, as_of=AS_OF).to_dict()
    agent = report["agents"][0]
    assert (agent["agent_id"], agent["sessions"], agent["response_3min_rate"]) == ("kf-a", 2, 0.5)
    assert agent["satisfaction_rate"] == 0.5
