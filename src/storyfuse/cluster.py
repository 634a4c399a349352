"""Cluster: online, time-aware event clustering.

Each new article is compared only with the events near it in time (the store hands them
over as ``EventProfile`` objects) and joins the most similar one, or starts a new event.
Similarity mixes TF-IDF cosine to the event's centroid (hashed features, document
frequencies kept by the store so that nothing is refitted) with the overlap of the
resolved entities, and fades with the distance in days from the event's span, so that two
fires in the same city a year apart stay two events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from sklearn.feature_extraction.text import HashingVectorizer

from .config import ClusterConfig
from .models import EventProfile, PendingArticle

N_FEATURES = 2**20
CENTROID_TERMS = 400  # an event keeps its strongest terms only: bounded size in the store
_VECTORIZER = HashingVectorizer(
    n_features=N_FEATURES, alternate_sign=False, norm=None, stop_words="english",
    ngram_range=(1, 2), lowercase=True,
)

SparseVector = dict[int, float]


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What clustering needs to know about one article."""

    article_id: str
    terms: dict[int, int]  # hashed term -> count
    entities: frozenset[str]
    date: str | None  # YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class Assignment:
    article_id: str
    event: EventProfile  # the event after the article joined it
    created: bool
    score: float


class ClusterState(Protocol):
    """What clustering reads of the corpus (the store's event repository)."""

    def document_frequencies(self, terms: list[int]) -> dict[int, int]: ...

    def document_count(self) -> int: ...

    def profiles_between(self, low: str, high: str) -> list[EventProfile]: ...

    def undated_profiles(self, limit: int) -> list[EventProfile]: ...

    def recent_profiles(self, limit: int) -> list[EventProfile]: ...

    def exists(self, event_id: str) -> bool: ...


def event_id_for(first_article_id: str) -> str:
    """Stable across runs: an event is named after the article that started it."""
    return "ev-" + hashlib.sha1(first_article_id.encode()).hexdigest()[:10]


def candidate_events(state: ClusterState, date: str | None, config: ClusterConfig) -> list[EventProfile]:
    """The events an article may join: those within the time window of its date (and the
    undated ones most recently updated), or, for an undated article, the most recent ones."""
    if not date:
        return state.recent_profiles(config.undated_candidates)
    day = dt.date.fromisoformat(date[:10])
    low = (day - dt.timedelta(days=config.window_days)).isoformat()
    high = (day + dt.timedelta(days=config.window_days)).isoformat()
    return state.profiles_between(low, high) + state.undated_profiles(config.undated_candidates)


def features_of(article: PendingArticle, entities: Iterable[str]) -> ArticleFeatures:
    return article_features(article.id, article.title, article.text, entities, (article.published or "")[:10] or None)


def place(article: PendingArticle, entities: Iterable[str], state: ClusterState, config: ClusterConfig,
          fresh_suffix: str) -> tuple[Assignment, list[int]]:
    """The event a stored article joins (or starts), and the terms it adds to the document
    frequencies. ``fresh_suffix`` names a new event when the article's usual event id is taken
    (the event it started before it was replaced)."""
    features = features_of(article, entities)
    terms = list(features.terms)
    known = state.document_frequencies(terms)
    df = {t: known.get(t, 0) + 1 for t in terms}  # the article counts itself
    result = assign(features, candidate_events(state, features.date, config), df, state.document_count() + 1, config)
    if result.created and state.exists(result.event.id):
        fresh = event_id_for(f"{article.id}#{fresh_suffix}")
        result = dataclasses.replace(result, event=dataclasses.replace(result.event, id=fresh))
    return result, terms


def rebuild_profile(event_id: str, members: list[PendingArticle], entities: Mapping[str, list[str]],
                    state: ClusterState) -> EventProfile | None:
    """An event's centroid, entities and span from its remaining members (None: no event left)."""
    if not members:
        return None
    n_docs = state.document_count()
    profile = EventProfile(event_id, {}, 0)
    for member in members:
        features = features_of(member, entities.get(member.id, ()))
        vector = tfidf(features.terms, state.document_frequencies(list(features.terms)), n_docs)
        profile = add_to_event(profile, vector, features)
    return profile


def article_features(article_id: str, title: str | None, text: str, entities: Iterable[str], date: str | None) -> ArticleFeatures:
    # The headline counts twice: it states what the article is about.
    row = _VECTORIZER.transform([f"{title or ''}\n{title or ''}\n{text}"])
    terms = {int(i): int(c) for i, c in zip(row.indices, row.data)}
    return ArticleFeatures(article_id, terms, frozenset(entities), date)


def tfidf(terms: Mapping[int, int], df: Mapping[int, int], n_docs: int) -> SparseVector:
    """Sublinear tf times smoothed idf, L2-normalised."""
    vec = {t: (1 + math.log(c)) * (math.log((1 + n_docs) / (1 + df.get(t, 0))) + 1) for t, c in terms.items()}
    return _normalise(vec)


def _normalise(vec: SparseVector) -> SparseVector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def entity_similarity(article: frozenset[str], event: Mapping[str, int]) -> float:
    if not article or not event:
        return 0.0
    shared = sum(1 for e in article if e in event)
    return shared / math.sqrt(len(article) * len(event))


def days_apart(date: str | None, start: str | None, end: str | None) -> float | None:
    """Days from ``date`` to the span start..end (0 inside it); None when a date is unknown."""
    if not date or not start or not end:
        return None
    day, first, last = (dt.date.fromisoformat(x[:10]) for x in (date, start, end))
    if first <= day <= last:
        return 0.0
    return float(min(abs((day - first).days), abs((day - last).days)))


def score(vector: SparseVector, features: ArticleFeatures, event: EventProfile, config: ClusterConfig) -> float:
    gap = days_apart(features.date, event.start, event.end)
    if gap is not None and gap > config.window_days:
        return 0.0
    length = math.sqrt(sum(w * w for w in event.centroid.values()))
    text = cosine(vector, event.centroid) / length if length else 0.0
    ents = entity_similarity(features.entities, event.entities)
    combined = config.text_weight * text + config.entity_weight * ents
    if gap:
        combined *= math.exp(-gap / config.date_decay_days)
    return combined


def assign(
    features: ArticleFeatures,
    candidates: Iterable[EventProfile],
    df: Mapping[int, int],
    n_docs: int,
    config: ClusterConfig,
) -> Assignment:
    """Join the best candidate event at or above the threshold, or start a new event."""
    vector = tfidf(features.terms, df, n_docs)
    best, best_score = None, 0.0
    for event in candidates:
        s = score(vector, features, event, config)
        if s > best_score:
            best, best_score = event, s
    if best is not None and best_score >= config.threshold:
        return Assignment(features.article_id, add_to_event(best, vector, features), False, best_score)
    fresh = EventProfile(event_id_for(features.article_id), {}, 0, {}, None, None)
    return Assignment(features.article_id, add_to_event(fresh, vector, features), True, best_score)


def add_to_event(event: EventProfile, vector: SparseVector, features: ArticleFeatures) -> EventProfile:
    """The running mean of the member vectors (every member weighs the same), cut to its
    strongest terms. It is not renormalised: ``score`` divides by its length."""
    n = event.size
    merged = {t: w * n for t, w in event.centroid.items()}
    for t, w in vector.items():
        merged[t] = merged.get(t, 0.0) + w
    strongest = {t: w / (n + 1) for t, w in sorted(merged.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS]}
    entities = dict(event.entities)
    for e in features.entities:
        entities[e] = entities.get(e, 0) + 1
    start, end = event.start, event.end
    if features.date:
        start = min(start, features.date) if start else features.date
        end = max(end, features.date) if end else features.date
    return EventProfile(event.id, strongest, n + 1, entities, start, end)


def cluster_batch(
    items: list[ArticleFeatures],
    events: dict[str, EventProfile],
    df: dict[int, int],
    n_docs: int,
    config: ClusterConfig,
) -> tuple[list[Assignment], int]:
    """Cluster articles in memory, without a store, oldest first: the same decisions the
    pipeline makes one stored article at a time.

    ``events`` and ``df`` are updated in place; the new document count is returned.
    """
    out = []
    for features in sorted(items, key=lambda f: (f.date or "", f.article_id)):
        for t in features.terms:
            df[t] = df.get(t, 0) + 1
        n_docs += 1
        result = assign(features, events.values(), df, n_docs, config)
        events[result.event.id] = result.event
        out.append(result)
    return out, n_docs
