"""The shared base of every preset: declarations, value parsers, validation, aggregation.

A preset declares which source headers feed which *fields* (canonical columns plus a few
helper fields such as a close reason), the headers that identify it (its fingerprint),
its status table and its grain. Its ``transform`` turns the cleaned text frame into
canonical values with the vectorised helpers of :class:`Ctx`; every value that cannot
be parsed is collected with its source line and column, then reported as an error (or
its row skipped with ``skip_invalid``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from svc_cli.errors import InputError, RowProblem, shown_value
from svc_cli.i18n import Message, Verbatim, joined, label, translate
from svc_cli.normalised import TIME_FORMAT
from svc_cli.schema import DATA_TABLE_BY_NAME, ORDER_STATUSES, REFUND_STATUSES

MONEY = pl.Decimal(18, 2)
STATUS_RANK = {"pending": 0, "paid": 1, "shipped": 2, "completed": 3}
MAX_SHOWN = 5


@dataclass(frozen=True)
class Preset:
    """One export format (see docs/presets.md for each)."""

    name: str
    title: str
    table: str  # orders | reviews | chats (column maps only)
    mode: str  # rows | merge
    fingerprint: tuple[str, ...]  # headers that must all be present; "a|b" = either
    fields: Mapping[str, tuple[str, ...]]  # field -> source headers (first present wins)
    transform: Callable[[Ctx], pl.DataFrame]
    required: tuple[str, ...] = ()  # fields whose header must be present
    statuses: Mapping[str, str] = field(default_factory=dict)  # source value -> canonical
    status_field: str = "status"  # the field holding the source status
    status_target: str = "status"  # canonical column it maps to (status | refund_status)
    status_rules: tuple[str, ...] = ()  # conditional status rules, for the docs
    grain: str = "order"  # order | line
    order_money: str = "per order"  # repeated | first_row | per_line | per order
    formats: str = "csv"
    encoding: str = "sniffed"
    priority: int = 100  # lower is tried first
    missing: tuple[str, ...] = ()  # canonical columns this export cannot provide
    notes: tuple[str, ...] = ()

    def matches(self, headers: Iterable[str]) -> bool:
        present = {h.casefold() for h in headers}
        return all(any(a.casefold() in present for a in f.split("|")) for f in self.fingerprint)


# --- money, ids, dates -------------------------------------------------------------------

_NUMBER = r"^-?\d+(\.\d+)?$"
_SCI = r"^\d(\.\d+)?[eE]\+?\d+$"
_TS = (
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_SERIAL = r"^\d{5}(\.\d+)?$"
_PLAIN_MONEY = r"^\d{1,16}(\.\d{1,2})?$"


def money_text(expr: pl.Expr) -> pl.Expr:
    """Strip currency signs, 元, thousands separators and spaces from an amount."""
    return expr.str.replace_all(r"[¥￥$€£元,，\s]|RMB|CNY|USD|EUR|JPY|GBP", "")


def money_value(text: pl.Expr) -> pl.Expr:
    """Cleaned amount text → Decimal(18,2), rounded half up (computed on the digits, so
    no float and no banker's rounding); null if not a number."""
    parts = text.str.extract_groups(r"^(-?)(\d{1,16})(?:\.(\d*))?$")
    sign, whole = parts.struct.field("1"), parts.struct.field("2")
    frac = pl.concat_str(parts.struct.field("3").fill_null(""), pl.lit("000")).str.slice(0, 3)
    cents = (
        whole.cast(pl.Int64, strict=False) * 100
        + frac.str.slice(0, 2).cast(pl.Int64, strict=False)
        + (frac.str.slice(2, 1) >= "5").cast(pl.Int64)
    )
    exact = pl.format("{}{}.{}", sign, cents // 100, (cents % 100).cast(pl.String).str.zfill(2))
    return exact.cast(MONEY, strict=False)


def _local_time(text: pl.Expr) -> pl.Expr:
    """Text in the canonical form → Datetime; null for any other text."""
    return text.str.strptime(pl.Datetime("us"), TIME_FORMAT, strict=False, cache=False)


def ts_value(text: pl.Expr) -> pl.Expr:
    """Date/time text → ``YYYY-MM-DD HH:MM:SS`` (+``±HH:MM`` when the source has an
    offset); null if unparsable. Handles ``2026-05-31 14:16:18``, Excel-resaved
    ``2018/5/16 9:41``, ``2024年1月5日 10:20``, ISO 8601 with T/Z/offset, ``+0200``, ``UTC``,
    date-only, and Excel serial numbers (days since 1899-12-30)."""
    parts = text.str.extract_groups(_TS)
    pad = lambda i, default="00": parts.struct.field(str(i)).fill_null(default).str.zfill(2)  # noqa: E731
    zone = parts.struct.field("7")
    offset = (
        pl.when(zone.is_in(["Z", "UTC", "GMT"]))
        .then(pl.lit("+00:00"))
        .when(zone.is_not_null())
        .then(zone.str.replace(r"^([+-]\d{2}):?(\d{2})$", "$1:$2"))
        .otherwise(pl.lit(""))
    )
    stamp = pl.format(
        "{}-{}-{} {}:{}:{}", parts.struct.field("1"), pad(2), pad(3), pad(4), pad(5), pad(6)
    )
    checked = stamp.str.to_datetime(TIME_FORMAT, strict=False)
    from_parts = pl.when(checked.is_not_null()).then(stamp + offset)
    serial = pl.when(text.str.contains(_SERIAL)).then(text.cast(pl.Float64, strict=False))
    from_serial = (
        (
            pl.lit(-2209161600000, dtype=pl.Int64)  # 1899-12-30 in ms since the epoch
            + (serial * 86_400_000).round(0).cast(pl.Int64)
        )
        .cast(pl.Datetime("ms"))
        .dt.strftime(TIME_FORMAT)
    )
    return pl.coalesce(from_parts, from_serial)


# --- refund reasons (one keyword table, first match wins) --------------------------------

REFUND_REASON_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "not_as_described",
        (
            "描述不符",
            "与描述",
            "发错货",
            "错发",
            "色差",
            "尺码不符",
            "假冒",
            "假货",
            "不是正品",
            "not as described",
            "bad desc",
            "wrong item sent",
            "received wrong item",
            "switcheroo",
            "inaccurate",
            "different from",
        ),
    ),
    (
        "quality",
        (
            "质量",
            "破损",
            "损坏",
            "瑕疵",
            "做工",
            "故障",
            "变质",
            "过期",
            "异味",
            "坏了",
            "defective",
            "damaged",
            "quality",
            "broken",
            "missing parts",
            "does not work",
        ),
    ),
    (
        "logistics",
        (
            "物流",
            "快递",
            "未收到",
            "没收到",
            "没有收到",
            "未按约定时间发货",
            "发货",
            "少件",
            "漏发",
            "空包",
            "配送",
            "missed estimated delivery",
            "late delivery",
            "never arrived",
            "not received",
            "carrier",
            "undeliverable",
        ),
    ),
    (
        "no_reason",
        (
            "无理由",
            "不想要",
            "拍错",
            "多拍",
            "不喜欢",
            "买错",
            "no longer needed",
            "unwanted",
            "ordered wrong",
            "mistake",
            "changed mind",
            "better price",
            "accidental",
            "no reason",
            "unauthorized purchase",
        ),
    ),
)


def refund_reason(text: pl.Expr) -> pl.Expr:
    """Free-text refund/return reason → quality | not_as_described | logistics |
    no_reason | other (null when empty), by :data:`REFUND_REASON_KEYWORDS`."""
    lowered = text.str.to_lowercase().str.replace_all(r"[_\-]+", " ")
    out: Any = pl.when(text.is_null()).then(pl.lit(None, pl.String))
    for reason, words in REFUND_REASON_KEYWORDS:
        out = out.when(lowered.str.contains_any(list(words))).then(pl.lit(reason))
    return out.otherwise(pl.lit("other"))


# --- the per-file context ----------------------------------------------------------------


@dataclass
class Problem:
    line: int
    header: str
    value: str | None
    reason: str


def reason(key: str, **params: str | list[Verbatim]) -> Message:
    """A problem's reason from the catalog (shown in the user's language); a reason
    whose text names the row's value (``{value}``) gets it per row (``reason_text``)."""
    verbatim = {k: v if isinstance(v, list) else Verbatim(v) for k, v in params.items()}
    return Message(key, **verbatim, value=Verbatim("{value}"))


def reason_text(reason: str, value: str | None) -> str:
    """A problem's reason, with the value shown where it says ``{value}``."""
    if not isinstance(reason, Message) or "{value}" not in reason:
        return reason
    return Message(reason.key, **{**reason.params, "value": shown_value(value)})


@dataclass
class Ctx:
    """What a preset's transform works with: the cleaned frame (one String column per
    field, named by the field, plus ``_line``), the resolved source headers, options.

    A file is mapped batch by batch (``frame`` is the current batch) with one context:
    its warnings add up over the batches (``warn``), its problems are settled per batch."""

    preset: Preset
    label: str
    frame: pl.DataFrame
    headers: dict[str, str]  # field -> the source header it was read from
    shop_id: str | None
    skip_invalid: bool
    statuses: Mapping[str, str]
    timezone: str  # the shop's: a time with an offset is converted to it
    warnings: list[str] = field(default_factory=list)
    shop_fallback: bool = False  # shop_id only for files without a (filled) shop column
    notes: dict[str, str] = field(default_factory=dict)  # canonical column -> how derived
    problems: list[Problem] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)
    shown: int = 0  # skipped rows described in the warnings so far
    rejected: dict[int, list[str]] = field(default_factory=dict)  # line -> errors (skipped)
    skipped_problems: list[Problem] = field(default_factory=list)  # the first ones skipped

    def has(self, name: str) -> bool:
        return name in self.headers

    def header(self, name: str) -> str:
        return self.headers.get(name, name)

    def warn(self, message: str) -> None:
        """Add a warning once; a counted message (a ``count`` parameter) already given
        for an earlier batch gets the counts added up."""
        if isinstance(message, Message) and "count" in message.params:
            same = {k: v for k, v in message.params.items() if k != "count"}
            for i, known in enumerate(self.warnings):
                if (
                    isinstance(known, Message)
                    and known.key == message.key
                    and {k: v for k, v in known.params.items() if k != "count"} == same
                ):
                    total = int(known.params["count"]) + int(message.params["count"])
                    self.warnings[i] = Message(message.key, **same, count=str(total))
                    return
        if message not in self.warnings:
            self.warnings.append(message)

    # -- collecting problems --------------------------------------------------------------

    def flag_all(self, df: pl.DataFrame, checks: Sequence[tuple[pl.Expr, str, str]]) -> None:
        """``flag`` each (bad, name, reason) check: one pass over the batch tells which
        hold anywhere (a file is mapped in many small batches: the passes are the cost)."""
        if not checks or df.height == 0:
            return
        found = df.select(
            bad.fill_null(False).any().alias(f"c{i}") for i, (bad, _, _) in enumerate(checks)
        )
        for holds, (bad, name, reason) in zip(found.row(0), checks, strict=True):
            if holds:
                self.flag(df, bad, name, reason)

    def flag(self, df: pl.DataFrame, bad: pl.Expr, name: str, reason: str) -> None:
        """Record every row where ``bad`` holds as a problem of field ``name``."""
        hits = df.filter(bad.fill_null(False)).select("_line", pl.col(name).alias("_v"))
        if hits.height == 0:
            return
        self.bad_lines.update(hits["_line"].to_list())
        for line, value in hits.head(MAX_SHOWN).iter_rows():
            self.problems.append(Problem(line, self.header(name), value, reason))
        if self.skip_invalid:
            self._note_rejected(hits, name, reason)

    def _note_rejected(self, hits: pl.DataFrame, name: str, reason: str) -> None:
        """Keep why each skipped row is invalid, for the rejects file."""
        for line, value in hits.iter_rows():
            text = reason_text(reason, value)
            self.rejected.setdefault(line, []).append(f"{self.header(name)}: {text}")

    def settle(self, df: pl.DataFrame) -> pl.DataFrame:
        """Raise the collected problems, or drop their rows with ``skip_invalid``."""
        if not self.problems:
            return df
        self.problems.sort(key=lambda p: p.line)
        shown = [self.describe(p) for p in self.problems[:MAX_SHOWN]]
        if not self.skip_invalid:
            more = len(self.bad_lines) - 1
            first = Message("preset_more_invalid", first=shown[0], count=str(more))
            raise InputError(first if more > 0 else shown[0], Message("hint.preset_invalid"))
        self.warn(
            Message(
                "preset_skipped_rows",
                file=self.label,
                count=str(len(self.bad_lines)),
                preset=self.preset.name,
            )
        )
        self.warnings += shown[: max(0, MAX_SHOWN - self.shown)]
        self.shown += len(shown)
        self.skipped_problems += self.problems[: MAX_SHOWN - len(self.skipped_problems)]
        out = df.filter(~pl.col("_line").is_in(sorted(self.bad_lines)))
        self.problems.clear()
        self.bad_lines.clear()
        return out

    def row_problem(self, p: Problem) -> RowProblem:
        """A problem as the loader reports invalid rows."""
        shown = "{value}" in p.reason
        return RowProblem(
            self.label, p.line, p.header, p.value, reason_text(p.reason, p.value), shown
        )

    def describe(self, p: Problem) -> Message:
        where = {"file": self.label, "line": str(p.line), "column": Verbatim(repr(p.header))}
        text = reason_text(p.reason, p.value)
        if "{value}" in p.reason:
            return Message("row_problem_in_reason", **where, reason=text)
        value, preset = shown_value(p.value), Verbatim(self.preset.name)
        return Message("preset_problem", **where, reason=text, value=value, preset=preset)

    # -- parsers (each replaces a field's text with its canonical value) ------------------

    def ids(self, df: pl.DataFrame, *names: str, required: bool = True) -> pl.DataFrame:
        """Ids stay text; Excel's rounded scientific form (9.80052E+18) is an error, and its
        "123.0" is 123. One pass looks for what needs a closer look (an e or E, a value
        ending in 0 with a dot, a missing id): the regular expressions run only then."""
        if df.height == 0:
            return df
        cols = [pl.col(n) for n in names]
        found = df.select(
            *(c.str.contains_any(["e", "E"]).any().alias(f"e{i}") for i, c in enumerate(cols)),
            *(c.is_null().any().alias(f"n{i}") for i, c in enumerate(cols)),
            *(
                (c.str.ends_with("0") & c.str.contains(".", literal=True)).any().alias(f"d{i}")
                for i, c in enumerate(cols)
            ),
        ).row(0)
        k = len(names)
        for i, (name, col) in enumerate(zip(names, cols, strict=True)):
            if found[i]:
                self.flag(df, col.str.contains(_SCI), name, reason("preset_reason.sci_id"))
            if required and found[k + i]:
                self.flag(df, col.is_null(), name, reason("preset_reason.id_missing"))
        return df.with_columns(
            col.str.replace(r"\.0+$", "") for i, col in enumerate(cols) if found[2 * k + i]
        )

    def money(
        self,
        df: pl.DataFrame,
        *names: str,
        nulls: Iterable[str] = (),
        zero: Iterable[str] = (),
        negative: bool = False,
    ) -> pl.DataFrame:
        """Amounts → Decimal(18,2). Values in ``zero`` (e.g. 无退款申请) mean 0, in
        ``nulls`` mean unknown; anything else that is not a number is an error."""
        words = {**dict.fromkeys(nulls), **dict.fromkeys(zero, "0")}
        if words:
            df = df.with_columns(pl.col(n).replace(words) for n in names)
        # the common form, plain digits with at most two decimals, is cast directly
        simple = df.select(
            pl.col(n).str.contains(_PLAIN_MONEY).fill_null(True).all().alias(n) for n in names
        ).row(0)
        df = df.with_columns(pl.col(n).cast(MONEY) for n, s in zip(names, simple, strict=True) if s)
        for name in (n for n, s in zip(names, simple, strict=True) if not s):
            df = df.with_columns(money_value(money_text(pl.col(name))).alias(f"_m_{name}"))
            bad = pl.col(name).is_not_null() & pl.col(f"_m_{name}").is_null()
            self.flag(df, bad, name, reason("preset_reason.not_amount"))
            if not negative:
                below = pl.col(f"_m_{name}") < 0
                self.flag(df, below, name, reason("preset_reason.negative_amount"))
            df = df.drop(name).rename({f"_m_{name}": name})
        return df

    def counts(self, df: pl.DataFrame, *names: str) -> pl.DataFrame:
        for name in names:
            # plain digits, the common form, are cast directly
            direct = pl.col(name).cast(pl.Int64, strict=False)
            unread, negative = df.select(
                (pl.col(name).is_not_null() & direct.is_null()).any().alias("unread"),
                (direct < 0).any().alias("negative"),
            ).row(0)
            if not unread and not negative:
                df = df.with_columns(direct)
                continue
            text = pl.col(name).str.replace_all(r"[,\s件个]", "").str.replace(r"\.0+$", "")
            value = text.cast(pl.Int64, strict=False)
            df = df.with_columns(value.alias(f"_n_{name}"))
            self.flag_all(
                df,
                [
                    (
                        pl.col(name).is_not_null() & (pl.col(f"_n_{name}").is_null()),
                        name,
                        reason("reason.not_whole"),
                    ),
                    (pl.col(f"_n_{name}") < 0, name, reason("reason.negative")),
                ],
            )
            df = df.drop(name).rename({f"_n_{name}": name})
        return df

    def timestamps(
        self, df: pl.DataFrame, *names: str, required: Iterable[str] = ()
    ) -> pl.DataFrame:
        """Times → values (Datetime, the shop's local time), which the stage takes as
        they are: the canonical form parsed directly (the common case: no text for the
        stage to parse and check again), other forms through ``ts_value``, a time with an
        offset converted to ``timezone``; text that is no time is a problem here."""
        missing = reason("preset_reason.time_missing")
        self.flag_all(df, [(pl.col(n).is_null(), n, missing) for n in names if n in required])
        df = df.with_columns(_local_time(pl.col(n)).alias(f"_t_{n}") for n in names)
        unparsed = df.select(
            (pl.col(n).is_not_null() & pl.col(f"_t_{n}").is_null()).any().alias(n) for n in names
        ).row(0)
        for name, left in zip(names, unparsed, strict=True):
            if left:  # other forms: only the values the canonical form did not read
                text = ts_value(pl.col(name))
                offset = text.str.strptime(
                    pl.Datetime("us", "UTC"), f"{TIME_FORMAT}%:z", strict=False
                )
                local = offset.dt.convert_time_zone(self.timezone).dt.replace_time_zone(None)
                converted = pl.coalesce(pl.col(f"_t_{name}"), _local_time(text), local)
                df = df.with_columns(converted.alias(f"_t_{name}"))
                self.flag(
                    df,
                    pl.col(name).is_not_null() & pl.col(f"_t_{name}").is_null(),
                    name,
                    reason("preset_reason.not_time"),
                )
        return df.drop(names).rename({f"_t_{n}": n for n in names})

    def status(
        self, df: pl.DataFrame, name: str | None = None, *, normalise_comma: bool = False
    ) -> pl.DataFrame:
        """Map the status field through the preset's table; an unknown value is an error
        naming the value, the column, the line and the preset."""
        name = name or self.preset.status_field
        table = dict(self.statuses)
        if normalise_comma:  # each comma of a status either way (, or ，)
            table = {v: dst for k, dst in table.items() for v in _comma_variants(k)}
        mapped = pl.col(name).replace_strict(table, default=None, return_dtype=pl.String)
        df = df.with_columns(mapped.alias("_status"))
        known = ", ".join(sorted(set(self.statuses)))
        unknown = reason("preset_reason.unknown_status", preset=self.preset.name, known=known)
        self.flag_all(
            df,
            [
                (pl.col(name).is_not_null() & pl.col("_status").is_null(), name, unknown),
                (pl.col(name).is_null(), name, reason("preset_reason.status_missing")),
            ],
        )
        return df.drop(name).rename({"_status": self.preset.status_target})

    def shop(self, df: pl.DataFrame, name: str | None = "shop") -> pl.DataFrame:
        """shop_id: the ``shop_id`` argument if given (with ``shop_fallback``: only when the
        file has no filled shop column), else the file's shop column."""
        if df.height == 0:  # every row of the batch skipped as invalid: no shop to name
            return df.with_columns(shop_id=pl.lit(self.shop_id, pl.String))
        has_column = name is not None and self.has(name) and df[name].null_count() < df.height
        if self.shop_id and not (self.shop_fallback and has_column):
            if name and name in df.columns:
                other = df.filter(pl.col(name).is_not_null() & (pl.col(name) != self.shop_id))
                warned = any(getattr(w, "key", "") == "shop_column_ignored" for w in self.warnings)
                if other.height and not warned:  # once per file, not per batch
                    self.warn(
                        Message(
                            "shop_column_ignored",
                            file=self.label,
                            shop=repr(self.shop_id),
                            column=repr(self.header(name)),
                            example=repr(other[name][0]),
                        )
                    )
            return df.with_columns(shop_id=pl.lit(self.shop_id))
        give = Message("hint.give_shop")
        if not name or not self.has(name) or df[name].null_count() == df.height:
            preset = Verbatim(self.preset.name)
            if name and self.has(name):
                column = Verbatim(repr(self.header(name)))
                problem = Message(
                    "error.shop_column_empty", file=self.label, preset=preset, column=column
                )
            else:
                problem = Message("error.no_shop_column", file=self.label, preset=preset)
            raise InputError(problem, give)
        missing = df.filter(pl.col(name).is_null())
        if missing.height:
            where = {"file": self.label, "line": str(missing["_line"][0])}
            column = Verbatim(repr(self.header(name)))
            count = str(missing.height)
            raise InputError(
                Message("error.shop_id_missing", **where, column=column, count=count), give
            )
        return df.with_columns(shop_id=pl.col(name))


def _comma_variants(text: str) -> list[str]:
    """``text`` with each of its commas either ASCII or full-width."""
    parts = text.replace("，", ",").split(",")
    return [
        parts[0] + "".join(c + p for c, p in zip(commas, parts[1:], strict=True))
        for commas in itertools.product(",，", repeat=len(parts) - 1)
    ]


# --- grain: line items → orders ----------------------------------------------------------


def order_status(lines: pl.Expr) -> pl.Expr:
    """An order's status from its lines' statuses: the least advanced of the live lines
    (pending < paid < shipped < completed); if none is live, refunded if any line was
    refunded, else cancelled."""
    rank = lines.replace_strict(STATUS_RANK, default=None, return_dtype=pl.Int64)
    live = rank.min()
    names = list(STATUS_RANK)
    by_rank = live.replace_strict(dict(enumerate(names)), default=None, return_dtype=pl.String)
    return (
        pl.when(live.is_not_null())
        .then(by_rank)
        .when((lines == "refunded").any())
        .then(pl.lit("refunded"))
        .otherwise(pl.lit("cancelled"))
    )


def sku_list(col: str = "sku") -> pl.Expr:
    return pl.col(col).drop_nulls().unique(maintain_order=True).str.join(";").replace("", None)


def first(col: str) -> pl.Expr:
    return pl.col(col).drop_nulls().first()


def aggregate_lines(
    ctx: Ctx,
    df: pl.DataFrame,
    money: str,
    money_cols: tuple[str, ...] = ("amount",),
    keys: tuple[str, ...] = ("shop_id", "order_id"),
) -> pl.DataFrame:
    """One row per order from line rows, by the preset's money semantics:
    ``repeated`` (every line carries the order's amount: take it once), ``first_row``
    (order fields only on the first line: take the first non-empty), ``per_line`` (each
    line carries its own share: sum). Quantities are summed, SKUs joined with ``;``,
    ordered/paid times the earliest, shipped/delivered times the latest of the lines.
    Any other column takes its first non-empty value."""
    aggs: list[pl.Expr] = [pl.col("_line").min()]
    for name in df.columns:
        if name in keys or name == "_line":
            continue
        if name in money_cols:
            aggs.append(pl.col(name).sum() if money == "per_line" else first(name))
            if money == "repeated":
                aggs.append((pl.col(name).drop_nulls().n_unique() > 1).alias(f"_diff_{name}"))
        elif name == "quantity":
            aggs.append(pl.col(name).sum())
        elif name == "sku":
            aggs.append(sku_list())
        elif name == "status":
            aggs.append(order_status(pl.col("status")))
        elif name in ("ordered_at", "paid_at", "refund_requested_at"):
            aggs.append(pl.col(name).min())
        elif name in ("shipped_at", "delivered_at", "refund_completed_at"):
            aggs.append(pl.col(name).max())
        elif name == "escalated":
            aggs.append(pl.col(name).any())
        else:
            aggs.append(first(name))
    out = df.group_by(list(keys), maintain_order=True).agg(aggs)
    for name in money_cols:
        flag = f"_diff_{name}"
        if flag in out.columns:
            n = int(out[flag].sum())
            if n:
                ctx.warn(
                    Message(
                        "lines_disagree",
                        file=ctx.label,
                        count=str(n),
                        column=repr(ctx.header(name)),
                        preset=ctx.preset.name,
                    )
                )
            out = out.drop(flag)
    return out


# --- output --------------------------------------------------------------------------------


def _widened_money(df: pl.DataFrame, name: str) -> bool:
    """Whether column ``name`` holds amounts of two decimals in a wider Decimal than
    MONEY (Polars widens a sum or ``fill_null(0)``) that all fit MONEY; a sum that does
    not fit goes to the stage as text, which refuses it, naming the row."""
    dtype = df.schema[name]
    if not isinstance(dtype, pl.Decimal) or dtype.scale != 2 or dtype == MONEY:
        return False
    c = pl.col(name)
    return bool(df.select((c.cast(MONEY, strict=False).is_null() == c.is_null()).all()).item())


def to_canonical(df: pl.DataFrame, table: str, mode: str) -> pl.DataFrame:
    """The source line (``_line``: the first line of an order's line items) and the
    canonical columns as text, in the table's order: the rows the stage reads. Times,
    amounts and counts the preset parsed stay values (Datetime, Decimal(18,2), Int64):
    the stage takes them as they are, not as text to parse and check again."""
    out = [pl.col("_line").cast(pl.Int64)]
    for column in DATA_TABLE_BY_NAME[table].columns:
        name = column.name
        if name not in df.columns:
            if mode == "rows":
                out.append(pl.lit(None, pl.String).alias(name))
            continue
        dtype = df.schema[name]
        c = pl.col(name)
        if column.kind == "money" and _widened_money(df, name):
            out.append(c.cast(MONEY))  # e.g. by ``fill_null(0)``: still a value
            continue
        if (column.kind, dtype) in (
            ("money", MONEY),
            ("count", pl.Int64),
            ("timestamp", pl.Datetime("us")),
        ):
            out.append(c)
            continue
        if dtype == pl.Boolean:
            c = pl.when(c).then(pl.lit("true")).when(~c).then(pl.lit("false"))
        out.append(c.cast(pl.String).alias(name))
    return df.select(out)


def status_doc_rows(preset: Preset) -> list[tuple[str, str]]:
    return [(src, dst) for src, dst in preset.statuses.items()]


def check_statuses(preset: Preset) -> None:
    """Status tables may only name canonical values (checked at import)."""
    allowed = ORDER_STATUSES if preset.status_target == "status" else REFUND_STATUSES
    for src, dst in preset.statuses.items():
        if dst not in allowed:
            raise ValueError(f"{preset.name}: status {src!r} maps to unknown {dst!r}")


def fingerprint_text(preset: Preset, lang: str = "en") -> str:
    """The headers that recognise ``preset``: ``订单编号, 支付单号 or 确认收货打款金额``
    (``订单编号、支付单号 或 确认收货打款金额``)."""
    return label("list_separator", lang).join(
        translate(joined([Verbatim(h) for h in f.split("|")]), lang) for f in preset.fingerprint
    )


def normalise_key(value: str) -> str:
    return re.sub(r"\s+", "", value).casefold()


# --- reviews -------------------------------------------------------------------------------

# Texts of reviews the platform wrote for the buyer (no real opinion): dropped.
DEFAULT_REVIEW_TEXTS = (
    "默认好评",
    "系统默认好评",
    "该用户觉得商品非常好",
    "该用户觉得商品很好",
    "此用户没有填写评价",
    "此用户没有填写评价。",
    "评价方未及时做出评价,系统默认好评!",
    "评价方未及时做出评价，系统默认好评！",
)


def is_default_review(text: pl.Expr) -> pl.Expr:
    return text.is_in(list(DEFAULT_REVIEW_TEXTS)) | text.str.contains("系统默认好评|默认好评")


def finish_reviews(ctx: Ctx, df: pl.DataFrame, drop_default: pl.Expr | None = None) -> pl.DataFrame:
    """Drop default/system reviews (counted in a warning), warn about reviews that belong
    to no order. Missing review ids are synthesised on load, as for canonical files."""
    default = drop_default if drop_default is not None else is_default_review(pl.col("text"))
    n_default = df.filter(default.fill_null(False)).height
    if n_default:
        ctx.warn(Message("default_reviews_dropped", file=ctx.label, count=str(n_default)))
        df = df.filter(~default.fill_null(False))
    if "order_id" not in df.columns:
        df = df.with_columns(order_id=pl.lit(None, pl.String))
    if "review_id" not in df.columns:
        df = df.with_columns(review_id=pl.lit(None, pl.String))
    if df.height and df["review_id"].null_count():
        # synthesised on load, by the one formula canonical files get too (stage.py)
        ctx.notes.setdefault("review_id", "h + md5(shop_id|order_id|created_at|rating|text)")
    orphans = df.filter(pl.col("order_id").is_null()).height
    if orphans:
        ctx.warn(orphan_reviews_message(ctx, orphans))
    return df


def orphan_reviews_message(ctx: Ctx, orphans: int) -> Message:
    """What becomes of reviews without an order id: an export with no order column (review
    apps) is loaded for good_review_rate only; in an export that has one, they are invalid."""
    if "order_id" not in ctx.headers:
        return Message(
            "reviews_without_order", file=ctx.label, count=str(orphans), preset=ctx.preset.name
        )
    return Message(
        "reviews_without_order_invalid",
        file=ctx.label,
        count=str(orphans),
        column=repr(ctx.headers["order_id"]),
    )
