"""Write docs/cli.md, the reference of every command and option, from the CLI itself.

    python docs/update_cli_docs.py

tests/test_cli.py fails when docs/cli.md is stale.
"""

from __future__ import annotations

from pathlib import Path

import typer
from typer.cli import get_docs_for_click

from svc_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
CLI_DOCS = ROOT / "docs" / "cli.md"


def render() -> str:
    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="svc")
    text = get_docs_for_click(obj=command, ctx=ctx, name="svc", title="svc command reference")
    # "\b" keeps click from re-wrapping example lines; it has no place in Markdown
    lines = [line for line in text.splitlines() if line.strip() != "\b"]
    return "\n".join(line.replace("\b", "") for line in lines).rstrip() + "\n"


if __name__ == "__main__":
    CLI_DOCS.write_text(render(), encoding="utf-8")
