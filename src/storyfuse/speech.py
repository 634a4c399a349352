"""Is a quotation speech? A learned decision over the quote's form and its surroundings.

Quotation marks also hold titles of works, nicknames, terms and scare-quoted phrases ("the
so-called 'nuclear option'", a show called "The Marvelous Mrs Maisel"). A logistic model,
trained on PolNeAR's training documents (``storyfuse train quotes``), tells speech from the
rest by the quote's form (length, capitalised words, function words, first and second
person, closing punctuation, several segments) and where it sits (attributed by the rules,
a reporting verb or a colon beside it, alone in its paragraph, in a headline), plus the
words just before and after it and its first and last words, hashed (no vocabulary from the
data is shipped).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .learning import LinearModel, hashed_column
from .lexicon import REPORTING_VERBS
from .mentions import is_headline_case
from .models import Quote

HASHED = 1024
DENSE = ("log_words", "segments", "attributed", "closing_punctuation", "starts_upper", "capitalised_share",
         "function_share", "first_second_person", "verb_after", "verb_before", "colon_before",
         "starts_paragraph", "ends_paragraph", "headline_line", "digit_share", "log_paragraph_words_outside",
         "first_paragraph")
_VERB = re.compile(rf"\b(?:{REPORTING_VERBS})\b|\baccording to\b", re.I)
_WORDS = re.compile(r"[^\W_][\w'’-]*")
_PERSONAL = frozenset("i me my mine we us our ours you your yours".split())
_REACH = 80  # characters beside a quote searched for a reporting verb


def _function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_FUNCTION = _function_words()


def _bucket(feature: str) -> int:
    return len(DENSE) + hashed_column(feature, HASHED)


def features(text: str, quote: Quote) -> np.ndarray:
    """The quote's feature vector (dense features first, then the hashed words)."""
    vector = np.zeros(len(DENSE) + HASHED, dtype=np.float64)
    inner = quote.text
    words = _WORDS.findall(inner)
    lowered = [w.lower() for w in words]
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:max(line_start, quote.start - 1)]
    after = text[min(line_end, quote.end + 1):line_end]
    outside = len(_WORDS.findall(before)) + len(_WORDS.findall(after))
    tail = text[quote.end:quote.end + 2]
    n = max(1, len(words))
    dense = (
        math.log1p(len(words)),
        float(len(quote.parts()) > 1),
        float(quote.speaker is not None),
        float(bool(re.search(r"[.!?,]$", inner)) or tail[:1] in ".!?,"),
        float(inner[:1].isupper()),
        sum(1 for w in words if w[:1].isupper()) / n,
        sum(1 for w in lowered if w in _FUNCTION) / n,
        float(any(w in _PERSONAL for w in lowered)),
        float(bool(_VERB.search(after[:_REACH]))),
        float(bool(_VERB.search(before[-_REACH:]))),
        float(before.rstrip(" \"“").endswith(":")),
        float(not before.strip(" \"“'‘")),
        float(not after.strip(" \"”'’.,!?")),
        float(is_headline_case(text[line_start:line_end])),
        sum(1 for w in words if any(ch.isdigit() for ch in w)) / n,
        math.log1p(outside),
        float(line_start == 0 or not text[:line_start].strip()),
    )
    vector[:len(DENSE)] = dense
    context = [f"b1:{w}" for w in _WORDS.findall(before.lower())[-1:]] + \
              [f"b2:{w}" for w in _WORDS.findall(before.lower())[-2:-1]] + \
              [f"a1:{w}" for w in _WORDS.findall(after.lower())[:1]] + \
              [f"a2:{w}" for w in _WORDS.findall(after.lower())[1:2]] + \
              ([f"q0:{lowered[0]}", f"qn:{lowered[-1]}"] if lowered else [])
    for feature in context:
        vector[_bucket(feature)] = 1.0
    return vector


@dataclass(frozen=True)
class SpeechModel:
    """The trained decision: a calibrated probability that a quotation is speech, and the
    threshold chosen by cross-validation below which a direct quote is dropped."""

    model: LinearModel
    threshold: float

    def probabilities(self, text: str, quotes: list[Quote]) -> np.ndarray:
        if not quotes:
            return np.zeros(0)
        return self.model.probability(np.vstack([features(text, q) for q in quotes]))

    def keep(self, text: str, quotes: list[Quote]) -> list[Quote]:
        """The direct quotes that are speech (indirect ones are kept: a reporting verb made them)."""
        direct = [q for q in quotes if q.kind == "direct"]
        speech = {id(q) for q, p in zip(direct, self.probabilities(text, direct)) if p >= self.threshold}
        return [q for q in quotes if q.kind != "direct" or id(q) in speech]

    @classmethod
    def from_trained(cls, model) -> SpeechModel:
        return cls(LinearModel.from_arrays(model.arrays), float(model.params["threshold"]))
