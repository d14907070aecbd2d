"""The line-length check every canonical CSV gets (``svc_cli.read``): the stream it reads
(plain or gzip, member by member), the line it names, and ``LineCheck``, the check run
beside DuckDB's read of the same file."""

from __future__ import annotations

import gzip
import io
import random
import threading
import zlib
from pathlib import Path

import pytest

from svc_cli import read
from svc_cli.errors import InputError
from svc_cli.read import LineCheck, LineTooLongError, check_line_lengths


@pytest.fixture(params=["isal", "zlib"])
def small_chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 bytes (compressed reads of 5): every line crosses chunk boundaries.
    Gzip members decompressed by ISA-L (installed with svc) and by zlib (without it)."""
    monkeypatch.setattr(read, "_SCAN_BYTES", 7)
    monkeypatch.setattr(read, "_GZIP_READ", 5)
    monkeypatch.setattr(read, "_PROBE_BYTES", 3)
    _inflate_with(request.param, monkeypatch)


def _inflate_with(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if name == "zlib":
        monkeypatch.setattr(read, "_gzip_member", lambda: zlib.decompressobj(wbits=31))
    else:
        pytest.importorskip("isal")  # installed with svc on CPython
        assert isinstance(read._gzip_member(), read._IsalMember)


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


@pytest.mark.parametrize("probe", [1, 3, 64])
def test_a_plain_file_read_sparsely_has_no_line_over_the_limit_exactly_when_it_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, probe: int
) -> None:
    """``_no_line_over`` reads a few bytes per jump: it must agree with every line's
    length (the bytes before its line end, a CR included; the last line too)."""
    monkeypatch.setattr(read, "_PROBE_BYTES", probe)
    rng = random.Random(probe)
    path = tmp_path / "f.csv"
    for _ in range(300):
        lines = [b"x" * rng.choice([0, 1, 5, 7, 8, 8, 9, 12]) for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.3:
            lines = [line[:-1] + b"\r" if line else line for line in lines]
        data = b"\n".join(lines) + rng.choice([b"", b"\n"])
        path.write_bytes(data)
        longest = max(len(line) for line in data.split(b"\n"))
        assert read._no_line_over(path, 8) is (longest <= 8), data


@pytest.mark.parametrize("inflate", ["isal", "zlib"])
def test_a_truncated_or_damaged_gzip_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inflate: str
) -> None:
    _inflate_with(inflate, monkeypatch)
    whole = gzip.compress(b"a,b\n1,2\n" * 1000, mtime=0)
    for name, data, why in [
        ("cut.gz", whole[:-4], "truncated"),
        ("junk.gz", whole + b"junk", "bytes after the last gzip member that are not gzip"),
        ("flip.gz", whole[:30] + bytes([whole[30] ^ 0xFF]) + whole[31:], None),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as caught:
            check_line_lengths(path, name)
        assert caught.value.message.startswith(f"{name}: cannot read file")
        if why is None:  # damaged: zlib and ISA-L say it in other words
            assert "truncated" not in caught.value.message
        else:
            assert why in caught.value.message
        assert "download the file again" in str(caught.value.hint)


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


# --- a decoded export: the line ends are seen while it is decoded ---------------------


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoded in blocks of 16 bytes; lines of at most 12 bytes (in UTF-8)."""
    monkeypatch.setattr(read, "BLOCK_BYTES", 16)
    monkeypatch.setattr(read, "MAX_LINE_BYTES", 12)


def _decoded(tmp_path: Path, data: bytes, encoding: str) -> tuple[read.TextSeen, bytes]:
    out = tmp_path / "out.csv"
    with open(out, "wb") as fh:
        ends = read.decode_stream(read.spool(_write(tmp_path / "in.csv", data, 0)), encoding, fh)
    return ends, out.read_bytes()


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    ("text", "crlf", "lf"),
    [
        ("a,b\n甲,乙\n丙,丁\n" * 3, False, True),
        ("a,b\r\n甲,乙\r\n丙,丁\r\n" * 3, True, False),
        ("a,b\r\n甲,乙\r\n丙,丁\r\n" * 3 + "戊,己\n", True, True),  # the LF in the last block
        ("a,b\r\n甲,乙", True, False),  # no line end at the end
    ],
)
def test_decoding_sees_crlf_and_lf(tmp_path: Path, text: str, crlf: bool, lf: bool) -> None:
    ends, out = _decoded(tmp_path, text.encode("gb18030"), "gb18030")
    assert out == text.encode()
    assert (ends.crlf, ends.lf, ends.mixed, ends.too_long) == (crlf, lf, crlf and lf, False)


@pytest.mark.usefixtures("small_blocks")
def test_a_line_is_too_long_in_the_utf8_that_duckdb_reads(tmp_path: Path) -> None:
    # 4 characters: 8 bytes of GB18030 (within 12), 12 of UTF-8 (the limit): passes
    assert not _decoded(tmp_path, "a,b\n甲乙丙丁\n".encode("gb18030"), "gb18030")[0].too_long
    # 5 characters: 10 bytes of GB18030, 15 of UTF-8: too long
    ends, _ = _decoded(tmp_path, "a,b\n甲乙丙丁戊\nc,d\n".encode("gb18030"), "gb18030")
    assert ends.too_long


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_decoding_error_names_its_line_blocks_later(tmp_path: Path, bom: bytes) -> None:
    data = bom + b"".join(b"row %d\n" % i for i in range(1, 9)) + b"bad \xff\nrow 10\n"
    with pytest.raises(InputError) as caught:
        _decoded(tmp_path, data, "utf-8-sig" if bom else "utf-8")
    assert caught.value.message.startswith(f"{tmp_path / 'in.csv'}:9: bytes that are not utf-8")


def test_a_gb18030_export_with_a_line_too_long_in_utf8_is_refused_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "MAX_LINE_BYTES", 64)
    header = "order,buyer,amount,status,created\n"
    row = "1001,张三,10.00,交易成功,2025-06-01 10:00:00\n"
    long_row = "1002,一二三四五六七八九十,10.00,交易成功,2025-06-01 10:00:00\n"
    path = tmp_path / "taobao.csv"
    path.write_bytes((header + row + long_row + row).encode("gb18030"))
    assert len(long_row.encode("gb18030")) <= 65 < len(long_row.encode())
    with pytest.raises(LineTooLongError) as caught:
        read.read_text(read.spool(path), None)
    assert caught.value.message.startswith(f"{path}:3: the line is {len(long_row.encode()) - 1}")


# --- a large export is decoded in parts at once, one per core -------------------------


@pytest.fixture
def in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of at least 1 KiB, three of them (two decoded by worker processes)."""
    monkeypatch.setattr(read, "PART_BYTES", 1024)
    monkeypatch.setattr(read, "_cores", lambda: 3)


def _gb_rows(first: int, count: int, crlf: bool = False) -> bytes:
    end = "\r\n" if crlf else "\n"
    return "".join(f"{i},张三{i},交易成功{end}" for i in range(first, first + count)).encode(
        "gb18030"
    )


@pytest.mark.usefixtures("in_parts")
def test_parts_decoded_at_once_are_the_text_decoded_whole(tmp_path: Path) -> None:
    data = "order,buyer,status\n".encode("gb18030") + _gb_rows(1, 400)
    assert len(read._split(read.spool(_write(tmp_path / "in.csv", data, 0)))) == 3
    ends, out = _decoded(tmp_path, data, "gb18030")
    assert out == data.decode("gb18030").encode()
    assert (ends.crlf, ends.lf, ends.too_long) == (False, True, False)


@pytest.mark.usefixtures("in_parts")
def test_line_ends_seen_by_a_worker_count(tmp_path: Path) -> None:
    data = "order,buyer,status\n".encode("gb18030") + _gb_rows(1, 200) + _gb_rows(201, 200, True)
    ends, out = _decoded(tmp_path, data, "gb18030")
    assert out == data.decode("gb18030").encode()
    assert ends.mixed


@pytest.mark.usefixtures("in_parts")
def test_bad_bytes_in_a_later_part_are_named_by_their_line(tmp_path: Path) -> None:
    data = b"order,buyer,status\n" + _gb_rows(1, 300) + b"301,\x81\x20,x\n" + _gb_rows(302, 99)
    with pytest.raises(InputError) as caught:
        _decoded(tmp_path, data, "gb18030")
    assert caught.value.message.startswith(f"{tmp_path / 'in.csv'}:302: bytes that are not gb18030")


@pytest.mark.usefixtures("in_parts")
def test_the_first_bad_line_is_named_when_several_parts_have_one(tmp_path: Path) -> None:
    bad = b"0,\x81\x20,x\n"
    data = b"order,buyer,status\n" + _gb_rows(1, 20) + bad + _gb_rows(22, 300) + bad
    with pytest.raises(InputError, match=r"in\.csv:22: bytes that are not gb18030"):
        _decoded(tmp_path, data, "gb18030")


@pytest.mark.usefixtures("in_parts")
def test_parts_of_standard_input_are_decoded_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spooled stdin is an anonymous file: the workers read it through the descriptor."""
    data = "order,buyer,status\n".encode("gb18030") + _gb_rows(1, 400)
    monkeypatch.setattr(read.sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    src = read.spool(Path("-"))
    try:
        assert len(read._split(src)) == 3
        out = tmp_path / "out.csv"
        with open(out, "wb") as fh:
            read.decode_stream(src, "gb18030", fh)
    finally:
        src.cleanup()
    assert out.read_bytes() == data.decode("gb18030").encode()


@pytest.mark.usefixtures("in_parts")
def test_parts_are_decoded_here_when_no_worker_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read.sys, "executable", str(tmp_path / "no-python"))
    data = "order,buyer,status\n".encode("gb18030") + _gb_rows(1, 400)
    ends, out = _decoded(tmp_path, data, "gb18030")
    assert out == data.decode("gb18030").encode()
    assert not ends.mixed


@pytest.mark.usefixtures("in_parts")
def test_a_small_or_gzip_file_is_decoded_in_one_part(tmp_path: Path) -> None:
    data = "order,buyer,status\n".encode("gb18030") + _gb_rows(1, 400)
    assert read._split(read.spool(_write(tmp_path / "small.csv", data[:1000], 0))) == []
    assert read._split(read.spool(_write(tmp_path / "in.csv.gz", data, 1))) == []


@pytest.mark.usefixtures("in_parts")
def test_parts_are_appended_through_python_where_the_kernel_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system that refuses ``copy_file_range`` part-way: the rest is copied."""
    real = read.os.copy_file_range

    def partial(src: int, dst: int, count: int) -> int:
        if read.os.lseek(src, 0, read.os.SEEK_CUR) >= 100:
            raise OSError(18, "Invalid cross-device link")
        return real(src, dst, 100)

    monkeypatch.setattr(read.os, "copy_file_range", partial)
    data = "order,buyer,status\n".encode("gb18030") + _gb_rows(1, 400)
    assert _decoded(tmp_path, data, "gb18030")[1] == data.decode("gb18030").encode()
