"""The Parquet lake: svc's canonical tables as Parquet files, the staging format for a
cluster (docs/parquet-format.md).

    DIR/_svc.json                                   format, schema version, rows, as-of max
    DIR/orders/shop_id=<id>/month=<YYYY-MM>/*.parquet   month of ordered_at
    DIR/reviews/shop_id=<id>/month=<YYYY-MM>/*.parquet  month of created_at
    DIR/chats/*.parquet
    DIR/shops/*.parquet
    DIR/coverage/*.parquet                          data coverage (spec §10)
    DIR/shop_aliases/*.parquet                      aliases of shop ids (shops file)

Columns and types are those of the canonical tables (schema.py): ids text, timestamps
TIMESTAMP without time zone (shop wall-clock), money DECIMAL(18,2). Partition columns are
not repeated inside the files.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from svc_cli import schema
from svc_cli.errors import UsageError
from svc_cli.i18n import Message

LAKE_META = "_svc.json"
LAKE_FORMAT = "svc-parquet"
LAKE_FORMAT_VERSION = 1

#: Tables partitioned by shop and month; the month is that of this timestamp column.
PARTITIONED = {"orders": "ordered_at", "reviews": "created_at"}

#: Data coverage (spec §10; schema.COVERAGE_DDL): the inputs provided per shop.
COVERAGE = schema.Table(
    "coverage",
    (
        schema.Column("shop_id", "id", "VARCHAR", required=True),
        schema.Column("input", "text", "VARCHAR", required=True),
        schema.Column("inferred", "bool", "BOOLEAN", default="false"),
    ),
    key=("shop_id", "input"),
)
#: Shop aliases (schema.ALIASES_DDL): another id or a name that means the shop.
SHOP_ALIASES = schema.Table(
    "shop_aliases",
    (
        schema.Column("alias", "id", "VARCHAR", required=True),
        schema.Column("shop_id", "id", "VARCHAR", required=True),
    ),
    key=("alias",),
)

#: The lake's tables: every canonical table, the data coverage and the shop aliases.
LAKE_TABLES: tuple[schema.Table, ...] = (*schema.ALL_TABLES, COVERAGE, SHOP_ALIASES)


#: Characters escaped as %XX in partition folder names, as Hive and Spark escape them.
_ESCAPED = frozenset([chr(c) for c in range(1, 0x20)] + list("\"#%'*/:=?\\\x7f{[]^"))


def escape_partition(value: str) -> str:
    """A partition value as a folder name, escaped as Spark writes it: a few ASCII
    characters as %XX, everything else (non-ASCII included) as is. Spark decodes %XX one
    byte per character, so percent-encoded UTF-8 would come back garbled."""
    return "".join(f"%{ord(c):02X}" if c in _ESCAPED else c for c in value)


def _respell_partitions(folder: Path) -> None:
    """Rename DuckDB's percent-encoded ``shop_id=`` folders to Spark's spelling (both
    engines read it back as the same text)."""
    from urllib.parse import unquote

    for sub in folder.iterdir():
        key, sep, encoded = sub.name.partition("=")
        if sep:
            spelled = f"{key}={escape_partition(unquote(encoded))}"
            if spelled != sub.name:
                sub.rename(folder / spelled)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(
    db: Path | str, out: Path | str, *, overwrite: bool = False, wait: float = 5.0
) -> dict[str, Any]:
    """Write the database's canonical tables as a Parquet lake under ``out``.

    Written into a temporary sibling folder and renamed into place: a failed export leaves
    nothing behind. An existing non-empty ``out`` is replaced only with ``overwrite``."""
    from svc_cli import __version__, store

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise UsageError(
            Message("error.folder_not_empty", folder=str(out)), Message("hint.folder_not_empty")
        )
    con = store.open_for_read(db, wait)
    tmp = out.parent / f".{out.name}.svc-export-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tables: dict[str, dict[str, Any]] = {}
    try:
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for table in LAKE_TABLES:
            if table.name not in existing:
                continue
            cols = ", ".join(table.column_names)
            target = tmp / table.name
            if table.name in PARTITIONED:
                month = f"strftime({PARTITIONED[table.name]}, '%Y-%m') AS month"
                con.execute(
                    f"COPY (SELECT {cols}, {month} FROM {table.name}) TO {_quote(target)} "
                    "(FORMAT parquet, PARTITION_BY (shop_id, month))"
                )
                if target.exists():
                    _respell_partitions(target)
                partitioning = ["shop_id", "month"]
            else:
                target.mkdir(parents=True)
                key = ", ".join(table.key)
                con.execute(
                    f"COPY (SELECT {cols} FROM {table.name} ORDER BY {key}) "
                    f"TO {_quote(target / 'part-0.parquet')} (FORMAT parquet)"
                )
                partitioning = []
            rows = store.scalar(con, f"SELECT count(*) FROM {table.name}")
            tables[table.name] = {"rows": rows, "partitioned_by": partitioning}
        as_of_max = store.latest_timestamp(con)
    except BaseException:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    con.close()
    meta = {
        "format": LAKE_FORMAT,
        "format_version": LAKE_FORMAT_VERSION,
        "schema_version": schema.SCHEMA_VERSION,
        "written_by": f"svc {__version__}",
        "written_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "as_of_max": as_of_max.strftime("%Y-%m-%d %H:%M:%S.%f") if as_of_max else None,
        "tables": tables,
    }
    (tmp / LAKE_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    tmp.rename(out)
    return {"lake": str(out), **meta}
