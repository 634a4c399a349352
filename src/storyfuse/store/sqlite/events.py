"""Events in SQLite: membership, the clustering state (term counts, event profiles) and
stories, kept as typed ``EventStory`` records."""

from __future__ import annotations

import json

import numpy as np
from pydantic import TypeAdapter

from ...models import EventProfile, EventStory, PendingArticle, StoredEvent
from .db import Database, chunks, dumps, now

_STORY = TypeAdapter(EventStory)


def pack_centroid(vec: dict[int, float]) -> bytes:
    """Term ids then float32 weights: eight bytes a term."""
    terms = np.fromiter(vec.keys(), dtype=np.int32, count=len(vec))
    weights = np.fromiter(vec.values(), dtype=np.float32, count=len(vec))
    return terms.tobytes() + weights.tobytes()


def unpack_centroid(blob: bytes) -> dict[int, float]:
    n = len(blob) // 8
    terms = np.frombuffer(blob[: n * 4], dtype=np.int32)
    weights = np.frombuffer(blob[n * 4:], dtype=np.float32)
    return dict(zip(terms.tolist(), weights.tolist()))


class SqliteEvents:
    def __init__(self, db: Database):
        self.db = db

    # -- clustering state ----------------------------------------------------------------
    def pending(self) -> list[PendingArticle]:
        return [PendingArticle(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in self.db.all(
            "SELECT id, title, text, published, analysed, duplicate_of FROM articles WHERE clustered = 0 "
            "ORDER BY coalesce(substr(published, 1, 10), ''), id"
        )]

    def document_frequencies(self, terms: list[int]) -> dict[int, int]:
        out = {}
        for part in chunks(terms, 900):
            marks = ",".join("?" * len(part))
            out.update({r[0]: r[1] for r in self.db.all(f"SELECT term, df FROM term_df WHERE term IN ({marks})",
                                                        tuple(part))})
        return out

    def document_count(self) -> int:
        return int(self.db.get_meta("n_docs", "0") or 0)

    def profiles_between(self, low: str, high: str) -> list[EventProfile]:
        return [_profile(r) for r in self.db.all("SELECT * FROM events WHERE end >= ? AND start <= ?", (low, high))]

    def undated_profiles(self, limit: int) -> list[EventProfile]:
        return [_profile(r) for r in self.db.all(
            "SELECT * FROM events WHERE start IS NULL ORDER BY updated_at DESC LIMIT ?", (limit,))]

    def recent_profiles(self, limit: int) -> list[EventProfile]:
        return [_profile(r) for r in self.db.all("SELECT * FROM events ORDER BY updated_at DESC LIMIT ?", (limit,))]

    def exists(self, event_id: str) -> bool:
        return self.db.one("SELECT 1 FROM events WHERE id = ?", (event_id,)) is not None

    def place(self, article_id: str, profile: EventProfile, terms: list[int]) -> None:
        with self.db.transaction() as c:
            c.executemany(
                "INSERT INTO term_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
                [(t,) for t in terms],
            )
            self.db.set_meta("n_docs", str(self.document_count() + 1))
            c.execute(
                "INSERT INTO events(id, start, end, size, centroid, entity_counts, dirty, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(id) DO UPDATE SET start = excluded.start, "
                "end = excluded.end, size = excluded.size, centroid = excluded.centroid, "
                "entity_counts = excluded.entity_counts, dirty = 1, updated_at = excluded.updated_at",
                (profile.id, profile.start, profile.end, profile.size, pack_centroid(dict(profile.centroid)),
                 dumps(dict(profile.entities)), now()),
            )
            c.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (profile.id, article_id))

    def place_without_clustering(self, article_id: str, event_id: str | None) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (event_id, article_id))
            if event_id:
                c.execute("UPDATE events SET dirty = 1, updated_at = ? WHERE id = ?", (now(), event_id))

    def event_of(self, article_id: str) -> str | None:
        row = self.db.one("SELECT event_id FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def stale(self) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM events WHERE stale_profile = 1 ORDER BY id")]

    def clustered_members(self, event_id: str) -> list[PendingArticle]:
        return [PendingArticle(r[0], r[1], r[2], r[3]) for r in self.db.all(
            "SELECT id, title, text, published FROM articles WHERE event_id = ? AND analysed = 1 "
            "AND duplicate_of IS NULL ORDER BY coalesce(substr(published, 1, 10), ''), id", (event_id,))]

    def replace_profile(self, profile: EventProfile) -> None:
        with self.db.transaction() as c:
            c.execute(
                "UPDATE events SET start = ?, end = ?, size = ?, centroid = ?, entity_counts = ?, stale_profile = 0, "
                "dirty = 1, updated_at = ? WHERE id = ?",
                (profile.start, profile.end, profile.size, pack_centroid(dict(profile.centroid)),
                 dumps(dict(profile.entities)), now(), profile.id),
            )

    # -- membership ----------------------------------------------------------------------
    def members(self, event_id: str) -> list[str]:
        return [r[0] for r in self.db.all(
            "SELECT id FROM articles WHERE event_id = ? ORDER BY coalesce(published, ''), id", (event_id,))]

    def dirty(self) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM events WHERE dirty = 1 ORDER BY id")]

    def drop(self, event_id: str) -> None:
        with self.db.transaction() as c:
            c.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def count(self) -> int:
        row = self.db.one("SELECT count(*) FROM events")
        return int(row[0]) if row else 0


class SqliteStories:
    def __init__(self, db: Database):
        self.db = db

    def save(self, story: EventStory) -> None:
        with self.db.transaction() as c:
            c.execute(
                "UPDATE events SET title = ?, start = ?, end = ?, story = ?, dirty = 0, updated_at = ? WHERE id = ?",
                (story.title, story.start, story.end, _STORY.dump_json(story).decode(), now(), story.event_id),
            )

    def events(self, ids: list[str] | None = None, since: str | None = None) -> list[StoredEvent]:
        """Stored events with their stories, oldest first. An event whose story is not computed
        yet (a run still going, or stopped) is listed with no story, never left out."""
        columns = "SELECT id, title, start, end, story FROM events"
        order = " ORDER BY coalesce(start, ''), id"
        if ids is not None:
            rows = []
            for part in chunks(ids):
                rows += self.db.all(f"{columns} WHERE id IN ({','.join('?' * len(part))})", tuple(part))
            rows.sort(key=lambda r: (r["start"] or "", r["id"]))
        elif since:
            rows = self.db.all(f"{columns} WHERE end >= ?{order}", (since,))
        else:
            rows = self.db.all(columns + order)
        members: dict[str, list[str]] = {r["id"]: [] for r in rows}
        for part in chunks(list(members)):
            for m in self.db.all(
                f"SELECT event_id, id FROM articles WHERE event_id IN ({','.join('?' * len(part))}) "
                "ORDER BY coalesce(published, ''), id", tuple(part)):
                members[m[0]].append(m[1])
        return [StoredEvent(r["id"], r["title"], r["start"], r["end"], tuple(members[r["id"]]),
                            _STORY.validate_json(r["story"]) if r["story"] else None) for r in rows]


def _profile(row) -> EventProfile:
    return EventProfile(
        id=row["id"], centroid=unpack_centroid(row["centroid"]), size=row["size"],
        entities=json.loads(row["entity_counts"]), start=row["start"], end=row["end"],
    )
