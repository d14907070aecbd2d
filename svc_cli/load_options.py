"""The options of a load, as three small values passed unchanged from the CLI to the step
that uses them: what to read (``ReadOptions``: the read step), how to recognise it
(``Recognition``: the map step), how strict to be (``Strictness``: the stage and merge).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class ReadOptions:
    """How an export's bytes are read: its encoding (None: sniffed)."""

    encoding: str | None = None

    @property
    def utf8(self) -> bool:
        """Whether the text is UTF-8 as given or by default (DuckDB reads it in place)."""
        return (self.encoding or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8")


@dataclass(frozen=True)
class Recognition:
    """How an export is recognised and mapped to a canonical table."""

    preset: str | None = None  # force a platform preset (default: detected from the header)
    shop_id: str | None = None  # for exports without a shop column
    shop_fallback: bool = False  # shop_id only fills in, never overrides, a file's shop column
    column_map: tuple[tuple[str, str], ...] = ()  # canonical column -> source header
    status_map: tuple[tuple[str, str], ...] = ()  # source status -> canonical status
    table: str | None = None  # table of an export mapped with column_map only

    @classmethod
    def from_options(
        cls,
        preset: str | None = None,
        shop_id: str | None = None,
        column_map: list[str] | None = None,
        mapping: Path | None = None,
    ) -> Recognition:
        """From ``--preset``, ``--shop``, ``--map order_id=订单号 …`` and a TOML mapping
        file (the options win over the file)."""
        spec, columns = None, {}
        if mapping is not None or column_map:
            from svc_cli.presets import load_mapping, parse_map_options

            spec = load_mapping(mapping) if mapping is not None else None
            columns = {**(spec.columns if spec else {}), **parse_map_options(column_map or [])}
        return cls(
            preset=preset or (spec.preset if spec else None),
            shop_id=shop_id or (spec.shop_id if spec else None),
            column_map=tuple(columns.items()),
            status_map=tuple(spec.statuses.items()) if spec else (),
            table=spec.table if spec else None,
        )

    @property
    def by_header(self) -> bool:
        """Whether files are recognised by their header alone (no preset forced, no map)."""
        from svc_cli.normalised import CANONICAL

        return self.preset in (None, CANONICAL) and not (
            self.column_map or self.status_map or self.table
        )

    def given_as(self, table: str | None) -> Recognition:
        """For a file given as ``table`` (``--orders FILE``): a column map maps to it."""
        return replace(self, table=self.table or table)


@dataclass(frozen=True)
class Strictness:
    """How strict a load is. ``max_errors`` invalid rows are skipped (and written to a
    rejects CSV); one more and the whole load is refused. ``skip_invalid`` lifts the limit.
    ``replace``: the file's values win, even over newer stored ones."""

    max_errors: int = 0
    skip_invalid: bool = False
    rejects_dir: Path | None = None
    replace: bool = False

    @property
    def error_limit(self) -> float:
        return float("inf") if self.skip_invalid else self.max_errors


@dataclass(frozen=True)
class LoadOptions:
    """The options of one load; ``pseudonym_key`` replaces customer ids by a keyed hash."""

    read: ReadOptions = field(default_factory=ReadOptions)
    recognise: Recognition = field(default_factory=Recognition)
    strict: Strictness = field(default_factory=Strictness)
    pseudonym_key: str | None = None
