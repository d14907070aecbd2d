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

This is the last step of a load (read → map → stage → merge, see ``svc_cli.load``):
``into_table`` merges a ``svc_cli.stage.Stage``'s valid rows into its table, inside the
load's transaction, and logs the file in ``svc_loads``; ``record_coverage`` records the
inputs the file provided (spec §10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from svc_cli import coverage
from svc_cli.schema import KEY_HASH, Table
from svc_cli.store import scalar

if TYPE_CHECKING:
    import duckdb

    from svc_cli.stage import Stage

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


def stored(column: str) -> str:
    """The stored value of ``column`` in the rows of a merge (the file's value keeps its name)."""
    return f"_t_{column}"


def _rank(table: Table, column: str, value: str) -> str:
    ranks = PROGRESS[(table.name, column)]
    cases = " ".join(f"WHEN '{v}' THEN {r}" for v, r in ranks.items() if v is not None)
    return f"coalesce(CASE {value} {cases} END, {ranks.get(None, -1)})"


def older(table: Table, columns: list[str], replace: bool = False) -> str:
    """SQL: the file's row is behind the stored row (never, with replace)."""
    parts = [
        f"{_rank(table, c, c)} < {_rank(table, c, stored(c))}"
        for c in columns
        if (table.name, c) in PROGRESS
    ]
    return "(" + " OR ".join(parts) + ")" if parts and not replace else "false"


def merged(table: Table, column: str, replace: bool = False) -> str:
    """SQL of the stored value of ``column`` after merging the file's row into the stored
    one (``_older``: the file's row is behind it)."""
    s, t = column, stored(column)
    if replace:
        return s
    if (table.name, column) in PROGRESS:
        return f"CASE WHEN {_rank(table, column, s)} >= {_rank(table, column, t)} THEN {s} ELSE {t} END"
    kind = next(c.kind for c in table.columns if c.name == column)
    if kind == "timestamp":
        return f"CASE WHEN _older THEN coalesce({t}, {s}) ELSE coalesce({s}, {t}) END"
    return f"CASE WHEN _older THEN {t} ELSE {s} END"


@dataclass
class FileLoad:
    """What one input file did to its table (its ``svc_loads`` row, and more)."""

    table: str
    file: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    kept_newer: int = 0  # rows older than what is stored: the stored, newer values kept
    preset: str = "canonical"
    encoding: str = "utf-8"

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)


def is_empty(con: duckdb.DuckDBPyConnection, table: Table) -> bool:
    """Whether ``table`` holds no row (a persistent stage can then become it)."""
    return not scalar(con, f"SELECT count(*) FROM {table.name}")


def into_table(stage: Stage, result: FileLoad, provided: list[str], replace: bool = False) -> None:
    """Merge the valid rows of ``stage`` into its table, count them in ``result`` and log
    the file in ``svc_loads``. ``provided``: the columns the file has (see ``_upsert``)."""
    if stage.persistent:
        _become_table(stage, result)
    else:
        _upsert(stage, result, provided, replace)
    log_load(stage.con, result)


def _become_table(stage: Stage, result: FileLoad) -> None:
    """An empty target table is replaced by the (persistent) stage itself: no copy."""
    con, name = stage.con, stage.table.name
    con.execute(f"DELETE FROM {stage.name} WHERE _bad")
    con.execute(f"ALTER TABLE {stage.name} DROP COLUMN _bad")
    if stage.mapped:  # the source lines of a platform export's rows
        con.execute(f"ALTER TABLE {stage.name} DROP COLUMN _line")
    for column in stage.given_columns:  # the file's own values behind a default
        con.execute(f"ALTER TABLE {stage.name} DROP COLUMN {column}")
    con.execute(f"DROP TABLE {name}")
    con.execute(f"ALTER TABLE {stage.name} RENAME TO {name}")
    result.inserted, result.unchanged = stage.valid, 0


def _upsert(stage: Stage, result: FileLoad, provided: list[str], replace: bool = False) -> None:
    """Merge the valid staged rows into the table by key. New rows are inserted whole;
    existing rows get the ``provided`` columns (those the file has), so an export that
    lacks a column never wipes what another export loaded, merged monotonically (an older
    export never undoes a newer one) unless ``replace``.

    Only the stored rows under the staged keys are read whole: a scan of the hash of
    their ids (``KEY_HASH``) finds their row ids, and only those rows are read, compared
    and updated (by row id), so a small file costs little however large the table."""
    con, table = stage.con, stage.table
    cols = ", ".join(table.stored_columns)
    valid = stage.valid
    if is_empty(con, table):
        con.execute(f"INSERT INTO {table.name} {stage.valid_rows}")
        result.inserted, result.unchanged = valid, 0
        return
    join = " AND ".join(f"s.{k} = t.{k}" for k in table.key)
    # the stored rows that may be under a staged key, by the hash of its ids alone (an
    # order id of another shop, a hash collision too: the join below is on the whole key);
    # that column is the only one read from every stored row
    probe = [KEY_HASH] if table.key_hash else list(table.ids)
    matched = stage.temp_table(
        "matched",
        f"SELECT t.rowid AS _rid FROM {table.name} t SEMI JOIN "
        f"(SELECT {', '.join(probe)} FROM {stage.name} WHERE NOT _bad) s "
        f"ON {' AND '.join(f's.{k} = t.{k}' for k in probe)}",
    )
    updates = [c for c in provided if c not in table.key]
    # each staged row beside the stored row of its key (``_t_<column>``; none: ``_new``)
    pairs = f"""SELECT s.*, {", ".join(["t._rid", *(f"t.{c} AS {stored(c)}" for c in updates)])},
          t.{table.key[0]} IS NULL AS _new
        FROM ({stage.valid_rows}) s
        LEFT JOIN (SELECT rowid AS _rid, * FROM {table.name}
                   WHERE rowid IN (SELECT _rid FROM {matched})) t ON {join}"""
    values = {c: f"CASE WHEN _new THEN {c} ELSE {merged(table, c, replace)} END" for c in updates}
    changed = (
        f"row({', '.join(values.values())}) IS DISTINCT FROM "
        f"row({', '.join(stored(c) for c in updates)})"
        if updates
        else "false"
    )
    select = ", ".join(f"{values[c]} AS {c}" if c in values else c for c in table.stored_columns)
    delta = stage.temp_table(
        "delta",
        # materialised: the optimiser would otherwise expand ``_older`` into every column
        f"""WITH p AS MATERIALIZED (
          SELECT *, NOT _new AND {older(table, updates, replace)} AS _older FROM ({pairs}))
        SELECT * FROM (
          SELECT {select}, {", ".join(["_rid", *(stored(c) for c in updates)])},
                 NOT _new AS _exists, _older, {changed} AS _changed
          FROM p)
        WHERE NOT _exists OR _changed OR _older""",
    )
    # how many rows are new, changed and older; and which columns any changed row changes
    differs = [
        f"bool_or(_exists AND _changed AND {c} IS DISTINCT FROM {stored(c)})" for c in updates
    ]
    counts = con.execute(
        "SELECT "
        + ", ".join(
            [
                "count(*) FILTER (NOT _exists)",
                "count(*) FILTER (_exists AND _changed)",
                "count(*) FILTER (_older)",
                *differs,
            ]
        )
        + f" FROM {delta}"
    ).fetchone()
    assert counts is not None
    inserted, updated, result.kept_newer = (int(n or 0) for n in counts[:3])
    if inserted:
        con.execute(f"INSERT INTO {table.name} SELECT {cols} FROM {delta} WHERE NOT _exists")
    if updated:
        # only the columns some row changes: an update rewrites every column it sets
        assignments = ", ".join(
            f"{c} = d.{c}" for c, differ in zip(updates, counts[3:], strict=True) if differ
        )
        con.execute(
            f"UPDATE {table.name} SET {assignments} FROM {delta} d "
            f"WHERE d._exists AND d._changed AND {table.name}.rowid = d._rid"
        )
    result.inserted, result.updated = inserted, updated
    result.unchanged = valid - inserted - updated


def log_load(con: duckdb.DuckDBPyConnection, file_load: FileLoad) -> None:
    """The file's row in ``svc_loads`` (a header-only file's too: ``rows_read`` 0)."""
    con.execute(
        "INSERT INTO svc_loads VALUES (now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_load.table,
            file_load.file,
            file_load.rows_read,
            file_load.inserted,
            file_load.updated,
            file_load.unchanged,
            file_load.rejected,
        ],
    )


def record_coverage(
    con: duckdb.DuckDBPyConnection, table: Table, columns: set[str], shops: set[str]
) -> None:
    """Record the inputs a file of ``table`` with the canonical ``columns`` provided
    (spec §10) for ``shops`` (a header-only file provides them too: none is none)."""
    coverage.record(con, sorted(shops), coverage.file_inputs(table.name, columns))
