"""Every `$ svc …` example in README.md runs, in order, and prints what the README shows."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svc_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"```console\n\$ (svc [^\n]+)\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def normalise(text: str) -> list[str]:
    """Lines without trailing blanks, and without blank lines at either end."""
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n").splitlines()


def test_readme_starts_with_the_two_setup_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1 : lines.index("```bash") + 3]
    assert block[0].startswith("pip install . && svc score --orders sample_data/orders.csv")
    assert block[1] == "pip install '.[test]' && pytest"


def test_readme_examples_are_true(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SVC_LANG", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # tables as piped: 160 columns
    runner = CliRunner()
    found = examples()
    assert len(found) >= 10
    for command, shown in found:
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        assert normalise(result.stdout) == normalise(shown), command
    # the Python examples run too, on the database the tour created
    for block in re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S):
        exec(compile(block, "README.md", "exec"), {})
