"""The optional shops file: industry and special services per shop (CSV or TOML).

CSV: ``shop_id,name,industry,services[,aliases]`` with services and aliases
``;``-separated. TOML: an array of tables::

    [[shops]]
    shop_id = "0042"
    name = "暖阳悦然美妆专营店"
    industry = "beauty"
    services = ["breakage_compensation"]
    aliases = ["暖阳悦然美妆专营店", "42"]

``aliases``: other ids or names that mean this shop (an export keyed by the shop name,
another platform id). Loads store their rows under ``shop_id`` (see docs/model.md).
The name is not an alias by itself: list it when an export uses it.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svc_cli.config import DEFAULT_INDUSTRY, ModelConfig
from svc_cli.errors import InputError
from svc_cli.i18n import Message, Verbatim

if TYPE_CHECKING:
    from svc_cli.engines import Engine

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


#: The shop columns a shops file may leave out: a shop's stored value then stays.
OPTIONAL_FIELDS = ("name", "industry", "services")


@dataclass(frozen=True)
class ShopRecord:
    shop_id: str
    name: str | None
    industry: str
    services: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: the ``OPTIONAL_FIELDS`` the file gives (its columns; a TOML entry's keys): a field
    #: left out keeps what is stored for the shop (its default for a new shop)
    given: frozenset[str] = frozenset(OPTIONAL_FIELDS)


def _validate(raw: dict[str, Any], where: Message, config: ModelConfig) -> ShopRecord:
    """``where``: the entry's place, ``FILE:LINE`` (CSV) or ``FILE: shop #N`` (TOML)."""
    shop_id = str(raw.get("shop_id") or "").strip()
    if not shop_id:
        raise InputError(Message("error.shops_no_id", where=where))
    industry = str(raw.get("industry") or DEFAULT_INDUSTRY).strip()
    if industry not in config.industries:
        raise InputError(
            Message(
                "error.shops_unknown_industry",
                where=where,
                industry=Verbatim(repr(industry)),
                shop=Verbatim(shop_id),
            ),
            Message("hint.known_industries", industries=[Verbatim(i) for i in config.industries]),
        )
    services_raw = raw.get("services") or []
    if isinstance(services_raw, str):
        services_raw = services_raw.split(";")
    services = tuple(s.strip() for s in services_raw if str(s).strip())
    for service in services:
        if service not in config.services:
            raise InputError(
                Message(
                    "error.shops_unknown_service",
                    where=where,
                    service=Verbatim(repr(service)),
                    shop=Verbatim(shop_id),
                ),
                Message("hint.known_services", services=[Verbatim(s) for s in config.services]),
            )
    name = raw.get("name")
    aliases_raw = raw.get("aliases") or []
    if isinstance(aliases_raw, str):
        aliases_raw = aliases_raw.split(";")
    aliases = tuple(
        dict.fromkeys(a for a in (str(x).strip() for x in aliases_raw) if a and a != shop_id)
    )
    given = frozenset(f for f in OPTIONAL_FIELDS if f in raw)
    name_text = str(name).strip() if name else None
    return ShopRecord(shop_id, name_text, industry, services, aliases, given)


def read_shops(
    path: Path, config: ModelConfig, encoding: str | None = None
) -> tuple[list[ShopRecord], str]:
    """Read and validate a shops file (in ``encoding``, else in the one its bytes show,
    as exports are): its shops and the encoding read. Errors name the file and line."""
    from svc_cli.read import decode_small

    if not path.exists():
        raise InputError(Message("error.file_not_found", file=str(path)))
    text, encoding = decode_small(path.read_bytes(), encoding, str(path))
    if not text.strip():
        raise InputError(Message("error.shops_empty", file=str(path)))
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(
                Message("error.shops_not_toml", file=str(path), detail=Verbatim(str(exc)))
            ) from exc
        entries = data.get("shops", [])
        if not isinstance(entries, list):
            raise InputError(Message("error.shops_not_tables", file=str(path)))
        records = [
            _validate(e, Message("shops.entry", file=str(path), n=Verbatim(str(i + 1))), config)
            for i, e in enumerate(entries)
        ]
    else:
        reader = csv.DictReader(text.splitlines())
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "shop_id" not in fields:
            raise InputError(
                Message("error.shops_no_id_column", file=str(path)), Message("hint.shops_header")
            )
        reader.fieldnames = fields
        records = [
            _validate(row, Message("shops.line", file=str(path), line=Verbatim(str(i + 2))), config)
            for i, row in enumerate(reader)
        ]
    seen: set[str] = set()
    for record in records:
        if record.shop_id in seen:
            raise InputError(
                Message("error.shop_listed_twice", file=str(path), shop=Verbatim(record.shop_id))
            )
        seen.add(record.shop_id)
    _check_aliases(path, records)
    return records, encoding


def _check_aliases(path: Path, records: list[ShopRecord]) -> None:
    """An alias means one shop: not another listed shop's id, not two shops' alias."""
    ids = {r.shop_id for r in records}
    owner: dict[str, str] = {}
    for record in records:
        for alias in record.aliases:
            if alias in ids:
                raise InputError(
                    Message(
                        "error.alias_is_a_shop",
                        file=str(path),
                        alias=Verbatim(repr(alias)),
                        shop=Verbatim(record.shop_id),
                    ),
                    Message("hint.alias_is_a_shop"),
                )
            if alias in owner:
                raise InputError(
                    Message(
                        "error.alias_twice",
                        file=str(path),
                        alias=Verbatim(repr(alias)),
                        first=Verbatim(owner[alias]),
                        second=Verbatim(record.shop_id),
                    ),
                    Message("hint.alias_twice"),
                )
            owner[alias] = record.shop_id


def shop_names(con: Engine) -> dict[str, str]:
    """Every named shop's name (from the shops file), for display."""
    from svc_cli.queries import SHOP_NAMES

    return {shop_id: name for name, shop_id in con.execute(SHOP_NAMES).fetchall() if name}
