"""The PostgreSQL connection (psycopg 3): migrations, transactions, the writer lock, and the
few spellings in which the repositories' SQL differs from PostgreSQL's.

The repositories (``store.sqlite``'s) write SQL both databases read ("ON CONFLICT",
"RETURNING", a quoted "end"); what remains is the placeholder, ``?`` here and ``%s`` for
psycopg, translated on the way. Rows answer by position and by column name, as
``sqlite3.Row`` does. One writer at a time, as with SQLite: a session-level advisory lock.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...errors import SchemaVersionError, StoreError, StoreLockedError
from ..sql import MetaTable
from .schema import MIGRATIONS, SCHEMA_VERSION


def redacted(url: str) -> str:
    """The address without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Row(tuple):
    """A result row read by position (``row[0]``) or by column name (``row["id"]``)."""

    names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names = {c.name: i for i, c in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


def _sql(sql: str) -> str:
    """SQLite's placeholders as psycopg's (a literal % doubled first)."""
    return sql.replace("%", "%%").replace("?", "%s")


class Connection:
    """What the repositories call a connection: ``execute`` and ``executemany``."""

    def __init__(self, conn: Any):
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.raw.cursor(row_factory=_row_factory)
        cursor.execute(_sql(sql), tuple(params) if params else None)
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        rows = [tuple(r) for r in rows]
        cursor = self.raw.cursor(row_factory=_row_factory)
        if rows:
            cursor.executemany(_sql(sql), rows)
        return cursor


class PgDatabase(MetaTable):
    """A PostgreSQL database with the storyfuse schema, migrated on open."""

    def __init__(self, url: str, *, readonly: bool = False, lock_wait_s: float = 600):
        import psycopg

        self.path = redacted(url)  # named "path" as for SQLite: what messages call the store
        self.readonly, self.lock_wait_s = readonly, lock_wait_s
        try:
            raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StoreError(f"{self.path}: cannot connect to PostgreSQL ({first}); is the server running and "
                             "the address right?") from None
        self.conn = Connection(raw)
        if readonly:  # an export reads; nothing it does can write
            raw.execute("SET default_transaction_read_only = on")
        self._tx_lock = threading.RLock()
        self._depth = 0
        self._writer = False
        try:
            self._migrate()
        except StoreError:
            raw.close()
            raise

    def _version(self) -> int:
        exists = self.one("SELECT to_regclass('meta') IS NOT NULL")
        if not exists or not exists[0]:
            return 0
        row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(self.path, version, SCHEMA_VERSION)
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(f"{self.path}: database needs an upgrade; run `storyfuse run` on it once")
        with self.transaction():
            # Two processes opening a new database at once must not both create the tables.
            self.conn.execute("SELECT pg_advisory_xact_lock(?)", (_key("migrate"),))
            version = self._version()
            if version == 0:
                tables = [r[0] for r in self.all("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
                if tables:
                    raise StoreError(f"{self.path}: not a storyfuse database (it holds other tables: "
                                     f"{', '.join(sorted(tables)[:5])}); use another database")
            for number in range(version, SCHEMA_VERSION):
                self.conn.raw.execute(MIGRATIONS[number])
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """All or nothing; a transaction opened inside another one is part of it."""
        with self._tx_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self.conn.raw.transaction():
                    yield self.conn
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """One consistent view for a reader while a writer goes on."""
        with self._tx_lock:
            if self._depth:
                yield self.conn
                return
            self._depth = 1
            try:
                with self.conn.raw.transaction():
                    self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    yield self.conn
            finally:
                self._depth = 0

    def acquire_writer(self, wait_s: float | None = None, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the single-writer lock (a session advisory lock), waiting while another holds it."""
        if self._writer:
            return
        wait_s = self.lock_wait_s if wait_s is None else wait_s
        deadline, told = time.monotonic() + wait_s, False
        while not self.one("SELECT pg_try_advisory_lock(?)", (_key("writer"),))[0]:  # type: ignore[index]
            if not told and on_wait:
                on_wait(f"{self.path} is being written by another storyfuse process; waiting for it to finish...")
                told = True
            if time.monotonic() > deadline:
                raise StoreLockedError(self.path, wait_s)
            time.sleep(0.2)
        self._writer = True

    def release_writer(self) -> None:
        if self._writer:
            self.conn.execute("SELECT pg_advisory_unlock(?)", (_key("writer"),))
            self._writer = False

    def integrity_errors(self) -> list[str]:
        """PostgreSQL checks keys and references on every write: nothing to find afterwards."""
        return []

    def close(self) -> None:
        if not self.conn.raw.closed:
            self.release_writer()
            self.conn.raw.close()

    def __enter__(self) -> PgDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()



def _key(name: str) -> int:
    """A stable advisory-lock key for one storyfuse lock."""
    return zlib.crc32(f"storyfuse:{name}".encode())
