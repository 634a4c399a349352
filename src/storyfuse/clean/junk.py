"""Page junk, learned: a line classifier for text that arrives already extracted (text files,
JSON Lines, feed content) and as a second pass over the main text of an HTML page.

Each line of a document is described by features that need no tagger and carry across
languages (English and German at least): its length, its share of function words and of
capitalised words, how it ends, second-person and imperative words, links, handles and
dates, where it sits in the document and how far from the end, where it sits against the
body of the article (the densest run of prose), the lines around it, and whether it repeats
in the document. A hashed bag of its words adds what the words themselves say. For a line
of an HTML page, what its place in the page says joins in (``clean.blocks.DOM_FEATURES``:
the share of it in links, its tag, its ancestors, the class names around it): boosted trees
for each shape give each line a probability of being junk.

The model is trained by ``storyfuse train junk`` (``storyfuse.trainers.junk``) on the
trafilatura-eval pages, and shipped as arrays (``trained/junk.npz``).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from ..learning import LinearModel, TreeEnsemble
from ..trained import TrainedModel
from .blocks import DOM_FEATURES
from .text import is_junk_line  # the hand-written list storyfuse had: now one feature among the others

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "pt")  # function words of these count as such
_WORD = re.compile(r"\w+", re.UNICODE)
# Words that address the reader or tell them what to do: page furniture speaks this way, news
# reports rarely do. A feature, not a rule.
SECOND_PERSON = frozenset("""you your yours du dich dir dein deine euch euer vous votre vos tu te ton ta tes
usted ustedes tus""".split())
IMPERATIVE = frozenset("""click share follow subscribe sign register login log read continue comment reply
download join watch listen tweet pin print email send save like see view more klicken teilen folgen
abonnieren anmelden registrieren einloggen lesen weiterlesen kommentieren antworten herunterladen drucken
senden speichern mehr melden partager suivre lire commenter compartir seguir leer suscribir udostępnij
czytaj""".split())
_URL = re.compile(r"https?://|www\.|\.(?:com|de|org|net|co\.uk|at|ch)\b", re.I)
_HANDLE = re.compile(r"(?:^|\s)[@#]\w+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_DATE = re.compile(
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)\w*\.?\s+\d{4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2},?\s+\d{4}\b", re.I)
_SEPARATORS = re.compile(r"[|•·»«>›/]")
_PROSE_END = '.!?"”“»…:'
HASHED_FEATURES = 2**14
MIN_LINES = 3  # fewer lines are not a page with furniture around an article
_HASHER = HashingVectorizer(n_features=HASHED_FEATURES, alternate_sign=False, norm="l2", lowercase=True,
                            token_pattern=r"(?u)\b\w\w+\b")

FEATURES = (
    "log_chars", "log_words", "function_words", "capitalised", "ends_sentence", "ends_colon", "ends_ellipsis",
    "ends_quote", "second_person", "imperative", "starts_imperative", "url", "handle", "email", "date",
    "separators", "digits", "copyright", "position", "from_end", "log_position", "log_from_end", "in_body",
    "before_body", "after_body", "body_share", "around_length", "around_short", "repeats", "starts_upper",
    "all_upper", "prose_before", "prose_after", "prose_nearer", "prose_2", "prose_5", "prose_10", "pattern_list",
    "words_score",
    *DOM_FEATURES,
)
WORDS_SCORE = FEATURES.index("words_score")
TEXT_FEATURES = WORDS_SCORE + 1  # the features every line has; the page features follow


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """The most frequent words of the languages above (wordfreq's lists ship in the package:
    nothing is downloaded). Loaded once; the set never changes."""
    import wordfreq

    return frozenset(w for lang in LANGUAGES for w in wordfreq.top_n_list(lang, 150))


def prose_score(line: str) -> float:
    """How much a line looks like a paragraph of an article: long and ending its sentence."""
    words = len(line.split())
    if not words:
        return -1.0
    if words >= 12 and line.rstrip()[-1:] in _PROSE_END:
        return 1.0
    return 0.3 if words >= 25 else -1.0


def body_span(scores: Sequence[float]) -> tuple[int, int]:
    """The run of lines with the largest total score (the article's body): first and last
    index, (0, -1) for no lines."""
    best, start, first, last, running = -math.inf, 0, 0, -1, 0.0
    for i, s in enumerate(scores):
        if running <= 0:
            running, start = s, i
        else:
            running += s
        if running > best:
            best, first, last = running, start, i
    return first, last


def line_features(lines: Sequence[str], dom: Sequence[Sequence[float]] | None = None) -> np.ndarray:
    """One row of ``FEATURES`` per line (``words_score`` left for the model to fill); the
    page features are missing (NaN) without ``dom``."""
    n = len(lines)
    if not n:
        return np.zeros((0, len(FEATURES)))
    stop = function_words()
    prose = np.array([prose_score(line) for line in lines])
    first, last = body_span(prose.tolist())
    lengths = [len(line) for line in lines]
    keys = [" ".join(line.lower().split()) for line in lines]
    repeats = Counter(keys)
    mass = np.array([len(line) if s > 0 else 0 for line, s in zip(lines, prose)], dtype=float)
    total = mass.sum() or 1.0
    cumulative = np.cumsum(mass)
    before, after = (cumulative - mass) / total, (total - cumulative) / total
    rows = []
    for i, line in enumerate(lines):
        tokens = [t.lower() for t in _WORD.findall(line)]
        count = max(1, len(tokens))
        words = line.split()
        end = line.rstrip()[-1:]
        around = lengths[max(0, i - 3):i] + lengths[i + 1:i + 4]
        windows = [float(prose[max(0, i - w):i + w + 1].mean()) for w in (2, 5, 10)]
        rows.append([
            math.log1p(len(line)), math.log1p(len(words)), sum(t in stop for t in tokens) / count,
            sum(1 for w in words[1:] if w[:1].isupper()) / max(1, len(words) - 1),
            float(end in ".!?"), float(end == ":"), float(line.rstrip().endswith(("…", "..."))), float(end in "\"”“»«"),
            sum(t in SECOND_PERSON for t in tokens) / count, sum(t in IMPERATIVE for t in tokens) / count,
            float(bool(tokens) and tokens[0] in IMPERATIVE), float(bool(_URL.search(line))),
            float(bool(_HANDLE.search(line))), float(bool(_EMAIL.search(line))), float(bool(_DATE.search(line))),
            len(_SEPARATORS.findall(line)) / max(1, len(line)) * 10, sum(c.isdigit() for c in line) / max(1, len(line)),
            float("©" in line or "(c)" in line.lower()),
            i / n, (n - 1 - i) / n, math.log1p(i), math.log1p(n - 1 - i),
            float(first <= i <= last), math.log1p(max(0, first - i)), math.log1p(max(0, i - last)),
            (last - first + 1) / n,
            float(np.mean([math.log1p(x) for x in around])) if around else 0.0,
            float(np.mean([x < 40 for x in around])) if around else 0.0,
            math.log1p(repeats[keys[i]] - 1), float(line[:1].isupper()), float(line.isupper() and len(line) > 3),
            before[i], after[i], min(before[i], after[i]), *windows, float(is_junk_line(line)), 0.0,
        ])
    page = np.asarray(dom, dtype=np.float64) if dom is not None else np.full((n, len(DOM_FEATURES)), np.nan)
    return np.c_[np.array(rows, dtype=np.float64), page]


def hashed_words(lines: Sequence[str]) -> Any:
    """The words of each line, hashed (no vocabulary is kept)."""
    return _HASHER.transform(list(lines))


@dataclass(frozen=True)
class JunkModel:
    words: LinearModel  # hashed words -> junk (the "words_score" feature)
    text_trees: TreeEnsemble  # the text features -> junk
    page_trees: TreeEnsemble  # all FEATURES -> junk, for the lines of an HTML page
    text: tuple[float, float]  # thresholds for saved text: before or after the body, and inside it
    page: tuple[float, float]  # the same for the lines of an HTML page
    extraction: float = 1.01  # a line of a page's main text goes above this (1.01: never)

    @classmethod
    def from_trained(cls, model: TrainedModel) -> JunkModel:
        a, params = model.arrays, model.params
        words = LinearModel(a["words_weights"], float(a["words_bias"][0]), np.zeros(1), np.ones(1))
        text, page = params["text"], params["page"]
        return cls(words, TreeEnsemble.from_arrays(a, "text_"), TreeEnsemble.from_arrays(a, "page_"),
                   (float(text[0]), float(text[1])), (float(page[0]), float(page[1])),
                   float(params.get("extraction", 1.01)))

    def words_score(self, lines: Sequence[str]) -> np.ndarray:
        z = np.asarray(hashed_words(lines) @ self.words.weights).ravel() + self.words.bias
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))

    def probabilities(self, lines: Sequence[str], dom: Sequence[Sequence[float]] | None = None) -> np.ndarray:
        """The probability that each line is page junk (``dom``: the page features of each
        line of an HTML page, from ``clean.blocks.page_blocks``)."""
        if not lines:
            return np.zeros(0)
        x = line_features(lines, dom)
        x[:, WORDS_SCORE] = self.words_score(lines)
        return self.text_trees.probability(x[:, :TEXT_FEATURES]) if dom is None else self.page_trees.probability(x)

    def junk(self, lines: Sequence[str], dom: Sequence[Sequence[float]] | None = None) -> list[bool]:
        """Which lines are junk: lines between the first and the last paragraph of the body
        need the stronger evidence, so that subheadings and list items survive. A text of a
        line or two is not a page: nothing in it is judged junk."""
        if len(lines) < MIN_LINES:
            return [False] * len(lines)
        verdict = decide(lines, self.probabilities(lines, dom), *(self.text if dom is None else self.page))
        # The phrases of the hand-written list are furniture wherever a line is only that: on
        # its own the list is 96 % precise (storyfuse eval junk), and it names the English
        # phrases a cautious model leaves inside an article ("Advertisement").
        return [v or is_junk_line(line) for v, line in zip(verdict, lines)]


# Lines that open the block of page furniture after an article: a comment form, a newsletter
# box, a list of related stories. Kept as a list because what it decides is not one line but
# everything after it, which the line model cannot see; it acts only where the model agrees.
_TAIL_OPENER = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|(?:\d+\s+)?(?:comments?|responses?|replies)\b|join the discussion"
    r"|related(?: articles| stories| posts| news| content)?\b|(?:you (?:may|might) )?also (?:like|read)\b"
    r"|more (?:stories|news|from|on this)\b|read more\b|recommended\b|most (?:read|popular)\b"
    r"|(?:sign up|subscribe)\b.*newsletter|newsletter\b"
    r"|(?:\d+\s+)?kommentare?\b|(?:schreibe|hinterlasse)\w* (?:einen )?kommentar|ähnliche (?:artikel|beiträge)"
    r"|das könnte sie (?:auch )?interessieren|weitere (?:artikel|beiträge|themen|nachrichten|meldungen)\b"
    r"|mehr zum thema|lesen sie auch|auch interessant|verwandte (?:artikel|beiträge|themen)"
    r"|commentaires?\b|comentarios?\b|articles? (?:similaires|liés)|noticias relacionadas)", re.I)


def decide(lines: Sequence[str], p: np.ndarray, outside: float, inside: float) -> list[bool]:
    """Junk or not for each line, from its probability: a line between the first and the
    last body paragraph needs ``inside``, one before or after them ``outside``; and from a
    line that opens the furniture after the article, when the model agrees (most of what
    follows is junk to it, and no paragraph after it is article text to it), everything to
    the end goes as one block."""
    body = [i for i, q in enumerate(p) if q < 0.5 and prose_score(lines[i]) > 0]
    # Without a body paragraph (a text of a sentence or two) every line needs the stronger evidence.
    first, last = (body[0], body[-1]) if body else (0, len(lines) - 1)
    verdict = [bool(q >= (inside if first <= i <= last else outside)) for i, q in enumerate(p)]
    for i in range(first + 1, len(lines)):
        if (_TAIL_OPENER.match(lines[i]) and len(lines[i].split()) <= 8 and p[i] >= 0.5 and p[i:].mean() >= 0.5
                and all(p[j] >= 0.5 for j in range(i, len(lines)) if prose_score(lines[j]) > 0)):
            verdict[i:] = [True] * (len(lines) - i)
            break
    return verdict
