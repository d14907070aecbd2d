"""How a load merges a file's row into the row already stored under its key.

Exports overlap and arrive out of order (last week's file after today's). The merge is
monotonic, so loading an older export never undoes what a newer one recorded:

- a timestamp once known is never cleared (an empty cell keeps the stored time);
- a status never moves backwards: pending → paid → shipped → completed → (cancelled |
  refunded); a refund: requested → (completed | withdrawn | rejected); no refund is
  before requested;
- a row whose status or refund status is behind the stored one is *older*: the stored
  values are kept (a timestamp it has and the stored row lacks still fills in), and the
  load counts it as ``kept_newer``.

``replace=True`` (``svc load --replace``) is the deliberate rewrite: the file's values
win, as they are.
"""

from __future__ import annotations

from svc_cli.schema import Table

#: Columns that only move forwards: value -> rank (equal ranks: the file's value wins).
PROGRESS: dict[tuple[str, str], dict[str | None, int]] = {
    ("orders", "status"): {
        "pending": 0,
        "paid": 1,
        "shipped": 2,
        "completed": 3,
        "cancelled": 4,
        "refunded": 4,
    },
    ("orders", "refund_status"): {
        None: -1,
        "requested": 0,
        "completed": 1,
        "withdrawn": 1,
        "rejected": 1,
    },
}


def _rank(table: Table, column: str, alias: str) -> str:
    ranks = PROGRESS[(table.name, column)]
    cases = " ".join(f"WHEN '{v}' THEN {r}" for v, r in ranks.items() if v is not None)
    return f"coalesce(CASE {alias}.{column} {cases} END, {ranks.get(None, -1)})"


def older(table: Table, columns: list[str], replace: bool = False) -> str:
    """SQL: the file's row ``s`` is behind the stored row ``t`` (never, with replace)."""
    parts = [
        f"{_rank(table, c, 's')} < {_rank(table, c, 't')}"
        for c in columns
        if (table.name, c) in PROGRESS
    ]
    return "(" + " OR ".join(parts) + ")" if parts and not replace else "false"


def merged(table: Table, column: str, is_older: str, replace: bool = False) -> str:
    """SQL of the stored value of ``column`` after merging ``s`` into ``t``."""
    s, t = f"s.{column}", f"t.{column}"
    if replace:
        return s
    if (table.name, column) in PROGRESS:
        return f"CASE WHEN {_rank(table, column, 's')} >= {_rank(table, column, 't')} THEN {s} ELSE {t} END"
    kind = next(c.kind for c in table.columns if c.name == column)
    if kind == "timestamp":
        return f"CASE WHEN {is_older} THEN coalesce({t}, {s}) ELSE coalesce({s}, {t}) END"
    return f"CASE WHEN {is_older} THEN {t} ELSE {s} END"
