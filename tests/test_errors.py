"""User errors at the command line's edge: what `handle_errors` prints (in `--lang zh`
too), with which exit code, and that a refused command writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_load import order, review, write_csv


def refused(result: Any, code: int) -> str:
    """The stderr of a command refused with ``code``: nothing on stdout, no traceback."""
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return str(result.stderr)


def bad_orders(folder: Path) -> Path:
    """Orders with three invalid rows (lines 3, 4, 5) around valid ones."""
    rows = [
        order(1),
        order(2, amount="abc"),
        order(3, shipped_at="notadate"),
        order(4, status="lost", quantity="0"),
        order(5),
    ]
    return write_csv(folder / "bad.csv", "orders", rows)


# --- --lang zh: errors and hints in Chinese ---------------------------------------------


def test_a_missing_input_file_in_chinese(run: Any, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    assert refused(run("score", "--orders", missing, "--lang", "zh"), 2) == (
        f"错误：{missing}：文件不存在\n"
    )
    assert refused(run("score", "--orders", missing), 2) == f"Error: {missing}: file not found\n"


def test_not_a_database_in_chinese(run: Any, tmp_path: Path) -> None:
    export = write_csv(tmp_path / "orders.csv", "orders", [order(1)])
    assert refused(run("score", export, "--lang", "zh"), 2) == (
        f"错误：{export} 不是 DuckDB 数据库（是导出文件吗？数据库要放在最前面）\n"
        "提示：先给出 `svc load` 写入的数据库：svc load shop.duckdb orders.csv，然后 "
        "svc score shop.duckdb；或不建数据库、直接对导出文件评分：svc score --orders orders.csv\n"
    )


def test_svc_lang_translates_a_command_without_the_option(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.duckdb"
    monkeypatch.setenv("SVC_LANG", "zh")
    assert refused(run("export", missing, tmp_path / "lake"), 2) == (
        f"错误：数据库不存在：{missing}\n提示：用 `svc load {missing} orders.csv` 创建\n"
    )


def test_invalid_rows_of_a_load_in_chinese(run: Any, tmp_path: Path) -> None:
    path = bad_orders(tmp_path)
    db = tmp_path / "shop.duckdb"
    assert refused(run("load", db, path, "--lang", "zh"), 2) == (
        "错误：3 行无效数据；未导入任何内容\n"
        f"  {path}:3：列 'amount'：不是金额数字（值为 'abc'）\n"
        f"  {path}:4：列 'shipped_at'：不是日期时间（应为 YYYY-MM-DD HH:MM:SS）（值为 'notadate'）\n"
        f"  {path}:5：列 'quantity'：至少为 1（值为 '0'）\n"
        f"  {path}:5：列 'status'：应为以下之一：pending、paid、shipped、completed、cancelled、"
        "refunded（值为 'lost'）\n"
        "提示：修正这些行后重新导入，或用 --skip-invalid 导入有效行，并把无效行写入一个单独的 CSV\n"
    )
    assert not db.exists()


def _bad_rows(path: Path) -> str:
    """The lines naming the invalid rows of ``bad_orders``, each once."""
    return (
        f"  {path}:3: column 'amount': not a decimal amount (got 'abc')\n"
        f"  {path}:4: column 'shipped_at': not a date/time (expected YYYY-MM-DD HH:MM:SS) "
        "(got 'notadate')\n"
        f"  {path}:5: column 'quantity': must be at least 1 (got '0')\n"
        f"  {path}:5: column 'status': must be one of pending, paid, shipped, completed, "
        "cancelled, refunded (got 'lost')\n"
    )


def test_invalid_rows_of_a_load_are_each_listed_once(run: Any, tmp_path: Path) -> None:
    path = bad_orders(tmp_path)
    assert refused(run("load", tmp_path / "shop.duckdb", path), 2) == (
        "Error: 3 invalid row(s); nothing was loaded\n"
        + _bad_rows(path)
        + "Hint: fix the rows and load again, or use --skip-invalid to load the valid rows and "
        "write the invalid ones to a rejects CSV\n"
    )


def test_invalid_rows_scored_from_files_are_not_called_a_load(run: Any, tmp_path: Path) -> None:
    path = bad_orders(tmp_path)
    err = refused(run("score", "--orders", path), 2)
    assert err == (
        "Error: 3 invalid row(s) in the input files; nothing was computed\n"
        + _bad_rows(path)
        + "Hint: fix the rows and run the command again; or load the file with `svc load DB "
        "FILE --skip-invalid` (the invalid rows go to a rejects CSV) and run the command on "
        "the database\n"
    )
    assert "--skip-invalid" not in run("score", "-h").stdout  # the hint names no option of score
    assert refused(run("score", "--orders", path, "--lang", "zh"), 2).splitlines()[::5] == [
        "错误：输入文件中有 3 行无效数据；未进行计算",
        "提示：修正这些行后重新运行；或用 `svc load DB FILE --skip-invalid` 导入该文件"
        "（无效行写入一个单独的 CSV），再对数据库运行此命令",
    ]


def test_reasons_computed_by_the_load_in_chinese(run: Any, tmp_path: Path) -> None:
    orders = write_csv(tmp_path / "orders.csv", "orders", [order(1), order(1, amount="5.00")])
    assert refused(run("load", tmp_path / "a.duckdb", orders, "--lang", "zh"), 2).splitlines()[
        1
    ] == (f"  {orders}:3：列 'order_id'：键重复但值不同（首次出现在第 2 行）（值为 '10001'）")
    orders = write_csv(tmp_path / "orders.csv", "orders", [order(1)])
    reviews = write_csv(tmp_path / "reviews.csv", "reviews", [review(1, 1), review(2, 7)])
    result = run("load", tmp_path / "b.duckdb", orders, "--reviews", reviews, "--lang", "zh")
    assert refused(result, 2).splitlines()[1] == (
        f"  {reviews}:3：列 'order_id'：评价所属的订单不存在（该 shop_id 下没有此 order_id）"
        "（值为 '10007'）"
    )


def test_more_rows_than_shown_are_counted_in_chinese(run: Any, tmp_path: Path) -> None:
    rows = [order(n, amount="x") for n in range(1, 26)]
    path = write_csv(tmp_path / "orders.csv", "orders", rows)
    lines = refused(run("load", tmp_path / "a.duckdb", path, "--lang", "zh"), 2).splitlines()
    assert lines[0] == "错误：25 行无效数据；未导入任何内容"
    assert len(lines) == 1 + 20 + 1 + 1
    assert lines[21] == "  … 另有 5 行无效数据"


def test_internal_errors_and_interrupts_in_chinese(
    run: Any, golden_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svc_cli import api

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "score", broken)
    assert refused(run("score", golden_db, "--lang", "zh"), 1) == (
        "错误：内部错误：RuntimeError: boom\n"
        "提示：设置 SVC_DEBUG=1 重新运行以查看回溯信息，并报告此问题\n"
    )

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "score", interrupted)
    assert refused(run("score", golden_db, "--lang", "zh"), 130) == "已中断。\n"


def test_the_exception_of_the_python_api_names_the_first_row(tmp_path: Path) -> None:
    from svc_cli import api
    from svc_cli.errors import ValidationError
    from svc_cli.i18n import translate

    path = bad_orders(tmp_path)
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    error = caught.value
    assert (error.total, len(error.problems)) == (3, 4)
    assert error.message == (
        f"3 invalid row(s); nothing was loaded. First: {path}:3: column 'amount': not a "
        "decimal amount (got 'abc')"
    )
    assert translate(error.message, "zh") == (
        f"3 行无效数据；未导入任何内容。第一处：{path}:3：列 'amount'：不是金额数字（值为 'abc'）"
    )


# --- standard input given twice ---------------------------------------------------------

STDIN_HINT = (
    "Hint: read one input from standard input and give the others as files (save them "
    "first, e.g. … > reviews.csv)\n"
)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("load", "{db}", "-", "--reviews", "-"), "2 times (FILES, --reviews)"),
        (("load", "{db}", "-", "-"), "2 times (FILES)"),
        (("load", "{db}", "{orders}", "--reviews", "-", "--chats", "-"), "2 times (--reviews, --chats)"),
        (("score", "--orders", "-", "--reviews", "-"), "2 times (--orders, --reviews)"),
        (("agents", "--orders", "-", "--reviews", "-", "--chats", "-"),
         "3 times (--orders, --reviews, --chats)"),
    ],
)  # fmt: skip
def test_standard_input_given_twice_is_a_usage_error(
    run: Any, tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    db = tmp_path / "shop.duckdb"
    orders = write_csv(tmp_path / "orders.csv", "orders", [order(1)])
    text = orders.read_text(encoding="utf-8")
    result = run(*(a.format(db=db, orders=orders) for a in args), input=text)
    assert refused(result, 2) == (
        f"Error: standard input (-) is given {named}; it can be read only once\n" + STDIN_HINT
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]  # no database made


def test_standard_input_given_twice_leaves_a_database_untouched(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    orders = write_csv(tmp_path / "orders.csv", "orders", [order(1)])
    assert run("load", db, orders, "-q").exit_code == 0
    before = db.read_bytes()
    result = run("load", db, "-", "--chats", "-", "--lang", "zh", input="x")
    assert refused(result, 2) == (
        "错误：标准输入（-）被指定了 2 次（FILES、--chats）；它只能读取一次\n"
        "提示：只让一个输入读取标准输入，其余输入以文件给出（先保存，例如 … > reviews.csv）\n"
    )
    assert db.read_bytes() == before
    # one input from standard input still loads
    reviews = write_csv(tmp_path / "reviews.csv", "reviews", [review(1, 1)]).read_text()
    loaded = run("load", db, "--reviews", "-", "-f", "json", input=reviews)
    assert loaded.exit_code == 0, loaded.output
    assert [(f["file"], f["inserted"]) for f in json.loads(loaded.stdout)["files"]] == [
        ("stdin", 1)
    ]


# --- header-only files ------------------------------------------------------------------

PRESETS = Path(__file__).parent / "data" / "presets"


def test_a_header_only_platform_export_is_warned_of_once(run: Any, tmp_path: Path) -> None:
    export = PRESETS / "broken" / "header_only.csv"  # a Taobao orders export, no data row
    db = tmp_path / "shop.duckdb"
    result = run("load", db, export, "-f", "json")
    assert result.exit_code == 0, result.output
    assert (
        result.stderr == f"Warning: {export}: header only, no data rows; nothing to load from it\n"
    )
    assert json.loads(result.stdout)["files"][0]["preset"] == "taobao_orders_v1"
    # `svc inspect` still says it (the load no longer says it twice)
    inspected = run("inspect", export)
    assert inspected.stderr == f"Warning: {export}: header only, no data rows\n"


def test_a_preset_skipping_every_row_is_not_called_header_only(run: Any, tmp_path: Path) -> None:
    lines = (PRESETS / "broken" / "bad_date.csv").read_text(encoding="utf-8").splitlines()
    export = tmp_path / "orders.csv"
    export.write_text(f"{lines[0]}\n{lines[2]}\n", encoding="utf-8")  # the invalid row only
    result = run("load", tmp_path / "shop.duckdb", export, "--skip-invalid", "--shop", "S1")
    assert result.exit_code == 0, result.output
    assert "skipped 1 invalid row(s) (preset taobao_orders_v1)" in result.stderr
    assert "header only" not in result.stderr


def header_only_db(run: Any, folder: Path) -> tuple[Path, list[Path]]:
    """A database loaded from header-only orders, reviews and chats, then one order."""
    files = [write_csv(folder / f"{t}.csv", t, []) for t in ("orders", "reviews", "chats")]
    db = folder / "shop.duckdb"
    result = run("load", db, files[0], "--reviews", files[1], "--chats", files[2], "-q")
    assert result.exit_code == 0, result.output
    return db, files


def test_info_counts_header_only_loads(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # the footer on one line, however long the path
    db, _ = header_only_db(run, tmp_path)
    text = run("info", db)
    assert text.exit_code == 0, text.output
    footer = f"{db}: schema 5, 3 file load(s), 3 of them header only (no data rows)"
    assert footer in text.stdout.splitlines()
    doc = json.loads(run("info", db, "-f", "json").stdout)
    assert (doc["loads"], doc["header_only_loads"]) == (3, 3)
    assert [t["rows"] for t in doc["tables"]] == [0, 0, 0, 0]
    zh = run("info", db, "--lang", "zh").stdout.splitlines()
    assert f"{db}：数据结构版本 5，已导入 3 个文件，其中 3 个只有表头（没有数据行）" in zh
    orders = write_csv(tmp_path / "one.csv", "orders", [order(1)])
    assert run("load", db, orders, "-q").exit_code == 0
    doc = json.loads(run("info", db, "-f", "json").stdout)
    assert (doc["loads"], doc["header_only_loads"]) == (4, 3)


def test_info_of_a_database_without_header_only_loads(
    run: Any, golden_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    doc = json.loads(run("info", golden_db, "-f", "json").stdout)
    assert (doc["loads"], doc["header_only_loads"]) == (4, 0)
    assert f"{golden_db}: schema 5, 4 file load(s)" in run("info", golden_db).stdout.splitlines()


NO_ORDERS = (
    "Error: no orders loaded: there is nothing to compute (a header-only export loads no "
    "rows)\nHint: load an orders export with data rows, e.g. svc load DB orders.csv; svc info "
    "DB shows what a database holds\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ("report", "repurchase"),
        ("report", "refunds"),
        ("report", "repeat"),
        ("report", "service-repurchase"),
        ("report", "html"),
        ("agents",),
    ],
)
def test_every_computation_without_orders_says_so(
    run: Any, tmp_path: Path, command: tuple[str, ...]
) -> None:
    db, _ = header_only_db(run, tmp_path)
    out = ("-o", str(tmp_path / "report.html")) if command == ("report", "html") else ()
    # with --as-of these printed empty tables (exit 0); diagnose, plan and trend name
    # the shop as unknown ("no orders are loaded")
    assert refused(run(*command, db, "--as-of", "2025-06-30", *out), 1) == NO_ORDERS


def test_score_without_orders_says_there_is_nothing_to_compute(run: Any, tmp_path: Path) -> None:
    db, files = header_only_db(run, tmp_path)
    for args in (
        (db,),
        (db, "--as-of", "2025-06-30", "-f", "json"),  # was: {"shops": []}, exit 0
        ("--orders", files[0], "--as-of", "2025-06-30"),  # was: an empty table, exit 0
        ("--orders", files[0], "--reviews", files[1]),
    ):
        assert refused(run("score", *args), 1) == NO_ORDERS
    assert refused(run("score", db, "--lang", "zh"), 1) == (
        "错误：未导入订单：没有可计算的内容（只有表头的导出不含数据行）\n"
        "提示：请导入含数据行的订单导出文件，例如 svc load DB orders.csv；svc info DB "
        "可查看数据库中的内容\n"
    )


def test_score_of_chats_without_orders_says_there_is_nothing_to_compute(
    run: Any, tmp_path: Path
) -> None:
    from tests.test_load import chat

    chats = write_csv(tmp_path / "chats.csv", "chats", [chat(1), chat(2)])
    db = tmp_path / "shop.duckdb"
    assert run("load", db, "--chats", chats, "-q").exit_code == 0
    assert refused(run("score", db), 1) == NO_ORDERS  # was: an empty table, exit 0


# --- -o PATH that cannot be written -----------------------------------------------------


def commands_with_output() -> dict[str, Any]:
    """Every command of the app that has ``-o`` (the click command, by its path)."""
    import typer

    from svc_cli.cli import app

    found: dict[str, Any] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):  # a group (typer's own click)
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        elif any("-o" in p.opts for p in command.params):
            found[" ".join(path)] = command

    walk(typer.main.get_command(app), ())
    return found


OUTPUT_COMMANDS = sorted(commands_with_output())


def test_the_output_commands_are_discovered() -> None:
    assert len(OUTPUT_COMMANDS) >= 17
    for name in ("load", "info", "export", "score", "report html", "report repeat", "trend"):
        assert name in OUTPUT_COMMANDS
    assert "model" not in OUTPUT_COMMANDS  # no -o: it prints the TOML


def command_args(name: str, folder: Path) -> list[str]:
    """``name`` with every required argument and option filled in: paths in ``folder``
    that do not exist (the -o check comes before anything reads them), and ids."""
    args = name.split()
    for param in commands_with_output()[name].params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            args.append(str(folder / f"in-{param.name}"))
        else:
            args += [param.opts[0], "0042"]
    return args


@pytest.mark.parametrize("name", OUTPUT_COMMANDS)
@pytest.mark.parametrize("case", ["no folder", "a folder", "a file as folder"])
def test_output_that_cannot_be_written_is_a_usage_error(
    run: Any, tmp_path: Path, name: str, case: str
) -> None:
    existing = tmp_path / "reports"
    existing.mkdir()
    (tmp_path / "file.txt").write_text("x")
    target, expected = {
        "no folder": (
            tmp_path / "missing" / "out.csv",
            f"Error: cannot write {tmp_path}/missing/out.csv: folder {tmp_path}/missing does "
            "not exist; nothing was written\nHint: create the folder first, or give another "
            "path\n",
        ),
        "a folder": (
            existing,
            f"Error: cannot write {existing}: it is a folder; nothing was written\n"
            f"Hint: -o takes a file path, e.g. {existing}/out.csv\n",
        ),
        "a file as folder": (
            tmp_path / "file.txt" / "out.csv",
            f"Error: cannot write {tmp_path}/file.txt/out.csv: {tmp_path}/file.txt is not a "
            "folder; nothing was written\nHint: give another path\n",
        ),
    }[case]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert refused(run(*command_args(name, tmp_path), "-o", target), 2) == expected
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_load_refused_for_its_output_loads_nothing(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    orders = write_csv(tmp_path / "orders.csv", "orders", [order(1), order(2)])
    result = run("load", db, orders, "-o", tmp_path / "no" / "load.json", "--lang", "zh")
    assert refused(result, 2) == (
        f"错误：无法写入 {tmp_path}/no/load.json：文件夹 {tmp_path}/no 不存在；未写入任何内容\n"
        "提示：请先创建该文件夹，或换一个路径\n"
    )
    assert not db.exists()  # was: loaded, then exit 1 at the output
    assert run("load", db, orders, "-f", "json", "-o", tmp_path / "load.json").exit_code == 0
    assert json.loads((tmp_path / "load.json").read_text())["files"][0]["inserted"] == 2


def test_output_to_a_device_or_an_existing_file_still_works(
    run: Any, golden_db: Path, tmp_path: Path
) -> None:
    assert run("services", "-o", "/dev/null").exit_code == 0
    target = tmp_path / "services.csv"
    target.write_text("old")
    assert run("services", "-f", "csv", "-o", target).exit_code == 0
    assert target.read_text().startswith("id,")


def test_a_file_separated_by_semicolons_is_told_so(run: Any, tmp_path: Path) -> None:
    """Excel in many locales saves "CSV" with ';': the error says which separator it saw."""
    rows = (Path(__file__).parent / "data" / "golden" / "orders.csv").read_text().splitlines()
    semicolons = tmp_path / "orders.csv"
    semicolons.write_text("\n".join(line.replace(",", ";") for line in rows[:3]) + "\n")
    error = refused(run("load", tmp_path / "x.duckdb", semicolons), 2)
    assert "Hint: the header looks separated by ';': svc reads comma- or tab-separated" in error
    assert not (tmp_path / "x.duckdb").exists()
