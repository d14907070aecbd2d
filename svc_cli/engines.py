"""Where the model's SQL runs: DuckDB on an svc database, DuckDB on a Parquet lake, or
Spark on a Parquet lake (docs/parquet-format.md).

An engine has one job: expose the canonical tables (``lake.LAKE_TABLES``) under their
names and run a ``queries.py`` SQL string with named parameters (``$as_of``, ``$start``,
``$last_day``), returning a cursor (``description``, ``fetchall()``, ``fetchone()``). A
DuckDB connection is such an engine as it is; :class:`SparkEngine` binds the parameters as
literals and translates the DuckDB SQL with sqlglot (duckdb → spark). There is no second
copy of the model: every query in ``queries.py`` runs unchanged on each engine.

A lake without data coverage (no ``coverage`` files, or none with a row: a lake written by
another pipeline) gets the coverage inferred from its rows (``queries.INFERRED_COVERAGE``,
what a database loaded before svc recorded coverage gets), marked ``inferred``, and a
warning saying so.

pyspark and sqlglot are imported only when the Spark engine is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from svc_cli.errors import DataError, InputError, SvcError, UsageError
from svc_cli.i18n import Message
from svc_cli.lake import COVERAGE, LAKE_FORMAT, LAKE_FORMAT_VERSION, LAKE_META, LAKE_TABLES
from svc_cli.queries import INFERRED_COVERAGE
from svc_cli.schema import SCHEMA_VERSION, Table

if TYPE_CHECKING:
    import duckdb

ENGINES = ("duckdb", "spark")

SPARK_INSTALL_HINT = (
    "install the Spark extra (pyspark, sqlglot): pip install '.[spark]' from a checkout, "
    "or pip install 'svc[spark]'"
)
JAVA_HINT = "install a Java 17+ runtime (e.g. apt install openjdk-17-jre-headless) or set JAVA_HOME"


class Cursor(Protocol):
    """The part of a DB-API cursor the model uses."""

    @property
    def description(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class Engine(Protocol):
    """Runs a ``queries.py`` SQL string over the canonical tables."""

    def execute(self, query: str, parameters: Any = None, /) -> Cursor: ...

    def close(self) -> None: ...


def _lake_not_found(source: str) -> InputError:
    """A lake folder that does not exist: invalid input (exit 2), as a missing database."""
    return InputError(Message("error.lake_not_found", path=source), Message("hint.export_lake"))


# --- one projection for both engines: the canonical columns of a lake table ---


def projection_sql(table: Table, raw: str, present: set[str]) -> str:
    """DuckDB SQL selecting ``table``'s canonical columns, typed, from the raw relation
    ``raw``; a missing optional column is its default (or NULL), a missing one that a CSV
    header must carry an error. Spark runs the same SQL through sqlglot."""
    needed = [c for c in table.columns if c.required or c.in_header]
    missing = [c.name for c in needed if c.name not in present]
    if missing:
        raise DataError(
            f"the lake's {table.name} has no column(s) {', '.join(missing)}",
            "see docs/parquet-format.md for the columns of each table",
        )
    cols = []
    for c in table.columns:
        value = c.name if c.name in present else (c.default or "NULL")
        cols.append(f"CAST({value} AS {c.sql_type}) AS {c.name}")
    return f"SELECT {', '.join(cols)} FROM {raw}"


def _empty_sql(table: Table) -> str:
    cols = ", ".join(f"CAST(NULL AS {c.sql_type}) AS {c.name}" for c in table.columns)
    return f"SELECT {cols} WHERE false"


def _check_meta(meta: dict[str, Any] | None, source: str) -> None:
    """Refuse a lake written in a newer format or schema than this svc reads."""
    if meta is None:
        return  # written by another pipeline without the optional description file
    if meta.get("format") != LAKE_FORMAT:
        raise DataError(f"{source}/{LAKE_META} does not describe an svc Parquet lake")
    fmt, schema = int(meta.get("format_version", 1)), int(meta.get("schema_version", 1))
    if fmt > LAKE_FORMAT_VERSION or schema > SCHEMA_VERSION:
        raise DataError(
            f"{source} was written by a newer svc (format {fmt}, schema {schema}; this svc "
            f"reads format {LAKE_FORMAT_VERSION}, schema {SCHEMA_VERSION}) and is not read",
            "upgrade svc: pip install --upgrade svc",
        )


# --- DuckDB on a Parquet lake ---


def open_duckdb_lake(source: str, warnings: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose canonical tables are views over the lake's Parquet files
    (local folders; ids and partition values stay text). A warning is added to
    ``warnings`` when the coverage is inferred."""
    import duckdb

    from svc_cli.store import _config

    root = Path(source)
    if "://" in source:
        raise UsageError(
            f"--engine duckdb reads a local folder, not {source}",
            "use --engine spark for hdfs://, s3a:// … paths",
        )
    if not root.is_dir():
        raise _lake_not_found(source)
    meta_path = root / LAKE_META
    _check_meta(json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else None, source)
    con = duckdb.connect(":memory:", config=_config(":memory:"))
    try:
        con.execute("SET TimeZone = 'UTC'")  # a UTC-adjusted timestamp reads as its UTC clock
        for table in LAKE_TABLES:
            files = sorted((root / table.name).glob("**/*.parquet"))
            if not files:
                _require(table, source)
                con.execute(f"CREATE VIEW {table.name} AS {_empty_sql(table)}")
                continue
            glob = str(root / table.name / "**" / "*.parquet").replace("'", "''")
            raw = (  # every file of a table has the same columns (as Spark assumes too)
                f"read_parquet('{glob}', hive_partitioning = true, hive_types_autocast = false)"
            )
            present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {raw}").fetchall()}
            con.execute(f"CREATE VIEW {table.name} AS {projection_sql(table, raw, present)}")
        if not con.execute(f"SELECT count(*) FROM {COVERAGE.name}").fetchall()[0][0]:
            # inferred once here (one scan of each table), not each time a report asks
            con.execute(f"DROP VIEW {COVERAGE.name}")
            con.execute(f"CREATE TABLE {COVERAGE.name} AS {INFERRED_COVERAGE}")
            _coverage_inferred(source, warnings)
    except BaseException:
        con.close()
        raise
    return con


def _coverage_inferred(source: str, warnings: list[str] | None) -> None:
    if warnings is not None:
        warnings.append(Message("lake.coverage_inferred", source=source))


def _require(table: Table, source: str) -> None:
    if table.name == "orders":
        raise DataError(
            f"the lake {source} has no orders (no Parquet files under {source}/orders)",
            "write one with `svc export DB DIR`; see docs/parquet-format.md",
        )


# --- Spark ---


def java_problem() -> str | None:
    """Why a local Spark cannot start here (no Java 17+), or None."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        return "Spark needs Java 17+, and no java was found"
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Spark needs Java 17+; {java} -version failed: {exc}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if found:
        major = int(found.group(1))
        major = int(found.group(2) or 0) if major == 1 else major  # "1.8" is Java 8
        if major < 17:
            return f"Spark needs Java 17+; {java} is Java {major}"
    return None


def spark_session(master: str | None = None) -> Any:
    """The Spark session: Spark Connect when ``master`` is an sc:// URL or SPARK_REMOTE is
    set, else a classic session (spark-submit's master, ``master``, or local[*])."""
    try:
        import sqlglot  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UsageError(
            f"--engine spark needs pyspark and sqlglot ({exc})", SPARK_INSTALL_HINT
        ) from None
    remote = master if master and master.startswith("sc://") else os.environ.get("SPARK_REMOTE")
    if remote and not (master and not master.startswith("sc://")):
        builder = SparkSession.builder.remote(remote)
    else:
        active = SparkSession.getActiveSession()
        if active is not None and master is None:  # a notebook's, or spark-submit's
            return _configured(active)
        problem = java_problem()
        if problem:
            raise SvcError(problem, JAVA_HINT)
        from pyspark import SparkConf

        builder = SparkSession.builder.appName("svc")
        if master or not SparkConf().contains("spark.master"):  # spark-submit sets one
            builder = builder.master(master or "local[*]")
            builder = builder.config("spark.ui.enabled", "false")
            builder = builder.config("spark.ui.showConsoleProgress", "false")
            builder = builder.config("spark.log.level", "ERROR")
            if (master or "local").startswith("local"):  # one machine: few shuffle tasks
                builder = builder.config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE))
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    try:
        return _configured(builder.getOrCreate())
    except Exception as exc:  # the JVM did not start
        if "Java gateway" in str(exc) or "JAVA_HOME" in str(exc):
            raise SvcError(f"Spark did not start: {exc}", JAVA_HINT) from exc
        raise


def _configured(session: Any) -> Any:
    """``session`` with the settings the model needs (also on a session svc did not
    create: they are SQL settings of that session)."""
    for key, value in SPARK_CONF.items():
        session.conf.set(key, value)
    return session


#: Shuffle partitions of a local session (Spark's default of 200 suits a cluster).
LOCAL_SHUFFLE = 2 * (os.cpu_count() or 2)

#: Settings the model needs: wall-clock timestamps (TIMESTAMP_NTZ, UTC session so that a
#: UTC-adjusted column reads as its UTC clock) and text partition values (shop 00123).
SPARK_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}


def _literal(value: object) -> str:
    """A parameter as a DuckDB literal (sqlglot translates it with the query)."""
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ', timespec='microseconds')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return repr(value) if not isinstance(value, Decimal) else str(value)
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"cannot bind a {type(value).__name__} parameter for Spark")


_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def bind(sql: str, parameters: Any) -> str:
    """``sql`` with each ``$name`` replaced by the literal of ``parameters[name]``."""
    params = dict(parameters or {})

    def literal(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"query parameter ${name} was not given")
        return _literal(params[name])

    return _PARAM.sub(literal, sql)


def to_spark(sql: str, parameters: Any = None) -> str:
    """A ``queries.py`` query, parameters bound, in Spark SQL (sqlglot duckdb → spark);
    a construct sqlglot cannot translate is an error, never a silently different query."""
    import sqlglot

    statements = sqlglot.transpile(
        bind(sql, parameters),
        read="duckdb",
        write="spark",
        unsupported_level=sqlglot.ErrorLevel.RAISE,
    )
    if len(statements) != 1:
        raise ValueError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]


@dataclass
class SparkCursor:
    description: list[tuple[str, None, None, None, None, None, None]]
    rows: list[tuple[Any, ...]]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self.rows = self.rows, []
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows.pop(0) if self.rows else None


class SparkEngine:
    """The canonical tables of a Parquet lake as Spark temporary views."""

    def __init__(
        self,
        session: Any,
        source: str,
        own_session: bool = False,
        warnings: list[str] | None = None,
    ) -> None:
        self.spark = session
        self.source = source.rstrip("/")
        self.own_session = own_session
        self._cached: list[Any] = []  # DataFrames cached for this engine, released on close
        self._check_meta()
        for table in LAKE_TABLES:
            self._register(table)
        if self.spark.table(COVERAGE.name).isEmpty():
            # inferred once (cached: one scan of each table), not each time a report asks
            inferred = self.spark.sql(to_spark(INFERRED_COVERAGE)).cache()
            self._cached.append(inferred)
            inferred.createOrReplaceTempView(COVERAGE.name)
            _coverage_inferred(self.source, warnings)

    def _check_meta(self) -> None:
        try:
            text = self.spark.read.text(f"{self.source}/{LAKE_META}", wholetext=True).first()
        except Exception:  # no description file: a lake written by another pipeline
            text = None
        _check_meta(json.loads(text[0]) if text else None, self.source)

    def _register(self, table: Table) -> None:
        raw = f"svc_raw_{table.name}"
        try:
            df = self.spark.read.parquet(f"{self.source}/{table.name}")
        except Exception as exc:  # AnalysisException: path not found / no files
            if "PATH_NOT_FOUND" not in str(exc) and "UNABLE_TO_INFER_SCHEMA" not in str(exc):
                raise
            _require(table, self.source)
            self.spark.sql(to_spark(_empty_sql(table))).createOrReplaceTempView(table.name)
            return
        df.createOrReplaceTempView(raw)
        view = projection_sql(table, raw, set(df.columns))
        self.spark.sql(to_spark(view)).createOrReplaceTempView(table.name)

    def execute(self, query: str, parameters: Any = None, /) -> SparkCursor:
        df = self.spark.sql(to_spark(query, parameters))
        rows = [tuple(row) for row in df.collect()]
        return SparkCursor([(n, None, None, None, None, None, None) for n in df.columns], rows)

    def to_arrow(self, query: str, parameters: Any = None) -> Any:
        """The rows of a ``queries.py`` query as one Arrow table (pyspark 4's
        ``DataFrame.toArrow``), or None on an older pyspark (use ``execute``)."""
        df = self.spark.sql(to_spark(query, parameters))
        return df.toArrow() if hasattr(df, "toArrow") else None

    def close(self) -> None:
        for df in self._cached:
            df.unpersist()
        if self.own_session:
            self.spark.stop()


def open_lake(
    source: str,
    engine: str = "duckdb",
    spark_master: str | None = None,
    warnings: list[str] | None = None,
) -> Engine:
    """The engine reading the Parquet lake at ``source``; what the reader should know
    about the lake (coverage inferred) is added to ``warnings``."""
    if engine == "duckdb":
        return open_duckdb_lake(source, warnings)
    if engine != "spark":
        raise UsageError(f"unknown engine {engine!r}", f"choose one of: {', '.join(ENGINES)}")
    if "://" not in source and not Path(source).is_dir():
        raise _lake_not_found(source)
    had_session = _active_session() is not None
    session = spark_session(spark_master)
    return SparkEngine(session, source, own_session=not had_session, warnings=warnings)


def _active_session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()
