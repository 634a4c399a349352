"""What the web UI reads: events listings with filters, search over articles, facts and quotes,
outlets, and an entity's events and quotes. One query each, every value a parameter."""

from __future__ import annotations

import datetime as dt
import json
import re

from ...models import (
    MATCH_END,
    MATCH_START,
    Entity,
    EventFilter,
    EventRow,
    SearchHit,
    SpeakerQuote,
    count_statuses,
)
from ..sql import SqlDatabase
from .db import chunks

SNIPPET_WORDS = 16


def fts_query(text: str) -> str | None:
    """A user's search as an FTS5 query that cannot be a syntax error: "quoted phrases" stay
    phrases, every other word is quoted (so AND, NEAR, -, * and : are words, not operators),
    and all of them must match. None when nothing searchable is left."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        words = re.findall(r"\w+", phrase or word)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms) or None


def _after(until: str) -> str:
    """What comes right after the day, month or year ``until`` names ("2025-03-12" holds
    "2025-03-12T09:00"): compared as text, in any collation."""
    if len(until) == 4:
        return f"{int(until) + 1:04d}"
    if len(until) == 7:
        year, month = int(until[:4]), int(until[5:7])
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    return (dt.date.fromisoformat(until[:10]) + dt.timedelta(days=1)).isoformat()


class SqliteBrowse:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def _where(self, f: EventFilter) -> tuple[str, list]:
        clauses, params = [], []
        if f.since:
            clauses.append('coalesce(e."end", e.start) >= ?')
            params.append(f.since)
        if f.until:
            clauses.append('coalesce(e.start, e."end") < ?')
            params.append(_after(f.until))
        if f.outlet:
            clauses.append("EXISTS (SELECT 1 FROM articles x WHERE x.event_id = e.id AND x.source = ?)")
            params.append(f.outlet)
        if f.entity:
            clauses.append("EXISTS (SELECT 1 FROM mentions m JOIN articles x ON x.id = m.article_id "
                           "WHERE x.event_id = e.id AND m.entity_id = ?)")
            params.append(f.entity)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def events(self, f: EventFilter) -> tuple[list[EventRow], int]:
        """One page of the events ``f`` selects, and how many it selects in all. The page is
        chosen first (by size: from the index of articles by event), then only its events'
        articles are counted."""
        where, params = self._where(f)
        if f.order == "size":
            page = self.db.all(
                "SELECT e.id FROM events e LEFT JOIN (SELECT event_id, count(*) AS n FROM articles "
                f"WHERE event_id IS NOT NULL GROUP BY event_id) c ON c.event_id = e.id{where} "
                "ORDER BY coalesce(c.n, 0) DESC, coalesce(e.\"end\", e.start, '') DESC, e.id LIMIT ? OFFSET ?",
                (*params, f.limit, f.offset))
        else:
            page = self.db.all(
                f"SELECT e.id FROM events e{where} ORDER BY coalesce(e.\"end\", e.start) IS NULL, "
                "coalesce(e.\"end\", e.start) DESC, e.id LIMIT ? OFFSET ?", (*params, f.limit, f.offset))
        total = self.db.one(f"SELECT count(*) FROM events e{where}", tuple(params))
        return self._rows([r[0] for r in page]), int(total[0]) if total else 0

    def _rows(self, ids: list[str]) -> list[EventRow]:
        """These events as listed, in this order, with their articles and outlets counted."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        counts = {r[0]: (int(r[1]), int(r[2])) for r in self.db.all(
            f"SELECT event_id, count(*), count(DISTINCT source) FROM articles WHERE event_id IN ({marks}) "
            "GROUP BY event_id", tuple(ids))}
        found = {r[0]: r for r in self.db.all(f'SELECT id, title, start, "end" FROM events WHERE id IN ({marks})',
                                               tuple(ids))}
        return [EventRow(i, found[i][1], found[i][2], found[i][3], *counts.get(i, (0, 0))) for i in ids if i in found]

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with its number of stored articles, most first."""
        return [(r[0], int(r[1])) for r in self.db.all(
            "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL GROUP BY source ORDER BY n DESC, source")]

    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles, facts and quotes matching every word of ``text``, best first (BM25)."""
        query = fts_query(text)
        if query is None:
            return []
        marks = (MATCH_START, MATCH_END, "…", SNIPPET_WORDS)
        rows = self.db.all(
            "SELECT 'article' AS kind, a.id AS ref, a.event_id, a.title, "
            "snippet(articles_fts, -1, ?, ?, ?, ?) AS snip, bm25(articles_fts) AS score "
            "FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid WHERE articles_fts MATCH ? "
            "UNION ALL "
            "SELECT t.kind, t.ref, t.event_id, e.title, snippet(story_fts, -1, ?, ?, ?, ?), bm25(story_fts) "
            "FROM story_fts JOIN story_texts t ON t.pk = story_fts.rowid JOIN events e ON e.id = t.event_id "
            "WHERE story_fts MATCH ? ORDER BY score, ref LIMIT ? OFFSET ?",
            (*marks, query, *marks, query, limit, offset))
        return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def entity_events(self, entity_id: str) -> list[EventRow]:
        """The events whose articles name the entity, newest first."""
        ids = [r[0] for r in self.db.all(
            "SELECT e.id FROM events e WHERE e.id IN (SELECT x.event_id FROM mentions m "
            "JOIN articles x ON x.id = m.article_id WHERE m.entity_id = ?) "
            'ORDER BY coalesce(e."end", e.start) IS NULL, coalesce(e."end", e.start) DESC, e.id', (entity_id,))]
        return [row for part in chunks(ids) for row in self._rows(part)]

    def speaker_quotes(self, entity_id: str, limit: int = 200) -> list[SpeakerQuote]:
        """What the entity is quoted as saying, article by article."""
        return [SpeakerQuote(r[0], r[1], r[2], r[3]) for r in self.db.all(
            "SELECT q.article_id, a.event_id, q.text, q.kind FROM quotes q JOIN articles a ON a.id = q.article_id "
            "WHERE q.speaker_entity = ? ORDER BY coalesce(a.published, '') DESC, q.article_id, q.start LIMIT ?",
            (entity_id, limit))]

    def entities(self, ids: list[str]) -> list[Entity]:
        """The entities with these ids, in the order given (unknown ids left out)."""
        found: dict[str, Entity] = {}
        for part in chunks(list(dict.fromkeys(ids))):
            for r in self.db.all(f"SELECT id, name, label, aliases FROM entities WHERE id IN ({','.join('?' * len(part))})",
                                 tuple(part)):
                found[r[0]] = Entity(r[0], r[1], r[2], tuple(json.loads(r[3])))
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    def find_entity(self, name: str) -> Entity | None:
        """The entity a reader means by ``name``: the one with that name, else with it among
        its aliases, else whose name starts with it; the most mentioned first."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return None
        like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        row = self.db.one(
            "SELECT e.id, e.name, e.label, e.aliases FROM entities e "
            "WHERE casefold(e.name) = ? OR casefold(e.aliases) LIKE ? ESCAPE '\\' "
            "OR casefold(e.name) LIKE ? ESCAPE '\\' "
            "ORDER BY CASE WHEN casefold(e.name) = ? THEN 0 WHEN casefold(e.name) LIKE ? ESCAPE '\\' THEN 2 ELSE 1 END, "
            "(SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) DESC, e.id LIMIT 1",
            (wanted, f'%"{like}"%', f"{like}%", wanted, f"{like}%"))
        return Entity(row[0], row[1], row[2], tuple(json.loads(row[3]))) if row else None

    def status_counts(self, ids: list[str]) -> dict[str, dict[str, int]]:
        """How many facts of each status the stories of these events hold (read by the
        database: a listing need not load whole stories)."""
        out: dict[str, dict[str, int]] = {i: count_statuses(()) for i in ids}
        for part in chunks(list(dict.fromkeys(ids))):
            for r in self.db.all(f"SELECT id, corroborated, contradicted, single_source FROM events "
                                 f"WHERE id IN ({','.join('?' * len(part))})", tuple(part)):
                out[r[0]] = {"corroborated": int(r[1]), "contradicted": int(r[2]), "single_source": int(r[3])}
        return out

    def thread_basis(self) -> list[tuple[str, str | None, list[str], list[str]]]:
        """Every event with a story: (id, start, actors, subjects), read out of the stories by
        the database (threads need no more of them)."""
        return [(r[0], r[1], json.loads(r[2]), json.loads(r[3])) for r in self.db.all(
            "SELECT id, start, actors, subjects FROM events WHERE story IS NOT NULL ORDER BY coalesce(start, ''), id")]

    def event_version(self, event_id: str) -> str | None:
        """Changes whenever the event or its story does (None: no such event)."""
        row = self.db.one("SELECT story_version, dirty, updated_at FROM events WHERE id = ?", (event_id,))
        return f"{row[0]}:{row[1]}:{row[2]}" if row else None

    def fingerprint(self) -> str:
        """Changes whenever an event or story does: a key for what is worth caching."""
        row = self.db.one("SELECT count(*), max(updated_at) FROM events")
        return f"{row[0]}:{row[1]}" if row else ""
