"""Claim units: the claims a sentence makes, where it makes several.

"The council approved the line and allocated €420 million to it" states two things that
outlets report separately; "Paso Robles, a town of about 30,000 people, was hit hardest"
gives the town's size beside the quake. Facts are built from claims, so that each part finds
its own support and one sentence can back several facts. The split follows spaCy's
dependency parse (the parser of ``figure_roles``): coordinated clauses, a "while"/"whereas"
clause, a clause after a semicolon, and a figure in an apposition or a relative clause set
off by commas. The parser costs about as much as NER and sentences together, so it runs only
on sentences with a cue that they may hold several claims (``may_hold_several``: about a
fifth of news sentences). Sentences with quotation marks stay whole: quotes stay quotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .slots import figures

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MIN_WORDS = 4  # a claim shorter than this is a fragment, not a claim: the sentence stays whole

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CUE = re.compile(
    r";|, (?:and|but|while|whereas)\b|\b(?:while|whereas)\b"
    r"|\band (?:he|she|it|they|we|police|officials)\b|\band (?:\w+ )?\w+ed\b"
    # not "and <verb>ing" alone: on ECB+ it let 159 sentences through for 34 splits, most of
    # them a participle torn from its clause ("He is fleeing and eluding police")
    r"|\band (?:will|would|has|have|had|was|were|is|are|then|also)\b"
    r"|, (?:which|who)\b[^,]*\d"
    # a figure set off by commas in words ("a town of about 30,000 people"), not an age, a
    # year, a date or a clock time (on ECB+ those split nothing)
    rf"|, (?!{_MONTH} )(?![^,]*(?:\d:\d\d|[ap]\.m\.|\bage[sd]?\b|-year-old|\b(?:19|20)\d\d\b))"
    rf"(?=[^,]*[a-z]{{3}})[^,]{{0,40}}\d[^,]{{0,30}},"
)
_QUOTE = re.compile(r"[\"“”«»]|``|''")  # `` and '' open and close quotes in PTB-tokenised text
_CLAUSE_VERBS = frozenset({"VERB", "AUX"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_JOINERS = frozenset({"PUNCT", "CCONJ"})


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of a sentence: its words (in sentence order) and where they start and end
    in the sentence."""

    text: str
    start: int
    end: int


def may_hold_several(sentence: str) -> bool:
    """A cheap test, before any parse: could the sentence state several claims?"""
    return not _QUOTE.search(sentence) and bool(_CUE.search(sentence))


class ClaimSplitter:
    """Splits sentences into claims with a parse function (sentence -> spaCy Doc with a
    dependency parse), called only on the sentences ``may_hold_several`` lets through."""

    def __init__(self, parse: Callable[[str], Doc]):
        self.parse = parse

    def claims(self, sentence: str) -> list[Claim]:
        whole = [Claim(sentence, 0, len(sentence))]
        if not may_hold_several(sentence):
            return whole
        return split_claims(self.parse(sentence)) or whole


def split_claims(doc: Doc) -> list[Claim]:
    """The claims of a parsed sentence, the main one first; [] when it states one claim (or
    a part would be a fragment)."""
    pivots = [t for t in doc if _pivot_kind(t)]
    # Only the outermost pivots: a clause inside a split-off clause stays with it.
    pivots = [t for t in pivots if not any(a in pivots for a in t.ancestors)]
    if not pivots:
        return []
    # A pivot whose claim would be a fragment ("Duncan Rait, 36") stays in the main claim.
    parts = {t.i: _part(doc, t) for t in pivots}
    pivots = [t for t in pivots if parts[t.i] is not None]
    dropped = {i for t in pivots for i in {w.i for w in t.subtree} | _joiners_around(doc, t)}
    main = _claim(doc, {t.i for t in doc} - dropped)
    if not pivots or main is None or not any(doc[i].pos_ in _CLAUSE_VERBS for i in set(range(len(doc))) - dropped):
        return []
    return [main] + [c for t in pivots if (c := parts[t.i]) is not None]


def _part(doc: Doc, t: Token) -> Claim | None:
    """The claim split off at ``t``: a clause loses its joining word ("and", "while") and
    keeps what it shares with the first clause; a figure keeps the comma that sets it off."""
    kind = _pivot_kind(t)
    tokens = {w.i for w in t.subtree} | _shared(doc, t, kind)
    if kind == "clause":
        tokens -= _joiners_around(doc, t)
    return _claim(doc, tokens)


def _pivot_kind(t: Token) -> str:
    """Why ``t`` heads a claim of its own: "clause" (a coordinated, contrasted or semicolon
    clause), "figure" (an apposition or comma-set relative clause holding a figure), or ""."""
    head = t.head
    if head.i == t.i:
        return ""
    if t.dep_ == "conj" and t.pos_ in _CLAUSE_VERBS and head.pos_ in _CLAUSE_VERBS:
        return "clause" if _has_subject(t) or _has_subject(head) else ""
    if t.pos_ in _CLAUSE_VERBS and _has_subject(t) and ";" in (_before(t).text, _after(t).text):
        return "clause"
    if t.dep_ == "advcl" and _has_subject(t) and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas")
                                                     for c in t.children):
        return "clause"
    set_off = _before(t).text in (",", "-", "–", "—")
    if t.dep_ in ("appos", "relcl") and set_off and figures(_words(t)) and not t.left_edge.like_num \
            and not _in_list(t):
        # a count ("a town of about 30,000 people"), not a time, a year or an item of a list
        return "figure"
    return ""


def _in_list(t: Token) -> bool:
    """Whether an apposition is an item of a list the parser read as appositions ("seven
    rifles, three machine guns, a launcher with two rockets, a GPS set"): its noun is an item
    or has other appositions, or it has items of its own."""
    if t.dep_ != "appos":
        return False
    head = t.head
    return (head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children)
            or sum(c.dep_ == "appos" for c in head.children) > 1
            or any(w.dep_ in ("conj", "appos") for w in t.subtree if w.i != t.i))


def _words(t: Token) -> str:
    return t.doc[t.left_edge.i:t.right_edge.i + 1].text


def _before(t: Token) -> Token:
    first = t.left_edge
    return first.doc[first.i - 1] if first.i > 0 else first


def _after(t: Token) -> Token:
    last = t.right_edge
    return last.doc[last.i + 1] if last.i + 1 < len(last.doc) else last


def _has_subject(t: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in t.children)


def _shared(doc: Doc, t: Token, kind: str) -> set[int]:
    """Words of the sentence a split-off claim keeps: for a coordinated verb without a
    subject of its own, the subject (and auxiliaries) it shares with the first verb, and the
    frame around both ("Police said ..."); for a figure, the noun phrase it describes."""
    head = t.head
    if kind == "figure":
        return {head.i, _before(t).i} | {w.i for c in head.lefts for w in c.subtree}
    # the frame around the first clause ("Police said ...") goes with the second too
    shared = {w.i for w in doc if w.i not in {x.i for x in head.subtree}}
    if t.dep_ != "conj":
        return shared if t.dep_ == "advcl" else set()
    # a verb with auxiliaries of its own, a copula ("and are due to open") or a finite verb
    # ("was signed in 2023 and expired in the spring") takes none of the first's
    own_aux = t.pos_ == "AUX" or t.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass")
                                                                     for c in t.children)
    if not _has_subject(t):
        for c in head.children:
            if c.dep_ in _SUBJECTS or (not own_aux and c.dep_ in ("aux", "auxpass", "neg") and c.i < head.i):
                shared |= {w.i for w in c.subtree}
    return shared


def _joiners_around(doc: Doc, t: Token) -> set[int]:
    """The commas, dashes, semicolons and conjunctions that set off ``t``'s words: they go
    with the split."""
    out = set()
    i = t.left_edge.i - 1
    while i >= 0 and doc[i].pos_ in _JOINERS and doc[i].lower_ not in ("(", "["):
        out.add(i)
        i -= 1
    j = t.right_edge.i + 1
    if t.dep_ in ("appos", "relcl"):
        while j < len(doc) and doc[j].text in (",", "-", "–", "—"):
            out.add(j)
            j += 1
    for c in t.children:
        if c.dep_ in ("cc", "mark") and c.i < t.i and c.lower_ in ("and", "but", "while", "whereas", "yet", "so"):
            out.add(c.i)
    return out


def _claim(doc: Doc, tokens: set[int]) -> Claim | None:
    """The claim the words ``tokens`` make, as text that reads as a sentence; None when it
    is a fragment."""
    words = sorted(tokens)
    while words and doc[words[0]].pos_ in _JOINERS:
        words.pop(0)
    while words and doc[words[-1]].pos_ in _JOINERS and doc[words[-1]].text not in (".", "!", "?", ")"):
        words.pop()
    if sum(1 for i in words if doc[i].is_alpha) < MIN_WORDS:
        return None
    text = ""
    for n, i in enumerate(words):
        tok = doc[i]
        nxt = words[n + 1] if n + 1 < len(words) else None
        text += tok.text + (tok.whitespace_ if nxt == i + 1 or nxt is None else " ")
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text).strip()
    text = re.sub(r",(\s*,)+", ",", text)
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?" and doc[len(doc) - 1].text in (".", "!", "?"):
        text = text.rstrip(",;: ") + doc[len(doc) - 1].text
    return Claim(text, doc[words[0]].idx, doc[words[-1]].idx + len(doc[words[-1]]))
