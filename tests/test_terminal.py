"""Terminal tables fit the terminal: columns chosen by priority, numbers never wrapped."""

from __future__ import annotations

import json
import re
import shutil
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
    if width == 120:
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


def header_line(text: str, word: str) -> str:
    return next(line for line in text.splitlines() if word in line)


def left_out(text: str) -> str:
    """The line (joined) naming the columns left out, or ''."""
    flat = " ".join(text.split())
    start = max(flat.find("left out to fit"), flat.find("为适应终端宽度未显示"))
    return flat[start : flat.find("--wide", start)] if start >= 0 else ""


def test_at_80_columns_what_a_table_is_for_stays(golden_db: Path) -> None:
    """What a merchant acts on (score, tier, stars, badge, what costs most), when an
    event rolls off (Leaves window) and a service's points are kept; other columns go
    first."""
    score = invoke(80, "score", golden_db, *AS_OF)
    header = header_line(score, "Shop")
    for column in ("Score", "Tier", "Stars", "Badge", "Costs most", "Points"):
        assert column in header, column
    wider = invoke(120, "score", golden_db, *AS_OF)
    assert "Name" in header_line(wider, "Shop") and "Assessed" in header_line(wider, "Shop")
    diagnose = invoke(80, "diagnose", golden_db, *AS_OF, "--shop", "0042")
    events = diagnose[diagnose.index("Events counting") :]
    assert "Leaves" in events.split("━")[0]  # a header, wrapped: "Leaves / window"
    assert re.search(r"\d\d-\d\d \d\d:\d\d", events.split("━")[-1])  # the days, whole
    services = invoke(80, "services")
    assert "Points" in services.split("━")[0] and "0.10" in tokens(services)


def test_at_80_columns_a_reload_shows_its_rows_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counts that prove a reload changed nothing stay; the encoding, the preset and
    the rows read (their sum) go first (files named as a merchant names them, in the
    folder of the exports)."""
    shutil.copy(GOLDEN / "orders.csv", tmp_path / "orders-2025-06.csv")
    monkeypatch.chdir(tmp_path)
    db, orders = "shop.duckdb", "orders-2025-06.csv"
    invoke(80, "load", db, orders)
    again = invoke(80, "load", db, orders)
    for column in ("Inserted", "Updated", "Unchanged", "Rejected"):
        assert column in header_line(again, "Table"), again
    assert "Preset, Encoding, Rows" in left_out(again)


def test_a_column_that_fits_is_not_left_out(golden_db: Path) -> None:
    """Columns left out to fit are put back when the room freed holds them: no table
    narrower than the terminal leaves out a column it has room for."""
    rows = [{"id": "1", "wide": "x" * 30, "narrow": "y"}]
    section = Section(rows, drop=("wide", "narrow"))
    assert render.fit_columns(section, 30) == (["id", "narrow"], ["wide"])
    for width in (60, 80, 120):
        for lang in ("en", "zh"):
            text = invoke(width, "score", golden_db, *AS_OF, "--lang", lang)
            table = text.split("━")[0].splitlines()[0]
            # the table's blank first line is as wide as the table
            room = width - cell_len(table)
            widths = render.column_widths(
                Section([{"c": "4.5"}], headers={"c": "Stars" if lang == "en" else "星级"})
            )
            if "Stars" in left_out(text) or "星级" in left_out(text):
                assert room < widths["c"][0] + 3, (width, lang)


def tables(text: str) -> list[tuple[str, list[str]]]:
    """Each table's header (its lines above the rule) and rows (its lines below)."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.strip() and set(line.strip()) == {"━"}:
            top = i - 1
            while top >= 0 and lines[top].strip():
                top -= 1
            end = i + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            found.append(("\n".join(lines[top + 1 : i]), lines[i + 1 : end]))
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_60_columns_the_main_metrics_stay(golden_db: Path, lang: str) -> None:
    zh = lang == "zh"
    refunds = invoke(60, "report", "refunds", golden_db, *AS_OF, "--lang", lang)
    assert_fits(refunds, 60)
    (summary, rows), (detail, _) = tables(refunds)
    rate = "挽单率" if zh else "Retention"
    assert rate in summary and rate in detail
    assert all(re.search(r"\d+\.\d\d%|—", row) for row in rows)  # the rates shown
    repurchase = invoke(60, "report", "repurchase", golden_db, *AS_OF, "--lang", lang)
    assert_fits(repurchase, 60)
    header = tables(repurchase)[0][0]
    rates = ("30天复购率", "90天复购率", "复购率") if zh else ("rr_30d", "rr_90d", "Repeat")
    for column in rates:
        assert column in header, column
    diagnose = invoke(60, "diagnose", golden_db, *AS_OF, "--shop", "0042", "--lang", lang)
    assert_fits(diagnose, 60)
    (ranked, _), *_, (events, rows) = tables(diagnose)
    assert ("最早移出" if zh else "roll-off") in ranked  # when the next event rolls off
    assert ("情况" if zh else "What") in events  # what happened, not only an id
    if zh:  # (Chinese texts are wider: when an event leaves the window shows at 80)
        events = tables(
            invoke(80, "diagnose", golden_db, *AS_OF, "--shop", "0042", "--lang", lang)
        )[-1][0]
    assert ("移出" if zh else "Leaves") in events
    more = [row for row in rows if ("另" if zh else "more") in row]
    assert more and all(re.search(r"… \S+ \d+|… \d+ more", row) for row in more)
    dated = [row for row in rows if re.search(r"\d\d-\d\d \d\d:\d\d\s*$", row)]
    assert zh or len(dated) >= len(rows) // 3  # when each event leaves the window


@pytest.mark.parametrize("width", [60, 80, 120])
def test_numbers_and_short_values_never_wrap(golden_db: Path, width: int) -> None:
    doc = json.loads(invoke(width, "score", golden_db, *AS_OF, "-f", "json"))
    for lang in ("en", "zh"):
        text = invoke(width, "score", golden_db, *AS_OF, "--lang", lang)
        header, rows = tables(text)[0]
        if ("失分" if lang == "zh" else "Points") in header:
            for shop in doc["shops"]:
                if shop["diagnosis"]:
                    row = next(r for r in rows if r.startswith(f"  {shop['shop_id']} "))
                    assert f"−{shop['diagnosis']['points_lost']:.2f}" in row  # beside its shop
        diagnose = invoke(width, "diagnose", golden_db, *AS_OF, "--shop", "0042", "--lang", lang)
        for line in diagnose.splitlines():
            assert not line.rstrip().endswith(("（满分", " of")), line  # "满分 5）", "of 5"
            assert not re.match(r"\s+5）", line), line


def test_stars_and_days_are_shown_as_they_count(golden_db: Path) -> None:
    doc = json.loads(invoke(120, "score", golden_db, *AS_OF, "-f", "json"))
    seen = tokens(invoke(120, "score", golden_db, *AS_OF))
    for shop in doc["shops"]:
        if shop["stars"] is not None:
            assert f"{shop['stars']:.1f}" in seen and f"{shop['stars']:.2f}" not in seen
    repeat = invoke(160, "report", "repeat", golden_db, *AS_OF)
    doc = json.loads(invoke(160, "report", "repeat", golden_db, *AS_OF, "-f", "json"))
    seen = tokens(repeat)
    for row in doc["rows"]:
        for key in ("p25_days_to_second", "p75_days_to_second", "p90_days_to_second"):
            if row[key] is not None:
                assert float(row[key]).is_integer() and f"{row[key]:.0f}" in seen
                assert f"{row[key]:.2f}" not in seen


def test_every_table_command_takes_wide(golden_db: Path, tmp_path: Path) -> None:
    """Every command with a table format takes --wide (the line under a narrow table
    says it shows every column)."""
    import typer

    def walk(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
        found = []
        for name, command in getattr(group, "commands", {}).items():
            found += walk(command, (*path, name)) if hasattr(command, "commands") else []
            if not hasattr(command, "commands"):
                found.append(((*path, name), command))
        return found

    commands_ = walk(typer.main.get_command(app))
    assert len(commands_) > 15
    for path, command in commands_:
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        if "--format" in options:
            assert "--wide" in options, " ".join(path)
    for name, args in {
        **commands(golden_db, tmp_path),
        "agents no chats": ("agents", golden_db, *AS_OF, "--shop", "719992"),
        "export": ("export", golden_db, tmp_path / "lake"),
    }.items():
        text = invoke(60, *args, "--wide")
        assert "--wide shows" not in text, name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_agents_one_line_not_empty_tables(golden_db: Path, lang: str) -> None:
    text = invoke(80, "agents", golden_db, *AS_OF, "--shop", "719992", "--lang", lang)
    assert "━" not in text  # no table
    first = text.splitlines()[0]
    assert first == (
        "No agent to grade: no chat session with an agent_id in the window."
        if lang == "en"
        else "没有可分级的客服：周期内没有带客服编号的会话。"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_has_headers(golden_db: Path, tmp_path: Path, lang: str) -> None:
    text = invoke(80, "export", golden_db, tmp_path / "lake", "--lang", lang)
    header = text.split("━")[0]
    assert "partitioned_by" not in header
    assert (
        ("Table" in header and "Partitioned by" in header) if lang == "en" else "分区字段" in header
    )
    csv = invoke(80, "export", golden_db, tmp_path / "lake2", "-f", "csv")
    assert csv.splitlines()[0] == "table,rows,partitioned_by"  # the contract is unchanged


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
    # c goes first, then b; c (narrower) fits again in the room b leaves
    assert "left out to fit the terminal: b (" in " ".join(text.split())
    section = Section(rows, wrap=("note",), drop=("c", "b"), beside={"c": "b"})
    text = to_table(Output([section]), width=50, wide=False) or ""
    assert "left out to fit the terminal: b, c" in " ".join(text.split())  # c goes with b


def test_a_note_of_columns_left_out_stands_apart_from_the_next_title() -> None:
    rows = [{"id": "123456789012", "note": "a long note " * 5, "a": 1.5, "b": 2.25}]
    first = Section(rows, title="First", wrap=("note",), drop=("b",))
    text = (
        to_table(Output([first, Section([{"x": 1}], title="Second")]), width=50, wide=False) or ""
    )
    lines = [line.strip() for line in text.splitlines()]
    second = lines.index("Second")
    assert lines[second - 3 : second] == [
        "left out to fit the terminal: b (--wide shows",
        "every column)",
        "",
    ]


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
