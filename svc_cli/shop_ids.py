"""Shop identity: which shop ids are known, close matches for a mistyped one, and the
aliases a shops file gives (other ids or names that mean the same shop).

Every command that takes ``--shop`` refuses an unknown shop through ``require_known``, so
they all say the same thing (exit 2, the close matches).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from svc_cli.errors import UsageError
from svc_cli.i18n import Message, Verbatim, joined
from svc_cli.queries import (
    KNOWN_SHOPS,
    LISTED_SHOPS,
    RECORD_ALIASES,
    REKEY_CLASHES,
    REKEY_COVERAGE,
    REKEY_DROP_CLASHES,
    REKEY_ROWS,
    SHOP_ALIASES,
    SHOP_NAMES,
)
from svc_cli.schema import DATA_TABLES

if TYPE_CHECKING:
    import duckdb

    from svc_cli.engines import Engine

MAX_SHOWN = 20


def close_matches(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates most like ``value`` (difflib, best first)."""
    return difflib.get_close_matches(value, sorted(set(candidates)), n=n, cutoff=0.6)


def known_shops(con: Engine) -> list[str]:
    """The shops a computation can report: those with at least one order (spec §9)."""
    return [r[0] for r in con.execute(KNOWN_SHOPS).fetchall()]


def aliases(con: Engine) -> dict[str, str]:
    """alias → shop id, from the shops file(s) loaded."""
    return dict(con.execute(SHOP_ALIASES).fetchall())


def check_known(
    shop_ids: Iterable[str] | None,
    known: Iterable[str],
    alias_map: dict[str, str] | None = None,
    listed: frozenset[str] = frozenset(),
) -> None:
    """Refuse (UsageError, exit 2) any of ``shop_ids`` that is not a known shop, naming
    the close matches (and the shop an alias stands for, or that a ``listed`` shop of the
    shops file has no orders yet)."""
    known = sorted(set(known))
    unknown = [s for s in shop_ids or [] if s not in known]
    if not unknown:
        return
    hints: list[Message] = []
    for shop in unknown:
        if alias_map and shop in alias_map:
            hints.append(
                Message("hint.shop_alias", alias=Verbatim(shop), shop=Verbatim(alias_map[shop]))
            )
        elif shop in listed:
            hints.append(Message("hint.listed_no_orders", shop=Verbatim(shop)))
        else:
            matches = close_matches(shop, known)
            if matches:
                hints.append(
                    Message(
                        "hint.did_you_mean",
                        value=Verbatim(shop),
                        matches=joined([Verbatim(m) for m in matches]),
                    )
                )
    if not known:
        hints.append(Message("hint.no_orders_loaded"))
    elif not hints or len(known) <= MAX_SHOWN:
        hints.append(
            Message(
                "hint.shops_with_orders",
                shops=[Verbatim(s) for s in known[:MAX_SHOWN]],
                more=Verbatim(" …" if len(known) > MAX_SHOWN else ""),
            )
        )
    raise UsageError(
        Message("error.unknown_shops", shops=[Verbatim(s) for s in unknown]),
        Message("clauses", parts=hints),
    )


def require_known(con: Engine, shop_ids: Iterable[str] | None) -> None:
    """``check_known`` against the database: the one check behind every ``--shop``."""
    shop_ids = list(shop_ids or [])
    if shop_ids:
        known = known_shops(con)
        listed = (
            frozenset(r[0] for r in con.execute(LISTED_SHOPS).fetchall())
            if set(shop_ids) - set(known)
            else frozenset()
        )
        check_known(shop_ids, known, aliases(con), listed)


# --- at load time ------------------------------------------------------------------------


def record_aliases(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]]) -> None:
    """Store (alias, shop id) pairs; an alias given again for another shop now means it."""
    if pairs:
        con.execute(
            RECORD_ALIASES, {"aliases": [a for a, _ in pairs], "shops": [s for _, s in pairs]}
        )


def rekey_stored(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Move the rows already stored under an alias to its shop id (orders, reviews, chats
    and coverage). A row whose key the shop id already holds (the same order loaded under
    both) is dropped: the shop id's row is kept. Returns warnings."""
    if not aliases(con):
        return []
    warnings: list[str] = []
    for table in DATA_TABLES:
        other_keys = table.ids
        same = " AND ".join(f"u.{k} = t.{k}" for k in other_keys)
        moved = con.execute(
            f"SELECT count(*) FROM {table.name} WHERE shop_id IN (SELECT alias FROM shop_aliases)"
        ).fetchone()
        clashes = con.execute(REKEY_CLASHES.format(table=table.name, same_key=same)).fetchone()
        if clashes and clashes[0]:
            outer = " AND ".join(f"u.{k} = {table.name}.{k}" for k in other_keys)
            con.execute(REKEY_DROP_CLASHES.format(table=table.name, same_key_outer=outer))
            warnings.append(
                Message("alias.rows_kept", table=table.name, count=Verbatim(str(clashes[0])))
            )
        con.execute(REKEY_ROWS.format(table=table.name))
        n = (moved[0] if moved else 0) - (clashes[0] if clashes else 0)
        if n:
            warnings.append(Message("alias.rows_moved", table=table.name, count=Verbatim(str(n))))
    con.execute(REKEY_COVERAGE)
    return warnings


def rekey_stage(con: duckdb.DuckDBPyConnection, stage_table: str) -> None:
    """Store the staged rows of an alias under its shop id (before keys are checked)."""
    if aliases(con):
        con.execute(REKEY_ROWS.format(table=stage_table))


def unmatched_shops_warnings(
    con: Engine, listed: list[str], label: str, with_orders: set[str] | None = None
) -> list[str]:
    """A shops file entry whose id has no orders: a typo loses the shop its industry and
    services silently, so name the close matches (``with_orders``: the known shops, when
    the caller has them)."""
    if with_orders is None:
        with_orders = set(known_shops(con))
    warnings: list[str] = []
    for shop in (s for s in listed if s not in with_orders):
        matches = close_matches(shop, with_orders - set(listed))
        where = {"file": label, "shop": Verbatim(shop)}
        warnings.append(
            Message(
                "shops.no_orders_close", **where, matches=joined([Verbatim(m) for m in matches])
            )
            if matches
            else Message("shops.no_orders", **where)
        )
    return warnings


def name_clash_warnings(
    con: Engine, new_shops: Iterable[str], records: list[tuple[str, str]]
) -> list[str]:
    """Warnings for a shop that is probably another one under another key: a new shop id
    that is a known shop's name (an export keyed by the name), or a shops file entry
    whose name is another shop's name."""
    names: dict[str, list[str]] = {}
    for name, shop in con.execute(SHOP_NAMES).fetchall():
        names.setdefault(name, []).append(shop)
    warnings: list[str] = []
    for shop in sorted(new_shops):
        owners = [s for s in names.get(shop, []) if s != shop]
        if owners:
            warnings.append(
                Message(
                    "alias.new_shop_is_a_name",
                    shop=Verbatim(repr(shop)),
                    owner=Verbatim(owners[0]),
                )
            )
    for shop, name in records:
        others = [s for s in names.get(name, []) if s != shop]
        if others:
            warnings.append(
                Message(
                    "alias.same_name",
                    shop=Verbatim(shop),
                    name=Verbatim(repr(name)),
                    others=[Verbatim(o) for o in others],
                )
            )
    return warnings
