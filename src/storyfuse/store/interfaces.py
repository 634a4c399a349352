"""The store's interfaces: small repositories returning typed records.

SQL lives only behind these (``store/sqlite`` implements them); a second store
(PostgreSQL) implements the same. The store keeps records of the data spine
(``storyfuse.models``) and imports no stage: the stages declare what they need of the
corpus as protocols of their own (``dedupe.ReuseLookup``, ``cluster.ClusterStore``,
``embed.VectorCache``), which these repositories satisfy.

Writes happen inside ``Store.transaction()``: one article, with everything found in it, is
stored all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from ..models import (
    Analysis,
    Article,
    ArticleState,
    Entity,
    EventFilter,
    EventRow,
    EventStory,
    PendingArticle,
    Reuse,
    SearchHit,
    SpeakerQuote,
    StoredEntity,
    StoredEvent,
)


class ArticleRepository(Protocol):
    def content_hash(self, article_id: str) -> str | None:
        """The hash of the exact text first stored under this id, or None."""

    def raw_hash(self, article_id: str) -> str | None:
        """The hash of the input an article was read from, or None."""

    def get(self, ids: list[str]) -> list[Article]:
        """The articles with these ids, in the order given (unknown ids are left out)."""

    def all(self, since: str | None = None) -> list[Article]:
        """Every article in the order stored; with ``since``, those published on or after it."""

    def states(self, ids: list[str] | None = None) -> dict[str, ArticleState]: ...

    def analyses(self, ids: list[str]) -> dict[str, Analysis]:
        """Sentences, mentions, quotes and dates of many articles, in a few queries."""

    def count(self) -> int: ...

    def add(self, article: Article, analysis: Analysis, text_hash: str, content_hash: str,
            duplicate_of: str | None, run_id: int | None, raw_hash: str | None = None) -> None: ...

    def remove(self, article_id: str) -> None:
        """The article goes with everything found in it; its event must be rebuilt."""

    def duplicates_of(self, article_id: str) -> list[str]: ...

    def mark_duplicates(self, ids: list[str], original: str) -> None:
        """These articles now copy ``original``; they leave their events to be placed again."""

    def rewrite(self, article: Article, analysis: Analysis, line_keys: list[str]) -> None:
        """An article whose text lost lines found later to be junk, analysis remapped."""

    def index_lines(self, article_id: str, line_keys: list[str]) -> None: ...

    def lines_unchecked(self) -> list[str]:
        """Articles whose short lines the recurring-lines stage has not looked up yet."""

    def recurring_lines(self, ids: list[str], min_events: int = 2) -> list[str]: ...

    def holding_lines(self, keys: list[str]) -> dict[str, set[str]]: ...

    def mark_lines_checked(self, ids: list[str]) -> None: ...

    def search(self, query: str, limit: int = 50) -> list[tuple[str, str | None]]:
        """Full-text search over titles and texts: (article id, title), best first."""


class ReuseRepository(Protocol):
    """Duplicate signatures and the reuse found between articles (dedupe.ReuseLookup)."""

    def article_with_hash(self, text_hash: str, exclude: str) -> str | None: ...

    def articles_with_bands(self, bands: list[int], exclude: str, limit: int) -> list[str]: ...

    def reuse_basis(self, article_id: str) -> tuple[str, str | None, str | None] | None: ...

    def add(self, article_id: str, bands: tuple[int, ...], reuses: tuple[Reuse, ...]) -> None: ...

    def among(self, ids: list[str]) -> list[Reuse]: ...

    def of(self, ids: list[str]) -> dict[str, list[Reuse]]:
        """Both directions, seen from each article: what it reuses and what reuses it."""


class EntityRepository(Protocol):
    def all(self) -> list[StoredEntity]: ...

    def get(self) -> list[Entity]:
        """Every entity, by name."""

    def names(self, ids: list[str]) -> dict[str, str]:
        """The names of these entities."""

    def save(self, entities: list[StoredEntity]) -> None: ...

    def articles(self) -> dict[str, list[str]]:
        """The articles that mention each entity."""

    def of_articles(self, ids: list[str]) -> dict[str, list[str]]:
        """The distinct entities each article mentions."""


class EventRepository(Protocol):
    """Event membership and the ids of merged events."""

    def pending(self) -> list[PendingArticle]:
        """Articles stored but not yet placed in an event (a run can stop between the two)."""

    def exists(self, event_id: str) -> bool: ...

    def resolve(self, event_id: str) -> str | None:
        """The event an id names: itself, or the event that absorbed it in a merge."""

    def aliases(self, event_id: str) -> list[str]: ...

    def place_without_clustering(self, article_id: str, event_id: str | None) -> None: ...

    def event_of(self, article_id: str) -> str | None: ...

    def members(self, event_id: str) -> list[str]: ...

    def dirty(self) -> list[str]:
        """Events whose story must be recomputed."""

    def drop(self, event_id: str) -> None: ...

    def count(self) -> int: ...

    def ids(self) -> list[str]: ...


class ClusteringRepository(Protocol):
    """What event clustering keeps (``cluster.ClusterStore``): profiles as the clustering
    module writes them, word counts, a key index, and events waiting for consolidation."""

    def term_counts(self, terms: list[str]) -> dict[str, int]: ...

    def doc_count(self) -> int: ...

    def postings(self, keys: list[str]) -> dict[str, int]: ...

    def candidates(self, weights: dict[str, int], limit: int) -> list[str]: ...

    def docs(self, event_id: str, limit: int | None = None) -> list[tuple[str, bytes | None]]: ...

    def samples(self, event_ids: list[str], limit: int) -> dict[str, list[tuple[str, bytes | None]]]: ...

    def size(self, event_id: str) -> int: ...

    def first_seq(self, event_id: str) -> int: ...

    def taken(self, event_id: str) -> bool: ...

    def live(self, event_id: str) -> bool: ...

    def pending_consolidation(self) -> list[str]: ...

    def add(self, article_id: str, event_id: str, profile: str, lead: bytes | None, terms: list[str],
            keys: list[str]) -> None: ...

    def add_many(self, docs: list[tuple[str, str, str, bytes | None, list[str], list[str]]]) -> None: ...

    def move(self, article_id: str, event_id: str, keys: list[str]) -> None: ...

    def merge(self, keep: str, gone: str) -> None: ...

    def consolidated(self, event_ids: list[str]) -> None: ...


class StoryRepository(Protocol):
    def save(self, story: EventStory, state: str | None = None) -> None:
        """The story of an event, and the working state its next update starts from
        (``story.StoryState``, owned by the story module: the store holds it as text)."""

    def state(self, event_id: str) -> str | None: ...

    def events(self, ids: list[str] | None = None, since: str | None = None) -> list[StoredEvent]:
        """Stored events with their members and stories, oldest first."""


class VectorRepository(Protocol):
    """Sentence vectors by text hash (embed.VectorCache)."""

    def get(self, keys: list[str]) -> dict[str, bytes]: ...

    def save(self, rows: list[tuple[str, bytes]]) -> None: ...


class RoleRepository(Protocol):
    """What the parse says each figure of a sentence counts, by key (figure_roles.RoleCache)."""

    def get(self, keys: list[str]) -> dict[str, str]: ...

    def save(self, rows: list[tuple[str, str]]) -> None: ...


class RunRepository(Protocol):
    def start(self, inputs: list[str]) -> int: ...

    def finish(self, run_id: int, read: int, added: int, already: int, rejected: int) -> None: ...


class RejectionRepository(Protocol):
    def add(self, input: str, reason: str, run_id: int | None) -> None: ...

    def forget(self, input: str) -> None:
        """An input stored after all (already stored, or fixed) is no longer rejected."""

    def list(self, run_id: int | None = None) -> list[tuple[str, str]]: ...


class BrowseRepository(Protocol):
    """What the web UI reads, each in one query."""

    def events(self, f: EventFilter) -> tuple[list[EventRow], int]:
        """One page of the events ``f`` selects, and how many it selects in all."""

    def outlets(self) -> list[tuple[str, int]]: ...

    def search(self, text: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles, facts and quotes matching ``text``, best first, with highlighted snippets."""

    def entities(self, ids: list[str]) -> list[Entity]:
        """The entities with these ids, in the order given."""

    def entity_events(self, entity_id: str) -> list[EventRow]: ...

    def find_entity(self, name: str) -> Entity | None:
        """The entity a reader means by a name (its name, an alias, or the start of its name)."""

    def speaker_quotes(self, entity_id: str, limit: int = 200) -> list[SpeakerQuote]: ...

    def status_counts(self, ids: list[str]) -> dict[str, dict[str, int]]:
        """How many facts of each status the stories of these events hold."""

    def thread_basis(self) -> list[tuple[str, str | None, list[str], list[str]]]:
        """(id, start, actors, subjects) of every event with a story, oldest first."""

    def event_version(self, event_id: str) -> str | None:
        """Changes whenever the event or its story does (None: no such event)."""

    def fingerprint(self) -> str:
        """Changes whenever an event or its story does."""


class Store(Protocol):
    @property
    def articles(self) -> ArticleRepository: ...

    @property
    def reuse(self) -> ReuseRepository: ...

    @property
    def entities(self) -> EntityRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def clustering(self) -> ClusteringRepository: ...

    @property
    def stories(self) -> StoryRepository: ...

    @property
    def vectors(self) -> VectorRepository: ...

    @property
    def roles(self) -> RoleRepository: ...

    @property
    def runs(self) -> RunRepository: ...

    @property
    def rejections(self) -> RejectionRepository: ...

    @property
    def browse(self) -> BrowseRepository: ...

    def transaction(self) -> AbstractContextManager[None]:
        """All or nothing; nested transactions join the outer one."""

    def snapshot(self) -> AbstractContextManager[None]:
        """One consistent view for a reader while a writer goes on."""

    def acquire_writer(self, wait_s: float | None = None, on_wait: Callable[[str], None] | None = None) -> None: ...

    def release_writer(self) -> None: ...

    def integrity_errors(self) -> list[str]:
        """What a consistency check of the database finds (empty when sound)."""

    def close(self) -> None: ...


__all__ = [
    "ArticleRepository", "ReuseRepository", "EntityRepository", "EventRepository", "StoryRepository",
    "VectorRepository", "RoleRepository", "RunRepository", "RejectionRepository",
    "BrowseRepository", "Store",
]
