"""Terminal tables fit the terminal: columns chosen by priority, numbers never wrapped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from svc_cli import render
from svc_cli.cli import app
from svc_cli.render import Output, Section, to_table
from tests.conftest import GOLDEN, GOLDEN_AS_OF

AS_OF = ("--as-of", GOLDEN_AS_OF)


def invoke(width: int, *args: Any) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_fits(text: str, width: int) -> None:
    too_wide = [line for line in text.splitlines() if cell_len(line.rstrip()) > width]
    assert not too_wide, f"{len(too_wide)} line(s) wider than {width}:\n" + "\n".join(too_wide)


def tokens(text: str) -> set[str]:
    return set(re.split(r"\s+", text))


def commands(db: Path, tmp: Path) -> dict[str, tuple[Any, ...]]:
    return {
        "score": ("score", db, *AS_OF),
        "score --shop": ("score", db, *AS_OF, "--shop", "0042"),
        "info": ("info", db),
        "simulate": (
            "simulate",
            db,
            *AS_OF,
            "--shop",
            "664656",
            "--add-service",
            "breakage_compensation",
        ),
        "report repurchase": ("report", "repurchase", db, *AS_OF),
        "cohorts": ("report", "repurchase", db, *AS_OF, "--cohorts"),
        "by tier": ("report", "repurchase", db, *AS_OF, "--by", "tier"),
        "customers": ("report", "repurchase", db, *AS_OF, "--show-customers", "--shop", "0042"),
        "load": (
            "load",
            tmp / "x.duckdb",
            GOLDEN / "orders.csv",
            "--shops",
            GOLDEN / "shops.csv",
            "-q",
        ),
        "inspect": ("inspect", GOLDEN / "orders.csv"),
        "presets": ("presets",),
        "services": ("services",),
        "agents": ("agents", db, *AS_OF),
        "refunds": ("report", "refunds", db, *AS_OF),
        "service-repurchase": ("report", "service-repurchase", db, *AS_OF),
        "repeat": ("report", "repeat", db, *AS_OF),
        "repeat overdue": ("report", "repeat", db, *AS_OF, "--view", "overdue"),
        "diagnose": ("diagnose", db, *AS_OF, "--shop", "0042"),
        "plan": ("plan", db, *AS_OF, "--shop", "0042"),
        "trend": ("trend", db, "--shop", "0042", "--from", "2025-05-01", "--to", "2025-06-29"),
    }


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    "name",
    [
        "score",
        "score --shop",
        "info",
        "simulate",
        "report repurchase",
        "cohorts",
        "by tier",
        "customers",
        "load",
        "inspect",
        "presets",
        "services",
        "agents",
        "refunds",
        "service-repurchase",
        "repeat",
        "repeat overdue",
        "diagnose",
        "plan",
        "trend",
    ],
)
def test_tables_fit_the_terminal(golden_db: Path, tmp_path: Path, name: str, width: int) -> None:
    assert_fits(invoke(width, *commands(golden_db, tmp_path)[name]), width)
    if width == 80:  # Chinese labels are two cells wide each
        assert_fits(invoke(width, *commands(golden_db, tmp_path)[name], "--lang", "zh"), width)


@pytest.mark.parametrize("width", [80, 120])
def test_score_shows_ids_names_and_numbers_whole(golden_db: Path, width: int) -> None:
    doc = json.loads(invoke(width, "score", golden_db, *AS_OF, "-f", "json"))
    text = invoke(width, "score", golden_db, *AS_OF)
    seen = tokens(text)
    for shop in doc["shops"]:
        assert shop["shop_id"] in seen
        if shop["score"] is not None:
            assert f"{shop['score']:.2f}" in seen
    assert "暖阳悦然美妆专营店" in text  # names are shown (and short ones unbroken)
    if width == 80:
        assert "--wide" in text  # says which columns were left out


def test_breakdown_and_info_keep_values_whole(golden_db: Path) -> None:
    doc = json.loads(invoke(80, "score", golden_db, *AS_OF, "--shop", "0042", "-f", "json"))
    seen = tokens(invoke(80, "score", golden_db, *AS_OF, "--shop", "0042"))
    for ind in doc["shops"][0]["indicators"].values():
        if ind["score"] is not None:
            assert f"{ind['score']:.2f}" in seen
    info = invoke(80, "info", golden_db)
    assert re.search(r"\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d", info)  # periods on one line
    rr = json.loads(invoke(80, "report", "repurchase", golden_db, *AS_OF, "-f", "json"))
    seen = tokens(invoke(80, "report", "repurchase", golden_db, *AS_OF))
    for shop in rr["shops"]:
        assert shop["shop_id"] in seen
        if shop["repeat_purchase_rate"] is not None:
            assert f"{shop['repeat_purchase_rate'] * 100:.2f}%" in seen


def test_at_80_columns_what_a_table_is_for_stays(golden_db: Path) -> None:
    """What a score rests on (Assessed), when an event rolls off (Leaves window) and a
    service's points are kept; other columns go first."""
    score = invoke(80, "score", golden_db, *AS_OF)
    assert "Assessed" in next(line for line in score.splitlines() if "Shop" in line)
    diagnose = invoke(80, "diagnose", golden_db, *AS_OF, "--shop", "0042")
    events = diagnose[diagnose.index("Events counting") :]
    assert "Leaves" in events.split("━")[0]  # a header, wrapped: "Leaves / window"
    assert re.search(r"\d\d-\d\d \d\d:\d\d", events.split("━")[-1])  # the days, whole
    services = invoke(80, "services")
    assert "Points" in services.splitlines()[1] and "0.10" in tokens(services)


def test_wide_shows_every_column(golden_db: Path) -> None:
    narrow = invoke(80, "score", golden_db, *AS_OF)
    wide = invoke(80, "score", golden_db, *AS_OF, "--wide")
    header = [next(line for line in text.splitlines() if "Shop" in line) for text in (narrow, wide)]
    assert "Logistics" not in header[0] and "Logistics" in header[1]
    assert "--wide" in narrow and "--wide" not in wide


def test_drop_order_and_wrapping_columns() -> None:
    rows = [{"id": "123456789012", "note": "a long note " * 5, "a": 1.5, "b": 2.25, "c": 3}]
    section = Section(rows, wrap=("note",), drop=("c", "b"))
    text = to_table(Output([section]), width=50, wide=False) or ""
    assert_fits(text, 50)
    assert "123456789012" in text and "1.50" in text and "2.25" not in text
    assert "left out to fit the terminal: b, c" in " ".join(text.split())


def test_piped_output_keeps_every_column(golden_db: Path) -> None:
    result = CliRunner().invoke(
        app, ["score", str(golden_db), *AS_OF], env={"COLUMNS": None}
    )  # not a terminal, no $COLUMNS: a file or a pager
    header = next(line for line in result.stdout.splitlines() if "Shop" in line)
    assert "Industry" in header and "Logistics" in header and "--wide" not in result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_piped_tables_are_richs_without_rich(
    golden_db: Path, tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped, every command's table is written by render.plain_table — the same bytes
    Rich prints (here with the plain writer turned off), without Rich's console."""
    piped = {"COLUMNS": None, "FORCE_COLOR": None, "TTY_COMPATIBLE": None}
    plain_table = render.plain_table
    written_plainly = []

    def spy(output: Output, width: int) -> str | None:
        text = plain_table(output, width)
        written_plainly.append(text is not None)
        return text

    for name, args in commands(golden_db, tmp_path).items():
        if name == "load":
            continue  # writes its database
        argv = ["--lang", lang, *(str(a) for a in args)]
        with monkeypatch.context() as patch:
            patch.setattr(render, "plain_table", spy)
            plain = CliRunner().invoke(app, argv, env=piped)
            patch.setattr(render, "plain_table", lambda *_: None)
            rich = CliRunner().invoke(app, argv, env=piped)
        assert plain.exit_code == rich.exit_code == 0, plain.output
        assert plain.stdout == rich.stdout, name
    assert all(written_plainly) and len(written_plainly) == len(commands(golden_db, tmp_path)) - 1
