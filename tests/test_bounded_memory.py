"""Hostile inputs end in a load or a clear error with bounded memory (issue 10).

Each case runs ``svc --memory-limit 1GB load`` in a subprocess on a generated input and
measures that process's peak RSS (``wait4``: this child only, not earlier ones). The
inputs are small on disk (gzip members repeated) but expand to far more than the bound
would allow a whole-file read; no case asserts a duration.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DATA, GOLDEN

ROOT = Path(__file__).resolve().parent.parent
PEAK_RSS_BOUND = 1536 * 1024 * 1024  # 1.5 GiB under --memory-limit 1GB
LINES = (GOLDEN / "orders.csv").read_text(encoding="utf-8").splitlines(keepends=True)
HEADER, ROW = LINES[0].encode(), LINES[1].encode()


def _load(db: Path, path: Path, tmp_path: Path, *extra: str) -> tuple[int, str, int]:
    """Exit code, stderr and peak RSS (bytes) of ``svc --memory-limit 1GB load DB PATH``."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    args = ["--memory-limit", "1GB", "load", str(db), str(path), *extra]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "svc_cli", *args],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "SVC_DEBUG": ""},
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err.read_text(encoding="utf-8"), usage.ru_maxrss * 1024


def _gzip_repeated(path: Path, head: bytes, block: bytes, times: int) -> Path:
    """``head`` then ``block`` ``times`` over, as gzip members: a small file that
    decompresses to ``len(block) * times`` bytes."""
    member = gzip.compress(block, compresslevel=6, mtime=0)
    with path.open("wb") as fh:
        fh.write(gzip.compress(head, mtime=0))
        for _ in range(times):
            fh.write(member)
    return path


def _refused_clearly(code: int, stderr: str, peak: int, *needles: str) -> None:
    assert code == 2, stderr  # a usage/input error, never 1 ("internal error … report it")
    assert "internal error" not in stderr
    for needle in needles:
        assert needle in stderr, stderr
    assert peak < PEAK_RSS_BOUND, f"peak RSS {peak >> 20} MiB"


def test_gzip_bomb_of_one_huge_line_after_the_header(tmp_path: Path) -> None:
    """1 GiB of one line in about 1 MB of gzip: refused while streaming."""
    path = _gzip_repeated(tmp_path / "bomb.csv.gz", HEADER, b"a" * (64 << 20), 16)
    assert path.stat().st_size < 2_000_000
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    _refused_clearly(code, stderr, peak, "bomb.csv.gz:2: the line is over", "2,000,000 bytes")
    assert not (tmp_path / "shop.duckdb").exists()


def test_gzip_bomb_of_one_huge_line_without_a_header(tmp_path: Path) -> None:
    path = _gzip_repeated(tmp_path / "oneline.csv.gz", b"", b"a" * (64 << 20), 16)
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    _refused_clearly(code, stderr, peak, "oneline.csv.gz: line 1 is longer than 1 MiB")


def test_a_plain_file_whose_last_line_is_huge(tmp_path: Path) -> None:
    path = tmp_path / "last.csv"
    with path.open("wb") as fh:
        fh.write(HEADER + ROW)
        for _ in range(16):
            fh.write(b"z" * (8 << 20))
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    _refused_clearly(code, stderr, peak, "last.csv:3: the line is over 67,108,864 bytes")


@pytest.mark.parametrize("rows", [2_000_000])
def test_millions_of_copies_of_one_row_load_as_one(tmp_path: Path, rows: int) -> None:
    """One row repeated (a few hundred MB of CSV from a 1 MB .gz): read by DuckDB from the
    .gz, the copies dropped by aggregation (the window functions this replaced ran out
    of memory under --memory-limit 1GB: "internal error")."""
    path = _gzip_repeated(tmp_path / "dups.csv.gz", HEADER, ROW * 100_000, rows // 100_000)
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    assert code == 0, stderr
    assert peak < PEAK_RSS_BOUND, f"peak RSS {peak >> 20} MiB"
    import duckdb

    with duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (1,)


def test_a_200_mb_gb18030_line(tmp_path: Path) -> None:
    """Decoded from GB18030 in Python as a stream; the long line is refused before the
    decoded text is read whole (was: a 1.7 GB peak and the line silently dropped)."""
    path = tmp_path / "gb.csv"
    with path.open("wb") as fh:
        fh.write(HEADER + ROW)
        block = ("商" * (1 << 20)).encode("gb18030")
        for _ in range(100):
            fh.write(block)
        fh.write(b"\n")
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path, "--encoding", "gb18030")
    _refused_clearly(code, stderr, peak, "gb.csv:3: the line is over")


PRESETS = DATA / "presets"
TAOBAO = (PRESETS / "taobao_orders_v1.csv").read_bytes().splitlines(keepends=True)
TAOBAO_ITEMS = (PRESETS / "taobao_items_v1.csv").read_bytes().splitlines(keepends=True)


def test_a_gbk_platform_export_of_half_a_million_rows_in_gzip(tmp_path: Path) -> None:
    """A Taobao order report (GBK, gzip, 56 columns) of 500,000 copies of one order:
    decoded as a stream and mapped batch by batch, it loads as one order (read whole by
    Polars, the report took 2.5 GB)."""
    path = _gzip_repeated(tmp_path / "taobao.csv.gz", TAOBAO[0], TAOBAO[1] * 50_000, 10)
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    assert code == 0, stderr
    assert peak < PEAK_RSS_BOUND, f"peak RSS {peak >> 20} MiB"
    import duckdb

    with duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True) as con:
        assert con.execute("SELECT order_id, amount FROM orders").fetchall() == [
            ("3851234567890123456", Decimal("128.50"))
        ]


def test_a_gzip_bomb_through_a_preset(tmp_path: Path) -> None:
    """A platform export whose second line is 1 GiB: refused while decoding."""
    path = _gzip_repeated(tmp_path / "bomb.csv.gz", TAOBAO[0], b"a" * (64 << 20), 16)
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    _refused_clearly(code, stderr, peak, "bomb.csv.gz:2: the line is over 2,000,000 bytes")


def test_an_order_of_a_million_line_items_is_refused(tmp_path: Path) -> None:
    """Line items are mapped one order at a time: an order with more rows than svc holds
    at once is a clear error, not an out-of-memory."""
    path = _gzip_repeated(tmp_path / "items.csv.gz", TAOBAO_ITEMS[0], TAOBAO_ITEMS[1] * 100_000, 2)
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path, "--shop", "s1")
    _refused_clearly(
        code, stderr, peak, "items.csv.gz:2: order '3851234567890123456' has more than 100,000"
    )


def test_a_platform_export_of_three_million_distinct_orders(tmp_path: Path) -> None:
    """A Taobao order report of 3 M distinct orders (gzip): mapped batch by batch and
    streamed into the stage, memory holds a batch, not the file (the mapped rows gathered
    in a temporary table inside the load's transaction peaked past 2 GB)."""
    import duckdb

    path = tmp_path / "taobao.csv.gz"
    with duckdb.connect() as con:
        con.execute(f"""COPY (
            SELECT '="' || (8000000000000000000 + i) || '"' AS 订单编号,
              'tb' || (i % 100003) AS 买家会员名, 's' || (i % 97) AS 店铺Id,
              ((i % 9000) / 100 + 1)::DECIMAL(10, 2) AS 买家实际支付金额,
              '交易成功' AS 订单状态,
              strftime(TIMESTAMP '2024-01-01' + to_minutes(i % 500000), '%Y-%m-%d %H:%M:%S')
                AS 订单创建时间,
              strftime(TIMESTAMP '2024-01-01' + to_minutes(i % 500000 + 5), '%Y-%m-%d %H:%M:%S')
                AS 订单付款时间,
              1 AS 宝贝总数量, '无退款申请' AS 退款金额, '' AS 订单关闭原因
            FROM range(3000000) t(i)) TO '{path}' (HEADER, COMPRESSION gzip)""")
    code, stderr, peak = _load(tmp_path / "shop.duckdb", path, tmp_path)
    assert code == 0, stderr
    assert peak < PEAK_RSS_BOUND, f"peak RSS {peak >> 20} MiB"
    with duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True) as con:
        assert con.execute(
            "SELECT count(*), count(DISTINCT shop_id), sum(amount) FROM orders"
        ).fetchone() == (3_000_000, 97, Decimal("137895000.00"))
