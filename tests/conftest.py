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
