"""Data coverage (spec §10): which inputs each shop's data was provided with.

A platform export often carries only part of what the model needs. What a load was given
is recorded per shop in the ``coverage`` table (inputs only ever added), and an indicator
whose inputs were not all provided is *not assessed*, never scored as perfect.

Inputs are named by the optional ``orders`` column (``shipped_at`` …), or ``reviews``,
``reviews.order_id`` (reviews linked to their orders), ``chats``, ``chats.satisfaction``
and ``chats.qa_score``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from svc_cli.i18n import Message, Verbatim
from svc_cli.queries import COVERAGE, RECORD_COVERAGE
from svc_cli.schema import CHATS, ORDERS, REVIEWS

if TYPE_CHECKING:
    import duckdb

    from svc_cli.engines import Engine

#: Optional order columns whose presence in a file is recorded.
ORDER_INPUTS = tuple(c.name for c in ORDERS.columns if not c.in_header)

#: What each indicator needs (spec §10). Negative feedback needs reviews that name their
#: order: a review export without order ids (some review apps) cannot tell which
#: delivered order was reviewed badly.
NEEDS: dict[str, tuple[str, ...]] = {
    "neg_feedback_rate": ("delivered_at", "refund_reason", "reviews.order_id"),
    "good_review_rate": ("reviews",),
    "pickup_48h_rate": ("shipped_at",),
    "delivery_hours": ("delivered_at",),
    "refund_hours": ("refund_requested_at", "refund_completed_at"),
    "help_rate": ("escalated",),
    "response_3min_rate": ("chats",),
    "satisfaction_rate": ("chats.satisfaction",),
}


def file_inputs(table: str, columns: set[str]) -> list[str]:
    """The inputs a file of ``table`` provides, given the canonical columns it carried
    (a header-only file provides them too: the merchant says "none")."""
    if table == ORDERS.name:
        return [c for c in ORDER_INPUTS if c in columns]
    if table == REVIEWS.name:
        return ["reviews", *(["reviews.order_id"] if "order_id" in columns else [])]
    if table == CHATS.name:
        optional = ("satisfaction", "qa_score")
        return ["chats", *(f"chats.{c}" for c in optional if c in columns)]
    return []


def indicator_columns(table: str, columns: set[str]) -> dict[str, str]:
    """The columns among the canonical ``columns`` of a file of ``table`` that provide an
    input some indicator needs, each with its input (``shipped_at`` -> ``shipped_at``,
    ``satisfaction`` -> ``chats.satisfaction``); whole tables (``reviews``) are not columns."""
    needed = {i for needs in NEEDS.values() for i in needs}
    return {
        name.split(".")[-1]: name
        for name in file_inputs(table, columns)
        if name in needed and (table == ORDERS.name or "." in name)
    }


def needed_by(input_name: str) -> list[str]:
    """The indicators that need ``input_name``."""
    return [name for name, needs in NEEDS.items() if input_name in needs]


def blank_inputs_warning(file: str, headers: list[str], inputs: list[str]) -> Message:
    """The warning for a file whose columns ``headers`` (its own names), the ``inputs``
    of indicators, are blank in every row: they count as provided (spec §10: the header
    decides), so the indicators that need them are scored as if nothing happened."""
    indicators = list(dict.fromkeys(n for i in inputs for n in needed_by(i)))
    return Message(
        "blank_inputs",
        file=file,
        columns=[Verbatim(h) for h in headers],
        indicators=indicators,
    )


def missing_inputs(indicator: str, provided: frozenset[str]) -> list[str]:
    """The inputs ``indicator`` needs that were not provided (the table itself, when a
    part of one that was not loaded at all is needed: ``reviews``, not ``reviews.order_id``)."""
    missing = (i for i in NEEDS[indicator] if i not in provided)
    return [m if m.split(".")[0] in provided else m.split(".")[0] for m in missing]


def missing_reason(indicator: str, provided: frozenset[str]) -> Message | None:
    """Why ``indicator`` cannot be assessed for lack of inputs (None: all provided)."""
    missing = missing_inputs(indicator, provided)
    if not missing:
        return None
    fixes = [Message(f"provide.{i}") for i in dict.fromkeys(missing)]  # ordered, no repeats
    fixes = list({str(f): f for f in fixes}.values())
    return Message("not_provided_reason", inputs=missing, fixes=fixes)


def assessable(provided: frozenset[str]) -> dict[str, list[str]]:
    """Which indicators the provided inputs allow, and the inputs the others lack."""
    return {
        "assessable": [name for name in NEEDS if not missing_inputs(name, provided)],
        "not_provided": list(
            dict.fromkeys(m for name in NEEDS for m in missing_inputs(name, provided))
        ),
    }


def record(con: duckdb.DuckDBPyConnection, shop_ids: list[str], inputs: list[str]) -> None:
    """Record that ``inputs`` were provided for ``shop_ids`` (inside the load's transaction)."""
    if shop_ids and inputs:
        con.execute(RECORD_COVERAGE, {"shops": shop_ids, "inputs": inputs})


def provided_by_shop(con: Engine) -> dict[str, frozenset[str]]:
    """Every shop's provided inputs."""
    found: dict[str, set[str]] = {}
    for shop_id, name in con.execute(COVERAGE).fetchall():
        found.setdefault(shop_id, set()).add(name)
    return {shop: frozenset(names) for shop, names in found.items()}
