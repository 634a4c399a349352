"""Articles and their analyses (sentences, mentions, quotes, dates) in SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from ...models import Analysis, Article, ArticleState, Mention, Quote, Sentence, TimeExpr
from ..sql import SqlDatabase
from .db import chunks, dumps, now


def _marks(part: list) -> str:
    return ",".join("?" * len(part))


class SqliteArticles:
    def __init__(self, db: SqlDatabase):
        self.db = db

    # -- reading -----------------------------------------------------------------------
    def content_hash(self, article_id: str) -> str | None:
        row = self.db.one("SELECT content_hash FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def raw_hash(self, article_id: str) -> str | None:
        row = self.db.one("SELECT raw_hash FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def get(self, ids: list[str]) -> list[Article]:
        rows = []
        for part in chunks(ids):
            rows += self.db.all(f"SELECT * FROM articles WHERE id IN ({_marks(part)})", tuple(part))
        order = {a: i for i, a in enumerate(ids)}
        rows.sort(key=lambda r: order[r["id"]])
        return [_article(r) for r in rows]

    def all(self, since: str | None = None) -> list[Article]:
        if since:
            rows = self.db.all("SELECT * FROM articles WHERE published >= ? ORDER BY pk", (since,))
        else:
            rows = self.db.all("SELECT * FROM articles ORDER BY pk")
        return [_article(r) for r in rows]

    def states(self, ids: list[str] | None = None) -> dict[str, ArticleState]:
        columns = "SELECT id, event_id, duplicate_of, analysed, analysis_note, clustered, revision FROM articles"
        if ids is None:
            rows = self.db.all(columns + " ORDER BY pk")
        else:
            rows = []
            for part in chunks(ids):
                rows += self.db.all(f"{columns} WHERE id IN ({_marks(part)})", tuple(part))
        return {r[0]: ArticleState(r[0], r[1], r[2], bool(r[3]), r[4], bool(r[5]), int(r[6])) for r in rows}

    def analyses(self, ids: list[str]) -> dict[str, Analysis]:
        found: dict[str, dict[str, list]] = {a: defaultdict(list) for a in ids}
        notes: dict[str, tuple[bool, str | None]] = {}
        for part in chunks(ids):
            marks, args = _marks(part), tuple(part)
            for r in self.db.all(f"SELECT id, analysed, analysis_note FROM articles WHERE id IN ({marks})", args):
                notes[r[0]] = (bool(r[1]), r[2])
            for r in self.db.all(f"SELECT article_id, start, \"end\" FROM sentences WHERE article_id IN ({marks}) "
                                 "ORDER BY article_id, n", args):
                found[r[0]]["sentences"].append(Sentence(r[1], r[2]))
            for r in self.db.all(f"SELECT article_id, text, start, \"end\", label, entity_id FROM mentions "
                                 f"WHERE article_id IN ({marks}) ORDER BY article_id, start", args):
                found[r[0]]["mentions"].append(Mention(r[1], r[2], r[3], r[4], r[5]))
            for r in self.db.all(f"SELECT article_id, text, start, \"end\", kind, speaker, speaker_start, speaker_end, "
                                 f"speaker_entity, segments FROM quotes WHERE article_id IN ({marks}) "
                                 "ORDER BY article_id, start", args):
                segments = tuple((int(a), int(b)) for a, b in json.loads(r[9])) if r[9] else ()
                found[r[0]]["quotes"].append(Quote(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], segments))
            for r in self.db.all(f"SELECT article_id, text, start, \"end\", value FROM dates WHERE article_id IN ({marks}) "
                                 "ORDER BY article_id, start", args):
                found[r[0]]["dates"].append(TimeExpr(r[1], r[2], r[3], r[4]))
        out = {}
        for a in ids:
            analysed, note = notes.get(a, (False, None))
            f = found[a]
            out[a] = Analysis(a, analysed, note, tuple(f["sentences"]), tuple(f["mentions"]), tuple(f["quotes"]),
                              tuple(f["dates"]))
        return out

    def count(self) -> int:
        row = self.db.one("SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    def duplicates_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM articles WHERE duplicate_of = ? ORDER BY pk", (article_id,))]

    def search(self, query: str, limit: int = 50) -> list[tuple[str, str | None]]:
        rows = self.db.all(
            "SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.pk = f.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [(r[0], r[1]) for r in rows]

    # -- writing -------------------------------------------------------------------------
    def add(self, article: Article, analysis: Analysis, text_hash: str, content_hash: str,
            duplicate_of: str | None, run_id: int | None, raw_hash: str | None = None) -> None:
        with self.db.transaction() as c:
            c.execute(
                "INSERT INTO articles(id, input, source, url, title, author, published, dateline, language, text, "
                "removed, text_hash, content_hash, analysed, analysis_note, duplicate_of, clustered, run_id, added_at, "
                "crawl_date, notes, raw_hash, lines_checked) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0)",
                (article.id, article.input, article.source, article.url, article.title, article.author,
                 article.published, article.dateline, article.language, article.text, dumps(list(article.removed)),
                 text_hash, content_hash, int(analysis.analysed), analysis.reason, duplicate_of, run_id, now(),
                 article.crawl_date, dumps(list(article.notes)), raw_hash),
            )
            self._save_analysis(c, article.id, analysis)

    @staticmethod
    def _save_analysis(c: sqlite3.Connection, article_id: str, analysis: Analysis) -> None:
        c.executemany("INSERT INTO sentences(article_id, n, start, \"end\") VALUES (?, ?, ?, ?)",
                      [(article_id, n, s.start, s.end) for n, s in enumerate(analysis.sentences)])
        c.executemany(
            "INSERT INTO mentions(article_id, start, \"end\", text, label, entity_id) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(article_id, m.start, m.end, m.text, m.label, m.entity) for m in analysis.mentions])
        c.executemany(
            "INSERT INTO quotes(article_id, start, \"end\", kind, text, speaker, speaker_start, speaker_end, "
            "speaker_entity, segments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(article_id, q.start, q.end, q.kind, q.text, q.speaker, q.speaker_start, q.speaker_end,
              q.speaker_entity, json.dumps([list(s) for s in q.segments]) if q.segments else None)
             for q in analysis.quotes])
        c.executemany("INSERT INTO dates(article_id, start, \"end\", text, value) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING",
                      [(article_id, d.start, d.end, d.text, d.value) for d in analysis.dates])

    def rewrite(self, article: Article, analysis: Analysis, line_keys: list[str]) -> None:
        """An article whose text lost lines (found to be junk later), with its analysis
        remapped and its short lines indexed again, and its revision counted (a story that
        holds the old text is built again); its event's story is updated. The hashes of the
        input stay."""
        with self.db.transaction() as c:
            c.execute("UPDATE articles SET text = ?, removed = ?, revision = revision + 1 WHERE id = ?",
                      (article.text, dumps(list(article.removed)), article.id))
            for table in ("sentences", "mentions", "quotes", "dates", "article_lines"):
                c.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
            self._save_analysis(c, article.id, analysis)
            self.index_lines(article.id, line_keys)
            c.execute("UPDATE events SET dirty = 1 WHERE id = (SELECT event_id FROM articles WHERE id = ?)",
                      (article.id,))

    # -- recurring lines -----------------------------------------------------------------
    def index_lines(self, article_id: str, line_keys: list[str]) -> None:
        """Index an article's short lines by the keys the recurring-lines stage gives them."""
        with self.db.transaction() as c:
            c.executemany("INSERT INTO article_lines(line_key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          [(key, article_id) for key in line_keys])

    def lines_unchecked(self) -> list[str]:
        return [r[0] for r in self.db.all("SELECT id FROM articles WHERE lines_checked = 0 ORDER BY pk")]

    def recurring_lines(self, ids: list[str], min_events: int = 2) -> list[str]:
        """Keys of these articles' short lines that articles of ``min_events`` different
        events hold (an unplaced copy counts with its original, an unplaced article alone)."""
        out: list[str] = []
        for part in chunks(ids):
            out += [r[0] for r in self.db.all(
                "SELECT l.line_key FROM article_lines l JOIN articles a ON a.id = l.article_id "
                f"WHERE l.line_key IN (SELECT line_key FROM article_lines WHERE article_id IN ({_marks(part)})) "
                "GROUP BY l.line_key HAVING count(DISTINCT coalesce(a.event_id, a.duplicate_of, a.id)) >= ?",
                (*part, min_events))]
        return sorted(set(out))

    def holding_lines(self, keys: list[str]) -> dict[str, set[str]]:
        """Article id -> which of these line keys it holds."""
        out: dict[str, set[str]] = defaultdict(set)
        for part in chunks(keys):
            for r in self.db.all(f"SELECT article_id, line_key FROM article_lines WHERE line_key IN ({_marks(part)})",
                                 tuple(part)):
                out[r[0]].add(r[1])
        return dict(out)

    def mark_lines_checked(self, ids: list[str]) -> None:
        with self.db.transaction() as c:
            for part in chunks(ids):
                c.execute(f"UPDATE articles SET lines_checked = 1 WHERE id IN ({_marks(part)})", tuple(part))

    def remove(self, article_id: str) -> None:
        with self.db.transaction() as c:
            row = c.execute("SELECT event_id FROM articles WHERE id = ?", (article_id,)).fetchone()
            c.execute("DELETE FROM reuses WHERE other_id = ? OR article_id = ?", (article_id, article_id))
            c.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (article_id,))
            c.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            _member_left(c, [row[0]] if row and row[0] else [])

    def mark_duplicates(self, ids: list[str], original: str) -> None:
        with self.db.transaction() as c:
            for part in chunks(ids):
                marks = _marks(part)
                moved = [r[0] for r in c.execute(
                    f"SELECT DISTINCT event_id FROM articles WHERE id IN ({marks}) AND event_id IS NOT NULL", part)]
                c.execute(f"UPDATE articles SET duplicate_of = ?, event_id = NULL, clustered = 0 WHERE id IN ({marks})",
                          (original, *part))
                _member_left(c, moved)


def _member_left(c, event_ids: list[str]) -> None:
    """Events that lost a member: their profile is rebuilt before the next article is placed."""
    for eid in event_ids:
        c.execute("UPDATE events SET dirty = 1, stale_profile = 1, story_state = NULL WHERE id = ?", (eid,))


def _article(row) -> Article:
    return Article(
        id=row["id"], input=row["input"], source=row["source"], url=row["url"], title=row["title"],
        author=row["author"], published=row["published"], dateline=row["dateline"], language=row["language"],
        text=row["text"], removed=tuple(json.loads(row["removed"])), crawl_date=row["crawl_date"],
        notes=tuple(json.loads(row["notes"])),
    )
