"""The SQLite connection: WAL mode, foreign keys, migrations, transactions and the writer lock.

One writer at a time: a writer takes an exclusive lock on ``<db>.lock`` (fcntl) for the
whole run, so a second ``storyfuse run`` waits, says so, and never interleaves its writes
with the first one's incremental indexes. Readers (export, the web UI) never take the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ...errors import SchemaVersionError, StoreError, StoreLockedError
from ..sql import MetaTable
from .schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "storyfuse.db"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Database(MetaTable):
    """A SQLite file with the storyfuse schema, migrated on open."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False, lock_wait_s: float = 600):
        self.path = Path(path)
        self.readonly = readonly
        self.lock_wait_s = lock_wait_s  # how long a second writer waits for the first
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such database; create it with `storyfuse run INPUT --db {self.path}`")
        if not readonly and self.path.parent and not self.path.parent.exists():
            raise StoreError(f"{self.path}: folder {self.path.parent} does not exist")
        # A URI for read-only opens: built with as_uri so "#" or "?" in a path stay part of it.
        uri = f"{self.path.resolve().as_uri()}?mode=ro" if readonly else str(self.path)
        try:
            self.conn = sqlite3.connect(uri, uri=readonly, isolation_level=None, timeout=30, check_same_thread=False)
        except sqlite3.OperationalError as err:
            raise StoreError(f"{self.path}: cannot open the database: {err}") from None
        self.conn.row_factory = sqlite3.Row
        # SQLite's lower() knows ASCII only: names are matched as Python folds them ("Émile")
        self.conn.create_function("casefold", 1, lambda s: s.casefold() if isinstance(s, str) else s,
                                  deterministic=True)
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 30000")
        self._lock_file: Any = None
        # One connection may be shared by threads (the web UI's): transactions take turns.
        self._tx_lock = threading.RLock()
        self._depth = 0  # transactions open on this connection: inner ones join the outer one
        try:
            self._check_version()
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as err:
            self.conn.close()
            if "readonly" in str(err).lower():
                raise StoreError(f"{self.path}: the database file or its folder is read-only; make them "
                                 f"writable, or read it with `storyfuse export --db {self.path}`") from None
            raise StoreError(f"{self.path}: not a storyfuse database, or a damaged one ({err}); use another "
                             f"--db, or restore the file from a copy") from None
        except StoreError:
            self.conn.close()
            raise

    def _check_version(self) -> None:
        """Refuse, before changing anything, a schema newer than this storyfuse."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(str(self.path), version, SCHEMA_VERSION)

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(f"{self.path}: database needs an upgrade; run `storyfuse run` on it once")
        # Read the version again inside the write transaction: two processes opening a new
        # file at once must not both create the tables.
        with self.transaction():
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                if tables:
                    raise StoreError(
                        f"{self.path}: not a storyfuse database (it holds other tables: {', '.join(tables[:5])}); "
                        "use another --db"
                    )
            for number in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[number]):
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One consistent view for a reader (an export) while a writer goes on."""
        with self._tx_lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a killed run never leaves half an article behind. A transaction
        opened inside another one is part of it (the outer one commits or rolls back)."""
        with self._tx_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def acquire_writer(self, wait_s: float | None = None, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the single-writer lock, waiting (and saying so) while another run holds it."""
        if self._lock_file is not None:
            return
        wait_s = self.lock_wait_s if wait_s is None else wait_s
        # Keyed on the real file: a second path to it (a link) must meet the same lock.
        handle = open(f"{os.path.realpath(self.path)}.lock", "a+")
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and on_wait:
                    on_wait(f"{self.path} is being written by another storyfuse process; waiting for it to finish...")
                    told = True
                if time.monotonic() > deadline:
                    handle.close()
                    raise StoreLockedError(str(self.path), wait_s) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle

    def release_writer(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def close(self) -> None:
        self.release_writer()
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity_errors(self) -> list[str]:
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in self.conn.execute("PRAGMA foreign_key_check")]
        return problems

    # Small helpers used by the repositories.
    def one(self, sql: str, params: tuple = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()



def _statements(script: str) -> list[str]:
    """Split a migration into statements (sqlite3 runs one per execute inside a transaction)."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate and sqlite3.complete_statement(candidate):
            out.append(candidate)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def chunks(items: list, size: int = 500) -> Iterator[list]:
    """Pieces of a list small enough for one ``IN (...)`` clause."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
