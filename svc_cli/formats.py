"""The output formats of ``--format`` and the switches of how they are written
(``--wide``, ``--no-formula-escape``): a module of its own, so that declaring and setting
the options imports nothing else (start-up time counts); ``svc_cli.render`` writes them."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


#: How ``svc_cli.render`` writes: read there, set by the command line.
SETTINGS = {"escape_formulas": True, "wide": False}


def set_formula_escaping(enabled: bool) -> None:
    """CSV output escapes formula-like text cells (default) or writes them verbatim."""
    SETTINGS["escape_formulas"] = enabled


def set_wide(enabled: bool) -> None:
    """Terminal tables show every column (``--wide``) or those that fit (default)."""
    SETTINGS["wide"] = enabled
