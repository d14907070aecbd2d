"""Opening svc databases: file or in-memory DuckDB, schema creation and version checks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from svc_cli.errors import DataError, SvcError
from svc_cli.schema import ALL_TABLES, META_DDL, SCHEMA_VERSION


class DatabaseBusyError(SvcError):
    """Another process holds the database's write lock."""


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusyError(
                f"database {path} is busy (another svc is writing to it)",
                "wait for the other svc command to finish and try again",
            ) from exc
        raise DataError(f"cannot open database {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise DataError(
            f"{path} is not a DuckDB database svc can open: {exc}",
            "pass the .duckdb file written by `svc load`",
        ) from exc


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical tables if missing and record the schema version."""
    for ddl in META_DDL:
        con.execute(ddl)
    for table in ALL_TABLES:
        con.execute(table.ddl())
    con.execute(
        "INSERT INTO svc_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
        [str(SCHEMA_VERSION)],
    )


def check_schema(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Refuse databases that are not svc databases or come from a newer svc."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "svc_meta" not in tables or "orders" not in tables:
        raise DataError(
            f"{path} is not an svc database (no svc tables found)",
            "create one with `svc load DB orders.csv`",
        )
    row = con.execute("SELECT value FROM svc_meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{path} was written by a newer svc (schema {version}, this svc knows {SCHEMA_VERSION})",
            "upgrade svc: pip install --upgrade svc",
        )


def open_for_write(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a database for loading."""
    con = _connect(str(path), read_only=False)
    create_schema(con)
    check_schema(con, str(path))
    return con


def open_for_read(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open an existing svc database read-only (several readers may share it)."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"database not found: {p}", f"create it with `svc load {p} orders.csv`")
    con = _connect(str(p), read_only=True)
    check_schema(con, str(p))
    return con


def open_memory() -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database with the canonical schema (for `--orders FILE` runs)."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con


def latest_timestamp(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The latest timestamp in any column of any loaded table (the default as-of, spec §9)."""
    parts = []
    for table in ALL_TABLES:
        for col in table.columns:
            if col.kind == "timestamp":
                parts.append(f"SELECT max({col.name}) AS t FROM {table.name}")
    row = con.execute(f"SELECT max(t) FROM ({' UNION ALL '.join(parts)})").fetchone()
    return row[0] if row else None
