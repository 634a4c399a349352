"""Corroborate: align the sentences of an event's articles into facts, count independent
outlets, find contradictions, group quotes across outlets and build the timeline.

A fact is a group of sentences from different articles that say the same thing, as the
pair model trained on MRPC (``align``) judges them among the pairs whose MiniLM embeddings
are close enough to be candidates, or somewhat close while stating the same slot with
different figures ("two workers were injured" / "three workers were injured"), which is
then a conflict. Support is counted in outlets
after collapsing copies and rewrites: articles linked by reuse, or from the same outlet,
are one source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from .claims import ClaimSplitter
from .config import CorroborateConfig
from .conflicts import SameClaim, find_conflicts
from .dedupe import outlet_key
from .entities import PLACE_LABELS
from .figure_roles import FigureRoles
from .lexicon import FUNCTION_WORDS, NUMBER_WORDS
from .models import (
    Analysis,
    Article,
    ConflictSide,
    EventQuote,
    Fact,
    FactSentence,
    FactStatus,
    Quote,
    Reuse,
    SpeakerClaim,
    TimeExpr,
    TimelineEntry,
)
from .slots import Figure, counted_noun_end, figures, place_name, stem

_WORD = re.compile(r"[A-Za-z€$£][A-Za-z'\-]*|\d[\d,.]*")


@dataclass(frozen=True, slots=True)
class Member:
    """One article of an event with what the NLP stages found in it."""

    article: Article
    analysis: Analysis
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """A claim that can carry a fact: a whole sentence, or one of the claims of a sentence
    that makes several (see ``claims``)."""

    article: str
    start: int  # the sentence's offsets in its article
    end: int
    text: str  # the claim
    position: int  # sentence number in its article
    sentence: str = ""  # the whole sentence, when ``text`` is one of its claims
    span: tuple[int, int] | None = None  # where the claim's words start and end in the article
    places: tuple[str, ...] = ()  # the place names (GPE, LOC, FAC mentions) in the sentence

    @property
    def whole(self) -> str:
        """The sentence that holds the claim."""
        return self.sentence or self.text

    @property
    def words(self) -> tuple[int, int]:
        return self.span or (self.start, self.end)


def sentence_tokens(text: str) -> str:
    """Stemmed content words, figures masked: what two wordings of one fact share."""
    out = []
    for w in _WORD.findall(text):
        lw = w.lower()
        if lw[0].isdigit() or lw in NUMBER_WORDS or lw[0] in "€$£":
            out.append("NUM")
        elif lw not in FUNCTION_WORDS and len(lw) > 1:
            out.append(stem(lw))
    return " ".join(out)


def independent_groups(articles: list[str], sources: dict[str, str | None], reuses: list[Reuse]) -> list[set[str]]:
    """Articles grouped so that copies, rewrites and one outlet's articles are one source."""
    parent = {a: a for a in articles}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    by_source: dict[str, str] = {}
    for a in articles:
        key = outlet_key(sources.get(a))
        if key:
            if key in by_source:
                union(a, by_source[key])
            else:
                by_source[key] = a
    for r in reuses:
        if r.article in parent and r.other in parent:
            union(r.article, r.other)
    groups: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        groups[find(a)].add(a)
    return list(groups.values())


@dataclass(frozen=True)
class FactContext:
    """What facts need of an event's articles besides their claims: outlets, dates, publication
    days, reuse, the place names named together, and the conflict judge."""

    sources: dict[str, str | None]
    dates: dict[str, Sequence[TimeExpr]]
    published: dict[str, str]
    reuses: list[Reuse]
    together: frozenset[frozenset[str]]
    same_claim: SameClaim

    @classmethod
    def of(cls, members: list[Member], reuses: list[Reuse], judge: PairJudge | None = None,
           roles: FigureRoles | None = None) -> FactContext:
        return cls({m.article.id: m.article.source for m in members}, {m.article.id: m.analysis.dates for m in members},
                   {m.article.id: m.article.published or "" for m in members}, reuses, places_together(members),
                   SameClaim(judge, roles))


def build_facts(
    event_id: str, members: list[Member], units: list[Unit], vectors: np.ndarray | None, reuses: list[Reuse],
    config: CorroborateConfig, judge: PairJudge | None = None, roles: FigureRoles | None = None,
) -> tuple[Fact, ...]:
    """Facts from ``units`` (see ``fact_units``) and their L2-normalised embeddings; without
    embeddings only word-for-word identical sentences (copies) are aligned. ``judge`` decides
    paraphrases and whether two sentences with clashing figures state the same claim;
    ``roles`` (the parser) what each figure counts, for the sentences of candidate conflicts."""
    if not units:
        return ()
    context = FactContext.of(members, reuses, judge, roles)
    grouped = group_facts(event_id, units, vectors, config, context, judge)
    return finish_facts(grouped, units, context)


def group_facts(event_id: str, units: list[Unit], vectors: np.ndarray | None, config: CorroborateConfig,
                context: FactContext, judge: PairJudge | None = None,
                previous: list[tuple[list[int], Fact | None]] | None = None) -> list[tuple[list[int], Fact]]:
    """Each group of aligned units with its fact (before ``finish_facts``). ``previous``: the
    groups of the first units, as an earlier call left them, with their facts (None where the
    group changed since); the units after them are new (an event that gained articles): only
    pairs with a new unit are compared, and a group no new unit joined keeps its fact."""
    old = [list(g) for g, _ in previous or ()]
    known = {tuple(g): f for g, f in previous or () if f is not None}
    out = []
    for group in _align(units, vectors, config, judge, old):
        out.append((group, known.get(tuple(group)) or _fact(event_id, [units[i] for i in group], context)))
    return out


UnitFigure = tuple[str, str, str]  # what a figure counts, its value, and its words ("14 stops")


def unit_figures(unit: Unit) -> list[UnitFigure]:
    """The figures of a claim, as ``finish_facts`` compares them across the event."""
    return [(_counted(f), f.value, unit.text[f.start:counted_noun_end(unit.text, f)]) for f in figures(unit.text)]


def finish_facts(grouped: list[tuple[list[int], Fact]], units: list[Unit], context: FactContext,
                 figures_of: Sequence[list[UnitFigure]] | None = None) -> tuple[Fact, ...]:
    """The facts with what only one source gives, in order of support. ``figures_of``: each
    unit's ``unit_figures``, when kept from earlier (found here otherwise)."""
    figures_of = figures_of if figures_of is not None else [unit_figures(u) for u in units]
    facts = _lone_figures(grouped, units, figures_of, context.sources, context.reuses)
    facts.sort(key=lambda f: (-f.independent_sources, -len(f.articles), f.id))
    return tuple(facts)


def _lone_figures(grouped: list[tuple[list[int], Fact]], units: list[Unit], figures_of: Sequence[list[UnitFigure]],
                  sources, reuses: list[Reuse]) -> list[Fact]:
    """A claim that is part of a shared fact but also counts something no other source
    counts anywhere in the event ("The 9.5-kilometre line will have 14 stops", where others
    give only the length): the fact is corroborated as a whole, and the figure only one
    source gives is listed with it (``Fact.only_one_source``), so that the claim belongs to
    one fact only. (Where the parse could split the figure off as a claim of its own, it is a
    fact of its own already.)"""
    independent = independent_groups(list(sources), sources, reuses)
    group_of = {a: i for i, g in enumerate(independent) for a in g}
    stated: dict[str, set[int]] = defaultdict(set)
    valued: dict[str, set[int]] = defaultdict(set)  # the same number of something else: "35 staff" / "35 workers"
    for u, found in zip(units, figures_of):
        for counted, value, _ in found:
            stated[counted].add(group_of[u.article])
            valued[value].add(group_of[u.article])
    out: list[Fact] = []
    for group, fact in grouped:
        lone: dict[str, ConflictSide] = {}
        if fact.independent_sources >= 2:
            for k in group:
                unit = units[k]
                for counted, value, said in figures_of[k]:
                    own = {group_of[unit.article]}
                    if stated[counted] == own and valued[value] == own and said not in lone:
                        holders = tuple(sorted({units[m].article for m in group if units[m].text == unit.text}))
                        lone[said] = ConflictSide(said, unit.whole, holders)
        out.append(replace(fact, only_one_source=tuple(lone.values())) if lone else fact)
    return out


def places_together(members: list[Member]) -> frozenset[frozenset[str]]:
    """Pairs of place names that one article names both of: a town and its county, or two
    places both involved, not two outlets placing one act in two places."""
    pairs: set[frozenset[str]] = set()
    for m in members:
        names = sorted({place_name(p.text) for p in m.analysis.mentions if p.label in PLACE_LABELS})
        pairs |= {frozenset((a, b)) for a, b in combinations(names, 2)}
    return frozenset(pairs)


def _counted(fig: Figure) -> str:
    """What a figure counts, without its modifiers: "two injured workers" and "two workers"
    count workers alike."""
    return fig.slot.split("/")[0].split(" ")[-1]


def fact_units(members: list[Member], min_words: int = 5, splitter: ClaimSplitter | None = None) -> list[Unit]:
    """The claims that can carry facts: those of sentences analysed, long enough, not mostly
    a direct quote (quotes are grouped separately, as who said what). With ``splitter``, a
    sentence that makes several claims gives one unit per claim."""
    units = []
    for m in members:
        if not m.analysis.analysed:
            continue
        text = m.article.text
        quoted = [(q.start, q.end) for q in m.analysis.quotes if q.kind == "direct"]
        places = [p for p in m.analysis.mentions if p.label in PLACE_LABELS]
        for n, s in enumerate(m.analysis.sentences):
            sentence = text[s.start:s.end]
            named = tuple(dict.fromkeys(p.text for p in places if s.start <= p.start and p.end <= s.end))
            if len(sentence.split()) < min_words:
                continue
            inside = sum(max(0, min(e, s.end) - max(b, s.start)) for b, e in quoted)
            if inside > 0.5 * (s.end - s.start):
                continue
            claims = splitter.claims(sentence) if splitter is not None else []
            if len(claims) < 2:
                units.append(Unit(m.article.id, s.start, s.end, sentence, n, places=named))
                continue
            units += [Unit(m.article.id, s.start, s.end, c.text, n, sentence, (s.start + c.start, s.start + c.end),
                           named) for c in claims]
    return units


_BLOCK = 1024  # rows of the similarity matrix held at once: memory stays flat in big events


class _Similarity:
    """Cosine similarity of units (1 for word-for-word identical sentences), computed by
    blocks of rows so a 10,000-sentence event never holds a 10,000 x 10,000 matrix."""

    def __init__(self, units: list[Unit], vectors: np.ndarray | None):
        texts: dict[str, int] = {}
        self.text_ids = np.array([texts.setdefault(" ".join(_WORD.findall(u.text.casefold())), len(texts))
                                  for u in units])
        self.vectors = vectors

    def rows(self, rows: slice) -> np.ndarray:
        same = (self.text_ids[rows, None] == self.text_ids[None, :]).astype(np.float32)
        return same if self.vectors is None else np.maximum(self.vectors[rows] @ self.vectors.T, same)

    def average(self, a: list[int], b: list[int]) -> float:
        same = (self.text_ids[a][:, None] == self.text_ids[b][None, :]).astype(np.float32)
        if self.vectors is not None:
            same = np.maximum(self.vectors[a] @ self.vectors[b].T, same)
        return float(same.mean())

    def pairs_above(self, floor: float, article_ids: np.ndarray, new_from: int = 0) -> list[tuple[float, int, int]]:
        """Pairs of sentences from different articles at or above ``floor``, most similar first;
        only pairs with a sentence at ``new_from`` or after (the others were compared before)."""
        found_i, found_j, found_s = [], [], []
        n = len(self.text_ids)
        for start in range(new_from, n, _BLOCK):
            block = self.rows(slice(start, min(n, start + _BLOCK)))
            i, j = np.nonzero(block >= floor)
            keep = ((j > i + start) | (j < new_from)) & (article_ids[i + start] != article_ids[j])
            found_i.append(i[keep] + start)
            found_j.append(j[keep])
            found_s.append(block[i[keep], j[keep]])
        if not found_s:
            return []
        sims, rows, cols = np.concatenate(found_s), np.concatenate(found_i), np.concatenate(found_j)
        rows, cols = np.minimum(rows, cols), np.maximum(rows, cols)  # a pair is (earlier, later)
        order = np.lexsort((cols, rows, -sims))
        return [(float(sims[k]), int(rows[k]), int(cols[k])) for k in order]


class PairJudge(Protocol):
    """Decides whether two sentences state the same thing (``align.PairJudge``: the trained
    pair model)."""

    @property
    def threshold(self) -> float: ...

    def probabilities(self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float] | None = None) -> np.ndarray:
        """``cosines``: each pair's sentence-embedding cosine, where the caller computed it."""


def _align(units: list[Unit], vectors: np.ndarray | None, config: CorroborateConfig,
           judge: PairJudge | None = None, old: list[list[int]] | None = None) -> list[list[int]]:
    """Greedy merge of the surest sentence pairs, one sentence per article per fact, each
    merge checked against the average of the two groups' pairs (no chaining).

    Sentences whose embeddings are close (``sentence_similarity``) state one fact. Below
    that, down to ``candidate_similarity``, the trained pair model (``judge``; the pipeline
    always has one) decides: it finds the paraphrases the embedding misses. It does not
    overrule close pairs: trained on MRPC's equivalence, it rejects a sentence that adds a
    detail, while a fact is supported by every sentence that states it. Sentences that give
    a figure for the same thing align from ``sentence_similarity - conflict_margin`` on:
    they report one fact, agreeing or not, which the conflict check then tells.

    ``old``: groups an earlier call made of the first units. They stay as they are (two of
    them never merge, their pairs are not compared again); the units after them join them
    or each other by the same rules, except that a new unit is compared with the few
    nearest members of the nearest old groups only (``_nearest_old``), and joins an old
    group on the average of those comparisons: adding an article then costs the same
    however big its event has grown."""
    threshold = config.sentence_similarity
    floor = threshold - config.conflict_margin
    candidate = config.candidate_similarity if judge is not None else threshold
    sim = _Similarity(units, vectors)
    articles = [u.article for u in units]
    numbers = {a: n for n, a in enumerate(dict.fromkeys(articles))}
    article_ids = np.array([numbers[a] for a in articles])
    slots = _Slots(units)
    new_from = sum(len(g) for g in old or ())
    found = sim.pairs_above(min(floor, candidate), article_ids, new_from)
    if old:
        found = _nearest_old(found, {k: n for n, g in enumerate(old) for k in g}, new_from)
    compared = {(i, j) for _, i, j in found}
    sure = _pair_scores(units, sim, found, threshold, candidate, judge)
    cut = judge.threshold if judge is not None else threshold
    cluster = list(range(len(units)))
    members: dict[int, list[int]] = {i: [i] for i in range(new_from, len(units))}
    settled = set()  # clusters holding an old group
    for group in old or ():
        members[group[0]] = list(group)
        settled.add(group[0])
        for k in group:
            cluster[k] = group[0]
    # Surest first; among pairs the embedding accepts, the most similar.
    for s, i, j in sorted(found, key=lambda f: (-sure.get((f[1], f[2]), 0.0), -f[0], f[1], f[2])):
        a, b = cluster[i], cluster[j]
        if a == b or (a in settled and b in settled):
            continue
        equivalent = sure.get((i, j), 0.0) >= cut
        counted = s >= floor and _same_quantity(slots, members[a], members[b])
        if not equivalent and not counted:
            continue  # weaker matches join only when they give a figure for the same thing
        if {articles[k] for k in members[a]} & {articles[k] for k in members[b]}:
            continue
        if counted and not equivalent:
            if sim.average(members[a], members[b]) < floor:
                continue
        elif judge is None:
            if sim.average(members[a], members[b]) < threshold - 0.1:
                continue
        else:
            pairs = [(min(x, y), max(x, y)) for x in members[a] for y in members[b]]
            if a in settled or b in settled:  # an old group speaks through its members compared
                pairs = [p for p in pairs if p in compared]
            if np.mean([sure.get(p, 0.0) for p in pairs]) < cut:
                continue
        members[a].extend(members[b])
        if b in settled:
            settled.add(a)
        for k in members.pop(b):
            cluster[k] = a
    return [sorted(g) for g in members.values()]


NEAREST_GROUPS = 3  # old groups a new unit is compared with, the most similar first
NEAREST_MEMBERS = 2  # members of each: a fact's sentences state one thing, a few speak for all


def _nearest_old(found: list[tuple[float, int, int]], group_of: dict[int, int],
                 new_from: int) -> list[tuple[float, int, int]]:
    """``found`` (pairs, most similar first) with each new unit's pairs with old units cut to
    the ``NEAREST_MEMBERS`` most similar members of its ``NEAREST_GROUPS`` most similar old
    groups: the pairs the pair model is asked about stay as few as in a small event."""
    kept_members: dict[tuple[int, int], int] = defaultdict(int)
    kept_groups: dict[int, set[int]] = defaultdict(set)
    out = []
    for s, i, j in found:
        if i >= new_from:  # two new units (a pair is (earlier, later))
            out.append((s, i, j))
            continue
        group = group_of[i]
        chosen = kept_groups[j]
        if group not in chosen:
            if len(chosen) >= NEAREST_GROUPS:
                continue
            chosen.add(group)
        if kept_members[(j, group)] < NEAREST_MEMBERS:
            kept_members[(j, group)] += 1
            out.append((s, i, j))
    return out


class _Slots:
    """The figures' slots of each unit, found when first needed (most units never are)."""

    def __init__(self, units: list[Unit]):
        self.units = units
        self.found: dict[int, set[tuple[str, str]]] = {}

    def __getitem__(self, k: int) -> set[tuple[str, str]]:
        if k not in self.found:
            self.found[k] = {(f.slot, f.value) for f in figures(self.units[k].text)}
        return self.found[k]


def _pair_scores(units: list[Unit], sim: _Similarity, found: list[tuple[float, int, int]], threshold: float,
                 candidate: float, judge: PairJudge | None) -> dict[tuple[int, int], float]:
    """How sure each pair is to state one fact: 1 for word-for-word copies and for pairs at
    or above ``threshold``; from ``candidate`` up, the judge's probability (without a judge:
    the cosine)."""
    sure: dict[tuple[int, int], float] = {}
    asked: list[tuple[int, int]] = []
    cosines: list[float] = []
    for s, i, j in found:
        if sim.text_ids[i] == sim.text_ids[j] or (judge is not None and s >= threshold):
            sure[(i, j)] = 1.0
        elif s >= candidate:
            if judge is None:
                sure[(i, j)] = s
            else:
                asked.append((i, j))
                cosines.append(s)
    if asked and judge is not None:
        answers = judge.probabilities([(units[i].text, units[j].text) for i, j in asked], cosines)
        sure.update(zip(asked, (float(p) for p in answers)))
    return sure


def _same_quantity(slots: _Slots, a: list[int], b: list[int]) -> bool:
    """Both sides count the same thing ("20,000 passengers" / "some 20,000 passengers", or
    "two workers" / "three workers"): evidence that they report one fact, agreeing or not."""
    return bool({s for k in a for s, _ in slots[k]} & {s for k in b for s, _ in slots[k]})


def _fact(event_id, units: list[Unit], context: FactContext) -> Fact:
    published, sources, reuses = context.published, context.sources, context.reuses
    units = sorted(units, key=lambda u: (published.get(u.article, ""), u.article))
    articles = tuple(dict.fromkeys(u.article for u in units))
    groups = independent_groups(list(articles), sources, reuses)
    group_of = {a: i for i, g in enumerate(groups) for a in g}
    conflicts, updates = find_conflicts(units, group_of, context.same_claim, published, context.together)
    status: FactStatus = "contradicted" if conflicts else ("corroborated" if len(groups) >= 2 else "single_source")
    rep = _representative(units)
    claim = f"|{rep.text}" if rep.span else ""  # one sentence may hold several claims
    fid = "f-" + hashlib.sha1(f"{event_id}|{rep.article}|{rep.start}{claim}".encode()).hexdigest()[:10]
    return Fact(
        id=fid, text=rep.text, status=status, articles=articles, independent_sources=len(groups),
        conflicts=conflicts, updates=updates,
        sentences=tuple(FactSentence(u.article, u.start, u.end, u.whole) for u in units),
        date=_fact_date(units, context.dates),
    )


def _representative(units: list[Unit]) -> Unit:
    """The wording closest to all the others; ties go to the earliest, most lead-like one."""
    if len(units) <= 2:
        return min(units, key=lambda u: u.position) if len(units) == 2 else units[0]
    scores = [sum(fuzz.token_set_ratio(u.text, v.text) for v in units if v is not u) for u in units]
    best = max(scores)
    return next(u for u, s in zip(units, scores) if s == best)


def _fact_date(units: list[Unit], dates) -> str | None:
    values: Counter[str] = Counter()
    for u in units:
        for d in dates.get(u.article, ()):
            if u.words[0] <= d.start and d.end <= u.words[1] and d.value:
                values[d.value] += 1
    if not values:
        return None
    # The most reported value; among equals the most precise (a day before a month).
    return max(values.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


QuoteGroup = list[tuple[str, Quote]]  # (article, quote); the first is the lead


def group_quotes(event_id: str, members: list[Member], names: dict[str, str],
                 quote_match: int = 85) -> tuple[EventQuote, ...]:
    """One entry per thing said, with every outlet that reports it and who they say said it."""
    items = [(m.article.id, q) for m in members for q in m.analysis.quotes]
    return event_quotes(event_id, add_quotes([], items, quote_match), names)


SHORT_QUOTE_WORDS = 3


def add_quotes(groups: list[QuoteGroup], items: list[tuple[str, Quote]], quote_match: int = 85) -> list[QuoteGroup]:
    """``groups`` with ``items`` added, longest first: each joins the first group whose lead
    is the same kind and the same words (``quote_match``), or leads a group of its own. The
    longest wording leads its group (added later, it takes the lead)."""
    for art, q in sorted(items, key=lambda x: (-len(x[1].text), x[0])):
        for g in groups:
            lead = g[0][1]
            # a word or two ("perfect opportunity") is in many longer quotes' words: the same
            # quote only when written alike, not because its words are a subset
            short = min(len(lead.text.split()), len(q.text.split())) < SHORT_QUOTE_WORDS
            similar = fuzz.ratio if short else fuzz.token_set_ratio
            if lead.kind == q.kind and similar(lead.text, q.text) >= quote_match:
                g.insert(0 if len(q.text) > len(lead.text) else len(g), (art, q))
                break
        else:
            groups.append([(art, q)])
    return groups


def event_quotes(event_id: str, groups: list[QuoteGroup], names: dict[str, str]) -> tuple[EventQuote, ...]:
    """The quotes of an event from its groups of reports, most reported first."""
    out = []
    for g in groups:
        lead = g[0][1]
        speakers: dict[str | None, set[str]] = defaultdict(set)
        for art, q in g:
            speakers[q.speaker_entity].add(art)
        named = {s: a for s, a in speakers.items() if s is not None}
        top = max(named.items(), key=lambda kv: len(kv[1]))[0] if named else None
        speaker_name = names.get(top) if top else next((q.speaker for _, q in g if q.speaker), None)
        conflict: tuple[SpeakerClaim, ...] = ()
        if len(named) > 1:
            conflict = tuple(SpeakerClaim(names.get(s, s), tuple(sorted(a))) for s, a in
                             sorted(named.items(), key=lambda kv: -len(kv[1])))
        qid = "q-" + hashlib.sha1(f"{event_id}|{g[0][0]}|{lead.start}".encode()).hexdigest()[:10]
        out.append(EventQuote(qid, lead.text, lead.kind, speaker_name, top, tuple(sorted({a for a, _ in g})), conflict))
    out.sort(key=lambda q: (-len(q.articles), q.kind != "direct", q.id))
    return tuple(out)


def build_timeline(facts: tuple[Fact, ...], published: dict[str, str] | None = None) -> tuple[TimelineEntry, ...]:
    """Dated facts in date order; a fact whose outlets disagree is flagged. A figure updated
    as the story developed is told at each value, on the day it was first published."""
    entries = [
        TimelineEntry(f.date, f.text, (f.id,), f.articles, bool(f.conflicts))
        for f in facts if f.date
    ]
    for f in facts:
        for update in f.updates:
            for side in update.sides:
                days = sorted(d[:10] for a in side.articles if (d := (published or {}).get(a)))
                if days:
                    entries.append(TimelineEntry(days[0], side.text, (f.id,), side.articles, False))
    return tuple(sorted(entries, key=lambda e: (e.date, -len(e.articles))))


def event_span(article_days: Sequence[str | None], facts: Sequence[Fact]) -> tuple[str | None, str | None]:
    """First and last day of the articles (published, else estimated from their text); what
    happened just before it was first reported ("on Tuesday night", stated by two
    independent sources) starts the event."""
    days = sorted(d for d in article_days if d and len(d) == 10)
    if not days:
        return None, None
    start, end = days[0], days[-1]
    for f in facts:
        if f.independent_sources >= 2 and f.date and len(f.date) == 10 and f.date < start:
            if (dt.date.fromisoformat(start) - dt.date.fromisoformat(f.date)).days <= 2:
                start = f.date
    return start, end
