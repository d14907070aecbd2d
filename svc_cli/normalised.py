"""A file as the loader reads it: canonical text rows for one table.

Platform exports become batches of canonical String columns through ``svc_cli.presets``
(each a Polars frame, which DuckDB reads as Arrow: no temporary CSV); a file that already is
a canonical UTF-8 CSV (plain or gzip) is recognised here, from its header and a sample,
without importing anything heavy, and is read in place: DuckDB reads a ``.gz`` itself,
as a stream, so no decompressed copy is ever written.
"""

from __future__ import annotations

import contextlib
import gzip
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import polars as pl

from svc_cli import tempfiles
from svc_cli.errors import RowProblem
from svc_cli.i18n import Message
from svc_cli.read import GZIP_MAGIC, NotUtf8Error, read_header
from svc_cli.schema import CHATS, ORDERS, REVIEWS, Table

CANONICAL = "canonical"
#: How a time is written in a canonical file (``svc inspect`` shows mapped times so).
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SAMPLE_BYTES = 1 << 16


@dataclass
class Normalised:
    """A source file normalised to one canonical table: either a canonical CSV on disk
    that DuckDB reads in place (``source``), or the canonical text rows of a platform
    export, batch by batch (``batches``), that the loader hands DuckDB as Arrow — never
    a temporary CSV for the load."""

    preset: str  # e.g. "taobao_orders_v1"; "canonical" when the file already is canonical
    encoding: str  # the encoding used (sniffed or given); "xlsx" for workbooks
    table: str  # "orders" | "reviews" | "chats"
    mode: str  # "rows": whole canonical rows (upsert); "merge": some order columns only
    source: Path | None  # a canonical UTF-8 CSV, maybe gzip, read in place; None: ``batches``
    rows_in: int  # data rows read from the source (-1: not counted, or not read yet)
    mapping: dict[str, str]  # canonical column -> source header (or how it was derived)
    unmapped: list[str]  # source headers not used
    warnings: list[str] = field(default_factory=list)
    temp: bool = False  # whether ``source`` is owned by this object (spooled stdin)
    #: rows the preset skipped as invalid (``skip_invalid``): their original columns, line
    #: and errors, in a temporary CSV (the loader writes it to FILE.rejects.csv)
    rejects: Path | None = None
    skipped: int = 0  #: how many rows ``rejects`` holds
    #: the first problems of the rows the preset skipped (to refuse the load with)
    skipped_problems: list[RowProblem] = field(default_factory=list)
    #: the canonical rows of a file that is not read in place, batch by batch (String
    #: columns after ``_line``, the row's line in the source), read with DuckDB ``con``;
    #: reading them to the end completes ``mapping``, ``warnings``, ``rows_in``,
    #: ``rejects`` and ``skipped``
    batches: Callable[[duckdb.DuckDBPyConnection], Generator[pl.DataFrame, None, None]] | None = (
        None
    )
    on_cleanup: list[Callable[[], None]] = field(default_factory=list)
    _written: Path | None = field(default=None, repr=False)

    def set_rejects(self, path: Path | None) -> None:
        if self.rejects is not None:
            tempfiles.discard(self.rejects)
        self.rejects = path

    @property
    def path(self) -> Path:
        """The canonical rows as a CSV file (``svc inspect``, tests): the source itself,
        or the batches written once to an anonymous temporary file (deleted by cleanup)."""
        if self._written is None and self.batches is not None:
            import duckdb

            written = tempfiles.create("svc-canonical-", ".csv")  # anonymous
            try:
                with (
                    duckdb.connect() as con,
                    tempfiles.open_new(written) as out,
                    contextlib.closing(self.batches(con)) as batches,
                ):
                    for i, batch in enumerate(batches):
                        batch.drop("_line").write_csv(
                            out,
                            include_header=i == 0,
                            null_value="",
                            quote_style="necessary",
                            datetime_format=TIME_FORMAT,
                        )
            except BaseException:
                tempfiles.discard(written)
                raise
            self._written = written
        if self._written is not None:
            return self._written
        assert self.source is not None
        return self.source

    def head(self, n: int, timezone: str) -> list[dict[str, str]]:
        """The first ``n`` canonical rows, as text (``svc inspect``): a canonical file's
        first valid rows as the load stores them (``_stored_head``); a mapped file's rows
        as the preset maps them, the file read to the end, batch by batch, so
        ``rows_in``, ``mapping`` and ``warnings`` are complete (no copy of it is
        written)."""
        import duckdb
        import polars as pl

        if self.batches is None:
            frame = self._stored_head(n, timezone)
        else:
            frames: list[pl.DataFrame] = []
            with duckdb.connect() as con, contextlib.closing(self.batches(con)) as batches:
                for batch in batches:
                    if sum(f.height for f in frames) < n:
                        frames.append(batch.head(n).drop("_line"))
            frame = pl.concat(frames).head(n)
        frame = frame.with_columns(pl.col(pl.Datetime).dt.strftime(TIME_FORMAT))
        frame = frame.select(pl.all().cast(pl.String).fill_null(""))
        return list(frame.iter_rows(named=True))

    def _stored_head(self, n: int, timezone: str) -> pl.DataFrame:
        """The first ``n`` valid rows of a canonical file, as the load stores them
        (trimmed, choices in lower case, times with an offset in the shop's
        ``timezone``). The whole file is read and checked as the load reads it (in a
        database in memory): ``rows_in`` counts its rows, and what the load would refuse
        (bad values, a key twice; the first ``n`` problems) joins ``warnings``."""
        import dataclasses

        from svc_cli import store
        from svc_cli.schema import DATA_TABLE_BY_NAME, KEY_HASH
        from svc_cli.stage import MixedNewlines, Stage, check_header

        assert self.source is not None
        table, label = DATA_TABLE_BY_NAME[self.table], str(self.source)
        header = read_header(self.source)
        self.warnings += check_header(table, header, label, merge=False)
        with contextlib.closing(store.open_memory()) as con:
            try:
                stage = Stage(con, table, header, label, timezone=timezone)
                stage.read()
            except MixedNewlines:  # read again with each of CRLF and LF a line end
                self.warnings.append(Message("mixed_newlines", file=label))
                header = dataclasses.replace(header, mixed_newlines=True)
                stage = Stage(con, table, header, label, timezone=timezone)
                stage.read()
            stage.flag_duplicates()
            self.rows_in = stage.rows_read
            if stage.rejected:
                self.warnings.append(
                    Message("inspect_rejected", file=label, count=f"{stage.rejected:,}")
                )
                self.warnings += [p.message() for p in stage.problems(n)]
            columns = ", ".join(c for c in table.stored_columns if c != KEY_HASH)
            con.complete()  # the stage's last count, read with fetchone
            first = f"SELECT {columns} FROM {stage.name} WHERE NOT _bad ORDER BY rowid LIMIT {n}"
            return con.sql(first).pl()

    def cleanup(self) -> None:
        """Delete the temporary files, if any."""
        if self._written is not None:
            tempfiles.discard(self._written)
        self.batches = None
        if self.temp and self.source is not None:
            tempfiles.discard(self.source)
        self.temp = False
        self.set_rejects(None)
        for done in self.on_cleanup:
            done()
        self.on_cleanup = []


def canonical_table(headers: list[str]) -> Table | None:
    """The canonical table whose required columns a header has, if any."""
    lowered = {h.lower() for h in headers if h}
    for table in (ORDERS, REVIEWS, CHATS):
        if all(c.name in lowered for c in table.columns if c.in_header):
            return table
    return None


def plain_canonical(path: Path) -> Normalised | None:
    """The file as is, when it is a canonical CSV on disk (plain or gzip) whose sample is
    UTF-8; None when it needs ``svc_cli.presets`` (another encoding, a workbook, a
    platform export)."""
    if str(path) == "-" or not path.is_file() or path.suffix.lower() in (".xlsx", ".xls"):
        return None
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
        if sample.startswith(GZIP_MAGIC):  # the start of the stream, decompressed
            with gzip.open(path, "rb") as fh:
                sample = fh.read(SAMPLE_BYTES)
    except (OSError, EOFError):  # a damaged gzip: the presets say what is wrong
        return None
    if sample.startswith(b"PK"):  # zip (xlsx)
        return None
    try:
        sample[: sample.rfind(b"\n") + 1 or len(sample)].decode("utf-8-sig")
        header = read_header(path)  # a header no reading can fix (empty, too long) is final
    except (UnicodeDecodeError, NotUtf8Error):
        return None
    table = canonical_table(header.columns)
    if table is None:
        return None
    known = set(table.column_names)
    return Normalised(
        CANONICAL,
        "utf-8-sig" if sample.startswith(b"\xef\xbb\xbf") else "utf-8",
        table.name,
        "rows",
        path,
        -1,
        {h.lower(): h for h in header.columns if h.lower() in known},
        [h for h in header.columns if h.lower() not in known],
    )
