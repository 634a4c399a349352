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
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
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


@functools.lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """0 for the commonest words, 1 for a word the language hardly knows."""
    return min(1.0, -math.log10(background(word)) / 6)


class _Lexicon(dict[str, int]):
    """Numbers for terms, and values of each term (an IDF, a rarity) computed once, when the
    term is first seen: a batch of profiles then reads its values as arrays."""

    def __init__(self, *value_of: Callable[[str], float]):
        super().__init__()
        self.terms: list[str] = []
        self.value_of = value_of
        self.columns = [np.zeros(1024) for _ in value_of]

    def __missing__(self, term: str) -> int:
        self[term] = number = len(self.terms)
        self.terms.append(term)
        return number

    def lookup(self, terms: Iterable[str], count: int) -> np.ndarray:
        known = len(self.terms)
        ids = np.fromiter(map(self.__getitem__, terms), dtype=np.int64, count=count)
        if len(self.terms) > known:
            new = self.terms[known:]
            for k, f in enumerate(self.value_of):
                if len(self.terms) > len(self.columns[k]):
                    self.columns[k] = np.concatenate([self.columns[k], np.zeros(max(len(self.terms), len(self.columns[k])))])
                self.columns[k][known:len(self.terms)] = np.fromiter(map(f, new), dtype=np.float64, count=len(new))
        return ids


@dataclass(frozen=True)
class Weights:
    """Inverse document frequencies: the store's counts blended with background ones."""

    df: Mapping[str, int]
    n_docs: int
    memo: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    words: _Lexicon = field(init=False, compare=False, repr=False)
    names: _Lexicon = field(init=False, compare=False, repr=False)
    figures: _Lexicon = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Numbers for words (IDF, rarity), names (IDF of the last word) and figures, stable
        # for the life of these weights: vectors compared under them share one numbering.
        object.__setattr__(self, "words", _Lexicon(self.idf, rarity))
        object.__setattr__(self, "names", _Lexicon(lambda name: self.idf(name.rsplit(" ", 1)[-1])))
        object.__setattr__(self, "figures", _Lexicon())

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


def _date_parts(date: str | None) -> tuple[float, float, float]:
    """Year, month count and day ordinal of a date (NaN where it is not that precise)."""
    import datetime as dt

    if not date:
        return math.nan, math.nan, math.nan
    year = float(date[:4])
    month = year * 12 + int(date[5:7]) if len(date) >= 7 else math.nan
    day = float(dt.date.fromisoformat(date[:10]).toordinal()) if len(date) >= 10 else math.nan
    return year, month, day


class _Sparse:
    """A sparse vector over the weights' vocabulary: sorted term ids and their values."""

    __slots__ = ("ids", "values")

    def __init__(self, ids: np.ndarray, values: np.ndarray):
        self.ids, self.values = ids, values


def _split(ids: np.ndarray, rows: np.ndarray, n: int, *values: np.ndarray) -> list[tuple[_Sparse, ...]]:
    """Per row of a batch, the row's entries sorted by term id: one ``_Sparse`` per array of values."""
    order = np.lexsort((ids, rows))
    ends = np.cumsum(np.bincount(rows, minlength=n)).tolist()
    spans = list(zip([0] + ends[:-1], ends))
    ids = ids[order]
    parts = [v[order] for v in values]
    return [tuple(_Sparse(ids[a:b], v[a:b]) for v in parts) for a, b in spans]


def _rows(lengths: Sequence[int]) -> np.ndarray:
    return np.repeat(np.arange(len(lengths)), lengths)


def _tfidf(counts: Sequence[Mapping[str, int]], weights: Weights) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every row's word ids (flat), rows, raw TF-IDF weights and unit-normalised ones."""
    lengths = [len(c) for c in counts]
    total = sum(lengths)
    ids = weights.words.lookup(itertools.chain.from_iterable(counts), total)
    rows = _rows(lengths)
    tf = np.fromiter(itertools.chain.from_iterable(c.values() for c in counts), dtype=np.float64, count=total)
    raw = (1 + np.log(tf)) * weights.words.columns[0][ids]
    norm = np.sqrt(np.bincount(rows, raw * raw, minlength=len(counts)))
    return ids, rows, raw, raw / np.where(norm > 0, norm, 1.0)[rows]


KINDS = len(ENTITY_TYPES) + 1  # names by type, then all names together


def _names(profiles: Sequence[Profile], weights: Weights) -> list[_Sparse]:
    """Each profile's names of every kind in one vector, numbered ``name id x KINDS + kind``
    (a name matches only the same name of the same kind), each kind weighted by the rarity of
    the names' last words and normalised apart: as unit vectors of square roots, so that the
    cosine of two is their shared weight over the root of the product of their weights."""
    keys = [row for p in profiles for row in
            [p.entities.get(k, ()) for k in ENTITY_TYPES] + [sorted(set().union(*p.entities.values()))]]
    lengths = [len(row) for row in keys]
    groups = _rows(lengths)  # profile x KINDS + kind
    ids = weights.names.lookup(itertools.chain.from_iterable(keys), sum(lengths)) * KINDS + groups % KINDS
    weight = weights.names.columns[0][ids // KINDS]
    total = np.sqrt(np.bincount(groups, weight, minlength=len(keys)))
    values = np.sqrt(weight) / np.where(total > 0, total, 1.0)[groups]
    return [v for (v,) in _split(ids, groups // KINDS, len(profiles), values)]


class Compared:
    """A profile as arrays under some weights, computed once for many comparisons
    (``compare_many`` computes many at once, far faster than one by one)."""

    profile: Profile
    title: _Sparse
    body: _Sparse
    rarity: np.ndarray  # of the body's words, in the order of ``body.ids``
    rare: _Sparse  # the body's most distinctive words
    names: _Sparse  # by ENTITY_TYPES, then all names together (see ``_names``)
    figures: _Sparse
    date: tuple[float, float, float, float]  # year, month count, day ordinal, published

    def __init__(self, profile: Profile, weights: Weights):
        vars(self).update(vars(compare_many([profile], weights)[0]))


def compare_many(profiles: Sequence[Profile], weights: Weights) -> list[Compared]:
    """The profiles as arrays, in one vectorised pass: placement compares each article with
    a few hundred members, most of them read for the first time."""
    n = len(profiles)
    ids, rows, _, values = _tfidf([p.title for p in profiles], weights)
    titles = _split(ids, rows, n, values)
    ids, rows, raw, values = _tfidf([p.body for p in profiles], weights)
    bodies = _split(ids, rows, n, values, weights.words.columns[1][ids])
    # The most distinctive words of each body: the strongest, ties broken by the profile's
    # own order of words (deterministic: ``profile_of`` sorts them).
    starts = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))[:-1])).astype(np.int64)
    order = np.lexsort((np.arange(len(ids)), -raw, rows))
    top = order[(np.arange(len(order)) - starts[rows[order]]) < RARE_TERMS]
    rare = _split(ids[top], rows[top], n, np.ones(len(top)))
    names = _names(profiles, weights)
    figures = [set(p.figures) for p in profiles]
    lengths = [len(row) for row in figures]
    numbers = _split(weights.figures.lookup(itertools.chain.from_iterable(figures), sum(lengths)), _rows(lengths), n,
                     np.ones(sum(lengths)))
    out = []
    for i, p in enumerate(profiles):
        c = object.__new__(Compared)
        c.profile, c.title, (c.body, body_rarity), c.rare = p, titles[i][0], bodies[i], rare[i][0]
        c.rarity = body_rarity.values
        c.names = names[i]
        c.figures = numbers[i][0]
        c.date = (*_date_parts(p.date), 1.0 if p.published else 0.0)
        out.append(c)
    return out


class _Batch:
    """Many ``Compared`` concatenated, one kind of vector at a time."""

    def __init__(self, vectors: Sequence[_Sparse]):
        self.ids = np.concatenate([v.ids for v in vectors]) if vectors else np.zeros(0, dtype=np.int64)
        self.values = np.concatenate([v.values for v in vectors]) if vectors else np.zeros(0)
        self.rows = np.repeat(np.arange(len(vectors)), [len(v.ids) for v in vectors])
        self.sizes = np.array([len(v.ids) for v in vectors], dtype=np.float64)

    def hits(self, v: _Sparse) -> tuple[np.ndarray, np.ndarray]:
        """Where the batch's entries hold a term of ``v``, and that term's index in ``v``."""
        if not len(v.ids) or not len(self.ids):
            return np.zeros(len(self.ids), dtype=bool), np.zeros(len(self.ids), dtype=np.int64)
        at = np.minimum(np.searchsorted(v.ids, self.ids), len(v.ids) - 1)
        return v.ids[at] == self.ids, at

    def dot(self, v: _Sparse, n: int) -> np.ndarray:
        hit, at = self.hits(v)
        return np.bincount(self.rows[hit], weights=self.values[hit] * v.values[at[hit]], minlength=n)


def pair_features_many(a: Compared, others: Sequence[Compared]) -> np.ndarray:
    """The features of ``a`` against each of ``others`` (one row each): vectorised over the
    batch, so that an article is compared with a few hundred members in about a millisecond."""
    n = len(others)
    out = np.zeros((n, len(FEATURES)))
    if not n:
        return out
    title, body = _Batch([o.title for o in others]), _Batch([o.body for o in others])
    out[:, 0] = title.dot(a.title, n)
    out[:, 1] = body.dot(a.body, n)
    out[:, 2] = 0.5 * (body.dot(a.title, n) + title.dot(a.body, n))
    names = _Batch([o.names for o in others])
    hit, at = names.hits(a.names)
    out[:, 3:3 + KINDS] = np.bincount(names.rows[hit] * KINDS + names.ids[hit] % KINDS,
                                      names.values[hit] * a.names.values[at[hit]], minlength=n * KINDS).reshape(n, KINDS)
    rare = _Batch([o.rare for o in others])
    out[:, 8] = rare.dot(a.rare, n) / np.maximum(1.0, np.minimum(rare.sizes, len(a.rare.ids)))
    # The rarest shared word by the language's frequencies alone: the store's counts would
    # make every word of the first articles look rare.
    hit, _ = body.hits(a.body)
    shared = np.zeros(n)
    np.maximum.at(shared, body.rows[hit], np.concatenate([o.rarity for o in others])[hit] if hit.any() else 0.0)
    out[:, 9] = shared
    figures = _Batch([o.figures for o in others])
    both = (figures.sizes > 0) & (len(a.figures.ids) > 0)
    out[:, 10] = np.where(both, figures.dot(a.figures, n) / np.maximum(1.0, np.minimum(figures.sizes, len(a.figures.ids))), 0.0)
    if a.profile.lead is not None:
        leads = [(i, o.profile.lead) for i, o in enumerate(others) if o.profile.lead is not None]
        if leads:
            out[[i for i, _ in leads], 11] = np.stack([v for _, v in leads]) @ a.profile.lead
    out[:, 12:] = _date_features(a.date, np.array([o.date for o in others]).reshape(n, 4))
    return out


def _date_features(a: tuple[float, float, float, float], others: np.ndarray) -> np.ndarray:
    """Gaps in time, each 0 when unknown. Publication days are exact and get features of
    their own (``published_gap``); dates estimated from the text are noisy (a report names
    background years), so their gaps are separate (``year_gap``, ``month_gap``, ``day_gap``).
    The model is constrained to read every gap as evidence *against* one event only
    (``DATE_GAPS``): dates separate events but never join them, since a day holds many."""
    out = np.zeros((len(others), 5))
    year, month, day, published = a
    if math.isnan(year):
        return out
    known = ~np.isnan(others[:, 0])
    both_published = known & (published == 1.0) & (others[:, 3] == 1.0)
    estimated = known & ~both_published
    with np.errstate(invalid="ignore"):
        days = np.log1p(np.abs(others[:, 2] - day))
        out[:, 0] = np.where(estimated, np.minimum(10, np.abs(others[:, 0] - year)), 0.0)
        out[:, 1] = np.where(estimated & ~np.isnan(others[:, 1]) & (not math.isnan(month)),
                             np.minimum(24, np.abs(others[:, 1] - month)), 0.0)
        out[:, 2] = np.where(estimated & ~np.isnan(days), days, 0.0)
        out[:, 3] = np.where(both_published & ~np.isnan(days), days, 0.0)
    out[:, 4] = both_published.astype(np.float64)
    return out


def pair_features(a: Compared, b: Compared) -> list[float]:
    """The features of one pair (``pair_features_many`` for many)."""
    return [float(x) for x in pair_features_many(a, [b])[0]]


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
