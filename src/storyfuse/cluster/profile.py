"""What clustering knows of an article (``Profile``) and how two articles compare (``pair_features``).

A profile is computed once per article, in the per-article map: the words of its title and
the strongest words of its body, its named entities by type (people, places, organisations,
others), the figures it gives, the embedding of its lead, and its date (the publication day,
else a date estimated from the dates it mentions). Two profiles are compared feature by
feature, in the spirit of Miranda et al. (EMNLP 2018): TF-IDF similarities of titles, bodies
and entities by type, overlap of rare words and figures, the leads' embedding similarity and
the gap in time. Word weights start warm: background frequencies of the language (wordfreq)
blend with the store's own document frequencies, so a store of five articles already knows
that "Harbin" says more than "talks".
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..lexicon import FUNCTION_WORDS
from ..models import Mention, TimeExpr

BODY_TERMS = 100  # the strongest words of a body are kept: bounded size in the store
RARE_TERMS = 15  # the most distinctive words: candidates come from these and the entities
PRIOR_DOCS = 1000.0  # how many documents the background frequencies weigh as
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\-]+")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\d|(?<![\w.])\d(?![\w.])")
_TYPES = {"PERSON": "people", "GPE": "places", "LOC": "places", "FAC": "places", "ORG": "orgs", "NORP": "orgs"}
ENTITY_TYPES = ("people", "places", "orgs", "others")
FEATURES = (
    "title", "body", "title_body", "people", "places", "orgs", "others", "entities", "rare", "max_idf", "figures", "lead",
    "year_gap", "month_gap", "day_gap", "published_gap", "both_published",
)
DATE_GAPS = ("year_gap", "month_gap", "day_gap", "published_gap")


@dataclass(frozen=True)
class Profile:
    article_id: str
    date: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    title: Mapping[str, int]
    body: Mapping[str, int]
    entities: Mapping[str, tuple[str, ...]]  # ENTITY_TYPES -> name keys
    figures: tuple[str, ...]
    lead: np.ndarray | None = None  # L2-normalised float32
    published: bool = False  # the date is the publication day (else estimated from the text)

    def to_json(self) -> str:
        return json.dumps({"id": self.article_id, "date": self.date, "published": self.published, "title": dict(self.title), "body": dict(self.body),
                           "entities": {k: list(v) for k, v in self.entities.items()}, "figures": list(self.figures)},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, lead: bytes | None) -> Profile:
        d = json.loads(text)
        vector = np.frombuffer(lead, dtype=np.float16).astype(np.float32) if lead else None
        return cls(d["id"], d["date"], d["title"], d["body"], {k: tuple(v) for k, v in d["entities"].items()},
                   tuple(d["figures"]), vector, bool(d.get("published")))

    def lead_bytes(self) -> bytes | None:
        return np.asarray(self.lead, dtype=np.float16).tobytes() if self.lead is not None else None

    def keys(self, weights: Weights) -> list[str]:
        """What finds this article's events in the index: its rarest words and its entities."""
        rare = sorted(self.body, key=lambda t: -self.body[t] * weights.idf(t))[:RARE_TERMS]
        return [f"w:{t}" for t in rare] + [f"e:{k}" for kind in ("people", "places", "orgs")
                                            for k in self.entities.get(kind, ())]


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in FUNCTION_WORDS and len(w) > 2]


@functools.lru_cache(maxsize=200_000)
def background(word: str) -> float:
    """The share of documents of the language holding ``word`` (from wordfreq, shipped in the
    package): a pure function of the word, memoised."""
    import wordfreq

    zipf = wordfreq.zipf_frequency(word, "en")
    return min(1.0, 10 ** (zipf - 9) * 500) if zipf > 0 else 1e-6  # per-word frequency x ~500 words a document


def rarity(word: str) -> float:
    """0 for the commonest words, 1 for a word the language hardly knows."""
    return min(1.0, -math.log10(background(word)) / 6)


@dataclass(frozen=True)
class Weights:
    """Inverse document frequencies: the store's counts blended with background ones."""

    df: Mapping[str, int]
    n_docs: int
    memo: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def idf(self, term: str) -> float:
        value = self.memo.get(term)
        if value is None:
            value = math.log((self.n_docs + PRIOR_DOCS + 1)
                             / (self.df.get(term, 0) + PRIOR_DOCS * background(term) + 1)) + 1
            self.memo[term] = value
        return value

    def stale(self, n_docs: int) -> bool:
        """Whether weights for ``n_docs`` documents should replace these: after every new
        document in a small store, after each 1 % more in a big one (the weights move by
        less than that in between, and computing them once saves most of placement's time)."""
        return n_docs > self.n_docs + self.n_docs // 100


def profile_of(article_id: str, title: str | None, text: str, mentions: Iterable[Mention],
               date: str | None, lead: np.ndarray | None = None, published: bool = False) -> Profile:
    """An article's profile; without a title its first line stands for one. People's names
    are left out of the title and body words: they are compared as people, so a prominent
    person named in two stories counts once, not in every feature."""
    title = title or text.split("\n", 1)[0]
    mentions = list(mentions)
    names = {w for m in mentions if m.label == "PERSON" for w in words(m.text)}
    body = Counter(w for w in words(text) if w not in names)
    strongest = dict(sorted(body.items(), key=lambda kv: (-kv[1] / (1 + 50 * background(kv[0])), kv[0]))[:BODY_TERMS])
    entities: dict[str, set[str]] = {kind: set() for kind in ENTITY_TYPES}
    from ..entities import name_key  # imported here: entities imports nothing of clustering

    for m in mentions:
        key = name_key(m.text, m.label)
        if key:
            entities[_TYPES.get(m.label, "others")].add(key)
    years = set(re.findall(r"\b(?:19|20)\d{2}\b", text))
    figures = sorted({f for f in _NUMBER.findall(text) if f not in years})[:50]
    return Profile(article_id, date, dict(Counter(w for w in words(title) if w not in names)), strongest,
                   {k: tuple(sorted(v)) for k, v in entities.items()}, tuple(figures), lead, published)


def estimate_date(published: str | None, dates: Iterable[TimeExpr]) -> tuple[str | None, str | None]:
    """The date clustering uses: published, else estimated from the text (``dates.article_date``)."""
    from ..dates import article_date

    return article_date(published, dates)


def _vector(counts: Mapping[str, int], weights: Weights) -> dict[str, float]:
    vec = {t: (1 + math.log(n)) * weights.idf(t) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _entity_similarity(a: tuple[str, ...], b: tuple[str, ...], weights: Weights) -> float:
    if not a or not b:
        return 0.0
    # Sums in sorted order: the same bits in every process (set order follows the hash seed).
    weight = {k: weights.idf(k.split()[-1]) for k in sorted(set(a) | set(b))}
    shared = sum(weight[k] for k in sorted(set(a) & set(b)))
    return shared / math.sqrt(sum(weight[k] for k in sorted(a)) * sum(weight[k] for k in sorted(b)))


def _days(a: str, b: str) -> float:
    import datetime as dt

    return math.log1p(abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days))


def _date_features(a: Profile, b: Profile) -> list[float]:
    """Gaps in time, each 0 when unknown. Publication days are exact and get features of
    their own (``published_gap``); dates estimated from the text are noisy (a report names
    background years), so their gaps are separate (``year_gap``, ``month_gap``, ``day_gap``).
    The model is constrained to read every gap as evidence *against* one event only
    (``DATE_GAPS``): dates separate events but never join them, since a day holds many."""
    da, db = a.date, b.date
    if not da or not db:
        return [0.0, 0.0, 0.0, 0.0, 0.0]
    if a.published and b.published:
        return [0.0, 0.0, 0.0, _days(da, db), 1.0]
    years = abs(int(da[:4]) - int(db[:4]))
    month_gap = abs((int(da[:4]) * 12 + int(da[5:7])) - (int(db[:4]) * 12 + int(db[5:7]))) \
        if len(da) >= 7 and len(db) >= 7 else 0
    day_gap = _days(da, db) if len(da) >= 10 and len(db) >= 10 else 0.0
    return [float(min(10, years)), float(min(24, month_gap)), day_gap, 0.0, 0.0]


class Compared:
    """A profile with its weighted vectors, computed once for many comparisons."""

    def __init__(self, profile: Profile, weights: Weights):
        self.profile = profile
        self.title = _vector(profile.title, weights)
        self.body = _vector(profile.body, weights)
        self.rare = set(sorted(self.body, key=lambda t: -self.body[t])[:RARE_TERMS])


def pair_features(a: Compared, b: Compared, weights: Weights) -> list[float]:
    pa, pb = a.profile, b.profile
    row = [_cos(a.title, b.title), _cos(a.body, b.body), 0.5 * (_cos(a.title, b.body) + _cos(b.title, a.body))]
    row += [_entity_similarity(pa.entities.get(k, ()), pb.entities.get(k, ()), weights) for k in ENTITY_TYPES]
    # All names together too: the recogniser may call one name a place here, an organisation there.
    row.append(_entity_similarity(tuple(sorted({k for v in pa.entities.values() for k in v})),
                                  tuple(sorted({k for v in pb.entities.values() for k in v})), weights))
    row.append(len(a.rare & b.rare) / max(1, min(len(a.rare), len(b.rare))))
    # The rarest shared word by the language's frequencies alone: the store's counts would
    # make every word of the first articles look rare.
    row.append(max((rarity(t) for t in set(pa.body) & set(pb.body)), default=0.0))
    fa, fb = set(pa.figures), set(pb.figures)
    row.append(len(fa & fb) / max(1, min(len(fa), len(fb))) if fa and fb else 0.0)
    row.append(float(pa.lead @ pb.lead) if pa.lead is not None and pb.lead is not None else 0.0)
    return row + _date_features(pa, pb)


def lead_text(title: str | None, text: str) -> str:
    """What the lead embedding reads: the title and the first line of the body (or the
    first two lines when there is no title)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return " ".join(([title] if title else []) + lines[: 1 if title else 2])[:1000]


def profile_from_analysis(article_id: str, title: str | None, text: str, published: str | None,
                          mentions: Iterable[Mention], dates: Iterable[TimeExpr],
                          lead: np.ndarray | None) -> Profile:
    """A stored article's profile, its date estimated from the text when none is published."""
    date, source = estimate_date(published, dates)
    return profile_of(article_id, title, text, mentions, date, lead, source == "published")
