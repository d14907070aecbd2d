"""Output formats: JSON layout, CSV escaping, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svc_cli import render
from svc_cli.render import Format, Output, Section, render_text, to_json, write_atomic


def test_small_json_is_indented_and_large_json_one_item_per_line() -> None:
    small = {"as_of": "2025-06-30 00:00:00", "shops": [{"shop_id": "0042", "score": 4.72}]}
    assert to_json(small) == json.dumps(small, indent=2, ensure_ascii=False) + "\n"
    large = {
        "as_of": "x",
        "shops": [{"shop_id": str(i), "v": [i, None]} for i in range(150)],
        "empty": [],
        "note": "好",
    }
    text = to_json(large)
    assert json.loads(text) == large
    assert len(text.splitlines()) == 150 + 7  # {, as_of, shops: [, 150 rows, ], empty, note, }


def test_csv_escapes_formula_text_but_not_numbers() -> None:
    section = Section([{"name": "=1+1", "amount": -3.5, "text": "-x", "ok": "plain"}])
    assert render_text(Output([section]), Format.csv).splitlines()[1] == "'=1+1,-3.5,'-x,plain"


def test_table_cells_are_shown_as_they_are() -> None:
    """Names and notes are data: brackets and colons are not read as Rich markup or
    emoji codes (a shop "x [sale] y" keeps its "[sale]")."""
    rows = [{"name": "x [sale] y", "note": ":thumbs_up: [bold]z[/bold]"}]
    text = render_text(Output([Section(rows, title="[dim]t")], footer=[":+1: [b]f"]), Format.table)
    assert "x [sale] y" in text
    assert ":thumbs_up: [bold]z[/bold]" in text
    assert "[dim]t" in text
    assert ":+1: [b]f" in text


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_atomic(target, "new content")
    assert target.read_text() == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def _rich_text(output: Output, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """What Rich itself prints for ``output`` (the plain writer turned off)."""
    with monkeypatch.context() as patch:
        patch.setattr(render, "plain_table", lambda *_: None)
        return render.to_table(output, width=width, color=False, wide=True) or ""


PLAIN_CASES = {
    "cjk and empty cells": Output(
        [
            Section(
                [{"id": "s1", "名称": "拆送装一体", "v": None}, {"id": "s22", "名称": "", "v": 0.5}]
            )
        ]
    ),
    "no rows, a title, a footer": Output(
        [Section([], columns=["a", "b"], headers={"a": "Shop id", "b": "评分"}, title="Shops")],
        footer=["a note", "另一行 note"],
    ),
    "two sections wider than the pipe width": Output(
        [
            Section([{"k": "x" * 90, "w": "y" * 80}], title="wide"),
            Section([{"k": "short"}], title="narrow"),
        ],
        footer=["f" * 170],
    ),
    "titles and footers wrapped at word boundaries": Output(
        [Section([{"a": "1"}], title="a title " * 30 + "end")],
        footer=["word " * 40 + "end", "店铺评分 " * 50 + "。"],
    ),
    "spaces kept, and dropped where a line wraps": Output(
        [Section([{"step": "  indented"}, {"step": "trailing  "}], title=" t ")],
        footer=["x" * 159 + "   y", "end  ", "中" * 79 + "x y", "中" * 80 + "   y"],
    ),
    "Chinese broken between characters, a number kept with its unit": Output(
        [Section([{"a": "1"}], title="考核周期 30 天；" * 12)],
        footer=["退款用时 9.4 小时（≤ 6 小时得 5.0 分）" * 8, "宽" * 170],
    ),
}


@pytest.mark.parametrize("case", PLAIN_CASES)
def test_plain_table_is_richs_table_byte_for_byte(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = PLAIN_CASES[case]
    text = render.plain_table(output, render.PIPE_WIDTH)
    assert text is not None
    assert text == _rich_text(output, render.PIPE_WIDTH, monkeypatch)


@pytest.mark.parametrize(
    "output",
    [
        Output([Section([{"note": "two\nlines"}])]),
        Output([Section([{"note": "a\ttab"}])]),
        Output([Section([{"a": "1"}])], footer=["a\x1b[1mbold"]),
        Output([Section([{"a": "1"}], title="t" * 200)]),  # a word Rich folds
    ],
)
def test_plain_table_leaves_text_rich_would_change_to_rich(output: Output) -> None:
    assert render.plain_table(output, render.PIPE_WIDTH) is None


@pytest.mark.parametrize("width", [20, 30, 40])
def test_wrap_text_breaks_chinese_between_characters_not_inside_a_number_and_unit(
    width: int,
) -> None:
    from rich.cells import cell_len

    text = "8 分 30 秒后才首次回复（时限 3 分钟）；退款用时 9.4 小时（≤ 6 小时得 5.0 分）"
    lines = render.wrap_text(text, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    joined = "\n".join(lines)
    for kept in ("30 秒", "3 分钟", "9.4 小时", "6 小时", "5.0 分"):
        assert kept in joined, (kept, lines)  # a number never leaves its unit
    assert not any(line[0] in render.CLOSING for line in lines[1:] if line), lines


def test_wrap_text_breaks_english_at_spaces_keeping_numbers_with_their_words() -> None:
    lines = render.wrap_text("window (2025-10-01, 2025-10-31] = 30 days; refund took 9.4 h", 24)
    assert lines == ["window (2025-10-01,", "2025-10-31] = 30 days;", "refund took 9.4 h"]


def test_wrap_text_keeps_a_prefix_mark_with_the_word_after_it_and_breaks_after_list_marks() -> None:
    plus = render.wrap_text("+ breakage_compensation; + extended_warranty; + x", 26)
    assert plus == ["+ breakage_compensation;", "+ extended_warranty; + x"]
    ids = render.wrap_text("tid、oid、result、created、rate、content", 20)
    assert ids == ["tid、oid、result、", "created、rate、", "content"]
