"""Found when tried as a new user would (issue 8): as-of past the data, simulate's
formats, review apps without order ids, rejects of platform exports, mixed encodings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.conftest import GOLDEN_AS_OF


def test_as_of_past_the_data_says_the_window_holds_no_orders(golden_db: Path, run: Any) -> None:
    result = run("score", golden_db, "--as-of", "2030-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert all(s["status"] == "growth_stage" for s in out["shops"])
    (note,) = out["notes"]
    assert "holds no valid order of any shop" in note
    assert "the latest valid order was paid at 2025-06-" in note and "past the data" in note
    assert note in result.stderr
    table = run("score", golden_db, "--as-of", "2030-01-01")
    assert "past the data" in " ".join(table.stdout.split())  # the footer says it too
    normal = json.loads(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "-f", "json").stdout)
    assert normal["notes"] == []


def test_as_of_before_the_data_names_the_first_order(golden_db: Path, run: Any) -> None:
    out = json.loads(run("score", golden_db, "--as-of", "2020-01-01", "-f", "json").stdout)
    assert "is --as-of before the data?" in out["notes"][0]
