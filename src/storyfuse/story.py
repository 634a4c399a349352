"""Stories: the corpus stage that tells one event — its facts, quotes, timeline, summary,
title and span — from its member articles (corroborate and summarize do the work)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from .claims import ClaimSplitter
from .config import Config
from .corroborate import (
    Member,
    PairJudge,
    Unit,
    build_facts,
    build_timeline,
    event_span,
    fact_units,
    group_quotes,
    independent_groups,
)
from .dates import article_date
from .figure_roles import FigureRoles
from .models import EventStory, Reuse
from .summarize import event_title, summarize

ACTORS = 8  # main actors of an event kept for threads
VectorSource = Callable[[list[str]], np.ndarray]  # sentence texts -> L2-normalised rows


def build_story(event_id: str, members: list[Member], reuses: list[Reuse], vectors: VectorSource,
                config: Config, names: dict[str, str], judge: PairJudge | None = None,
                roles: FigureRoles | None = None) -> EventStory:
    # Alignment across outlets needs embeddings, and claims split from their sentences, only
    # when there are two independent sources; copies of one text align on identical sentences.
    sources = {m.article.id: m.article.source for m in members}
    analysed = [m.article.id for m in members if m.analysis.analysed]
    several = len(independent_groups(analysed, sources, reuses)) > 1
    splitter = ClaimSplitter(roles.parse) if several and roles is not None else None
    units = fact_units(members, config.corroborate.min_sentence_words, splitter)
    aligned = vectors([u.text for u in units]) if several else None
    facts = build_facts(event_id, members, units, aligned, reuses, config.corroborate, judge, roles)
    quotes = group_quotes(event_id, members, names, config.corroborate.quote_match)
    entity_counts = Counter(m.entity for mem in members for m in mem.analysis.mentions if m.entity)
    originals = [mem for mem in members if not mem.duplicate_of and mem.analysis.analysed]
    naming = Counter(e for mem in originals for e in {m.entity for m in mem.analysis.mentions if m.entity})
    actors = tuple(e for e, n in naming.most_common(ACTORS) if n >= max(1, len(originals) / 2))
    title = event_title(members)
    surfaces: dict[str, set[str]] = {}
    for mem in originals:
        for m in mem.analysis.mentions:
            if m.entity in actors:
                surfaces.setdefault(m.entity, set()).add(m.text.lower())
    subjects = tuple(a for a in actors if any(s in title.lower() for s in surfaces.get(a, ())))
    start, end = event_span([article_date(m.article.published, m.analysis.dates, m.article.crawl_date)[0]
                             for m in members], facts)
    return EventStory(
        event_id=event_id, title=title, start=start, end=end, facts=facts, quotes=quotes,
        entities=tuple(e for e, _ in entity_counts.most_common()), timeline=build_timeline(facts, {m.article.id: m.article.published or "" for m in members}),
        summary=summarize(facts, config.summarize),
        actors=actors, subjects=subjects,
    )


__all__ = ["build_story", "Member", "Unit", "VectorSource"]
