"""What each page shows, as typed records built from the store: the HTML page renders one and
its JSON twin under ``/api`` returns the same one, so the two never disagree."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel

from ..cluster.threads import Thread, ThreadEvent, threads
from ..dates import article_date
from ..models import (
    MATCH_END,
    MATCH_START,
    ConflictSide,
    EventFilter,
    EventQuote,
    EventRow,
    Fact,
    SearchHit,
    SummarySentence,
    TimelineEntry,
)
from ..report import label_name, slot_name
from ..store.interfaces import Store
from .render import Segment, highlight, snippet_parts, timeline_points

NO_OUTLET = "(no outlet)"
ENTITIES_SHOWN = 100  # of an event's entities, the most mentioned (a large event names hundreds)


class Paging(BaseModel):
    offset: int
    limit: int
    total: int | None  # None where counting would cost a second search
    next_offset: int | None
    prev_offset: int | None


class ThreadRef(BaseModel):
    id: str
    title: str
    events: list[str]  # its events, oldest first


class EventLink(BaseModel):
    id: str
    title: str | None
    start: str | None


class EventItem(BaseModel):
    id: str
    title: str | None
    start: str | None
    end: str | None
    articles: int
    outlets: int
    facts: dict[str, int]  # corroborated, contradicted, single_source
    thread: ThreadRef | None


class OutletCount(BaseModel):
    outlet: str
    articles: int


class EntityRef(BaseModel):
    id: str
    name: str
    label: str
    kind: str  # the label in words: person, place, organisation...
    aliases: list[str]


class EventList(BaseModel):
    who: str | None = None  # the name asked for, when no entity answers to it
    events: list[EventItem]
    paging: Paging
    order: Literal["newest", "size"]
    since: str | None
    until: str | None
    outlet: str | None
    entity: EntityRef | None
    outlets: list[OutletCount]


class ArticleRef(BaseModel):
    id: str
    number: int  # its citation number within the event: [1], [2], ...
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    duplicate_of: str | None


class FactRow(BaseModel):
    fact: Fact
    outlets: list[str]  # the outlets reporting it, in the order of the event's outlets


class ConflictView(BaseModel):
    fact: str
    fact_text: str
    slot: str
    about: str  # the slot in words
    sides: list[ConflictSide]


class Copy(BaseModel):
    article: str
    of: str
    kind: str  # duplicate, syndicated, rewrite


class FactLink(BaseModel):
    id: str
    text: str


class Coverage(BaseModel):
    outlet: str
    articles: list[str]
    facts: int  # how many of the event's facts it reports
    only_here: list[FactLink]  # facts no other outlet reports
    copies: list[Copy]  # its articles that copy another, each with the article it copies most article


class TimelinePoint(BaseModel):
    x: float  # 0..1 along the chart
    entry: TimelineEntry


class EventDetail(BaseModel):
    id: str
    title: str | None
    start: str | None
    end: str | None
    aliases: list[str]  # ids of events merged into it
    thread: ThreadRef | None
    thread_events: list[EventLink]  # the other events of its thread
    computed: bool  # False while its story waits for a run to finish
    articles: list[ArticleRef]
    summary: list[SummarySentence]
    outlets: list[str]
    facts: list[FactRow]
    conflicts: list[ConflictView]
    quotes: list[EventQuote]
    entities: list[EntityRef]  # the most mentioned first, at most ``ENTITIES_SHOWN``
    entities_total: int
    timeline: list[TimelinePoint]
    coverage: list[Coverage]


class ReuseView(BaseModel):
    article: str
    kind: str
    overlap: float
    origin: str


class ArticleDetail(BaseModel):
    id: str
    title: str | None
    source: str | None
    author: str | None
    published: str | None
    date: str | None
    date_source: str | None
    url: str | None
    language: str | None
    input: str
    event: str | None
    event_title: str | None
    text: str
    segments: list[Segment]  # the text cut where entities, quotes and dates begin and end
    removed: list[str]  # page junk taken out of the text
    notes: list[str]
    analysed: bool
    analysis_note: str | None
    duplicate_of: str | None
    duplicates: list[str]
    reuses: list[ReuseView]
    entities: list[EntityRef]


class EntityQuoteView(BaseModel):
    article: str
    event: str | None
    text: str
    kind: str


class EntityDetail(BaseModel):
    entity: EntityRef
    events: list[EventItem]
    quotes: list[EntityQuoteView]


class SnippetPart(BaseModel):
    text: str
    match: bool


class SearchResult(BaseModel):
    kind: Literal["article", "fact", "quote"]
    ref: str
    event: str | None
    title: str | None
    snippet: list[SnippetPart]


class SearchResults(BaseModel):
    query: str
    results: list[SearchResult]
    paging: Paging


class ThreadCache:
    """Threads among all stored events, recomputed in the background when the store changes
    (finding them reads every story), at most every ``REFRESH_S`` seconds so that a run
    writing stories does not keep the server busy: a page shows the threads as last computed."""

    REFRESH_S = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: str | None = None
        self._of: dict[str, ThreadRef] = {}
        self._busy = False
        self._computed = 0.0

    def of(self, store: Store, opener) -> dict[str, ThreadRef]:
        key = store.browse.fingerprint()
        with self._lock:
            if key == self._key or (self._key is not None and time.monotonic() - self._computed < self.REFRESH_S):
                return self._of
            first, start = self._key is None, not self._busy
            self._busy = self._busy or start
        if first:
            self._compute(store, key)
        elif start:
            threading.Thread(target=self._refresh, args=(opener, key), daemon=True).start()
        return self._of

    def _refresh(self, opener, key: str) -> None:
        try:
            with opener() as store:
                self._compute(store, key)
        except Exception:  # noqa: BLE001 - the store cannot be read now: the next page tries again
            with self._lock:
                self._busy = False

    def _compute(self, store: Store, key: str) -> None:
        try:
            with store.snapshot():
                basis = store.browse.thread_basis()
                entities = store.browse.entities(sorted({a for _, _, actors, _ in basis for a in actors}))
            found: list[Thread] = threads([ThreadEvent(i, start, tuple(actors), tuple(subjects))
                                           for i, start, actors, subjects in basis],
                                          {e.id: e.label for e in entities}, {e.id: e.name for e in entities})
            of = {ev: ThreadRef(id=t.id, title=t.title, events=list(t.events)) for t in found for ev in t.events}
            with self._lock:
                self._key, self._of, self._computed = key, of, time.monotonic()
        finally:
            with self._lock:
                self._busy = False


def _paging(offset: int, limit: int, total: int | None, more: bool | None = None) -> Paging:
    has_next = (offset + limit < total) if total is not None else bool(more)
    return Paging(offset=offset, limit=limit, total=total, next_offset=offset + limit if has_next else None,
                  prev_offset=max(0, offset - limit) if offset > 0 else None)


def _entity_ref(entity) -> EntityRef:
    return EntityRef.model_construct(id=entity.id, name=entity.name, label=entity.label, kind=label_name(entity.label),
                     aliases=[a for a in entity.aliases if a != entity.name])


def _items(store: Store, rows: list[EventRow], threads: dict[str, ThreadRef]) -> list[EventItem]:
    counts = store.browse.status_counts([r.id for r in rows])
    return [EventItem(id=r.id, title=r.title, start=r.start, end=r.end, articles=r.articles, outlets=r.outlets,
                      facts=counts[r.id], thread=threads.get(r.id)) for r in rows]


def event_list(store: Store, f: EventFilter, threads: dict[str, ThreadRef], who: str | None = None) -> EventList:
    """The events ``f`` selects; ``who`` names an entity (by name or alias) to filter on."""
    if who and who.strip() and not f.entity:
        found = store.browse.find_entity(who)
        if found is None:
            return EventList(who=who, events=[], paging=_paging(f.offset, f.limit, 0), order=f.order, since=f.since,
                             until=f.until, outlet=f.outlet, entity=None,
                             outlets=[OutletCount(outlet=o, articles=n) for o, n in store.browse.outlets()])
        f = replace(f, entity=found.id)
    with store.snapshot():
        rows, total = store.browse.events(f)
        items = _items(store, rows, threads)
        entity = store.browse.entities([f.entity]) if f.entity else []
        outlets = store.browse.outlets()
    return EventList(events=items, paging=_paging(f.offset, f.limit, total), order=f.order, since=f.since,
                     until=f.until, outlet=f.outlet, entity=_entity_ref(entity[0]) if entity else None,
                     outlets=[OutletCount(outlet=o, articles=n) for o, n in outlets])


def search(store: Store, query: str, offset: int, limit: int) -> SearchResults:
    hits: list[SearchHit] = store.browse.search(query, limit + 1, offset)
    results = [SearchResult(kind=h.kind, ref=h.ref, event=h.event_id, title=h.title,
                            snippet=[SnippetPart(text=t, match=m) for t, m in snippet_parts(h.snippet, MATCH_START,
                                                                                            MATCH_END)])
               for h in hits[:limit]]
    return SearchResults(query=query, results=results, paging=_paging(offset, limit, None, len(hits) > limit))


def event_detail(store: Store, event_id: str, threads: dict[str, ThreadRef]) -> EventDetail | None:
    """The event ``event_id`` names (itself, or the event it was merged into), or None."""
    with store.snapshot():
        resolved = store.events.resolve(event_id)
        if resolved is None:
            return None
        stored = store.stories.events([resolved])[0]
        articles = store.articles.get(list(stored.articles))
        states = store.articles.states(list(stored.articles))
        reuses = store.reuse.of(list(stored.articles))
        story = stored.story
        entities = store.browse.entities(list(story.entities[:ENTITIES_SHOWN])) if story else []
        aliases = store.events.aliases(resolved)
        thread = threads.get(resolved)
        siblings = store.stories.events([e for e in thread.events if e != resolved]) if thread else []
    by_id = {a.id: a for a in articles}
    refs = [ArticleRef.model_construct(id=a, number=n, title=by_id[a].title, source=by_id[a].source, published=by_id[a].published,
                       url=by_id[a].url, duplicate_of=states[a].duplicate_of)
            for n, a in enumerate(stored.articles, start=1) if a in by_id]
    outlet_of = {r.id: r.source or NO_OUTLET for r in refs}
    outlets = list(dict.fromkeys(sorted(outlet_of.values(), key=lambda o: (o == NO_OUTLET, o))))
    facts = list(story.facts) if story else []
    rows = []
    for f in facts:
        reporting = {outlet_of.get(a) for a in f.articles}
        # built without validation: the story was validated when read, and a large event has
        # hundreds of facts
        rows.append(FactRow.model_construct(fact=f, outlets=[o for o in outlets if o in reporting]))
    conflicts = [ConflictView.model_construct(fact=f.id, fact_text=f.text, slot=c.slot, about=slot_name(c.slot), sides=list(c.sides))
                 for f in facts for c in f.conflicts]
    return EventDetail.model_construct(
        id=stored.id, title=stored.title, start=stored.start, end=stored.end, aliases=aliases,
        thread=thread, thread_events=[EventLink.model_construct(id=e.id, title=e.title, start=e.start) for e in siblings],
        computed=story is not None, articles=refs,
        summary=list(story.summary) if story else [], outlets=outlets, facts=rows, conflicts=conflicts,
        quotes=list(story.quotes) if story else [], entities=[_entity_ref(e) for e in entities],
        entities_total=len(story.entities) if story else 0,
        timeline=[TimelinePoint.model_construct(x=x, entry=t) for x, t in timeline_points(list(story.timeline) if story else [])],
        coverage=_coverage(outlets, outlet_of, rows, reuses, states))


def _coverage(outlets, outlet_of, rows: list[FactRow], reuses, states) -> list[Coverage]:
    """Which outlet covered which facts, what each adds that no other does, which of its
    articles copy another."""
    members: dict[str, list[str]] = defaultdict(list)
    for article, outlet in outlet_of.items():
        members[outlet].append(article)
    reporting = Counter(o for r in rows for o in r.outlets)
    out = []
    for outlet in outlets:
        copies = []
        for a in members[outlet]:  # each copy with its one original: the one it shares most with
            if states[a].duplicate_of:
                copies.append(Copy.model_construct(article=a, of=states[a].duplicate_of, kind="duplicate"))
                continue
            taken = [r for r in reuses.get(a, []) if r.origin == r.other and r.kind != "duplicate"]
            if taken:
                best = max(taken, key=lambda r: (r.overlap, r.other))
                copies.append(Copy.model_construct(article=a, of=best.other, kind=best.kind))
        out.append(Coverage(outlet=outlet, articles=members[outlet],
                            facts=reporting[outlet],
                            only_here=[FactLink(id=r.fact.id, text=r.fact.text) for r in rows if r.outlets == [outlet] and len(outlets) > 1],
                            copies=copies))
    return out


def article_detail(store: Store, article_id: str) -> ArticleDetail | None:
    with store.snapshot():
        found = store.articles.get([article_id])
        if not found:
            return None
        article = found[0]
        analysis = store.articles.analyses([article_id])[article_id]
        state = store.articles.states([article_id])[article_id]
        reuses = store.reuse.of([article_id])[article_id]
        duplicates = store.articles.duplicates_of(article_id)
        ids = list(dict.fromkeys(m.entity for m in analysis.mentions if m.entity))
        ids += [q.speaker_entity for q in analysis.quotes if q.speaker_entity and q.speaker_entity not in ids]
        entities = store.browse.entities(ids)
        event = store.stories.events([state.event_id])[0] if state.event_id else None
    names = {e.id: e.name for e in entities}
    date, date_source = article_date(article.published, analysis.dates, article.crawl_date)
    return ArticleDetail(
        id=article.id, title=article.title, source=article.source, author=article.author,
        published=article.published, date=date, date_source=date_source, url=article.url,
        language=article.language, input=article.input, event=state.event_id,
        event_title=event.title if event else None, text=article.text,
        segments=highlight(article.text, analysis, names), removed=list(article.removed), notes=list(article.notes),
        analysed=analysis.analysed, analysis_note=analysis.reason, duplicate_of=state.duplicate_of,
        duplicates=duplicates, reuses=[ReuseView(article=r.other, kind=r.kind, overlap=r.overlap, origin=r.origin)
                                       for r in reuses],
        entities=[_entity_ref(e) for e in entities])


def entity_detail(store: Store, entity_id: str, threads: dict[str, ThreadRef]) -> EntityDetail | None:
    with store.snapshot():
        found = store.browse.entities([entity_id])
        if not found:
            return None
        rows = store.browse.entity_events(entity_id)
        events = _items(store, rows, threads)
        quotes = store.browse.speaker_quotes(entity_id)
    return EntityDetail(entity=_entity_ref(found[0]), events=events,
                        quotes=[EntityQuoteView(article=q.article_id, event=q.event_id, text=q.text, kind=q.kind)
                                for q in quotes])
