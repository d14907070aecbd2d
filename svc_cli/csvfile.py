"""Reading a delimited text file's header safely, before DuckDB reads the body.

DuckDB's CSV sniffer guesses; svc does not. The header is read here (BOM, encoding,
delimiter), so the body can be read with explicit options and every column as text.
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


def _open_bytes(path: Path) -> io.BufferedIOBase:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def read_header(path: Path) -> CsvHeader:
    """Parse the first line of a UTF-8 file; error clearly on empty or undecodable input."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a CSV file")
    try:
        with _open_bytes(path) as fh:
            first = fh.readline(MAX_HEADER_BYTES)
            body = fh.read(1 << 16)
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read file: {exc}") from exc
    if len(first) == MAX_HEADER_BYTES and not first.endswith(b"\n"):
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
        raise InputError(
            f"{path}: line 1 is not valid UTF-8 (byte {exc.start}: {first[exc.start : exc.start + 1]!r})",
            ENCODING_HINT,
        ) from exc
    text = text.rstrip("\r\n")
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    columns = [c.strip() for c in next(csv.reader([text], delimiter=delimiter))]
    return CsvHeader(path, columns, delimiter, has_body=bool(body.strip()))
