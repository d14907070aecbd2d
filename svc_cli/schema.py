"""Canonical tables (spec §1): columns, types, value rules, DDL and schema version.

Every import is normalised to these tables. Column specs drive both the DDL and the
loader's validation, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 5

ORDER_STATUSES = ("pending", "paid", "shipped", "completed", "cancelled", "refunded")
REFUND_REASONS = ("quality", "not_as_described", "logistics", "no_reason", "other")
REFUND_STATUSES = ("requested", "completed", "withdrawn", "rejected")


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``kind`` is one of text, id, code (a SKU: trimmed as an id is, no more checked),
    timestamp, money, count, rating, seconds, score100, bool, enum. ``in_header``: the
    column must be present in the file's header.
    ``required``: every row must have a value.
    """

    name: str
    kind: str
    sql_type: str
    required: bool = False
    in_header: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None  # SQL literal used when the column or value is absent


#: The stored column after a data table's canonical ones: a 64-bit hash of the row's id
#: (its key without the shop). A load looks its staged rows up in the table by this
#: column, which is read much faster than the ids themselves (see ``svc_cli.merge``);
#: ``svc_cli.store`` recomputes it should DuckDB's ``hash`` ever change.
KEY_HASH = "_key"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    key_hash: bool = False  # stores ``KEY_HASH``

    @property
    def column_names(self) -> list[str]:
        """The canonical columns."""
        return [c.name for c in self.columns]

    @property
    def stored_columns(self) -> list[str]:
        """The columns of the stored table: the canonical ones, then ``KEY_HASH``."""
        return self.column_names + ([KEY_HASH] if self.key_hash else [])

    @property
    def ids(self) -> tuple[str, ...]:
        """The key without the shop: what identifies a row within its shop."""
        return tuple(k for k in self.key if k != "shop_id") or self.key

    def key_hash_sql(self) -> str:
        """SQL of ``KEY_HASH`` from a row's id columns."""
        return f"hash({', '.join(self.ids)})"

    def ddl(self) -> str:
        cols = [f"{c.name} {c.sql_type}" for c in self.columns]
        if self.key_hash:
            cols.append(f"{KEY_HASH} UBIGINT")
        listed = ",\n  ".join(cols)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {listed}\n)"


def _ts(name: str, **kw: Any) -> Column:
    return Column(name, "timestamp", "TIMESTAMP", **kw)


ORDERS = Table(
    "orders",
    (
        Column("order_id", "id", "VARCHAR", required=True, in_header=True),
        Column("shop_id", "id", "VARCHAR", required=True, in_header=True),
        Column("customer_id", "id", "VARCHAR"),
        _ts("ordered_at", required=True, in_header=True),
        _ts("paid_at", in_header=True),
        _ts("shipped_at"),
        _ts("delivered_at"),
        Column("amount", "money", "DECIMAL(18,2)", default="0"),
        Column("quantity", "count", "INTEGER", default="1"),
        Column("sku", "code", "VARCHAR"),
        Column("status", "enum", "VARCHAR", required=True, in_header=True, choices=ORDER_STATUSES),
        Column("refund_amount", "money", "DECIMAL(18,2)", default="0"),
        Column("refund_reason", "enum", "VARCHAR", choices=REFUND_REASONS),
        Column("refund_status", "enum", "VARCHAR", choices=REFUND_STATUSES),
        _ts("refund_requested_at"),
        _ts("refund_completed_at"),
        Column("escalated", "bool", "BOOLEAN", default="false"),
    ),
    key=("shop_id", "order_id"),
    key_hash=True,
)

REVIEWS = Table(
    "reviews",
    (
        Column("review_id", "id", "VARCHAR"),  # synthesised when absent
        Column("order_id", "id", "VARCHAR", required=True, in_header=True),
        Column("shop_id", "id", "VARCHAR", required=True, in_header=True),
        Column("customer_id", "id", "VARCHAR"),
        Column("rating", "rating", "TINYINT", required=True, in_header=True),
        _ts("created_at", required=True, in_header=True),
        Column("text", "text", "VARCHAR"),
    ),
    key=("shop_id", "review_id"),
    key_hash=True,
)

CHATS = Table(
    "chats",
    (
        Column("session_id", "id", "VARCHAR", required=True, in_header=True),
        Column("shop_id", "id", "VARCHAR", required=True, in_header=True),
        Column("agent_id", "id", "VARCHAR"),
        Column("customer_id", "id", "VARCHAR"),
        _ts("started_at", required=True, in_header=True),
        Column("first_response_seconds", "seconds", "DOUBLE", in_header=True),
        Column("satisfaction", "rating", "TINYINT"),
        Column("qa_score", "score100", "DOUBLE"),
    ),
    key=("shop_id", "session_id"),
    key_hash=True,
)

SHOPS = Table(
    "shops",
    (
        Column("shop_id", "id", "VARCHAR", required=True, in_header=True),
        Column("name", "text", "VARCHAR"),
        Column("industry", "text", "VARCHAR", default="'general'"),
        Column("services", "text", "VARCHAR[]"),
    ),
    key=("shop_id",),
)

DATA_TABLES = (ORDERS, REVIEWS, CHATS)
# The data tables by name: what a loaded file or a preset's ``table`` names.
DATA_TABLE_BY_NAME = {t.name: t for t in DATA_TABLES}
ALL_TABLES = (ORDERS, REVIEWS, CHATS, SHOPS)

#: Data coverage (spec §10): inputs provided per shop; ``inferred`` marks rows guessed
#: from the data of a database loaded before coverage was recorded.
COVERAGE_DDL = """CREATE TABLE IF NOT EXISTS coverage (
  shop_id VARCHAR, input VARCHAR, inferred BOOLEAN, PRIMARY KEY (shop_id, input)
)"""

#: Shop aliases (from the shops file's ``aliases``): another id or a name that means
#: the shop; loads store the rows of an alias under the shop id.
ALIASES_DDL = """CREATE TABLE IF NOT EXISTS shop_aliases (
  alias VARCHAR PRIMARY KEY, shop_id VARCHAR NOT NULL
)"""

META_DDL = (
    "CREATE TABLE IF NOT EXISTS svc_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS svc_loads (
  loaded_at TIMESTAMP, table_name VARCHAR, file VARCHAR,
  rows_read BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT, rejected BIGINT
)""",
    COVERAGE_DDL,
    ALIASES_DDL,
)
