"""What event clustering keeps in SQLite: each placed article's profile (text the clustering
module writes and reads; the store does not look inside), word counts, an index from keys
(rare words, entities) to events, event aliases and the events waiting for consolidation
(``events.stale_profile``)."""

from __future__ import annotations

from ..sql import SqlDatabase
from .db import chunks, now

# A placed article's row, replaced when it is placed again (portable upsert, not SQLite's
# INSERT OR REPLACE).
_DOC = ("ON CONFLICT(article_id) DO UPDATE SET event_id = excluded.event_id, seq = excluded.seq, "
        "profile = excluded.profile, lead = excluded.lead")

class SqliteClustering:
    def __init__(self, db: SqlDatabase):
        self.db = db

    # -- reading -------------------------------------------------------------------------
    def term_counts(self, terms: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in chunks(terms, 900):
            out.update({r[0]: r[1] for r in self.db.all(
                f"SELECT term, df FROM cluster_terms WHERE term IN ({','.join('?' * len(part))})", tuple(part))})
        return out

    def doc_count(self) -> int:
        return int(self.db.get_meta("cluster_docs", "0") or 0)

    def postings(self, keys: list[str]) -> dict[str, int]:
        """How many events hold each of these keys (keys no event holds are left out)."""
        out: dict[str, int] = {}
        for part in chunks(sorted(set(keys)), 900):
            out.update({r[0]: r[1] for r in self.db.all(
                f"SELECT key, count(*) FROM cluster_keys WHERE key IN ({','.join('?' * len(part))}) GROUP BY key",
                tuple(part))})
        return out

    def candidates(self, weights: dict[str, int], limit: int) -> list[str]:
        """Events holding the greatest total weight of these keys, most first (ties by id)."""
        keys = sorted(weights)
        parts = list(chunks(keys, 400))
        totals: dict[str, int] = {}
        for part in parts:
            values = ",".join("(?, ?)" for _ in part)
            top = " ORDER BY 2 DESC, 1 LIMIT ?" if len(parts) == 1 else ""  # in SQLite: fetch only the best
            for r in self.db.all(f"WITH k(key, w) AS (VALUES {values}) SELECT c.event_id, sum(k.w) FROM k "
                                 f"JOIN cluster_keys c ON c.key = k.key GROUP BY c.event_id{top}",
                                 tuple(x for key in part for x in (key, weights[key])) + ((limit,) if top else ())):
                totals[r[0]] = totals.get(r[0], 0) + int(r[1])
        return sorted(totals, key=lambda e: (-totals[e], e))[:limit]

    def docs(self, event_id: str, limit: int | None = None) -> list[tuple[str, bytes | None]]:
        """Profiles of the event's members in order of arrival; with ``limit``, the founding
        member and the latest others (``samples``)."""
        if limit is not None:
            return self.samples([event_id], limit)[event_id]
        return [(r[0], r[1]) for r in self.db.all(
            "SELECT profile, lead FROM cluster_docs WHERE event_id = ? ORDER BY seq", (event_id,))]

    def samples(self, event_ids: list[str], limit: int) -> dict[str, list[tuple[str, bytes | None]]]:
        """``docs(event, limit)`` for many events in one query."""
        out: dict[str, list[tuple[str, bytes | None]]] = {e: [] for e in event_ids}
        for part in chunks(sorted(set(event_ids)), 400):
            marks = ",".join("?" * len(part))
            for r in self.db.all(
                    "WITH picked AS (SELECT event_id, seq FROM (SELECT event_id, seq, "
                    "row_number() OVER (PARTITION BY event_id ORDER BY seq) AS first, "
                    "row_number() OVER (PARTITION BY event_id ORDER BY seq DESC) AS last "
                    f"FROM cluster_docs WHERE event_id IN ({marks})) AS ranked WHERE first = 1 OR last < ?) "
                    "SELECT d.event_id, d.profile, d.lead FROM picked p JOIN cluster_docs d "
                    "ON d.event_id = p.event_id AND d.seq = p.seq ORDER BY d.event_id, d.seq",
                    (*part, max(1, limit))):
                out[r[0]].append((r[1], r[2]))
        return out

    def size(self, event_id: str) -> int:
        row = self.db.one("SELECT count(*) FROM cluster_docs WHERE event_id = ?", (event_id,))
        return int(row[0]) if row else 0

    def first_seq(self, event_id: str) -> int:
        row = self.db.one("SELECT min(seq) FROM cluster_docs WHERE event_id = ?", (event_id,))
        return int(row[0]) if row and row[0] is not None else 0

    def taken(self, event_id: str) -> bool:
        """An id in use, now or as an alias."""
        return (self.db.one("SELECT 1 FROM events WHERE id = ?", (event_id,)) is not None
                or self.db.one("SELECT 1 FROM event_aliases WHERE old_id = ?", (event_id,)) is not None)

    def live(self, event_id: str) -> bool:
        return self.db.one("SELECT 1 FROM cluster_docs WHERE event_id = ? LIMIT 1", (event_id,)) is not None

    def pending_consolidation(self) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM events WHERE stale_profile = 1 ORDER BY id")]

    # -- writing -------------------------------------------------------------------------
    def add(self, article_id: str, event_id: str, profile: str, lead: bytes | None, terms: list[str],
            keys: list[str]) -> None:
        """A placed article: its profile, word counts, keys, and its event (created with the
        article as founder when new), marked for a new story and for consolidation."""
        with self.db.transaction() as c:
            seq = int(self.db.get_meta("cluster_seq", "0") or 0) + 1
            self.db.set_meta("cluster_seq", str(seq))
            self.db.set_meta("cluster_docs", str(self.doc_count() + 1))
            c.executemany("INSERT INTO cluster_terms(term, df) VALUES (?, 1) "
                          "ON CONFLICT(term) DO UPDATE SET df = cluster_terms.df + 1", [(t,) for t in terms])
            self._upsert_event(c, event_id, article_id)
            c.execute(f"INSERT INTO cluster_docs(article_id, event_id, seq, profile, lead) VALUES (?, ?, ?, ?, ?) {_DOC}",
                      (article_id, event_id, seq, profile, lead))
            c.executemany("INSERT INTO cluster_keys(key, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          [(k, event_id) for k in keys])
            c.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (event_id, article_id))
            self._size(c, event_id)

    def add_many(self, docs: list[tuple[str, str, str, bytes | None, list[str], list[str]]]) -> None:
        """Many placed articles at once (article id, event id, profile, lead, terms, keys), in
        one transaction: a bulk import, e.g. to fill a store for a benchmark."""
        with self.db.transaction() as c:
            seq = int(self.db.get_meta("cluster_seq", "0") or 0)
            self.db.set_meta("cluster_seq", str(seq + len(docs)))
            self.db.set_meta("cluster_docs", str(self.doc_count() + len(docs)))
            terms: dict[str, int] = {}
            for d in docs:
                for t in d[4]:
                    terms[t] = terms.get(t, 0) + 1
            c.executemany("INSERT INTO cluster_terms(term, df) VALUES (?, ?) "
                          "ON CONFLICT(term) DO UPDATE SET df = cluster_terms.df + excluded.df", sorted(terms.items()))
            for d in docs:
                self._upsert_event(c, d[1], d[0])
            c.executemany(f"INSERT INTO cluster_docs(article_id, event_id, seq, profile, lead) VALUES (?, ?, ?, ?, ?) "
                          f"{_DOC}", [(d[0], d[1], seq + i + 1, d[2], d[3]) for i, d in enumerate(docs)])
            c.executemany("INSERT INTO cluster_keys(key, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          [(k, d[1]) for d in docs for k in d[5]])
            c.executemany("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", [(d[1], d[0]) for d in docs])
            for event in sorted({d[1] for d in docs}):
                self._size(c, event)

    def move(self, article_id: str, event_id: str, keys: list[str]) -> None:
        """A member placed again by consolidation: both events need a new story."""
        with self.db.transaction() as c:
            row = c.execute("SELECT event_id FROM cluster_docs WHERE article_id = ?", (article_id,)).fetchone()
            self._upsert_event(c, event_id, article_id)
            c.execute("UPDATE cluster_docs SET event_id = ? WHERE article_id = ?", (event_id, article_id))
            c.executemany("INSERT INTO cluster_keys(key, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          [(k, event_id) for k in keys])
            c.execute("UPDATE articles SET event_id = ? WHERE id = ? OR duplicate_of = ?",
                      (event_id, article_id, article_id))
            self._size(c, event_id)
            if row:
                c.execute("UPDATE events SET dirty = 1 WHERE id = ?", (row[0],))
                self._size(c, row[0])

    def merge(self, keep: str, gone: str) -> None:
        """``gone`` joins ``keep``; its id stays resolvable as an alias of ``keep``."""
        with self.db.transaction() as c:
            c.execute("UPDATE cluster_docs SET event_id = ? WHERE event_id = ?", (keep, gone))
            c.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (keep, gone))
            c.execute("INSERT INTO cluster_keys(key, event_id) "
                      "SELECT key, ? FROM cluster_keys WHERE event_id = ? ON CONFLICT DO NOTHING", (keep, gone))
            c.execute("DELETE FROM cluster_keys WHERE event_id = ?", (gone,))
            c.execute("UPDATE event_aliases SET event_id = ? WHERE event_id = ?", (keep, gone))
            c.execute("INSERT INTO event_aliases(old_id, event_id) VALUES (?, ?) "
                      "ON CONFLICT(old_id) DO UPDATE SET event_id = excluded.event_id", (gone, keep))
            c.execute("DELETE FROM events WHERE id = ?", (gone,))
            c.execute("UPDATE events SET dirty = 1, stale_profile = 1, updated_at = ? WHERE id = ?", (now(), keep))
            self._size(c, keep)

    def consolidated(self, event_ids: list[str]) -> None:
        with self.db.transaction() as c:
            for part in chunks(event_ids):
                marks = ",".join("?" * len(part))
                c.execute(f"UPDATE events SET stale_profile = 0 WHERE id IN ({marks})", tuple(part))
                # An event whose members all moved away is gone.
                c.execute(f"DELETE FROM events WHERE id IN ({marks}) AND NOT EXISTS "
                          "(SELECT 1 FROM articles a WHERE a.event_id = events.id)", tuple(part))

    @staticmethod
    def _upsert_event(c, event_id: str, founder: str) -> None:
        c.execute("INSERT INTO events(id, founder, dirty, stale_profile, updated_at) VALUES (?, ?, 1, 1, ?) "
                  "ON CONFLICT(id) DO UPDATE SET dirty = 1, stale_profile = 1, updated_at = excluded.updated_at",
                  (event_id, founder, now()))

    @staticmethod
    def _size(c, event_id: str) -> None:
        c.execute("UPDATE events SET size = (SELECT count(*) FROM cluster_docs WHERE event_id = ?) WHERE id = ?",
                  (event_id, event_id))
