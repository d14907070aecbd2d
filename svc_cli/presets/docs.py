"""docs/presets.md, generated from the preset registry so the two cannot drift apart.

    python -m svc_cli.presets.docs > docs/presets.md

(a test fails when the committed file differs from this output).
"""

from __future__ import annotations

from svc_cli.presets import PRESETS
from svc_cli.presets.base import (
    DEFAULT_REVIEW_TEXTS,
    REFUND_REASON_KEYWORDS,
    Preset,
    fingerprint_text,
)

INTRO = """\
# Platform export presets

`svc load` and `svc score --orders` take the files that shops' back offices export. Each
format is a *preset*: recognised from its header (or forced with `--preset NAME`), read
with its encoding, and normalised to a canonical table (spec §1, `svc_cli/schema.py`).
This page is generated from the presets themselves (`python -m svc_cli.presets.docs`).
Formats were built from what third-party parsers and vendor documentation show of the real
files; where that evidence is thin, the preset says what it assumes.

## How every file is read

- **Containers**: CSV or TSV (delimiter from the header line), `.xlsx`/`.xls` (first
  sheet, first row = header; date cells read as date-times), gzip (by magic bytes), or
  `-` for stdin.
- **Encoding**: sniffed in the order UTF-8 with BOM → UTF-8 → GB18030 (a superset of GBK)
  → cp1252 → cp932, on the first 256 KiB, by decoding strictly and checking that the
  characters are plausible for the encoding (a lone hanzi between Latin letters is a
  misread accent). The whole file is then decoded strictly, so a wrong guess or a file
  that mixes encodings is an error naming the line, never mojibake. `--encoding` forces
  one (with a warning if the text looks like another). The chosen encoding is reported.
- **Headers**: spaces, tabs, U+3000, the BOM and a `="…"` wrapper are stripped; matching is
  case-insensitive; a duplicated header is an error.
- **Cells**: read as text (ids are never numbers: 19 digits stay exact); trimmed of
  whitespace (spaces, tabs, line ends, no-break and ideographic spaces: Unicode's
  White_Space) and byte-order marks; the `="…"` wrapper and a leading `'` before digits
  removed; empty = missing.
- **Ids**: an id in scientific notation (`9.80052E+18`, a spreadsheet rounded it) is an error.
- **Money**: `¥`, `￥`, `$`, `€`, `£`, `元`, currency codes, spaces and thousands separators
  removed; decimal, rounded half up to cents (never float).
- **Dates**: `2026-05-31 14:16:18`, Excel-resaved `2018/5/16 9:41`, `2024年1月5日 10:20`,
  ISO 8601 (`T`, `Z`, `+02:00`), `2025-10-07 09:50:26 +0200`, `… UTC`, date-only, and
  Excel serial numbers (days since 1899-12-30). Output: the time in the shop's time zone
  (`timezone` of the model; a time with an offset is converted to it), handed to the
  loader as a value (`svc inspect` shows it as `YYYY-MM-DD HH:MM:SS`).
- **Invalid values** (unknown status, unparsable date, text in a money column …): an error
  naming file, line, column, value and preset, e.g.
  `orders.csv:17: column '订单状态': unknown status '已退货' for preset taobao_orders_v1 (known: …)`;
  with `--skip-invalid` (or up to N rows with `--max-errors N`) the row is skipped with a
  warning and written to the rejects file instead. Unknown statuses are
  never mapped silently.
- **Shop id**: a given `--shop` is used for every row (a warning if the file names
  another); otherwise the preset's shop column; neither is an error.
- **Batches**: the rows are read by DuckDB as a stream and mapped 200,000 at a time, so
  memory holds one batch whatever the file's size. The rows of one order (line items,
  refunds) are mapped together: they are first gathered by order id in a table DuckDB
  spills to disk; an order of more than 100,000 rows is an error. A line longer than
  2,000,000 bytes is an error found while decoding.
- **Output**: canonical columns (text; times, amounts and counts as the values parsed
  here, which the loader does not parse again), each batch handed to the loader as
  Arrow (no temporary CSV). Mode `rows` = whole rows (upsert); mode `merge` = the
  keys plus some order columns, to update orders already loaded (refunds, item reports).
- **Canonical files** (the format of `tests/data/golden/*.csv`) pass through untouched as
  preset `canonical`.

## Unknown exports: column maps

A format no preset knows needs no code: map canonical columns to its headers with
`--map order_id=单号 --map ordered_at=下单时间 …` or a TOML file:

```toml
table = "orders"          # or reviews
shop_id = "my-shop"       # optional
[columns]                 # canonical column = source header
order_id = "单号"
ordered_at = "下单时间"
amount = "金额"
status = "状态"
[status]                  # source value = canonical status
"已完成" = "completed"
"待付款" = "pending"
```

Values are parsed by the column's type as above; without a `[status]` table the status
values must already be canonical. `--map` also adjusts a known preset (e.g. a renamed
header: `--preset taobao_orders_v1 --map ordered_at=创建时间`); its helper fields (named in
each preset's mapping table below) can be mapped the same way.

## Refund reasons (free text → canonical)

The first row whose keywords occur in the reason (case-insensitive, `_`/`-` read as
spaces) wins; a non-empty reason matching nothing is `other`.

| reason | keywords |
|---|---|
"""

REVIEWS = """
## Reviews

Default/system reviews are dropped and counted in a warning: texts
{defaults}, or containing 默认好评.
A review without an id gets `review_id` = `h` + md5 of shop, order, time, rating and
text when it is loaded — the same id whether it comes from a platform export or a
canonical CSV, and stable across runs.

Review-app and plugin exports (`shopify_product_reviews`, `judgeme_reviews`,
`yotpo_reviews`, `okendo_reviews`) carry no order id. Their reviews **are loaded**, with
an empty `order_id` and a warning, and count for **good_review_rate only**: they cannot
say which delivered order was reviewed badly, so they do not provide `reviews.order_id`
and **neg_feedback_rate is not assessed** from them ("not provided: reviews.order_id")
unless another review export that names each review's order is loaded for the shop. In
an export that does have an order column, a review with an empty order id is an invalid
row.

"""


def _section(p: Preset) -> str:
    lines = [f"## `{p.name}`", "", p.title + ".", ""]
    lines += [
        "| | |",
        "|---|---|",
        f"| detected by headers | {fingerprint_text(p)} |",
        f"| table / mode | {p.table} / {p.mode} |",
        f"| file / encoding | {p.formats} / {p.encoding} |",
    ]
    if p.table == "orders":
        lines += [f"| grain | {p.grain} |", f"| money | {p.order_money} |"]
    lines += ["", "| field | source header(s) |", "|---|---|"]
    for name, headers in p.fields.items():
        req = " (required)" if name in p.required else ""
        lines.append(f"| {name}{req} | {' or '.join(headers)} |")
    lines.append("")
    if p.statuses:
        target = p.status_target
        lines += [f"| {p.fields[p.status_field][0]} | {target} |", "|---|---|"]
        lines += [f"| {src} | {dst} |" for src, dst in p.statuses.items()]
        lines.append("")
    if p.status_rules:
        lines += [f"- {rule}" for rule in p.status_rules]
    if p.missing:
        lines += [f"- Missing: {m}" for m in p.missing]
    if p.notes:
        lines += [f"- {n}" for n in p.notes]
    lines.append("")
    return "\n".join(lines)


def render() -> str:
    parts = [INTRO]
    for reason, words in REFUND_REASON_KEYWORDS:
        parts.append(f"| {reason} | {', '.join(words)} |\n")
    parts.append(REVIEWS.format(defaults=", ".join(f"`{t}`" for t in DEFAULT_REVIEW_TEXTS)))
    parts.append("## Presets\n\n")
    parts.append(
        "| preset | table | mode | format |\n|---|---|---|---|\n"
        + "".join(f"| `{p.name}` | {p.table} | {p.mode} | {p.title} |\n" for p in PRESETS.values())
        + "\n"
    )
    parts += [_section(p) + "\n" for p in PRESETS.values()]
    return "".join(parts).rstrip("\n") + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
