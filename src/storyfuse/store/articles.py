"""Articles, their analyses, entities, text reuse and rejections in the store."""

from __future__ import annotations

import json
from collections import Counter

from ..dedupe import DedupeResult, content_hash
from ..entities import EntityIndex
from ..models import Analysis, Article, Entity, Mention, Quote, Reuse, Sentence, TimeExpr
from .db import Database, chunks, dumps, now


class ArticleStore(Database):
    # -- reading -----------------------------------------------------------------------
    def stored_hash(self, article_id: str) -> str | None:
        """The content hash (of the exact cleaned text) stored under this id, or None."""
        row = self.one("SELECT content_hash FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def article(self, article_id: str) -> Article | None:
        row = self.one("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _article(row) if row else None

    def articles(self, ids: list[str] | None = None, since: str | None = None) -> list[Article]:
        if ids is not None:
            rows = []
            for part in chunks(ids):
                marks = ",".join("?" * len(part))
                rows += self.all(f"SELECT * FROM articles WHERE id IN ({marks})", tuple(part))
            order = {a: i for i, a in enumerate(ids)}
            rows.sort(key=lambda r: order[r["id"]])
        elif since:
            rows = self.all("SELECT * FROM articles WHERE published >= ? ORDER BY pk", (since,))
        else:
            rows = self.all("SELECT * FROM articles ORDER BY pk")
        return [_article(r) for r in rows]

    def article_rows(self, ids: list[str]) -> dict[str, dict]:
        """Store-only columns (duplicate_of, event_id, analysed) by article id."""
        out = {}
        for part in chunks(ids):
            marks = ",".join("?" * len(part))
            for r in self.all(
                f"SELECT id, duplicate_of, event_id, analysed, analysis_note FROM articles WHERE id IN ({marks})",
                tuple(part),
            ):
                out[r["id"]] = dict(r)
        return out

    def analysis(self, article_id: str) -> Analysis:
        row = self.one("SELECT analysed, analysis_note FROM articles WHERE id = ?", (article_id,))
        sentences = tuple(Sentence(r[0], r[1]) for r in self.all(
            "SELECT start, end FROM sentences WHERE article_id = ? ORDER BY n", (article_id,)))
        mentions = tuple(Mention(r[0], r[1], r[2], r[3], r[4]) for r in self.all(
            "SELECT text, start, end, label, entity_id FROM mentions WHERE article_id = ? ORDER BY start", (article_id,)))
        quotes = tuple(Quote(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in self.all(
            "SELECT text, start, end, kind, speaker, speaker_start, speaker_end, speaker_entity FROM quotes "
            "WHERE article_id = ? ORDER BY start", (article_id,)))
        dates = tuple(TimeExpr(r[0], r[1], r[2], r[3]) for r in self.all(
            "SELECT text, start, end, value FROM dates WHERE article_id = ? ORDER BY start", (article_id,)))
        return Analysis(article_id, bool(row[0]) if row else False, row[1] if row else None,
                        sentences, mentions, quotes, dates)

    def reuses_among(self, ids: list[str]) -> list[Reuse]:
        out = []
        wanted = set(ids)
        for part in chunks(ids):
            marks = ",".join("?" * len(part))
            for r in self.all(
                f"SELECT article_id, other_id, kind, overlap, origin FROM reuses WHERE article_id IN ({marks})",
                tuple(part),
            ):
                if r[1] in wanted:
                    out.append(Reuse(r[0], r[1], r[2], r[3], r[4]))
        return out

    def reuses_of(self, article_id: str) -> list[Reuse]:
        """Both directions: what this article reuses and what reuses it."""
        rows = self.all(
            "SELECT article_id, other_id, kind, overlap, origin FROM reuses WHERE article_id = ? OR other_id = ?",
            (article_id, article_id),
        )
        return [
            Reuse(article_id, r[1] if r[0] == article_id else r[0], r[2], r[3], r[4]) for r in rows
        ]

    def count_articles(self) -> int:
        return self.one("SELECT count(*) FROM articles")[0]

    # -- ReuseLookup (dedupe's view of the corpus) -------------------------------------
    def article_with_hash(self, text_hash: str, exclude: str) -> str | None:
        row = self.one("SELECT id FROM articles WHERE text_hash = ? AND id != ? ORDER BY pk LIMIT 1", (text_hash, exclude))
        return row[0] if row else None

    def articles_with_bands(self, bands: list[int], exclude: str, limit: int) -> list[str]:
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        rows = self.all(
            f"SELECT article_id, count(*) AS shared FROM reuse_bands WHERE band IN ({marks}) AND article_id != ? "
            f"GROUP BY article_id ORDER BY shared DESC LIMIT ?",
            (*bands, exclude, limit),
        )
        return [r[0] for r in rows]

    def reuse_basis(self, article_id: str) -> tuple[str, str | None, str | None] | None:
        row = self.one("SELECT text, source, published FROM articles WHERE id = ?", (article_id,))
        return (row[0], row[1], row[2]) if row else None

    # -- entities ------------------------------------------------------------------------
    def entity_index(self) -> EntityIndex:
        index = EntityIndex()
        for r in self.all("SELECT id, name, label, aliases, label_counts FROM entities"):
            index.add(Entity(r[0], r[1], r[2], tuple(json.loads(r[3]))), labels=Counter(json.loads(r[4])))
        index.changed.clear()
        return index

    def entities(self, ids: list[str] | None = None) -> list[Entity]:
        rows = self.all("SELECT id, name, label, aliases FROM entities ORDER BY name")
        wanted = set(ids) if ids is not None else None
        return [Entity(r[0], r[1], r[2], tuple(json.loads(r[3]))) for r in rows if wanted is None or r[0] in wanted]

    def entity_articles(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in self.all("SELECT DISTINCT entity_id, article_id FROM mentions WHERE entity_id IS NOT NULL ORDER BY article_id"):
            out.setdefault(r[0], []).append(r[1])
        return out

    def _save_entities(self, index: EntityIndex) -> None:
        for eid in sorted(index.changed):
            e = index.entities[eid]
            self.conn.execute(
                "INSERT INTO entities(id, name, label, aliases, label_counts) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, label = excluded.label, "
                "aliases = excluded.aliases, label_counts = excluded.label_counts",
                (e.id, e.name, e.label, dumps(list(e.aliases)), dumps(dict(index.labels.get(eid, {})))),
            )

    # -- sentence embeddings (computed once, reused every time an event is recomputed) ---------
    def sentence_vectors(self, hashes: list[str]) -> dict[str, bytes]:
        out = {}
        unique = list(dict.fromkeys(hashes))
        for part in chunks(unique):
            marks = ",".join("?" * len(part))
            out.update({r[0]: r[1] for r in self.all(
                f"SELECT text_hash, vector FROM sentence_vectors WHERE text_hash IN ({marks})", tuple(part))})
        return out

    def save_sentence_vectors(self, rows: list[tuple[str, bytes]]) -> None:
        with self.transaction() as c:
            c.executemany("INSERT OR IGNORE INTO sentence_vectors(text_hash, vector) VALUES (?, ?)", rows)

    # -- writing -------------------------------------------------------------------------
    def add_article(
        self, article: Article, analysis: Analysis, dedupe: DedupeResult, index: EntityIndex, run_id: int | None,
        *, replace: bool = False,
    ) -> None:
        """Store an article with everything found in it, in one transaction; with ``replace``
        the stored article of the same id goes in that same transaction."""
        with self.transaction() as c:
            if replace:
                self._remove_rows(c, article.id)
            self._save_entities(index)
            c.execute(
                "INSERT INTO articles(id, input, source, url, title, author, published, dateline, language, text, "
                "removed, text_hash, content_hash, analysed, analysis_note, duplicate_of, clustered, run_id, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (article.id, article.input, article.source, article.url, article.title, article.author,
                 article.published, article.dateline, article.language, article.text, dumps(list(article.removed)),
                 dedupe.text_hash, content_hash(article.text), int(analysis.analysed), analysis.reason,
                 dedupe.duplicate_of, run_id, now()),
            )
            c.executemany("INSERT INTO sentences(article_id, n, start, end) VALUES (?, ?, ?, ?)",
                          [(article.id, n, s.start, s.end) for n, s in enumerate(analysis.sentences)])
            c.executemany(
                "INSERT OR IGNORE INTO mentions(article_id, start, end, text, label, entity_id) VALUES (?, ?, ?, ?, ?, ?)",
                [(article.id, m.start, m.end, m.text, m.label, m.entity) for m in analysis.mentions])
            c.executemany(
                "INSERT OR IGNORE INTO quotes(article_id, start, end, kind, text, speaker, speaker_start, speaker_end, "
                "speaker_entity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(article.id, q.start, q.end, q.kind, q.text, q.speaker, q.speaker_start, q.speaker_end,
                  q.speaker_entity) for q in analysis.quotes])
            c.executemany("INSERT OR IGNORE INTO dates(article_id, start, end, text, value) VALUES (?, ?, ?, ?, ?)",
                          [(article.id, d.start, d.end, d.text, d.value) for d in analysis.dates])
            c.executemany("INSERT INTO reuse_bands(band, article_id) VALUES (?, ?)",
                          [(b, article.id) for b in dedupe.bands])
            c.executemany(
                "INSERT OR REPLACE INTO reuses(article_id, other_id, kind, overlap, origin) VALUES (?, ?, ?, ?, ?)",
                [(r.article, r.other, r.kind, r.overlap, r.origin) for r in dedupe.reuses])
            if dedupe.demoted:
                # The stored copy (and its own duplicates) now follow the new, earlier original:
                # out of their event, to be placed again with it.
                moved = [r[0] for r in c.execute(
                    "SELECT DISTINCT event_id FROM articles WHERE (id = ? OR duplicate_of = ?) AND event_id IS NOT NULL",
                    (dedupe.demoted, dedupe.demoted))]
                c.execute("UPDATE articles SET duplicate_of = ?, event_id = NULL, clustered = 0 "
                          "WHERE id = ? OR duplicate_of = ?", (article.id, dedupe.demoted, dedupe.demoted))
                self._member_left(c, moved)
            c.execute("DELETE FROM rejected WHERE input = ?", (article.input,))
        index.changed.clear()  # only once committed: a rolled-back article leaves them to save next time

    def remove_article(self, article_id: str) -> None:
        """The article goes with everything found in it; its event is rebuilt and recomputed."""
        with self.transaction() as c:
            self._remove_rows(c, article_id)

    def _remove_rows(self, c, article_id: str) -> None:
        row = c.execute("SELECT event_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        c.execute("DELETE FROM reuses WHERE other_id = ? OR article_id = ?", (article_id, article_id))
        c.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (article_id,))
        c.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self._member_left(c, [row[0]] if row and row[0] else [])

    @staticmethod
    def _member_left(c, event_ids: list[str]) -> None:
        """Events that lost a member: their profile is rebuilt before the next article is placed."""
        for eid in event_ids:
            c.execute("UPDATE events SET dirty = 1, stale_profile = 1 WHERE id = ?", (eid,))

    def forget_rejection(self, input: str) -> None:
        """An input that is stored after all (already stored, or fixed) is no longer rejected."""
        with self.transaction() as c:
            c.execute("DELETE FROM rejected WHERE input = ?", (input,))

    def reject(self, input: str, reason: str, run_id: int | None) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO rejected(input, reason, run_id) VALUES (?, ?, ?) "
                "ON CONFLICT(input, reason) DO UPDATE SET run_id = excluded.run_id",
                (input, reason, run_id),
            )

    def rejections(self, run_id: int | None = None) -> list[tuple[str, str]]:
        if run_id is None:
            rows = self.all("SELECT input, reason FROM rejected ORDER BY input")
        else:
            rows = self.all("SELECT input, reason FROM rejected WHERE run_id = ? ORDER BY input", (run_id,))
        return [(r[0], r[1]) for r in rows]

    def start_run(self, inputs: list[str]) -> int:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs(started, inputs) VALUES (?, ?)", (now(), dumps(inputs)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, read: int, added: int, already: int, rejected: int) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished = ?, read = ?, added = ?, already_stored = ?, rejected = ? WHERE id = ?",
                (now(), read, added, already, rejected, run_id),
            )


def _article(row) -> Article:
    return Article(
        id=row["id"], input=row["input"], source=row["source"], url=row["url"], title=row["title"],
        author=row["author"], published=row["published"], dateline=row["dateline"], language=row["language"],
        text=row["text"], removed=tuple(json.loads(row["removed"])),
    )
