"""The PostgreSQL store (``--db postgresql://…``): the same repositories as the SQLite store,
over a PostgreSQL database (``PgDatabase``), with PostgreSQL's own full-text search."""

from __future__ import annotations

from ..interfaces import Store as StoreInterface
from ..sqlite import RepositoryStore
from ..sqlite.articles import SqliteArticles
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


class PostgresStore(RepositoryStore):
    """The repositories over one PostgreSQL database (see ``store.interfaces``)."""

    def __init__(self, url: str, *, readonly: bool = False, lock_wait_s: float = 600):
        super().__init__(PgDatabase(url, readonly=readonly, lock_wait_s=lock_wait_s), PgArticles)

    def checkpoint(self) -> None:
        """Nothing to fold: PostgreSQL has no write-ahead file beside a database file."""


__all__ = ["PostgresStore", "PgDatabase", "SCHEMA_VERSION"]


def _conforms(store: PostgresStore) -> StoreInterface:
    return store  # mypy checks here that the PostgreSQL store implements every interface
