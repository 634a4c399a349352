"""Clean mentions: the NER's entity spans cut to the name and given the type the text shows.

spaCy's small model runs spans across line breaks ("Regina Benjamin\\nJul"), onto
punctuation and function words ('called Orozco a "'), onto scores ("Evansville 91-73"), and
through headlines, where every word is capitalised ("Lindsay Lohan Checks Into Rehab",
"Quick Looks - Xi"). These rules cut a span to its name, or drop it when nothing of it is a
name. Hand-written: no library cleans NER spans; each rule is tested on the shape it fixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import Mention

_LEADING = re.compile(r"^(?:(?:the|a|an)\s+|[\s\"'“”‘’(\[\-–—:;,.]+)+", re.I)
_TRAILING = re.compile(
    r"(?:\s+(?:in|on|at|of|the|and|for|to|from|with|by|a|an|as|or|but|is|was|says?|said)"
    r"|\s*[\"“”‘’(\[\-–—:;,.!?]+|\s+\d+\s*[-–]\s*\d+)+$", re.I)
_PLACE_PREPOSITION = re.compile(r"\b(in|at|from|to|near|across|around|outside|inside|into|towards?)\s+$", re.I)
_BASED_IN = re.compile(r"\b(?:based|headquartered|located)\s+in\s+$", re.I)
_PERSON_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Sgt|Lt|Capt|President|Senator|Governor|"
                           r"Minister|Prime Minister|Chancellor|Judge|Justice|Pope|King|Queen|Prince|Princess)\.?\s+$")
_LEGAL_FORM = re.compile(r"\s(?:Inc|Corp|Co|Ltd|LLC|PLC|plc|GmbH|AG|SA|NV|N\.V|S\.A)\.?$")
_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")
# Words that a headline capitalises but a name never holds.
_HEADLINE_WORDS = frozenset("a an the of in on at to for from by with and or but as into onto over after before "
                            "is are was were be been has have had will would can could may says said".split())


def is_headline_case(text: str) -> bool:
    """A line in title case: most of its longer words capitalised, as headlines and menus
    are, unlike running prose where only names are."""
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if len(words) < 3:
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.8 * len(words)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without line breaks, surrounding punctuation, function words or scores."""
    if "\n" in text[start:end]:
        first = text[start:end].split("\n")[0]
        end = start + len(first)
    while True:
        span = text[start:end]
        lead = _LEADING.match(span)
        tail = _TRAILING.search(span)
        if not lead and not tail:
            return start, end
        if lead:
            start += lead.end()
        if tail and end - (len(span) - tail.start()) > start:
            end -= len(span) - tail.start()
        elif tail:
            return start, start


def relabel(text: str, start: int, end: int, label: str) -> str:
    """The type the text shows: a company's legal form, "based in X", a person's title, a
    one-word name after "in" (the small model calls such towns people)."""
    name, before = text[start:end], text[max(0, start - 24):start]
    if _LEGAL_FORM.search(name):
        return "ORG"
    if _BASED_IN.search(before) and label in ("PERSON", "ORG", "NORP"):
        return "GPE"
    if _PERSON_TITLE.search(before) and label in ("ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC"):
        return "PERSON"
    if label == "PERSON" and " " not in name and _PLACE_PREPOSITION.search(before[-12:]):
        return "GPE"
    return label


def _known_inside(name: str, known: Iterable[str]) -> str | None:
    """The longest name from prose found word-aligned inside a headline span."""
    best = None
    for candidate in sorted(known):  # sorted: the same choice whatever the set's order
        if candidate != name and re.search(rf"(?<!\w){re.escape(candidate)}(?!\w)", name):
            if best is None or len(candidate) > len(best):
                best = candidate
    return best


def clean_mentions(text: str, spans: Iterable[tuple[int, int, str]], headline_lines: set[int]) -> list[Mention]:
    """Mentions from raw NER spans (start, end, label). ``headline_lines`` holds the start
    offsets of lines in title case: a span there is kept only where it is a name the prose
    of the article also uses (cut to it), or two words at most."""
    trimmed = []
    for start, end, label in spans:
        start, end = _trim(text, start, end)
        if end <= start or not any(ch.isupper() or ch.isdigit() for ch in text[start:end]):
            continue
        line = text.rfind("\n", 0, start) + 1
        trimmed.append((start, end, relabel(text, start, end, label), line in headline_lines))
    prose = {text[s:e] for s, e, _, headline in trimmed if not headline}
    # A person named in full in the prose is also known by the family name a headline uses,
    # last or, as in Chinese names, first ("Xi" of "Xi Jinping").
    people = [text[s:e].split() for s, e, label, headline in trimmed if not headline and label == "PERSON"]
    prose |= {words[i] for words in people if len(words) > 1 for i in (0, -1) if len(words[i]) >= 2}
    mentions = []
    for start, end, label, headline in trimmed:
        name = text[start:end]
        if headline:
            inner = _known_inside(name, prose)
            if inner is not None:
                offset = re.search(rf"(?<!\w){re.escape(inner)}(?!\w)", name)
                assert offset is not None
                start, end = start + offset.start(), start + offset.end()
            elif name not in prose and (len(name.split()) > 2 or any(w.lower() in _HEADLINE_WORDS
                                                                      for w in name.split())):
                continue  # page furniture or a headline's glue: no name here the prose confirms
        mentions.append(Mention(text[start:end], start, end, label))
    return mentions


def headline_lines(text: str) -> set[int]:
    """Start offsets of the lines in title case (headlines, menus, bylines)."""
    starts, offset = set(), 0
    for line in text.split("\n"):
        if is_headline_case(line):
            starts.add(offset)
        offset += len(line) + 1
    return starts
