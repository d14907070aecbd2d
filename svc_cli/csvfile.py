"""Reading a delimited text file's header safely, before DuckDB reads the body.

DuckDB's CSV sniffer guesses; svc does not. The header is read here (BOM, encoding,
delimiter, gzip container), so the body can be read with explicit options and every
column as text. A gzip file is recognised by its magic bytes and read as a stream, never
decompressed to a copy: the header line is read with a size limit, and DuckDB reads the
body from the ``.gz`` itself (it decompresses as it goes).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from svc_cli.errors import InputError

#: The longest header line read (bytes); a longer first line is not an export's header.
MAX_HEADER_BYTES = 1 << 20
ENCODING_HINT = "if the file was exported on a Chinese system try --encoding gb18030"


@dataclass(frozen=True)
class CsvHeader:
    path: Path
    columns: list[str]
    delimiter: str
    has_body: bool  # anything but blank space after the header line
    mixed_newlines: bool = False  # CRLF and LF lines in one file (read line by line)
    compression: str = "none"  # "gzip" when the file is a gzip stream (by magic bytes)
    #: a registered relation (a preset's Arrow frame) read instead of ``path``
    relation: str | None = None


GZIP_MAGIC = b"\x1f\x8b"


class NotUtf8Error(InputError):
    """A header that is not UTF-8: maybe another encoding, which the presets read."""


def is_gzip(path: Path) -> bool:
    """Whether the file starts with gzip's magic bytes (whatever its name)."""
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def _open_bytes(path: Path) -> io.BufferedIOBase:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_header(path: Path) -> CsvHeader:
    """Parse the first line of a UTF-8 file; error clearly on empty or undecodable input."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a CSV file")
    try:
        compression = "gzip" if is_gzip(path) else "none"
        with _open_bytes(path) as fh:
            first = fh.readline(MAX_HEADER_BYTES)
            body = fh.read(1 << 16)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(f"{path}: cannot read file: {exc}") from exc
    cr = first.find(b"\r")
    if 0 <= cr < len(first.rstrip(b"\r\n")):  # lines end with CR alone (classic Mac)
        first, body = first[: cr + 1], first[cr + 1 :] + body
    elif len(first) == MAX_HEADER_BYTES and not first.endswith(b"\n"):
        raise InputError(
            f"{path}: line 1 is longer than {MAX_HEADER_BYTES >> 20} MiB; expected a header line",
            "is this an export file? a header has column names separated by commas or tabs",
        )
    if not first.strip():
        raise InputError(
            f"{path}: file is empty (0 bytes or a blank first line); expected a header line",
            "export the file again; a file with only a header line is a valid empty export",
        )
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(
            f"{path}: line 1 is not valid UTF-8 (byte {exc.start}: {first[exc.start : exc.start + 1]!r})",
            ENCODING_HINT,
        ) from exc
    text = text.rstrip("\r\n")
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    columns = [c.strip() for c in next(csv.reader([text], delimiter=delimiter))]
    return CsvHeader(path, columns, delimiter, has_body=bool(body.strip()), compression=compression)


#: The longest line (bytes, after decompression) svc reads; a longer one is an error
#: found while streaming. DuckDB's own limit, checked here because DuckDB 2.0 reads a
#: much longer last line as no row at all, and fails with no line number in between.
MAX_LINE_BYTES = 2_000_000
#: How far a line too long is followed to say how long it is (then "over …").
MEASURE_BYTES = 64 * 1024 * 1024
_SCAN_BYTES = 8 * 1024 * 1024


class LineTooLongError(InputError):
    """A line over ``MAX_LINE_BYTES``: no other reading of the file can succeed."""


def check_line_lengths(path: Path, label: str, limit: int = MAX_LINE_BYTES) -> None:
    """Stream the file (decompressing a gzip one) and raise a clear error at the first
    line longer than ``limit``: bounded memory, a gzip bomb is never expanded to disk."""
    lines = 1  # the line the scan is in
    run = 0  # bytes since the last line end, before the current chunk
    try:
        with _open_bytes(path) as fh:
            while chunk := fh.read(_SCAN_BYTES):
                pos = 0  # jump from line end to line end, at most ``limit`` bytes apart
                while True:
                    window = limit - run
                    end = chunk.rfind(b"\n", pos, pos + window + 1)
                    if end >= 0:
                        run, pos = 0, end + 1
                        continue
                    if len(chunk) - pos > window:
                        line = lines + chunk.count(b"\n", 0, pos)
                        raise _too_long(label, line, limit, _measure(fh, chunk, pos, run))
                    run += len(chunk) - pos
                    break
                lines += chunk.count(b"\n")
    except (OSError, EOFError) as exc:
        raise InputError(f"{label}: cannot read file: {exc}") from exc


def _measure(fh: io.BufferedIOBase, chunk: bytes, pos: int, run: int) -> int | None:
    """The length of the line from ``chunk[pos:]`` on (``run`` bytes before it), read up
    to ``MEASURE_BYTES``; None when it is longer."""
    while True:
        end = chunk.find(b"\n", pos)
        if end >= 0:
            return run + end - pos - (1 if chunk[end - 1 : end] == b"\r" else 0)
        run += len(chunk) - pos
        if run > MEASURE_BYTES:
            return None
        chunk, pos = fh.read(_SCAN_BYTES), 0
        if not chunk:
            return run


def _too_long(label: str, line: int, limit: int, length: int | None) -> InputError:
    size = f"{length:,} bytes long" if length is not None else f"over {MEASURE_BYTES:,} bytes"
    return LineTooLongError(
        f"{label}:{line}: the line is {size}; svc reads lines of at most {limit:,} bytes",
        "is a quote never closed, or a cell holding a huge text? shorten or remove it",
    )


def mixed_newlines(path: Path) -> bool:
    """Whether the file has both CRLF and bare LF line ends (a file edited in Excel and
    appended to by another tool); read only after a strict read failed."""
    crlf = lf = False
    tail = b""
    with _open_bytes(path) as fh:  # a stream: a gzip file is not decompressed to disk
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            crlf_here = data.count(b"\r\n")
            crlf = crlf or crlf_here > 0
            lf = lf or data.count(b"\n") > crlf_here
            if crlf and lf:
                return True
            tail = data[-1:]
    return False
