"""The data spine: typed, immutable records that flow between the pipeline stages.

Offsets (``start``/``end``) are always Unicode code point indices into ``Article.text``,
the cleaned body, so that every statement can be traced to the exact place it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FactStatus = Literal["corroborated", "single_source", "contradicted"]
ReuseKind = Literal["duplicate", "syndicated", "rewrite"]
QuoteKind = Literal["direct", "indirect"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as read from disk, before cleaning.

    ``kind`` tells the cleaner how to read ``content``: ``"html"`` markup or ``"text"``.
    ``meta`` holds what the input itself says (front matter, JSON Lines keys).
    """

    id: str
    input: str  # where it came from, for messages: a path, or path:line for JSON Lines
    kind: Literal["text", "html"]
    content: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be stored, and why."""

    input: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the unit everything else points into."""

    id: str
    input: str
    source: str | None
    url: str | None
    title: str | None
    author: str | None
    published: str | None  # ISO 8601, as given or as found in the page
    dateline: str | None
    language: str | None
    text: str
    removed: tuple[str, ...] = ()

    @property
    def published_date(self) -> str | None:
        """The publication day, ``YYYY-MM-DD``, or None."""
        return self.published[:10] if self.published and len(self.published) >= 10 else None


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention; ``entity`` is the cross-document entity id once resolved."""

    text: str
    start: int
    end: int
    label: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str  # the quoted words (direct) or the reported clause (indirect)
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None = None  # surface form of the speaker in this article
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity: str | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr:
    text: str
    start: int
    end: int
    value: str | None  # TIMEX3-style: YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www, YYYY-Qn


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP stages found in one article."""

    article_id: str
    analysed: bool
    reason: str | None = None  # why not analysed (e.g. a language we have no model for)
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[TimeExpr, ...] = ()


@dataclass(frozen=True, slots=True)
class Reuse:
    """``article`` reuses text of ``other``; ``origin`` is the one that came first."""

    article: str
    other: str
    kind: ReuseKind
    overlap: float
    origin: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FactSentence:
    """One article's wording of a fact."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ConflictSide:
    value: str
    text: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    slot: str
    sides: tuple[ConflictSide, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    text: str
    status: FactStatus
    articles: tuple[str, ...]
    independent_sources: int
    conflicts: tuple[Conflict, ...] = ()
    sentences: tuple[FactSentence, ...] = ()
    date: str | None = None  # the TIMEX3 value the fact is anchored to, for the timeline


@dataclass(frozen=True, slots=True)
class SpeakerClaim:
    speaker: str | None
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventQuote:
    id: str
    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_entity: str | None
    articles: tuple[str, ...]
    speaker_conflict: tuple[SpeakerClaim, ...] = ()


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    articles: tuple[str, ...]
    fact: str
    status: FactStatus


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str
    text: str
    facts: tuple[str, ...]
    articles: tuple[str, ...]
    conflict: bool


@dataclass(frozen=True, slots=True)
class EventStory:
    """Everything corroborate and summarize say about one event."""

    event_id: str
    title: str
    start: str | None
    end: str | None
    facts: tuple[Fact, ...]
    quotes: tuple[EventQuote, ...]
    entities: tuple[str, ...]
    timeline: tuple[TimelineEntry, ...]
    summary: tuple[SummarySentence, ...] = ()
