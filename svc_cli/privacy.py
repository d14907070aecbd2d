"""Pseudonymised customer ids: a keyed hash, so shared databases identify no buyer.

The same key always gives the same pseudonym, so repurchase metrics are unchanged; without
the key the original ids cannot be recovered or matched. The key comes from the
``SVC_PSEUDONYM_KEY`` environment variable or a key file, never from the command line
(where it would show in shell history and process lists).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from svc_cli.errors import UsageError
from svc_cli.i18n import Message, Verbatim
from svc_cli.schema import DATA_TABLES
from svc_cli.store import scalar

if TYPE_CHECKING:
    import duckdb

KEY_ENV = "SVC_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16


def pseudonym_sql(value: str) -> str:
    """SQL of the pseudonym of the id ``value`` (NULL stays NULL): a keyed double SHA-256
    (HMAC-like) with the ``$key`` parameter, 96 bits shown."""
    return f"'p' || substr(sha256($key || sha256($key || {value})), 1, 24)"


def read_key(key_file: Path | None = None) -> str:
    """The pseudonymisation key from ``key_file`` or the environment."""
    if key_file is not None:
        try:
            key = key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(
                Message("error.key_file", file=str(key_file), reason=Verbatim(str(exc.strerror)))
            ) from exc
    else:
        key = os.environ.get(KEY_ENV, "").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise UsageError(
            Message("error.key_too_short", min=Verbatim(str(MIN_KEY_LENGTH))),
            Message("hint.key", env=Verbatim(KEY_ENV)),
        )
    return key


def fingerprint(key: str) -> str:
    """A value identifying the key (stored in the database) that does not reveal it."""
    return hashlib.sha256(f"svc-key-fingerprint|{key}".encode()).hexdigest()[:16]


def check_database(con: duckdb.DuckDBPyConnection, key: str | None) -> None:
    """A database is pseudonymised with one key from its first load on, or never: refuse
    a load with another key, or none (inside the load's transaction: the first load with
    a key records its fingerprint)."""
    stored = scalar(con, "SELECT value FROM svc_meta WHERE key = 'pseudonym_key'")
    given = fingerprint(key) if key is not None else None
    if stored == given:
        return
    if stored is not None:
        raise UsageError(
            Message("error.pseudonymised_other_key" if given else "error.pseudonymised_db"),
            Message("hint.same_key"),
        )
    has_rows = scalar(
        con, "SELECT " + " + ".join(f"(SELECT count(*) FROM {t.name})" for t in DATA_TABLES)
    )
    if has_rows:
        raise UsageError(Message("error.real_ids_db"), Message("hint.new_pseudonymised_db"))
    con.execute("INSERT INTO svc_meta VALUES ('pseudonym_key', ?)", [given])
