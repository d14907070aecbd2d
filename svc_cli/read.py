"""The read step of a load: an input file's bytes → text → header → rows.

Everything here is about the container, not the platform: gzip (by magic bytes, read as
a stream, never decompressed to a copy when DuckDB can read it), stdin, xlsx/xls, the
encoding (sniffed or given, decoded strictly so a wrong guess is an error, never
mojibake), the delimiter, the header, lines too long, truncated files.

- ``read_header``: the header of a canonical UTF-8 CSV (plain or gzip), the fast path:
  DuckDB then reads the body in place with explicit options (nothing heavy imported).
- ``spool``, ``read_headers``, ``read_any``: any other export, as a ``RawTable`` whose rows
  come in batches (String columns named by the cleaned headers, plus ``_line``: the
  source line (CSV) or sheet row (Excel) of each record, the header being line 1).
  Non-UTF-8 text is decoded in Python, block by block, into an anonymous temporary UTF-8
  file that DuckDB streams (DuckDB reads UTF-8 only); a large file in parts at once, one
  per core (worker processes: ``svc_cli.decode_part``).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import functools
import gzip
import io
import os
import re
import shutil
import sys
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from svc_cli import native_decode, tempfiles
from svc_cli.errors import InputError
from svc_cli.i18n import Message, Verbatim

if TYPE_CHECKING:
    import duckdb
    import polars as pl

#: The longest header line read (bytes); a longer first line is not an export's header.
MAX_HEADER_BYTES = 1 << 20


@dataclass(frozen=True)
class CsvHeader:
    path: Path
    columns: list[str]
    delimiter: str
    has_body: bool  # anything but blank space after the header line
    mixed_newlines: bool = False  # CRLF and LF lines in one file (read line by line)
    compression: str = "none"  # "gzip" when the file is a gzip stream (by magic bytes)
    #: a registered relation (a platform export's mapped rows) read instead of ``path``
    relation: str | None = None


GZIP_MAGIC = b"\x1f\x8b"


class NotUtf8Error(InputError):
    """A header that is not UTF-8: maybe another encoding, which the presets read."""


def is_gzip(path: Path) -> bool:
    """Whether the file starts with gzip's magic bytes (whatever its name)."""
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


#: What svc's own gzip reader says of a file cut inside a member.
GZIP_TRUNCATED = "the gzip stream ends before its end marker (a truncated file)"

#: OS errors whose meaning svc states in the user's language (the English is the OS's).
_OS_DETAILS = {
    errno.EACCES: "detail.permission",
    errno.EPERM: "detail.permission",
    errno.ENOENT: "detail.not_found",
    errno.EISDIR: "detail.is_directory",
    errno.EIO: "detail.io",
}


def read_detail(exc: BaseException) -> Message | Verbatim:
    """Why a file cannot be read, as the library or the OS said it (English), with a
    translation where svc knows the error; other text is kept as it is."""
    text = Verbatim(str(exc))
    if isinstance(exc, EOFError):  # svc's reader, or gzip's "Compressed file ended …"
        return Message("detail.gzip_truncated", text=text)
    if isinstance(exc, gzip.BadGzipFile):
        not_gzip = str(exc).startswith(("Not a gzipped file", "Unknown compression method"))
        return Message("detail.not_gzip" if not_gzip else "detail.gzip_damaged", text=text)
    if isinstance(exc, zlib.error):
        return Message("detail.gzip_damaged", text=text)
    if isinstance(exc, OSError) and exc.errno in _OS_DETAILS:
        return Message(_OS_DETAILS[exc.errno], text=text)
    return text


def cannot_read(label: str, exc: BaseException) -> InputError:
    """The error for a file that cannot be read; a damaged or cut-short gzip file is
    downloaded again (its bytes are not all there)."""
    detail = read_detail(exc)
    damaged = isinstance(detail, Message) and detail.key.startswith("detail.gzip")
    hint = Message("hint.download_again") if damaged else None
    return InputError(Message("error.cannot_read", file=label, detail=detail), hint)


def _open_bytes(path: Path) -> io.BufferedIOBase:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def split_header(line: str, label: str) -> tuple[str, list[str]]:
    """The delimiter (a tab when the line has more tabs than commas, else a comma) and the
    fields of a header line; the one place the delimiter is guessed."""
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    try:
        return delimiter, next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KiB limit
        raise InputError(
            Message("error.not_a_header", file=label, detail=Verbatim(str(exc))),
            Message("hint.not_a_header"),
        ) from exc


def read_header(path: Path) -> CsvHeader:
    """Parse the first line of a UTF-8 file; error clearly on empty or undecodable input."""
    if not path.exists():
        raise InputError(Message("error.file_not_found", file=str(path)))
    if path.is_dir():
        raise InputError(Message("error.directory_not_csv", file=str(path)))
    try:
        compression = "gzip" if is_gzip(path) else "none"
        with _open_bytes(path) as fh:
            first = fh.readline(MAX_HEADER_BYTES)
            body = fh.read(1 << 16)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise cannot_read(str(path), exc) from exc
    cr = first.find(b"\r")
    if 0 <= cr < len(first.rstrip(b"\r\n")):  # lines end with CR alone (classic Mac)
        first, body = first[: cr + 1], first[cr + 1 :] + body
    elif len(first) == MAX_HEADER_BYTES and not first.endswith(b"\n"):
        raise _header_too_long(str(path))
    if not first.strip():
        raise InputError(Message("error.empty_file", file=str(path)), Message("hint.empty_file"))
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(
            Message(
                "error.line1_not_utf8",
                file=str(path),
                byte=Verbatim(str(exc.start)),
                value=Verbatim(repr(first[exc.start : exc.start + 1])),
            ),
            ENCODING_HINT,
        ) from exc
    text = text.rstrip("\r\n")
    delimiter, fields = split_header(text, str(path))
    columns = [c.strip() for c in fields]
    return CsvHeader(path, columns, delimiter, has_body=bool(body.strip()), compression=compression)


#: The longest line (bytes, after decompression) svc reads; a longer one is an error.
#: DuckDB's own limit (``max_line_size``): DuckDB 2.0.1 reports a longer line with its
#: line number as long as the line fits in one of its read buffers (32 MB), but a line
#: longer than a buffer is read as no row at all when it is the last line, and anywhere
#: in a typed read that stores rejects (a line in between fails with no line number). So
#: every CSV DuckDB reads is also checked here (``check_line_lengths``), beside
#: DuckDB's read of a canonical CSV (``LineCheck``), before it for a decoded export.
MAX_LINE_BYTES = 2_000_000
#: How far a line too long is followed to say how long it is (then "over …").
MEASURE_BYTES = 64 * 1024 * 1024
_SCAN_BYTES = 8 * 1024 * 1024
_GZIP_READ = 1 << 20  # compressed bytes read at a time
_PROBE_BYTES = 64 * 1024  # read back from a window's end for its last line end


class LineTooLongError(InputError):
    """A line over ``MAX_LINE_BYTES``: no other reading of the file can succeed."""


def _stream(path: Path) -> Generator[bytes, None, None]:
    """The file's bytes (decompressed when it is gzip, every member) in chunks of at most
    ``_SCAN_BYTES``: bounded memory, a gzip bomb is never expanded whole. The inflate of
    ISA-L or zlib itself (each checks a member's CRC), not ``gzip.open``: a copy less per
    chunk."""
    with open(path, "rb") as fh:
        if fh.read(2) != GZIP_MAGIC:
            fh.seek(0)
            while chunk := fh.read(_SCAN_BYTES):
                yield chunk
            return
        fh.seek(0)
        inflate = _gzip_member()
        member = False  # inside a member: its end must come before the file's
        data = b""
        while True:
            if not data:
                data = fh.read(_GZIP_READ)
                if not data:
                    break
            if not member:  # between members: gzip allows zero bytes of padding
                data = data.lstrip(b"\0")
                if not data:
                    continue
                if len(data) < 2:
                    data += fh.read(1)
                if data[:2] != GZIP_MAGIC:  # zlib says "incorrect header check"; ISA-L waits
                    raise zlib.error("bytes after the last gzip member that are not gzip")
                member = True
            out = inflate.decompress(data, _SCAN_BYTES)
            if out:
                yield out
            if inflate.eof:
                data, member = inflate.unused_data, False
                inflate = _gzip_member()
            else:
                data = inflate.unconsumed_tail
                while not data and (out := inflate.decompress(b"", _SCAN_BYTES)):
                    yield out  # output zlib still held when the input ran out
        if member:
            raise EOFError(GZIP_TRUNCATED)


class _IsalMember:
    """ISA-L's decompressor of a gzip member (``isal`` installed: ~2× zlib's speed, the
    same output) with zlib's interface: its errors are raised as ``zlib.error`` (their
    words differ from zlib's)."""

    def __init__(self, isal_zlib: Any) -> None:
        self._inflate, self._error = isal_zlib.decompressobj(wbits=31), isal_zlib.error

    def decompress(self, data: bytes, max_length: int) -> bytes:
        try:
            return self._inflate.decompress(data, max_length)
        except self._error as exc:
            raise zlib.error(str(exc)) from None

    @property
    def eof(self) -> bool:
        return self._inflate.eof

    @property
    def unused_data(self) -> bytes:
        return self._inflate.unused_data

    @property
    def unconsumed_tail(self) -> bytes:
        return self._inflate.unconsumed_tail


@functools.cache
def _isal_zlib() -> Any:
    """ISA-L's zlib module, or None where ``isal`` is not installed (looked for once)."""
    try:
        from isal import isal_zlib
    except ImportError:
        return None
    return isal_zlib


def _gzip_member() -> Any:
    """A decompressor of one gzip member: ISA-L's when installed, else zlib's."""
    isal_zlib = _isal_zlib()
    return zlib.decompressobj(wbits=31) if isal_zlib is None else _IsalMember(isal_zlib)


def _no_line_over(path: Path, limit: int) -> bool:
    """Whether a plain file has no line longer than ``limit``, read sparsely: from the
    start of a line, the last line end in the next ``limit + 1`` bytes starts the next
    jump; it is looked for from the window's end back, ``_PROBE_BYTES`` at a time, so a
    file of short lines is read ~``_PROBE_BYTES`` per ``limit`` bytes (a GB: 5 ms, where
    reading every byte took 0.15 s of the kernel's copying). False also when it is gzip,
    or changes while read: ``check_line_lengths`` then streams it."""
    with open(path, "rb", buffering=0) as fh:
        size = os.fstat(fh.fileno()).st_size
        if fh.read(2) == GZIP_MAGIC:
            return False
        pos = 0  # the start of a line
        while size - pos > limit:
            end = pos + limit + 1  # a line end must be in [pos, end)
            while end > pos:
                start = max(pos, end - _PROBE_BYTES)
                block = os.pread(fh.fileno(), end - start, start)
                if len(block) != end - start:
                    return False  # the file shrank
                found = block.rfind(b"\n")
                if found >= 0:
                    pos = start + found + 1
                    break
                end = start
            else:
                return False
        return True


def check_line_lengths(
    path: Path, label: str, limit: int = MAX_LINE_BYTES, stop: threading.Event | None = None
) -> None:
    """Raise a clear error at the first line of the file (decompressed when it is gzip)
    longer than ``limit``; return early once ``stop`` is set. A plain file is read
    sparsely first (``_no_line_over``), streamed only when that finds a line too long."""
    try:
        if _no_line_over(path, limit):
            return
    except OSError as exc:
        raise cannot_read(label, exc) from exc
    offset = 0  # bytes before the current chunk
    run = 0  # bytes since the last line end, before the current chunk
    try:
        chunks = _stream(path)
        for chunk in chunks:
            if stop is not None and stop.is_set():
                return
            run, pos = _line_ends(chunk, run, limit)
            if pos >= 0:
                length = _measure(chunks, chunk, pos, run)
                raise _too_long(label, _line_at(path, offset + pos), limit, length)
            offset += len(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise cannot_read(label, exc) from exc


def _line_ends(chunk: bytes, run: int, limit: int) -> tuple[int, int]:
    """Jump through ``chunk`` from line end to line end, at most ``limit`` bytes apart
    (a few ``rfind`` calls per ``limit`` bytes). ``run``: the bytes of the current line
    before the chunk. Returns the bytes of the line the chunk ends in and -1; or, at a
    line longer than ``limit``, ``run`` and the position in ``chunk`` its rest starts at."""
    pos = 0
    while True:
        window = limit - run
        end = chunk.rfind(b"\n", pos, pos + window + 1)
        if end >= 0:
            run, pos = 0, end + 1
            continue
        if len(chunk) - pos > window:
            return run, pos
        return run + len(chunk) - pos, -1


def _line_at(path: Path, offset: int) -> int:
    """The line (from 1) of the byte at ``offset``: the file read again up to there (only
    once a line too long is found, so the scan itself counts nothing)."""
    newlines = 0
    for chunk in _stream(path):
        newlines += chunk.count(b"\n", 0, offset)
        offset -= len(chunk)
        if offset <= 0:
            break
    return newlines + 1


def _measure(chunks: Iterator[bytes], chunk: bytes, pos: int, run: int) -> int | None:
    """The length of the line from ``chunk[pos:]`` on (``run`` bytes before it), read up
    to ``MEASURE_BYTES``; None when it is longer."""
    last = b""  # the byte before ``chunk``
    while True:
        end = chunk.find(b"\n", pos)
        if end >= 0:
            before = chunk[end - 1 : end] if end > pos else last
            return run + end - pos - (1 if before == b"\r" else 0)
        run += len(chunk) - pos
        if run > MEASURE_BYTES:
            return None
        last, chunk, pos = chunk[-1:], next(chunks, b""), 0
        if not chunk:
            return run


def _too_long(label: str, line: int, limit: int, length: int | None) -> InputError:
    """A line too long: ``length`` bytes, or over ``MEASURE_BYTES`` (None)."""
    key, size = (
        ("error.line_length", length) if length is not None else ("error.line_over", MEASURE_BYTES)
    )
    message = Message(key, file=f"{label}:{line}", length=f"{size:,}", limit=f"{limit:,}")
    return LineTooLongError(message, Message("hint.line_too_long"))


class LineCheck:
    """``check_line_lengths`` of a canonical CSV in a thread of its own, while DuckDB reads
    the same file (the inflate and DuckDB both run without Python's lock). The thread
    runs at the lowest priority (on Linux): it takes what DuckDB's threads leave of the
    cores (a gzip read is mostly one thread) instead of slowing them down, ~5% of a
    ``.csv.gz`` load. ``on_error`` (the connection's ``interrupt``) stops that read as
    soon as a line too long is found. Use as a context manager around the read: on
    leaving, it waits for the scan and raises the line too long in place of whatever the
    read did, so the result is the same as a scan before the read."""

    def __init__(self, path: Path, label: str, on_error: Callable[[], None]) -> None:
        self.path, self.label = path, label
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._on_error: Callable[[], None] | None = on_error
        self._thread = threading.Thread(target=self._run, name="svc-line-check", daemon=True)

    def _run(self) -> None:
        with contextlib.suppress(OSError, AttributeError):  # Linux: a thread's own nice
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        try:
            check_line_lengths(self.path, self.label, stop=self._stop)
        except BaseException as exc:  # raised in the reading thread by ``__exit__``
            self.error = exc
            with self._lock:
                if self._on_error is not None:
                    self._on_error()

    def __enter__(self) -> LineCheck:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if exc is not None and not isinstance(exc, Exception):  # Ctrl-C: no waiting
            self._stop.set()
        self._thread.join()
        with self._lock:
            self._on_error = None  # no interrupt of a later statement
        if self.error is not None and not self._stop.is_set():
            raise self.error from exc


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


SAMPLE_BYTES = 256 * 1024
BLOCK_BYTES = 4 * 1024 * 1024
# Sniff order: UTF-8 (±BOM) → GB18030 → cp1252 → cp932.
CANDIDATES = ("gb18030", "cp1252", "cp932")
PLAUSIBLE = 0.9  # share of plausible non-ASCII characters a guess needs
UTF8 = {"utf-8", "utf8", "utf_8", "u8"}
UTF8_SIG = {"utf-8-sig", "utf_8_sig", "utf8-sig"}
ENCODING_HINT = Message("hint.encoding")
HEADER_STRIP = " \t\r\n\u3000\ufeff\"'"
#: What a cell is trimmed of: whitespace (Unicode's White_Space: spaces, tabs, line ends,
#: the no-break and ideographic spaces …) and the byte-order mark (files joined with cat).
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
WHITESPACE += "\u2028\u2029\u202f\u205f\u3000"
CELL_STRIP = WHITESPACE + "\ufeff"
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


#: Rows per batch a file is read and mapped in: memory is bounded by a batch, not the file.
BATCH_ROWS = 200_000
#: Batches of a file's rows: String columns named by the headers, plus ``_line``.
Batches = Generator["pl.DataFrame", None, None]


@dataclass
class RawTable:
    """A source file read as text, in batches (``batches``) of at most ``BATCH_ROWS``
    rows: String columns named by ``headers`` + ``_line`` (Int64), in file order. Reading
    it again reads the file again; ``cleanup`` deletes the decoded copy, if any."""

    label: str  # the name used in messages (the file name as given)
    kind: str  # csv | tsv | xlsx
    encoding: str  # the text encoding used, or "xlsx"
    headers: list[str]  # cleaned headers, in file order
    read: Callable[[duckdb.DuckDBPyConnection, int], Batches]
    warnings: list[str] = field(default_factory=list)
    text: Path | None = None  # a decoded UTF-8 copy owned by this table
    bom: bool = True  # a cell may hold a byte-order mark (False: decoding saw none)

    def batches(self, con: duckdb.DuckDBPyConnection, rows: int = BATCH_ROWS) -> Batches:
        """The rows, batch by batch (DuckDB ``con`` reads CSV text as a stream)."""
        return self.read(con, rows)

    def frame(self) -> pl.DataFrame:
        """Every row in one frame (small files: tests, ``svc inspect``)."""
        import duckdb
        import polars as pl

        with duckdb.connect() as con:
            frames = list(self.batches(con))
        return pl.concat(frames) if frames else _empty(self.headers)

    def cleanup(self) -> None:
        if self.text is not None:
            tempfiles.discard(self.text)
            self.text = None


def _empty(headers: list[str]) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(
        schema={**{h: pl.String for h in headers}, "_line": pl.Int64},
    )


@dataclass
class Spooled:
    """A local, seekable copy of the input (stdin is spooled to a temp file)."""

    path: Path
    label: str
    temp: bool
    gzipped: bool
    excel: bool

    def open(self) -> BinaryIO:
        if self.gzipped:
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")

    def cleanup(self) -> None:
        if self.temp:
            tempfiles.discard(self.path)
            self.temp = False


def spool(path: Path) -> Spooled:
    """Check the input exists; copy stdin (``-``) or a pipe (``<(zcat …)``, which can be
    read only once) to a temp file; sniff gzip/Excel magic."""
    label = str(path)
    temp = label == "-" or (path.exists() and not path.is_file() and not path.is_dir())
    if temp:
        copy = tempfiles.create("svc-input-")  # anonymous: no crash leaves it
        with tempfiles.open_new(copy) as out:
            if label == "-":
                shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
                label = "<stdin>"
            else:
                with open(path, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        path = copy
    elif not path.exists():
        raise InputError(Message("error.file_not_found", file=label))
    elif path.is_dir():
        raise InputError(Message("error.directory_not_export", file=label))
    with open(path, "rb") as fh:
        magic = fh.read(4)
    gzipped = magic[:2] == GZIP_MAGIC
    excel = magic in EXCEL_MAGIC
    return Spooled(path, label, temp, gzipped, excel)


def read_sample(src: Spooled, size: int = SAMPLE_BYTES) -> bytes:
    """The first ``size`` bytes (decompressed); refuses a first line longer than that (no
    header is: a gzip bomb of one line is never decompressed further)."""
    try:
        with src.open() as fh:
            sample = fh.read(size)
            if len(sample) >= size and b"\n" not in sample and b"\r" not in sample:
                sample += fh.readline(MAX_HEADER_BYTES - len(sample))  # a wide header
    except (OSError, EOFError) as exc:
        raise cannot_read(src.label, exc) from exc
    if len(sample) >= MAX_HEADER_BYTES and b"\n" not in sample and b"\r" not in sample:
        raise _header_too_long(src.label)
    return sample


def _header_too_long(label: str) -> InputError:
    limit = f"{MAX_HEADER_BYTES >> 20}"
    return InputError(
        Message("error.header_too_long", file=label, limit=limit), Message("hint.not_a_header")
    )


# --- encodings ------------------------------------------------------------------------


def _valid_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise InputError(
            Message("error.no_such_encoding", name=Verbatim(repr(encoding))),
            Message("hint.encoding_examples"),
        ) from exc
    return "utf-8-sig" if encoding.lower() in UTF8_SIG else name


def _decode_prefix(sample: bytes, encoding: str) -> str | None:
    """Decode a sample that may end inside a character; None if it is not ``encoding``."""
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return None


_CP1252_PUNCT = set("\u00a0‘’“”–—…•€£¥©®°·«»¿¡ªº")


def _plausible(ch: str, before: str, after: str, encoding: str) -> bool:
    """Would this character, between these neighbours, be normal in text written in
    ``encoding``? Misread text gives characters of the wrong script, or characters in
    places the real script does not put them (a lone hanzi between Latin letters,
    curly quotes glued to other non-ASCII symbols)."""
    o = ord(ch)
    if ch.isspace():  # a no-break or ideographic space (padding) is normal in any text
        return True
    if encoding in ("gb18030", "cp932"):
        if before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
            return False  # 'Cr鑝e': a Latin accent read as half of a double-byte char
        if encoding == "gb18030":
            if o > 0xFFFF:  # emoji, rare hanzi: 4-byte sequences no other text forms by chance
                return True
            try:  # GB2312: the common hanzi and symbols
                ch.encode("gb2312")
                return True
            except UnicodeEncodeError:
                return False
        return (
            0x3000 <= o <= 0x30FF  # CJK punctuation, hiragana, katakana
            or 0x4E00 <= o <= 0x9FFF
            or 0xFF01 <= o <= 0xFF5E  # full-width ASCII (not half-width katakana)
        )
    # cp1252: Western letters, and punctuation that stands next to ASCII
    if 0xC0 <= o <= 0x17F and ch not in "×÷":
        return True
    if ch in _CP1252_PUNCT or unicodedata.category(ch) == "Sc":
        return before.isascii() and after.isascii()
    return False


def plausibility(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are plausible in ``encoding``
    (on the first 64k characters)."""
    text = text[:65536]
    total = good = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        total += 1
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        good += _plausible(ch, before, after, encoding)
    return good / total if total else 1.0


def _mixed_utf8(sample: bytes) -> tuple[int, bool] | None:
    """In a sample that mixes clearly UTF-8 lines (≥ 3 non-ASCII characters) with lines
    that are not UTF-8: the line where the encoding changes (the first line whose kind
    differs from the first non-ASCII line's), and whether the earlier lines are UTF-8;
    else None."""
    kinds: list[tuple[int, bool]] = []  # (line, is UTF-8) of the telling lines
    for number, line in enumerate(sample.split(b"\n")[:-1], 1):
        if max(line, default=0) < 0x80:
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            kinds.append((number, False))
            continue
        if sum(ord(c) > 0x7F for c in text) >= 3:
            kinds.append((number, True))
    if not kinds or all(utf8 == kinds[0][1] for _, utf8 in kinds):
        return None
    first_utf8 = kinds[0][1]
    changed = next(number for number, utf8 in kinds if utf8 != first_utf8)
    return changed, first_utf8


def sniff_encoding(sample: bytes, label: str) -> str:
    """Pick the encoding of a text sample (UTF-8 ±BOM → GB18030 → cp1252 → cp932)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decode_prefix(sample, "utf-8") is not None:
        return "utf-8"
    mixed = _mixed_utf8(sample)
    if mixed:
        line, utf8_first = mixed
        key = "error.mixed_utf8_first" if utf8_first else "error.mixed_utf8_later"
        raise InputError(
            Message(key, file=f"{label}:{line}", line=str(line)), Message("hint.mixed_encodings")
        )
    scores: dict[str, float] = {}
    for encoding in CANDIDATES:
        text = _decode_prefix(sample, encoding)
        if text is None:
            continue
        scores[encoding] = plausibility(text, encoding)
        if scores[encoding] >= PLAUSIBLE:
            return encoding
    for encoding in CANDIDATES:  # an encoding's text but for a few bytes: name them
        if encoding not in scores and (bad := _few_bad_bytes(sample, encoding)) is not None:
            offset, rest = bad
            raise _decode_error(label, encoding, sample[:offset].count(b"\n") + 1, rest)
    best = max(scores, key=scores.__getitem__) if scores else None
    if best is None:
        raise InputError(Message("error.unknown_encoding", file=label), ENCODING_HINT)
    share = f"{scores[best]:.0%}"
    guess = Message("error.guessed_encoding", file=label, encoding=Verbatim(best), share=share)
    raise InputError(guess, ENCODING_HINT)


def _few_bad_bytes(sample: bytes, encoding: str) -> tuple[int, bytes] | None:
    """Where the first bad byte is when ``sample`` reads as plausible ``encoding`` text
    but for a few bytes (a damaged or hand-edited export): its offset and the bytes from
    it. None when it is not such a text."""
    text = codecs.getincrementaldecoder(encoding)("replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    if not 0 < bad <= max(3, len(text) // 10_000):
        return None
    if plausibility(text.replace("\ufffd", ""), encoding) < PLAUSIBLE:
        return None
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError as exc:
        return exc.start, exc.object[exc.start :]
    return None


def decode_small(data: bytes, encoding: str | None, label: str) -> tuple[str, str]:
    """The text of a small file read whole (the shops file), and its encoding: the one
    given, else the one its bytes show (``sniff_encoding``), as an export's would be; a
    byte that is not of it is an error naming the file and line."""
    chosen = _valid_encoding(encoding) if encoding else sniff_encoding(data[:SAMPLE_BYTES], label)
    try:  # a byte-order mark is not part of the first column's name
        return data.decode("utf-8-sig" if chosen == "utf-8" else chosen), chosen
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _decode_error(label, chosen, line, data[exc.start :]) from None


def check_forced_encoding(sample: bytes, encoding: str, label: str) -> list[str]:
    """Warn when a given encoding decodes the text into implausible characters while
    another encoding reads it cleanly (the classic GBK-read-as-cp1252 mojibake)."""
    if encoding in ("utf-8", "utf-8-sig", "utf-16"):
        return []
    text = _decode_prefix(sample, encoding)
    if text is None or plausibility(text, encoding) >= PLAUSIBLE:
        return []
    try:
        better = sniff_encoding(sample, label)
    except InputError:
        return []
    if better == encoding:
        return []
    return [Message("encoding_suspect", file=label, encoding=encoding, better=better)]


def _decode_error(label: str, encoding: str, line: int, bad: bytes) -> InputError:
    return InputError(
        Message(
            "error.not_encoding",
            file=label,
            line=str(line),
            encoding=Verbatim(encoding),
            bytes=Verbatim(repr(bytes(bad[:4]))),
        ),
        Message("hint.bad_bytes", encoding=Verbatim(encoding)),
    )


@dataclass
class TextSeen:
    """What decoding a text saw of the UTF-8 bytes DuckDB reads: their line ends, and
    whether a byte-order mark is inside (``clean_cells`` trims faster without one)."""

    crlf: bool = False  # a line ends in CRLF
    lf: bool = False  # a line ends in a bare LF
    too_long: bool = False  # a line is over MAX_LINE_BYTES (``check_line_lengths`` says which)
    bom: bool = False  # a U+FEFF inside the text (files joined with cat)
    _run: int = 0  # bytes since the last line end

    @property
    def mixed(self) -> bool:
        """Both CRLF and bare LF: each is a line end (see ``mixed_newlines``)."""
        return self.crlf and self.lf

    def merge(self, crlf: bool, lf: bool, too_long: bool, bom: bool) -> None:
        """What decoding a later part of the text saw."""
        self.crlf, self.lf = self.crlf or crlf, self.lf or lf
        self.too_long, self.bom = self.too_long or too_long, self.bom or bom

    def see(self, text: bytes, bom: bool = True) -> None:
        """The next bytes of the text (a whole number of lines but maybe the last: no
        CRLF is split). ``bom`` False: they cannot hold a byte-order mark."""
        if not self.too_long:
            self._run, pos = _line_ends(text, self._run, MAX_LINE_BYTES)
            self.too_long = pos >= 0
        self.bom = self.bom or (bom and codecs.BOM_UTF8 in text)
        if self.mixed:
            return
        if b"\r" in text:  # a search for one byte is fast, a count is not
            crlf = text.count(b"\r\n")
            self.crlf = self.crlf or crlf > 0
            self.lf = self.lf or text.count(b"\n") > crlf
        else:
            self.lf = self.lf or b"\n" in text


def decode_stream(src: Spooled, encoding: str, out: BinaryIO | None) -> TextSeen:
    """Decode the whole input strictly, block by block (blocks end on a newline, which
    no multi-byte character of these encodings contains), writing it UTF-8 encoded to
    ``out``. With ``out`` None the input is only validated (it is what DuckDB reads).
    One pass: the line ends are seen on the way (no other read of the text needs to).
    A large plain file is decoded in parts at once, one per core (``_decode_parts``)."""
    ends = TextSeen()
    if encoding in ("utf-16",):  # newline splitting is not byte-safe here
        with src.open() as fh:
            data = fh.read()
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n\x00") + 1
            raise _decode_error(src.label, encoding, line, exc.object[exc.start :]) from exc
        if out is not None:
            encoded = text.encode("utf-8")
            ends.see(encoded)
            out.write(encoded)
        return ends
    try:
        parts = _split(src) if out is not None else []
        if out is not None and parts:
            _decode_parts(src, encoding, out, ends, parts)
        else:
            with src.open() as fh:
                decode_blocks(fh, None, encoding, out, ends, 0, encoding == "utf-8-sig")
    except Undecodable as exc:
        line = _source_line(src, exc.offset)
        if exc.too_long:
            limit = f"{MAX_LINE_BYTES:,}"
            raise LineTooLongError(
                Message("error.line_over", file=f"{src.label}:{line}", length=limit, limit=limit),
                Message("hint.line_too_long"),
            ) from None
        cut = _cut_short(src, exc.offset, encoding)
        if cut is not None:
            raise InputError(
                Message(
                    "error.cut_in_character",
                    file=f"{src.label}:{line}",
                    bytes=Verbatim(repr(cut)),
                    encoding=Verbatim(encoding),
                ),
                Message("hint.download_again"),
            ) from None
        raise _decode_error(src.label, encoding, line, exc.bad) from None
    return ends


def _cut_short(src: Spooled, offset: int, encoding: str) -> bytes | None:
    """The bytes from ``offset`` to the end of the source, when they begin a character
    the file ends before (a download cut short); else None (only for an error: a gzip
    source is decompressed again up to there)."""
    with src.open() as fh:
        fh.seek(offset)
        rest = fh.read(8)
    if not rest or len(rest) >= 4 or b"\n" in rest:  # no character is 4 bytes and cut
        return None
    if encoding in UTF8 | UTF8_SIG:  # its decoder knows a character's start when it sees one
        return rest if _decode_prefix(rest, "utf-8") is not None else None
    # the one or two bytes that would finish it, tried (~30 ms at worst)
    ones = (bytes([a]) for a in range(256))
    twos = (bytes([a, b]) for a in range(256) for b in range(256))
    return (
        rest if any(native_decode.decodes(rest + end, encoding) for end in (*ones, *twos)) else None
    )


class Undecodable(Exception):
    """Where decoding stopped, as a byte offset in the source: bytes that are not of the
    encoding (``bad``, the first of them), or a line over ``MAX_LINE_BYTES``."""

    def __init__(self, offset: int, bad: bytes = b"", too_long: bool = False) -> None:
        super().__init__(offset)
        self.offset, self.bad, self.too_long = offset, bad, too_long


def decode_blocks(
    fh: BinaryIO,
    end: int | None,
    encoding: str,
    out: BinaryIO | None,
    ends: TextSeen,
    offset: int,
    strip_bom: bool = False,
) -> None:
    """Decode ``fh`` from its position (source byte ``offset``, a line start) up to
    byte ``end`` (None: to its end) into ``out``; raises ``Undecodable``."""
    decode = codecs.getdecoder(encoding)
    subset = SUBSET_CODECS.get(encoding)
    fast = codecs.getdecoder(subset) if subset else None
    carry = b""
    while True:
        want = BLOCK_BYTES if end is None else min(BLOCK_BYTES, end - offset - len(carry))
        block = fh.read(want) if want > 0 else b""
        data = carry + block
        if block:
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                if len(data) > MAX_LINE_BYTES:  # never hold a huge line in memory
                    raise Undecodable(offset, too_long=True)
                carry = data
                continue
            data, carry = data[:cut], data[cut:]
        else:
            carry = b""
        skipped = 0
        if strip_bom:
            skipped = len(data)
            data = data.removeprefix(codecs.BOM_UTF8)
            skipped -= len(data)
            strip_bom = False
        encoded = native_decode.decoded(data, encoding) if out is not None else None
        native = encoded is not None
        if encoded is None:
            try:
                text = _decoded(data, decode, fast)
            except UnicodeDecodeError as exc:
                raise Undecodable(offset + skipped + exc.start, exc.object[exc.start :]) from None
            encoded = data if out is None else text.encode("utf-8")
        ends.see(encoded, bom=not native)
        if out is not None:
            out.write(encoded)
        offset += skipped + len(data)
        if not block:
            return


#: A faster codec that decodes every text it accepts as the encoding does (GBK: each of
#: its codes, tests/test_presets.py): tried first on each block, the encoding itself on a
#: block it refuses (GB18030's four-byte codes). Python's ``gbk`` is ~30% faster.
SUBSET_CODECS = {"gb18030": "gbk"}


def _decoded(
    data: bytes,
    decode: Callable[[bytes], tuple[str, int]],
    fast: Callable[[bytes], tuple[str, int]] | None,
) -> str:
    if fast is not None:
        try:
            return fast(data)[0]
        except UnicodeDecodeError:
            pass
    return decode(data)[0]


def _append(src: BinaryIO, out: BinaryIO) -> None:
    """Copy ``src`` to ``out`` (both at their descriptors' offsets, ``out`` flushed): in
    the kernel where it can, else (or from where the kernel stopped) through Python."""
    try:
        while os.copy_file_range(src.fileno(), out.fileno(), 1 << 30):
            pass
    except (AttributeError, OSError):  # not Linux, or a file system that cannot
        shutil.copyfileobj(src, out, BLOCK_BYTES)


#: A plain file this large is decoded in parts at once, each of at least this size.
PART_BYTES = 32 * 1024 * 1024


def _cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _split(src: Spooled) -> list[tuple[int, int]]:
    """Byte ranges of the source that start on a line, one per core (none for a small
    or gzip file): decoded at once by ``_decode_parts``."""
    if src.gzipped:
        return []
    size = os.path.getsize(src.path)
    count = min(_cores(), size // PART_BYTES)
    if count < 2:
        return []
    starts = [0]
    with open(src.path, "rb") as fh:
        for i in range(1, count):
            at = max(i * size // count, starts[-1])
            fh.seek(at)
            newline = fh.read(MAX_LINE_BYTES).find(b"\n")  # no line end near: no cut here
            if newline >= 0 and at + newline + 1 < size:
                starts.append(at + newline + 1)
    return list(zip(starts, [*starts[1:], size], strict=True))


def _decode_parts(
    src: Spooled, encoding: str, out: BinaryIO, ends: TextSeen, parts: list[tuple[int, int]]
) -> None:
    """Decode the first part here while a worker process (``svc_cli.decode_part``)
    decodes each other part into an anonymous file of its own; then append those in
    order. A worker that fails in any other way than on the text is replaced by
    decoding its part here."""
    import json
    import subprocess

    fd = tempfiles.fd_of(src.path)
    workers: list[tuple[subprocess.Popen[bytes] | None, Path, tuple[int, int]]] = []
    try:
        for start, stop in parts[1:]:
            tmp = tempfiles.create("svc-utf8-part-", ".csv")
            with tempfiles.open_new(tmp) as part_out:
                try:
                    proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "svc_cli.decode_part",
                            str(src.path),
                            str(start),
                            str(stop),
                            encoding,
                        ],
                        stdin=subprocess.DEVNULL,
                        stdout=part_out,
                        stderr=subprocess.PIPE,
                        pass_fds=() if fd is None else (fd,),
                    )
                except OSError:  # no interpreter to start: decoded here
                    proc = None
            workers.append((proc, tmp, (start, stop)))
        with src.open() as fh:
            decode_blocks(fh, parts[0][1], encoding, out, ends, 0, encoding == "utf-8-sig")
        for proc, tmp, (start, stop) in workers:
            result = None
            if proc is not None:
                report = proc.communicate()[1]
                if proc.returncode == 0:
                    result = json.loads(report)
            if result is None:  # the worker failed: its part decoded here
                with src.open() as fh:
                    fh.seek(start)
                    decode_blocks(fh, stop, encoding, out, ends, start)
                continue
            if "offset" in result:
                raise Undecodable(
                    result["offset"], bytes.fromhex(result["bad"]), result["too_long"]
                )
            ends.merge(result["crlf"], result["lf"], result["too_long"], result["bom"])
            out.flush()
            with open(tmp, "rb") as part_in:
                _append(part_in, out)
    finally:
        for proc, tmp, _range in workers:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
            tempfiles.discard(tmp)


def _source_line(src: Spooled, offset: int) -> int:
    """The line (from 1) of the source byte at ``offset``: read again up to there (only
    for an error, so decoding counts no lines)."""
    newlines = 0
    with src.open() as fh:
        while offset > 0 and (chunk := fh.read(min(offset, BLOCK_BYTES))):
            newlines += chunk.count(b"\n")
            offset -= len(chunk)
    return newlines + 1


# --- CSV / TSV --------------------------------------------------------------------------


def clean_header(name: str) -> str:
    """Strip spaces, tabs, U+3000, the BOM and the ="…" wrapper from a header."""
    name = name.strip(HEADER_STRIP)
    if name.startswith('="') or name.startswith("="):
        name = name.lstrip("=").strip('"')
    return name.strip(HEADER_STRIP)


def _check_headers(label: str, headers: list[str]) -> None:
    if not any(headers):
        raise InputError(Message("error.empty_header", file=label), Message("hint.empty_header"))
    seen: dict[str, int] = {}
    for i, name in enumerate(headers):
        key = name.casefold()
        if key and key in seen:
            raise InputError(
                Message(
                    "error.column_twice",
                    file=label,
                    column=Verbatim(repr(name)),
                    first=str(seen[key] + 1),
                    second=str(i + 1),
                ),
                Message("hint.column_twice"),
            )
        seen[key] = i


def _first_line(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.readline()


def tail_check(path: Path, label: str, ncols: int, delimiter: str) -> None:
    """A file cut short ends without a newline, inside its last record."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    if not tail or tail.endswith((b"\n", b"\r")):
        return
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    fields = next(csv.reader([last], delimiter=delimiter), [])
    if last.count('"') % 2 or len(fields) < ncols:
        with open(path, "rb") as fh:
            lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")) + 1
        raise _fields_error(
            "error.truncated", "hint.download_again", label, lines, len(fields), ncols
        )


def _fields_error(key: str, hint: str, label: str, line: int, count: int, ncols: int) -> InputError:
    """A record of ``count`` fields, at ``line``, where the header has ``ncols``."""
    params = {"line": str(line), "count": str(count), "columns": str(ncols)}
    return InputError(Message(key, file=label, **params), Message(hint))


def _locate_csv_error(path: Path, label: str, ncols: int, delimiter: str) -> InputError:
    """On a parse error only: find the first record whose field count is wrong."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader, None)
        start = 2
        for row in reader:
            if len(row) != ncols and any(row):
                return _fields_error(
                    "error.field_count", "hint.field_count", label, start, len(row), ncols
                )
            start = reader.line_num + 1
    return InputError(
        Message("error.quote_not_closed", file=label), Message("hint.quote_not_closed")
    )


def _with_lines(frame: pl.DataFrame, names: list[str], first: int) -> tuple[pl.DataFrame, int]:
    """Add ``_line``: the line each record starts on (the first on line ``first``),
    counting the newlines inside quoted cells; and the line the next record starts on."""
    import polars as pl

    if frame.height == 0:
        return frame.with_columns(_line=pl.lit(None, pl.Int64)), first
    # counting is cheaper than ``contains`` (no early exit to check per cell)
    has_newlines = frame.select(
        pl.col(n).str.count_matches("\n", literal=True).sum().alias(f"c{i}")
        for i, n in enumerate(names)
    ).row(0)
    multiline = [n for n, has in zip(names, has_newlines, strict=True) if has]
    if not multiline:
        frame = frame.with_columns(_line=pl.int_range(first, first + frame.height, dtype=pl.Int64))
        return frame, first + frame.height
    newlines = pl.sum_horizontal(
        pl.col(n).str.count_matches("\n", literal=True).fill_null(0).cast(pl.Int64)
        for n in multiline
    )
    lines = (1 + newlines).cum_sum()
    frame = frame.with_columns(_line=(lines.shift(1, fill_value=0) + first).cast(pl.Int64))
    return frame, first + int(frame.select(lines.last()).item())


def _csv_batches(
    path: Path, label: str, headers: list[str], delimiter: str, lenient: bool
) -> Callable[[duckdb.DuckDBPyConnection, int], Batches]:
    """Read a UTF-8 CSV's rows with DuckDB, as a stream of batches: every column as
    text, strict about quotes and field counts (a malformed record is located by
    ``_locate_csv_error``). ``lenient``: the file mixes CRLF and LF (each is a line end)."""
    from svc_cli.stage import csv_error, read_csv_sql

    names = [name or f"column_{i + 1}" for i, name in enumerate(headers)]

    def read(con: duckdb.DuckDBPyConnection, rows: int) -> Batches:
        import duckdb
        import polars as pl

        header = CsvHeader(path, headers, delimiter, True, mixed_newlines=lenient)
        cursor = con.cursor()  # its own stream, beside the load's statements
        try:
            # text as string views, Polars' own layout: taken over without a conversion
            cursor.execute("SET SESSION produce_arrow_string_view = true")
            result = cursor.sql("SELECT * FROM " + read_csv_sql(header), params={"path": str(path)})
            line = 2
            # DuckDB's own chunks (~45,000 rows): gathering them to ``rows`` was no faster
            # and held 0.4 GB more at 5 M rows
            for batch in result.to_arrow_reader(rows):
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
                frame, line = _with_lines(frame, names, line)
                yield frame
        except duckdb.Error as exc:
            error = csv_error(label, exc)
            if isinstance(error, LineTooLongError) or "not UTF-8" in error.message:
                raise error from exc
            raise _locate_csv_error(path, label, len(headers), delimiter) from exc
        finally:
            cursor.close()

    return read


def read_text(src: Spooled, encoding: str | None) -> RawTable:
    """Open a CSV/TSV (plain or gzip) with a sniffed or given encoding: the encoding,
    header and structure are checked here, streaming; the rows are read in batches."""
    sample = read_sample(src)
    if not sample.strip():
        raise InputError(Message("error.empty_file", file=src.label), Message("hint.empty_file"))
    warnings: list[str] = []
    if encoding:
        encoding = _valid_encoding(encoding)
        warnings += check_forced_encoding(sample, encoding, src.label)
    else:
        encoding = sniff_encoding(sample, src.label)
    tmp: Path | None = None
    try:
        if src.gzipped or encoding not in ("utf-8",):
            tmp = tempfiles.create("svc-utf8-", ".csv")  # anonymous: no crash leaves it
            with tempfiles.open_new(tmp) as out:
                ends = decode_stream(src, encoding, out)
            text_path = tmp
        else:
            ends = decode_stream(src, encoding, None)
            text_path = src.path
        line = _first_line(text_path).rstrip("\r\n")
        delimiter, fields = split_header(line, src.label)
        headers = [clean_header(h) for h in fields]
        _check_headers(src.label, headers)
        if ends.too_long:  # which line, and how long
            check_line_lengths(text_path, src.label, MAX_LINE_BYTES)
        tail_check(text_path, src.label, len(headers), delimiter)
        read = _csv_batches(text_path, src.label, headers, delimiter, ends.mixed)
    except BaseException:
        if tmp is not None:
            tempfiles.discard(tmp)
        raise
    names = [name or f"column_{i + 1}" for i, name in enumerate(headers)]
    kind = "tsv" if delimiter == "\t" else "csv"
    return RawTable(src.label, kind, encoding, names, read, warnings, text=tmp, bom=ends.bom)


def read_headers(src: Spooled, encoding: str | None) -> tuple[list[str], str]:
    """Only the cleaned header and the encoding (for detection; reads a sample)."""
    if src.excel:
        frame = _excel_frame(src, n_rows=1)
        headers = [clean_header(str(v or "")) for v in frame.row(0)] if frame.height else []
        return headers, "xlsx"
    sample = read_sample(src)
    if not sample.strip():
        raise InputError(Message("error.empty_file", file=src.label), Message("hint.empty_file"))
    encoding = _valid_encoding(encoding) if encoding else sniff_encoding(sample, src.label)
    first = sample.split(b"\n", 1)[0]
    try:
        line = codecs.getincrementaldecoder(encoding)("strict").decode(first, final=False)
    except UnicodeDecodeError as exc:
        raise _decode_error(src.label, encoding, 1, exc.object[exc.start :]) from exc
    line = line.lstrip("\ufeff").rstrip("\r\n")
    return [clean_header(h) for h in split_header(line, src.label)[1]], encoding


# --- Excel ------------------------------------------------------------------------------


#: An .xlsx is a zip: refuse one whose parts would unpack to more than this, or that
#: compresses better than any real workbook (a zip bomb), before reading it.
XLSX_MAX_UNPACKED = 2 << 30
XLSX_MAX_RATIO = 200


def _check_zip(src: Spooled) -> None:
    try:
        with zipfile.ZipFile(src.path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        return  # an .xls (not a zip), or a damaged file: the reader says what is wrong
    unpacked = sum(p.file_size for p in parts)
    packed = max(1, sum(p.compress_size for p in parts))
    if unpacked > XLSX_MAX_UNPACKED or unpacked / packed > XLSX_MAX_RATIO:
        raise InputError(
            Message(
                "error.zip_bomb",
                file=src.label,
                unpacked=Verbatim(f"{unpacked:,}"),
                packed=Verbatim(f"{packed:,}"),
            ),
            Message("hint.zip_bomb"),
        )


def _excel_frame(src: Spooled, n_rows: int | None = None) -> pl.DataFrame:
    import polars as pl

    _check_zip(src)
    try:
        frame = pl.read_excel(
            src.path,
            engine="calamine",
            sheet_id=1,
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            drop_empty_cols=False,
            raise_if_empty=False,
            read_options={"n_rows": n_rows} if n_rows else None,
        )
    except Exception as exc:  # fastexcel raises its own exception types
        raise InputError(
            Message("error.cannot_read_workbook", file=src.label, detail=Verbatim(str(exc))),
            Message("hint.cannot_read_workbook"),
        ) from exc
    return frame


#: A number cell (no type, or ``t="n"``) of an .xlsx sheet whose value has 16 or more
#: digits before the point: (column letters, row, attributes, value).
_LONG_NUMBER_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"([^>]*)>\s*<v>([-+]?(?:\d{16,}|\d(?:\.\d*)?[eE]\+?(?:1[5-9]|[2-9]\d|\d{3,})))[.<]'
)
#: The text a number cell of 16+ digits comes back as (calamine writes out the double).
_LONG_DIGITS = r"^[-+]?\d{16,}$"


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part name of an .xlsx's first sheet (the one read), from the workbook's
    relationships; ``xl/worksheets/sheet1.xml`` when they cannot be followed."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
        first = re.search(rb'<sheet\b[^>]*\br:id="([^"]+)"', workbook)
        target = first and re.search(
            rb'<Relationship\b(?=[^>]*\bId="' + re.escape(first[1]) + rb'")[^>]*\bTarget="([^"]+)"',
            rels,
        )
    except KeyError:
        target = None
    if not target:
        return "xl/worksheets/sheet1.xml"
    name = target[1].decode()
    return name.lstrip("/") if name.startswith("/") else "xl/" + name


def _first_long_number(path: Path) -> tuple[str, int, str] | None:
    """(column letters, row, value) of the first number cell of 16+ digits in an .xlsx's
    first sheet, streaming its XML; None for none, or for an .xls (not a zip)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(_first_sheet(archive)) as sheet:
            tail = b""
            while chunk := sheet.read(1 << 24):
                data = tail + chunk
                for cell in _LONG_NUMBER_CELL.finditer(data):
                    if b' t="' not in cell[3] or b' t="n"' in cell[3]:
                        return cell[1].decode(), int(cell[2]), cell[4].decode()
                tail = data[data.rfind(b"<c ") :]
    except (zipfile.BadZipFile, KeyError):
        return None
    return None


def _check_long_numbers(src: Spooled, frame: pl.DataFrame, names: list[str]) -> None:
    """Refuse an id stored as a number of 16+ digits: Excel keeps 15 significant
    digits (and a reader a double's 15–17), so its last digits are lost. Looked for in
    the sheet's XML only when a cell reads as that many digits (a text id may too)."""
    import polars as pl

    if frame.select(pl.any_horizontal(pl.col(names).str.contains(_LONG_DIGITS).any())).item():
        found = _first_long_number(src.path)
        if found is not None:
            letters, row, value = found
            index = functools.reduce(lambda n, ch: n * 26 + ord(ch) - 64, letters, 0) - 1
            column = names[index] if index < len(names) else letters
            raise InputError(
                Message(
                    "error.long_number_cell",
                    file=src.label,
                    line=str(row),
                    column=Verbatim(column),
                    value=Verbatim(value),
                ),
                Message("hint.long_number_cell"),
            )


def read_excel(src: Spooled) -> RawTable:
    """First sheet of an .xlsx/.xls; the first row is the header; cells read as text
    (date cells come back as ``YYYY-MM-DD HH:MM:SS``)."""
    import polars as pl

    frame = _excel_frame(src)
    if frame.height == 0:
        raise InputError(Message("error.empty_sheet", file=src.label))
    headers = [clean_header("" if v is None else str(v)) for v in frame.row(0)]
    while headers and not headers[-1]:
        headers.pop()
    _check_headers(src.label, headers)
    frame = frame.select(frame.columns[: len(headers)])
    names = [h or f"column_{i + 1}" for i, h in enumerate(headers)]
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    _check_long_numbers(src, frame.slice(1), names)
    frame = frame.with_columns(_line=pl.int_range(1, frame.height + 1, dtype=pl.Int64)).slice(1)
    frame = frame.with_columns(pl.col(names).cast(pl.String))
    frame = frame.filter(~pl.all_horizontal(pl.col(names).is_null()))

    def read(_con: duckdb.DuckDBPyConnection, rows: int) -> Batches:
        yield from frame.iter_slices(rows)

    return RawTable(src.label, "xlsx", "xlsx", names, read)


def read_any(src: Spooled, encoding: str | None) -> RawTable:
    return read_excel(src) if src.excel else read_text(src, encoding)


def clean_cells(frame: pl.DataFrame, names: list[str], bom: bool = True) -> pl.DataFrame:
    """Vectorised cell clean-up for every column: trim ``CELL_STRIP``, unwrap ``="…"``,
    drop a leading ``'`` before digits or +, empty → null. The unwrapping runs only on
    the columns that have such cells (usually an id column or two). ``bom`` False: no
    cell holds a byte-order mark, so whitespace alone is trimmed (much faster in Polars
    than a set of characters, with the same result)."""
    import polars as pl

    def trimmed(c: pl.Expr) -> pl.Expr:
        return c.str.strip_chars(CELL_STRIP) if bom else c.str.strip_chars()

    frame = frame.with_columns(trimmed(pl.col(n)) for n in names)
    has = (
        frame.select(
            *(pl.col(n).str.starts_with("=").any().alias(f"w{i}") for i, n in enumerate(names)),
            *(pl.col(n).str.starts_with("'").any().alias(f"q{i}") for i, n in enumerate(names)),
            *(pl.col(n).str.len_bytes().min().alias(f"e{i}") for i, n in enumerate(names)),
        ).row(0)
        if frame.height
        else (False,) * (3 * len(names))
    )
    k = len(names)
    exprs = []
    for i, name in enumerate(names):
        wrapped, quoted, empty = has[i], has[k + i], has[2 * k + i] == 0
        c = pl.col(name)
        if wrapped:  # ="…" on one line (no regex: the whole id column is often wrapped)
            c = (
                pl.when(
                    c.str.starts_with('="')
                    & c.str.ends_with('"')
                    & (c.str.len_bytes() >= 3)
                    & ~c.str.contains("\n", literal=True)
                )
                .then(c.str.slice(2, c.str.len_chars() - 3))
                .otherwise(c)
            )
        if quoted:
            c = c.str.replace(r"^'([+\d])", "$1")
        if wrapped or quoted:
            c = trimmed(c)
        if wrapped or quoted or empty:
            exprs.append(pl.when(c.str.len_bytes() == 0).then(None).otherwise(c).alias(name))
    return frame.with_columns(exprs)
