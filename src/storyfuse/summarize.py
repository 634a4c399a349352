"""Summarize: an extractive summary per event, every sentence citing the articles behind it.

Facts are ranked by independent support, then by how close to the top of their articles
they appear (news puts the essentials first); near-repeats of a chosen sentence are skipped
(maximal marginal relevance), and the chosen sentences are told in story order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .config import SummarizeConfig
from .corroborate import sentence_tokens
from .models import Fact, SummarySentence

_WORDS = re.compile(r"\w+")


def fact_score(fact: Fact, positions: dict[tuple[str, int], int]) -> tuple[int, float]:
    """Independent support first; among equals, how near the top of its articles it sits
    (plus a little for copies and for disputed figures, which a reader must see)."""
    lead = min((positions.get((s.article, s.start), 99) for s in fact.sentences), default=99)
    lead_bonus = 1.5 / (1 + lead)  # first sentence 1.5, second 0.75, ...
    copies = 0.25 * (len(fact.articles) - fact.independent_sources)
    return fact.independent_sources, lead_bonus + copies + (0.5 if fact.status == "contradicted" else 0.0)


def summarize(facts: tuple[Fact, ...], config: SummarizeConfig) -> tuple[SummarySentence, ...]:
    if not facts:
        return ()
    positions = _sentence_positions(facts)
    ranked = sorted(facts, key=lambda f: (tuple(-x for x in fact_score(f, positions)), f.id))
    chosen: list[tuple[Fact, str]] = []
    for fact in ranked:
        if len(chosen) >= config.max_sentences:
            break
        sentence = holding_sentence(fact)
        # Two claims of one sentence, or two wordings of one fact, are told once.
        if any(sentence == told or fuzz.token_set_ratio(fact.text, c.text) >= config.redundant
               or fuzz.token_set_ratio(sentence, told) >= config.redundant for c, told in chosen):
            continue
        chosen.append((fact, sentence))
    chosen.sort(key=lambda fs: _story_order(fs[0], positions))
    return tuple(SummarySentence(sentence, f.articles, f.id, f.status) for f, sentence in chosen)


def holding_sentence(fact: Fact) -> str:
    """The whole sentence that holds the fact's claim: a summary tells sentences, not the
    claims split from them. Its own wording when the claim is a whole sentence; otherwise
    the first (earliest) article's sentence that holds every word of the claim."""
    words = set(_WORDS.findall(fact.text.casefold()))
    for s in fact.sentences:
        if s.text == fact.text:
            return s.text
    return next((s.text for s in fact.sentences if words <= set(_WORDS.findall(s.text.casefold()))), fact.text)


def _sentence_positions(facts: tuple[Fact, ...]) -> dict[tuple[str, int], int]:
    """Rank of each fact sentence within its article (0 = first sentence used by any fact)."""
    starts: dict[str, list[int]] = {}
    for f in facts:
        for s in f.sentences:
            starts.setdefault(s.article, []).append(s.start)
    positions = {}
    for article, offsets in starts.items():
        for rank, start in enumerate(sorted(set(offsets))):
            positions[(article, start)] = rank
    return positions


def _story_order(fact: Fact, positions: dict[tuple[str, int], int]) -> tuple[float, str]:
    ranks = [positions.get((s.article, s.start), 99) for s in fact.sentences]
    return (sum(ranks) / len(ranks), fact.id)


@dataclass(frozen=True, slots=True)
class Headline:
    """An original article's headline, as an event's title is chosen from them."""

    article_id: str
    title: str
    published: str


def event_title(headlines: list[Headline], opening: str) -> str:
    """The headline that shares the most words with the other headlines (earliest on ties):
    the most typical title, not the one with the most unusual angle. Without headlines, the
    start of the first article (``opening``)."""
    if not headlines:
        return opening[:80].rsplit(" ", 1)[0] + "…" if len(opening) > 80 else opening
    words = [set(sentence_tokens(h.title).split()) - {"NUM"} for h in headlines]

    def centrality(k: int) -> float:
        mine = words[k]
        return sum(len(mine & other) / (len(mine | other) or 1) for n, other in enumerate(words) if n != k)

    best = min(range(len(headlines)), key=lambda k: (-centrality(k), headlines[k].published, headlines[k].article_id))
    return headlines[best].title
