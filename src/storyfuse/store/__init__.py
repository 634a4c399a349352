"""Store: the only package that touches the database.

``Store`` opens the default SQLite store; the interfaces every store implements are in
``store.interfaces``.
"""

from __future__ import annotations

from .interfaces import Store as StoreInterface
from .sqlite import DEFAULT_DB, SCHEMA_VERSION, SqliteStore

Store = SqliteStore

__all__ = ["Store", "StoreInterface", "SqliteStore", "DEFAULT_DB", "SCHEMA_VERSION"]
