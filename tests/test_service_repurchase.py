"""Service → repurchase: group membership by hand, and bootstrap intervals that are
reproducible with a seed and cover the true rate about 95% of the time."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from svc_cli import api
from svc_cli.api import DataSource
from svc_cli.bootstrap import Interval, rate_interval, ratio_interval
from svc_cli.config import load_config
from tests.factories import order, write_chats, write_orders, write_reviews

CONFIG = load_config()
BOOT = CONFIG.bootstrap


def test_rate_intervals_are_wilson_score_intervals() -> None:
    """The bounds solve (k/n − p)² = z²·p(1 − p)/n (z = 1.959964 at 95%), checked here as
    the roots of that quadratic; all or none repeating still leaves a range."""

    def roots(k: int, n: int) -> tuple[float, float]:
        z2, rate = 1.959964**2, k / n
        a, b, c = 1 + z2 / n, -(2 * rate + z2 / n), rate * rate
        d = math.sqrt(b * b - 4 * a * c)
        return (-b - d) / (2 * a), (-b + d) / (2 * a)

    for k, n in [(37, 200), (1, 1), (0, 50), (3, 5)]:
        interval = rate_interval(k, n, 0.95)
        assert interval is not None
        assert (interval.low, interval.high) == pytest.approx(roots(k, n), abs=1e-6)
    assert rate_interval(1, 1, 0.95) == Interval(pytest.approx(0.2065, abs=1e-4), 1.0)
    assert rate_interval(0, 50, 0.95) == Interval(0.0, pytest.approx(0.0713, abs=1e-4))
    assert rate_interval(0, 0, 0.95) is None


def test_ratio_intervals_are_reproducible_with_a_seed() -> None:
    ratio = ratio_interval((30, 100), (15, 100), BOOT, "r")
    assert ratio == ratio_interval((30, 100), (15, 100), BOOT, "r")
    assert ratio is not None and ratio.low < 2.0 < ratio.high
    assert ratio_interval((30, 100), (15, 100), BOOT._replace(seed=BOOT.seed + 1), "r") != ratio


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def test_rate_intervals_cover_the_true_rate_about_95_percent() -> None:
    rng, n, p, trials = random.Random(2026), 300, 0.2, 400
    covered = 0
    for _ in range(trials):
        interval = rate_interval(_binomial(rng, n, p), n, 0.95)
        assert interval is not None
        covered += interval.contains(p)
    assert 0.90 <= covered / trials <= 0.99, covered / trials


def test_ratio_intervals_cover_the_true_ratio_about_95_percent() -> None:
    rng, trials = random.Random(7), 200
    covered = 0
    for t in range(trials):
        top, bottom = _binomial(rng, 400, 0.3), _binomial(rng, 400, 0.15)
        interval = ratio_interval((top, 400), (bottom, 400), BOOT, f"sim{t}")
        assert interval is not None
        covered += interval.contains(2.0)
    assert 0.88 <= covered / trials <= 0.99, covered / trials


AS_OF = "2025-06-30 00:00:00"  # last observed day 2025-06-29
F = "2024-12-01 10:00:00"  # first order day of c1..c7: 90 and 180 days observed


def first(customer: str, **fields: Any) -> dict[str, Any]:
    fields.setdefault("shipped_at", "2024-12-02 10:00:00")
    return order(f"{customer}-1", F, customer_id=customer, **fields)


def again(customer: str, paid: str) -> dict[str, Any]:
    return order(f"{customer}-2", paid, customer_id=customer, shipped_at=paid)


ORDERS = [
    first("c1", shipped_at="2024-12-04 10:00:00"),  # shipped late
    again("c1", "2024-12-20 09:00:00"),
    first(
        "c2",
        refund_reason="quality",
        refund_status="withdrawn",
        refund_requested_at="2024-12-03 10:00:00",
    ),
    first(
        "c3",
        refund_reason="no_reason",
        refund_status="completed",
        refund_requested_at="2024-12-03 10:00:00",
        refund_completed_at="2024-12-04 10:00:00",
    ),
    again("c3", "2025-04-15 10:00:00"),  # day 135: within 180, not 90
    first("c4"),  # bad review
    first("c5"),  # chat unanswered within 7 days
    again("c5", "2024-12-10 10:00:00"),
    first("c6"),  # chat answered in 30 s
    again("c6", "2025-01-01 10:00:00"),
    first("c7"),  # unanswered chat, but 19 days later: nothing went wrong
    order("c8-1", "2025-06-01 10:00:00", customer_id="c8", shipped_at="2025-06-02 10:00:00"),
]
REVIEWS = [
    {"review_id": "r1", "order_id": "c4-1", "shop_id": "s1", "rating": 1, "created_at": "2024-12-10 10:00:00"},
    {"review_id": "r2", "order_id": "c6-1", "shop_id": "s1", "rating": 3, "created_at": "2024-12-10 10:00:00"},
]  # fmt: skip
CHATS = [
    {"session_id": "k5", "shop_id": "s1", "customer_id": "c5", "started_at": "2024-12-08 23:59:59", "first_response_seconds": ""},
    {"session_id": "k6", "shop_id": "s1", "customer_id": "c6", "started_at": "2024-12-02 10:00:00", "first_response_seconds": 30},
    {"session_id": "k7", "shop_id": "s1", "customer_id": "c7", "started_at": "2024-12-20 10:00:00", "first_response_seconds": ""},
]  # fmt: skip


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("service")
    source = DataSource(
        orders=write_orders(folder / "orders.csv", ORDERS),
        reviews=write_reviews(folder / "reviews.csv", REVIEWS),
        chats=write_chats(folder / "chats.csv", CHATS),
    )
    report = api.service_repurchase_report(source, CONFIG, as_of=AS_OF)
    # The fixture measures neither delivery nor chat satisfaction, and its as-of is months
    # past its data (to observe every customer): said, nothing else.
    assert [w.split(": ", 1)[1].split(" blank")[0] for w in report.warnings] == [
        "column(s) delivered_at",
        "column(s) satisfaction",
        "the days after it count as days without an order; is --as-of past the data?",
    ]
    return {g["group"]: g for g in report.to_dict()["groups"]}


@pytest.mark.parametrize(
    ("group", "customers", "rr90", "rr180"),
    [
        ("all", 8, (3, 7), (4, 7)),  # c8 is not observed for 90 days yet
        ("late_shipping", 1, (1, 1), (1, 1)),
        ("unanswered_chat", 1, (1, 1), (1, 1)),  # k5 on day 7 counts, k7 on day 19 not
        ("refund_requested", 2, (0, 2), (1, 2)),
        ("refund_retained", 1, (0, 1), (0, 1)),
        ("refund_not_retained", 1, (0, 1), (1, 1)),
        ("bad_review", 1, (0, 1), (0, 1)),  # a 3-star review is not bad
        ("nothing_went_wrong", 3, (1, 2), (1, 2)),  # c6, c7, c8
    ],
)
def test_groups_by_hand(
    groups: dict[str, dict[str, Any]],
    group: str,
    customers: int,
    rr90: tuple[int, int],
    rr180: tuple[int, int],
) -> None:
    row = groups[group]
    assert row["customers"] == customers
    assert (row["repeat_90d"], row["eligible_90d"]) == rr90
    assert (row["repeat_180d"], row["eligible_180d"]) == rr180
    assert row["rr_90d"] == rr90[0] / rr90[1]
    assert row["rr_90d_low"] <= row["rr_90d"] <= row["rr_90d_high"]


def test_the_same_customers_get_the_same_interval_in_every_row(tmp_path: Path) -> None:
    """One shop: its rows and all shops' rows hold the same customers, and so the same
    intervals (they were seeded by the row's name and came out slightly apart)."""
    source = DataSource(
        orders=write_orders(tmp_path / "orders.csv", ORDERS),
        reviews=write_reviews(tmp_path / "reviews.csv", REVIEWS),
        chats=write_chats(tmp_path / "chats.csv", CHATS),
    )
    doc = api.service_repurchase_report(source, CONFIG, as_of=AS_OF).to_dict()
    (shop,) = doc["shops"]
    own = {g["group"]: g for g in shop["groups"]}
    keys = [k for k in doc["groups"][0] if k.endswith(("_low", "_high"))]
    assert keys
    for pooled in doc["groups"]:
        if pooled["group"] in own:
            mine = own[pooled["group"]]
            assert [pooled[k] for k in keys] == [mine[k] for k in keys], pooled["group"]
    (tier,) = doc["tiers"]  # the one shop's tier: its "all" customers again
    assert [tier[k] for k in keys] == [own["all"][k] for k in keys]


def test_simulate_projects_from_the_measured_tier_ratio_with_its_interval(
    golden_db: Path,
) -> None:
    from svc_cli.simulate import Change

    as_of = "2025-06-30 00:00:00"
    sim = api.simulate_shop(
        DataSource(db=golden_db),
        "0042",
        [Change("set", "pickup_48h_rate", 0.995)],
        CONFIG,
        as_of=as_of,
    )
    estimate = sim.repurchase_estimate
    assert estimate is not None and estimate["metric"] == "rr_90d"
    assert (estimate["from_tier"], estimate["to_tier"]) == ("ordinary", "high")
    report = api.service_repurchase_report(DataSource(db=golden_db), CONFIG, as_of=as_of)
    measured = next(
        r
        for r in report.to_dict()["tier_ratios"]
        if (r["top"], r["bottom"], r["horizon_days"]) == ("high", "ordinary", 90)
    )
    assert estimate["ratio"] == measured["ratio"]
    assert (estimate["ratio_low"], estimate["ratio_high"]) == (
        measured["ratio_low"],
        measured["ratio_high"],
    )
    rate = estimate["current_rate"]
    assert estimate["projected_low"] == pytest.approx(rate * measured["ratio_low"])
    assert estimate["projected_low"] <= estimate["projected_rate"] <= estimate["projected_high"]


def test_chats_whose_customer_ids_match_no_order_are_warned(tmp_path: Path) -> None:
    """A chat export naming customers otherwise (a nickname, not the account id) leaves the
    unanswered-chat group empty: said, not shown as "never happened"."""
    renamed = [{**c, "customer_id": f"nick-{c['customer_id']}"} for c in CHATS]
    source = DataSource(
        orders=write_orders(tmp_path / "orders.csv", ORDERS),
        chats=write_chats(tmp_path / "chats.csv", renamed),
    )
    report = api.service_repurchase_report(source, CONFIG, as_of=AS_OF)
    (warning,) = [w for w in report.warnings if "chats" in w and "customer id" in w]
    assert warning.startswith("shop s1: no customer id of its chats is a customer id of its orders")
    (unanswered,) = [g for g in report.to_dict()["groups"] if g["group"] == "unanswered_chat"]
    assert unanswered["customers"] == 0
