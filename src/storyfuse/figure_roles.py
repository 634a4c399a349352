"""What a figure is a count *of*, from spaCy's dependency parse: the word its counted noun
depends on ("injured two people" -> "injure", "a town of about 15,000 people" -> "town") and
who the claim is about (the names in that verb's subject: "Jamaal Charles rushed for 226
yards" -> {jamaal, charles}).

Two figures conflict only when they count the same thing in the same role: "shooting three
co-workers" and "killed two co-workers" count different acts; "Charles rushed for 226 yards"
and "Hillis rushed for 101 yards" different people. The parser costs about as much as NER
and sentences together, so it runs only on the sentences of candidate conflicts (a handful
per event), loaded on first use.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from .slots import DAY_SLOTS, PLACE_SLOT, Figure, counted_noun_end, stem

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Words that pick out which of several counts is meant ("the final two games" are not "four
# games"; "Friday's second semifinal" is not "Saturday's semifinals"): a closed class, like
# the ordinals.
_QUALIFIERS = frozenset({"first", "second", "third", "fourth", "fifth", "last", "final", "next", "remaining",
                         "previous", "other", "additional", "further", "another"})
_YEAR = re.compile(r"(?:19|20)\d\d")
# Parts of speech passed over on the way up from a counted noun to what it is said about.
_PASSED = frozenset({"ADP", "DET", "NUM", "SYM", "PUNCT", "CCONJ", "PART", "SPACE", "X"})


@dataclass(frozen=True, slots=True)
class Role:
    """``governor``: the stemmed lemma the figure's count depends on (None when the parse
    gives none); ``subject``: lower-cased names in the subject of the nearest verb, or the
    capitalised words that qualify a counted noun ("Australian climber");
    ``whole``: the figure is the whole of a part ("10 of the 16 games": the 16);
    ``relation``: the preposition the count hangs from; ``qualifiers``: words that pick out
    which count is meant."""

    governor: str | None
    subject: frozenset[str] = frozenset()
    whole: bool = False
    relation: str | None = None  # the preposition between count and governor: "took Detroit *to* six games"
    qualifiers: frozenset[str] = frozenset()  # "the *final* two games", "Friday's *second* semifinal"
    # a preposition on the counted noun itself and the content words of its object:
    # "three touchdowns *on punt runbacks*" -> ("on", {"punt", "runback"})
    scope: tuple[str, frozenset[str]] | None = None
    # names of the one the act is done to: "signed *DeShawn Wynn* on Tuesday" is not "Joique
    # Bell, who was signed Wednesday"
    object: frozenset[str] = frozenset()

    def same_claim(self, other: Role) -> bool | None:
        """Whether two figures count the same thing for the same subject; None when the
        parse cannot tell (no governor on a side)."""
        if self.whole or other.whole:
            return False
        if self.governor is None or other.governor is None:
            return None
        if self.subject and other.subject and not self.subject & other.subject:
            return False
        if self.object and other.object and not self.object & other.object:
            return False
        if self.scope and other.scope and self.scope[0] == other.scope[0] and not self.scope[1] & other.scope[1]:
            return False  # "touchdowns on punt runbacks" are not "touchdowns on offense"
        return self.governor == other.governor and (self.relation, self.qualifiers) == (other.relation, other.qualifiers)


class RoleCache(Protocol):
    """Roles kept between runs (the store's ``roles``), as ``role_json`` writes them."""

    def get(self, keys: list[str]) -> dict[str, str]: ...

    def save(self, rows: list[tuple[str, str]]) -> None: ...


ROLES_VERSION = 1  # raise it when what ``FigureRoles.role`` reads of a parse changes: kept roles are then unused


def role_key(sentence: str, fig: Figure, parser: str = "") -> str:
    """What a role is kept under: the sentence, where and what the figure is in it, and the
    parser and rules that read it (``parser``)."""
    text = "\x1f".join((parser, sentence, fig.slot, fig.value, fig.text, str(fig.start), str(fig.end), fig.bound))
    return hashlib.sha1(text.encode()).hexdigest()


def role_json(role: Role) -> str:
    return json.dumps([role.governor, sorted(role.subject), role.whole, role.relation, sorted(role.qualifiers),
                       [role.scope[0], sorted(role.scope[1])] if role.scope else None, sorted(role.object)],
                      ensure_ascii=False, separators=(",", ":"))


def role_from_json(text: str) -> Role:
    governor, subject, whole, relation, qualifiers, scope, obj = json.loads(text)
    return Role(governor, frozenset(subject), whole, relation, frozenset(qualifiers),
                (scope[0], frozenset(scope[1])) if scope else None, frozenset(obj))


class FigureRoles:
    """The parser (spaCy's tagger, parser and lemmatizer of the packaged model), loaded on
    first use; parses are kept per sentence. ``kept_in(cache)`` gives one whose roles are
    also kept in ``cache`` (the store), so that a sentence compared again in a later run (a
    fact that grows keeps comparing its figures) is not parsed again."""

    def __init__(self, model: str = "auto", kept: int = 4096):
        self.model = model
        self._nlp: Any = None
        self.parse = lru_cache(maxsize=kept)(self._parse_uncached)  # sentence -> parsed Doc
        self._cache: RoleCache | None = None
        self._known: dict[str, Role] = {}
        self._new: dict[str, Role] = {}
        self._parser = ""

    def kept_in(self, cache: RoleCache) -> FigureRoles:
        """These roles, kept in ``cache`` too: the parser and its parses are shared."""
        other = copy.copy(self)
        other._cache, other._known, other._new = cache, {}, {}
        other._parser = self.parser_name()
        return other

    def parser_name(self) -> str:
        """The model and version that parse, and the version of these rules: roles kept by
        another model or older rules are not used."""
        import importlib

        from .nlp import resolve_model_name

        name = resolve_model_name(self.model)
        return f"{ROLES_VERSION}:{name}:{getattr(importlib.import_module(name), '__version__', '')}"

    def flush(self) -> None:
        """Write the roles found since the last flush into the cache."""
        if self._cache is not None and self._new:
            self._cache.save([(k, role_json(r)) for k, r in self._new.items()])
            self._known.update(self._new)
            self._new = {}

    def role(self, sentence: str, fig: Figure) -> Role:
        if self._cache is None:
            return self._role(sentence, fig)
        key = role_key(sentence, fig, self._parser)
        found = self._known.get(key) or self._new.get(key)
        if found is None:
            stored = self._cache.get([key]).get(key)
            if stored is not None:
                found = self._known[key] = role_from_json(stored)
            else:
                found = self._new[key] = self._role(sentence, fig)
        return found

    def _parse_uncached(self, sentence: str) -> Doc:
        if self._nlp is None:
            import importlib

            from .nlp import resolve_model_name

            module = importlib.import_module(resolve_model_name(self.model))
            self._nlp = module.load(exclude=["ner", "senter"])  # tok2vec, tagger, parser, lemmatizer
        return self._nlp(sentence)

    def _role(self, sentence: str, fig: Figure) -> Role:
        # square brackets hold an editor's words ("As it promised [Tuesday], ..."), read as
        # the words themselves; a space in their place keeps every offset
        doc = self.parse(sentence.replace("[", " ").replace("]", " "))
        end = counted_noun_end(sentence, fig)
        inside = [t for t in doc if t.idx < end and t.idx + len(t) > fig.start]
        if not inside:
            return Role(None)
        top = next((t for t in inside if not fig.start <= t.head.idx < end or t.head.i == t.i), inside[-1])
        if top.dep_ in ("nummod", "compound", "quantmod") and top.head.pos_ == "NOUN" and top.head.i != top.i:
            # the noun counted, written past the words the slot took ("three assault rifles"):
            # the figure's own noun, not what it is said about
            top = top.head
        counted = top
        while top.dep_ == "conj" and top.head.i != top.i:
            top = top.head  # an item of a list ("six rifles, 12 magazines") counts for what the list does
        governor: Token | None = top.head if top.head.i != top.i else None
        # the preposition the counted noun is the object of ("to six games"; not "200 metres
        # down a gully"); a day's or a place's relation is in its slot ("on Monday" and
        # "Monday" date alike)
        prep = governor is not None and top.dep_ == "pobj" and governor.pos_ == "ADP"
        own = not fig.slot.startswith(DAY_SLOTS + (PLACE_SLOT,))
        relation = governor.lower_ if prep and governor is not None and own else None
        while governor is not None and (governor.pos_ in _PASSED or fig.start <= governor.idx < end):
            if governor.lower_ == "of" and governor.head.pos_ == "NUM":
                return Role(None, whole=True)  # "10 of the 16 games"
            governor = governor.head if governor.head.i != governor.i else None
        if governor is None:
            return Role(None)
        qualifiers = frozenset(c.lower_ for t in (counted, governor) for c in t.children
                               if c.dep_ in ("amod", "advmod", "det") and c.lower_ in _QUALIFIERS)
        # a year said of the counted thing ("the final four games of the 2007 season") dates it
        qualifiers |= {t.text for t in counted.subtree if _YEAR.fullmatch(t.text)}
        return Role(stem(governor.lemma_.lower()), _subject(governor, fig.start, end), relation=relation,
                    qualifiers=qualifiers, scope=_scope(counted) if own else None,
                    object=_object(governor, fig.start, end))


_CONTENT = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})


def _scope(counted: Token) -> tuple[str, frozenset[str]] | None:
    """The preposition right after the counted noun ("six touchdowns *on offense*", whether
    the parse hangs it from the noun or the verb), or else the first one hanging from the
    noun, with the content words of its object. Not a preposition after the verb: "injured in
    the riots" and "in the violence" scope one act in other words."""
    doc = counted.doc
    after = doc[counted.i + 1] if counted.i + 1 < len(doc) else None
    preps = [after] if after is not None and after.dep_ == "prep" else []
    preps += [c for c in counted.children if c.dep_ == "prep" and c.i > counted.i]
    for prep in preps[:1]:
        words = frozenset(stem(t.lemma_.lower()) for t in prep.subtree if t.pos_ in _CONTENT)
        return (prep.lower_, words) if words else None
    return None


_RELATIVE = frozenset({"who", "whom", "which", "that"})


def _object(governor: Token, start: int, end: int) -> frozenset[str]:
    """The names of the direct object (or passive subject) of ``governor`` when it is a verb;
    a relative pronoun stands for the name the clause is about ("Bell, who was signed")."""
    if governor.pos_ not in ("VERB", "AUX"):
        return frozenset()
    names: set[str] = set()
    for child in governor.children:
        if child.dep_ not in ("dobj", "nsubjpass") or start <= child.idx < end:
            continue
        who = governor.head if child.lower_ in _RELATIVE and governor.dep_ == "relcl" else child
        names |= {t.lower_ for t in (who, *who.children)
                  if t.pos_ == "PROPN" and (t is who or t.dep_ in ("compound", "flat"))}
    return frozenset(names)


def _subject(governor: Token, start: int, end: int) -> frozenset[str]:
    """Names in the subject of the nearest verb at or above ``governor`` (or the name the
    figure describes: "36-year-old Duncan Rait")."""
    verb = governor
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    names = set()
    if governor.pos_ == "PROPN":
        names |= {t.lower_ for t in governor.subtree if t.pos_ == "PROPN"}
    elif governor.pos_ == "NOUN":  # "a 36-year-old Australian climber": who, if not named
        names |= {c.lower_ for c in governor.children
                  if c.dep_ in ("amod", "compound") and c.text[:1].isupper() and c.i > 0 and not start <= c.idx < end}
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            names |= {t.lower_ for t in child.subtree if t.pos_ == "PROPN" and not start <= t.idx < end}
    return frozenset(names)
