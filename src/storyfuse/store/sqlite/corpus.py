"""Corpus-wide records in SQLite: entities, reuse between articles, sentence vectors, runs
and rejections."""

from __future__ import annotations

import json
from collections import defaultdict

from ...models import Entity, Reuse, StoredEntity
from ..sql import SqlDatabase
from .db import chunks, dumps, now


def _marks(part: list) -> str:
    return ",".join("?" * len(part))


class SqliteReuse:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def article_with_hash(self, text_hash: str, exclude: str) -> str | None:
        row = self.db.one("SELECT id FROM articles WHERE text_hash = ? AND id != ? ORDER BY pk LIMIT 1",
                          (text_hash, exclude))
        return row[0] if row else None

    def articles_with_bands(self, bands: list[int], exclude: str, limit: int) -> list[str]:
        if not bands:
            return []
        rows = self.db.all(
            f"SELECT article_id, count(*) AS shared FROM reuse_bands WHERE band IN ({_marks(bands)}) "
            f"AND article_id != ? GROUP BY article_id ORDER BY shared DESC LIMIT ?",
            (*bands, exclude, limit),
        )
        return [r[0] for r in rows]

    def reuse_basis(self, article_id: str) -> tuple[str, str | None, str | None] | None:
        row = self.db.one("SELECT text, source, published FROM articles WHERE id = ?", (article_id,))
        return (row[0], row[1], row[2]) if row else None

    def add(self, article_id: str, bands: tuple[int, ...], reuses: tuple[Reuse, ...]) -> None:
        with self.db.transaction() as c:
            c.executemany("INSERT INTO reuse_bands(band, article_id) VALUES (?, ?)", [(b, article_id) for b in bands])
            c.executemany(
                "INSERT INTO reuses(article_id, other_id, kind, overlap, origin) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(article_id, other_id) DO UPDATE SET kind = excluded.kind, overlap = excluded.overlap, "
                "origin = excluded.origin",
                [(r.article, r.other, r.kind, r.overlap, r.origin) for r in reuses])

    def among(self, ids: list[str]) -> list[Reuse]:
        out = []
        wanted = set(ids)
        for part in chunks(ids):
            for r in self.db.all(
                f"SELECT article_id, other_id, kind, overlap, origin FROM reuses WHERE article_id IN ({_marks(part)})",
                tuple(part),
            ):
                if r[1] in wanted:
                    out.append(Reuse(r[0], r[1], r[2], r[3], r[4]))
        return out

    def of(self, ids: list[str]) -> dict[str, list[Reuse]]:
        own: dict[str, list[Reuse]] = {a: [] for a in ids}
        others: dict[str, list[Reuse]] = {a: [] for a in ids}
        for part in chunks(ids):
            marks = _marks(part)
            for r in self.db.all(
                f"SELECT article_id, other_id, kind, overlap, origin FROM reuses "
                f"WHERE article_id IN ({marks}) OR other_id IN ({marks})",
                (*part, *part),
            ):
                if r[0] in own:
                    own[r[0]].append(Reuse(r[0], r[1], r[2], r[3], r[4]))
                if r[1] in others and r[1] != r[0]:
                    others[r[1]].append(Reuse(r[1], r[0], r[2], r[3], r[4]))
        # What an article reuses first, then what reuses it; each by the other article's id.
        return {a: sorted(own[a], key=lambda r: r.other) + sorted(others[a], key=lambda r: r.other) for a in ids}


class SqliteRoles:
    """Figure roles by key (figure_roles.RoleCache)."""

    def __init__(self, db: SqlDatabase):
        self.db = db

    def get(self, keys: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in chunks(list(dict.fromkeys(keys))):
            out.update((r[0], r[1]) for r in self.db.all(
                f"SELECT key, role FROM figure_roles WHERE key IN ({_marks(part)})", tuple(part)))
        return out

    def save(self, rows: list[tuple[str, str]]) -> None:
        with self.db.transaction() as c:
            c.executemany("INSERT INTO figure_roles(key, role) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", rows)


class SqliteEntities:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def all(self) -> list[StoredEntity]:
        return [StoredEntity(Entity(r[0], r[1], r[2], tuple(json.loads(r[3]))), json.loads(r[4]))
                for r in self.db.all("SELECT id, name, label, aliases, label_counts FROM entities")]

    def get(self) -> list[Entity]:
        return [Entity(r[0], r[1], r[2], tuple(json.loads(r[3])))
                for r in self.db.all("SELECT id, name, label, aliases FROM entities ORDER BY name")]

    def names(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in chunks(ids):
            out.update((r[0], r[1]) for r in self.db.all(
                f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(part))})", tuple(part)))
        return out

    def save(self, entities: list[StoredEntity]) -> None:
        with self.db.transaction() as c:
            c.executemany(
                "INSERT INTO entities(id, name, label, aliases, label_counts) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, label = excluded.label, "
                "aliases = excluded.aliases, label_counts = excluded.label_counts",
                [(s.entity.id, s.entity.name, s.entity.label, dumps(list(s.entity.aliases)),
                  dumps(dict(s.label_counts))) for s in entities],
            )

    def articles(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in self.db.all("SELECT DISTINCT entity_id, article_id FROM mentions WHERE entity_id IS NOT NULL "
                             "ORDER BY article_id"):
            out.setdefault(r[0], []).append(r[1])
        return out

    def of_articles(self, ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for part in chunks(ids):
            for r in self.db.all(f"SELECT DISTINCT article_id, entity_id FROM mentions WHERE article_id IN "
                                 f"({_marks(part)}) AND entity_id IS NOT NULL", tuple(part)):
                out[r[0]].append(r[1])
        return {a: out.get(a, []) for a in ids}


class SqliteVectors:
    """Sentence embeddings keyed by the sentence's text hash: computed once, reused every time
    an event is recomputed."""

    def __init__(self, db: SqlDatabase):
        self.db = db

    def get(self, keys: list[str]) -> dict[str, bytes]:
        out = {}
        for part in chunks(list(dict.fromkeys(keys))):
            out.update({r[0]: r[1] for r in self.db.all(
                f"SELECT text_hash, vector FROM sentence_vectors WHERE text_hash IN ({_marks(part)})", tuple(part))})
        return out

    def save(self, rows: list[tuple[str, bytes]]) -> None:
        with self.db.transaction() as c:
            c.executemany("INSERT INTO sentence_vectors(text_hash, vector) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)


class SqliteRuns:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def start(self, inputs: list[str]) -> int:
        with self.db.transaction() as c:
            row = c.execute("INSERT INTO runs(started, inputs) VALUES (?, ?) RETURNING id", (now(), dumps(inputs))).fetchone()
            return int(row[0])

    def finish(self, run_id: int, read: int, added: int, already: int, rejected: int) -> None:
        with self.db.transaction() as c:
            c.execute(
                "UPDATE runs SET finished = ?, read = ?, added = ?, already_stored = ?, rejected = ? WHERE id = ?",
                (now(), read, added, already, rejected, run_id),
            )


class SqliteRejections:
    def __init__(self, db: SqlDatabase):
        self.db = db

    def add(self, input: str, reason: str, run_id: int | None) -> None:
        with self.db.transaction() as c:
            c.execute(
                "INSERT INTO rejected(input, reason, run_id) VALUES (?, ?, ?) "
                "ON CONFLICT(input, reason) DO UPDATE SET run_id = excluded.run_id",
                (input, reason, run_id),
            )

    def forget(self, input: str) -> None:
        with self.db.transaction() as c:
            c.execute("DELETE FROM rejected WHERE input = ?", (input,))

    def list(self, run_id: int | None = None) -> list[tuple[str, str]]:
        if run_id is None:
            rows = self.db.all("SELECT input, reason FROM rejected ORDER BY input")
        else:
            rows = self.db.all("SELECT input, reason FROM rejected WHERE run_id = ? ORDER BY input", (run_id,))
        return [(r[0], r[1]) for r in rows]
