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

import dataclasses
import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from .components import Component, MapEnv, Work, analysing
from .lexicon import REPORTING_VERBS
from .mentions import is_headline_case
from .models import Mention, Quote, Sentence
from .nlp import SentenceIndex
from .speakers import ArticleContext

if TYPE_CHECKING:
    from .speakers import SpeakerModel
    from .speech import SpeechModel

_VERB = re.compile(rf"\b(?:{REPORTING_VERBS})\b|\baccording to\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|they)\s+(?:" + REPORTING_VERBS + r")\b", re.I)
_NAME = r"((?:[A-Z][\w'’\-]+)(?:\s+[A-Z][\w'’\-]+){0,2})"
_NAME_AFTER = re.compile(rf"^[\s,\"”]*(?:{REPORTING_VERBS})\s+{_NAME}")
_NAME_BEFORE_VERB = re.compile(rf"^[\s,\"”]*{_NAME}\s+(?:{REPORTING_VERBS})\b")
_DASH_NAME = re.compile(r"[\"”]?\s*[―—–]\s*((?:[A-Z][\w'’\-]+)(?:\s+[A-Z][\w'’.\-]+){0,3})")
_PRONOUN_BEFORE_VERB = re.compile(rf"^[\s,\"”]*(?:he|she|they)\s+(?:{REPORTING_VERBS})\b", re.I)
_OPEN_VERB_AFTER = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]{3,}(?:ed|s)\b")  # "retaliated", "quipped", "adds"
_SPEAKER_REACH = 12  # characters between a reporting verb and its speaker ("said on Tuesday Anna" is too far)
_SUBJECT_REACH = 100  # characters from a sentence start within which its subject is named
_MIN_QUOTE_WORDS = 3
_ATTRIBUTION_WORDS = 8  # words of a sentence that only attributes the quote before it ('Trump said.')
_AFTER_WINDOW = 140  # characters after a quote searched for its attribution
_BEFORE_WINDOW = 160
_CONTINUATION_GAP = 400  # an unattributed quote this close after an attributed one continues it
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")

# After a speaker: "said", "told reporters", "said on Tuesday", then an optional "that".
_INDIRECT_AFTER = re.compile(
    rf"(?:also |later |previously |has |had |have )?"
    rf"(?:(?:told|tells)\s+(?:reporters|journalists|the \w+|\w+)|(?:{REPORTING_VERBS}))"
    r"(?:\s+(?:yesterday|today|tonight|again|also|repeatedly|(?:on|in|at|last|this|earlier|late)\s+\w+(?:\s+\w+)?))?"
    r"\s*(?:,\s*)?(?:(?:adding|saying|noting|explaining|stressing|warning)\s+)?(?:that\s+)?",
    re.I,
)
_INDIRECT_TAIL = re.compile(rf",\s*(?:{REPORTING_VERBS})?\s*$|,\s*$", re.I)
_ACCORDING = re.compile(r"^according to\s+", re.I)


def find_quotes(text: str, sentences: tuple[Sentence, ...], mentions: tuple[Mention, ...],
                speech: SpeechModel | None = None, ranker: SpeakerModel | None = None) -> tuple[Quote, ...]:
    """The article's quotes. With ``speech`` (the trained model), a quotation that is not
    speech (a title, a term, a scare-quoted phrase) is left out; with ``ranker``, each direct
    quote's speaker is chosen by the trained ranker among the names near it."""
    spans = _quote_spans(text)
    # a name inside quotation marks is what was said, not who said it: a later "he said"
    # does not point back to it
    speakers = sorted((m for m in mentions if m.label in SPEAKER_LABELS and not _inside(m, spans)),
                      key=lambda m: m.start)
    index = SentenceIndex(sentences)
    direct = _join_segments(text, _direct_quotes(text, speakers, index, spans), index)
    # A quotation of a word or two is a term, a title or a scare quote unless it sits in a
    # reported clause ('Carr said the convention was the "perfect opportunity" to …'): then it
    # is the speaker's words, with the clause's speaker, and does not hide the clause, which
    # says more. (Kept wherever the rules attribute it, such quotes raised the direct-quote
    # F1 on PolNeAR's training documents from 0.87 to 0.90 but their speakers are right only
    # about 72 % of the time, against 97 % inside a reported clause.)
    short = [q for q in direct if len(q.text.split()) < _MIN_QUOTE_WORDS]
    direct = [q for q in direct if len(q.text.split()) >= _MIN_QUOTE_WORDS]
    covered = [(q.start - 1, q.end + 1) for q in direct]
    indirect = _indirect_quotes(text, sentences, speakers, covered)
    for q in short:
        holder = next((i for i in indirect if i.start <= q.start and q.end <= i.end), None)
        if holder is not None:
            direct.append(dataclasses.replace(q, speaker=holder.speaker, speaker_start=holder.speaker_start,
                                              speaker_end=holder.speaker_end))
    direct.sort(key=lambda q: q.start)
    found_by_rules = direct + indirect
    if speech is not None:
        direct = speech.keep(text, direct)
    # what the model learned of titles is thin (PolNeAR has few); the form says it plainly
    # (on its training documents: F1 0.8716 -> 0.8717 with this rule)
    direct = [q for q in direct if not _a_title(q)]
    if ranker is not None and direct:
        context = ArticleContext.of(text, mentions, [s.start for s in sentences], found_by_rules)
        direct = [ranker.choose(q, context) for q in direct]
    return tuple(sorted(direct + indirect, key=lambda q: q.start))


def _a_title(q: Quote) -> bool:
    """An unattributed quotation in title case without a sentence's closing punctuation: the
    title of a work or a slogan ("The Marvelous Mrs Maisel Returns Home"), not speech."""
    return q.speaker is None and is_headline_case(q.text) and not q.text.rstrip("\"”’'").endswith((".", "!", "?"))


def _quotes(work: Work, env: MapEnv) -> Work:
    assert work.article is not None and work.nlp is not None
    return dataclasses.replace(work, quotes=find_quotes(work.article.text, work.nlp.sentences, work.nlp.mentions,
                                                        env.models.speech, env.models.speakers))


COMPONENT = Component("quotes", requires=("article", "nlp"), sets=("quotes",), apply=analysing(_quotes))


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks, per paragraph."""
    spans = [(m.start(1), m.end(1)) for m in re.finditer(r"“([^”\n]+)”", text)]
    offset = 0
    for paragraph in text.split("\n"):
        marks = [offset + i for i, ch in enumerate(paragraph) if ch == '"']
        spans.extend((a + 1, b) for a, b in zip(marks[::2], marks[1::2]))
        offset += len(paragraph) + 1
    return sorted(spans)


def _inside(m: Mention, spans: list[tuple[int, int]]) -> bool:
    """Whether a mention lies within one of the (sorted) quoted spans."""
    i = bisect_right(spans, (m.start, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= m.start and m.end <= spans[i][1]


def _direct_quotes(text: str, speakers: list[Mention], sentences: SentenceIndex,
                   spans: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    previous: Quote | None = None
    for start, end in spans:
        inner = text[start:end]
        # Trim spaces and the comma that closes a quote before its attribution ("...," she said).
        start += len(inner) - len(inner.lstrip())
        inner = inner.strip().rstrip(",")
        end = start + len(inner)
        speaker = _attribute(text, start, end, speakers, sentences)
        if speaker is None and previous is not None and previous.speaker and start - previous.end < _CONTINUATION_GAP:
            between = text[previous.end:start]
            verbs = list(_VERB.finditer(between))
            # The only reporting verb between them may be the previous quote's own attribution.
            own = (previous.speaker_start is not None and previous.end <= previous.speaker_start < start) or bool(
                _PRONOUN_BEFORE_VERB.match(between))
            if between.count("\n") <= 2 and (not verbs or (len(verbs) == 1 and own)):
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


_INTERRUPTION = 120  # characters of attribution between two segments of one quotation


def _join_segments(text: str, quotes: list[Quote], sentences: SentenceIndex) -> list[Quote]:
    """A quotation interrupted by its attribution is one quote ("A," she said. "B"): a quote
    joins the one before it when only a short attribution of the same speaker lies between
    them, in the same paragraph. The joined quote spans all of it; its text is the segments'
    words joined by single spaces."""
    out: list[Quote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if prev is not None and _interrupts(text, prev, q, sentences):
            parts = prev.parts() + q.parts()
            # the speaker is the first part's, or the one the attribution between them names
            who = prev if prev.speaker is not None else q
            out[-1] = dataclasses.replace(prev, text=" ".join(text[a:b] for a, b in parts), end=q.end,
                                          segments=parts, speaker=who.speaker, speaker_start=who.speaker_start,
                                          speaker_end=who.speaker_end)
        else:
            out.append(q)
    return out


# Between two quotes, an attribution that ends its sentence before the second opens a new one
# ('"A," Trump said. "B"', '"A?" asked the moderator. "B"'): PolNeAR's annotators take both
# as one attribution (on its training documents, 997 such pairs are one quotation and 72 two).
_ATTRIBUTION_SENTENCE = re.compile(r"[.:]\s*[\"“]?\s*$")
_ATTRIBUTION_REACH = 200  # characters of such an attribution sentence
_NAME_WORDS = 4  # a piece this short is the rest of an attribution the sentence splitter cut ("Dick Durbin (D-Ill.).")


def _other_sentence_between(text: str, start: int, end: int, sentences: SentenceIndex) -> bool:
    """Whether the NLP stage's sentences show another sentence between two quotes: one lying
    wholly between them that is not the first quote's attribution ('"A," said Dole. Ferrante
    nodded. "B"'), or one that starts between them and holds the second quote inside it."""
    opens = sentences.start_at(end)  # the second quote's sentence
    if start < opens and text[opens:end].strip(" \"“‘'"):
        return True  # the second quote sits inside a sentence of its own ('He said his father had "…', 'He added: "…')
    for a, b in sentences.within(start, end):
        # the attribution itself, split from the first quote ('"A?" / Quill asked. / "B"'),
        # or the rest of it ("Dick Durbin (D-Ill.).") is no other sentence
        attribution = not text[start:a].strip(" ,.!?\"”’'") and bool(_VERB.search(text[a:b]))
        if not attribution and len(text[a:b].split()) > _NAME_WORDS:
            return True
    return False


def _interrupts(text: str, prev: Quote, q: Quote, sentences: SentenceIndex) -> bool:
    between = text[prev.end:q.start]
    if "\n" in between or _other_sentence_between(text, prev.end, q.start, sentences):
        return False
    if len(between) <= _ATTRIBUTION_REACH and _ATTRIBUTION_SENTENCE.search(between) and _VERB.search(between) \
            and (q.speaker_start is None or q.speaker_start < q.start):
        return True  # the second quote is not attributed after itself: the attribution between is its own
    if len(between) > _INTERRUPTION or prev.speaker is None:
        return False
    if not between.startswith(","):  # the first part's sentence goes on ("A," she said, "B"); "A." ends it
        return False
    if q.speaker is not None and q.speaker != prev.speaker and q.speaker_start != prev.speaker_start:
        return False
    # The attribution between them: the speaker named there, or a pronoun and a reporting verb.
    named_here = prev.speaker_start is not None and prev.end <= prev.speaker_start < q.start
    return bool(_VERB.search(between)) and (named_here or bool(_PRONOUN.search(between)))


def _attribute(text: str, start: int, end: int, speakers: list[Mention], sentences: SentenceIndex) -> Mention | None:
    """The speaker of the quote at start..end, or None."""
    close = end + 1 if end < len(text) and text[end] in "\"”," else end
    after_end = min(len(text), close + _AFTER_WINDOW)
    newline = text.find("\n", close)
    if newline != -1:
        after_end = min(after_end, newline)
    next_quote = min((i for i in (text.find('"', close + 1), text.find("“", close + 1)) if i != -1), default=-1)
    if next_quote != -1:
        after_end = min(after_end, next_quote)
    stop = sentences.end_after(close - 1)
    if stop is not None and stop <= close:
        # The quote ends its sentence: the next one attributes it only when it is a short
        # attribution ('"…." Trump said.'), not a sentence of its own about someone else.
        following = sentences.end_after(close)
        stop = following if following is not None and len(text[close:following].split()) <= _ATTRIBUTION_WORDS else close
    if stop is not None and stop < after_end:
        after_end = stop  # the attribution ends with the sentence the quote closes in
    after = text[close:after_end]
    verb = _VERB.search(after)
    if verb:
        verb_at, verb_end = close + verb.start(), close + verb.end()
        if _PRONOUN_BEFORE_VERB.match(after):  # ", she said" right after the quote
            return _nearest_person_before(text, speakers, start)
        near = [m for m in speakers if close <= m.start < after_end
                and (_next_to(m, verb_at, verb_end) or _apposed(text, m, verb_at))
                and not _possessive(text, m) and not _object_of_preposition(text, m)]
        if near:
            return min(near, key=lambda m: (m.label != "PERSON", min(abs(m.start - verb_end), abs(verb_at - m.end))))
        named = _NAME_AFTER.match(after) or _NAME_BEFORE_VERB.match(after)
        if named:  # a name the NER missed, right next to the verb ("...," Petrakis said.)
            return Mention(named.group(1), close + named.start(1), close + named.end(1), "PERSON")
        if _PRONOUN.search(after):
            return _nearest_person_before(text, speakers, start)
    if text[close - 1:close] == "," or text[end:end + 1] == ",":
        # '"...," Hollande retaliated': any verb of speech, told by the comma closing the quote.
        for m in speakers:
            if close <= m.start <= close + 4 and m.label in ("PERSON", "ORG") and _OPEN_VERB_AFTER.match(text, m.end):
                return m
            if m.start > close + 4:
                break
    dash = _DASH_NAME.match(text, close)
    if dash:  # “...” ― Pamela Padilla
        people = [m for m in speakers if m.start == dash.start(1) and m.label == "PERSON"]
        return people[0] if people else Mention(dash.group(1), dash.start(1), dash.end(1), "PERSON")
    return (_attribute_before(text, start, speakers, sentences)
            or _sentence_subject(text, start, speakers, sentences))


def _sentence_subject(text: str, start: int, speakers: list[Mention], sentences: SentenceIndex) -> Mention | None:
    """A partial quote inside a sentence ("Trump is promising lower taxes and “jobs”"): the
    person the sentence opens with."""
    sentence_start = sentences.start_at(max(0, start - 2))
    if start - sentence_start < 3:
        return None  # the quote opens its sentence: not a partial quote
    opening = [m for m in speakers if m.label == "PERSON" and sentence_start <= m.start <= sentence_start + _SUBJECT_REACH
               and m.end < start and not _possessive(text, m)]
    return opening[0] if opening else None


_PREPOSITION_BEFORE = re.compile(r"\b(on|in|at|of|from|near|to|with|by|for|about|against|into|across)\s+$", re.I)
_SPOKESPERSON_FOR = re.compile(r"\b(spokes(?:man|woman|person)|representative|lawyer|attorney)\s+for\s+$", re.I)


def _object_of_preposition(text: str, m: Mention) -> bool:
    """ "Neighbours on Chandler's Row said": the row did not speak. ("A spokesman for the
    company said" does make the company the speaker.)"""
    before = text[max(0, m.start - 40):m.start]
    return bool(_PREPOSITION_BEFORE.search(before)) and not _SPOKESPERSON_FOR.search(before)


def _possessive(text: str, m: Mention) -> bool:
    return bool(re.match(r"['’]s\b", text[m.end:m.end + 3])) or m.text.endswith(("'s", "’s"))


def _next_to(m: Mention, verb_at: int, verb_end: int) -> bool:
    """A speaker stands within a few words of the reporting verb ("said Anna Kovač, the
    mayor" or "Kovač, the mayor, said"), not anywhere in the sentence; a place only right
    beside it ("the airline said" is not "Philadelphia")."""
    reach = _SPEAKER_REACH if m.label in ("PERSON", "ORG") else 2
    return 0 <= m.start - verb_end <= reach or 0 <= verb_at - m.end <= reach + (40 if m.label == "PERSON" else 0)


_APPOSITION = re.compile(r",[^\"“”\n,]{3,100}(?:,[^\"“”\n,]{3,60})?,\s*$")


def _apposed(text: str, m: Mention, verb_at: int) -> bool:
    """A speaker set off from the verb by who they are ("Anne Richards, assistant secretary
    of state for population, refugees, and migration, said")."""
    return m.label in ("PERSON", "ORG") and 0 < verb_at - m.end <= 170 and bool(_APPOSITION.match(text, m.end, verb_at))


def _attribute_before(text: str, start: int, speakers: list[Mention], sentences: SentenceIndex) -> Mention | None:
    """A speaker introduced before the quote: "Kovač said:", a paragraph ending with
    "Kovač continued:", or a partial quote inside "Kovač said he would "act fast"."""
    line_start = text.rfind("\n", 0, max(0, start - 1)) + 1
    before_start = max(0, start - 1 - _BEFORE_WINDOW, line_start)
    before = text[before_start:start - 1]
    if not before.strip():
        # The quote opens a paragraph: the one before may end with "Kovač continued:".
        previous_line_end = text[:line_start].rstrip()
        if previous_line_end.endswith(":"):
            before_start = max(0, len(previous_line_end) - _BEFORE_WINDOW)
            before = previous_line_end[before_start:]
    # The clause runs back to the start of the sentence (the NLP stage's) that leads to the quote.
    offset = max(before_start, sentences.start_at(before_start + len(before.rstrip()) - 1, before_start))
    clause = text[offset:before_start + len(before)]
    verb = None
    for found in _VERB.finditer(clause):
        verb = found
    if verb is None:
        return None
    verb_at = offset + verb.start()
    candidates = [m for m in speakers if offset <= m.start and m.end <= verb_at and verb_at - m.end <= 60
                  and not _possessive(text, m) and not _object_of_preposition(text, m)]
    if candidates:
        return min(candidates, key=lambda m: (m.label != "PERSON", verb_at - m.end))
    if re.search(r"\b(he|she|they)\s*$", text[max(offset, verb_at - 12):verb_at], re.I):
        return _nearest_person_before(text, speakers, verb_at)
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
        if _object_of_preposition(text, m) or _possessive(text, m):
            continue
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
