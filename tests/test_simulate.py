"""What-if simulation: change semantics, paths to the target and the labelled estimate."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from svc_cli.config import load_config
from svc_cli.errors import UsageError
from svc_cli.score_report import ScoreReport
from svc_cli.scoring import Benchmark, ShopInputs, score_shop
from svc_cli.simulate import Change, Simulation, apply_change, project_repurchase, simulate
from svc_cli.window import Window

CONFIG = load_config()
VALUES = {
    "neg_feedback_rate": 0.01,  # 4.5
    "good_review_rate": 0.97,  # 4.5
    "pickup_48h_rate": 0.95,  # 4.0
    "delivery_hours": 60.0,  # 4.5
    "refund_hours": 12.0,  # 4.5
    "help_rate": 0.003,  # 4.5
    "response_3min_rate": 0.92,  # 4.5
}
SHOP = ShopInputs("s1", "pets", (), 100, VALUES, 0.0)
WINDOW = Window(datetime(2025, 6, 30), 30)


def report_for(shop: ShopInputs) -> ScoreReport:
    bench = Benchmark(CONFIG)
    scored = [score_shop(shop, CONFIG, bench, WINDOW.start, WINDOW.as_of)]
    return ScoreReport(WINDOW, CONFIG, bench, scored, {shop.shop_id: shop})


def test_base_score_of_the_fixture() -> None:
    # goods 4.5; logistics 0.7·4 + 0.3·4.5 = 4.15; service 4.5 → 0.25·4.5 + 0.25·4.15 + 0.5·4.5
    result = simulate(report_for(SHOP), SHOP, []).before
    assert result.base_score == pytest.approx(4.4125)
    assert (result.score, result.tier) == (4.41, "low")


def test_a_simulation_warns_about_its_shop_as_score_does() -> None:
    other = replace(SHOP, shop_id="s2")
    bench = Benchmark(CONFIG)
    scored = [score_shop(s, CONFIG, bench, WINDOW.start, WINDOW.as_of) for s in (SHOP, other)]
    note = "the window holds no valid order of any shop"
    inputs = {s.shop_id: s for s in (SHOP, other)}
    report = ScoreReport(WINDOW, CONFIG, bench, scored, inputs, notes=[note])
    sim = simulate(report, SHOP, [])
    # satisfaction_rate has no value: 7 of 8 assessed, for s1 only (not the other shop)
    assert sim.warnings[0].startswith("shop s1: 7 of 8 indicators assessed")
    assert not any("s2" in w for w in sim.warnings)
    assert sim.warnings[-1] == note  # a note about the whole report, also in the scores
    assert note in sim.before.notes and note in sim.after.notes


def test_improve_semantics() -> None:
    lower = apply_change(SHOP, Change("improve", "refund_hours", 25), CONFIG)
    assert lower.values["refund_hours"] == pytest.approx(9.0)  # 12 × (1 − 0.25)
    higher = apply_change(SHOP, Change("improve", "pickup_48h_rate", 10), CONFIG)
    assert higher.values["pickup_48h_rate"] == 1.0  # 0.95 × 1.1 capped at 100%
    assert SHOP.values["refund_hours"] == 12.0  # the original is untouched


def test_add_service_and_set() -> None:
    sim = simulate(
        report_for(SHOP),
        SHOP,
        [Change("add_service", "refund_if_pet_refuses"), Change("set", "pickup_48h_rate", 0.995)],
    )
    # logistics becomes 0.7·5 + 0.3·4.5 = 4.85: base 4.4125 + 0.25·0.7 = 4.5875; +0.10
    assert sim.after.base_score == pytest.approx(4.5875)
    assert sim.after.addon == pytest.approx(0.10)
    assert (sim.after.score, sim.after.tier, sim.after.badge_eligible) == (4.69, "ordinary", False)
    assert [c.to_dict() for c in sim.changes] == [
        {"add_service": "refund_if_pet_refuses"},
        {"set": "pickup_48h_rate", "value": 0.995},
    ]


def test_duplicate_service_is_refused() -> None:
    shop = ShopInputs("s1", "pets", ("refund_if_pet_refuses",), 100, VALUES, 0.0)
    with pytest.raises(UsageError, match="already offers"):
        apply_change(shop, Change("add_service", "refund_if_pet_refuses"), CONFIG)


def test_paths_reach_the_target_and_services_come_first() -> None:
    shop = ShopInputs("s1", "pets", (), 100, {**VALUES, "pickup_48h_rate": 0.995}, 0.0)
    sim = simulate(report_for(shop), shop, [])
    assert sim.before.score == 4.59
    first = sim.paths[0]
    # base 4.5875: only all four pet services together (+0.25) reach 4.80 (4.8375 → 4.84)
    assert len(first["changes"]) == 4 and first["score"] == 4.84
    assert first["changes"][0] == {"add_service": "refund_if_pet_refuses"}
    for path in sim.paths:
        assert path["score"] >= 4.80
        trial = shop
        for change in path["changes"]:
            if "add_service" in change:
                trial = apply_change(trial, Change("add_service", change["add_service"]), CONFIG)
            else:
                trial = apply_change(trial, Change("set", change["set"], change["value"]), CONFIG)
        rescored = score_shop(trial, CONFIG, Benchmark(CONFIG), WINDOW.start, WINDOW.as_of)
        assert rescored.score == path["score"]


def test_no_paths_when_already_there() -> None:
    shop = ShopInputs("s1", "pets", (), 100, {k: None for k in VALUES} | {"help_rate": 0.0}, 0.0)
    assert simulate(report_for(shop), shop, []).paths == []


def _tier_change() -> Simulation:
    shop = ShopInputs("s1", "pets", (), 100, {**VALUES, "pickup_48h_rate": 0.995}, 0.0)
    # base 4.5875 + 0.0875 (help_rate 5.0) + 0.0875 (refund_hours 5.0) + 0.10 → 4.86
    changes = [
        Change("add_service", "refund_if_pet_refuses"),
        Change("set", "help_rate", 0.0),
        Change("set", "refund_hours", 6.0),
    ]
    return simulate(report_for(shop), shop, changes)


def test_projection_uses_this_datas_tiers_when_there_are_enough_shops() -> None:
    sim = _tier_change()
    assert (sim.before.tier, sim.after.tier) == ("ordinary", "high")
    estimate = project_repurchase(sim, 0.10, {"high": (0.30, 3), "ordinary": (0.20, 4)}, CONFIG)
    assert estimate["estimate"] is True
    assert estimate["ratio"] == pytest.approx(1.5)
    assert estimate["projected_rate"] == pytest.approx(0.15)
    assert "current_repeat_purchase_rate" not in estimate  # it held the metric's rate (rr_90d)
    assert "this data's tiers" in estimate["source"]


def test_projection_falls_back_to_the_published_figure_only_for_low_to_badge() -> None:
    sim = _tier_change()
    sim.before.tier = "low"
    estimate = project_repurchase(sim, 0.10, {"high": (0.30, 1)}, CONFIG)
    assert estimate["ratio"] == 2.0 and "published figure" in estimate["source"]
    sim.before.tier = "ordinary"
    estimate = project_repurchase(sim, 0.10, {}, CONFIG)
    assert estimate["projected_rate"] is None
    assert estimate["source"].startswith("none")


def test_no_projection_without_a_tier_change() -> None:
    sim = simulate(report_for(SHOP), SHOP, [])
    assert project_repurchase(sim, 0.1, {}, CONFIG) is None


def test_ways_are_followed_by_the_plan_in_whole_events(golden_db: Path) -> None:
    """Under the rate-based ways, `svc plan`'s actions to the same target (en and zh)."""
    from typer.testing import CliRunner

    from svc_cli import api
    from svc_cli.cli import app
    from svc_cli.i18n import translate
    from tests.conftest import GOLDEN_AS_OF

    args = ["simulate", str(golden_db), "--as-of", GOLDEN_AS_OF, "--shop", "664656",
            "--add-service", "breakage_compensation"]  # fmt: skip
    plan = api.plan(api.DataSource(db=golden_db), "664656", as_of=GOLDEN_AS_OF)
    assert plan.reachable and plan.actions
    env = {"COLUMNS": "1000"}
    en = CliRunner().invoke(app, args, env=env).stdout
    assert f"(svc plan, cost {plan.cost}):" in en
    assert all(str(a.text) in en for a in plan.actions if a.service is None)
    zh = CliRunner().invoke(app, [*args, "--lang", "zh"], env=env).stdout
    assert f"（svc plan，成本 {plan.cost}）" in zh
    assert all(translate(a.text, "zh") in zh for a in plan.actions if a.service is None)
