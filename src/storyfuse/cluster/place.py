"""Placing articles in events, online, and consolidating the events a run touched.

The learned pair model (``PairModel``) gives a calibrated probability that two articles
report the same event. An article's probability of belonging to an event is the mean of
its pair probabilities with a sample of the event's members (at most ``SAMPLE``): it does
not grow with the size of the event, and it means the same in a store of five articles and
of a million. Candidate events come from an index of rare words and entities, never a scan
of every event. An article joins the most probable event at or above the threshold, or
starts a new one. At the end of a run, the touched events are consolidated: two events the
model says are one are merged (the larger, then older, keeps its id), and members that do
not hold with the rest of their event leave it and are placed again.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..learning import TreeEnsemble
from ..trained import TrainedModel
from .profile import Compared, Profile, Weights, compare_many, pair_features_many

SAMPLE = 8  # members an article is compared with; a larger event costs no more
CANDIDATES = 12  # events sharing the rarest keys with an article are scored (half by names, half by words)
SHORTLIST = 4  # candidates scored on the full sample, chosen by a first look at ...
FIRST_LOOK = 2  # ... this many members of each: the founder and the latest
ROUNDS = 3  # consolidation is repeated over what the last round changed, at most this often
RECHECKED = 50  # members of a touched event re-examined by consolidation (the latest)
MAX_POSTINGS = 2000  # a key held by more events finds nothing: left out, which bounds the cost


def key_weights(postings: Mapping[str, int], docs: int) -> dict[str, int]:
    """How much sharing each key says: the rarer among events, the more (an integer log
    inverse frequency, so that sums are exact). Without weights, events with many members
    (and so many keys) outrank the small event an article belongs to."""
    return {k: round(1000 * math.log(1 + max(docs, n) / n)) for k, n in sorted(postings.items()) if 0 < n <= MAX_POSTINGS}


def by_kind(weights: dict[str, int], limit: int, ranked: Callable[[dict[str, int], int], list[str]]) -> list[str]:
    """Candidates by names and by words apart, half of ``limit`` each (then the rest of
    either): a small event sharing an article's rare names is found even when bigger events
    of the same kind, holding every word of the kind between their members, outrank it on
    words."""
    names = ranked({k: w for k, w in weights.items() if k.startswith("e:")}, limit)
    words = ranked({k: w for k, w in weights.items() if not k.startswith("e:")}, limit)
    out = list(dict.fromkeys(names[:limit // 2] + words[:limit - limit // 2]))
    return out + [e for e in dict.fromkeys(names + words) if e not in out][:limit - len(out)]


@dataclass(frozen=True)
class Thresholds:
    join: float  # probability an article needs to join an event
    merge: float  # mean probability two events need to be merged
    split: float  # below this mean probability to the rest, a member leaves its event


@dataclass(frozen=True)
class PairModel:
    trees: TreeEnsemble
    calibration_x: np.ndarray  # isotonic calibration learned out of fold
    calibration_y: np.ndarray
    thresholds: Thresholds

    @classmethod
    def from_trained(cls, model: TrainedModel) -> PairModel:
        a, p = model.arrays, model.params
        return cls(TreeEnsemble.from_arrays(a, "trees_"), a["calibration_x"], a["calibration_y"],
                   Thresholds(float(p["join"]), float(p["merge"]), float(p["split"])))

    def probabilities(self, rows: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        raw = self.trees.probability(np.asarray(rows, dtype=np.float64))
        return np.asarray(np.interp(raw, self.calibration_x, self.calibration_y))


class Scorer(Protocol):
    """The probability that an article and each of some others report one event."""

    thresholds: Thresholds

    def __call__(self, a: Profile, others: Sequence[Profile]) -> np.ndarray: ...


class ModelScorer:
    """Pair probabilities from the model, with the index's current word weights."""

    def __init__(self, model: PairModel, index: EventIndex):
        self.model, self.index, self.thresholds = model, index, model.thresholds
        self._weights: Weights | None = None
        self._compared: dict[str, Compared] = {}  # members' vectors, under the current weights

    def __call__(self, a: Profile, others: Sequence[Profile]) -> np.ndarray:
        weights = self.index.weights()
        if weights is not self._weights:
            self._weights, self._compared = weights, {}
        # An article's profile never changes: its arrays are kept while the weights hold.
        new = {b.article_id: b for b in others if b.article_id not in self._compared}
        self._compared.update((c.profile.article_id, c) for c in compare_many(list(new.values()), weights))
        (me,) = compare_many([a], weights)
        return self.model.probabilities(pair_features_many(me, [self._compared[b.article_id] for b in others]))


def event_id_for(first_article_id: str) -> str:
    """Stable across runs: an event is named after the article that started it."""
    return "ev-" + hashlib.sha1(first_article_id.encode()).hexdigest()[:10]


class EventIndex(Protocol):
    """The events as placement needs them: in memory (training, evaluation) or in the store
    (``cluster.stored``)."""

    def weights(self) -> Weights: ...

    def candidates(self, keys: list[str], limit: int) -> list[str]:
        """Events whose members share the most of these keys, most first."""

    def sample(self, event_id: str, limit: int) -> list[Profile]:
        """Up to ``limit`` members of the event (the founding article first, then the latest)."""

    def samples(self, event_ids: list[str], limit: int) -> dict[str, list[Profile]]:
        """``sample`` of many events at once."""

    def members(self, event_id: str) -> list[Profile]: ...

    def size(self, event_id: str) -> int: ...

    def age(self, event_id: str) -> int:
        """When the event's first member arrived (smaller is older)."""

    def live(self, event_id: str) -> bool: ...

    def new_event_id(self, article_id: str) -> str:
        """An id for an event the article starts, never one in use or retired."""

    def add(self, profile: Profile, event_id: str) -> None: ...

    def move(self, profile: Profile, event_id: str) -> None: ...

    def merge(self, keep: str, gone: str) -> None: ...


@dataclass(frozen=True)
class Placement:
    article_id: str
    event_id: str | None  # None: start a new event
    probability: float


def score(profile: Profile, event_ids: Iterable[str], index: EventIndex, scorer: Scorer,
          sample: int = SAMPLE) -> dict[str, float]:
    """Each event's probability of holding the article: the mean over a sample of its members."""
    found = index.samples(list(event_ids), sample)
    samples = {e: s for e, s in ((e, [m for m in found[e] if m.article_id != profile.article_id]) for e in found) if s}
    values = scorer(profile, [m for s in samples.values() for m in s])  # one batch for every event
    out, start = {}, 0
    for event_id, members in samples.items():
        out[event_id] = float(np.mean(values[start:start + len(members)]))
        start += len(members)
    return out


def place(profile: Profile, index: EventIndex, scorer: Scorer, exclude: Iterable[str] = ()) -> Placement:
    """The most probable event at or above the join threshold, or a new event."""
    skip = set(exclude)
    candidates = [e for e in index.candidates(profile.keys(index.weights()), CANDIDATES) if e not in skip]
    if len(candidates) > SHORTLIST:  # a first look at every candidate, a full sample of the best
        first = score(profile, candidates, index, scorer, FIRST_LOOK)
        candidates = sorted(first, key=lambda e: (-first[e], e))[:SHORTLIST]
    scores = score(profile, candidates, index, scorer)
    best = max(scores.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    if best is not None and best[1] >= scorer.thresholds.join:
        return Placement(profile.article_id, best[0], best[1])
    return Placement(profile.article_id, None, best[1] if best else 0.0)


def between(a: str, b: str, index: EventIndex, scorer: Scorer) -> float:
    """The mean pair probability of two events' samples."""
    right = index.sample(b, SAMPLE)
    values = [scorer(p, right) for p in index.sample(a, SAMPLE)] if right else []
    return float(np.mean(np.concatenate(values))) if values else 0.0


def better_placed(event_id: str, index: EventIndex, scorer: Scorer) -> list[tuple[Profile, str | None]]:
    """Members that belong elsewhere, with where: another event more probable than their
    own (a decision made before that event existed or grew), or a new event when their mean
    probability with the rest of their own is below the split threshold. The founding
    article may move too (an article that started an event and was then outnumbered by
    reports of another one): the event keeps its id with the members that stay. The latest
    ``RECHECKED`` members are checked, which covers what a run added."""
    members = index.members(event_id)
    if len(members) < 2:
        return []
    out: list[tuple[Profile, str | None]] = []
    for m in members[-RECHECKED:]:
        others = [o for o in members if o.article_id != m.article_id]
        others = others[:1] + others[1:][-(2 * SAMPLE - 1):]
        own = float(np.mean(scorer(m, others)))
        elsewhere = place(m, index, scorer, exclude=[event_id])
        if elsewhere.event_id is not None and elsewhere.probability > own:
            out.append((m, elsewhere.event_id))
        elif own < scorer.thresholds.split and len(members) >= 3:
            out.append((m, None))
    return out


def place_and_add(profile: Profile, index: EventIndex, scorer: Scorer) -> str:
    """Place one article and record it; returns its event."""
    placed = place(profile, index, scorer)
    event = placed.event_id or index.new_event_id(profile.article_id)
    index.add(profile, event)
    return event


def consolidate(index: EventIndex, scorer: Scorer, touched: Iterable[str],
                on_event: Callable[[], None] = lambda: None) -> set[str]:
    """Re-examine the events a run touched: merge the pairs the model says are one (the
    larger, then older, keeps its id), then move each member that is more probable in
    another event there, and out into an event of its own one that does not hold with the
    rest. Returns every event changed."""
    changed: set[str] = set()
    weights = index.weights()
    for event in sorted(set(touched)):
        on_event()
        if not index.live(event):
            continue
        keys = [k for m in index.sample(event, SAMPLE) for k in m.keys(weights)]
        for other in index.candidates(keys, CANDIDATES):
            if other == event or not index.live(other) or not index.live(event):
                continue
            if between(event, other, index, scorer) >= scorer.thresholds.merge:
                keep, gone = sorted((event, other), key=lambda e: (-index.size(e), index.age(e), e))
                index.merge(keep, gone)
                changed |= {keep, gone}
    for event in sorted(e for e in set(touched) | changed if index.live(e)):
        for profile, target in better_placed(event, index, scorer):
            target = target or index.new_event_id(profile.article_id)
            index.move(profile, target)
            changed |= {event, target}
    return changed


@dataclass
class MemoryIndex:
    """Events held in memory: clustering without a store (training, cross-validation)."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    event_of: dict[str, str] = field(default_factory=dict)
    events: dict[str, list[str]] = field(default_factory=dict)  # event -> members in order of arrival
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # key -> events
    df: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    n_docs: int = 0
    arrival: dict[str, int] = field(default_factory=dict)
    _weights: Weights | None = None

    def weights(self) -> Weights:
        if self._weights is None or self._weights.stale(self.n_docs):
            self._weights = Weights(self.df, self.n_docs)
        return self._weights

    def candidates(self, keys: list[str], limit: int) -> list[str]:
        held = {k: self.keys[k] for k in set(keys) if self.keys.get(k)}

        def ranked(weights: dict[str, int], limit: int) -> list[str]:
            totals: dict[str, int] = defaultdict(int)
            for key, weight in weights.items():
                for event in held[key]:
                    totals[event] += weight
            return sorted(totals, key=lambda e: (-totals[e], e))[:limit]

        return by_kind(key_weights({k: len(v) for k, v in held.items()}, self.n_docs), limit, ranked)

    def sample(self, event_id: str, limit: int) -> list[Profile]:
        ids = self.events.get(event_id, [])
        chosen = ids[:1] + ids[1:][-(limit - 1):] if len(ids) > limit else ids
        return [self.profiles[a] for a in chosen]

    def samples(self, event_ids: list[str], limit: int) -> dict[str, list[Profile]]:
        return {e: self.sample(e, limit) for e in event_ids}

    def members(self, event_id: str) -> list[Profile]:
        return [self.profiles[a] for a in self.events.get(event_id, [])]

    def size(self, event_id: str) -> int:
        return len(self.events.get(event_id, []))

    def age(self, event_id: str) -> int:
        return min((self.arrival[a] for a in self.events.get(event_id, [])), default=0)

    def live(self, event_id: str) -> bool:
        return bool(self.events.get(event_id))

    def new_event_id(self, article_id: str) -> str:
        candidate, n = event_id_for(article_id), 1
        while candidate in self.events:
            candidate, n = event_id_for(f"{article_id}#{n}"), n + 1
        return candidate

    def add(self, profile: Profile, event_id: str) -> None:
        self.n_docs += 1
        for term in profile.body:
            self.df[term] += 1
        self.arrival[profile.article_id] = len(self.arrival)
        self.profiles[profile.article_id] = profile
        self.event_of[profile.article_id] = event_id
        self.events.setdefault(event_id, []).append(profile.article_id)
        for key in profile.keys(self.weights()):
            self.keys[key].add(event_id)

    def move(self, profile: Profile, event_id: str) -> None:
        old = self.event_of[profile.article_id]
        self.events[old].remove(profile.article_id)
        if not self.events[old]:
            del self.events[old]
        self.event_of[profile.article_id] = event_id
        self.events.setdefault(event_id, []).append(profile.article_id)
        self.events[event_id].sort(key=lambda a: self.arrival[a])
        for key in profile.keys(self.weights()):
            self.keys[key].add(event_id)

    def merge(self, keep: str, gone: str) -> None:
        for article in self.events.pop(gone, []):
            self.event_of[article] = keep
            self.events[keep].append(article)
        self.events[keep].sort(key=lambda a: self.arrival[a])
        for owners in self.keys.values():
            if gone in owners:
                owners.discard(gone)
                owners.add(keep)


def cluster_in_memory(profiles: Sequence[Profile], scorer: Scorer | PairModel, consolidate_at_end: bool = True,
                      index: MemoryIndex | None = None, run_size: int | None = None) -> dict[str, str]:
    """Article id -> event id for articles placed one by one (in the order given), then
    consolidated: the same decisions a run makes, without a store. With ``run_size``, the
    articles arrive in runs of that many, as successive ``storyfuse run`` calls would: each
    run placed in the order a run takes (date, then id) and consolidated at its end."""
    index = index or MemoryIndex()
    judge: Scorer = ModelScorer(scorer, index) if isinstance(scorer, PairModel) else scorer
    size = run_size or max(1, len(profiles))
    for start in range(0, len(profiles), size):
        run = list(profiles[start:start + size])
        if run_size:
            run.sort(key=lambda p: (p.date or "", p.article_id))
        touched: Iterable[str] = {place_and_add(p, index, judge) for p in run}
        if not consolidate_at_end:
            continue
        for _ in range(ROUNDS):
            touched = consolidate(index, judge, touched if run_size else list(index.events))
            if not touched:
                break
    return dict(index.event_of)
