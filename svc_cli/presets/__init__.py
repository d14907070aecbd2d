"""Platform export presets: recognise a back-office export and normalise it to a
canonical table (spec §1) as a UTF-8 CSV the canonical loader reads.

``detect`` names the preset and encoding of a file from its header; ``normalise``
converts it. Canonical files pass through untouched. Each platform has its own module
(``taobao``, ``douyin``, ``jd``, ``pdd``, ``shopify``, ``amazon``); ``source`` reads
containers and encodings, ``base`` holds the shared parsers. docs/presets.md documents
every preset.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from svc_cli import tempfiles
from svc_cli.errors import InputError
from svc_cli.i18n import Message, Verbatim, joined, listed
from svc_cli.load_options import ReadOptions, Recognition
from svc_cli.normalised import CANONICAL, Normalised, canonical_table
from svc_cli.presets import amazon, douyin, jd, pdd, shopify, taobao
from svc_cli.presets.base import Ctx, Preset, check_statuses, fingerprint_text, to_canonical
from svc_cli.presets.generic import mapped_preset
from svc_cli.read import (
    BATCH_ROWS,
    CELL_STRIP,
    Batches,
    RawTable,
    Spooled,
    clean_cells,
    read_any,
    read_headers,
    spool,
)
from svc_cli.schema import CHATS, DATA_TABLE_BY_NAME, ORDERS, REVIEWS, Table

if TYPE_CHECKING:
    import duckdb

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
        raise InputError(Message("error.mapping_not_found", file=str(path))) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            Message("error.mapping_not_toml", file=str(path), detail=Verbatim(str(exc)))
        ) from exc
    columns = data.get("columns", {})
    statuses = data.get("status", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise InputError(Message("error.mapping_columns", file=str(path)))
    if not isinstance(statuses, dict) or not all(isinstance(v, str) for v in statuses.values()):
        raise InputError(Message("error.mapping_status", file=str(path)))
    unknown = set(data) - {"columns", "status", "table", "preset", "shop_id"}
    if unknown:
        raise InputError(
            Message(
                "error.mapping_unknown_keys",
                file=str(path),
                keys=[Verbatim(k) for k in sorted(unknown)],
            ),
            Message("hint.mapping_keys"),
        )
    return Mapping(columns, statuses, data.get("table"), data.get("preset"), data.get("shop_id"))


def parse_map_options(values: list[str]) -> dict[str, str]:
    """``["order_id=订单号", …]`` (repeated ``--map``) → a column map."""
    out: dict[str, str] = {}
    for value in values:
        name, sep, header = value.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise InputError(
                Message("error.bad_map", value=Verbatim(repr(value))), Message("hint.bad_map")
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


def _has_shop_column(headers: list[str]) -> bool:
    return any(h.lower() == "shop_id" for h in headers)


def _detect_headers(headers: list[str]) -> str | None:
    if _canonical_table(headers):
        return CANONICAL
    for preset in PRESETS.values():
        if preset.matches(headers):
            return preset.name
    return None


#: The columns of a shops file (``--shops``), beside its ``shop_id``.
SHOPS_FILE_COLUMNS = {"name", "industry", "services", "aliases"}


def _no_preset(label: str, headers: list[str]) -> InputError:
    shown = listed([*headers[:12], *(["…"] if len(headers) > 12 else [])])
    lowered = {h.lower() for h in headers}
    shops_file = "shop_id" in lowered and lowered - {"shop_id"} <= SHOPS_FILE_COLUMNS
    # one column whose name holds ';' or '|': another separator than a comma or a tab
    other = next((d for d in ";|" if len(headers) == 1 and d in headers[0]), None)
    if other:
        hint = Message("hint.other_separator", separator=Verbatim(repr(other)))
    else:
        hint = Message("hint.shops_file" if shops_file else "hint.no_preset")
    return InputError(Message("error.no_preset", file=label, header=shown), hint)


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
            Message("error.unknown_preset", name=Verbatim(repr(name))),
            Message("hint.known_presets", presets=listed([CANONICAL, *PRESETS])),
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
            Message(
                "error.map_not_a_field", field=Verbatim(unknown[0]), preset=Verbatim(preset.name)
            ),
            Message("hint.mappable", fields=listed(preset.fields)),
        )
    resolved: dict[str, str] = {}
    for name, alternatives in preset.fields.items():
        if name in column_map:
            header = present.get(column_map[name].casefold())
            if header is None:
                raise InputError(
                    Message(
                        "error.map_no_column",
                        file=raw.label,
                        mapping=Verbatim(f"{name}={column_map[name]}"),
                    ),
                    Message("hint.file_columns", columns=listed(raw.headers)),
                )
            resolved[name] = header
            continue
        for alt in alternatives:
            if alt.casefold() in present:
                resolved[name] = present[alt.casefold()]
                break
    missing = [n for n in preset.required if n not in resolved]
    if missing:
        wanted = [
            Message(
                "wanted_column",
                headers=joined([Verbatim(repr(h)) for h in preset.fields[n]]),
                field=Verbatim(n),
            )
            for n in missing
        ]
        raise InputError(
            Message(
                "error.preset_missing_columns",
                file=raw.label,
                wanted=joined(wanted, "header_list"),
                preset=Verbatim(preset.name),
            ),
            Message(
                "hint.preset_missing_columns",
                found=listed(raw.headers),
                column=Verbatim(missing[0]),
            ),
        )
    return resolved, [h for h in raw.headers if h not in set(resolved.values())]


def _passthrough(src: Spooled, encoding: str | None) -> Normalised:
    """A canonical file: the input itself when it is UTF-8 (on disk or spooled stdin),
    else its rows decoded, batch by batch."""
    headers, enc = read_headers(src, encoding)
    table = _canonical_table(headers) or ORDERS
    known = set(table.column_names)
    if enc in ("utf-8", "utf-8-sig") and not src.excel:
        try:
            rows = pl.scan_csv(src.path, infer_schema=False).select(pl.len()).collect().item()
        except pl.exceptions.PolarsError:
            rows = -1  # the loader reports what is wrong
        return Normalised(
            CANONICAL,
            enc,
            table.name,
            "rows",
            src.path,
            int(rows),
            {h.lower(): h for h in headers if h.lower() in known},
            [h for h in headers if h.lower() not in known],
            temp=src.temp,
        )
    raw = read_any(src, enc)
    normalised = Normalised(
        CANONICAL,
        raw.encoding,
        table.name,
        "rows",
        None,
        -1,
        {h.lower(): h for h in raw.headers if h.lower() in known},
        [h for h in raw.headers if h.lower() not in known],
        raw.warnings,
        on_cleanup=[raw.cleanup, src.cleanup],
    )

    def batches(con: duckdb.DuckDBPyConnection) -> Batches:
        normalised.rows_in = 0
        with contextlib.closing(raw.batches(con)) as rows:
            for batch in rows:
                normalised.rows_in += batch.height
                yield batch.select("_line", *raw.headers)

    normalised.batches = batches
    return normalised


def normalise(
    path: Path,
    read: ReadOptions | None = None,
    recognise: Recognition | None = None,
    skip_invalid: bool = False,
    timezone: str | None = None,
) -> Normalised:
    """Recognise an export (path, or ``-`` for stdin; CSV/TSV/xlsx/xls, gzip) and how it
    maps to a canonical table: a canonical UTF-8 file is read in place; any other file's
    canonical text rows come batch by batch from ``Normalised.batches``.
    ``recognise.preset`` forces a preset (else it is detected); ``recognise.column_map``
    (canonical column → source header) adjusts a preset's columns, or, for an export no
    preset knows, maps it generically (with ``status_map`` for its status values and
    ``table`` orders|reviews); ``skip_invalid`` skips the rows the preset cannot read;
    times with an offset become the local time of ``timezone`` (default: the model's).
    The caller must ``cleanup()`` the result."""
    read, recognise = read or ReadOptions(), recognise or Recognition()
    encoding, preset, table = read.encoding, recognise.preset, recognise.table
    status_map = dict(recognise.status_map) or None
    column_map = dict(recognise.column_map)
    src = spool(Path(path))
    raw: RawTable | None = None
    try:
        if preset == CANONICAL or (preset is None and not column_map):
            headers, _enc = read_headers(src, encoding)
            detected = _detect_headers(headers) if preset is None else CANONICAL
            if detected is None:
                raise _no_preset(src.label, headers)
            known = _canonical_table(headers)
            if known is not None and recognise.shop_id and not _has_shop_column(headers):
                preset, table = MAPPED, known.name  # a canonical file of one shop: --shop
            elif detected == CANONICAL:
                return _passthrough(src, encoding)
            else:
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
        resolved, unmapped = _resolve(spec, raw, column_map)
    except BaseException:
        if raw is not None:
            raw.cleanup()
        src.cleanup()
        raise
    columns = DATA_TABLE_BY_NAME[spec.table].column_names
    normalised = Normalised(
        spec.name,
        raw.encoding,
        spec.table,
        spec.mode,
        None,
        -1,
        {c: h for c, h in resolved.items() if c in columns},  # completed by the mapping
        unmapped,
        list(raw.warnings),
        on_cleanup=[raw.cleanup, src.cleanup],
    )
    if timezone is None:
        from svc_cli.config import load_config

        timezone = load_config().timezone
    normalised.batches = _Mapper(spec, raw, resolved, normalised, recognise, skip_invalid, timezone)
    return normalised


@dataclass
class _Mapper:
    """The map step of one platform export: its rows, batch by batch, cleaned and
    transformed by the preset into canonical text columns. Reading to the end completes
    the ``Normalised``: mapping, warnings, rows read and the rows the preset skipped."""

    preset: Preset
    raw: RawTable
    resolved: dict[str, str]  # field -> source header
    out: Normalised
    recognise: Recognition
    skip_invalid: bool
    timezone: str

    def __call__(self, con: duckdb.DuckDBPyConnection) -> Batches:
        preset, raw, resolved = self.preset, self.raw, self.resolved
        used = sorted(set(resolved.values()))
        ctx = Ctx(
            preset=preset,
            label=raw.label,
            frame=pl.DataFrame(),
            headers=resolved,
            # trimmed as the cells are (the stage does not trim mapped text again)
            shop_id=(self.recognise.shop_id or "").strip(CELL_STRIP) or None,
            skip_invalid=self.skip_invalid,
            shop_fallback=self.recognise.shop_fallback,
            statuses=preset.statuses,
            timezone=self.timezone,
            warnings=list(raw.warnings),
        )
        rows, columns, rejected = 0, None, []
        with contextlib.ExitStack() as open_readers:  # closed however the mapping ends
            batches = open_readers.enter_context(contextlib.closing(raw.batches(con)))
            if preset.grain != "order":  # rows of one order are aggregated: keep them together
                batches = _by_order(batches, resolved["order_id"], raw, con)
                open_readers.enter_context(contextlib.closing(batches))
            ahead = open_readers.enter_context(contextlib.closing(_read_ahead(batches)))
            for batch in ahead:
                frame = clean_cells(batch.select("_line", *used), used, raw.bom)
                rows += batch.height
                ctx.frame = frame.select(
                    "_line",
                    *(pl.col(header).alias(name) for name, header in resolved.items()),
                    *(pl.lit(None, pl.String).alias(n) for n in preset.fields if n not in resolved),
                )
                canonical = to_canonical(preset.transform(ctx), preset.table, preset.mode)
                if ctx.rejected:
                    rejected.append(_rejected_rows(batch, ctx.rejected, raw.headers))
                    ctx.rejected = {}
                columns = canonical.columns
                yield canonical
        if rows == 0:
            ctx.warn(Message("preset_header_only", file=raw.label))
            empty = pl.DataFrame(
                schema={"_line": pl.Int64, "shop_id": pl.String, "order_id": pl.String}
            )
            canonical = to_canonical(empty, preset.table, "rows")
            if preset.mode == "merge":
                canonical = canonical.select("_line", "order_id", "shop_id")
            columns = canonical.columns
            yield canonical
        mapping = {c: ctx.notes.get(c, resolved.get(c, "")) for c in columns or [] if c != "_line"}
        mapping = {c: v for c, v in mapping.items() if v}
        if columns and "shop_id" in columns:
            mapping["shop_id"] = (
                "given shop id"
                if self.recognise.shop_id
                else resolved.get("shop", mapping.get("shop_id", ""))
            )
        self.out.mapping, self.out.warnings, self.out.rows_in = mapping, ctx.warnings, rows
        self.out.set_rejects(_write_rejects(rejected))
        self.out.skipped = sum(frame.height for frame in rejected)
        self.out.skipped_problems = [ctx.row_problem(p) for p in ctx.skipped_problems]


def _read_ahead(batches: Batches) -> Batches:
    """The batches, the next one read in a thread of its own while the caller maps the
    current one (DuckDB's read and Polars run without Python's lock: the map step uses
    both cores). The reading thread only reads: cleaning the cells there made it the
    slower of the two."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="svc-read") as pool:
        pending = pool.submit(next, batches, None)
        while (batch := pending.result()) is not None:
            pending = pool.submit(next, batches, None)
            yield batch


#: The most rows (line items) one order may have in an export: they are mapped together.
MAX_ORDER_ROWS = 100_000


def _by_order(
    batches: Batches, header: str, raw: RawTable, con: duckdb.DuckDBPyConnection
) -> Batches:
    """The same rows in batches that never split one order's rows (line items): staged
    in a DuckDB table (which spills to disk), read back grouped by the (cleaned) order
    id, the rows of a batch's last order carried over to the next batch."""
    cursor = con.cursor()
    try:
        created = False
        for batch in batches:
            cleaned = clean_cells(batch.select(header), [header], raw.bom)
            keyed = batch.with_columns(_key=cleaned[header])
            cursor.register("svc_batch", keyed)
            cursor.execute(
                "INSERT INTO svc_lines SELECT * FROM svc_batch"
                if created
                else "CREATE TEMP TABLE svc_lines AS SELECT * FROM svc_batch"
            )
            cursor.unregister("svc_batch")
            created = True
        if not created:
            return
        carry: pl.DataFrame | None = None
        # in order of each order's first line, as the file has them
        sorted_rows = cursor.sql(
            "SELECT l.* FROM svc_lines l JOIN (SELECT _key, min(_line) AS _first "
            "FROM svc_lines GROUP BY _key) f ON l._key IS NOT DISTINCT FROM f._key "
            "ORDER BY f._first, l._line"
        )
        for record_batch in sorted_rows.to_arrow_reader(BATCH_ROWS):
            frame = pl.from_arrow(record_batch)
            assert isinstance(frame, pl.DataFrame)
            if carry is not None:
                frame = pl.concat([carry, frame])
            last = pl.col("_key").eq_missing(frame["_key"][-1])
            carry = frame.filter(last)
            if carry.height > MAX_ORDER_ROWS:  # one order's rows are held in memory at once
                raise InputError(
                    Message(
                        "error.order_too_many_lines",
                        file=raw.label,
                        line=Verbatim(str(carry["_line"][0])),
                        order=Verbatim(repr(frame["_key"][-1])),
                        max=Verbatim(f"{MAX_ORDER_ROWS:,}"),
                    ),
                    Message("hint.rows_repeated"),
                )
            if carry.height < frame.height:
                yield frame.filter(~last).drop("_key")
        if carry is not None:
            yield carry.drop("_key")
    finally:
        cursor.close()


def _rejected_rows(
    batch: pl.DataFrame, rejected: dict[int, list[str]], headers: list[str]
) -> pl.DataFrame:
    """The rows of a batch skipped as invalid, as read (original columns), with their
    line and errors."""
    errors = pl.DataFrame(
        {"_line": list(rejected), "_errors": ["; ".join(e) for e in rejected.values()]},
        schema={"_line": pl.Int64, "_errors": pl.String},
    )
    rows = errors.join(batch, on="_line", how="left")
    return rows.select(
        pl.col("_line").alias("line"),
        pl.col("_errors").alias("errors"),
        *(h for h in headers if h not in ("line", "errors")),
    )


def _write_rejects(rejected: list[pl.DataFrame]) -> Path | None:
    """The rows the preset skipped, in line order, in an anonymous temporary CSV."""
    if not rejected:
        return None
    path = tempfiles.create("svc-rejects-", ".csv")  # anonymous: no crash leaves it
    try:
        pl.concat(rejected).sort("line").write_csv(path, null_value="", quote_style="necessary")
    except BaseException:
        tempfiles.discard(path)
        raise
    return path


def describe(name: str) -> str:
    """A one-paragraph description of a preset (for `svc inspect`)."""
    p = _lookup(name)
    return (
        f"{p.name}: {p.title}. Table {p.table} ({p.mode}); grain {p.grain}; money "
        f"{p.order_money}; detected by headers {fingerprint_text(p)}; encoding {p.encoding}."
    )
