"""Repurchase metrics on hand-built customers (spec §6, §9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svc_cli import api
from svc_cli.api import DataSource
from tests.factories import order, write_orders

ORDERS = [
    # A: two orders on one day (one order day), again 30 days later
    order("a1", "2025-01-10 09:00:00", customer_id="A"),
    order("a2", "2025-01-10 18:00:00", customer_id="A"),
    order("a3", "2025-02-09 12:00:00", customer_id="A"),
    # B: again after 31 days
    order("b1", "2025-01-10 12:00:00", customer_id="B"),
    order("b2", "2025-02-10 12:00:00", customer_id="B"),
    # C: one recent order (30 days not yet observed)
    order("c1", "2025-06-01 12:00:00", customer_id="C"),
    # D: first order on the last day whose 30 days are observed, repeats on day 30
    order("d1", "2025-05-30 12:00:00", customer_id="D"),
    order("d2", "2025-06-29 12:00:00", customer_id="D"),
    # masked customer: left out of every customer metric
    order("e1", "2025-03-01 12:00:00", customer_id=""),
    order("e2", "2025-03-02 12:00:00", customer_id=""),
    # F: the cancelled order does not count
    order("f0", "2025-03-01 12:00:00", customer_id="F", status="cancelled"),
    order("f1", "2025-03-15 12:00:00", customer_id="F"),
    # G: ordered before the 365-day window, again inside it after 273 days
    order("g1", "2024-06-01 12:00:00", customer_id="G"),
    order("g2", "2025-03-01 12:00:00", customer_id="G"),
    # H: first order on 2025-05-31, no repeat (eligible for rr_30d only when L ≥ 06-30)
    order("h1", "2025-05-31 12:00:00", customer_id="H"),
    # shop s2: one recent customer, nothing observable yet
    order("x1", "2025-06-20 12:00:00", shop_id="s2", customer_id="X"),
    # shop s3: masked export only
    order("m1", "2025-06-20 12:00:00", shop_id="s3", customer_id=""),
]


@pytest.fixture(scope="module")
def orders_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_orders(tmp_path_factory.mktemp("rr") / "orders.csv", ORDERS)


def shops(orders_csv: Path, as_of: str, **kwargs: object) -> dict[str, dict]:
    report = api.repurchase_report(DataSource(orders=orders_csv), as_of=as_of, **kwargs)
    return {s["shop_id"]: s for s in report.to_dict()["shops"]}


def test_rates_at_midnight_as_of(orders_csv: Path) -> None:
    s1 = shops(orders_csv, "2025-06-30 00:00:00")["s1"]  # L = 2025-06-29
    assert s1["customers"] == 7  # A B C D F G H (masked left out)
    assert s1["repeat_customers"] == 3  # A (2 order days), B, D
    assert s1["repeat_purchase_rate"] == pytest.approx(3 / 7)
    assert s1["returning_customer_rate"] == pytest.approx(1 / 7)  # G
    assert s1["rr_30d"] == pytest.approx(2 / 5)  # eligible A B D F G; repeat A D
    assert s1["rr_90d"] == pytest.approx(2 / 4)  # eligible A B F G; repeat A B
    assert s1["rr_180d"] == 0.0  # eligible G only, who took 273 days: zero, not null
    assert s1["rr_365d"] == 1.0
    # each rate's base: the first-time customers whose N days are observed
    assert [s1[f"eligible_{n}d"] for n in (30, 90, 180, 365)] == [5, 4, 1, 1]


def test_last_observed_day_follows_as_of(orders_csv: Path) -> None:
    # "… 15:00:00" → L = 2025-06-30: H becomes eligible for rr_30d
    assert shops(orders_csv, "2025-06-30 15:00:00")["s1"]["rr_30d"] == pytest.approx(2 / 6)
    # a date means the end of that day: same as midnight of the next day
    assert shops(orders_csv, "2025-06-29") == shops(orders_csv, "2025-06-30 00:00:00")


def test_unobservable_rates_are_null_not_zero(orders_csv: Path) -> None:
    s2 = shops(orders_csv, "2025-06-30 00:00:00")["s2"]
    assert s2["customers"] == 1
    assert s2["repeat_purchase_rate"] == 0.0
    assert [s2[f"rr_{n}d"] for n in (30, 90, 180, 365)] == [None, None, None, None]


def test_masked_exports_say_metrics_are_unavailable(orders_csv: Path) -> None:
    report = api.repurchase_report(DataSource(orders=orders_csv), as_of="2025-06-30")
    s3 = next(s for s in report.to_dict()["shops"] if s["shop_id"] == "s3")
    assert s3["customers"] is None and s3["repeat_purchase_rate"] is None
    assert any("s3" in w and "unavailable" in w for w in report.warnings)


def test_window_limits_customers(orders_csv: Path) -> None:
    s1 = shops(orders_csv, "2025-06-30 00:00:00", window_days=30)["s1"]
    # W = (05-31 00:00, 06-30 00:00]: C, D (d2), H; D has one order day in W
    assert (s1["customers"], s1["repeat_customers"]) == (3, 0)
    assert s1["returning_customer_rate"] == pytest.approx(1 / 3)  # D ordered before W


def test_cohort_matrix(orders_csv: Path) -> None:
    report = api.repurchase_report(
        DataSource(orders=orders_csv), as_of="2025-06-30 00:00:00", shop_ids=["s1"], cohorts=True
    )
    cells = {(c["cohort"], c["month"]): c["share"] for c in report.cohorts or []}
    # cohort 2025-01 = A, B: both back in February, nobody after; June (k=5) observed
    assert [cells[("2025-01", k)] for k in range(6)] == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert ("2025-01", 6) not in cells  # July not observed: no cell
    assert cells[("2025-05", 0)] == 1.0  # D and H
    assert cells[("2025-05", 1)] == pytest.approx(1 / 2)  # D in June
    assert cells[("2024-06", 9)] == 1.0  # G in March 2025


def test_by_tier_pools_counts(orders_csv: Path) -> None:
    report = api.repurchase_report(DataSource(orders=orders_csv), as_of="2025-06-30", by_tier=True)
    groups = {g["group"]: g for g in report.groups or []}
    # every shop is in the growth stage here; s3 (no customer ids) is left out
    assert set(groups) == {"growth_stage"}
    assert groups["growth_stage"]["shops"] == 2
    assert groups["growth_stage"]["customers"] == 8
    assert groups["growth_stage"]["repeat_purchase_rate"] == pytest.approx(3 / 8)
    s1, s2 = (shops(orders_csv, "2025-06-30")[s] for s in ("s1", "s2"))
    assert groups["growth_stage"]["eligible_30d"] == s1["eligible_30d"] + s2["eligible_30d"]


def test_an_as_of_days_past_the_data_is_warned_about(run: Any, golden_db: Path) -> None:
    """Repurchase counts the days after the data as days without an order (spec §9
    observes up to the as-of): an as-of days past the data says so; the day after the
    data, or the default as-of, does not."""
    warning = "the data ends at 2025-06-30 00:00:00, days before the as-of 2030-01-02 00:00:00"
    for command in (
        ("report", "repurchase"),
        ("report", "repeat"),
        ("report", "service-repurchase"),
    ):
        late = run(*command, golden_db, "--as-of", "2030-01-01")
        assert late.exit_code == 0, late.output
        assert warning in late.stderr.replace("\n", " ")
    for as_of in (("--as-of", "2025-06-30"), ()):
        assert "the data ends" not in run("report", "repurchase", golden_db, *as_of).stderr


def test_tiers_name_the_shops_scored_on_fewer_indicators(golden_db: Path) -> None:
    """559860, 664656 and 719992 are scored on 7, 5 and 6 of the 8 indicators (their
    `svc score` warnings): pooled by tier all the same, and said."""
    source = DataSource(db=golden_db)
    for report in (
        api.repurchase_report(source, as_of="2025-06-30", by_tier=True),
        api.service_repurchase_report(source, as_of="2025-06-30"),
    ):
        (warning,) = [w for w in report.warnings if "tiers pool" in w]
        assert "all 8 indicators: 559860 (7), 664656 (5), 719992 (6) (the number" in warning
    plain = api.repurchase_report(source, as_of="2025-06-30")
    assert not [w for w in plain.warnings if "tiers pool" in w]  # no tiers, no warning


def test_csv_carries_each_rates_base(run: Any, golden_db: Path) -> None:
    as_of = ("--as-of", "2025-06-30")
    for extra in ((), ("--by", "tier")):
        result = run("report", "repurchase", golden_db, *as_of, *extra, "-f", "csv")
        header = result.stdout.splitlines()[0].split(",")
        assert header[-4:] == ["eligible_30d", "eligible_90d", "eligible_180d", "eligible_365d"]
