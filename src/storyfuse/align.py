"""Do two sentences from different outlets state the same thing? A learned decision.

Trained on MRPC (``storyfuse train align``): sentence pairs from clusters of news about the
same events, labelled equivalent or not, where many non-equivalent pairs share most of their
words and differ in a figure, a date, a name or an added claim. The features say how close
the two are (embedding cosine, overlap of words weighted by how rare they are in English, of
word pairs, fuzzy ratios, length) and where they part (figures, names and content words
that only one side has, a negation on one side only). Rarity comes from ``wordfreq``, not
from the training data, so no third-party vocabulary ships and a pair scores the same in a
store of five articles or of a million. Gradient-boosted trees, averaged with a logistic model
over the same features where cross-validation prefers it, probabilities calibrated on
out-of-fold scores. The cosine is MiniLM's (the sentence vectors corroboration computes
anyway to find candidate pairs); the token vectors are static ones distilled from MiniLM with
model2vec (``embed.StaticEncoder``): cross-validated on MRPC, MiniLM's contextual token vectors
decide no better (``storyfuse eval align``), and they would cost a MiniLM pass for every
stored sentence compared again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from .learning import LinearModel, TreeEnsemble
from .lexicon import FUNCTION_WORDS, NUMBER_WORDS

FEATURES = (
    "cosine", "rare_overlap", "rare_cover_min", "rare_cover_max", "word_jaccard", "bigram_jaccard",
    "trigram_cover_min", "token_set_ratio", "token_sort_ratio", "partial_ratio", "log_length_ratio",
    "min_words", "numbers_a", "numbers_b", "numbers_shared", "numbers_only_one", "names_only_a", "names_only_b",
    "names_shared", "content_only_a", "content_only_b", "rare_only_a", "rare_only_b", "rarest_only",
    "negation_differs", "longest_common_words", "first_words_same", "same_order_share",
    # n-gram precision of each side in the other (the shorter's, the longer's), n = 1..4
    "unigram_min", "unigram_max", "bigram_min", "bigram_max", "trigram_min", "trigram_max", "fourgram_min",
    "fourgram_max", "quote_differs", "said_differs", "char_ratio", "weighted_ratio",
    # token vectors (static or MiniLM's) matched greedily across the pair (BERTScore-like)
    "token_p_min", "token_p_max", "token_f", "token_rare_f", "token_rare_min", "token_worst",
    "token_worst3", "tokens_unmatched", "tokens_unmatched_rare", "tokens_weak_share",
)
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTE = re.compile(r"[\"“”]|''|``")
_SAID = re.compile(r"\b(?:said|says|say|told)\b", re.I)
_UNMATCHED = 0.6  # a token whose best match on the other side is below this has no counterpart
_WEAK = 0.75
_NEGATION = frozenset("not n't no never nor none nobody nothing without".split())
_MAX_ZIPF = 8.0


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """How much a shared word says (0 for the commonest words, up to 8 for unseen ones):
    Zipf frequency in English turned around, so no corpus statistics are needed."""
    from wordfreq import zipf_frequency

    return max(0.0, _MAX_ZIPF - zipf_frequency(word, "en"))


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's words and parts, computed once per sentence."""

    words: tuple[str, ...]
    lowered: tuple[str, ...]
    content: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    negated: bool

    @classmethod
    def of(cls, text: str) -> Sentence:
        words = tuple(_WORD.findall(text))
        lowered = tuple(w.lower() for w in words)
        content = frozenset(w for w in lowered if w not in FUNCTION_WORDS and not w.isdigit())
        # A capitalised word after the first is a name or part of one ("Safeway", "June").
        names = frozenset(w.lower() for i, w in enumerate(words) if i > 0 and w[:1].isupper()
                          and w.lower() not in FUNCTION_WORDS)
        numbers = frozenset(_number(m.group(0)) for m in _NUMBER.finditer(text)) | frozenset(
            str(NUMBER_WORDS[w]) for w in lowered if w in NUMBER_WORDS)
        return cls(words, lowered, content, names, numbers, any(w in _NEGATION or w.endswith("n't") for w in lowered))


def _number(raw: str) -> str:
    plain = raw.replace(",", "")
    try:
        return f"{float(plain):g}"
    except ValueError:
        return plain


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _weight(words: frozenset[str] | set[str]) -> float:
    return sum(rarity(w) for w in words)


def _longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Longest run of words the two share in the same order (dynamic programming)."""
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def _same_order_share(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of the shared content words that appear in the same relative order (a
    rewritten sentence keeps the facts in place; a reversed one may swap roles)."""
    shared = [w for w in dict.fromkeys(a) if w in set(b)]
    if len(shared) < 2:
        return 1.0
    position = {w: i for i, w in enumerate(b)}
    ranks = [position[w] for w in shared]
    agree = sum(1 for i in range(len(ranks) - 1) if ranks[i] < ranks[i + 1])
    return agree / (len(ranks) - 1)


@dataclass(frozen=True, slots=True)
class TokenVectors:
    """A sentence's word pieces (lower-cased, no special or punctuation pieces) and their
    L2-normalised vectors, one row each (``embed.StaticEncoder.encode_tokens``, or MiniLM's
    contextual ones from ``embed.SentenceEncoder.encode_tokens``)."""

    pieces: tuple[str, ...]
    vectors: np.ndarray
    sentence: np.ndarray  # the sentence's own vector (the mean of all its pieces, normalised)


def _token_features(a: TokenVectors, b: TokenVectors) -> list[float]:
    if not a.pieces or not b.pieces:
        return [0.0] * 10
    similarity = a.vectors @ b.vectors.T
    best_a, best_b = similarity.max(axis=1), similarity.max(axis=0)
    weight_a = np.array([rarity(p.lstrip("#")) + 0.5 for p in a.pieces])
    weight_b = np.array([rarity(p.lstrip("#")) + 0.5 for p in b.pieces])
    p_a, p_b = float(best_a.mean()), float(best_b.mean())
    rare_a, rare_b = float(best_a @ weight_a / weight_a.sum()), float(best_b @ weight_b / weight_b.sum())
    both, weights = np.concatenate([best_a, best_b]), np.concatenate([weight_a, weight_b])
    ordered = np.sort(both)
    return [min(p_a, p_b), max(p_a, p_b), 2 * p_a * p_b / max(p_a + p_b, 1e-9),
            2 * rare_a * rare_b / max(rare_a + rare_b, 1e-9), min(rare_a, rare_b), float(ordered[0]),
            float(ordered[:3].mean()), float((both < _UNMATCHED).sum()),
            float(((both < _UNMATCHED) * weights).sum()), float((both < _WEAK).mean())]


def _ngram_precisions(a: Sequence[str], b: Sequence[str]) -> list[float]:
    out = []
    for n in (1, 2, 3, 4):
        grams_a = [tuple(a[i:i + n]) for i in range(len(a) - n + 1)]
        grams_b = [tuple(b[i:i + n]) for i in range(len(b) - n + 1)]
        set_a, set_b = set(grams_a), set(grams_b)
        in_b = sum(g in set_b for g in grams_a) / max(1, len(grams_a))
        in_a = sum(g in set_a for g in grams_b) / max(1, len(grams_b))
        out += [min(in_a, in_b), max(in_a, in_b)]
    return out


def pair_features(a_text: str, b_text: str, cosine: float, a_tokens: TokenVectors, b_tokens: TokenVectors,
                  a: Sentence | None = None, b: Sentence | None = None) -> np.ndarray:
    """The features of one pair, in ``FEATURES`` order (symmetric: a/b-specific features
    come in min/max or sorted form where the order would otherwise matter)."""
    a = a or Sentence.of(a_text)
    b = b or Sentence.of(b_text)
    shared = a.content & b.content
    union_weight = _weight(a.content | b.content)
    shared_weight = _weight(shared)
    cover_a = shared_weight / max(_weight(a.content), 1e-9)
    cover_b = shared_weight / max(_weight(b.content), 1e-9)
    only_a, only_b = a.content - b.content, b.content - a.content
    rare_a, rare_b = sorted((_weight(only_a), _weight(only_b)))
    content_a, content_b = sorted((len(only_a), len(only_b)))
    names_a, names_b = sorted((len(a.names - b.names), len(b.names - a.names)))
    numbers_a, numbers_b = sorted((len(a.numbers), len(b.numbers)))
    tri_a, tri_b = _ngrams(a.lowered, 3), _ngrams(b.lowered, 3)
    tri_cover = min(len(tri_a & tri_b) / max(1, len(tri_a)), len(tri_a & tri_b) / max(1, len(tri_b)))
    rarest_only = max((rarity(w) for w in only_a | only_b), default=0.0)
    la, lb = max(1, len(a.words)), max(1, len(b.words))
    values = (
        cosine, shared_weight / max(union_weight, 1e-9), min(cover_a, cover_b), max(cover_a, cover_b),
        _jaccard(set(a.lowered), set(b.lowered)), _jaccard(_ngrams(a.lowered, 2), _ngrams(b.lowered, 2)),
        tri_cover, fuzz.token_set_ratio(a_text, b_text) / 100, fuzz.token_sort_ratio(a_text, b_text) / 100,
        fuzz.partial_ratio(a_text, b_text) / 100, abs(math.log(la / lb)), math.log(min(la, lb)),
        numbers_a, numbers_b, len(a.numbers & b.numbers), len(a.numbers ^ b.numbers), names_a, names_b,
        len(a.names & b.names), content_a, content_b, rare_a, rare_b, rarest_only,
        float(a.negated != b.negated), _longest_common_run(a.lowered, b.lowered) / min(la, lb),
        float(a.lowered[:2] == b.lowered[:2]), _same_order_share(a.lowered, b.lowered),
        *_ngram_precisions(a.lowered, b.lowered),
        float(bool(_QUOTE.search(a_text)) != bool(_QUOTE.search(b_text))),
        float(bool(_SAID.search(a_text)) != bool(_SAID.search(b_text))),
        fuzz.ratio(a_text, b_text) / 100, fuzz.WRatio(a_text, b_text) / 100,
        *_token_features(a_tokens, b_tokens),
    )
    return np.array(values, dtype=np.float64)


class TokenEncoder(Protocol):
    def encode_tokens(self, texts: list[str]) -> list[TokenVectors]: ...


class SentenceVectors(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


DECIMALS = 4  # features are rounded: MiniLM's vectors differ by about 1e-7 between processes,
# enough to move a tree's split; rounded, training differs between runs only in the rare value
# that sits on a rounding boundary


def pair_rows(pairs: Sequence[tuple[str, str]], tokens: TokenEncoder,
              sentences: SentenceVectors | None = None) -> np.ndarray:
    """The feature rows of many sentence pairs, each distinct sentence encoded once: token
    vectors from ``tokens``, the cosine from ``sentences`` (else from the token encoder's own
    sentence vectors)."""
    from .embed import as_stored

    texts = list(dict.fromkeys(t for pair in pairs for t in pair))
    found = dict(zip(texts, tokens.encode_tokens(texts)))
    if sentences is None:
        vectors = {t: found[t].sentence for t in texts}
    else:  # at the precision corroboration reads them from the store
        vectors = dict(zip(texts, as_stored(sentences.encode(texts)))) if texts else {}
    return _rows(pairs, found, [float(vectors[a] @ vectors[b]) for a, b in pairs])


def _rows(pairs: Sequence[tuple[str, str]], tokens: dict[str, TokenVectors], cosines: Sequence[float]) -> np.ndarray:
    parsed = {t: Sentence.of(t) for t in tokens}
    rows = [pair_features(a, b, cosine, tokens[a], tokens[b], parsed[a], parsed[b])
            for (a, b), cosine in zip(pairs, cosines)]
    return np.round(np.vstack(rows), DECIMALS) if rows else np.zeros((0, len(FEATURES)))


@dataclass(frozen=True)
class AlignModel:
    """The pair model: calibrated probability that two sentences state the same thing."""

    trees: TreeEnsemble
    calibration_x: np.ndarray
    calibration_y: np.ndarray
    threshold: float  # equivalent at or above (chosen by cross-validated F1 on MRPC)
    linear: LinearModel | None = None  # averaged with the trees before calibration when set

    @classmethod
    def from_trained(cls, model) -> AlignModel:  # a storyfuse.trained.TrainedModel
        a = model.arrays
        linear = LinearModel.from_arrays(a, "linear_") if "linear_weights" in a else None
        return cls(TreeEnsemble.from_arrays(a), a["calibration_x"], a["calibration_y"],
                   float(model.params["threshold"]), linear)

    def arrays(self) -> dict[str, np.ndarray]:
        out = self.trees.arrays() | {"calibration_x": self.calibration_x, "calibration_y": self.calibration_y}
        return out | (self.linear.arrays("linear_") if self.linear is not None else {})

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The uncalibrated score: the trees' probability, averaged with the logistic one."""
        p = self.trees.probability(rows)
        return p if self.linear is None else (p + self.linear.raw(rows)) / 2

    def probability(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        return np.asarray(np.interp(self.raw(rows), self.calibration_x, self.calibration_y))


class PairJudge:
    """Probabilities that sentence pairs state the same thing, for the corroborate stage: the
    shipped model over static token vectors and MiniLM's sentence cosine. Corroboration passes
    the cosines it computed to find the pairs; for other pairs (a sentence with its figures
    changed, ``conflicts``) the vectors come from ``stored`` (the store's, by text) where it has
    them, else MiniLM embeds the sentences; the last ``kept`` are kept for the run.
    ``static``: the static encoder, or a function that loads it (on the first pair judged)."""

    def __init__(self, model: AlignModel, static: TokenEncoder | Callable[[], TokenEncoder],
                 encoder: SentenceVectors, kept: int = 2000,
                 stored: Callable[[list[str]], dict[str, np.ndarray]] | None = None):
        self.model = model
        self._static = static
        self.encoder = encoder
        self.kept = kept
        self.stored = stored
        self._vectors: dict[str, np.ndarray] = {}

    @property
    def threshold(self) -> float:
        return self.model.threshold

    @property
    def static(self) -> TokenEncoder:
        if callable(self._static):
            self._static = self._static()
        return self._static

    def _cosines(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        from .embed import as_stored

        missing = [t for t in dict.fromkeys(t for pair in pairs for t in pair) if t not in self._vectors]
        if missing and self.stored is not None:
            self._vectors.update(self.stored(missing))
            missing = [t for t in missing if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, as_stored(self.encoder.encode(missing))))
        cosines = [float(self._vectors[a] @ self._vectors[b]) for a, b in pairs]
        while len(self._vectors) > self.kept:  # oldest first out: dicts keep insertion order
            del self._vectors[next(iter(self._vectors))]
        return cosines

    def probabilities(self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float] | None = None) -> np.ndarray:
        """``cosines``: MiniLM's cosine of each pair where the caller has it."""
        if not pairs:
            return np.zeros(0)
        if cosines is not None and len(cosines) != len(pairs):
            raise ValueError(f"{len(cosines)} cosines for {len(pairs)} pairs")
        texts = list(dict.fromkeys(t for pair in pairs for t in pair))
        tokens = dict(zip(texts, self.static.encode_tokens(texts)))
        return self.model.probability(_rows(pairs, tokens, self._cosines(pairs) if cosines is None else cosines))
