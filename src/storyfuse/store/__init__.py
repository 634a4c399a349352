"""Store: the only package that touches the database.

``Store(db)`` opens the SQLite store (the default: a file path) or, for an address
``postgresql://…``, the PostgreSQL store; the interfaces every store implements are in
``store.interfaces``.
"""

from __future__ import annotations

from pathlib import Path

from .interfaces import Store as StoreInterface
from .sqlite import DEFAULT_DB, SCHEMA_VERSION, SqliteStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(db: str | Path) -> bool:
    return isinstance(db, str) and db.startswith(POSTGRES_SCHEMES)


def Store(db: str | Path = DEFAULT_DB, *, readonly: bool = False, lock_wait_s: float = 600):  # noqa: N802 - a factory
    """The store at ``db``: a PostgreSQL address or an SQLite file."""
    if is_postgres(db):
        from .postgres import PostgresStore

        return PostgresStore(str(db), readonly=readonly, lock_wait_s=lock_wait_s)
    return SqliteStore(db, readonly=readonly, lock_wait_s=lock_wait_s)


__all__ = ["Store", "StoreInterface", "SqliteStore", "DEFAULT_DB", "SCHEMA_VERSION", "is_postgres"]
