"""Platform export presets: every fixture normalised to exact canonical rows; detection,
encodings, containers (xlsx, gzip, stdin), money/date/id parsing, line-item aggregation,
column-map overrides, and the broken-file corpus with its specific errors."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from svc_cli import native_decode, presets, read
from svc_cli.errors import InputError
from svc_cli.load_options import ReadOptions, Recognition
from svc_cli.presets import base
from tests.conftest import DATA, GOLDEN

PRESET_DATA = DATA / "presets"
BROKEN = PRESET_DATA / "broken"


def _fixture_module() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", PRESET_DATA / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(result: presets.Normalised) -> list[dict[str, str]]:
    """The canonical CSV's rows, without empty values."""
    with open(result.path, encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in r.items() if v} for r in csv.DictReader(fh)]


def header(result: presets.Normalised) -> list[str]:
    with open(result.path, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def normalise(
    path: Path,
    *,
    encoding: str | None = None,
    skip_invalid: bool = False,
    column_map: dict[str, str] | None = None,
    **recognise: Any,
) -> presets.Normalised:
    """``presets.normalise`` with the options as keywords."""
    given = Recognition(column_map=tuple((column_map or {}).items()), **recognise)
    return presets.normalise(path, ReadOptions(encoding), given, skip_invalid)


def run(path: Path, **kwargs: Any) -> tuple[presets.Normalised, list[dict[str, str]]]:
    result = normalise(path, **kwargs)
    try:
        return result, rows(result)
    finally:
        result.cleanup()


def test_fixtures_are_generated_deterministically(tmp_path: Path) -> None:
    module = _fixture_module()
    written = module.build(tmp_path)
    assert written
    for path in written:
        committed = PRESET_DATA / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is stale: re-run the script"
        )


# --- every preset, exact rows -------------------------------------------------------------

CASES = [
    (
        "taobao_orders_v1.csv",
        {},
        "taobao_orders_v1",
        "gb18030",
        "rows",
        [
            {
                "order_id": "3851234567890123456",
                "shop_id": "57300001",
                "customer_id": "tb_小鹿",
                "ordered_at": "2018-05-16 09:41:00",
                "paid_at": "2018-05-16 09:42:00",
                "shipped_at": "2018-05-16 18:05:00",
                "delivered_at": "2018-05-19 10:00:00",
                "amount": "128.50",
                "quantity": "2",
                "status": "completed",
                "refund_amount": "0.00",
            },
            {
                "order_id": "1622334455667788",
                "shop_id": "57300001",
                "customer_id": "星河user",
                "ordered_at": "2024-12-12 08:20:10",
                "paid_at": "2024-12-12 08:24:29",
                "amount": "59.00",
                "quantity": "1",
                "status": "paid",
                "refund_amount": "0.00",
            },
            {
                "order_id": "1622334455667789",
                "shop_id": "57300001",
                "customer_id": "暖阳",
                "ordered_at": "2024-12-12 09:00:00",
                "paid_at": "2024-12-12 09:01:00",
                "shipped_at": "2024-12-13 10:00:00",
                "amount": "1199.00",
                "quantity": "3",
                "status": "shipped",
                "refund_amount": "0.00",
            },
            {
                "order_id": "1622334455667790",
                "shop_id": "57300001",
                "customer_id": "知味",
                "ordered_at": "2024-12-12 10:00:00",
                "amount": "35.00",
                "quantity": "1",
                "status": "cancelled",
                "refund_amount": "0.00",
            },
            {
                "order_id": "1622334455667791",
                "shop_id": "57300001",
                "customer_id": "tb_小鹿",
                "ordered_at": "2024-12-12 11:00:00",
                "paid_at": "2024-12-12 11:05:00",
                "amount": "88.00",
                "quantity": "1",
                "status": "refunded",
                "refund_amount": "88.00",
            },
        ],
    ),
    (
        "taobao_orders_v2.xlsx",
        {},
        "taobao_orders_v2",
        "xlsx",
        "rows",
        [
            {
                "order_id": "4012345678901234567",
                "shop_id": "暖阳优选服饰旗舰店",
                "ordered_at": "2024-12-12 12:00:00",
                "paid_at": "2024-12-12 12:01:00",
                "shipped_at": "2024-12-13 09:00:00",
                "delivered_at": "2024-12-15 09:00:00",
                "amount": "65.00",
                "quantity": "3",
                "sku": "LACURA-40G",
                "status": "completed",
                "refund_amount": "0.00",
            },
            {
                "order_id": "4012345678901234568",
                "shop_id": "暖阳优选服饰旗舰店",
                "ordered_at": "2024-12-13 06:00:00",
                "paid_at": "2024-12-13 06:01:00",
                "shipped_at": "2024-12-13 20:00:00",
                "amount": "1280.00",
                "quantity": "1",
                "status": "shipped",
                "refund_amount": "0.00",
            },
            {
                "order_id": "4012345678901234569",
                "shop_id": "暖阳优选服饰旗舰店",
                "ordered_at": "2024-12-14 10:00:00",
                "amount": "0.00",
                "quantity": "1",
                "status": "pending",
                "refund_amount": "0.00",
            },
        ],
    ),
    (
        "taobao_items_v1.csv",
        {"shop_id": "57300001"},
        "taobao_items_v1",
        "gb18030",
        "merge",
        [
            {
                "order_id": "3851234567890123456",
                "shop_id": "57300001",
                "quantity": "2",
                "sku": "TS-WHITE-L;TS-BLACK-M",
            },
            {
                "order_id": "1622334455667788",
                "shop_id": "57300001",
                "quantity": "1",
                "sku": "BAG-01",
            },
        ],
    ),
    (
        "taobao_items_v2.xlsx",
        {"shop_id": "TM1"},
        "taobao_items_v2",
        "xlsx",
        "merge",
        [
            {
                "order_id": "4012345678901234567",
                "shop_id": "TM1",
                "quantity": "3",
                "sku": "LACURA-40G",
            },
        ],
    ),
    (
        "taobao_refunds.csv",
        {"shop_id": "57300001"},
        "taobao_refunds",
        "gb18030",
        "merge",
        [
            {
                "order_id": "1622334455667791",
                "shop_id": "57300001",
                "refund_amount": "88.00",
                "refund_reason": "quality",
                "refund_status": "completed",
                "refund_requested_at": "2024-12-12 12:00:00",
                "refund_completed_at": "2024-12-12 15:30:00",
                "escalated": "false",
            },
            {
                "order_id": "1622334455667789",
                "shop_id": "57300001",
                "refund_amount": "0.00",
                "refund_reason": "no_reason",
                "refund_status": "withdrawn",
                "refund_requested_at": "2024-12-14 09:00:00",
                "escalated": "false",
            },
            {
                "order_id": "3851234567890123456",
                "shop_id": "57300001",
                "refund_amount": "0.00",
                "refund_reason": "not_as_described",
                "refund_status": "requested",
                "refund_requested_at": "2018-05-20 09:00:00",
                "escalated": "true",
            },
            {
                "order_id": "1622334455667788",
                "shop_id": "57300001",
                "refund_amount": "30.00",
                "refund_reason": "logistics",
                "refund_status": "completed",
                "refund_requested_at": "2024-12-13 08:00:00",
                "refund_completed_at": "2024-12-13 12:00:00",
                "escalated": "false",
            },
        ],
    ),
    (
        "taobao_traderates.csv",
        {"shop_id": "57300001"},
        "taobao_traderates",
        "utf-8",
        "rows",
        [
            {
                "order_id": "3851234567890123456",
                "shop_id": "57300001",
                "customer_id": "t**1",
                "rating": "5",
                "created_at": "2018-05-20 10:00:00",
                "text": '很满意，"正品"无疑',
            },
            {
                "order_id": "1622334455667789",
                "shop_id": "57300001",
                "customer_id": "暖**",
                "rating": "3",
                "created_at": "2024-12-16 11:00:00",
                "text": "一般般",
            },
            {
                "order_id": "1622334455667791",
                "shop_id": "57300001",
                "customer_id": "t**1",
                "rating": "1",
                "created_at": "2024-12-16 12:00:00",
                "text": "质量太差",
            },
        ],
    ),
    (
        "taobao_review_plugin.csv",
        {"shop_id": "57300001"},
        "taobao_review_plugin",
        "utf-8-sig",
        "rows",
        [
            {
                "shop_id": "57300001",
                "customer_id": "t**1",
                "rating": "5",
                "created_at": "2024-12-14 23:00:51",
                "text": "包装严实，客服态度好 [追评] 用了一周还不错",
            },
            {
                "shop_id": "57300001",
                "customer_id": "小**",
                "rating": "2",
                "created_at": "2024-12-15 08:05:00",
                "text": "有点小瑕疵",
            },
        ],
    ),
    (
        "douyin_orders.csv",
        {"shop_id": "DY1"},
        "douyin_orders",
        "utf-8-sig",
        "rows",
        [
            {
                "order_id": "6938271645012345678",
                "shop_id": "DY1",
                "ordered_at": "2024-12-12 10:00:00",
                "paid_at": "2024-12-12 10:00:30",
                "shipped_at": "2024-12-13 08:00:00",
                "delivered_at": "2024-12-16 09:00:00",
                "amount": "3897.00",
                "quantity": "3",
                "sku": "CUP-BLK;CUP-RED",
                "status": "completed",
            },
            {
                "order_id": "6938271645012345681",
                "shop_id": "DY1",
                "ordered_at": "2024-12-13 11:00:00",
                "paid_at": "2024-12-13 11:01:00",
                "amount": "99.90",
                "quantity": "1",
                "sku": "CUP-BLK",
                "status": "refunded",
            },
            {
                "order_id": "6938271645012345683",
                "shop_id": "DY1",
                "ordered_at": "2024-12-13 12:00:00",
                "paid_at": "2024-12-13 12:01:00",
                "shipped_at": "2024-12-14 09:00:00",
                "amount": "99.90",
                "quantity": "1",
                "sku": "CUP-BLK",
                "status": "shipped",
            },
        ],
    ),
    (
        "jd_orders.csv",
        {"shop_id": "JD1"},
        "jd_orders",
        "gb18030",
        "rows",
        [
            {
                "order_id": "285123456789",
                "shop_id": "JD1",
                "customer_id": "jd_pin01",
                "ordered_at": "2024-12-12 08:00:00",
                "paid_at": "2024-12-12 08:01:00",
                "delivered_at": "2024-12-14 18:00:00",
                "amount": "287.00",
                "quantity": "3",
                "sku": "100012345678;100012345679",
                "status": "completed",
            },
            {
                "order_id": "285123456790",
                "shop_id": "JD1",
                "customer_id": "jd_pin02",
                "ordered_at": "2024-12-13 09:00:00",
                "paid_at": "2024-12-13 09:00:10",
                "amount": "99.00",
                "quantity": "1",
                "sku": "100012345678",
                "status": "paid",
            },
            {
                "order_id": "285123456791",
                "shop_id": "JD1",
                "customer_id": "jd_pin03",
                "ordered_at": "2024-12-13 10:00:00",
                "paid_at": "2024-12-13 10:00:10",
                "amount": "99.00",
                "quantity": "1",
                "sku": "100012345678",
                "status": "shipped",
            },
        ],
    ),
    (
        "pdd_orders.csv",
        {"shop_id": "PDD1"},
        "pdd_orders",
        "gb18030",
        "rows",
        [
            {
                "order_id": "241212-123456789012345",
                "shop_id": "PDD1",
                "ordered_at": "2024-12-12 10:00:05",
                "paid_at": "2024-12-12 10:00:00",
                "shipped_at": "2024-12-12 20:00:00",
                "delivered_at": "2024-12-14 10:00:00",
                "amount": "29.90",
                "quantity": "1",
                "sku": "TISSUE-24",
                "status": "completed",
                "refund_amount": "0.00",
            },
            {
                "order_id": "241212-123456789012346",
                "shop_id": "PDD1",
                "ordered_at": "2024-12-12 11:00:05",
                "paid_at": "2024-12-12 11:00:00",
                "shipped_at": "2024-12-13 09:00:00",
                "amount": "59.80",
                "quantity": "2",
                "sku": "TISSUE-24",
                "status": "shipped",
                "refund_amount": "0.00",
                "refund_status": "requested",
            },
            {
                "order_id": "241212-123456789012347",
                "shop_id": "PDD1",
                "ordered_at": "2024-12-12 12:00:05",
                "paid_at": "2024-12-12 12:00:00",
                "amount": "29.90",
                "quantity": "1",
                "sku": "TISSUE-24",
                "status": "refunded",
                "refund_amount": "29.90",
                "refund_status": "completed",
            },
        ],
    ),
    (
        "shopify_orders.csv",
        {"shop_id": "SH1"},
        "shopify_orders",
        "utf-8",
        "rows",
        [
            {
                "order_id": "#1001",
                "shop_id": "SH1",
                "customer_id": "jane@example.com",
                "ordered_at": "2025-10-07 15:49:00",
                "paid_at": "2025-10-07 15:50:26",
                "shipped_at": "2025-10-08 20:00:00",
                "amount": "1024.50",
                "quantity": "3",
                "sku": "MUG-1;MUG-2",
                "status": "shipped",
                "refund_amount": "0.00",
            },
            {
                "order_id": "#1002",
                "shop_id": "SH1",
                "customer_id": "marc@example.fr",
                "ordered_at": "2025-10-09 15:59:00",
                "paid_at": "2025-10-09 16:00:00",
                "amount": "15.00",
                "quantity": "1",
                "sku": "MUG-1",
                "status": "refunded",
                "refund_amount": "15.00",
            },
            {
                "order_id": "#1003",
                "shop_id": "SH1",
                "ordered_at": "2025-10-10 14:00:00",
                "amount": "8.00",
                "quantity": "1",
                "sku": "MUG-3",
                "status": "pending",
                "refund_amount": "0.00",
            },
        ],
    ),
    (
        "shopify_product_reviews.csv",
        {"shop_id": "SH1"},
        "shopify_product_reviews",
        "utf-8",
        "rows",
        [
            {
                "shop_id": "SH1",
                "customer_id": "jane@example.com",
                "rating": "5",
                "created_at": "2025-03-02 18:12:00",
                "text": "Love it\nGreat mug",
            },
            {
                "shop_id": "SH1",
                "customer_id": "marc@example.fr",
                "rating": "2",
                "created_at": "2025-03-03 16:00:00",
                "text": "Chipped on arrival",
            },
        ],
    ),
    (
        "judgeme_reviews.csv",
        {"shop_id": "SH1"},
        "judgeme_reviews",
        "utf-8",
        "rows",
        [
            {
                "shop_id": "SH1",
                "customer_id": "ann@example.com",
                "rating": "4",
                "created_at": "2023-06-01 22:00:00",
                "text": "Nice\nWorks well",
            },
        ],
    ),
    (
        "yotpo_reviews.csv",
        {"shop_id": "SH1"},
        "yotpo_reviews",
        "utf-8",
        "rows",
        [
            {
                "shop_id": "SH1",
                "customer_id": "bo@example.com",
                "rating": "3",
                "created_at": "2026-09-02 00:00:00",
                "text": "Okay\nDoes the job",
            },
        ],
    ),
    (
        "okendo_reviews.csv",
        {"shop_id": "SH1"},
        "okendo_reviews",
        "utf-8",
        "rows",
        [
            {
                "review_id": "rev-7f3a",
                "shop_id": "SH1",
                "customer_id": "cy@example.com",
                "rating": "1",
                "created_at": "2025-01-05 16:30:00",
                "text": "Broken\nArrived broken",
            },
        ],
    ),
    (
        "amazon_all_orders.txt",
        {},
        "amazon_all_orders",
        "cp1252",
        "rows",
        [
            {
                "order_id": "403-1234567-1234567",
                "shop_id": "Amazon.fr",
                "ordered_at": "2024-01-05 18:20:30",
                "paid_at": "2024-01-05 18:20:30",
                "amount": "40.99",
                "quantity": "3",
                "sku": "CB-SET;RAM-2",
                "status": "shipped",
            },
            {
                "order_id": "403-7654321-7654321",
                "shop_id": "Amazon.fr",
                "ordered_at": "2024-01-06 16:00:00",
                "amount": "0.00",
                "quantity": "1",
                "sku": "CB-SET",
                "status": "pending",
            },
            {
                "order_id": "403-1111111-2222222",
                "shop_id": "Amazon.fr",
                "ordered_at": "2024-01-06 17:00:00",
                "amount": "0.00",
                "quantity": "1",
                "sku": "RAM-2",
                "status": "cancelled",
            },
        ],
    ),
    (
        "amazon_returns.txt",
        {"shop_id": "Amazon.fr"},
        "amazon_returns",
        "utf-8",
        "merge",
        [
            {
                "order_id": "403-1234567-1234567",
                "shop_id": "Amazon.fr",
                "refund_amount": "24.99",
                "refund_reason": "quality",
                "refund_status": "completed",
                "refund_requested_at": "2024-01-10 17:00:00",
            },
            {
                "order_id": "403-7654321-7654321",
                "shop_id": "Amazon.fr",
                "refund_amount": "0.00",
                "refund_reason": "no_reason",
                "refund_status": "requested",
                "refund_requested_at": "2024-01-11 17:00:00",
            },
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "preset", "encoding", "mode", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_preset_normalises_to_exact_canonical_rows(
    name: str, kwargs: dict[str, str], preset: str, encoding: str, mode: str, expected: list
) -> None:
    result, got = run(PRESET_DATA / name, **kwargs)
    assert (result.preset, result.encoding, result.mode) == (preset, encoding, mode)
    assert result.table == presets.PRESETS[preset].table
    assert got == expected
    assert not result.path.exists()  # cleanup() removed the temp file


@pytest.mark.parametrize(("name", "kwargs", "preset", "encoding", "mode", "expected"), CASES)
def test_detect_names_preset_and_encoding(
    name: str, kwargs: dict[str, str], preset: str, encoding: str, mode: str, expected: list
) -> None:
    assert presets.detect(PRESET_DATA / name) == (preset, encoding)


def test_every_preset_has_a_fixture_and_canonical_header() -> None:
    assert {c[2] for c in CASES} == set(presets.PRESETS)
    result = normalise(PRESET_DATA / "taobao_orders_v1.csv")
    try:
        assert header(result) == GOLDEN.joinpath("orders.csv").read_text().splitlines()[0].split(
            ","
        )
        assert result.rows_in == 5
        assert result.mapping["order_id"] == "订单编号"
        assert result.mapping["paid_at"] == "订单付款时间"  # header had a trailing space
        assert result.mapping["shop_id"] == "店铺Id"
        assert "收货地址" in result.unmapped
    finally:
        result.cleanup()


def test_forced_preset_and_unknown_preset() -> None:
    result, got = run(PRESET_DATA / "taobao_orders_v1.csv", preset="taobao_orders_v1")
    assert result.preset == "taobao_orders_v1" and len(got) == 5
    with pytest.raises(InputError, match="unknown preset 'nope'") as info:
        run(PRESET_DATA / "taobao_orders_v1.csv", preset="nope")
    assert "taobao_orders_v1" in (info.value.hint or "")


# --- canonical pass-through ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "table"), [("orders", "orders"), ("reviews", "reviews"), ("chats", "chats")]
)
def test_canonical_files_pass_through_untouched(name: str, table: str) -> None:
    path = GOLDEN / f"{name}.csv"
    result = normalise(path)
    assert (result.preset, result.table, result.mode, result.encoding) == (
        "canonical",
        table,
        "rows",
        "utf-8",
    )
    assert result.path == path and not result.temp
    with open(path, encoding="utf-8", newline="") as fh:
        assert result.rows_in == sum(1 for _ in csv.reader(fh)) - 1
    result.cleanup()
    assert path.exists()
    assert presets.detect(path) == ("canonical", "utf-8")


def test_canonical_file_in_gbk_is_read_as_utf8_rows(tmp_path: Path) -> None:
    text = (GOLDEN / "reviews.csv").read_text(encoding="utf-8")
    path = tmp_path / "reviews_gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    result = normalise(path)
    try:
        assert (result.preset, result.encoding) == ("canonical", "gb18030")
        assert result.source is None and result.batches is not None  # decoded, not in place
        assert result.path.read_text(encoding="utf-8") == text
    finally:
        result.cleanup()
    assert not result.path.exists()


# --- encodings -----------------------------------------------------------------------------


def test_gbk_file_is_sniffed_as_gb18030() -> None:
    raw = read.read_any(read.spool(PRESET_DATA / "jd_orders.csv"), None)
    assert raw.encoding == "gb18030"
    assert raw.frame()["商品名称"][0] == "京东自营 坚果礼盒"


def test_cp1252_amazon_file_decodes_accents() -> None:
    raw = read.read_any(read.spool(PRESET_DATA / "amazon_all_orders.txt"), None)
    assert (raw.encoding, raw.kind) == ("cp1252", "tsv")
    assert raw.frame()["product-name"].to_list()[:2] == ["Crème brûlée set", "Ramequin café"]
    assert raw.frame()["ship-city"][0] == "Besançon"


def test_gb18030_reviews_full_of_emoji_are_sniffed(tmp_path: Path) -> None:
    """Emoji are 4-byte GB18030 sequences: plausible, not a reason to refuse the file."""
    path = tmp_path / "reviews.csv"
    text = "评价内容,评分\n好评😀😀,5\n很好👍👍👍,5\n一般🙂,3\n"
    path.write_bytes(text.encode("gb18030"))
    raw = read.read_any(read.spool(path), None)
    assert raw.encoding == "gb18030"
    assert raw.frame()["评价内容"].to_list() == ["好评😀😀", "很好👍👍👍", "一般🙂"]


def test_gbk_decodes_every_code_it_knows_as_gb18030_does() -> None:
    """read.SUBSET_CODECS: a GB18030 export is decoded with Python's faster ``gbk`` codec
    wherever it can be, so every code ``gbk`` accepts must give what ``gb18030`` gives."""
    assert read.SUBSET_CODECS == {"gb18030": "gbk"}
    codes = [bytes([b]) for b in range(0x80)]
    codes += [bytes([a, b]) for a in range(0x81, 0xFF) for b in range(0x40, 0xFF)]
    compared = 0
    for code in codes:
        try:
            text = code.decode("gbk")
        except UnicodeDecodeError:
            continue
        assert text == code.decode("gb18030"), code.hex()
        compared += 1
    assert compared == 128 + 21_791


def test_a_gb18030_block_gbk_cannot_decode_is_decoded_as_gb18030(tmp_path: Path) -> None:
    """Four-byte GB18030 codes (emoji, rare characters) are not GBK: the block that has
    one is decoded with the encoding itself, the rest of the file with the faster codec."""
    path = tmp_path / "reviews.csv"
    rows = ["评价内容,评分"] + [f"第{i}条好评,5" for i in range(300_000)] + ["𠀀😀,4"]
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    raw = read.read_any(read.spool(path), "gb18030")
    try:
        texts = raw.frame()["评价内容"].to_list()
    finally:
        raw.cleanup()
    assert len(texts) == 300_001
    assert (texts[0], texts[-2], texts[-1]) == ("第0条好评", "第299999条好评", "𠀀😀")


def _every_gb18030_code() -> bytes:
    """Every one-, two- and four-byte code Python's gb18030 decodes (BMP and beyond), one
    per line: a text of ~7 MB, decoded in blocks of both kinds."""
    singles = [bytes([b]) for b in range(0x20, 0x80) if b not in b"\r\n"]
    pairs = [bytes([a, b]) for a in range(0x81, 0xFF) for b in range(0x40, 0xFF) if b != 0x7F]
    fours = [
        bytes([a, b, c, d])
        for a in (0x81, 0x82, 0x84, 0x90, 0x95, 0xE3)
        for b in range(0x30, 0x3A)
        for c in range(0x81, 0xFF)
        for d in range(0x30, 0x3A)
    ]
    valid = []
    for code in singles + pairs + fours:
        try:
            code.decode("gb18030")
        except UnicodeDecodeError:
            continue
        valid.append(code)
    return b"\n".join(valid) + b"\n"


def test_a_large_gb18030_text_decodes_exactly_as_python_decodes_it(tmp_path: Path) -> None:
    """native_decode: large blocks go through the C library's iconv (GBK) where it agrees
    with Python, the blocks it refuses (four-byte codes) through Python; the UTF-8 that
    DuckDB reads is Python's decoding of the whole text, byte for byte."""
    text = _every_gb18030_code()
    path = tmp_path / "codes.csv"
    path.write_bytes(text)
    out = tmp_path / "utf8.csv"
    with open(out, "wb") as fh:
        read.decode_stream(read.spool(path), "gb18030", fh)
    assert out.read_bytes() == text.decode("gb18030").encode()


@pytest.mark.skipif(sys.platform != "linux", reason="the C library's iconv is glibc's")
def test_glibc_iconv_stands_in_for_gbk_and_leaves_what_differs_to_python() -> None:
    convert = native_decode.gbk_iconv()
    assert convert is not None  # glibc's GBK table agrees with Python on every code
    big = "交易成功,無退款".encode("gbk") * 200_000
    assert native_decode.decoded(big, "gb18030") == big.decode("gbk").encode()
    assert native_decode.decoded(big[:1000], "gb18030") is None  # small: Python decodes it
    assert convert(b"\x80") is None  # glibc: €; Python: not GBK
    assert convert("𠀀".encode("gb18030")) is None  # a four-byte code: Python's
    assert convert(b"\x81\x7f") is None


CELLS = ["\u00a0A1\u3000", "\tA2 \r\n", " A3\u2003", '\u205f="A4"\t', " \u3000 ", "A 5", None]
TRIMMED = ["A1", "A2", "A3", "A4", None, "A 5", None]


def test_cells_are_trimmed_of_any_whitespace() -> None:
    """Unicode's whitespace (no-break, ideographic, em spaces, tabs, line ends) around a
    cell is no part of its value; a cell of whitespace alone is empty."""
    frame = pl.DataFrame({"c": CELLS})
    assert read.clean_cells(frame, ["c"], bom=True)["c"].to_list() == TRIMMED
    # the faster trim of a text without byte-order marks gives the same cells
    assert read.clean_cells(frame, ["c"], bom=False)["c"].to_list() == TRIMMED
    marked = pl.DataFrame({"c": [f"\ufeff{c}\ufeff" if c else c for c in CELLS]})
    assert read.clean_cells(marked, ["c"], bom=True)["c"].to_list() == TRIMMED


def _gb18030_rows(cell: str) -> bytes:
    """A GB18030 text of ~2 MB (decoded in large blocks) whose last row has ``cell``."""
    rows = ["评价内容,评分"] + [f"第{i}条好评,5" for i in range(150_000)] + [f"{cell},4"]
    return ("\n".join(rows) + "\n").encode("gb18030")


@pytest.mark.parametrize(("cell", "bom"), [("好评\u3000", False), ("\ufeff好评", True)])
def test_decoding_sees_whether_a_byte_order_mark_is_inside_the_text(
    tmp_path: Path, cell: str, bom: bool
) -> None:
    """A byte-order mark inside a GB18030 text (a four-byte code, decoded by Python) is
    seen while decoding, so that cells are trimmed of it; without one the faster trim of
    whitespace alone is used. Both trim the cell the same."""
    path = tmp_path / "reviews.csv"
    path.write_bytes(_gb18030_rows(cell))
    raw = read.read_any(read.spool(path), "gb18030")
    try:
        frame = raw.frame()
    finally:
        raw.cleanup()
    assert raw.bom is bom
    assert read.clean_cells(frame, ["评价内容"], raw.bom)["评价内容"][-1] == "好评"


def test_a_byte_order_mark_inside_a_utf8_text_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("评价内容,评分\n好评,5\n\ufeff中评,3\n", encoding="utf-8")
    assert read.read_any(read.spool(path), None).bom
    path.write_text("评价内容,评分\n好评,5\n中评,3\n", encoding="utf-8-sig")  # at the start
    raw = read.read_any(read.spool(path), None)
    raw.cleanup()
    assert not raw.bom


def test_a_bad_byte_deep_in_a_large_gb18030_file_is_named_by_line(tmp_path: Path) -> None:
    lines = [f"第{i}条好评,5".encode("gb18030") for i in range(200_000)]
    lines[150_000] = b"\x80 bad,5"  # glibc's iconv would read it as €
    path = tmp_path / "reviews.csv"
    path.write_bytes(b"\n".join([b"review,rating", *lines]) + b"\n")
    expected = re.escape(f"{path}:150002: bytes that are not gb18030")
    with pytest.raises(InputError, match=expected), open(tmp_path / "out.csv", "wb") as fh:
        read.decode_stream(read.spool(path), "gb18030", fh)


@pytest.mark.parametrize("name", ["cut.csv", "cut.csv.gz"])
@pytest.mark.parametrize(
    ("end", "says"),
    [
        ("中".encode("gb18030")[:1], "the file ends in the middle of a character (b'\\xd6' begins"),
        (
            "😀".encode("gb18030")[:2],
            "the file ends in the middle of a character (b'\\x949' begins",
        ),
        (b"\xff", "bytes that are not gb18030 (b'\\xff')"),  # begins no character
    ],
)
def test_a_file_cut_in_the_middle_of_a_character_looks_truncated(
    tmp_path: Path, name: str, end: bytes, says: str
) -> None:
    """A download cut short inside a character is called truncated, not a wrong encoding."""
    data = (PRESET_DATA / "taobao_orders_v1.csv").read_bytes().rstrip(b"\r\n") + end
    path = tmp_path / name
    path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    with pytest.raises(InputError) as info:
        read.read_any(read.spool(path), None)
    assert info.value.message.startswith(f"{path}:6: {says}")
    truncated = "download the file again" in (info.value.hint or "")
    assert truncated is not end.startswith(b"\xff")


@pytest.mark.parametrize("end", [b"\xf0", b"\xf0\x9f\x98"])
def test_a_utf8_export_cut_in_the_middle_of_a_character_looks_truncated(
    tmp_path: Path, end: bytes
) -> None:
    data = (PRESET_DATA / "douyin_orders.csv").read_bytes().rstrip(b"\r\n") + end
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read.read_any(read.spool(path), None)
    assert "the file ends in the middle of a character" in info.value.message
    assert "utf-8" in info.value.message


def test_a_gb18030_export_padded_with_no_break_spaces_is_sniffed(tmp_path: Path) -> None:
    """U+00A0 is a four-byte GB18030 code (not GBK): padding of it, or of any other
    space, is whitespace, not a sign of another encoding."""
    rows = ["订单编号,买家会员名,订单状态"]
    rows += [f"\u00a0{i}\u00a0,张三\u00a0,\u2003交易成功" for i in range(20)]
    path = tmp_path / "padded.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    raw = read.read_any(read.spool(path), None)
    try:
        assert raw.encoding == "gb18030"
        assert raw.frame()["买家会员名"][0] == "张三\u00a0"  # trimmed later, with the cells
    finally:
        raw.cleanup()


def test_cp932_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "jp.txt"
    text = "amazon-order-id\tpurchase-date\torder-status\tproduct-name\n"
    text += "250-1234567-1234567\t2024-01-05T10:20:30+09:00\tShipped\tマグカップ 白いカップ\n"
    path.write_bytes(text.encode("cp932"))
    raw = read.read_any(read.spool(path), None)
    assert raw.encoding == "cp932"
    assert raw.frame()["product-name"][0] == "マグカップ 白いカップ"


def test_utf8_bom_is_recognised_and_stripped() -> None:
    raw = read.read_any(read.spool(PRESET_DATA / "douyin_orders.csv"), None)
    assert raw.encoding == "utf-8-sig"
    assert raw.headers[0] == "主订单编号"


def test_encoding_override_and_wrong_guesses_fail_loudly() -> None:
    gbk = PRESET_DATA / "taobao_orders_v1.csv"
    result, got = run(gbk, encoding="gbk")
    assert result.encoding == "gbk" and len(got) == 5
    with pytest.raises(InputError, match=r"taobao_orders_v1\.csv:1: bytes that are not utf-8"):
        run(gbk, encoding="utf-8")
    # cp1252 decodes any byte: the mojibake header matches no preset, so nothing loads
    with pytest.raises(InputError, match="no preset recognises this export"):
        run(gbk, encoding="cp1252")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        run(gbk, encoding="klingon")


def test_forced_wrong_encoding_warns_about_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    mapped = "单号,下单时间,状态\n1001,2024-12-12 08:00:00,completed\n"
    path.write_bytes(mapped.encode("gbk"))
    result, _ = run(
        path,
        encoding="cp1252",
        column_map={"order_id": "µ¥ºÅ", "ordered_at": "ÏÂµ¥Ê±¼ä", "status": "×´Ì¬"},
        shop_id="S",
    )
    assert any("looks like gb18030" in w for w in result.warnings)


def test_undecidable_bytes_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"a,b\n\x80\x80\xff\xfe\x81,\xff\n")
    with pytest.raises(InputError, match="cannot tell the text encoding") as info:
        presets.detect(path)
    assert "--encoding" in (info.value.hint or "")


# --- containers: gzip, stdin, xlsx ------------------------------------------------------------


def test_gzip_input(tmp_path: Path) -> None:
    path = tmp_path / "ExportOrderList201805161200.csv.gz"
    path.write_bytes(gzip.compress((PRESET_DATA / "taobao_orders_v1.csv").read_bytes(), mtime=0))
    result, got = run(path)
    assert (result.preset, result.encoding) == ("taobao_orders_v1", "gb18030")
    assert got == CASES[0][5]


def test_stdin_input(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (PRESET_DATA / "douyin_orders.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result, got = run(Path("-"), shop_id="DY1")
    assert result.preset == "douyin_orders" and len(got) == 3
    assert result.path.parent != PRESET_DATA


def test_canonical_stdin_is_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (GOLDEN / "chats.csv").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = normalise(Path("-"))
    try:
        assert result.preset == "canonical" and result.temp
        assert result.path.read_bytes() == data
    finally:
        result.cleanup()


# --- values: ids, money, dates -------------------------------------------------------------------


def test_19_digit_ids_survive_exactly() -> None:
    _, got = run(PRESET_DATA / "taobao_orders_v1.csv")
    assert got[0]["order_id"] == "3851234567890123456"  # was ="3851234567890123456"
    _, got = run(PRESET_DATA / "douyin_orders.csv", shop_id="DY1")
    assert got[0]["order_id"] == "6938271645012345678"  # had a trailing tab


def test_money_parsing() -> None:
    values = [
        "1,299.00",
        "¥1,280.00",
        "￥35",
        "12.345",
        "12.344",
        "-3.1",
        "88.00元",
        "五十九元",
        "1.2.3",
    ]
    got = pl.select(base.money_value(base.money_text(pl.Series(values)))).to_series()
    assert [None if v is None else str(v) for v in got] == [
        "1299.00",
        "1280.00",
        "35.00",
        "12.35",
        "12.34",
        "-3.10",
        "88.00",
        None,
        None,
    ]


def test_date_parsing() -> None:
    values = [
        "2026-05-31 14:16:18",
        "2018/5/16 9:41",  # re-saved by Excel
        "2024年1月5日 10:20",
        "2025-10-07 09:50:26 +0200",
        "2024-01-05T10:20:30Z",
        "2023-06-01T10:00:00-04:00",
        "2025-03-02 10:12:00 UTC",
        "2026-09-02",
        "45638.5",  # Excel serial date
        "2024-02-30 10:00:00",
        "yesterday",
    ]
    got = pl.select(base.ts_value(pl.Series(values))).to_series().to_list()
    assert got == [
        "2026-05-31 14:16:18",
        "2018-05-16 09:41:00",
        "2024-01-05 10:20:00",
        "2025-10-07 09:50:26+02:00",
        "2024-01-05 10:20:30+00:00",
        "2023-06-01 10:00:00-04:00",
        "2025-03-02 10:12:00+00:00",
        "2026-09-02 00:00:00",
        "2024-12-12 12:00:00",
        None,
        None,
    ]


def test_excel_serial_and_typed_dates_in_xlsx() -> None:
    _, got = run(PRESET_DATA / "taobao_orders_v2.xlsx")
    # typed date cells (serial + date format) and a bare serial number
    assert got[0]["ordered_at"] == "2024-12-12 12:00:00"
    assert got[0]["paid_at"] == "2024-12-12 12:01:00"
    assert got[1]["ordered_at"] == "2024-12-13 06:00:00"
    assert got[1]["amount"] == "1280.00"  # ¥1,280.00


def _xlsx(path: Path, rows: list[list[str | float]]) -> Path:
    """A minimal one-sheet workbook: text cells inline, numbers as typed number cells."""
    import zipfile

    def cell(ref: str, value: str | float) -> str:
        if isinstance(value, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{ref}" t="n"><v>{value!r}</v></c>'

    sheet = "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(values))
        + "</row>"
        for r, values in enumerate(rows, start=1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "http://schemas.openxmlformats.org/package/2006/content-types"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{ct}"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/data.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="r1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Orders" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId7" Type="{rel}/worksheet" '
            'Target="worksheets/data.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/data.xml",
            f'<worksheet xmlns="{main}"><sheetData>{sheet}</sheetData></worksheet>',
        )
    return path


ORDER_HEADER = ["order_id", "shop_id", "ordered_at", "paid_at", "status"]
ORDER_TIMES = ["2024-08-01 03:25:33", "2024-08-01 03:32:15", "completed"]


def test_long_ids_as_text_in_a_workbook_are_kept(tmp_path: Path) -> None:
    rows = [ORDER_HEADER, ["1000018413244676840", "751862", *ORDER_TIMES], [123, "7", *ORDER_TIMES]]
    result = normalise(_xlsx(tmp_path / "orders.xlsx", rows))
    try:
        ids = pl.read_csv(result.path, infer_schema_length=0)["order_id"].to_list()
    finally:
        result.cleanup()
    assert ids == ["1000018413244676840", "123"]


@pytest.mark.parametrize("number", [1000018413244676840, 12345678901234567, 1.5e20])
def test_a_long_id_stored_as_a_number_in_a_workbook_is_refused(
    tmp_path: Path, number: float
) -> None:
    """Excel keeps 15 digits, a reader a double's: the id has lost its last digits (it
    came back as …6992 for …6840), and would silently not match its reviews."""
    rows = [
        ORDER_HEADER,
        ["1000018413244676841", "751862", *ORDER_TIMES],
        [number, "7", *ORDER_TIMES],
    ]
    path = _xlsx(tmp_path / "orders.xlsx", rows)
    with pytest.raises(InputError) as raised:
        normalise(path)
    assert str(raised.value).startswith(f"{path}:3: column order_id: {number!r} is stored")
    assert "Text" in str(raised.value.hint)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("质量问题", "quality"),
        ("七天无理由退换货", "no_reason"),
        ("与描述不符", "not_as_described"),
        ("卖家发错货", "not_as_described"),
        ("未按约定时间发货", "logistics"),
        ("商品破损", "quality"),
        ("CR-DEFECTIVE", "quality"),
        ("CR-UNWANTED_ITEM", "no_reason"),
        ("CR-ORDERED_WRONG_ITEM", "no_reason"),
        ("AMZ-PG-BAD-DESC", "not_as_described"),
        ("其他", "other"),
        (None, None),
    ],
)
def test_refund_reason_keywords(text: str | None, reason: str | None) -> None:
    got = pl.select(base.refund_reason(pl.Series([text], dtype=pl.String))).item()
    assert got == reason


# --- grain and money semantics ----------------------------------------------------------------


def test_line_items_aggregate_by_money_semantics() -> None:
    # JD: 应付金额 repeats on every SKU row → taken once, not summed
    _, jd = run(PRESET_DATA / "jd_orders.csv", shop_id="JD1")
    assert (jd[0]["amount"], jd[0]["quantity"], jd[0]["sku"]) == (
        "287.00",
        "3",
        "100012345678;100012345679",
    )
    # Shopify: order fields on the first row only
    _, shop = run(PRESET_DATA / "shopify_orders.csv", shop_id="SH1")
    assert (shop[0]["amount"], shop[0]["quantity"], shop[0]["paid_at"]) == (
        "1024.50",
        "3",
        "2025-10-07 15:50:26",
    )
    # Douyin: 订单应付金额 per sub-order → summed
    _, dy = run(PRESET_DATA / "douyin_orders.csv", shop_id="DY1")
    assert (dy[0]["amount"], dy[0]["quantity"], dy[0]["sku"]) == ("3897.00", "3", "CUP-BLK;CUP-RED")
    # Amazon: item-price per line + shipping − promotion → summed
    _, amz = run(PRESET_DATA / "amazon_all_orders.txt")
    assert (amz[0]["amount"], amz[0]["quantity"]) == ("40.99", "3")


def test_repeated_money_that_differs_is_reported(tmp_path: Path) -> None:
    mod = _fixture_module()
    jd_rows = [list(r) for r in mod.JD_ROWS]
    jd_rows[1][10] = "280.00"
    path = tmp_path / "jd.csv"
    path.write_bytes(mod.csv_bytes(mod.JD_HEADER, jd_rows, encoding="gbk"))
    result, got = run(path, shop_id="JD1")
    assert got[0]["amount"] == "287.00"
    assert any("1 order(s) carry different '应付金额'" in w for w in result.warnings)


# --- shop id, statuses, skip_invalid ---------------------------------------------------------------


def test_missing_shop_id_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no shop id: preset douyin_orders needs one") as info:
        run(PRESET_DATA / "douyin_orders.csv")
    assert "--shop SHOP" in (info.value.hint or "")


def test_given_shop_id_overrides_the_files_with_a_warning() -> None:
    result, got = run(PRESET_DATA / "taobao_orders_v1.csv", shop_id="0042")
    assert {r["shop_id"] for r in got} == {"0042"}
    assert any("'店铺Id'" in w and "ignored" in w for w in result.warnings)


def test_unknown_status_names_value_preset_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        run(BROKEN / "unknown_status.csv")
    assert info.value.message.startswith(
        f"{BROKEN / 'unknown_status.csv'}:3: column '订单状态': unknown status '已退货' for "
        "preset taobao_orders_v1 (known: "
    )
    assert "交易成功" in info.value.message


def test_skip_invalid_drops_the_row_with_a_warning() -> None:
    result, got = run(BROKEN / "unknown_status.csv", skip_invalid=True)
    assert [r["order_id"] for r in got] == ["1622334455667788", "1622334455667790"]
    assert any("skipped 1 invalid row(s)" in w for w in result.warnings)
    assert any("已退货" in w for w in result.warnings)


def test_a_status_table_naming_a_non_canonical_value_is_refused() -> None:
    # every preset's table passes this check when svc_cli.presets is imported
    preset = presets.PRESETS["taobao_orders_v1"]
    with pytest.raises(
        ValueError, match="taobao_orders_v1: status '已退货' maps to unknown 'returned'"
    ):
        base.check_statuses(replace(preset, statuses={"已退货": "returned"}))
    refunds = replace(preset, statuses={"退款中": "paid"}, status_target="refund_status")
    with pytest.raises(ValueError, match="status '退款中' maps to unknown 'paid'"):
        base.check_statuses(refunds)  # an order status is not a refund status


# --- column-map overrides --------------------------------------------------------------------------


def test_column_map_adjusts_a_known_preset(tmp_path: Path) -> None:
    text = (BROKEN.parent / "broken" / "missing_column.csv").read_text(encoding="utf-8")
    path = tmp_path / "orders.csv"
    path.write_text(text.replace("订单付款时间", "付款时间"), encoding="utf-8")
    result, got = run(
        path,
        preset="taobao_orders_v1",
        column_map={"ordered_at": "付款时间", "paid_at": "付款时间"},
    )
    assert result.mapping["ordered_at"] == "付款时间"
    assert got[0]["ordered_at"] == got[0]["paid_at"] == "2024-12-12 08:24:29"


def test_column_map_reads_an_unknown_export(tmp_path: Path) -> None:
    path = tmp_path / "erp.csv"
    path.write_text(
        "单号,店铺,下单时间,付款时间,金额,状态,顾客\n"
        '9800516028182869828,0042,2024/12/12 8:20,2024/12/12 8:24,"1,024.50",已完成,c1\n'
        "9800516028182869829,0042,2024/12/12 9:00,,0,待付款,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no preset recognises this export"):
        run(path)
    options = [
        "order_id=单号",
        "shop_id=店铺",
        "ordered_at=下单时间",
        "paid_at=付款时间",
        "amount=金额",
        "status=状态",
        "customer_id=顾客",
    ]
    result, got = run(
        path,
        column_map=presets.parse_map_options(options),
        status_map={"已完成": "completed", "待付款": "pending"},
    )
    assert (result.preset, result.table) == ("mapped", "orders")
    assert got == [
        {
            "order_id": "9800516028182869828",
            "shop_id": "0042",
            "customer_id": "c1",
            "ordered_at": "2024-12-12 08:20:00",
            "paid_at": "2024-12-12 08:24:00",
            "amount": "1024.50",
            "status": "completed",
        },
        {
            "order_id": "9800516028182869829",
            "shop_id": "0042",
            "ordered_at": "2024-12-12 09:00:00",
            "amount": "0.00",
            "status": "pending",
        },
    ]
    # without a status map the values must already be canonical
    with pytest.raises(InputError, match="unknown status '已完成' for preset mapped"):
        run(path, column_map=presets.parse_map_options(options))


def test_toml_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "erp.toml"
    mapping.write_text(
        'table = "orders"\nshop_id = "0042"\n[columns]\norder_id = "单号"\n'
        'ordered_at = "下单时间"\nstatus = "状态"\n[status]\n"已完成" = "completed"\n',
        encoding="utf-8",
    )
    spec = presets.load_mapping(mapping)
    path = tmp_path / "erp.csv"
    path.write_text("单号,下单时间,状态\n1,2024-12-12 08:20:00,已完成\n", encoding="utf-8")
    _, got = run(
        path,
        column_map=spec.columns,
        status_map=spec.statuses,
        table=spec.table,
        shop_id=spec.shop_id,
    )
    assert got == [
        {
            "order_id": "1",
            "shop_id": "0042",
            "ordered_at": "2024-12-12 08:20:00",
            "status": "completed",
        }
    ]
    bad = tmp_path / "bad.toml"
    bad.write_text("colums = 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key"):
        presets.load_mapping(bad)


def test_bad_map_options() -> None:
    with pytest.raises(InputError, match="expected CANONICAL=SOURCE_HEADER"):
        presets.parse_map_options(["order_id"])
    with pytest.raises(InputError, match="not a column of preset taobao_orders_v1"):
        run(PRESET_DATA / "taobao_orders_v1.csv", column_map={"colour": "x"})
    with pytest.raises(InputError, match="no such column in the file"):
        run(PRESET_DATA / "taobao_orders_v1.csv", column_map={"ordered_at": "x"})


# --- reviews ----------------------------------------------------------------------------------------


def test_reviews_drop_defaults_and_warn_about_missing_orders() -> None:
    result, got = run(PRESET_DATA / "taobao_traderates.csv", shop_id="S")
    assert len(got) == 3
    assert any("dropped 1 default/system review(s)" in w for w in result.warnings)
    assert any("written by the seller" in w for w in result.warnings)
    assert all("review_id" not in r for r in got)  # synthesised on load, as for CSVs
    result, got = run(PRESET_DATA / "taobao_review_plugin.csv", shop_id="S")
    assert all("order_id" not in r for r in got)
    assert any("2 review(s) have no order id" in w for w in result.warnings)
    _, again = run(PRESET_DATA / "taobao_review_plugin.csv", shop_id="S")
    assert again == got  # stable


# --- the broken-file corpus -----------------------------------------------------------------------

BROKEN_CASES = [
    ("truncated.csv", r"truncated\.csv:4: the file ends in the middle of a record .* truncated"),
    ("mixed_encodings.csv", r"mixed_encodings\.csv:4: mixed encodings: earlier lines are UTF-8"),
    (
        "duplicated_header.csv",
        r"duplicated_header\.csv:1: column '订单状态' appears twice in the header",
    ),
    (
        "missing_column.csv",
        r"missing required column\(s\) '订单创建时间' \(for ordered_at\) for preset taobao_orders_v1",
    ),
    (
        "bad_date.csv",
        r"bad_date\.csv:3: column '订单创建时间': not a date/time .*'2024-13-45 25:00'; preset taobao_orders_v1",
    ),
    (
        "money_text.csv",
        r"money_text\.csv:4: column '买家实际支付金额': not an amount \(got '五十九元'",
    ),
    ("id_rounded.csv", r"id_rounded\.csv:2: column '订单编号': id in scientific notation"),
    ("unknown_status.csv", r"unknown_status\.csv:3: column '订单状态': unknown status '已退货'"),
    ("empty.csv", r"empty\.csv: file is empty"),
    ("ragged.csv", r"ragged\.csv:3: 8 fields where the header has 7"),
]


@pytest.mark.parametrize(("name", "pattern"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_broken_files_fail_with_a_specific_error(name: str, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        run(BROKEN / name)


def test_header_only_file_is_an_empty_export() -> None:
    result, got = run(BROKEN / "header_only.csv")
    assert (result.preset, result.rows_in, got) == ("taobao_orders_v1", 0, [])
    assert any("header only" in w for w in result.warnings)


# --- the output loads with the canonical loader ------------------------------------------------


def test_normalised_files_load_into_the_database() -> None:
    from svc_cli import store
    from svc_cli.config import load_config
    from svc_cli.load import load_files

    config = load_config()
    con = store.open_memory()
    made = [
        normalise(PRESET_DATA / "taobao_orders_v1.csv"),
        normalise(PRESET_DATA / "taobao_traderates.csv", shop_id="57300001"),
    ]
    try:
        result = load_files(con, config, orders=made[0].path, reviews=made[1].path)
        assert [(f.table, f.inserted, f.rejected) for f in result.files] == [
            ("orders", 5, 0),
            ("reviews", 3, 0),
        ]
        assert con.execute(
            "SELECT order_id, amount::VARCHAR FROM orders ORDER BY ordered_at LIMIT 1"
        ).fetchone() == ("3851234567890123456", "128.50")
    finally:
        con.close()
        for n in made:
            n.cleanup()


# --- docs ----------------------------------------------------------------------------------------


def test_docs_are_generated_from_the_presets() -> None:
    from svc_cli.presets import docs

    doc = (Path(__file__).parent.parent / "docs" / "presets.md").read_text(encoding="utf-8")
    assert doc == docs.render(), "docs/presets.md is stale: python -m svc_cli.presets.docs"
    for preset in presets.PRESETS.values():
        assert f"## `{preset.name}`" in doc, preset.name
        for src, dst in preset.statuses.items():
            assert f"| {src} | {dst} |" in doc, (preset.name, src)
