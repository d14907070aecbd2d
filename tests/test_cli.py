"""The command line end to end: every command, every format, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOLDEN, GOLDEN_AS_OF

FORMATS = ("table", "csv", "json", "jsonl", "markdown")
COMMANDS = (
    ("load",), ("info",), ("score",), ("simulate",), ("services",), ("model",),
    ("report", "repurchase"), ("inspect",), ("presets",), ("diagnose",), ("plan",), ("trend",),
)  # fmt: skip


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def fails(result: Any, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(run: Any, command: tuple[str, ...]) -> None:
    result = ok(run(*command, "-h"))
    assert "Example" in result.stdout


def test_top_level_help_lists_commands_and_exit_codes(run: Any) -> None:
    result = ok(run("--help"))
    for name in ("load", "info", "score", "simulate", "services", "report", "Exit codes"):
        assert name in result.stdout
    assert ok(run("--version")).stdout.startswith("svc ")


def parsed(text: str, fmt: str) -> Any:
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return text


@pytest.mark.parametrize("fmt", FORMATS)
def test_score_in_every_format(run: Any, golden_db: Path, fmt: str) -> None:
    result = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--format", fmt))
    out = parsed(result.stdout, fmt)
    if fmt == "json":
        assert out["as_of"] == GOLDEN_AS_OF and len(out["shops"]) == 12
    elif fmt == "jsonl":
        assert [s["shop_id"] for s in out][:2] == ["0042", "152284"]
    elif fmt == "csv":
        row = out[0]
        assert (row["shop_id"], row["score"], row["tier"]) == ("0042", "4.56", "ordinary")
        assert row["pickup_48h_rate_value"] == "0.8666666666666667"
        assert row["biggest_loss"] == "pickup_48h_rate"
    elif fmt == "markdown":
        assert "| 0042 | 暖阳悦然美妆专营店 | beauty | 4.56 | ordinary |" in out
        assert "> as of 2025-06-30 00:00:00" in out
    else:
        assert "0042" in out and "4.56" in out and "growth stage" in out
    # the only stderr output is the documented warning about a wrong-industry service
    assert all(line.startswith("Warning:") for line in result.stderr.splitlines())


@pytest.mark.parametrize("fmt", FORMATS)
def test_repurchase_in_every_format(run: Any, golden_db: Path, fmt: str) -> None:
    result = ok(run("report", "repurchase", golden_db, "--as-of", GOLDEN_AS_OF, "-f", fmt))
    out = parsed(result.stdout, fmt)
    if fmt == "json":
        assert out["window_days"] == 365 and out["shops"][0]["customers"] == 172
        assert out["definitions"]
    elif fmt == "jsonl":
        assert out[0]["rr_365d"] is None
    elif fmt == "csv":
        assert out[0]["repeat_purchase_rate"] == "0.1744186046511628"
        assert out[0]["rr_365d"] == ""
    else:
        assert "17.44%" in out and "last observed day 2025-06-29" in out
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_simulate_services_info_in_every_format(run: Any, golden_db: Path, fmt: str) -> None:
    sim = ok(
        run(
            "simulate",
            golden_db,
            "--shop",
            "0042",
            "--set",
            "pickup_48h_rate=0.995",
            "--as-of",
            GOLDEN_AS_OF,
            "-f",
            fmt,
        )
    )
    services = ok(run("services", "-f", fmt))
    info = ok(run("info", golden_db, "-f", fmt))
    if fmt == "json":
        after = json.loads(sim.stdout)["after"]
        # pickup sub-score 3.17 → 5.0: 4.5587 + 0.175 × (5 − 3.1667) = 4.8795
        assert after["score"] == 4.88 and after["tier"] == "high"
        assert json.loads(sim.stdout)["changes"] == [{"set": "pickup_48h_rate", "value": 0.995}]
        assert len(json.loads(services.stdout)["services"]) == 8
        tables = {t["table"]: t["rows"] for t in json.loads(info.stdout)["tables"]}
        assert tables == {"orders": 4421, "reviews": 1598, "chats": 1213, "shops": 11}
    elif fmt == "csv":
        assert parsed(services.stdout, fmt)[0]["id"] == "delivery_install"
        assert {r["item"] for r in parsed(sim.stdout, fmt)} >= {"score", "tier", "badge_eligible"}
    else:
        assert "breakage_compensation" in services.stdout
        assert "0042" in info.stdout


def test_output_file_is_written_atomically(run: Any, golden_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "score.json"
    result = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "-f", "json", "-o", target))
    assert result.stdout == ""
    assert json.loads(target.read_text())["shops"][0]["shop_id"] == "0042"
    assert [p.name for p in tmp_path.iterdir()] == ["score.json"]  # no temp file left


def test_output_to_missing_folder_is_a_clear_error(
    run: Any, golden_db: Path, tmp_path: Path
) -> None:
    fails(run("score", golden_db, "-o", tmp_path / "nope" / "x.json"), 2, "does not exist")


def test_chinese_labels(run: Any, golden_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--shop", "0042", "--lang", "zh"))
    for word in ("体验分", "中", "宝贝质量", "物流速度", "服务保障", "48小时揽收及时率"):
        assert word in out.stdout
    monkeypatch.setenv("SVC_LANG", "zh")
    assert "成长期" in ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF)).stdout
    # JSON stays English whatever the language
    doc = json.loads(ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "-f", "json")).stdout)
    assert doc["shops"][0]["tier"] == "ordinary"


def test_growth_stage_reason_is_shown(run: Any, golden_db: Path) -> None:
    out = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--shop", "229439")).stdout
    assert "growth stage: 12 valid order(s) paid in the window; a score needs at least 30" in out


def test_peers_benchmark_falls_back_with_a_warning(run: Any, golden_db: Path) -> None:
    result = ok(
        run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--benchmark", "peers", "-f", "json")
    )
    document = json.loads(result.stdout)
    assert document["benchmark"] == "peers"  # asked for; each shop says what scored it
    assert {s["benchmark"] for s in document["shops"]} == {"thresholds"}
    assert "fewer than 5" in result.stderr
    table = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--benchmark", "peers"))
    footer = " ".join(table.stdout.split())
    assert "benchmark thresholds (peers asked for: too few peers in every industry)" in footer


def test_config_override_changes_the_model(run: Any, golden_db: Path, tmp_path: Path) -> None:
    config = tmp_path / "model.toml"

    def tier_of_0042(high: float) -> str:
        config.write_text(f"[tiers]\nhigh = {high}\n")
        args = ("--as-of", GOLDEN_AS_OF, "--shop", "0042", "--config", config, "-f", "json")
        return json.loads(ok(run("score", golden_db, *args)).stdout)["shops"][0]["tier"]

    assert tier_of_0042(4.60) == "ordinary"  # 4.56 < 4.60
    assert tier_of_0042(4.55) == "high"
    assert "spec_version" in ok(run("model")).stdout


def test_config_given_before_the_command_is_every_commands_model(
    run: Any, golden_db: Path, tmp_path: Path
) -> None:
    """``svc --config FILE COMMAND`` as ``svc --lang``: the model of any command that
    does not give its own (which wins)."""
    low, high = tmp_path / "low.toml", tmp_path / "high.toml"
    low.write_text("[tiers]\nhigh = 4.55\n")
    high.write_text("[tiers]\nhigh = 4.60\n")
    args = ("--as-of", GOLDEN_AS_OF, "--shop", "0042", "-f", "json")

    def tier(*options: Any) -> str:
        return json.loads(ok(run(*options)).stdout)["shops"][0]["tier"]

    assert tier("--config", low, "score", golden_db, *args) == "high"
    assert tier("--config", low, "score", golden_db, *args, "--config", high) == "ordinary"
    assert ok(run("--config", low, "model")).stdout == low.read_text()
    missing = run("--config", tmp_path / "none.toml", "services")
    assert missing.exit_code == 2 and "config file not found" in missing.stderr


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (("--add-service", "nope"), 2, ("unknown service 'nope'", "services for electronics")),
        (("--add-service", "refund_if_pet_refuses"), 2, ("is for industry pets",)),
        (("--set", "speed=1"), 2, ("unknown indicator 'speed'",)),
        (("--set", "pickup_48h_rate=99"), 2, ("impossible value 99", "0.99, not 99")),
        (("--set", "refund_hours=-1"), 2, ("impossible value -1",)),
        (("--set", "refund_hours"), 2, ("expected INDICATOR=VALUE",)),
        (("--improve", "delivery_hours=10"), 2, ("not assessed", "--set delivery_hours")),
        (("--improve", "refund_hours=150"), 2, ("percent must be in (0, 100]",)),
    ],
)
def test_simulate_refuses_what_the_model_cannot_express(
    run: Any, golden_db: Path, args: tuple[str, ...], code: int, needles: tuple[str, ...]
) -> None:
    fails(
        run("simulate", golden_db, "--shop", "664656", "--as-of", GOLDEN_AS_OF, *args),
        code,
        *needles,
    )


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (("score", "{db}", "--shop", "999"), 2, ("unknown shop id(s): 999",)),
        (("score", "{db}", "--as-of", "yesterday"), 2, ("--as-of: cannot read 'yesterday'",)),
        (("score", "{db}", "--orders", "x.csv"), 2, ("either a database or",)),
        (("score",), 2, ("no data",)),
        (("score", "{tmp}/missing.duckdb"), 2, ("database not found",)),
        (("score", "{db}", "--window-days", "0"), 2, ("--window-days",)),
        (("score", "{db}", "--window-days", "1000000"), 2, ("must be at most 3,660 (got",)),
        (("agents", "{db}", "--as-of", "9999-12-31"), 2, ("'9999-12-31' is out of range",)),
        (("report", "repurchase", "{db}", "--as-of", "0001-01-01"), 2, ("out of range",)),
        (("score", "{db}", "--format", "xml"), 2, ("xml",)),
        (("services", "--industry", "cars"), 2, ("unknown industry 'cars'",)),
        (("report", "repurchase", "{db}", "--by", "tier", "--cohorts"), 2, ("cannot be combined",)),
        (("info", "{tmp}/missing.duckdb"), 2, ("database not found",)),
        (("score", "--source", "{tmp}/no-lake"), 2, ("Parquet lake not found",)),
    ],
)
def test_usage_errors(
    run: Any,
    golden_db: Path,
    tmp_path: Path,
    args: tuple[str, ...],
    code: int,
    needles: tuple[str, ...],
) -> None:
    filled = [a.format(db=golden_db, tmp=tmp_path) for a in args]
    fails(run(*filled), code, *needles)


def test_not_an_svc_database(run: Any, tmp_path: Path) -> None:
    import duckdb

    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INT)").close()
    fails(run("score", other), 1, "not an svc database")
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database at all" * 100)
    fails(run("score", garbage), 2, "garbage.duckdb is not a DuckDB database")  # a bad file


def test_an_export_given_as_the_database_says_where_it_goes(run: Any, tmp_path: Path) -> None:
    # DuckDB opens a CSV as a database of its own: svc used to call it "a DuckDB database
    # but not an svc database (it holds file, orders)", or show DuckDB's "Cannot launch
    # in-memory database in read-only mode!"
    export = tmp_path / "orders.csv"
    export.write_bytes((GOLDEN / "orders.csv").read_bytes())
    before = export.read_bytes()
    needle = f"{export} is not a DuckDB database (an export file? the database comes first)"
    for args in (
        ("score", export),
        ("info", export),
        ("diagnose", export, "--shop", "0042"),
        ("load", export, tmp_path / "shop.duckdb"),  # arguments swapped
    ):
        fails(run(*args), 2, needle, "svc load shop.duckdb orders.csv", "--orders orders.csv")
    assert export.read_bytes() == before
    assert not (tmp_path / "shop.duckdb").exists()


def test_bad_config_is_a_clear_error(run: Any, golden_db: Path, tmp_path: Path) -> None:
    config = tmp_path / "model.toml"
    config.write_text("[indicators.speed]\nweight = 1\n")
    fails(run("score", golden_db, "--config", config), 2, "unknown indicator 'speed'")
    config.write_text("this is = not toml [")
    fails(run("score", golden_db, "--config", config), 2, "not valid TOML")


def test_interrupt_exits_130(run: Any, golden_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from svc_cli import api

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "score", interrupted)
    fails(run("score", golden_db), 130, "Interrupted")


def test_internal_errors_have_no_traceback(
    run: Any, golden_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svc_cli import api

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "score", broken)
    fails(run("score", golden_db), 1, "internal error: RuntimeError: boom", "SVC_DEBUG=1")


#: Modules start-up leaves out (issue #10: `svc --help` and `svc services` within 1.3× the
#: time of `python -c "import typer"`): the heavy libraries, and svc's modules that only
#: computing commands need.
NEVER_AT_START_UP = (
    "duckdb",
    "polars",
    "pyarrow",
    "svc_cli.api",
    "svc_cli.load",
    "svc_cli.store",
    "svc_cli.views",
    "svc_cli.coverage",
    "svc_cli.queries",
    "rich.progress",
)
#: ... and `svc --help` (or a command's) none of the modules that show or compute output.
NOT_FOR_HELP = (
    *NEVER_AT_START_UP,
    "rich",
    "rich.console",
    "svc_cli.render",
    "svc_cli.views_base",
    "svc_cli.config",
    "svc_cli.config_schema",
    "svc_cli.errors",
    "svc_cli.i18n",
    "tomllib",
    "zoneinfo",
)
#: `svc services` imports what it renders (the config, the catalog view), not what other
#: formats write with, nor Rich's console (a piped table is written without it:
#: render.plain_table), nor the config schema or a TOML parser (the shipped model.toml is
#: checked by the tests and read parsed: svc_cli.model_defaults).
NOT_FOR_SERVICES = (
    *NEVER_AT_START_UP,
    "tomllib",
    "json",
    "csv",
    "secrets",
    "rich.console",
    "rich.table",
    "rich._emoji_codes",
    "svc_cli.config_schema",
    "zoneinfo",
)


@pytest.mark.parametrize(
    ("args", "absent", "shown"),
    [
        (["--help"], NOT_FOR_HELP, "Usage: svc"),
        (["services", "--help"], NOT_FOR_HELP, "Usage: svc services"),
        (["report", "repurchase", "-h"], NOT_FOR_HELP, "Usage: svc report repurchase"),
        (["services"], NOT_FOR_SERVICES, "breakage_compensation"),
    ],
)
def test_cli_start_up_imports_no_heavy_module(
    args: list[str], absent: tuple[str, ...], shown: str
) -> None:
    """What the console script imports (a fresh interpreter, this checkout's svc_cli)."""
    code = (
        f"import sys; sys.argv = ['svc', *{args!r}]\n"
        "from svc_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {absent!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},  # piped, as timed
    )
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr
    assert shown in result.stdout


#: What a load of canonical CSVs (an incremental load: issue #10, within 0.5 s of DuckDB's
#: read of the files) leaves out: the other commands' modules, and the presets' Polars.
NOT_FOR_A_CANONICAL_LOAD = (
    "polars",
    "pyarrow",
    "svc_cli.api",
    "svc_cli.presets",
    "svc_cli.agents",
    "svc_cli.diagnose",
    "svc_cli.html_report",
    "svc_cli.plan",
    "svc_cli.scoring",
    "svc_cli.simulate",
)


def test_a_canonical_load_imports_only_the_load_path(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    code = (
        "import sys\n"
        "from svc_cli.cli import main\n"
        "for files in ([{orders!r}], [{orders!r}, '--reviews', {reviews!r}]):\n"
        "    sys.argv = ['svc', 'load', {db!r}, *files, '-q']\n"
        "    try:\n        main()\n    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
        "print(sorted(m for m in {absent!r} if m in sys.modules), file=sys.stderr)"
    ).format(
        orders=str(GOLDEN / "orders.csv"),
        reviews=str(GOLDEN / "reviews.csv"),
        db=str(db),
        absent=NOT_FOR_A_CANONICAL_LOAD,
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},  # piped, as timed
    )
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr
    assert "inserted" in result.stdout.lower() or "orders" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["services"],
        ["services", "--lang", "zh", "-f", "markdown"],
        ["services", "--industry", "nope"],
        ["services", "--bogus"],
        ["services", "-h"],
        ["report"],
        ["report", "repurchase", "-h"],
        ["report", "nope"],
        ["score", "--lang", "xx"],
        ["model", "-h"],
        [],
        ["-h"],
        ["--help"],
        ["report", "--help"],
    ],
)
def test_main_builds_only_the_command_it_runs(run: Any, args: list[str]) -> None:
    """main() hands typer only the command named, or for a help page the commands
    without their parameters (start-up time): the same output."""
    from typer.testing import CliRunner

    from svc_cli.cli import app, only_command

    pruned = only_command(app, args)
    assert pruned is not app
    full, fast = run(*args), CliRunner().invoke(pruned, args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (full.exit_code, full.stdout, full.stderr)


def test_main_builds_every_command_for_usage_errors() -> None:
    from svc_cli.cli import app, only_command

    for args in (["--memory-limit", "1GB", "services"], ["nope"], ["--version"]):
        assert only_command(app, args) is app
    (services,) = only_command(app, ["services", "-h"]).registered_commands
    assert services.callback is not None and services.callback.__name__ == "services"
    (report,) = only_command(app, ["report", "html"]).registered_groups
    assert report.typer_instance is not None
    assert len(report.typer_instance.registered_commands) == 1


def test_memory_limit(run: Any, golden_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    from svc_cli import store

    seen: list[str] = []
    connect = duckdb.connect

    def spy(*args: Any, **kwargs: Any) -> Any:
        con = connect(*args, **kwargs)
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return con

    monkeypatch.setattr(duckdb, "connect", spy)
    try:
        ok(run("--memory-limit", "1GB", "score", golden_db, "--as-of", GOLDEN_AS_OF))
        assert seen and set(seen) == {"953.6 MiB"}, seen  # 1 GB = 10⁹ bytes (DuckDB ≥ 1.0)
        fails(run("--memory-limit", "lots", "score", golden_db), 2, "expected a size such as 2GB")
    finally:
        store.set_memory_limit(None)


def test_cli_reference_is_current() -> None:
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "update_cli_docs", root / "docs" / "update_cli_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (root / "docs" / "cli.md").read_text(encoding="utf-8") == module.render(), (
        "docs/cli.md is stale: run python docs/update_cli_docs.py"
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_reader_that_closed_early_ends_the_command_quietly(golden_db: Path, fmt: str) -> None:
    """`svc score DB | head -1`: the reader is gone (here before anything is written, so
    every write fails); the command ends with exit 0 and no error, in every format (the
    table's renderer exited 1)."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "svc_cli", "score", str(golden_db), "--as-of", GOLDEN_AS_OF,
             "-f", fmt],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, "COLUMNS": "120"},
            check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    assert b"Error" not in proc.stderr and b"Traceback" not in proc.stderr  # warnings only


@pytest.mark.parametrize(
    ("lang", "as_of", "footer"),
    [
        ("en", "2025-06-29", "as of 2025-06-30 00:00:00 (the end of 2025-06-29); window"),
        ("zh", "2025-06-29", "截至 2025-06-30 00:00:00（即 2025-06-29 日终）；考核周期"),
        ("en", "2025-06-29 12:00", "as of 2025-06-29 12:00:00; window"),
    ],
)
def test_a_footer_names_the_day_an_as_of_midnight_ends(
    run: Any, golden_db: Path, lang: str, as_of: str, footer: str
) -> None:
    """`--as-of DAY` is the instant DAY+1 00:00:00 (spec §6): the footer says both."""
    result = ok(run("--lang", lang, "score", golden_db, "--as-of", as_of))
    assert footer in " ".join(result.stdout.split()), result.stdout


def test_a_count_of_one_takes_the_singular_in_english(run: Any, golden_db: Path) -> None:
    from svc_cli.i18n import Message, fill, translate

    one = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF, "--window-days", "1")).stdout
    assert "] = 1 day;" in " ".join(one.split()), one
    thirty = ok(run("score", golden_db, "--as-of", GOLDEN_AS_OF)).stdout
    assert "] = 30 days;" in " ".join(thirty.split()), thirty
    assert Message("plan.many.delivery_hours", k=1, anchor="48").startswith("bring 1 delivery down")
    assert Message("plan.many.delivery_hours", k=2, anchor="48").startswith(
        "bring 2 deliveries down"
    )
    assert translate(Message("note.stars", stars="1"), "zh") == "1 星"
    assert fill("note.stars", "en", stars="1") == "1 star"
    assert fill("note.stars", "en", stars="11") == "11 stars"


def test_what_is_said_of_many_shops_is_said_once() -> None:
    from svc_cli.i18n import Message, by_shop, translate

    def of(shop: str, key: str = "masked_customers") -> Message:
        return Message("shop_message", shop=shop, message=Message(key))

    other = Message("shop_message", shop="9", message=Message("agents.no_qa"))
    plain = "a warning of no shop"
    messages = [of("1"), plain, other, *(of(str(n)) for n in range(2, 8)), of("8", "agents.no_qa")]
    merged = by_shop(messages)
    assert merged[1:] == [plain, by_shop([other, messages[-1]])[0]]
    assert merged[0].startswith("7 shops (1, 2, 3, 4, 5 …): ")
    assert merged[0].endswith(str(Message("masked_customers")))
    assert translate(merged[0], "zh").startswith("7 家店铺（1、2、3、4、5 等）：")
    assert by_shop([other, messages[-1]])[0].startswith("2 shops (9, 8): ")
    assert by_shop([of("1")]) == [of("1")]  # one shop: as it was
