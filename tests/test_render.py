"""Output formats: JSON layout, CSV escaping, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

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
