"""Found when tried as a new user would (issue 8): as-of past the data, simulate's
formats, review apps without order ids, rejects of platform exports, mixed encodings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, GOLDEN_AS_OF

PRESETS = DATA / "presets"


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


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_simulate_csv_and_json_carry_ways_and_the_repurchase_estimate(
    golden_db: Path, run: Any
) -> None:
    args = ("simulate", golden_db, "--shop", "152284", "--as-of", GOLDEN_AS_OF)
    args += ("--add-service", "refund_if_pet_refuses")
    table = run(*args)
    assert "Ways to reach 4.80" in table.stdout and "Estimate" in table.stdout
    doc = json.loads(run(*args, "-f", "json").stdout)
    rows = _csv(run(*args, "-f", "csv").stdout)
    sections = {r["section"] for r in rows}
    assert {"indicator", "sub_score", "dimension", "score", "way_to_target"} <= sections
    ways = [r for r in rows if r["section"] == "way_to_target"]
    assert len(ways) == len(doc["paths_to_target"]["paths"]) >= 1
    assert float(ways[0]["after"]) == doc["paths_to_target"]["paths"][0]["score"]
    (estimate,) = [r for r in rows if r["section"] == "repurchase_estimate"]
    expected = doc["repurchase_estimate"]
    assert estimate["item"] == expected["metric"] == "rr_90d"  # not repeat_purchase_rate
    assert float(estimate["before"]) == expected["current_rate"]
    assert float(estimate["after"]) == expected["projected_rate"]
    assert "not part of the score" in estimate["detail"]
    # rates are fractions, like the JSON
    (pickup,) = [r for r in rows if r["section"] == "indicator" and r["item"] == "pickup_48h_rate"]
    assert float(pickup["before"]) == doc["before"]["indicators"]["pickup_48h_rate"]["value"] <= 1
    tier = next(r for r in rows if r["item"] == "tier")
    assert (tier["before"], tier["after"]) == (doc["before"]["tier"], doc["after"]["tier"])
    markdown = run(*args, "-f", "markdown").stdout
    assert "Ways to reach 4.80" in markdown and "Estimate" in markdown


REVIEW_APPS = ("judgeme_reviews", "yotpo_reviews", "okendo_reviews", "shopify_product_reviews")


@pytest.mark.parametrize("preset", REVIEW_APPS)
def test_review_app_exports_are_loaded_for_good_review_rate_only(
    tmp_path: Path, run: Any, preset: str
) -> None:
    from svc_cli import api

    db = tmp_path / "s.duckdb"
    result = run("load", db, PRESETS / f"{preset}.csv", "--shop", "s1")
    assert result.exit_code == 0, result.output
    message = " ".join(result.stderr.split())
    assert "are loaded and count for good_review_rate only" in message
    assert "neg_feedback_rate) is not assessed from them" in message
    assert "cannot be loaded" not in message
    assert json.loads(run("load", db, PRESETS / f"{preset}.csv", "--shop", "s1", "-f", "json")
                      .stdout)["files"][0]["unchanged"] >= 1  # fmt: skip
    from tests.factories import order, write_orders

    orders = write_orders(tmp_path / "o.csv", [order("o1", "2025-06-01 10:00:00", "s1")])
    api.load(db, files=[orders])
    (shop,) = api.info(db)["shops"]
    assert "reviews" in shop["provided"] and "reviews.order_id" not in shop["provided"]
    assert "good_review_rate" in shop["assessable"]
    assert "neg_feedback_rate" not in shop["assessable"]
    assert "reviews.order_id" in shop["not_provided"]


def test_review_export_with_an_order_column_rejects_reviews_without_one() -> None:
    from svc_cli.presets.base import Ctx, orphan_reviews_message
    from svc_cli.presets.shopify import JUDGEME_REVIEWS

    ctx = Ctx(
        preset=JUDGEME_REVIEWS,
        label="r.csv",
        frame=None,  # type: ignore[arg-type]
        headers={"order_id": "订单号"},
        shop_id=None,
        skip_invalid=False,
        statuses={},
        timezone="Asia/Shanghai",
    )
    assert "they are invalid rows" in orphan_reviews_message(ctx, 2)


def test_preset_docs_say_what_review_apps_count_for() -> None:
    from svc_cli.presets import docs

    text = " ".join(docs.render().split())
    assert "count for **good_review_rate only**" in text
    assert "**neg_feedback_rate is not assessed**" in text


def test_mixed_encoding_error_names_the_line_where_utf8_starts(tmp_path: Path, run: Any) -> None:
    header = "订单编号,买家会员名,订单状态\n".encode("gbk")
    gbk = "1001,张三丰,交易成功\n1002,李四光,交易成功\n".encode("gbk")
    utf8 = "1003,王五月,交易成功\n1004,赵六儿,交易成功\n".encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(header + gbk + utf8)
    result = run("inspect", path)
    assert result.exit_code == 2
    assert "mixed.csv:4: mixed encodings: earlier lines are not UTF-8" in result.stderr
    assert "line 4 is UTF-8" in result.stderr
    # the other way round still names the first non-UTF-8 line
    path.write_bytes("订单编号,买家会员名,订单状态\n".encode() + gbk)
    result = run("inspect", path)
    assert "mixed.csv:2: mixed encodings: earlier lines are UTF-8 but line 2 is not" in (
        result.stderr
    )


def test_rows_a_preset_skips_are_written_to_the_rejects_file(tmp_path: Path, run: Any) -> None:
    export = tmp_path / "unknown_status.csv"
    export.write_bytes((PRESETS / "broken" / "unknown_status.csv").read_bytes())
    db = tmp_path / "s.duckdb"
    result = run("load", db, export, "--skip-invalid", "-f", "json")
    assert result.exit_code == 0, result.output
    rejects = tmp_path / "unknown_status.csv.rejects.csv"
    assert json.loads(result.stdout)["rejects_files"] == [str(rejects)]
    assert str(rejects) in " ".join(result.stderr.split())
    (row,) = _csv(rejects.read_text(encoding="utf-8"))
    assert row["line"] == "3"
    assert "订单状态" in row["errors"] and "已退货" in row["errors"]
    assert row["买家会员名"] == "暖阳" and row["订单状态"] == "已退货"  # original columns
    assert list(row)[:2] == ["line", "errors"]
    assert not list(tmp_path.glob(".*.tmp"))
    # --rejects-dir is honoured; without --skip-invalid nothing is written
    elsewhere = tmp_path / "rej"
    elsewhere.mkdir()
    run("load", tmp_path / "t.duckdb", export, "--skip-invalid", "--rejects-dir", elsewhere)
    assert (elsewhere / "unknown_status.csv.rejects.csv").exists()
    refused = run("load", tmp_path / "u.duckdb", export, "--rejects-dir", tmp_path / "none")
    assert refused.exit_code == 2


def test_simulate_past_the_data_says_so_too(golden_db: Path, run: Any) -> None:
    result = run("simulate", golden_db, "--shop", "0042", "--as-of", "2030-01-01", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert any("past the data" in n for n in doc["after"]["notes"])
    assert "past the data" in result.stderr
