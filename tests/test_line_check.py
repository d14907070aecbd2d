"""The line-length check every canonical CSV gets (``svc_cli.read``): the stream it reads
(plain or gzip, member by member), the line it names, and ``LineCheck``, the check run
beside DuckDB's read of the same file."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

import pytest

from svc_cli import read
from svc_cli.errors import InputError
from svc_cli.read import LineCheck, LineTooLongError, check_line_lengths


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 bytes (compressed reads of 5): every line crosses chunk boundaries."""
    monkeypatch.setattr(read, "_SCAN_BYTES", 7)
    monkeypatch.setattr(read, "_GZIP_READ", 5)


def _write(path: Path, data: bytes, members: int = 1) -> Path:
    """``data`` plain, or as ``members`` gzip members (with zero padding between)."""
    if members == 0:
        path.write_bytes(data)
        return path
    step = -(-len(data) // members)
    parts = [gzip.compress(data[i : i + step], mtime=0) for i in range(0, len(data), step)]
    path.write_bytes(b"\0\0".join(parts))
    return path


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("members", [0, 1, 3])
def test_the_stream_is_the_whole_file_decompressed(tmp_path: Path, members: int) -> None:
    data = b"".join(b"line %d,%s\n" % (i, b"x" * (i % 13)) for i in range(500))
    path = _write(tmp_path / "f", data, members)
    chunks = list(read._stream(path))
    assert b"".join(chunks) == data
    assert max(len(c) for c in chunks) <= 7


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("members", [0, 1, 3])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        # lines 1-3 are 5, 10 and 5 bytes; line 2 is the first over 8
        (b"aaaaa\nbbbbbbbbbb\nccccc\n", "f:2: the line is 10 bytes long"),
        (b"aaaaa\r\nbbbbbbbbbb\r\nccccc\r\n", "f:2: the line is 10 bytes long"),
        (b"12345678\n12345678\n\n\n123456789", "f:5: the line is 9 bytes long"),
        (b"123456789\n", "f:1: the line is 9 bytes long"),
    ],
)
def test_the_first_line_too_long_is_named(
    tmp_path: Path, members: int, data: bytes, message: str
) -> None:
    path = _write(tmp_path / "f", data, members)
    with pytest.raises(LineTooLongError) as caught:
        check_line_lengths(path, "f", limit=8)
    assert caught.value.message.startswith(message)
    assert "at most 8 bytes" in caught.value.message


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("members", [0, 1, 3])
def test_lines_of_the_limit_pass(tmp_path: Path, members: int) -> None:
    path = _write(tmp_path / "f", b"12345678\n1234567\n\n12345678", members)
    check_line_lengths(path, "f", limit=8)


def test_a_truncated_or_damaged_gzip_cannot_be_read(tmp_path: Path) -> None:
    whole = gzip.compress(b"a,b\n1,2\n" * 1000, mtime=0)
    for name, data, why in [
        ("cut.gz", whole[:-4], "truncated"),
        ("junk.gz", whole + b"junk", "cannot read file"),
        ("flip.gz", whole[:30] + bytes([whole[30] ^ 0xFF]) + whole[31:], "cannot read file"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as caught:
            check_line_lengths(path, name)
        assert caught.value.message.startswith(f"{name}: cannot read file")
        assert why in caught.value.message


def _lines(path: Path, long_line: int | None) -> Path:
    rows = [b"x" * 10] * 100
    if long_line is not None:
        rows[long_line - 1] = b"y" * 3_000_000
    path.write_bytes(b"\n".join(rows) + b"\n")
    return path


def test_the_check_beside_a_read_replaces_the_reads_error(tmp_path: Path) -> None:
    """The line too long wins over whatever the read did (as when it was checked first),
    and the read is interrupted once (``on_error``)."""
    interrupts: list[str] = []
    path = _lines(tmp_path / "long.csv", 42)
    with (
        pytest.raises(LineTooLongError) as caught,
        LineCheck(path, "long.csv", lambda: interrupts.append("!")),
    ):
        raise InputError("long.csv:42: wrong number of fields")
    assert caught.value.message.startswith("long.csv:42: the line is 3,000,000 bytes long")
    assert interrupts == ["!"]
    with pytest.raises(LineTooLongError), LineCheck(path, "long.csv", lambda: None):
        pass  # a read that "succeeded" (a line DuckDB dropped) is refused all the same


def test_the_check_beside_a_read_keeps_the_reads_result(tmp_path: Path) -> None:
    path = _lines(tmp_path / "fine.csv", None)
    interrupts: list[str] = []
    with LineCheck(path, "fine.csv", lambda: interrupts.append("!")) as check:
        pass
    assert check.error is None and interrupts == []
    with pytest.raises(InputError, match=r"fine\.csv:7: wrong"), LineCheck(path, "fine.csv", print):
        raise InputError("fine.csv:7: wrong number of fields")


def test_the_check_stops_when_the_read_is_cancelled(tmp_path: Path) -> None:
    """Ctrl-C during the read: the check is told to stop, and nothing it found is raised
    in place of the KeyboardInterrupt."""
    path = _lines(tmp_path / "long.csv", 100)
    with pytest.raises(KeyboardInterrupt), LineCheck(path, "long.csv", lambda: None):
        raise KeyboardInterrupt
    assert not [t for t in threading.enumerate() if t.name == "svc-line-check"]
