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
from svc_cli.i18n import Message

if TYPE_CHECKING:
    from svc_cli.engines import Engine

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class ShopRecord:
    shop_id: str
    name: str | None
    industry: str
    services: tuple[str, ...]
    aliases: tuple[str, ...] = ()


def _validate(raw: dict[str, Any], where: str, config: ModelConfig) -> ShopRecord:
    shop_id = str(raw.get("shop_id") or "").strip()
    if not shop_id:
        raise InputError(f"{where}: shop_id is missing")
    industry = str(raw.get("industry") or DEFAULT_INDUSTRY).strip()
    if industry not in config.industries:
        raise InputError(
            f"{where}: unknown industry {industry!r} for shop {shop_id}",
            f"known industries: {', '.join(config.industries)}",
        )
    services_raw = raw.get("services") or []
    if isinstance(services_raw, str):
        services_raw = services_raw.split(";")
    services = tuple(s.strip() for s in services_raw if str(s).strip())
    for service in services:
        if service not in config.services:
            raise InputError(
                f"{where}: unknown service id {service!r} for shop {shop_id}",
                f"known services: {', '.join(config.services)} (add your own in --config)",
            )
    name = raw.get("name")
    aliases_raw = raw.get("aliases") or []
    if isinstance(aliases_raw, str):
        aliases_raw = aliases_raw.split(";")
    aliases = tuple(
        dict.fromkeys(a for a in (str(x).strip() for x in aliases_raw) if a and a != shop_id)
    )
    return ShopRecord(shop_id, str(name).strip() if name else None, industry, services, aliases)


def read_shops(path: Path, config: ModelConfig) -> list[ShopRecord]:
    """Read and validate a shops file; errors name the file and line."""
    if not path.exists():
        raise InputError(Message("error.file_not_found", file=str(path)))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8", "save the shops file as UTF-8") from exc
    if not text.strip():
        raise InputError(
            f"{path}: file is empty; expected a header line shop_id,name,industry,services"
        )
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: not valid TOML: {exc}") from exc
        entries = data.get("shops", [])
        if not isinstance(entries, list):
            raise InputError(f"{path}: expected [[shops]] tables")
        records = [_validate(e, f"{path}: shop #{i + 1}", config) for i, e in enumerate(entries)]
    else:
        reader = csv.DictReader(text.splitlines())
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "shop_id" not in fields:
            raise InputError(
                f"{path}: missing required column shop_id",
                "expected header: shop_id,name,industry,services",
            )
        reader.fieldnames = fields
        records = [_validate(row, f"{path}:{i + 2}", config) for i, row in enumerate(reader)]
    seen: set[str] = set()
    for record in records:
        if record.shop_id in seen:
            raise InputError(f"{path}: shop {record.shop_id} is listed twice")
        seen.add(record.shop_id)
    _check_aliases(path, records)
    return records


def _check_aliases(path: Path, records: list[ShopRecord]) -> None:
    """An alias means one shop: not another listed shop's id, not two shops' alias."""
    ids = {r.shop_id for r in records}
    owner: dict[str, str] = {}
    for record in records:
        for alias in record.aliases:
            if alias in ids:
                raise InputError(
                    f"{path}: alias {alias!r} of shop {record.shop_id} is itself a listed shop id",
                    "an alias names the same shop: remove it, or the other entry",
                )
            if alias in owner:
                raise InputError(
                    f"{path}: alias {alias!r} is given for shops {owner[alias]} and "
                    f"{record.shop_id}",
                    "an alias must mean one shop",
                )
            owner[alias] = record.shop_id


def shop_names(con: Engine) -> dict[str, str]:
    """Every named shop's name (from the shops file), for display."""
    from svc_cli.queries import SHOP_NAMES

    return {shop_id: name for name, shop_id in con.execute(SHOP_NAMES).fetchall() if name}
