"""The data spine: typed, immutable records that flow between the pipeline stages.

Offsets (``start``/``end``) are always Unicode code point indices into ``Article.text``,
the cleaned body, so that every statement can be traced to the exact place it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    crawl_date: str | None = None  # when an archive (a WARC record) captured it: a date of last resort
    notes: tuple[str, ...] = ()  # what a reader should know of how the text was obtained

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
class NlpResult:
    """What the spaCy stage finds in one text."""

    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]  # named entities (people, places, organisations, ...)
    time_spans: tuple[Mention, ...]  # DATE and TIME entities, candidates for the dates stage


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
    # The quoted words when an attribution interrupts the quotation ("A," she said. "B"):
    # start..end span all of it; empty means one segment, start..end.
    segments: tuple[tuple[int, int], ...] = ()

    def parts(self) -> tuple[tuple[int, int], ...]:
        return self.segments or ((self.start, self.end),)


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
class Signature:
    """What duplicate detection needs of one article, computed in the per-article map."""

    text_hash: str  # of the words only: finds exact duplicates
    content_hash: str  # of the exact text: says whether a stored id changed
    bands: tuple[int, ...]  # MinHash band hashes: find near duplicates through the store's index
    raw_hash: str | None = None  # of the input as read: the same input read again is already stored


@dataclass(frozen=True, slots=True)
class AnalysedArticle:
    """The per-article map's output: everything one article tells without the corpus.

    Mentions carry no entity ids yet and quotes no speaker entity: those are corpus decisions.
    """

    article: Article
    analysis: Analysis
    signature: Signature


@dataclass(frozen=True, slots=True)
class Reuse:
    """``article`` reuses text of ``other``; ``origin`` is the one that came first."""

    article: str
    other: str
    kind: ReuseKind
    overlap: float
    origin: str


@dataclass(frozen=True, slots=True)
class DedupeResult:
    """What duplicate detection decided for one article against the stored corpus."""

    text_hash: str
    bands: tuple[int, ...]
    duplicate_of: str | None
    reuses: tuple[Reuse, ...]
    demoted: str | None = None  # a stored article with this same text, published later: now its duplicate


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredEntity:
    """An entity as the store keeps it: with how often each NER label was given to it."""

    entity: Entity
    label_counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """What clustering reads of a stored article."""

    id: str
    title: str | None
    text: str
    published: str | None
    analysed: bool = True
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleState:
    """What the store knows of an article beyond its text: its place in the corpus."""

    id: str
    event_id: str | None
    duplicate_of: str | None
    analysed: bool
    analysis_note: str | None
    clustered: bool
    revision: int = 0  # how often its stored text was rewritten (junk lines found later)


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
    updates: tuple[Conflict, ...] = ()  # a figure that changed as the story developed, sides in date order
    # figures of the claim that one independent source alone gives anywhere in the event ("14
    # stops" where the others give only the line's length), each with its sentence and articles
    only_one_source: tuple[ConflictSide, ...] = ()


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


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """How many facts have each status: the one place that counts them."""
    counts = {"corroborated": 0, "contradicted": 0, "single_source": 0}
    for status in statuses:
        counts[status] += 1
    return counts


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
    actors: tuple[str, ...] = ()  # entities most of its articles name: what links it into a thread
    subjects: tuple[str, ...] = ()  # those of the actors its title names

    def status_counts(self) -> dict[str, int]:
        return count_statuses(f.status for f in self.facts)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as listed by the store: its members and its story (None while not computed)."""

    id: str
    title: str | None
    start: str | None
    end: str | None
    articles: tuple[str, ...]
    story: EventStory | None

    def status_counts(self) -> dict[str, int]:
        return self.story.status_counts() if self.story else count_statuses(())


# What the web UI browses: read models over the store, one query each.

EventOrder = Literal["newest", "size"]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a listing shows, in which order, and which page of them."""

    order: EventOrder = "newest"
    since: str | None = None  # ISO date: events that end on or after it
    until: str | None = None  # ISO date: events that start on or before it
    outlet: str | None = None  # an article's source
    entity: str | None = None  # an entity id some member names
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class EventRow:
    """One line of an events listing."""

    id: str
    title: str | None
    start: str | None
    end: str | None
    articles: int
    outlets: int


SearchKind = Literal["article", "fact", "quote"]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``snippet`` holds the matched words between ``MATCH_START`` and
    ``MATCH_END`` (control characters: they cannot occur in stored text)."""

    kind: SearchKind
    ref: str  # the article id, or the fact or quote id within its event
    event_id: str | None
    title: str | None
    snippet: str


MATCH_START, MATCH_END = "\x02", "\x03"


@dataclass(frozen=True, slots=True)
class SpeakerQuote:
    """A quote as stored with its article: for an entity's page."""

    article_id: str
    event_id: str | None
    text: str
    kind: QuoteKind
