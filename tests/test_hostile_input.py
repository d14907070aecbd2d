"""Hostile and odd values that used to load wrongly or fail with an internal error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import api
from svc_cli.errors import ValidationError
from tests.factories import order, write_orders

PAID = "2025-06-01 10:00:00"


def _stored(db: Path, column: str, order_id: str = "o1") -> Any:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(f"SELECT {column} FROM orders WHERE order_id = ?", [order_id]).fetchone()
    return row[0] if row else None


# --- timestamps ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["infinity", "-infinity", "+infinity", "epoch", " epoch"])
def test_special_time_values_are_refused(tmp_path: Path, value: str, run: Any) -> None:
    db = tmp_path / "shop.duckdb"
    path = write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)])
    result = run("load", db, path)
    assert result.exit_code == 2
    assert "column 'delivered_at': not a date" in result.stderr  # never 9999-12-31
    if value != "+infinity":  # which DuckDB does not read as a time at all
        assert "special values such as infinity or epoch are refused" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2025-06-01 10:00:00 UTC", "2025-06-01 18:00:00"),
        ("2025-06-01 10:00:00 gmt", "2025-06-01 18:00:00"),
        ("2025-06-01T10:00:00Z", "2025-06-01 18:00:00"),
        ("2025-06-01 10:00:00 America/New_York", "2025-06-01 22:00:00"),
        ("2025-06-01 10:00:00+08:00", "2025-06-01 10:00:00"),
    ],
)
def test_times_with_a_zone_are_converted_to_the_shop_zone(
    tmp_path: Path, value: str, stored: str
) -> None:
    db = tmp_path / "shop.duckdb"
    api.load(db, orders=write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)]))
    assert str(_stored(db, "delivered_at")) == stored


@pytest.mark.parametrize("value", ["2025-06-01 10:00:00 EST", "2025-06-01 10:00:00 CST"])
def test_zone_abbreviations_are_refused(tmp_path: Path, value: str) -> None:
    path = write_orders(tmp_path / "o.csv", [order("o1", PAID, delivered_at=value)])
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert "time zone abbreviation is ambiguous" in caught.value.message


def test_unknown_zone_names_are_refused(tmp_path: Path) -> None:
    path = write_orders(
        tmp_path / "o.csv", [order("o1", PAID, delivered_at="2025-06-01 10:00:00 Mars/Olympus")]
    )
    with pytest.raises(ValidationError) as caught:
        api.load(tmp_path / "shop.duckdb", orders=path)
    assert "'delivered_at': not a date/time" in caught.value.message


def test_times_after_the_machine_clock_are_warned_about(tmp_path: Path) -> None:
    path = write_orders(
        tmp_path / "o.csv",
        [order("o1", PAID), order("o2", "2999-01-01 00:00:00"), order("o3", PAID)],
    )
    result = api.load(tmp_path / "shop.duckdb", orders=path)
    assert any(
        "1 row(s) have a time after this machine's clock (latest 2999-01-01 00:00:00)" in w
        for w in result.warnings
    )
    quiet = api.load(
        tmp_path / "other.duckdb", orders=write_orders(tmp_path / "p.csv", [order("o1", PAID)])
    )
    assert not any("machine's clock" in w for w in quiet.warnings)
