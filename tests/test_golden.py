"""The spec's worked example: svc's JSON must match the independent implementation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOLDEN, GOLDEN_AS_OF, load_json


def assert_matches(got: Any, expected: Any, path: str = "", exact: bool = False) -> None:
    """Every expected field is present and equal: floats within 1e-9, except the rounded
    shop score (a shop is the dict that has a tier), which must be exact."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), path
        for key, value in expected.items():
            assert key in got, f"{path}.{key} missing"
            rounded = key in ("score", "stars") and "tier" in expected
            assert_matches(got[key], value, f"{path}.{key}", rounded)
    elif isinstance(expected, list):
        assert len(got) == len(expected), path
        for i, (g, e) in enumerate(zip(got, expected, strict=False)):
            assert_matches(g, e, f"{path}[{i}]")
    elif isinstance(expected, float) and not exact:
        assert got == pytest.approx(expected, abs=1e-9), path
    else:
        assert got == expected, path


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_scores_match_worked_example(run: Any, golden_db: Path) -> None:
    got = _json(
        run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--window-days", "30", "--format", "json")
    )
    expected = load_json(GOLDEN / "expected_scores.json")
    assert [s["shop_id"] for s in got["shops"]] == [s["shop_id"] for s in expected["shops"]]
    assert_matches(got, expected)


def test_repurchase_matches_worked_example(run: Any, golden_db: Path) -> None:
    got = _json(
        run(
            "report",
            "repurchase",
            golden_db,
            "--as-of",
            GOLDEN_AS_OF,
            "--window-days",
            "365",
            "--format",
            "json",
        )
    )
    assert_matches(got, load_json(GOLDEN / "expected_repurchase.json"))


def test_simulate_matches_worked_example(run: Any, golden_db: Path) -> None:
    got = _json(
        run(
            "simulate",
            golden_db,
            "--shop",
            "664656",
            "--add-service",
            "breakage_compensation",
            "--as-of",
            GOLDEN_AS_OF,
            "--format",
            "json",
        )
    )
    assert_matches(got, load_json(GOLDEN / "expected_simulate_664656_breakage_compensation.json"))


def test_scoring_straight_from_files_equals_database(run: Any, golden_db: Path) -> None:
    from_db = _json(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--format", "json"))
    from_files = _json(
        run(
            "score",
            "--orders",
            GOLDEN / "orders.csv",
            "--reviews",
            GOLDEN / "reviews.csv",
            "--chats",
            GOLDEN / "chats.csv",
            "--shops",
            GOLDEN / "shops.csv",
            "--as-of",
            GOLDEN_AS_OF,
            "--format",
            "json",
        )
    )
    assert from_files == from_db
