"""What the repositories need of a SQL database, whichever it is (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any: ...


class SqlDatabase(Protocol):
    """Rows answer by position and by column name; placeholders are ``?``."""

    def transaction(self) -> AbstractContextManager[Any]: ...

    def one(self, sql: str, params: tuple = ...) -> Any: ...

    def all(self, sql: str, params: tuple = ...) -> list[Any]: ...

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


class MetaTable:
    """The ``meta`` table's key-value pairs, for a database class with ``one`` and ``conn``."""

    conn: Any

    def one(self, sql: str, params: tuple = ()) -> Any:
        raise NotImplementedError

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value))
