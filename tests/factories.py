"""Small canonical input files for tests, written from dicts (missing fields are empty)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

ORDER_FIELDS = [
    "order_id", "shop_id", "customer_id", "ordered_at", "paid_at", "shipped_at",
    "delivered_at", "amount", "quantity", "sku", "status", "refund_amount", "refund_reason",
    "refund_status", "refund_requested_at", "refund_completed_at", "escalated",
]  # fmt: skip
REVIEW_FIELDS = ["review_id", "order_id", "shop_id", "customer_id", "rating", "created_at", "text"]
CHAT_FIELDS = [
    "session_id", "shop_id", "agent_id", "customer_id", "started_at",
    "first_response_seconds", "satisfaction", "qa_score",
]  # fmt: skip
SHOP_FIELDS = ["shop_id", "name", "industry", "services"]

ORDER_DEFAULTS = {
    "amount": "10.00",
    "quantity": "1",
    "status": "completed",
    "refund_amount": "0.00",
    "escalated": "false",
}


def write_csv(
    path: Path,
    fields: list[str],
    rows: list[dict[str, Any]],
    defaults: dict[str, str] | None = None,
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({**(defaults or {}), **row})
    return path


def order(order_id: str, paid_at: str | None, shop_id: str = "s1", **fields: Any) -> dict[str, Any]:
    """An order row; ``ordered_at`` defaults to ``paid_at``."""
    ordered = fields.pop("ordered_at", paid_at or "2025-01-01 00:00:00")
    return {
        "order_id": order_id,
        "shop_id": shop_id,
        "customer_id": f"c-{order_id}",
        "ordered_at": ordered,
        "paid_at": paid_at or "",
        **fields,
    }


def write_orders(path: Path, rows: list[dict[str, Any]]) -> Path:
    return write_csv(path, ORDER_FIELDS, rows, ORDER_DEFAULTS)


def write_reviews(path: Path, rows: list[dict[str, Any]]) -> Path:
    return write_csv(path, REVIEW_FIELDS, rows)


def write_chats(path: Path, rows: list[dict[str, Any]]) -> Path:
    return write_csv(path, CHAT_FIELDS, rows)


def write_shops(path: Path, rows: list[dict[str, Any]]) -> Path:
    return write_csv(path, SHOP_FIELDS, rows)
