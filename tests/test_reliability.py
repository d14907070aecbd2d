"""Faults, concurrency and hostile input: nothing lost, nothing leaked, no traceback."""

from __future__ import annotations

import csv
import errno
import gzip
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svc_cli import api, store
from svc_cli.errors import ExitCode, SvcError
from svc_cli.load_options import LoadOptions
from svc_cli.schema import DATA_TABLES, KEY_HASH
from tests.conftest import GOLDEN
from tests.factories import order, write_orders, write_shops
from tests.pausing import start_paused

SVC = [sys.executable, "-m", "svc_cli"]
TABLES = ("orders", "reviews", "chats", "shops", "svc_meta", "svc_loads")


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def count(db: Path, table: str = "orders") -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def golden_copy(tmp_path: Path) -> Path:
    db = tmp_path / "shop.duckdb"
    api.load(db, orders=GOLDEN / "orders.csv", shops=GOLDEN / "shops.csv")
    return db


# --- killed mid-load -----------------------------------------------------------------------
# Each kill lands at a known point (SVC_TEST_PAUSE_AT, svc_cli.testhook), never after a
# sleep: deterministic on a loaded 2-core machine. Run `-k kill` 20 times in a row to check.


@pytest.fixture(scope="module")
def some_orders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 orders of new shops (any size would do: the kill waits for a marker)."""
    path = tmp_path_factory.mktemp("some") / "orders.csv"
    duckdb.execute(f"""
        COPY (SELECT 'k' || i AS order_id, 'k' || (i % 7) AS shop_id, 'c' || i AS customer_id,
          TIMESTAMP '2025-05-01' + INTERVAL (i * 60) SECOND AS ordered_at,
          TIMESTAMP '2025-05-01' + INTERVAL (i * 60 + 30) SECOND AS paid_at,
          'paid' AS status
        FROM range(5000) t(i)) TO '{path}' (HEADER, timestampformat '%Y-%m-%d %H:%M:%S')""")
    return path


def _consistent(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:  # still one row per key
        dupes = con.execute(
            "SELECT count(*) - count(DISTINCT (shop_id, order_id)) FROM orders"
        ).fetchone()[0]
    assert dupes == 0


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_load_inside_its_transaction_changes_nothing(
    golden_copy: Path, some_orders: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    before = snapshot(golden_copy)
    proc, _marker = start_paused(
        ["load", golden_copy, some_orders, "-q"], "in-transaction", tmp_path
    )
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert snapshot(golden_copy) == before
    _consistent(golden_copy)
    assert "Traceback" not in err
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 130, err
        assert "nothing was loaded; the database is as it was" in err


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_load_after_its_commit_keeps_and_reports_it(
    golden_copy: Path, some_orders: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    before = count(golden_copy)
    args = ["load", golden_copy, some_orders, "-f", "json"]
    proc, marker = start_paused(args, "committed", tmp_path)
    proc.send_signal(sig)
    marker.unlink()  # let it go on (a SIGKILLed process is already gone)
    out, err = proc.communicate(timeout=120)
    assert count(golden_copy) == before + 5000
    _consistent(golden_copy)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        return
    assert proc.returncode == 0, err
    assert json.loads(out)["files"][0]["inserted"] == 5000  # the summary of what landed
    assert f"{sig.name} received while the load was committing: the load is complete" in err
    assert "Interrupted" not in err and "Traceback" not in err


# --- two processes on one database -------------------------------------------------------------

HOLD = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1], read_only=sys.argv[3:] == ['ro'])\n"
    "print('locked', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


def _hold_lock(db: Path, seconds: float, read_only: bool = False) -> subprocess.Popen[str]:
    mode = ["ro"] if read_only else []
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds), *mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_gives_up_with_a_clear_busy_error(golden_copy: Path) -> None:
    holder = _hold_lock(golden_copy, 600)  # held until killed: no race with a slow start
    try:
        result = subprocess.run(
            [*SVC, "load", str(golden_copy), str(GOLDEN / "orders.csv"), "--wait", "0.5"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 75
        assert "is busy (another svc is writing to it); waited 0.5 s" in result.stderr
        assert "--wait" in result.stderr and "Traceback" not in result.stderr
        reader = subprocess.run(
            [*SVC, "score", str(golden_copy), "--wait", "0.3"], capture_output=True, text=True
        )
        assert reader.returncode == 75
    finally:
        holder.kill()
        holder.wait()


def test_busy_error_says_a_reader_holds_the_database(golden_copy: Path) -> None:
    holder = _hold_lock(golden_copy, 60, read_only=True)
    try:
        result = subprocess.run(
            [*SVC, "load", str(golden_copy), str(GOLDEN / "orders.csv"), "--wait", "0.3"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 75
        assert "is busy (another svc is reading it); waited 0.3 s" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_waiting_reader_runs_once_the_writer_is_done(golden_copy: Path) -> None:
    holder = _hold_lock(golden_copy, 1.0)
    try:
        result = subprocess.run(
            [*SVC, "score", str(golden_copy), "-f", "json", "--wait", "20"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert '"shop_id": "0042"' in result.stdout
    finally:
        holder.wait()


def test_readers_share_the_database(golden_copy: Path) -> None:
    procs = [
        subprocess.Popen(
            [*SVC, "report", "repurchase", str(golden_copy), "-f", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)


# --- two first loads into one new database ----------------------------------------------------


def test_failed_first_load_never_removes_a_database_another_load_created(
    tmp_path: Path, some_orders: Path
) -> None:
    db = tmp_path / "new.duckdb"
    bad = write_orders(tmp_path / "bad.csv", [order("o1", "2025-06-01 10:00:00", amount="x")])
    failing, marker = start_paused(["load", db, bad], "load-started", tmp_path)
    api.load(db, orders=some_orders)  # the other load creates and commits the database
    marker.unlink()
    _, err = failing.communicate(timeout=120)
    assert failing.returncode == 2 and "invalid row" in err
    assert count(db) == 5000  # what the other load committed is still there
    assert sorted(p.name for p in tmp_path.iterdir() if "new.duckdb" in p.name) == ["new.duckdb"]


def test_two_first_loads_at_once_both_land(tmp_path: Path, some_orders: Path) -> None:
    db = tmp_path / "new.duckdb"
    other = write_orders(tmp_path / "other.csv", [order("x1", "2025-06-01 10:00:00", "x")])
    second, marker = start_paused(["load", db, other, "-q"], "before-publish", tmp_path)
    api.load(db, orders=some_orders)  # wins the race to create the database
    marker.unlink()  # the paused load finds a database and loads into it instead
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert count(db) == 5001
    assert sorted(p.name for p in tmp_path.iterdir() if "new.duckdb" in p.name) == ["new.duckdb"]


def test_a_killed_first_load_leaves_no_database_and_is_cleaned_up(
    tmp_path: Path, some_orders: Path
) -> None:
    db = tmp_path / "new.duckdb"
    proc, _marker = start_paused(["load", db, some_orders], "in-transaction", tmp_path)
    proc.kill()
    proc.wait()
    assert not db.exists()  # a half-built database has no name a reader could open
    api.load(db, orders=some_orders)  # the next load removes the dead one's leftovers
    assert sorted(p.name for p in tmp_path.iterdir() if "new.duckdb" in p.name) == ["new.duckdb"]


def test_first_load_into_a_missing_folder_names_the_folder(tmp_path: Path, run: Any) -> None:
    result = run("load", tmp_path / "nope" / "new.duckdb", GOLDEN / "orders.csv")
    assert result.exit_code == 2  # a wrong path, like `-o` into a missing folder
    assert f"folder {tmp_path / 'nope'} does not exist" in result.stderr
    assert ".new" not in result.stderr


# --- databases svc must not change -------------------------------------------------------------


def _tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        return {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall() for n in names}


@pytest.mark.parametrize("rows", [0, 2])
def test_another_programs_duckdb_file_is_refused_unchanged(
    tmp_path: Path, rows: int, run: Any
) -> None:
    db = tmp_path / "analytics.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE orders (id INT, total DOUBLE)")
        con.execute("CREATE TABLE customers (id INT)")
        con.execute(f"INSERT INTO orders SELECT i, i * 1.5 FROM range({rows}) t(i)")
    before = _tables(db)
    result = run("load", db, GOLDEN / "orders.csv")
    assert result.exit_code == 1
    assert "not an svc database (it holds customers, orders); nothing was changed" in (
        result.stderr
    )
    assert "internal error" not in result.stderr
    assert _tables(db) == before


def test_an_empty_duckdb_file_becomes_an_svc_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    api.load(db, orders=GOLDEN / "orders.csv")
    assert count(db) == 4421


def test_newer_database_is_refused_before_anything_is_created(tmp_path: Path, run: Any) -> None:
    db = tmp_path / "future.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE svc_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO svc_meta VALUES ('schema_version', '99')")
        con.execute("CREATE TABLE orders_v99 (x INT)")
    before = _tables(db)
    result = run("load", db, GOLDEN / "orders.csv")
    assert result.exit_code == 1 and "written by a newer svc (schema 99" in result.stderr
    assert _tables(db) == before  # no svc table was added


# --- damaged databases, full disks --------------------------------------------------------------


def test_disk_full_during_a_load_is_a_clear_error(golden_copy: Path, run: Any) -> None:
    before = snapshot(golden_copy)
    wal = Path(f"{golden_copy}.wal")
    wal.symlink_to("/dev/full")  # every write of the load's log fails with ENOSPC
    try:
        for _ in range(2):  # and the next try says the same, not "cannot rollback"
            result = run("load", golden_copy, GOLDEN / "chats.csv")
            assert result.exit_code == 1, result.stderr
            assert "No space left on device" in result.stderr
            assert "nothing was loaded; the database is as it was" in result.stderr
            assert "internal error" not in result.stderr and "rollback" not in result.stderr
    finally:
        wal.unlink()
    assert snapshot(golden_copy) == before


def test_daily_loads_that_free_blocks_at_the_end_of_the_file_go_on(tmp_path: Path) -> None:
    """A checkpoint cuts free blocks off the end of the file (DuckDB still counts them):
    that file is whole, and the next load takes it (it used to be called damaged on the
    third of these loads)."""
    db = tmp_path / "shop.duckdb"
    for day in range(1, 7):
        status = {"status": "paid"} if day % 2 else {"status": "shipped"}
        shipped = {} if day % 2 else {"shipped_at": "2025-06-02 09:00:00"}
        rows = [
            order(f"o{i}", "2025-06-01 10:00:00", **status, **shipped) for i in range(day * 500)
        ]
        result = api.load(db, orders=write_orders(tmp_path / f"day{day}.csv", rows))
        assert result.files[0].rows_read == day * 500
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), min(status) FROM orders").fetchone() == (
            3000,
            "shipped",
        )


@pytest.mark.parametrize("keep", [0.1, 0.5])
def test_truncated_database_is_a_clear_error(golden_copy: Path, keep: float, run: Any) -> None:
    data = golden_copy.read_bytes()
    golden_copy.write_bytes(data[: int(len(data) * keep)])
    for args in (
        ["score", golden_copy],
        ["info", golden_copy],
        ["load", golden_copy, GOLDEN / "orders.csv"],
    ):
        result = run(*args)
        assert result.exit_code == 1, result.stderr
        assert "is damaged" in result.stderr and "internal error" not in result.stderr
        assert "restore it from a backup" in result.stderr


# --- schema versions ---------------------------------------------------------------------------


def test_version_1_database_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        store.create_schema(con)
        con.execute("DROP TABLE svc_loads")
        con.execute(
            "CREATE TABLE svc_loads (loaded_at TIMESTAMP, table_name VARCHAR, "
            "file VARCHAR, sha256 VARCHAR, rows_read BIGINT, inserted BIGINT, "
            "updated BIGINT, unchanged BIGINT, rejected BIGINT)"
        )
        con.execute("UPDATE svc_meta SET value = '1' WHERE key = 'schema_version'")
    assert api.info(db)["schema_version"] == store.SCHEMA_VERSION
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [r[0] for r in con.execute("DESCRIBE svc_loads").fetchall()]
    assert "sha256" not in columns
    api.load(db, orders=GOLDEN / "orders.csv")
    assert count(db) == 4421


def _key_hashes_wrong(db: Path) -> int:
    """How many stored rows lack the hash of their id (``schema.KEY_HASH``)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return sum(
            con.execute(
                f"SELECT count(*) FILTER ({t.key_hash_sql()} IS DISTINCT FROM {KEY_HASH}) FROM {t.name}"
            ).fetchone()[0]
            for t in DATA_TABLES
        )


def test_version_4_database_gets_key_hashes_and_loads_merge(golden_copy: Path) -> None:
    with duckdb.connect(str(golden_copy)) as con:  # as schema 4: no key hashes
        for t in DATA_TABLES:
            con.execute(f"ALTER TABLE {t.name} DROP COLUMN {KEY_HASH}")
        con.execute("DELETE FROM svc_meta WHERE key = 'key_hash'")
        con.execute("UPDATE svc_meta SET value = '4' WHERE key = 'schema_version'")
    before = snapshot(golden_copy)["orders"]
    assert api.info(golden_copy)["schema_version"] == store.SCHEMA_VERSION
    assert _key_hashes_wrong(golden_copy) == 0
    result = api.load(golden_copy, orders=GOLDEN / "orders.csv")
    assert (result.files[0].inserted, result.files[0].unchanged) == (0, 4421)
    assert [row[:-1] for row in snapshot(golden_copy)["orders"]] == before


def test_key_hashes_of_another_duckdb_are_remade(golden_copy: Path, tmp_path: Path) -> None:
    """Were DuckDB's ``hash`` to change, the stored hashes would match no staged row and a
    load would store every order a second time: they are made again first."""
    with duckdb.connect(str(golden_copy)) as con:
        con.execute(f"UPDATE orders SET {KEY_HASH} = {KEY_HASH} // 2")
        con.execute("UPDATE svc_meta SET value = '12345' WHERE key = 'key_hash'")
    refunded = order(
        "9800516028182869828",  # the golden export's first order, completed
        "2024-12-12 08:24:29",
        shop_id="0042",
        ordered_at="2024-12-12 08:20:10",
        status="refunded",
        refund_amount="451.69",
        refund_reason="quality",
        refund_status="completed",
    )
    changed = write_orders(tmp_path / "o.csv", [refunded])
    result = api.load(golden_copy, orders=changed)
    assert (result.files[0].inserted, result.files[0].updated) == (0, 1)
    assert count(golden_copy) == 4421
    assert _key_hashes_wrong(golden_copy) == 0


def test_newer_database_is_refused_not_misread(golden_copy: Path) -> None:
    with duckdb.connect(str(golden_copy)) as con:
        con.execute("UPDATE svc_meta SET value = '99' WHERE key = 'schema_version'")
    for command in (
        ["score", str(golden_copy)],
        ["load", str(golden_copy), str(GOLDEN / "orders.csv")],
    ):
        result = subprocess.run([*SVC, *command], capture_output=True, text=True)
        assert result.returncode == 1
        assert "written by a newer svc (schema 99" in result.stderr
        assert "upgrade svc" in result.stderr


# --- outputs ------------------------------------------------------------------------------------


def test_disk_full_leaves_no_partial_output(
    golden_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    target = tmp_path / "score.json"
    target.write_text("previous report")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run("score", golden_copy, "-f", "json", "-o", target)
    assert result.exit_code == 1
    assert "No space left on device; nothing was written" in result.stderr
    assert target.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["score.json", "shop.duckdb"]


def test_output_path_that_is_not_writable(golden_copy: Path, tmp_path: Path, run: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("score", golden_copy, "-o", blocker / "score.json")
    assert result.exit_code == 2 and f"{blocker} is not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "shop.duckdb"]


def test_csv_output_escapes_formulas(tmp_path: Path, run: Any) -> None:
    db = tmp_path / "shop.duckdb"
    shops = write_shops(
        tmp_path / "shops.csv",
        [
            {"shop_id": "s1", "name": '=HYPERLINK("http://x","click")'},
            {"shop_id": "s2", "name": "@SUM(A1)"},
        ],
    )
    orders = write_orders(
        tmp_path / "orders.csv",
        [order("o1", "2025-06-01 10:00:00"), order("o2", "2025-06-01 10:00:00", "s2")],
    )
    assert run("load", db, orders, "--shops", shops).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run("info", db, "-f", "csv").stdout)))
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://x","click")', "'@SUM(A1)"]
    raw = run("--no-formula-escape", "info", db, "-f", "csv").stdout
    assert [r["name"] for r in csv.DictReader(io.StringIO(raw))][1] == "@SUM(A1)"


def test_output_to_a_device_fifo_or_stdout_is_written_in_place(
    golden_copy: Path, tmp_path: Path
) -> None:
    import stat
    import threading

    null_before = os.stat("/dev/null")
    done = subprocess.run([*SVC, "info", str(golden_copy), "-o", "/dev/null"], capture_output=True)
    assert done.returncode == 0, done.stderr
    after = os.stat("/dev/null")  # still the device (as root, it used to become a file)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == null_before.st_rdev
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    done = subprocess.run([*SVC, "info", str(golden_copy), "-f", "json", "-o", str(fifo)])
    reader.join(timeout=60)
    assert done.returncode == 0 and json.loads(received[0])["tables"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    out = subprocess.run(
        [*SVC, "info", str(golden_copy), "-f", "json", "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and json.loads(out.stdout)["tables"]


def test_output_through_a_symlink_writes_its_target(
    golden_copy: Path, tmp_path: Path, run: Any
) -> None:
    real = tmp_path / "reports" / "score.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert run("info", golden_copy, "-f", "json", "-o", link).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())["tables"]
    assert [p.name for p in real.parent.iterdir()] == ["score.json"]  # no temp file left


def test_output_keeps_permissions_and_follows_the_umask(
    golden_copy: Path, tmp_path: Path, run: Any
) -> None:
    shared = tmp_path / "shared.json"
    shared.write_text("old")
    shared.chmod(0o644)
    assert run("info", golden_copy, "-f", "json", "-o", shared).exit_code == 0
    assert shared.stat().st_mode & 0o777 == 0o644 and shared.read_text() != "old"
    old = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.json"
        assert run("info", golden_copy, "-o", fresh).exit_code == 0
    finally:
        os.umask(old)
    assert fresh.stat().st_mode & 0o777 == 0o640


# --- hostile input ------------------------------------------------------------------------------

PAYLOADS = ["x'); DROP TABLE orders; --", "s1' OR '1'='1", 'a"b', "$as_of", "\\x00"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sql_payloads_are_only_data(tmp_path: Path, payload: str, run: Any) -> None:
    folder = tmp_path / f"o'dd {payload[:3]!s}".replace("/", "_").replace("\\", "_")
    folder.mkdir()
    orders = write_orders(
        folder / "orders'; --.csv",
        [
            order(payload, "2025-06-01 10:00:00", shop_id=payload),
            order("ok", "2025-06-01 10:00:00", shop_id="s1"),
        ],
    )
    db = folder / "db'.duckdb"
    assert run("load", db, orders, "-q").exit_code == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert sorted(con.execute("SELECT shop_id, order_id FROM orders").fetchall()) == sorted(
            [(payload, payload), ("s1", "ok")]
        )
    result = run("score", db, "--shop", payload, "-f", "json")
    assert result.exit_code == 0
    assert [s["shop_id"] for s in json.loads(result.stdout)["shops"]] == [payload]
    unknown = run("score", db, "--shop", payload + "'--")
    assert unknown.exit_code == 2 and "unknown shop id" in unknown.stderr
    bad = write_orders(folder / "bad.csv", [order("o1", "2025-06-01", amount="x")])
    rejects = folder / "rejects ' dir"
    rejects.mkdir()
    assert run("load", db, bad, "--skip-invalid", "--rejects-dir", rejects).exit_code == 0
    assert (rejects / "bad.csv.rejects.csv").exists()


def _refused(db: Path, path: Path, *needles: str) -> None:
    before = snapshot(db)
    with pytest.raises(SvcError) as caught:
        api.load(db, orders=path)
    for needle in needles:
        assert needle in caught.value.message
    assert snapshot(db) == before


HEADER = (GOLDEN / "orders.csv").read_text(encoding="utf-8").splitlines()[0]


def test_ten_megabyte_line(golden_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(HEADER + "\n1,s1,c," + "x" * 10_000_000 + ",,,,,,,,,,,,,\n")
    _refused(golden_copy, path, "huge.csv")


def test_a_nul_byte_in_an_id_is_an_invalid_row(golden_copy: Path, tmp_path: Path) -> None:
    """A NUL byte is no text a merchant typed: a corrupt export. Stored, it would make an
    id that looks like o1 but matches no review or chat of o1; refused like any invalid
    value, with the file, line and column (and --skip-invalid to load the other rows)."""
    path = tmp_path / "nul.csv"
    path.write_bytes(
        (HEADER + "\n").encode() + b"o\x001,s1,,2025-06-01 10:00:00,2025-06-01 "
        b"10:00:00,,,1.00,1,,paid,0,,,,,false\n"
    )
    before = snapshot(golden_copy)
    with pytest.raises(SvcError) as caught:
        api.load(golden_copy, orders=path)
    assert caught.value.exit_code == ExitCode.USAGE
    assert "nul.csv:2: column 'order_id'" in caught.value.message
    assert "NUL" in caught.value.message
    assert snapshot(golden_copy) == before


def test_deeply_nested_quotes(golden_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text(HEADER + "\n" + '"' * 100_001 + ",s1\n")
    _refused(golden_copy, path, "quotes.csv")


def test_gzip_bomb_is_bounded(golden_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write((HEADER + "\n").encode())
        chunk = b"a" * (1 << 20)
        for _ in range(200):  # 200 MB of one line, a few hundred KB compressed
            fh.write(chunk)
    assert path.stat().st_size < 1_000_000
    _refused(golden_copy, path, "bomb.csv.gz")


def test_canonical_gzip_is_read_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB reads a canonical .csv.gz itself: no decompressed copy, not even anonymous,
    whatever the file's name (gzip is recognised by its magic bytes)."""
    from svc_cli import tempfiles

    def no_copy(*args: Any, **kwargs: Any) -> Path:
        raise AssertionError("a temporary copy was made")

    monkeypatch.setattr(tempfiles, "create", no_copy)
    rows = (GOLDEN / "orders.csv").read_bytes()
    for name in ("orders.csv.gz", "orders-export"):
        path = tmp_path / name
        path.write_bytes(gzip.compress(rows, mtime=0))
        db = tmp_path / f"{name}.duckdb"
        result = api.load(db, orders=path)
        assert result.files[0].preset == "canonical"
        assert result.files[0].rows_read == count(db) == rows.count(b"\n") - 1


def test_a_temporary_copy_is_written_without_truncating_it() -> None:
    """ext4 writes a file opened with O_TRUNC out to disk when it is closed (~0.25 s a
    GB, for a decoded copy no one keeps): ``open_new`` writes a new file from its start
    without truncating it."""
    from svc_cli import tempfiles

    path = tempfiles.create()
    try:
        with tempfiles.open_new(path) as fh:
            fh.write(b"abc")
        with tempfiles.open_new(path) as fh:
            fh.write(b"x")
        assert path.read_bytes() == b"xbc"
    finally:
        tempfiles.discard(path)


def test_gzip_line_too_long_names_file_line_and_limit(golden_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "long.csv.gz"
    body = (HEADER + "\n" + "o1,s1,c,x\n" * 3).encode() + b"y" * 5_000_000 + b"\no9,s1\n"
    path.write_bytes(gzip.compress(body, mtime=0))
    _refused(golden_copy, path, "long.csv.gz:5: the line is 5,000,000 bytes long", "2,000,000")


@pytest.mark.parametrize("end", [b"", b"\n"])
def test_a_huge_last_line_is_refused_not_dropped(
    golden_copy: Path, tmp_path: Path, end: bytes
) -> None:
    """DuckDB 2.0 reads a last line far over its limit as no row at all; svc refuses it."""
    path = tmp_path / "last.csv"
    path.write_bytes((HEADER + "\n").encode() + b"z" * 40_000_000 + end)
    _refused(golden_copy, path, "last.csv:2: the line is 40,000,000 bytes long")


GOLDEN_ROWS = (GOLDEN / "orders.csv").read_bytes().splitlines(keepends=True)[1:4]


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("after", [b"", GOLDEN_ROWS[2]])
def test_a_line_longer_than_duckdbs_read_buffer_is_refused(
    golden_copy: Path, tmp_path: Path, gz: bool, after: bytes
) -> None:
    """A 40 MB line (longer than one of DuckDB 2.0.1's 32 MB read buffers) between valid
    rows, or last: DuckDB's typed read, which stores rejects, reads it as no row at all
    and no reject, so svc's own line check (beside the read) must refuse the file."""
    long_row = GOLDEN_ROWS[1].replace(b",SKU-", b"," + b"k" * 40_000_000 + b"SKU-", 1)
    body = (HEADER + "\n").encode() + GOLDEN_ROWS[0] + long_row + after
    path = tmp_path / ("long.csv.gz" if gz else "long.csv")
    path.write_bytes(gzip.compress(body, compresslevel=1, mtime=0) if gz else body)
    length = len(long_row) - 1
    _refused(golden_copy, path, f"{path.name}:3: the line is {length:,} bytes long", "2,000,000")


def test_a_truncated_gzip_is_a_clear_error(golden_copy: Path, tmp_path: Path) -> None:
    rows = (GOLDEN / "orders.csv").read_bytes()
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(rows, mtime=0)[:-100])  # the last rows and the trailer
    _refused(golden_copy, path, "cut.csv.gz: cannot read file", "truncated")
    with pytest.raises(SvcError) as caught:
        api.load(golden_copy, orders=path)
    assert caught.value.hint == "export or download the file again"


def test_a_gzip_of_one_huge_line_is_refused_at_the_header(
    golden_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "oneline.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(64):
            fh.write(b"a" * (1 << 20))
    _refused(golden_copy, path, "oneline.csv.gz: line 1 is longer than 1 MiB")


def test_header_only_claiming_rows(golden_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "claim.csv"
    path.write_text(HEADER + "\n")
    before = snapshot(golden_copy)
    result = api.load(golden_copy, orders=path)
    assert result.files[0].rows_read == 0
    assert result.warnings == [f"{path}: header only, no data rows; nothing to load from it"]
    after = snapshot(golden_copy)
    assert {t: after[t] for t in TABLES if t != "svc_loads"} == {
        t: before[t] for t in TABLES if t != "svc_loads"
    }
    # the load is recorded: one more row in svc_loads, no row read
    assert [r[1:] for r in after["svc_loads"] if r not in before["svc_loads"]] == [
        ("orders", str(path), 0, 0, 0, 0, 0)
    ]


# --- fuzzing ------------------------------------------------------------------------------------

FIELDS = HEADER.split(",")
cell = st.one_of(
    st.sampled_from(
        [
            "",
            "0042",
            "2025-06-01 10:00:00",
            "2025-13-45",
            "-1",
            "1e400",
            "paid",
            "completed",
            "true",
            "=cmd",
            '"',
            '""',
            "\n",
            "\r",
            ",",
            "好评",
            "\t",
        ]
    ),
    st.text(max_size=12),
)
row = st.lists(cell, min_size=0, max_size=len(FIELDS) + 2)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.sampled_from([FIELDS, FIELDS[:5], [*FIELDS, "order_id"], ["a", "b"]]),
    rows=st.lists(row, max_size=6),
    raw_tail=st.binary(max_size=8),
)
def test_fuzzed_csv_loads_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory,
    header: list[str],
    rows: list[list[str]],
    raw_tail: bytes,
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    db = folder / "shop.duckdb"
    base = [order("o1", "2025-06-01 10:00:00"), order("o2", "2025-06-02 10:00:00", "0042")]
    api.load(db, orders=write_orders(folder / "base.csv", base))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8") + raw_tail)
    before = snapshot(db)
    try:
        api.load(db, orders=path, options=LoadOptions())
    except SvcError as exc:
        assert exc.message
        assert snapshot(db) == before


# --- privacy -------------------------------------------------------------------------------------

KEY = "k3y-for-tests-0123456789"


def test_pseudonymized_database_keeps_repurchase_metrics(
    tmp_path: Path, golden_db: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "private.duckdb"
    monkeypatch.setenv("SVC_PSEUDONYM_KEY", KEY)
    files = ["--reviews", GOLDEN / "reviews.csv", "--chats", GOLDEN / "chats.csv"]
    assert run("load", db, GOLDEN / "orders.csv", *files, "--pseudonymize").exit_code == 0
    clear = {
        r[0]
        for r in duckdb.connect(str(golden_db), read_only=True)
        .execute(
            "SELECT customer_id FROM orders UNION SELECT customer_id FROM reviews "
            "UNION SELECT customer_id FROM chats"
        )
        .fetchall()
    } - {None}
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM orders UNION SELECT customer_id FROM reviews "
                "UNION SELECT customer_id FROM chats"
            ).fetchall()
        } - {None}
    assert len(stored) == len(clear) and not stored & clear
    assert all(s.startswith("p") and len(s) == 25 for s in stored)
    as_of = ("--as-of", "2025-06-30 00:00:00", "-f", "json")
    assert (
        run("report", "repurchase", db, *as_of).stdout
        == run("report", "repurchase", golden_db, *as_of).stdout
    )
    # the same key keeps pseudonyms stable: reloading changes nothing
    again = run("load", db, GOLDEN / "orders.csv", "--pseudonymize", "-f", "json")
    assert json.loads(again.stdout)["files"][0]["updated"] == 0


def test_no_plaintext_copy_outlives_a_killed_load(tmp_path: Path) -> None:
    spool = tmp_path / "tmp"
    spool.mkdir()
    text = (GOLDEN / "orders.csv").read_text(encoding="utf-8").replace("SKU-", "商品-")
    export = tmp_path / "orders-gb.csv"
    export.write_bytes(text.encode("gb18030"))
    db = tmp_path / "private.duckdb"
    args = ["load", db, export, "--encoding", "gb18030", "--pseudonymize", "-q"]
    env = {"TMPDIR": str(spool), "SVC_PSEUDONYM_KEY": KEY}
    proc, _marker = start_paused(args, "in-transaction", tmp_path, env)
    # mid-load, the normalised rows are an Arrow frame in memory (no copy on disk); the
    # re-encoded text, if still open, has no name anywhere
    assert list(spool.iterdir()) == []
    held = [os.readlink(fd) for fd in Path(f"/proc/{proc.pid}/fd").iterdir()]
    assert not [h for h in held if h.startswith(str(spool)) and not h.endswith("(deleted)")]
    proc.kill()
    proc.wait()
    assert list(spool.iterdir()) == []
    clear_id = b"tb9787548098_627"  # a customer id of the export
    assert clear_id in (GOLDEN / "orders.csv").read_bytes()
    for leftover in tmp_path.iterdir():  # the killed load's half-built database included
        if leftover.is_file() and leftover != export:
            assert clear_id not in leftover.read_bytes(), leftover


def test_rejected_rows_are_named_only_once_the_load_commits(tmp_path: Path) -> None:
    rows = [order("o1", "2025-06-01 10:00:00"), order("o2", "2025-06-01", amount="x")]
    export = write_orders(tmp_path / "orders.csv", rows)
    rejects = tmp_path / "rejects"
    rejects.mkdir()
    db = tmp_path / "shop.duckdb"
    args = ["load", db, export, "--skip-invalid", "--rejects-dir", rejects, "-q"]
    proc, _marker = start_paused(args, "in-transaction", tmp_path)
    assert list(rejects.iterdir()) == []  # written, but anonymous until the commit
    proc.kill()
    proc.wait()
    assert list(rejects.iterdir()) == []  # a killed load leaves no copy of the rows
    proc, marker = start_paused(args, "in-transaction", tmp_path)
    marker.unlink()
    assert proc.wait(timeout=120) == 0
    written = rejects / "orders.csv.rejects.csv"
    assert [p.name for p in rejects.iterdir()] == [written.name]
    assert "c-o2" in written.read_text(encoding="utf-8")


def test_pseudonymization_is_all_or_nothing_per_database(
    tmp_path: Path, golden_copy: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY)
    orders = GOLDEN / "orders.csv"
    result = run("load", golden_copy, orders, "--key-file", key_file)
    assert result.exit_code == 2 and "already holds real customer ids" in result.stderr
    db = tmp_path / "p.duckdb"
    assert run("load", db, orders, "--key-file", key_file).exit_code == 0
    plain = run("load", db, orders)
    assert plain.exit_code == 2 and "holds pseudonymised customer ids" in plain.stderr
    key_file.write_text(KEY + "-other")
    other = run("load", db, orders, "--key-file", key_file)
    assert other.exit_code == 2 and "not the one it was made with" in other.stderr
    monkeypatch.delenv("SVC_PSEUDONYM_KEY", raising=False)
    missing = run("load", db, orders, "--pseudonymize")
    assert missing.exit_code == 2 and "SVC_PSEUDONYM_KEY" in missing.stderr


def test_customer_ids_are_printed_only_when_asked(run: Any, golden_db: Path) -> None:
    ids = {
        r[0]
        for r in duckdb.connect(str(golden_db), read_only=True)
        .execute("SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL")
        .fetchall()
    }
    as_of = ("--as-of", "2025-06-30 00:00:00")
    for args in (
        ("score", golden_db),
        ("report", "repurchase", golden_db),
        ("report", "repurchase", golden_db, "--cohorts"),
        ("info", golden_db),
    ):
        for fmt in ("table", "json", "csv"):
            out = run(*args, *(as_of if args[0] != "info" else ()), "-f", fmt).stdout
            assert not any(i in out for i in ids), (args, fmt)
    shown = run(
        "report",
        "repurchase",
        golden_db,
        *as_of,
        "--show-customers",
        "--shop",
        "0042",
        "-f",
        "json",
    )
    customers = json.loads(shown.stdout)["customers"]
    assert {c["shop_id"] for c in customers} == {"0042"} and len(customers) == 172
    assert sum(c["repeat_in_window"] for c in customers) == 30  # as repeat_customers


def test_xlsx_zip_bomb_is_refused_before_reading(golden_copy: Path, tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "orders.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<row><c><v>1</v></c></row>" * 40_000
            for _ in range(300):  # ≈ 300 MB of XML, ≈ 1 MB packed
                sheet.write(chunk)
    assert bomb.stat().st_size < 5_000_000
    _refused(golden_copy, bomb, "orders.xlsx", "zip bomb")
