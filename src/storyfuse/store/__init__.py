"""Store: the only module that touches the database (SQLite; WAL, foreign keys, FTS5)."""

from __future__ import annotations

from .db import DEFAULT_DB, Database
from .events import EventStore
from .schema import SCHEMA_VERSION


class Store(EventStore):
    """The whole store: articles and their analyses, entities, reuse, events and stories."""

    def search(self, query: str, limit: int = 50) -> list[tuple[str, str | None]]:
        """Full-text search over titles and texts (FTS5 syntax); (article id, title) pairs."""
        rows = self.all(
            "SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.pk = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [(r[0], r[1]) for r in rows]


__all__ = ["Store", "Database", "DEFAULT_DB", "SCHEMA_VERSION"]
