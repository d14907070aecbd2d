"""Refresh the output shown under every `$ svc …` example of README.md.

Runs each example in order in a scratch folder holding a copy of sample_data/, exactly as
tests/test_readme.py does, and writes what it prints back into README.md:

    python docs/update_readme.py
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from svc_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"```console\n\$ (svc [^\n]+)\n(.*?)```", re.S)


def main() -> None:
    readme = ROOT / "README.md"
    os.environ.pop("COLUMNS", None)  # tables as piped: 160 columns, as the test runs them
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(ROOT / "sample_data", Path(scratch) / "sample_data")
        cwd = Path.cwd()
        try:
            os.chdir(scratch)

            def refresh(match: re.Match[str]) -> str:
                command = match.group(1)
                result = runner.invoke(app, shlex.split(command)[1:])
                if result.exit_code != 0:
                    raise SystemExit(f"{command} failed:\n{result.output}")
                lines = [line.rstrip() for line in result.stdout.splitlines()]
                body = "\n".join(lines).strip("\n")
                return (
                    f"```console\n$ {command}\n{body}\n```"
                    if body
                    else f"```console\n$ {command}\n```"
                )

            text = EXAMPLE.sub(refresh, readme.read_text(encoding="utf-8"))
        finally:
            os.chdir(cwd)
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
