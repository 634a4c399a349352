"""Quotes: who said what, in one article.

Direct quotes are the words between quotation marks (straight or curly, paired within a
paragraph); their speaker is the named mention next to a reporting verb after the quote
(``"...," said Anna Kovač.``) or before it (``Kovač said: "..."``); a pronoun
(``"...," she said``) takes the nearest person named before the quote, and an unattributed
quote that follows an attributed one in the same or next paragraph continues it.
Indirect quotes are sentences of the shape ``X said (that) ...``, ``..., X said`` and
``According to X, ...``.

Hand-written because no maintained library does quote attribution on top of spaCy NER
without the dependency parser (which would halve throughput).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .models import Mention, Quote, Sentence

REPORTING_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|noted|warned|insisted|argued|"
    "wrote|writes|asked|replied|declared|announced|continued|recalled|acknowledged|admitted|"
    "claimed|urged|tweeted|posted|remarked|confirmed|conceded|cautioned|stressed|emphasised|"
    "emphasized|predicted|promised|vowed|pledged|observed|responded|maintained"
)
_VERB = re.compile(rf"\b(?:{REPORTING_VERBS})\b|\baccording to\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|they)\s+(?:" + REPORTING_VERBS + r")\b", re.I)
_NAME = r"((?:[A-Z][\w'’\-]+)(?:\s+[A-Z][\w'’\-]+){0,2})"
_NAME_AFTER = re.compile(rf"^[\s,\"”]*(?:{REPORTING_VERBS})\s+{_NAME}")
_NAME_BEFORE_VERB = re.compile(rf"^[\s,\"”]*{_NAME}\s+(?:{REPORTING_VERBS})\b")
_MIN_QUOTE_WORDS = 3
_AFTER_WINDOW = 140  # characters after a quote searched for its attribution
_BEFORE_WINDOW = 160
_CONTINUATION_GAP = 400  # an unattributed quote this close after an attributed one continues it
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")

# After a speaker: "said", "told reporters", "said on Tuesday", then an optional "that".
_INDIRECT_AFTER = re.compile(
    rf"(?:also |later |previously |has |had |have )?"
    rf"(?:(?:told|tells)\s+(?:reporters|journalists|the \w+|\w+)|(?:{REPORTING_VERBS}))"
    r"(?:\s+(?:on|in|at|last|this|earlier|late)\s+\w+(?:\s+\w+)?)?"
    r"\s*(?:,\s*)?(?:that\s+)?",
    re.I,
)
_INDIRECT_TAIL = re.compile(rf",\s*(?:{REPORTING_VERBS})?\s*$|,\s*$", re.I)
_ACCORDING = re.compile(r"^according to\s+", re.I)


def find_quotes(text: str, sentences: tuple[Sentence, ...], mentions: tuple[Mention, ...]) -> tuple[Quote, ...]:
    speakers = sorted((m for m in mentions if m.label in SPEAKER_LABELS), key=lambda m: m.start)
    direct = _direct_quotes(text, speakers)
    covered = [(q.start - 1, q.end + 1) for q in direct]
    indirect = _indirect_quotes(text, sentences, speakers, covered)
    return tuple(sorted(direct + indirect, key=lambda q: q.start))


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks, per paragraph."""
    spans = [(m.start(1), m.end(1)) for m in re.finditer(r"“([^”\n]+)”", text)]
    offset = 0
    for paragraph in text.split("\n"):
        marks = [offset + i for i, ch in enumerate(paragraph) if ch == '"']
        spans.extend((a + 1, b) for a, b in zip(marks[::2], marks[1::2]))
        offset += len(paragraph) + 1
    return sorted(spans)


def _direct_quotes(text: str, speakers: list[Mention]) -> list[Quote]:
    quotes: list[Quote] = []
    previous: Quote | None = None
    for start, end in _quote_spans(text):
        inner = text[start:end]
        # Trim spaces and the comma that closes a quote before its attribution ("...," she said).
        start += len(inner) - len(inner.lstrip())
        inner = inner.strip().rstrip(",")
        end = start + len(inner)
        if len(inner.split()) < _MIN_QUOTE_WORDS:
            continue  # scare quotes and titles, not speech
        speaker = _attribute(text, start, end, speakers)
        if speaker is None and previous is not None and previous.speaker and start - previous.end < _CONTINUATION_GAP:
            if not _VERB.search(text[previous.end:start]) or text.count("\n", previous.end, start) <= 2:
                speaker = Mention(previous.speaker, previous.speaker_start or 0, previous.speaker_end or 0, "PERSON")
        quote = Quote(
            text=inner, start=start, end=end, kind="direct",
            speaker=speaker.text if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
        )
        quotes.append(quote)
        previous = quote
    return quotes


def _attribute(text: str, start: int, end: int, speakers: list[Mention]) -> Mention | None:
    """The speaker of the quote at start..end, or None."""
    close = end + 1 if end < len(text) and text[end] in "\"”," else end
    after_end = min(len(text), close + _AFTER_WINDOW)
    newline = text.find("\n", close)
    if newline != -1:
        after_end = min(after_end, newline)
    next_quote = min((i for i in (text.find('"', close + 1), text.find("“", close + 1)) if i != -1), default=-1)
    if next_quote != -1:
        after_end = min(after_end, next_quote)
    after = text[close:after_end]
    # The sentence after the quote ends at the first full stop outside abbreviations.
    stop = re.search(r"[.!?](\s|$)", after)
    if stop:
        after = after[: stop.end()]
        after_end = close + len(after)
    verb = _VERB.search(after)
    if verb:
        verb_at = close + verb.start()
        candidates = [m for m in speakers if close <= m.start < after_end]
        if candidates:
            return min(candidates, key=lambda m: (m.label != "PERSON", abs(m.start - verb_at)))
        if _PRONOUN.search(after):
            return _nearest_person_before(text, speakers, start)
        named = _NAME_AFTER.match(after) or _NAME_BEFORE_VERB.match(after)
        if named:  # a name the NER missed, right next to the verb ("...," Petrakis said.)
            return Mention(named.group(1), close + named.start(1), close + named.end(1), "PERSON")
    before_start = max(0, start - 1 - _BEFORE_WINDOW)
    line_start = text.rfind("\n", 0, start) + 1
    before_start = max(before_start, line_start)
    before = text[before_start:start - 1]
    colon = re.search(rf"(?:\b(?:{REPORTING_VERBS})\b[^.!?\"“”]*?)[:,]\s*$", before, re.I)
    if colon:
        verb_at = before_start + colon.start()
        candidates = [m for m in speakers if before_start <= m.start and m.end <= start and m.end <= verb_at + 40]
        if candidates:
            return min(candidates, key=lambda m: (m.label != "PERSON", abs(verb_at - m.end)))
        if re.search(r"\b(he|she|they)\b", before[max(0, colon.start() - 12): colon.start() + 1], re.I):
            return _nearest_person_before(text, speakers, before_start + colon.start())
    return None


def _nearest_person_before(text: str, speakers: list[Mention], position: int) -> Mention | None:
    """The person a pronoun ("she said") points back to: the most recent person named before
    it. Possessives ("Eastbrook's vote") are not antecedents."""
    for m in reversed(speakers):
        if m.end > position or m.label != "PERSON":
            continue
        if position - m.end > 1500:
            return None
        if not re.match(r"['’]s\b", text[m.end:m.end + 3]):
            return m
    return None


def _indirect_quotes(
    text: str, sentences: tuple[Sentence, ...], speakers: list[Mention], covered: list[tuple[int, int]]
) -> list[Quote]:
    quotes = []
    starts = [m.start for m in speakers]
    for sent in sentences:
        if any(a < sent.end and sent.start < b for a, b in covered):
            continue
        body = text[sent.start:sent.end]
        if not _VERB.search(body):
            continue
        found = _indirect_in(text, sent, speakers[bisect_right(starts, sent.start - 1):])
        if found:
            quotes.append(found)
    return quotes


def _indirect_in(text: str, sent: Sentence, speakers: list[Mention]) -> Quote | None:
    inside = [m for m in speakers if m.end <= sent.end]
    body_end = sent.end - 1 if text[sent.end - 1] in ".!?" else sent.end
    for m in inside:
        # "According to X, CLAUSE."
        lead = text[sent.start:m.start]
        if _ACCORDING.match(lead) and text[m.end:m.end + 1] == ",":
            return _indirect(text, m, m.end + 1, body_end)
        # "X said (that) CLAUSE."
        tail = _INDIRECT_AFTER.match(text, m.end + 1, body_end) if text[m.end:m.end + 1] == " " else None
        if tail and tail.end() - m.end > 3 and m.start - sent.start < 60 and body_end - tail.end() > 15:
            return _indirect(text, m, tail.end(), body_end)
        # "CLAUSE, X said." / "CLAUSE, said X."
        rest = text[m.end:body_end].strip()
        before = text[sent.start:m.start]
        if re.fullmatch(rf"(?:{REPORTING_VERBS})(?:\s+\w+){{0,3}}", rest, re.I) and before.rstrip().endswith(","):
            return _indirect(text, m, sent.start, sent.start + len(before.rstrip().rstrip(",")))
        if not rest and _INDIRECT_TAIL.search(before) and re.search(rf"\b(?:{REPORTING_VERBS})\s*$", before, re.I):
            clause_end = before.rstrip().rfind(",")
            if clause_end > 15:
                return _indirect(text, m, sent.start, sent.start + clause_end)
    return None


def _indirect(text: str, speaker: Mention, start: int, end: int) -> Quote | None:
    clause = text[start:end]
    start += len(clause) - len(clause.lstrip())
    clause = clause.strip()
    if len(clause.split()) < 4:
        return None
    return Quote(
        text=clause, start=start, end=start + len(clause), kind="indirect", speaker=speaker.text,
        speaker_start=speaker.start, speaker_end=speaker.end,
    )
