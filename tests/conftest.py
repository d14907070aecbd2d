from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from svc_cli.cli import app

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
GOLDEN_AS_OF = "2025-06-30 00:00:00"


@pytest.fixture(scope="session")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example of the spec, loaded once (tests must not modify it)."""
    db = tmp_path_factory.mktemp("golden") / "golden.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "load",
            str(db),
            str(GOLDEN / "orders.csv"),
            "--reviews",
            str(GOLDEN / "reviews.csv"),
            "--chats",
            str(GOLDEN / "chats.csv"),
            "--shops",
            str(GOLDEN / "shops.csv"),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def run() -> Callable[..., Any]:
    """Invoke the CLI; returns the click Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def spark() -> Any:
    """One local Spark session (local[2]) shared by every Spark test; skipped only when
    pyspark is not installed (CI installs the spark extra and runs them)."""
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install '.[spark]'")
    pytest.importorskip("sqlglot", reason="sqlglot not installed: pip install '.[spark]'")
    from svc_cli.engines import spark_session

    session = spark_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "2")  # tiny data: few tasks
    yield session
    session.stop()
