"""The SQLite store (the default): one file, WAL, foreign keys, FTS5."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..interfaces import Store as StoreInterface
from .articles import SqliteArticles
from .clustering import SqliteClustering
from .corpus import SqliteEntities, SqliteRejections, SqliteReuse, SqliteRuns, SqliteVectors
from .db import DEFAULT_DB, Database
from .events import SqliteEvents, SqliteStories
from .schema import SCHEMA_VERSION


class SqliteStore:
    """The repositories over one SQLite file (see ``store.interfaces``)."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False, lock_wait_s: float = 600):
        self._db = Database(path, readonly=readonly, lock_wait_s=lock_wait_s)
        self.path = self._db.path
        self.articles = SqliteArticles(self._db)
        self.reuse = SqliteReuse(self._db)
        self.entities = SqliteEntities(self._db)
        self.events = SqliteEvents(self._db)
        self.clustering = SqliteClustering(self._db)
        self.stories = SqliteStories(self._db)
        self.vectors = SqliteVectors(self._db)
        self.runs = SqliteRuns(self._db)
        self.rejections = SqliteRejections(self._db)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._db.transaction():
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self._db.snapshot():
            yield

    def acquire_writer(self, wait_s: float | None = None, on_wait: Callable[[str], None] | None = None) -> None:
        self._db.acquire_writer(wait_s, on_wait)

    def release_writer(self) -> None:
        self._db.release_writer()

    def integrity_errors(self) -> list[str]:
        return self._db.integrity_errors()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (before copying the file)."""
        self._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["SqliteStore", "Database", "DEFAULT_DB", "SCHEMA_VERSION"]


def _conforms(store: SqliteStore) -> StoreInterface:
    return store  # mypy checks here that the SQLite store implements every interface
