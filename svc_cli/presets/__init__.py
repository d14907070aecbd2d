"""Platform export presets: recognise a back-office export and normalise it to a
canonical table (spec §1) as a UTF-8 CSV the canonical loader reads.

``detect`` names the preset and encoding of a file from its header; ``normalise``
converts it. Canonical files pass through untouched. Each platform has its own module
(``taobao``, ``douyin``, ``jd``, ``pdd``, ``shopify``, ``amazon``); ``source`` reads
containers and encodings, ``base`` holds the shared parsers. docs/presets.md documents
every preset.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from svc_cli import tempfiles
from svc_cli.errors import InputError
from svc_cli.i18n import Message
from svc_cli.normalised import CANONICAL, Normalised, canonical_table
from svc_cli.presets import amazon, douyin, jd, pdd, shopify, taobao
from svc_cli.presets.base import Ctx, Preset, check_statuses, fingerprint_text, to_canonical
from svc_cli.presets.generic import mapped_preset
from svc_cli.presets.source import RawTable, clean_cells, read_any, read_headers, spool
from svc_cli.schema import CHATS, ORDERS, REVIEWS, Table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "PRESETS",
    "Mapping",
    "Normalised",
    "Preset",
    "detect",
    "load_mapping",
    "normalise",
]

MAPPED = "mapped"

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in sorted(
        (
            *taobao.PRESETS,
            *douyin.PRESETS,
            *jd.PRESETS,
            *pdd.PRESETS,
            *shopify.PRESETS,
            *amazon.PRESETS,
        ),
        key=lambda p: p.priority,
    )
}
for _preset in PRESETS.values():
    check_statuses(_preset)


@dataclass(frozen=True)
class Mapping:
    """A column-mapping file (TOML) for an export no preset knows:

    ```toml
    table = "orders"            # orders (default) | reviews
    preset = "pdd_orders"       # optional: adjust a preset instead of a generic mapping
    shop_id = "my-shop"         # optional
    [columns]                   # canonical column = source header
    order_id = "订单号"
    [status]                    # source status value = canonical status
    "已完成" = "completed"
    ```
    """

    columns: dict[str, str]
    statuses: dict[str, str]
    table: str | None = None
    preset: str | None = None
    shop_id: str | None = None


def load_mapping(path: Path) -> Mapping:
    """Read a TOML column-mapping file; errors name the file and the problem."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: mapping file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid TOML mapping file: {exc}") from exc
    columns = data.get("columns", {})
    statuses = data.get("status", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise InputError(f"{path}: [columns] must map canonical columns to header names")
    if not isinstance(statuses, dict) or not all(isinstance(v, str) for v in statuses.values()):
        raise InputError(f"{path}: [status] must map source values to canonical statuses")
    unknown = set(data) - {"columns", "status", "table", "preset", "shop_id"}
    if unknown:
        raise InputError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}",
            "allowed: table, preset, shop_id, [columns], [status]",
        )
    return Mapping(columns, statuses, data.get("table"), data.get("preset"), data.get("shop_id"))


def parse_map_options(values: list[str]) -> dict[str, str]:
    """``["order_id=订单号", …]`` (repeated ``--map``) → a column map."""
    out: dict[str, str] = {}
    for value in values:
        name, sep, header = value.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise InputError(
                f"--map {value!r}: expected CANONICAL=SOURCE_HEADER", "e.g. --map order_id=订单号"
            )
        out[name.strip()] = header.strip()
    return out


# --- detection -------------------------------------------------------------------------------


def _canonical_table(headers: list[str]) -> Table | None:
    """The canonical table a header belongs to: all its required header columns are
    present, or most of the file's columns are that table's (a canonical file missing
    a column, which the loader reports)."""
    lowered = [h.lower() for h in headers if h]
    if not lowered:
        return None
    complete = canonical_table(headers)
    if complete is not None:
        return complete
    for table in (ORDERS, REVIEWS, CHATS):
        known = sum(h in table.column_names for h in lowered)
        if known * 2 > len(lowered) and known >= 3:
            return table
    return None


def _detect_headers(headers: list[str]) -> str | None:
    if _canonical_table(headers):
        return CANONICAL
    for preset in PRESETS.values():
        if preset.matches(headers):
            return preset.name
    return None


def _no_preset(label: str, headers: list[str]) -> InputError:
    shown = ", ".join(headers[:12]) + (" …" if len(headers) > 12 else "")
    return InputError(
        f"{label}: no preset recognises this export (header: {shown})",
        "force one with --preset NAME (see `svc inspect` / docs/presets.md), or map the "
        "columns with --map order_id=HEADER … or a TOML mapping file",
    )


def detect(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """(preset name, encoding) of an export, from its header (reads only a sample)."""
    src = spool(Path(path))
    try:
        headers, enc = read_headers(src, encoding)
    finally:
        src.cleanup()
    name = _detect_headers(headers)
    if name is None:
        raise _no_preset(src.label, headers)
    return name, enc


# --- normalising -------------------------------------------------------------------------------


def _lookup(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(
            f"unknown preset {name!r}",
            f"known presets: {CANONICAL}, {', '.join(PRESETS)}",
        ) from None


def _resolve(
    preset: Preset, raw: RawTable, column_map: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """field -> source header actually present; error on required fields missing."""
    present = {h.casefold(): h for h in raw.headers}
    if "shop_id" in column_map and "shop" in preset.fields:
        column_map = {("shop" if k == "shop_id" else k): v for k, v in column_map.items()}
    unknown = [k for k in column_map if k not in preset.fields]
    if unknown:
        raise InputError(
            f"--map {unknown[0]}: not a column of preset {preset.name}",
            f"mappable: {', '.join(preset.fields)}",
        )
    resolved: dict[str, str] = {}
    for name, alternatives in preset.fields.items():
        if name in column_map:
            header = present.get(column_map[name].casefold())
            if header is None:
                raise InputError(
                    f"{raw.label}: --map {name}={column_map[name]}: no such column in the file",
                    f"columns: {', '.join(raw.headers)}",
                )
            resolved[name] = header
            continue
        for alt in alternatives:
            if alt.casefold() in present:
                resolved[name] = present[alt.casefold()]
                break
    missing = [n for n in preset.required if n not in resolved]
    if missing:
        want = ", ".join(
            f"{' or '.join(repr(a) for a in preset.fields[n])} (for {n})" for n in missing
        )
        raise InputError(
            f"{raw.label}: missing required column(s) {want} for preset {preset.name}",
            f"found columns: {', '.join(raw.headers)}; map one with --map {missing[0]}=HEADER",
        )
    return resolved, [h for h in raw.headers if h not in set(resolved.values())]


def _write_csv(frame: pl.DataFrame) -> Path:
    path = tempfiles.create("svc-canonical-", ".csv")  # anonymous: no crash leaves it
    try:
        frame.write_csv(path, null_value="", quote_style="necessary")
    except BaseException:
        tempfiles.discard(path)
        raise
    return path


def _passthrough(src, encoding: str | None) -> Normalised:  # type: ignore[no-untyped-def]
    """A canonical file: the input itself when it is UTF-8 on disk, else a UTF-8 copy."""
    headers, enc = read_headers(src, encoding)
    table = _canonical_table(headers) or ORDERS
    if enc in ("utf-8", "utf-8-sig") and not src.temp:
        try:
            rows = pl.scan_csv(src.path, infer_schema=False).select(pl.len()).collect().item()
        except pl.exceptions.PolarsError:
            rows = -1  # the loader reports what is wrong
        known = set(table.column_names)
        return Normalised(
            CANONICAL,
            enc,
            table.name,
            "rows",
            src.path,
            int(rows),
            {h.lower(): h for h in headers if h.lower() in known},
            [h for h in headers if h.lower() not in known],
        )
    raw = read_any(src, enc)
    known = set(table.column_names)
    return Normalised(
        CANONICAL,
        raw.encoding,
        table.name,
        "rows",
        None,
        raw.rows,
        {h.lower(): h for h in raw.headers if h.lower() in known},
        [h for h in raw.headers if h.lower() not in known],
        raw.warnings,
        temp=True,
        frame=raw.frame.drop("_line"),
    )


def normalise(
    path: Path,
    *,
    preset: str | None = None,
    encoding: str | None = None,
    shop_id: str | None = None,
    column_map: dict[str, str] | None = None,
    skip_invalid: bool = False,
    status_map: dict[str, str] | None = None,
    table: str | None = None,
    shop_fallback: bool = False,
) -> Normalised:
    """Normalise an export (path, or ``-`` for stdin; CSV/TSV/xlsx/xls, gzip) to a
    frame of canonical text columns (a canonical UTF-8 file on disk: the file itself).
    ``preset`` forces a preset (else it is detected);
    ``column_map`` (canonical column → source header) adjusts a preset's columns, or,
    for an export no preset knows, maps it generically (with ``status_map`` for its
    status values and ``table`` orders|reviews). The caller must ``cleanup()`` the
    result."""
    column_map = dict(column_map or {})
    src = spool(Path(path))
    try:
        if preset == CANONICAL or (preset is None and not column_map):
            headers, _enc = read_headers(src, encoding)
            detected = _detect_headers(headers) if preset is None else CANONICAL
            if detected is None:
                raise _no_preset(src.label, headers)
            if detected == CANONICAL:
                result = _passthrough(src, encoding)
                if src.temp and not result.temp:  # pragma: no cover - stdin is copied
                    result.temp = True
                return result
            preset = detected
        raw = read_any(src, encoding)
        if preset is None:
            chosen = _detect_headers(raw.headers)
            chosen = None if chosen == CANONICAL else chosen
            spec = PRESETS[chosen] if chosen else mapped_preset(column_map, table, status_map)
        elif preset == MAPPED:
            spec = mapped_preset(column_map, table, status_map)
        else:
            spec = _lookup(preset)
            if status_map:
                spec = replace(spec, statuses={**spec.statuses, **status_map})
        return _run(spec, raw, column_map, shop_id, skip_invalid, shop_fallback)
    finally:
        src.cleanup()


def _run(
    preset: Preset,
    raw: RawTable,
    column_map: dict[str, str],
    shop_id: str | None,
    skip_invalid: bool,
    shop_fallback: bool = False,
) -> Normalised:
    resolved, unmapped = _resolve(preset, raw, column_map)
    used = sorted(set(resolved.values()))
    frame = clean_cells(raw.frame.select("_line", *used), used)
    fields = {name: pl.col(header) for name, header in resolved.items()}
    frame = frame.select(
        "_line",
        *(expr.alias(name) for name, expr in fields.items()),
        *(pl.lit(None, pl.String).alias(n) for n in preset.fields if n not in resolved),
    )
    ctx = Ctx(
        preset=preset,
        label=raw.label,
        frame=frame,
        headers=resolved,
        shop_id=shop_id,
        skip_invalid=skip_invalid,
        shop_fallback=shop_fallback,
        statuses=preset.statuses,
        warnings=list(raw.warnings),
    )
    if frame.height == 0:
        ctx.warnings.append(Message("preset_header_only", file=raw.label))
        out = pl.DataFrame(
            {"shop_id": [], "order_id": []}, schema={"shop_id": pl.String, "order_id": pl.String}
        )
    else:
        out = preset.transform(ctx)
    canonical = to_canonical(out, preset.table, preset.mode if frame.height else "rows")
    if preset.mode == "merge" and frame.height == 0:
        canonical = canonical.select("order_id", "shop_id")
    mapping = {c: ctx.notes.get(c, resolved.get(c, "")) for c in canonical.columns}
    mapping = {c: v for c, v in mapping.items() if v}
    if "shop_id" in canonical.columns:
        mapping["shop_id"] = (
            "given shop id" if shop_id else resolved.get("shop", mapping.get("shop_id", ""))
        )
    return Normalised(
        preset.name,
        raw.encoding,
        preset.table,
        preset.mode,
        None,
        raw.rows,
        mapping,
        unmapped,
        ctx.warnings,
        temp=True,
        rejects=_write_rejects(raw, ctx.rejected),
        frame=canonical,
    )


def _write_rejects(raw: RawTable, rejected: dict[int, list[str]]) -> Path | None:
    """The rows skipped as invalid, as read (original columns), with line and errors."""
    if not rejected:
        return None
    errors = pl.DataFrame(
        {"_line": list(rejected), "_errors": ["; ".join(e) for e in rejected.values()]},
        schema={"_line": pl.Int64, "_errors": pl.String},
    )
    rows = errors.join(raw.frame, on="_line", how="left").sort("_line")
    return _write_csv(
        rows.select(
            pl.col("_line").alias("line"),
            pl.col("_errors").alias("errors"),
            *(h for h in raw.headers if h not in ("line", "errors")),
        )
    )


def describe(name: str) -> str:
    """A one-paragraph description of a preset (for `svc inspect`)."""
    p = _lookup(name)
    return (
        f"{p.name}: {p.title}. Table {p.table} ({p.mode}); grain {p.grain}; money "
        f"{p.order_money}; detected by headers {fingerprint_text(p)}; encoding {p.encoding}."
    )
