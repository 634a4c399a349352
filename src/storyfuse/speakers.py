"""Who said it: a learned ranker over the names near a quote.

The rules in ``quotes`` find a speaker where the attribution has a familiar shape; the
ranker, trained on PolNeAR's training documents (``storyfuse train quotes``), weighs every
person or organisation named within ``BEFORE`` characters before the quote and ``AFTER``
after it, the rules' choice among them, in the spirit of O'Keefe et al. (EMNLP 2012): side
and distance, same sentence and paragraph, names in between, a reporting verb beside the
name, a colon after it ("Name:"), a name inside another quotation, a possessive, how often
the article names it and whether it speaks elsewhere, any verb after the name (an open set),
whether it opens the quote's sentence, its rank by distance on its side, whether it spoke the
quote before. Boosted trees (the features work together: the first name of the quote's
sentence matters when the quote sits inside that sentence). It overrides the rules only by a
margin chosen by cross-validation, and names a speaker the rules found none for only when
sure.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .learning import TreeEnsemble
from .lexicon import REPORTING_VERBS
from .models import Mention, Quote

BEFORE, AFTER = 300, 200
LABELS = ("PERSON", "ORG", "NORP", "GPE")
DENSE = ("after", "log_distance", "same_sentence", "same_paragraph", "log_names_between", "rules_choice",
         "person", "organisation", "place_or_group", "verb_after_name", "verb_before_name", "inside_quotation",
         "colon_after", "possessive", "log_mentions", "speaks_elsewhere", "first_in_sentence",
         "nearest_person_before", "rules_found_none", "pronoun_attribution_antecedent", "right_after_quote",
         "opens_quote_sentence", "before_in_quote_sentence", "open_verb_after_name", "spoke_previous_quote",
         "rank_on_its_side", "nearest_person_after", "log_candidates")
_VERB = re.compile(rf"\b(?:{REPORTING_VERBS})\b", re.I)
# any verb-like word after a name, not only the reporting verbs ("Madigan (D) asserted that")
_OPEN_VERB = re.compile(r"(?:\s*\([^()\n]{1,12}\))?(?:\s*,[^,\n]{3,80},)?\s+(?:[a-z]+ly\s+)?[a-z]{3,}(?:ed|s)\b")
_PRONOUN_SAID = re.compile(rf"^[\s,\"”]*(?:he|she|they)\s+(?:{REPORTING_VERBS})\b", re.I)


def _key(name: str) -> str:
    return name.split()[-1].lower() if name.split() else ""


@dataclass(frozen=True)
class ArticleContext:
    """What every quote's candidates share in one article."""

    text: str
    names: list[Mention]  # candidate mentions, by start
    starts: list[int]
    sentence_starts: list[int]
    quotations: list[tuple[int, int]]  # every quoted span of the article
    mentions_of: Counter
    speaking: Counter  # name keys the rules give quotes to
    said_before: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (end, speaker key) of each attributed direct quote

    @classmethod
    def of(cls, text: str, mentions: tuple[Mention, ...], sentence_starts: list[int], quotes: list[Quote]) -> ArticleContext:
        names = sorted((m for m in mentions if m.label in LABELS), key=lambda m: m.start)
        return cls(text, names, [m.start for m in names], sentence_starts,
                   [part for q in quotes if q.kind == "direct" for part in q.parts()],
                   Counter(_key(m.text) for m in names), Counter(_key(q.speaker) for q in quotes if q.speaker),
                   sorted((q.end, _key(q.speaker)) for q in quotes if q.kind == "direct" and q.speaker))

    def previous_speaker(self, position: int, reach: int = 600) -> str | None:
        """The speaker (key) of the last attributed direct quote ending before ``position``."""
        i = bisect.bisect_left(self.said_before, (position, "")) - 1
        return self.said_before[i][1] if i >= 0 and position - self.said_before[i][0] <= reach else None

    def sentence_of(self, position: int) -> int:
        return bisect.bisect_right(self.sentence_starts, position) - 1


def candidates(context: ArticleContext, quote: Quote) -> list[Mention]:
    """The names near the quote (not inside it), and the rules' choice."""
    lo = bisect.bisect_left(context.starts, quote.start - BEFORE)
    hi = bisect.bisect_right(context.starts, quote.end + AFTER)
    parts = quote.parts()
    found = [m for m in context.names[lo:hi] if not any(a <= m.start < b for a, b in parts)]
    if quote.speaker is not None and quote.speaker_start is not None and not any(
            m.start == quote.speaker_start for m in found):
        found.append(Mention(quote.speaker, quote.speaker_start, quote.speaker_end or quote.speaker_start, "PERSON"))
    return found



def features(context: ArticleContext, quote: Quote, found: list[Mention]) -> np.ndarray:
    """One row per candidate."""
    text = context.text
    rows = np.zeros((len(found), len(DENSE)))
    quote_sentences = {context.sentence_of(quote.start), context.sentence_of(max(quote.start, quote.end - 1))}
    people_before = sorted((m for m in found if m.label == "PERSON" and m.end <= quote.start), key=lambda m: -m.end)
    nearest = people_before[0].start if people_before else None
    pronoun_said = bool(_PRONOUN_SAID.match(text[quote.end:quote.end + 40]))
    previous = context.previous_speaker(quote.start)
    # each candidate's rank by distance among those on its side of the quote (0: nearest)
    before_order = sorted((m.end for m in found if m.start < quote.end), reverse=True)
    after_order = sorted(m.start for m in found if m.start >= quote.end)
    people_after = [m.start for m in found if m.label == "PERSON" and m.start >= quote.end]
    nearest_after = min(people_after) if people_after else None
    for i, m in enumerate(found):
        after = m.start >= quote.end
        gap = (text[quote.end:m.start] if after else text[m.end:quote.start])
        between = sum(1 for o in found if o is not m and (quote.end <= o.start < m.start if after
                                                            else m.end <= o.start < quote.start))
        rule = quote.speaker_start is not None and (m.start == quote.speaker_start or (
            quote.speaker is not None and _key(m.text) == _key(quote.speaker)))
        inside = any(a <= m.start < b for a, b in context.quotations)
        sentence = context.sentence_of(m.start)
        first = bisect.bisect_left(context.starts, context.sentence_starts[sentence]) if sentence >= 0 else 0
        rows[i] = (
            float(after), math.log1p(len(gap)), float(sentence in quote_sentences), float("\n" not in gap),
            math.log1p(between), float(rule), float(m.label == "PERSON"), float(m.label == "ORG"),
            float(m.label in ("GPE", "NORP")), float(bool(_VERB.match(text, m.end + 1, m.end + 25)) or bool(
                re.match(rf"\s*(?:,[^,\n]{{0,60}},\s*)?(?:{REPORTING_VERBS})\b", text[m.end:m.end + 90], re.I))),
            float(bool(_VERB.search(text[max(0, m.start - 25):m.start]))), float(inside),
            float(text[m.end:m.end + 2].lstrip().startswith(":")),
            float(bool(re.match(r"['’]s\b", text[m.end:m.end + 3]))),
            math.log1p(context.mentions_of[_key(m.text)]),
            float(context.speaking[_key(m.text)] > int(rule)), float(first < len(context.names) and
                                                                    context.names[first].start == m.start),
            float(nearest == m.start), float(quote.speaker is None),
            float(pronoun_said and nearest == m.start), float(after and len(gap.strip(" ,\"”'’")) == 0),
            float(not after and sentence in quote_sentences and first < len(context.names)
                  and context.names[first].start == m.start),
            float(not after and sentence in quote_sentences),
            float(bool(_OPEN_VERB.match(text, m.end))),
            float(previous is not None and _key(m.text) == previous),
            float(min(5, after_order.index(m.start) if after else before_order.index(m.end))),
            float(nearest_after == m.start), math.log1p(len(found)),
        )
    return rows


@dataclass(frozen=True)
class SpeakerModel:
    """The trained ranker and its two learned settings: how much more probable than the
    rules' choice a name must be to replace it, and how probable a name must be to be given
    where the rules found none."""

    model: TreeEnsemble
    margin: float
    sure: float

    def choose(self, quote: Quote, context: ArticleContext) -> Quote:
        if quote.kind != "direct":
            return quote
        found = candidates(context, quote)
        if not found:
            return quote
        p = self.model.probability(features(context, quote, found))
        best = int(np.argmax(p))
        rule = next((i for i, m in enumerate(found) if m.start == quote.speaker_start), None)
        if rule is not None and (best == rule or p[best] < p[rule] + self.margin):
            return quote
        if rule is None and p[best] < self.sure:
            return quote
        m = found[best]
        return dataclasses.replace(quote, speaker=m.text, speaker_start=m.start, speaker_end=m.end)

    @classmethod
    def from_trained(cls, model) -> SpeakerModel:
        return cls(TreeEnsemble.from_arrays(model.arrays, "speaker_"), float(model.params["speaker_margin"]),
                   float(model.params["speaker_sure"]))
