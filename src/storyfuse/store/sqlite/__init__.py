"""The SQLite store (the default): one file, WAL, foreign keys, FTS5."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from ..interfaces import Store as StoreInterface
from .articles import SqliteArticles
from .browse import SqliteBrowse
from .clustering import SqliteClustering
from .corpus import SqliteEntities, SqliteRejections, SqliteReuse, SqliteRoles, SqliteRuns, SqliteVectors
from .db import DEFAULT_DB, Database
from .events import SqliteEvents, SqliteStories
from .schema import SCHEMA_VERSION


class RepositoryStore:
    """The repositories over one SQL database (``db``: SQLite's ``Database`` or PostgreSQL's
    ``PgDatabase``), with the database's transactions, snapshots and writer lock."""

    def __init__(self, db: Any, articles: type[SqliteArticles] = SqliteArticles,
                 browse: type[SqliteBrowse] = SqliteBrowse):
        self._db = db
        self.path = db.path
        self.articles = articles(db)
        self.reuse = SqliteReuse(db)
        self.entities = SqliteEntities(db)
        self.events = SqliteEvents(db)
        self.clustering = SqliteClustering(db)
        self.stories = SqliteStories(db)
        self.vectors = SqliteVectors(db)
        self.roles = SqliteRoles(db)
        self.runs = SqliteRuns(db)
        self.rejections = SqliteRejections(db)
        self.browse = browse(db)

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

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteStore(RepositoryStore):
    """The repositories over one SQLite file (see ``store.interfaces``)."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False, lock_wait_s: float = 600):
        super().__init__(Database(path, readonly=readonly, lock_wait_s=lock_wait_s))

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (before copying the file)."""
        self._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


__all__ = ["RepositoryStore", "SqliteStore", "Database", "DEFAULT_DB", "SCHEMA_VERSION"]


def _conforms(store: SqliteStore) -> StoreInterface:
    return store  # mypy checks here that the SQLite store implements every interface
