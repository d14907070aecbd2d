"""Shop identity: aliases in the shops file, unknown --shop refused the same way by every
command, shops file entries without orders, and name clashes (issue 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import api
from svc_cli.errors import InputError
from svc_cli.load_options import LoadOptions, Strictness
from tests.factories import (
    order,
    write_chats,
    write_csv,
    write_orders,
    write_reviews,
    write_shops,
)

SHOP_FIELDS_ALIASES = ["shop_id", "name", "industry", "services", "aliases"]


def _orders(path: Path, shop: str, prefix: str, n: int = 3) -> Path:
    return write_orders(
        path,
        [order(f"{prefix}{i}", f"2025-06-{10 + i:02d} 10:00:00", shop_id=shop) for i in range(n)],
    )


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_alias_maps_files_loaded_after_the_shops_file(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    shops = write_csv(
        tmp_path / "shops.csv",
        SHOP_FIELDS_ALIASES,
        [{"shop_id": "0042", "name": "暖阳美妆", "industry": "beauty", "aliases": "暖阳美妆;42"}],
    )
    api.load(db, shops=shops, files=[_orders(tmp_path / "a.csv", "0042", "a")])
    # the refund/order export of another back office is keyed by the shop's name
    by_name = _orders(tmp_path / "b.csv", "暖阳美妆", "b")
    reviews = write_reviews(
        tmp_path / "r.csv",
        [{"order_id": "b1", "shop_id": "暖阳美妆", "rating": "5", "created_at": "2025-06-20"}],
    )
    chats = write_chats(
        tmp_path / "c.csv",
        [{"session_id": "s1", "shop_id": "42", "started_at": "2025-06-20 10:00:00"}],
    )
    result = api.load(db, files=[by_name], reviews=reviews, chats=chats)
    assert not any("created by this load" in w for w in result.warnings)
    assert _rows(db, "SELECT DISTINCT shop_id FROM orders") == [("0042",)]
    assert _rows(db, "SELECT shop_id FROM reviews") == [("0042",)]
    assert _rows(db, "SELECT shop_id FROM chats") == [("0042",)]
    assert _rows(db, "SELECT count(*) FROM coverage WHERE shop_id <> '0042'") == [(0,)]


def test_alias_moves_rows_already_stored(tmp_path: Path) -> None:
    """Rows loaded before the shops file named the alias are moved to the shop id; an
    order stored under both keeps the shop id's row."""
    db = tmp_path / "s.duckdb"
    api.load(db, files=[_orders(tmp_path / "a.csv", "0042", "a", 3)])
    second = api.load(db, files=[_orders(tmp_path / "b.csv", "暖阳美妆", "a", 4)])
    assert _rows(db, "SELECT count(DISTINCT shop_id) FROM orders") == [(2,)]
    shops = write_csv(
        tmp_path / "shops.csv",
        SHOP_FIELDS_ALIASES,
        [{"shop_id": "0042", "name": "暖阳美妆", "aliases": "暖阳美妆"}],
    )
    # nothing about the alias before the shops file names it (the orders measure little)
    assert [w for w in second.warnings if "blank in every row" not in w] == []
    result = api.load(db, shops=shops)
    assert _rows(db, "SELECT DISTINCT shop_id FROM orders") == [("0042",)]
    assert _rows(db, "SELECT count(*) FROM orders") == [(4,)]  # a0-a2 kept once, a3 moved
    assert any("3 row(s) stored under an alias were already stored" in w for w in result.warnings)
    assert any("1 row(s) stored under an alias moved" in w for w in result.warnings)
    assert _rows(db, "SELECT DISTINCT shop_id FROM coverage") == [("0042",)]


def test_aliases_in_toml_and_their_checks(tmp_path: Path) -> None:
    from svc_cli.config import load_config
    from svc_cli.shops import read_shops

    toml = tmp_path / "shops.toml"
    toml.write_text(
        '[[shops]]\nshop_id = "0042"\naliases = ["暖阳美妆", "0042"]\n', encoding="utf-8"
    )
    assert read_shops(toml, load_config())[0][0].aliases == ("暖阳美妆",)
    toml.write_text(
        '[[shops]]\nshop_id = "1"\naliases = ["x"]\n[[shops]]\nshop_id = "2"\naliases = ["x"]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="alias 'x' is given for shops 1 and 2"):
        read_shops(toml, load_config())
    toml.write_text(
        '[[shops]]\nshop_id = "1"\naliases = ["2"]\n[[shops]]\nshop_id = "2"\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match="itself a listed shop id"):
        read_shops(toml, load_config())


def test_warns_when_a_load_creates_a_shop_named_like_a_known_one(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    shops = write_shops(tmp_path / "shops.csv", [{"shop_id": "0042", "name": "暖阳美妆"}])
    api.load(db, shops=shops, files=[_orders(tmp_path / "a.csv", "0042", "a")])
    result = api.load(db, files=[_orders(tmp_path / "b.csv", "暖阳美妆", "b")])
    assert any(
        "shop '暖阳美妆' was created by this load, but it is the name of shop 0042" in w
        for w in result.warnings
    )
    # a shops file entry named like another shop
    again = write_shops(
        tmp_path / "shops2.csv",
        [{"shop_id": "0042", "name": "暖阳美妆"}, {"shop_id": "0043", "name": "暖阳美妆"}],
    )
    result = api.load(db, shops=again)
    assert any("shop 0043 is named '暖阳美妆' like shop 0042" in w for w in result.warnings)


def test_only_shops_whose_orders_were_stored_count_as_created(tmp_path: Path) -> None:
    """Without a shops file, the shops a load creates are those of the order rows it
    stored: not a shop whose only row was refused, nor one that already had orders."""
    db = tmp_path / "s.duckdb"
    shops = write_shops(
        tmp_path / "shops.csv",
        [{"shop_id": "0042", "name": "暖阳美妆"}, {"shop_id": "0043", "name": "晨光文具"}],
    )
    api.load(db, shops=shops, files=[_orders(tmp_path / "a.csv", "0042", "a")])
    mixed = write_orders(
        tmp_path / "b.csv",
        [
            order("a9", "2025-06-20 10:00:00", shop_id="0042"),  # a shop with orders
            order("b1", "2025-06-20 10:00:00", shop_id="暖阳美妆", status="lost"),  # refused
            order("c1", "2025-06-20 10:00:00", shop_id="晨光文具"),  # a new shop
        ],
    )
    result = api.load(db, files=[mixed], options=LoadOptions(strict=Strictness(skip_invalid=True)))
    created = [w for w in result.warnings if "created by this load" in w]
    assert created == [
        "shop '晨光文具' was created by this load, but it is the name of shop 0043: if it is "
        "that shop, add '晨光文具' to its aliases in the shops file and load the shops file "
        "again"
    ]
    assert _rows(db, "SELECT DISTINCT shop_id FROM orders ORDER BY 1") == [("0042",), ("晨光文具",)]
    again = api.load(db, files=[mixed], options=LoadOptions(strict=Strictness(skip_invalid=True)))
    assert not any("created by this load" in w for w in again.warnings)


def test_shops_file_entry_without_orders_names_close_matches(tmp_path: Path, run: Any) -> None:
    db = tmp_path / "s.duckdb"
    shops = write_shops(
        tmp_path / "shops.csv", [{"shop_id": "5730001", "industry": "pets", "services": ""}]
    )
    result = run("load", db, _orders(tmp_path / "a.csv", "57300001", "a"), "--shops", shops)
    assert result.exit_code == 0, result.output
    assert "shop 5730001 has no orders (yet) — did you mean 57300001?" in result.stderr
    zh = run("load", db, "--shops", shops, "--lang", "zh")
    assert f"警告：{shops}：店铺 5730001 还没有订单——是不是 57300001？" in zh.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("score",),
        ("simulate",),
        ("report", "repurchase"),
    ],
)
def test_every_shop_option_refuses_an_unknown_shop_alike(
    tmp_path: Path, run: Any, command: tuple[str, ...]
) -> None:
    db = tmp_path / "s.duckdb"
    api.load(db, files=[_orders(tmp_path / "a.csv", "57300001", "a")])
    result = run(*command, db, "--shop", "5730001")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "unknown shop id(s): 5730001" in result.stderr
    assert "did you mean 57300001?" in result.stderr


def test_unknown_shop_that_is_an_alias_says_which_shop(tmp_path: Path, run: Any) -> None:
    db = tmp_path / "s.duckdb"
    shops = write_csv(
        tmp_path / "shops.csv", SHOP_FIELDS_ALIASES, [{"shop_id": "0042", "aliases": "暖阳美妆"}]
    )
    api.load(db, shops=shops, files=[_orders(tmp_path / "a.csv", "0042", "a")])
    result = run("score", db, "--shop", "暖阳美妆")
    assert result.exit_code == 2
    assert "暖阳美妆 is an alias of shop 0042: use --shop 0042" in result.stderr


def test_a_listed_shop_without_orders_is_named_as_such(run: Any, tmp_path: Path) -> None:
    """`--shop` of a shop the shops file lists but no order export has: refused, and the
    hint says why (the load warned it has no orders yet)."""
    orders = write_orders(tmp_path / "orders.csv", [order("o1", "2025-06-01 10:00:00")])
    shops = tmp_path / "shops.csv"
    shops.write_text("shop_id,name\ns1,One\ns2,Two\n", encoding="utf-8")
    db = tmp_path / "shop.duckdb"
    assert run("load", db, orders, "--shops", shops).exit_code == 0
    result = run("score", db, "--shop", "s2")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: unknown shop id(s): s2",
        "Hint: s2 is in the shops file but has no orders yet: load its order export first; "
        "shops with orders: s1",
    ]
