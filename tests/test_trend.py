"""Trend: points at each period end, each equal to a `svc score --as-of` run."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from svc_cli.errors import UsageError
from svc_cli.trend import default_start, period_ends


def test_period_ends() -> None:
    d = date.fromisoformat
    assert period_ends(d("2025-06-28"), d("2025-07-01"), "day") == [
        d("2025-06-28"), d("2025-06-29"), d("2025-06-30"), d("2025-07-01"),
    ]  # fmt: skip
    # 2025-06-04 is a Wednesday: its week ends on Sunday 06-08; the last week is cut
    assert period_ends(d("2025-06-04"), d("2025-06-18"), "week") == [
        d("2025-06-08"), d("2025-06-15"), d("2025-06-18"),
    ]  # fmt: skip
    assert period_ends(d("2025-01-15"), d("2025-03-10"), "month") == [
        d("2025-01-31"), d("2025-02-28"), d("2025-03-10"),
    ]  # fmt: skip
    assert period_ends(d("2024-02-01"), d("2024-02-29"), "month") == [d("2024-02-29")]
    with pytest.raises(UsageError, match="after"):
        period_ends(d("2025-02-01"), d("2025-01-01"), "day")


def test_default_start() -> None:
    d = date.fromisoformat
    assert default_start(d("2025-06-30"), "day") == d("2025-06-01")
    assert len(period_ends(default_start(d("2025-06-29"), "week"), d("2025-06-29"), "week")) == 12
    assert default_start(d("2025-06-29"), "month") == d("2024-07-01")


@pytest.mark.parametrize(
    ("every", "start", "end"),
    [("month", "2025-01-01", "2025-06-29"), ("day", "2025-06-25", "2025-06-29")],
)
def test_points_equal_score_as_of_runs(
    run: Any, golden_db: Path, every: str, start: str, end: str
) -> None:
    for shop in ("0042", "985617"):
        result = run(
            "trend", golden_db, "--shop", shop, "--from", start, "--to", end, "--every", every,
            "-f", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        previous = None
        for point in doc["points"]:
            args = ("score", golden_db, "--shop", shop, "--as-of", point["date"], "-f", "json")
            scored = json.loads(run(*args).stdout)
            score = scored["shops"][0]
            assert point["as_of"] == scored["as_of"]
            for key in ("status", "score", "tier", "stars"):
                assert point[key] == score[key], (point["date"], key)
            for name, ind in point["indicators"].items():
                assert ind["value"] == score["indicators"][name]["value"]
                assert ind["score"] == score["indicators"][name]["score"]
            if previous is not None and None not in (point["score"], previous["score"]):
                assert point["change"] == round(point["score"] - previous["score"], 2)
            previous = point


def test_cli_every_format(run: Any, golden_db: Path, tmp_path: Path) -> None:
    base = ("trend", golden_db, "--shop", "0042", "--every", "week")
    for fmt in ("table", "markdown", "jsonl", "json"):
        result = run(*base, "-f", fmt)
        assert result.exit_code == 0 and result.stderr == "", result.output
    # the score of the 12 weekly points (4.61 … 4.94 … 4.56), lowest ▁ to highest █
    assert "  Score                      ▂▂▄█▇▄▅▆▄▃▃▁   4.61" in run(*base).stdout
    target = tmp_path / "trend.csv"
    assert run(*base, "-f", "csv", "-o", target).exit_code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("shop_id,date,as_of,status,score,change,tier,stars,")
    assert len(lines) == 13  # 12 weeks by default
    bad = run("trend", golden_db, "--shop", "0042", "--from", "2025-13-01")
    assert bad.exit_code == 2 and "not a date" in bad.stderr


def test_each_point_says_what_it_rests_on(run: Any, golden_db: Path) -> None:
    """The table's Assessed column is `svc score`'s at that day: a point scored on fewer
    indicators says so (it looked like any other)."""
    args = ("trend", golden_db, "--shop", "664656", "--from", "2025-06-01", "--to", "2025-06-29")
    table = run(*args, "--every", "week")
    assert table.exit_code == 0, table.output
    rows = [line.split() for line in table.stdout.splitlines() if line.strip()[:4] == "2025"]
    assert rows
    for row in rows:
        scored = json.loads(run("score", golden_db, "--shop", "664656", "--as-of", row[0],
                                "-f", "json").stdout)  # fmt: skip
        shop = scored["shops"][0]
        assessed = sum(1 for i in shop["indicators"].values() if i["assessed"])
        assert row[-1] == f"{assessed}/8"
    assert any(row[-1] != "8/8" for row in rows)  # 664656 has no reviews or chats for some


def test_points_before_a_later_review_export_are_warned_about(tmp_path: Path) -> None:
    """Orders from January, reviews only from April (an export that starts later): the
    points whose window starts before April read the review indicators without them."""
    from svc_cli import api
    from svc_cli.api import DataSource
    from tests.factories import order, write_orders, write_reviews

    orders = [
        order(
            f"o{m}{d}",
            f"2025-{m:02d}-{d:02d} 10:00:00",
            shipped_at=f"2025-{m:02d}-{d:02d} 12:00:00",
        )
        for m in range(1, 7)
        for d in range(1, 29)
    ]
    reviews = [
        {"review_id": f"r{m}", "order_id": f"o{m}1", "shop_id": "s1", "rating": 5,
         "created_at": f"2025-{m:02d}-05 10:00:00"}
        for m in range(4, 7)
    ]  # fmt: skip
    source = DataSource(
        orders=write_orders(tmp_path / "o.csv", orders),
        reviews=write_reviews(tmp_path / "r.csv", reviews),
    )
    early = api.trend(source, shop_id="s1", start=date(2025, 2, 1), end=date(2025, 6, 30))
    (warning,) = [w for w in early.warnings if "begin on" in w]
    assert warning.startswith("shop s1: its reviews begin on 2025-04-05, long after its first")
    late = api.trend(source, shop_id="s1", start=date(2025, 5, 10), end=date(2025, 6, 30))
    assert not [w for w in late.warnings if "begin on" in w]
