"""Events in the store: clustering state (term frequencies, event profiles) and stories."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from ..cluster import Assignment, EventProfile
from .articles import ArticleStore
from .db import chunks, dumps, now

UNDATED_CANDIDATES = 200
EMPTY_STORY = {"summary": [], "facts": [], "quotes": [], "entities": [], "timeline": []}  # undated articles are compared with the most recently updated events


def pack_centroid(vec: dict[int, float]) -> bytes:
    terms = np.fromiter(vec.keys(), dtype=np.int32, count=len(vec))
    weights = np.fromiter(vec.values(), dtype=np.float32, count=len(vec))
    return terms.tobytes() + weights.tobytes()


def unpack_centroid(blob: bytes) -> dict[int, float]:
    n = len(blob) // 8
    terms = np.frombuffer(blob[: n * 4], dtype=np.int32)
    weights = np.frombuffer(blob[n * 4:], dtype=np.float32)
    return dict(zip(terms.tolist(), weights.tolist()))


class EventStore(ArticleStore):
    # -- clustering state ----------------------------------------------------------------
    def pending_articles(self) -> list[dict]:
        """Articles stored but not yet placed in an event (a run can stop between the two)."""
        return [dict(r) for r in self.all(
            "SELECT id, title, text, published, analysed, duplicate_of FROM articles WHERE clustered = 0 "
            "ORDER BY coalesce(substr(published, 1, 10), ''), id"
        )]

    def article_entities(self, article_id: str) -> list[str]:
        return [r[0] for r in self.all(
            "SELECT DISTINCT entity_id FROM mentions WHERE article_id = ? AND entity_id IS NOT NULL", (article_id,))]

    def document_frequencies(self, terms: list[int]) -> dict[int, int]:
        out = {}
        for part in chunks(terms, 900):
            marks = ",".join("?" * len(part))
            out.update({r[0]: r[1] for r in self.all(f"SELECT term, df FROM term_df WHERE term IN ({marks})", tuple(part))})
        return out

    def document_count(self) -> int:
        return int(self.get_meta("n_docs", "0"))

    def candidate_events(self, date: str | None, window_days: int) -> list[EventProfile]:
        if date:
            day = dt.date.fromisoformat(date[:10])
            low = (day - dt.timedelta(days=window_days)).isoformat()
            high = (day + dt.timedelta(days=window_days)).isoformat()
            rows = self.all("SELECT * FROM events WHERE end >= ? AND start <= ?", (low, high))
            rows += self.all("SELECT * FROM events WHERE start IS NULL ORDER BY updated_at DESC LIMIT ?", (UNDATED_CANDIDATES,))
        else:
            rows = self.all("SELECT * FROM events ORDER BY updated_at DESC LIMIT ?", (UNDATED_CANDIDATES,))
        return [_profile(r) for r in rows]

    def save_assignment(self, result: Assignment, terms: list[int]) -> None:
        """The article's event, the event's new profile and the term counts, together."""
        ev = result.event
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO term_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
                [(t,) for t in terms],
            )
            self.set_meta("n_docs", str(self.document_count() + 1))
            c.execute(
                "INSERT INTO events(id, start, end, size, centroid, entity_counts, dirty, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(id) DO UPDATE SET start = excluded.start, "
                "end = excluded.end, size = excluded.size, centroid = excluded.centroid, "
                "entity_counts = excluded.entity_counts, dirty = 1, updated_at = excluded.updated_at",
                (ev.id, ev.start, ev.end, ev.size, pack_centroid(ev.centroid), dumps(dict(ev.entities)), now()),
            )
            c.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (ev.id, result.article_id))

    def place_without_clustering(self, article_id: str, event_id: str | None) -> None:
        """Duplicates follow their original; articles not analysed stay outside events."""
        with self.transaction() as c:
            c.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (event_id, article_id))
            if event_id:
                c.execute("UPDATE events SET dirty = 1, updated_at = ? WHERE id = ?", (now(), event_id))

    def event_exists(self, event_id: str) -> bool:
        return self.one("SELECT 1 FROM events WHERE id = ?", (event_id,)) is not None

    def stale_events(self) -> list[str]:
        return [r[0] for r in self.all("SELECT id FROM events WHERE stale_profile = 1 ORDER BY id")]

    def clustered_members(self, event_id: str) -> list[dict]:
        """The members that shaped the event's profile (analysed originals), oldest first."""
        return [dict(r) for r in self.all(
            "SELECT id, title, text, published FROM articles WHERE event_id = ? AND analysed = 1 "
            "AND duplicate_of IS NULL ORDER BY coalesce(substr(published, 1, 10), ''), id", (event_id,))]

    def replace_profile(self, profile: EventProfile) -> None:
        """A rebuilt profile (after a member left); the story is recomputed next."""
        with self.transaction() as c:
            c.execute(
                "UPDATE events SET start = ?, end = ?, size = ?, centroid = ?, entity_counts = ?, stale_profile = 0, "
                "dirty = 1, updated_at = ? WHERE id = ?",
                (profile.start, profile.end, profile.size, pack_centroid(profile.centroid),
                 dumps(dict(profile.entities)), now(), profile.id),
            )

    def event_of(self, article_id: str) -> str | None:
        row = self.one("SELECT event_id FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    # -- stories -------------------------------------------------------------------------
    def dirty_events(self) -> list[str]:
        return [r[0] for r in self.all("SELECT id FROM events WHERE dirty = 1 ORDER BY id")]

    def event_members(self, event_id: str) -> list[str]:
        return [r[0] for r in self.all(
            "SELECT id FROM articles WHERE event_id = ? ORDER BY coalesce(published, ''), id", (event_id,))]

    def event_span(self, event_id: str) -> tuple[str | None, str | None]:
        row = self.one("SELECT start, end FROM events WHERE id = ?", (event_id,))
        return (row[0], row[1]) if row else (None, None)

    def save_story(self, event_id: str, title: str, start: str | None, end: str | None, story: dict) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE events SET title = ?, start = ?, end = ?, story = ?, dirty = 0, updated_at = ? WHERE id = ?",
                (title, start, end, dumps(story), now(), event_id),
            )

    def drop_event(self, event_id: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def events(self, ids: list[str] | None = None, since: str | None = None) -> list[dict]:
        """Stored events with their stories, oldest first. An event whose story is not computed
        yet (a run still going, or stopped) is listed with an empty story, never left out."""
        columns = ("SELECT id, title, start, end, story, "
                   "(SELECT count(*) FROM articles WHERE event_id = events.id) AS members FROM events")
        order = " ORDER BY coalesce(start, ''), id"
        if ids is not None:
            rows = []
            for part in chunks(ids):
                rows += self.all(f"{columns} WHERE id IN ({','.join('?' * len(part))})", tuple(part))
            rows.sort(key=lambda r: (r["start"] or "", r["id"]))
        elif since:
            rows = self.all(f"{columns} WHERE end >= ?{order}", (since,))
        else:
            rows = self.all(columns + order)
        out = []
        for r in rows:
            story = json.loads(r["story"]) if r["story"] else EMPTY_STORY
            out.append({"id": r["id"], "title": r["title"], "start": r["start"], "end": r["end"],
                        "members": r["members"], **story})
        return out


def _profile(row) -> EventProfile:
    return EventProfile(
        id=row["id"], centroid=unpack_centroid(row["centroid"]), size=row["size"],
        entities=json.loads(row["entity_counts"]), start=row["start"], end=row["end"],
    )
