"""Opening svc databases: file or in-memory DuckDB, schema creation and version checks."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from svc_cli.errors import DataError, ExitCode, InputError, SvcError, UsageError
from svc_cli.i18n import Message, Verbatim
from svc_cli.queries import (
    INFER_COVERAGE,
    KEY_HASH_CURRENT,
    RECORD_KEY_HASH,
    SCHEMA_VERSION_STORED,
)
from svc_cli.schema import (
    ALIASES_DDL,
    ALL_TABLES,
    COVERAGE_DDL,
    DATA_TABLES,
    KEY_HASH,
    META_DDL,
    SCHEMA_VERSION,
)

if TYPE_CHECKING:
    from svc_cli.engines import Engine

#: Default seconds to wait for another svc process to release the database.
DEFAULT_WAIT = 5.0

#: Statements that upgrade a database from version N-1 to N, applied in order.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: the load log no longer carries a (never filled) checksum column.
    2: ("ALTER TABLE svc_loads DROP COLUMN IF EXISTS sha256",),
    # 3: data coverage (spec §10), inferred from the rows already loaded.
    3: (COVERAGE_DDL, INFER_COVERAGE),
    # 4: shop aliases (shops file ``aliases``).
    4: (ALIASES_DDL,),
    # 5: the hash of each data row's id, filled by ``hash_keys``.
    5: tuple(
        f"ALTER TABLE {t.name} ADD COLUMN IF NOT EXISTS {KEY_HASH} UBIGINT" for t in DATA_TABLES
    ),
}


_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)
_settings: dict[str, str] = {}


def set_memory_limit(limit: str | None) -> None:
    """Cap DuckDB's memory (e.g. "2GB"); beyond it DuckDB spills to a temporary folder.
    Applies to every database svc opens afterwards in this process."""
    if limit is None:
        _settings.pop("memory_limit", None)
        return
    if not _MEMORY.match(limit.strip()):
        raise UsageError(Message("error.memory_limit", value=Verbatim(repr(limit))))
    _settings["memory_limit"] = limit.strip()


_UNITS = {"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12}
_UNITS.update({"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40})


def _bytes(size: str) -> float:
    """A size as ``--memory-limit`` or DuckDB write it ("2GB", "476.8 MiB"), in bytes."""
    match = re.fullmatch(r"([\d.]+)\s*([a-z]+)", size.strip().lower())
    if match is None or match[2] not in _UNITS:
        raise ValueError(f"not a size: {size!r}")
    return float(match[1]) * _UNITS[match[2]]


#: DuckDB's memory while a file streams into a stage that is a table of the database (a
#: first load): the read needs buffers only; above them DuckDB keeps the blocks it wrote
#: cached (up to 80% of RAM by default), memory the load never reads again.
STREAM_MEMORY = "512MB"


@contextlib.contextmanager
def memory_at_most(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """``con``'s database, opened by svc, runs with at most ``limit`` of memory (its own
    limit if lower) while the block runs; then with the limit it was opened with."""
    if _bytes(str(scalar(con, "SELECT current_setting('memory_limit')"))) <= _bytes(limit):
        yield
        return
    con.execute(f"SET memory_limit = '{limit}'")
    given = _settings.get("memory_limit")  # as given (DuckDB's own figure is rounded)
    restore = f"SET memory_limit = '{given}'" if given else "RESET memory_limit"
    try:
        yield
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # nothing may hide the error itself
            con.execute(restore)
        raise
    con.execute(restore)


def _config(path: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(_settings)
    if config and path == ":memory:":  # where an in-memory database spills
        config["temp_directory"] = str(Path(tempfile.gettempdir()) / f"svc-spill-{os.getpid()}")
    return config


class DatabaseBusyError(SvcError):
    """Another process holds the database's lock for longer than we were told to wait."""

    exit_code = ExitCode.BUSY


#: Every DuckDB database file carries this magic at byte 8 (after the header checksum).
DUCKDB_MAGIC = b"DUCK"


def _refuse_non_database(path: str) -> None:
    """Refuse a file that is no DuckDB database before DuckDB opens it: DuckDB opens a
    CSV file as a database of its own ("not an svc database", or an in-memory error when
    read-only), which tells a user who gave an export where the database goes nothing."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:  # missing (a new database), a folder …: DuckDB says what is wrong
        return
    if head and head[8:12] != DUCKDB_MAGIC:
        raise InputError(Message("error.not_duckdb", file=path), Message("hint.not_duckdb"))


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Connect, retrying while another process holds the lock (up to ``wait`` seconds)."""
    if path != ":memory:":
        _refuse_non_database(path)
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only, config=_config(path))
            if path != ":memory:":
                _check_size(con, path)
            return con
        except duckdb.IOException as exc:
            if "Could not read enough bytes" in str(exc):
                raise DataError(
                    Message("error.db_truncated", path=path, detail=Verbatim(str(exc))),
                    Message("hint.restore_backup"),
                ) from exc
            if "lock" not in str(exc).lower():
                raise DataError(
                    Message("error.db_cannot_open", path=path, detail=Verbatim(str(exc)))
                ) from exc
            if time.monotonic() >= deadline:
                # DuckDB adds "you would be able to open this database in read-only mode"
                # when the holders only read it
                key = "error.db_busy_reading" if "read-only mode" in str(exc) else "error.db_busy"
                raise DatabaseBusyError(
                    Message(key, path=path, wait=f"{wait:g}"), Message("hint.db_busy")
                ) from exc
            time.sleep(0.1)
        except duckdb.Error as exc:
            raise DataError(
                Message("error.db_unreadable", path=path, detail=Verbatim(str(exc))),
                Message("hint.db_unreadable"),
            ) from exc


#: A DuckDB file starts with three 4 KiB headers, then its blocks.
_HEADERS = 3 * 4096


def _check_size(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Refuse a truncated database file (a full disk, an interrupted copy) up front,
    instead of failing on the first block a query reads. A checkpoint cuts the free
    blocks at the end off the file, which DuckDB still counts in ``total_blocks``: the
    file must hold the blocks in use."""
    row = con.execute(
        "SELECT block_size, total_blocks - free_blocks FROM pragma_database_size()"
    ).fetchone()
    expected = _HEADERS + row[0] * row[1] if row and row[1] else 0
    size = os.path.getsize(path)
    if size < expected:
        con.close()
        raise DataError(
            Message(
                "error.db_short",
                path=path,
                size=Verbatim(f"{size:,}"),
                expected=Verbatim(f"{expected:,}"),
            ),
            Message("hint.restore_backup"),
        )


def scalar(con: Engine, sql: str, params: object = None) -> Any:
    """The first value of the first row of a query (None when it returns no row)."""
    row = con.execute(sql, params if params is not None else []).fetchone()
    return row[0] if row else None


def records(con: Engine, sql: str, params: object = None) -> list[dict[str, Any]]:
    """Every row of a query, as a dict by column name."""
    cursor = con.execute(sql, params if params is not None else [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical tables if missing; a new database gets the current version."""
    for ddl in META_DDL:
        con.execute(ddl)
    for table in ALL_TABLES:
        con.execute(table.ddl())
    con.execute(
        "INSERT INTO svc_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
        [str(SCHEMA_VERSION)],
    )


def schema_version(con: duckdb.DuckDBPyConnection, path: str) -> int:
    """The database's schema version; refuses what is not an svc database."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "svc_meta" not in tables or "orders" not in tables:
        raise DataError(Message("error.not_svc_db", path=path), Message("hint.create_db"))
    return schema_version_of_meta(con, path)


@contextlib.contextmanager
def _one_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The block's statements commit together, or none does."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def migrate(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Bring an older database to the current schema, in one transaction."""
    version = schema_version(con, path)
    if version == SCHEMA_VERSION:
        return
    with _one_transaction(con):
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS.get(target, ()):
                con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO svc_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )


def hash_keys(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)compute every data row's ``KEY_HASH`` unless this DuckDB's ``hash`` made them:
    after the migration that added them, or should a DuckDB release change ``hash``
    (a load would otherwise look its rows up under the wrong hashes)."""
    if scalar(con, KEY_HASH_CURRENT):
        return
    with _one_transaction(con):
        for table in DATA_TABLES:
            con.execute(f"UPDATE {table.name} SET {KEY_HASH} = {table.key_hash_sql()}")
        con.execute(RECORD_KEY_HASH)


def check_writable(con: duckdb.DuckDBPyConnection, path: str) -> int | None:
    """Before svc changes anything in a database: it is an svc database of a schema this
    svc knows (its version returned), or a DuckDB database with no tables at all (None)."""
    listed = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")
    tables = {r[0] for r in listed.fetchall()}
    if "svc_meta" in tables:
        return schema_version_of_meta(con, path)
    views = con.execute(  # listing views costs more: only for what is no svc database
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary"
    )
    names = sorted(tables | {r[0] for r in views.fetchall()})
    if names:
        shown = ", ".join(names[:10]) + (f" … ({len(names)} tables)" if len(names) > 10 else "")
        raise DataError(
            Message("error.other_duckdb", path=path, tables=Verbatim(shown)),
            Message("hint.other_duckdb"),
        )
    return None


def schema_version_of_meta(con: duckdb.DuckDBPyConnection, path: str) -> int:
    """The version recorded in ``svc_meta``; refuses a newer one."""
    stored = scalar(con, SCHEMA_VERSION_STORED)
    version = int(stored) if stored is not None else 1
    if version > SCHEMA_VERSION:
        raise DataError(
            Message("error.newer_db", path=path, version=str(version), known=str(SCHEMA_VERSION)),
            Message("hint.upgrade"),
        )
    return version


def open_for_write(path: str | Path, wait: float = DEFAULT_WAIT) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a database for loading, migrated to the current schema.
    Nothing is created in a database of a newer schema or in another program's one."""
    con = _connect(str(path), read_only=False, wait=wait)
    try:
        if check_writable(con, str(path)) != SCHEMA_VERSION:
            create_schema(con)
            migrate(con, str(path))
        hash_keys(con)
    except BaseException:
        con.close()
        raise
    return con


def open_for_read(path: str | Path, wait: float = DEFAULT_WAIT) -> duckdb.DuckDBPyConnection:
    """Open an existing svc database read-only (several readers may share it); an older
    database is migrated first."""
    p = Path(path)
    if not p.exists():
        raise InputError(
            Message("error.db_not_found", file=str(p)),
            Message("hint.db_create", file=str(p)),
        )
    con = _connect(str(p), read_only=True, wait=wait)
    try:
        current = schema_version(con, str(p)) == SCHEMA_VERSION
    except BaseException:
        con.close()
        raise
    if current:
        return con
    con.close()
    open_for_write(p, wait).close()
    return _connect(str(p), read_only=True, wait=wait)


def open_memory() -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database with the canonical schema (for `--orders FILE` runs)."""
    con = duckdb.connect(":memory:", config=_config(":memory:"))
    create_schema(con)
    return con


def one_shop_copy(con: Engine, shop_id: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding only ``shop_id``'s rows of every table scoring
    reads: repeated scoring of one shop (projections) runs the same queries over far
    fewer rows. On Spark the rows are selected on the cluster and handed over as Arrow.
    Close it after use."""
    from svc_cli.engines import SparkEngine
    from svc_cli.queries import SHOP_ROWS

    copy = open_memory()
    params = {"shop": shop_id}
    for table in (*(t.name for t in ALL_TABLES), "coverage"):
        sql = SHOP_ROWS.format(table=table)
        if isinstance(con, duckdb.DuckDBPyConnection):
            rows = con.sql(sql, params=params).to_arrow_table()
        elif isinstance(con, SparkEngine) and (arrow := con.to_arrow(sql, params)) is not None:
            rows = arrow
        else:  # an engine without Arrow (pyspark 3.5): its rows
            cursor = con.execute(sql, params)
            values = cursor.fetchall()
            if values:
                names = ", ".join(d[0] for d in cursor.description)
                marks = ", ".join("?" * len(cursor.description))
                copy.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
            continue
        copy.register("svc_shop_rows", rows)
        # by name: the tables of Spark's lake have no key hash
        copy.execute(f"INSERT INTO {table} BY NAME SELECT * FROM svc_shop_rows")
        copy.unregister("svc_shop_rows")
    return copy


def latest_timestamp(con: Engine) -> datetime | None:
    """The latest timestamp in any column of any loaded table (the default as-of, spec §9)."""
    parts = []
    for table in ALL_TABLES:
        for col in table.columns:
            if col.kind == "timestamp":
                parts.append(f"SELECT max({col.name}) AS t FROM {table.name}")
    return scalar(con, f"SELECT max(t) FROM ({' UNION ALL '.join(parts)})")
