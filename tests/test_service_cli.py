"""The service commands end to end: agents, refunds, service-repurchase, repeat — every
output format and --lang zh, on the worked example."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOLDEN_AS_OF

FORMATS = ("table", "csv", "json", "jsonl", "markdown")
COMMANDS = (
    ("report", "refunds"), ("agents",), ("report", "service-repurchase"), ("report", "repeat"),
)  # fmt: skip


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def parsed(text: str, fmt: str) -> Any:
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return text


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(run: Any, command: tuple[str, ...]) -> None:
    assert "Example" in ok(run(*command, "-h")).stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_refunds_in_every_format(run: Any, golden_db: Path, fmt: str) -> None:
    args = ("report", "refunds", golden_db, "--as-of", GOLDEN_AS_OF, "--window-days", "90")
    out = parsed(ok(run(*args, "--every", "month", "-f", fmt)).stdout, fmt)
    if fmt == "json":
        shop = out["shops"][1]
        assert shop["shop_id"] == "152284" and shop["requests"] == 20
        assert set(shop["by_stage"]) == {"before_shipping", "after_shipping"}
        assert "not score points" in out["score_effect"]
    elif fmt == "jsonl":
        assert out[0]["shop_id"] == "0042"
    elif fmt == "csv":
        groups = {row["group"] for row in out}
        assert groups == {"all", "reason", "stage", "month"}
    else:
        assert "Retention saves money, not score points" in out


def test_refunds_in_chinese(run: Any, golden_db: Path) -> None:
    result = ok(run("report", "refunds", golden_db, "--as-of", GOLDEN_AS_OF, "--lang", "zh"))
    assert "挽单率" in result.stdout and "挽单省的是钱" in result.stdout


def test_unknown_shop_is_a_usage_error(run: Any, golden_db: Path) -> None:
    result = run("report", "refunds", golden_db, "--shop", "nope")
    assert result.exit_code == 2 and "unknown shop id" in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_agents_in_every_format(run: Any, golden_db: Path, fmt: str) -> None:
    result = ok(run("agents", golden_db, "--as-of", GOLDEN_AS_OF, "-f", fmt))
    out = parsed(result.stdout, fmt)
    if fmt == "json":
        agent = out["agents"][0]
        assert set(agent) >= {
            "shop_id",
            "agent_id",
            "sessions",
            "response_3min_rate",
            "mean_first_response_seconds",
            "satisfaction_rate",
            "qa_score",
            "grade",
        }
        assert {a["grade"] for a in out["agents"]} <= {
            "expert",
            "senior",
            "advanced",
            "none",
            "not_graded",
        }
        assert out["shops"][0]["what_if"]["every_agent_below_reaches"] == "senior"
    elif fmt == "jsonl":
        assert out[0]["agent_id"] == "0042-kf1"
    elif fmt == "csv":
        assert out[0]["grade"] == "not_graded"
    else:
        assert "0042-kf1" in out and "senior" in out


def test_agents_in_chinese(run: Any, golden_db: Path) -> None:
    result = ok(run("agents", golden_db, "--as-of", GOLDEN_AS_OF, "--lang", "zh"))
    assert "客服等级" in result.stdout and "样本不足" in result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_repurchase_in_every_format(run: Any, golden_db: Path, fmt: str) -> None:
    args = ("report", "service-repurchase", golden_db, "--as-of", GOLDEN_AS_OF, "--seed", "1")
    result = ok(run(*args, "-f", fmt))
    again = ok(run(*args, "-f", fmt))
    assert result.stdout == again.stdout  # seeded: reproducible
    out = parsed(result.stdout, fmt)
    if fmt == "json":
        assert [g["group"] for g in out["groups"]][:2] == ["all", "late_shipping"]
        assert out["platform_claim"]["platform_ratio"] == 2.0
        assert "correlation, not cause" in out["correlation_not_cause"]
        assert {t["scope"] for t in out["tiers"]} >= {"high", "low"}
    elif fmt == "jsonl":
        assert out[0]["scope"] == "all_shops" and "rr_90d_low" in out[0]
    elif fmt == "csv":
        assert {"scope", "group", "rr_90d", "rr_90d_low", "rr_180d_high"} <= set(out[0])
    else:
        assert "correlation, not cause" in out and "2×" in out


def test_service_repurchase_in_chinese(run: Any, golden_db: Path) -> None:
    args = ("report", "service-repurchase", golden_db, "--as-of", GOLDEN_AS_OF, "--lang", "zh")
    out = ok(run(*args)).stdout
    assert "首单经历" in out and "相关，不是因果" in out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("view", ("summary", "gaps", "sku", "amount", "cohorts", "overdue"))
def test_repeat_views_in_every_format(run: Any, golden_db: Path, view: str, fmt: str) -> None:
    args = ("report", "repeat", golden_db, "--as-of", GOLDEN_AS_OF, "--shop", "0042")
    result = ok(run(*args, "--view", view, "-f", fmt))
    out = parsed(result.stdout, fmt)
    if fmt == "json":
        assert out["view"] == view and out["rows"] and out["definitions"]
    elif fmt in ("jsonl", "csv"):
        assert out and out[0]["shop_id"] == "0042"
    else:
        assert "0042" in out and "last observed day 2025-06-29" in out
    assert result.stderr == ""


def test_repeat_in_chinese(run: Any, golden_db: Path) -> None:
    out = ok(run("report", "repeat", golden_db, "--as-of", GOLDEN_AS_OF, "--lang", "zh")).stdout
    assert "复购概览" in out and "新客数" in out


def test_services_csv_has_the_same_columns_in_every_language(run: Any) -> None:
    headers = {
        lang: run("services", "-f", "csv", "--lang", lang).stdout.splitlines()[0]
        for lang in ("en", "zh")
    }
    assert headers["en"] == headers["zh"] == "id,zh,en,industry,points"
