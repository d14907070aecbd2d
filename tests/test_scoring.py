"""Hand-checked expectations for the pure scoring model (spec §4–§5)."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from svc_cli.config import load_config
from svc_cli.scoring import (
    Benchmark,
    PeerBenchmark,
    ShopInputs,
    ShopScore,
    interpolate,
    round_half_up,
    score_shop,
    stars_for,
    tier_for,
)

CONFIG = load_config()
START, END = datetime(2025, 5, 31), datetime(2025, 6, 30)
PERFECT = {
    "neg_feedback_rate": 0.0,
    "good_review_rate": 1.0,
    "pickup_48h_rate": 1.0,
    "delivery_hours": 24.0,
    "refund_hours": 2.0,
    "help_rate": 0.0,
    "response_3min_rate": 1.0,
    "satisfaction_rate": 1.0,
}


def shop(
    values: dict[str, float | None] | None = None,
    *,
    industry: str = "general",
    services: tuple[str, ...] = (),
    valid_orders: int = 100,
    delivery_share: float | None = 0.0,
    shop_id: str = "s1",
) -> ShopInputs:
    return ShopInputs(
        shop_id, industry, services, valid_orders, {**PERFECT, **(values or {})}, delivery_share
    )


def score(inputs: ShopInputs, benchmark: Benchmark | None = None) -> ShopScore:
    return score_shop(inputs, CONFIG, benchmark or Benchmark(CONFIG), START, END)


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("neg_feedback_rate", 0.003, 5.0),  # anchor
        ("neg_feedback_rate", 0.0, 5.0),  # clamped above the best anchor
        ("neg_feedback_rate", 0.015, 4.25),  # halfway 1% (4.5) → 2% (4.0)
        ("neg_feedback_rate", 0.035, 3.5),  # halfway 2% (4.0) → 5% (3.0)
        ("neg_feedback_rate", 0.20, 3.0),  # clamped at the worst anchor
        ("good_review_rate", 0.98, 4.75),  # halfway 97% (4.5) → 99% (5.0)
        ("good_review_rate", 0.90, 3.5),  # halfway 85% (3.0) → 95% (4.0)
        ("pickup_48h_rate", 0.8666666666666667, 3.1666666666666665),  # golden shop 0042
        ("delivery_hours", 66.0, 4.25),  # halfway 60 h (4.5) → 72 h (4.0)
        ("delivery_hours", 96.0, 3.5),
        ("refund_hours", 9.0, 4.75),
        ("help_rate", 0.002, 4.75),
        ("response_3min_rate", 0.775, 3.5),
    ],
)
def test_threshold_interpolation(indicator: str, value: float, expected: float) -> None:
    anchors = CONFIG.anchors_for(indicator, "general")
    assert interpolate(value, anchors) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [(4.795, 4.8), (4.7949999, 4.79), (4.805, 4.81), (4.8, 4.8), (4.804999, 4.8), (4.125, 4.13)],
)
def test_round_half_up(raw: float, rounded: float) -> None:
    assert round_half_up(raw) == rounded


@pytest.mark.parametrize(
    ("score_value", "tier", "stars"),
    [
        (4.80, "high", 4.5),
        (4.79, "ordinary", 4.5),
        (4.50, "ordinary", 4.5),
        (4.49, "low", 4.0),
        (5.0, "high", 5.0),
        (3.99, "low", 3.5),
    ],
)
def test_tier_and_stars(score_value: float, tier: str, stars: float) -> None:
    assert tier_for(score_value, CONFIG) == tier
    assert stars_for(score_value) == stars


def _value_for(indicator: str, sub_score: float) -> float:
    """Invert the piecewise-linear anchors: the value that earns ``sub_score``."""
    anchors = CONFIG.anchors_for(indicator, "general")
    for (x0, y0), (x1, y1) in itertools.pairwise(anchors):
        if min(y0, y1) <= sub_score <= max(y0, y1):
            return x0 + (sub_score - y0) * (x1 - x0) / (y1 - y0)
    raise ValueError(sub_score)


def _base_for(target: float) -> ShopInputs:
    """A shop whose base score is ``target``: only neg_feedback_rate is below 5.0.

    Goods weighs 0.25 and neg_feedback_rate 0.7 of it, so a sub-score of 5 - d gives a
    base of 5 - 0.175·d.
    """
    sub = 5.0 - (5.0 - target) / 0.175
    return shop({"neg_feedback_rate": _value_for("neg_feedback_rate", sub)})


@pytest.mark.parametrize(
    ("base", "services", "score_value", "tier", "badge"),
    [
        (4.795, ("extended_warranty",), 4.85, "high", True),
        (4.745, ("extended_warranty",), 4.8, "high", False),  # 4.795 → 4.80: not above 4.80
        (4.755, ("extended_warranty",), 4.81, "high", True),  # 4.805 → 4.81
        (4.795, (), 4.8, "high", False),  # high tier, but no service
        (4.7949, (), 4.79, "ordinary", False),
    ],
)
def test_tier_and_badge_boundaries(
    base: float, services: tuple[str, ...], score_value: float, tier: str, badge: bool
) -> None:
    inputs = _base_for(base)
    result = score(ShopInputs(inputs.shop_id, inputs.industry, services, 100, inputs.values, 0.0))
    assert result.base_score == pytest.approx(base, abs=1e-9)
    assert (result.score, result.tier, result.badge_eligible) == (score_value, tier, badge)


def test_weight_redistribution_inside_a_dimension() -> None:
    # No reviews: good_review_rate not assessed; neg_feedback_rate carries all of goods.
    result = score(shop({"good_review_rate": None, "neg_feedback_rate": 0.015}))
    goods = result.dimensions["goods"]
    assert result.indicators["neg_feedback_rate"].effective_weight == 1.0
    assert result.indicators["good_review_rate"].effective_weight == 0.0
    assert result.indicators["good_review_rate"].score is None
    assert goods.score == pytest.approx(4.25)
    assert result.base_score == pytest.approx(0.25 * 4.25 + 0.75 * 5.0)


def test_empty_dimension_weight_goes_to_the_others() -> None:
    # Nothing delivered, nothing due, no reviews: goods and logistics are empty.
    values = dict.fromkeys(
        ("neg_feedback_rate", "good_review_rate", "pickup_48h_rate", "delivery_hours")
    )
    result = score(shop({**values, "refund_hours": 12.0}))  # refund sub-score 4.5
    assert result.dimensions["goods"].effective_weight == 0.0
    assert result.dimensions["service"].effective_weight == 1.0
    # service = 0.25·4.5 + 0.25·5 + 0.30·5 + 0.20·5
    assert result.base_score == pytest.approx(0.25 * 4.5 + 0.75 * 5.0)
    assert result.indicators["refund_hours"].overall_weight == pytest.approx(0.25)


def test_delivery_points_are_off_by_default() -> None:
    result = score(shop(delivery_share=1.0))
    assert (result.delivery_points, result.addon, result.delivery_share) == (0.0, 0.0, 1.0)


def test_addon_is_capped_and_delivery_points_step() -> None:
    config = CONFIG._replace(delivery_points_enabled=True)

    def score(inputs: ShopInputs) -> ShopScore:
        return score_shop(inputs, config, Benchmark(config), START, END)

    services = ("breakage_compensation", "extended_warranty", "return_shipping_insurance")
    low = shop({"pickup_48h_rate": 0.85}, services=services, delivery_share=0.6)
    result = score(low)
    assert result.service_points == pytest.approx(0.15)
    assert result.delivery_points == 0.10
    assert result.addon == pytest.approx(0.25)
    capped = score(
        shop(
            {"pickup_48h_rate": 0.85},
            industry="home_furnishing",
            services=("delivery_install", *services),
            delivery_share=0.6,
        )
    )
    assert capped.addon == pytest.approx(0.30)  # 0.25 + 0.10 capped
    assert score(shop(delivery_share=0.2999)).delivery_points == 0.0
    assert score(shop(delivery_share=0.30)).delivery_points == 0.05


def test_score_capped_at_five() -> None:
    result = score(shop(services=("extended_warranty",), delivery_share=1.0))
    assert result.base_score == 5.0
    assert (result.raw_score, result.score, result.stars) == (5.0, 5.0, 5.0)


def test_service_of_another_industry_does_not_count() -> None:
    result = score(shop({"pickup_48h_rate": 0.9}, industry="pets", services=("delivery_install",)))
    assert result.counting_services == ()
    assert result.service_points == 0.0
    assert not result.badge_eligible
    assert any("does not count" in n for n in result.notes)


def test_growth_stage_has_no_score_but_keeps_values() -> None:
    result = score(shop({"pickup_48h_rate": 0.9}, valid_orders=29))
    assert result.status == "growth_stage"
    assert (result.score, result.tier, result.stars, result.addon) == (None, None, None, None)
    assert result.indicators["pickup_48h_rate"].value == 0.9
    assert result.indicators["pickup_48h_rate"].score is None
    assert any("29 valid order" in n for n in result.notes)
    assert score(shop(valid_orders=30)).status == "scored"


def test_diagnosis_names_the_costliest_indicator() -> None:
    result = score(shop({"pickup_48h_rate": 0.95, "help_rate": 0.003}))
    # pickup: 0.25·0.7·(5-4) = 0.175; help: 0.5·0.35·(5-4.5) = 0.0875
    loss = result.biggest_loss()
    assert loss is not None and loss.name == "pickup_48h_rate"
    assert loss.points_lost == pytest.approx(0.175)


def test_peer_benchmark_ranks_within_industry() -> None:
    rates = [0.90, 0.92, 0.94, 0.96, 0.98]
    shops = [shop({"pickup_48h_rate": r}, shop_id=f"p{i}") for i, r in enumerate(rates)]
    bench = PeerBenchmark(CONFIG, shops)
    assert bench.warnings({"general"}) == []
    # p4 beats all 4 peers: r = 1.0 → 5.0; p2 beats 2 of 4: r = 0.5 → 4.0 + 0.1/0.3·0.5
    assert score(shops[4], bench).indicators["pickup_48h_rate"].score == 5.0
    assert score(shops[2], bench).indicators["pickup_48h_rate"].score == pytest.approx(
        4.0 + (0.5 - 0.4) / 0.3 * 0.5
    )
    assert score(shops[0], bench).indicators["pickup_48h_rate"].score == 3.0
    # all tied on help_rate (0.0): r = ½ → same as above
    assert score(shops[0], bench).indicators["help_rate"].score == pytest.approx(
        4.0 + (0.5 - 0.4) / 0.3 * 0.5
    )


def test_peer_benchmark_falls_back_for_small_industries() -> None:
    shops = [shop({"pickup_48h_rate": 0.9}, shop_id=f"p{i}") for i in range(4)]
    shops.append(shop(valid_orders=5, shop_id="growth"))  # growth stage: not a peer
    bench = PeerBenchmark(CONFIG, shops)
    assert any("fewer than 5" in w for w in bench.warnings({"general"}))
    assert bench.warnings(set()) == []
    assert score(shops[0], bench).indicators["pickup_48h_rate"].score == pytest.approx(3.5)
    assert score(shops[0], bench).benchmark == "thresholds"  # what the shop was scored by


def test_a_shop_says_which_benchmark_scored_it() -> None:
    general = [shop({"pickup_48h_rate": 0.9 + i / 100}, shop_id=f"g{i}") for i in range(5)]
    pets = shop({"pickup_48h_rate": 0.9}, shop_id="p1", industry="pets")
    bench = PeerBenchmark(CONFIG, [*general, pets])
    assert [score(s, bench).benchmark for s in (general[0], pets)] == ["peers", "thresholds"]
