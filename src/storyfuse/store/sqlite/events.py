"""Events in SQLite: membership, aliases of merged events, and stories, kept as typed
``EventStory`` records (the clustering state is in ``clustering``)."""

from __future__ import annotations

from pydantic import TypeAdapter

from ...models import EventStory, PendingArticle, StoredEvent
from ..sql import SqlDatabase
from .db import chunks, dumps, now

_STORY = TypeAdapter(EventStory)


class SqliteEvents:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def pending(self) -> list[PendingArticle]:
        return [PendingArticle(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in self.db.all(
            "SELECT id, title, text, published, analysed, duplicate_of FROM articles WHERE clustered = 0 "
            "ORDER BY coalesce(substr(published, 1, 10), ''), id"
        )]

    def exists(self, event_id: str) -> bool:
        return self.db.one("SELECT 1 FROM events WHERE id = ?", (event_id,)) is not None

    def resolve(self, event_id: str) -> str | None:
        """The event an id names: itself, or the event that absorbed it in a merge."""
        if self.exists(event_id):
            return event_id
        row = self.db.one("SELECT event_id FROM event_aliases WHERE old_id = ?", (event_id,))
        return row[0] if row else None

    def aliases(self, event_id: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT old_id FROM event_aliases WHERE event_id = ? ORDER BY old_id",
                                          (event_id,))]

    def place_without_clustering(self, article_id: str, event_id: str | None) -> None:
        with self.db.transaction() as c:
            c.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (event_id, article_id))
            if event_id:
                c.execute("UPDATE events SET dirty = 1, updated_at = ? WHERE id = ?", (now(), event_id))

    def event_of(self, article_id: str) -> str | None:
        row = self.db.one("SELECT event_id FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def members(self, event_id: str) -> list[str]:
        return [r[0] for r in self.db.all(
            "SELECT id FROM articles WHERE event_id = ? ORDER BY coalesce(published, ''), id", (event_id,))]

    def dirty(self) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM events WHERE dirty = 1 ORDER BY id")]

    def drop(self, event_id: str) -> None:
        with self.db.transaction() as c:
            c.execute("DELETE FROM cluster_keys WHERE event_id = ?", (event_id,))
            c.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def count(self) -> int:
        row = self.db.one("SELECT count(*) FROM events")
        return int(row[0]) if row else 0

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM events ORDER BY id")]


class SqliteStories:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def save(self, story: EventStory, state: str | None = None) -> None:
        counts = story.status_counts()
        with self.db.transaction() as c:
            c.execute(
                "UPDATE events SET title = ?, start = ?, \"end\" = ?, story = ?, story_state = ?, dirty = 0, "
                "updated_at = ?, corroborated = ?, contradicted = ?, single_source = ?, actors = ?, subjects = ?, "
                "story_version = story_version + 1 "
                "WHERE id = ?",
                (story.title, story.start, story.end, _STORY.dump_json(story).decode(), state, now(),
                 counts["corroborated"], counts["contradicted"], counts["single_source"], dumps(list(story.actors)),
                 dumps(list(story.subjects)),
                 story.event_id),
            )
            # What search finds of the story: its facts, and its quotes with their speakers. Only
            # the rows that changed are written: the search index costs more than the reading.
            rows: dict[tuple[str, str], tuple[str, str | None]] = {("fact", f.id): (f.text, None) for f in story.facts}
            rows.update({("quote", q.id): (q.text, q.speaker) for q in story.quotes})
            stale = []
            for r in self.db.all("SELECT pk, kind, ref, text, who FROM story_texts WHERE event_id = ?",
                                 (story.event_id,)):
                if rows.get((r[1], r[2])) == (r[3], r[4]):
                    del rows[(r[1], r[2])]
                else:
                    stale.append((r[0],))
            c.executemany("DELETE FROM story_texts WHERE pk = ?", stale)
            c.executemany("INSERT INTO story_texts(event_id, kind, ref, text, who) VALUES (?, ?, ?, ?, ?)",
                          [(story.event_id, kind, ref, text, who) for (kind, ref), (text, who) in rows.items()])

    def state(self, event_id: str) -> str | None:
        row = self.db.one("SELECT story_state FROM events WHERE id = ?", (event_id,))
        return row[0] if row else None

    def events(self, ids: list[str] | None = None, since: str | None = None) -> list[StoredEvent]:
        """Stored events with their stories, oldest first. An event whose story is not computed
        yet (a run still going, or stopped) is listed with no story, never left out."""
        columns = 'SELECT id, title, start, "end", story FROM events'
        order = " ORDER BY coalesce(start, ''), id"
        if ids is not None:
            rows = []
            for part in chunks(ids):
                rows += self.db.all(f"{columns} WHERE id IN ({','.join('?' * len(part))})", tuple(part))
            rows.sort(key=lambda r: (r["start"] or "", r["id"]))
        elif since:
            rows = self.db.all(f'{columns} WHERE "end" >= ?{order}', (since,))
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


