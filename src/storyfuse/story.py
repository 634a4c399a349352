"""Stories: the corpus stage that tells one event — its facts, quotes, timeline, summary,
title and span — from its member articles (corroborate and summarize do the work).

A story is kept up to date incrementally. Beside each story the store keeps its
``StoryState``: what the story needs of every member (outlet, dates, headline, place names,
quotes, entity counts), its claims and how they are grouped into facts. An article added to
the event is read, split into claims, embedded and compared with the stored claims; only the
facts it joins are recomputed, so the cost of adding an article does not grow with the
event's size. When a member leaves, a member becomes a copy, or the event gains a second
independent source (claims are split and embedded only from then on), the story is built
again from all its members.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from pydantic import TypeAdapter

from .claims import ClaimSplitter
from .config import Config
from .conflicts import SameClaim
from .corroborate import (
    FactContext,
    Member,
    PairJudge,
    QuoteGroup,
    Unit,
    UnitFigure,
    add_quotes,
    build_timeline,
    event_quotes,
    event_span,
    fact_units,
    finish_facts,
    group_facts,
    independent_groups,
    unit_figures,
)
from .dates import article_date
from .entities import PLACE_LABELS
from .figure_roles import FigureRoles
from .models import EventStory, Fact, Reuse, TimeExpr
from .slots import place_name
from .summarize import Headline, event_title, summarize

ACTORS = 8  # main actors of an event kept for threads
VectorSource = Callable[[list[str]], np.ndarray]  # sentence texts -> L2-normalised rows
MemberLoader = Callable[[list[str]], list[Member]]  # article ids -> their members, in that order
NameSource = Callable[[list[str]], dict[str, str]]  # entity ids -> their names


@dataclass(slots=True)
class MemberInfo:
    """What a story keeps of one member article."""

    source: str | None
    published: str  # "" when unknown
    day: str | None  # publication day, else estimated from the text (``dates.article_date``)
    title: str | None
    opening: str  # the start of its text: a title of last resort
    duplicate_of: str | None
    analysed: bool
    places: tuple[str, ...]  # the place names it names (``corroborate.places_together``)
    dates: tuple[TimeExpr, ...]  # the dates it mentions that have a value
    revision: int = 0  # of its stored text (``ArticleState.revision``)
    entities: dict[str, int] = field(default_factory=dict)  # entity -> its mentions in the article


@dataclass(slots=True)
class StoryState:
    """A story's working state (see the module docstring); ``groups[k]`` are the indices in
    ``units`` of the claims of ``facts[k]`` (facts before ``corroborate.finish_facts``)."""

    members: dict[str, MemberInfo] = field(default_factory=dict)
    several: bool = False  # two independent sources: claims split and embedded
    units: list[Unit] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)
    facts: list[Fact | None] = field(default_factory=list)  # None: its group lost a member since
    figures: list[list[UnitFigure]] = field(default_factory=list)  # of each unit (``corroborate.unit_figures``)
    quotes: list[QuoteGroup] = field(default_factory=list)
    surfaces: dict[str, list[str]] = field(default_factory=dict)  # entity -> lower-cased names in originals

    def dump(self) -> str:
        return _STATE.dump_json(self).decode()

    @staticmethod
    def load(text: str | None) -> StoryState | None:
        if not text:
            return None
        try:
            state = _STATE.validate_json(text)
        except ValueError:  # a state of an older shape: the story is built again
            return None
        return state if len(state.figures) == len(state.units) else None


_STATE = TypeAdapter(StoryState)


def build_story(event_id: str, members: list[Member], reuses: list[Reuse], vectors: VectorSource,
                config: Config, names: dict[str, str], judge: PairJudge | None = None,
                roles: FigureRoles | None = None) -> EventStory:
    """The story of an event from all its members at once."""
    by_id = {m.article.id: m for m in members}
    story, _ = update_story(event_id, None, [m.article.id for m in members],
                            {m.article.id: m.duplicate_of for m in members}, lambda ids: [by_id[i] for i in ids],
                            reuses, vectors, config, lambda ids: names, judge, roles)
    return story


def update_story(event_id: str, state: StoryState | None, member_ids: list[str], duplicates: dict[str, str | None],
                 load: MemberLoader, reuses: list[Reuse], vectors: VectorSource, config: Config,
                 names: NameSource, judge: PairJudge | None = None, roles: FigureRoles | None = None,
                 revisions: dict[str, int] | None = None) -> tuple[EventStory, StoryState]:
    """The story of an event whose members are now ``member_ids`` (``duplicates``: what each
    is a copy of; ``revisions``: of each one's text), from its previous ``state``: only the
    members the state does not hold are loaded. Returns the story and the state to keep for
    the next update."""
    revisions = revisions or {}
    state = state or StoryState()
    # A member that left is taken out; one that became a copy or lost lines is read again.
    _remove_members(state, {a for a, info in state.members.items() if a not in duplicates
                            or duplicates[a] != info.duplicate_of or revisions.get(a, 0) != info.revision})
    added = _add_members(state, load([a for a in member_ids if a not in state.members]), revisions)
    sources = {a: info.source for a, info in state.members.items()}
    analysed = [a for a, info in state.members.items() if info.analysed]
    several = len(independent_groups(analysed, sources, reuses)) > 1
    if several and not state.several and state.units:
        # Claims are split and embedded from the second independent source on: read all again.
        state = StoryState()
        added = _add_members(state, load(member_ids), revisions)
    state.several = several
    splitter = ClaimSplitter(roles.parse) if several and roles is not None else None
    new_units = fact_units(added, config.corroborate.min_sentence_words, splitter)
    units = state.units + new_units
    context = _context(state, reuses, SameClaim(judge, roles))
    if units:
        aligned = vectors([u.text for u in units]) if several else None
        grouped = group_facts(event_id, units, aligned, config.corroborate, context, judge,
                              list(zip(state.groups, state.facts)))
        state.units, state.groups = units, [g for g, _ in grouped]
        state.facts = [f for _, f in grouped]
        state.figures += [unit_figures(u) for u in new_units]
        facts = finish_facts(grouped, units, context, state.figures)
    else:
        facts = ()
    state.quotes = add_quotes(state.quotes, [(m.article.id, q) for m in added for q in m.analysis.quotes],
                              config.corroborate.quote_match)
    return _story(event_id, state, facts, names, config), state


def _add_members(state: StoryState, members: list[Member], revisions: dict[str, int]) -> list[Member]:
    """Keeps what the story needs of ``members``; returns them."""
    for m in members:
        a, analysis = m.article, m.analysis
        places = tuple(sorted({place_name(p.text) for p in analysis.mentions if p.label in PLACE_LABELS}))
        state.members[a.id] = MemberInfo(
            a.source, a.published or "", article_date(a.published, analysis.dates, a.crawl_date)[0], a.title,
            a.text[:81], m.duplicate_of, analysis.analysed, places, tuple(d for d in analysis.dates if d.value),
            revisions.get(a.id, 0), dict(Counter(x.entity for x in analysis.mentions if x.entity)))
        if m.duplicate_of or not analysis.analysed:
            continue
        for mention in analysis.mentions:
            if mention.entity:
                known = state.surfaces.setdefault(mention.entity, [])
                if mention.text.lower() not in known:
                    known.append(mention.text.lower())
    return members


def _remove_members(state: StoryState, gone: set[str]) -> None:
    """Takes ``gone`` out of the state: their claims leave their facts (a fact that lost a
    claim is computed again), their quotes their groups. A name form they alone used stays
    among the event's ``surfaces``, which only helps find the event's subjects in its title."""
    if not gone:
        return
    kept = [k for k, u in enumerate(state.units) if u.article not in gone]
    index = {old: new for new, old in enumerate(kept)}
    groups, facts = [], []
    for group, fact in zip(state.groups, state.facts):
        left = [index[k] for k in group if k in index]
        if left:
            groups.append(left)
            facts.append(fact if len(left) == len(group) else None)
    state.units = [state.units[k] for k in kept]
    state.figures = [state.figures[k] for k in kept]
    state.groups, state.facts = groups, facts
    quotes = []
    for g in state.quotes:
        reports = [(a, q) for a, q in g if a not in gone]
        if reports and g[0][0] in gone:  # its lead left: the longest wording left leads
            reports.sort(key=lambda x: -len(x[1].text))
        if reports:
            quotes.append(reports)
    state.quotes = quotes
    for a in gone:
        state.members.pop(a, None)


def _context(state: StoryState, reuses: list[Reuse], same_claim: SameClaim) -> FactContext:
    together = {frozenset(pair) for info in state.members.values() for pair in combinations(info.places, 2)}
    return FactContext({a: i.source for a, i in state.members.items()}, {a: i.dates for a, i in state.members.items()},
                       {a: i.published for a, i in state.members.items()}, reuses, frozenset(together), same_claim)


def _story(event_id: str, state: StoryState, facts: tuple[Fact, ...], names: NameSource,
           config: Config) -> EventStory:
    infos = state.members
    originals = [i for i in infos.values() if not i.duplicate_of and i.analysed]
    naming = Counter(e for i in originals for e in i.entities)
    actors = tuple(e for e, n in naming.most_common(ACTORS) if n >= max(1, len(originals) / 2))
    headlines = [Headline(a, i.title, i.published) for a, i in infos.items() if i.title and not i.duplicate_of]
    title = event_title(headlines, next(iter(infos.values())).opening)
    subjects = tuple(a for a in actors if any(s in title.lower() for s in state.surfaces.get(a, ())))
    start, end = event_span([i.day for i in infos.values()], facts)
    return EventStory(
        event_id=event_id, title=title, start=start, end=end, facts=facts,
        quotes=event_quotes(event_id, state.quotes, names(sorted(_speakers(state)))),
        entities=tuple(e for e, _ in sum((Counter(i.entities) for i in infos.values()), Counter()).most_common()),
        timeline=build_timeline(facts, {a: i.published for a, i in infos.items()}),
        summary=summarize(facts, config.summarize), actors=actors, subjects=subjects,
    )


def _speakers(state: StoryState) -> set[str]:
    """The entities a story's quotes name as speakers (whose names it shows)."""
    return {q.speaker_entity for g in state.quotes for _, q in g if q.speaker_entity}


__all__ = ["build_story", "update_story", "StoryState", "MemberInfo", "Member", "Unit", "VectorSource", "QuoteGroup"]
