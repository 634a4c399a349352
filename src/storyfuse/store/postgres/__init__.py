"""The PostgreSQL store (``--db postgresql://…``): the same repositories as the SQLite store,
over a PostgreSQL database (``PgDatabase``), with PostgreSQL's own full-text search."""

from __future__ import annotations

from ...models import MATCH_END, MATCH_START, SearchHit
from ..interfaces import Store as StoreInterface
from ..sqlite import RepositoryStore
from ..sqlite.articles import SqliteArticles
from ..sqlite.browse import SNIPPET_WORDS, SqliteBrowse
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


class PgBrowse(SqliteBrowse):
    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles, facts and quotes matching the words of ``text`` (web-search syntax), best
        first; snippets are cut only for the page of results shown."""
        options = (f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_WORDS}, "
                   f"MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter=…, MaxFragments=1")
        rows = self.db.all(
            "WITH q AS (SELECT websearch_to_tsquery('storyfuse_search', ?) AS q), hits AS ("
            "SELECT 'article' AS kind, a.id AS ref, a.event_id, a.title, a.text AS body, ts_rank(a.search, q.q) AS score "
            "FROM articles a, q WHERE a.search @@ q.q "
            "UNION ALL "
            "SELECT t.kind, t.ref, t.event_id, e.title, t.text || coalesce(' — ' || t.who, ''), ts_rank(t.search, q.q) "
            "FROM story_texts t JOIN events e ON e.id = t.event_id, q WHERE t.search @@ q.q "
            "ORDER BY score DESC, ref LIMIT ? OFFSET ?) "
            "SELECT kind, ref, event_id, title, ts_headline('storyfuse_search', body, q.q, ?) FROM hits, q "
            "ORDER BY score DESC, ref", (text, limit, offset, options))
        return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]


class PostgresStore(RepositoryStore):
    """The repositories over one PostgreSQL database (see ``store.interfaces``)."""

    def __init__(self, url: str, *, readonly: bool = False, lock_wait_s: float = 600):
        super().__init__(PgDatabase(url, readonly=readonly, lock_wait_s=lock_wait_s), PgArticles, PgBrowse)

    def checkpoint(self) -> None:
        """Nothing to fold: PostgreSQL has no write-ahead file beside a database file."""


__all__ = ["PostgresStore", "PgDatabase", "SCHEMA_VERSION"]


def _conforms(store: PostgresStore) -> StoreInterface:
    return store  # mypy checks here that the PostgreSQL store implements every interface
