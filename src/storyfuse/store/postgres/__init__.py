"""The PostgreSQL store (``--db postgresql://…``): the same repositories as the SQLite store,
over a PostgreSQL database (``PgDatabase``), with PostgreSQL's own full-text search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..interfaces import Store as StoreInterface
from ..sqlite.articles import SqliteArticles
from ..sqlite.clustering import SqliteClustering
from ..sqlite.corpus import SqliteEntities, SqliteRejections, SqliteReuse, SqliteRuns, SqliteVectors
from ..sqlite.events import SqliteEvents, SqliteStories
from .db import PgDatabase
from .schema import SCHEMA_VERSION


class PgArticles(SqliteArticles):
    def search(self, query: str, limit: int = 50) -> list[tuple[str, str | None]]:
        """Articles matching the words of ``query`` (all of them, web-search syntax: "quoted
        phrases", -excluded), best first."""
        rows = self.db.all(
            "SELECT id, title FROM articles, websearch_to_tsquery('storyfuse_search', ?) q WHERE search @@ q "
            "ORDER BY ts_rank(search, q) DESC, pk LIMIT ?", (query, limit))
        return [(r[0], r[1]) for r in rows]


class PostgresStore:
    """The repositories over one PostgreSQL database (see ``store.interfaces``)."""

    def __init__(self, url: str, *, readonly: bool = False, lock_wait_s: float = 600):
        self._db = PgDatabase(url, readonly=readonly, lock_wait_s=lock_wait_s)
        self.path = self._db.path
        self.articles = PgArticles(self._db)
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
        """Nothing to fold: PostgreSQL has no write-ahead file beside a database file."""

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["PostgresStore", "PgDatabase", "SCHEMA_VERSION"]


def _conforms(store: PostgresStore) -> StoreInterface:
    return store  # mypy checks here that the PostgreSQL store implements every interface
