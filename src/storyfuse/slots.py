"""Slots: the figures a sentence states ("two workers", "€412 million", "140 flights"),
keyed by what they count, so that two outlets' versions of a fact can be compared.

Hand-written: no library pairs a number with the noun it counts without a dependency
parse, and the pattern in news prose is regular enough ("<number> [adjective] <noun>").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .gazetteer import one_area
from .lexicon import NUMBER_WORDS

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9, "k": 1e3}
CURRENCIES = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "eur": "EUR", "euros": "EUR", "euro": "EUR",
              "dollars": "USD", "usd": "USD", "pounds": "GBP", "gbp": "GBP"}
# Words between a number and the noun it counts, and nouns that say nothing by themselves.
_SKIP = {
    "more", "than", "other", "additional", "further", "new", "of", "the", "about", "some", "nearly",
    "almost", "over", "under", "at", "least", "around", "roughly", "estimated", "approximately",
    "a", "an", "per", "cent", "and", "to", "as", "many", "or", "so", "far", "just", "only", "mostly",
}
_FUNCTION_WORDS = {"on", "in", "at", "for", "by", "with", "from", "into", "after", "before", "is", "was",
                   "were", "are", "be", "been", "had", "has", "have", "said", "will", "would", "who", "which",
                   "that", "this", "those", "these", "it", "they", "he", "she", "we", "when", "while"}
_NOT_SLOTS = {"p", "pm", "am", "a.m", "p.m", "percent", "times", "years", "year", "days", "day",
              "hours", "hour", "minutes", "weeks", "months", "o'clock", "s"}
_NUM = r"(?:\d{1,3}(?:[,\u202f ]\d{3})+|\d+)(?:\.\d+)?"
_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?:(?P<cur>[€$£¥])\s?)?(?P<num>{_NUM}|\b(?:{_WORDS})\b)(?:-(?P<num2>{_WORDS}))?"
    rf"(?:[\s-]?(?P<scale>thousand|million|billion|trillion|bn|m|k)\b)?(?:\s?(?P<cur2>euros?|dollars|pounds|usd|eur|gbp)\b)?",
    re.I,
)
# Words before a figure that make it a bound or an estimate ("more than 20", "about 300").
_OVER = re.compile(r"\b(?:more than|over|at least|upwards of|in excess of|above|no fewer than|no less than|exceeding)\s+(?:a\s+)?$",
                   re.I)
_UNDER = re.compile(r"\b(?:less than|fewer than|under|up to|at most|below|nearly|almost|no more than|just under)\s+(?:a\s+)?$", re.I)
_ABOUT = re.compile(r"\b(?:about|around|some|roughly|approximately|an estimated|estimated|close to|circa)\s+(?:a\s+)?$", re.I)
_OR_MORE = re.compile(r"\s*(?:\+|or more\b|-plus\b)", re.I)
ABOUT_SHARE = 0.1  # "about 300" admits 270..330: news rounds to the leading digits
# Qualifiers that make a count a different quantity ("676 career RBI" is not "121 RBI").
_SCOPES = {"career", "season", "annual", "yearly", "monthly", "weekly", "daily", "total", "lifetime", "average",
           "cumulative", "all-time", "combined"}
# A rate after the figure or its noun ("$21 million a year") is a different quantity from a total.
_RATE = re.compile(r"\s*(?:a|an|per|each|every)\s+(year|season|game|match|month|week|day|hour)\b|\s*(annually)\b", re.I)
# ... or after it ("300 fires in her career", "41 fires this year").
_SCOPE_AFTER = re.compile(r"[\w\s-]{0,12}?\b(?:in|during|over|this|last|for)\s+(?:(?:his|her|their|its|the|a)\s+)?"
                          r"(career|season|year)\b", re.I)
_TALLY = re.compile(rf"(?:\s+(?:votes?|goals?|points?|seats?))?\s*(?:to|-|–|—)\s*({_NUM})\b")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_RANGE_SCALE = re.compile(rf"\s?[-–]\s?[€$£¥]?\s?{_NUM}[\s-]?(thousand|million|billion|trillion|bn|m|k)\b", re.I)


@dataclass(frozen=True, slots=True)
class Figure:
    slot: str  # what is counted: a stemmed noun ("worker", "career rbi"), a currency, "/year" for a rate
    value: str  # canonical: "2", "412000000", "31-14" for a tally
    text: str  # the figure as written
    start: int  # offsets into the sentence
    end: int
    bound: str = "exact"  # "exact", "about", "over" (at least) or "under" (at most)

    def interval(self) -> tuple[float, float]:
        """The values the figure admits."""
        try:
            v = float(self.value)
        except ValueError:  # a tally
            return (math.nan, math.nan)
        if self.bound == "about":
            return (v * (1 - ABOUT_SHARE), v * (1 + ABOUT_SHARE))
        if self.bound == "over":
            return (v, math.inf)
        if self.bound == "under":
            return (0.0, v)
        return (v, v)


def compatible(a: Figure, b: Figure) -> bool:
    """Whether two figures for one slot can both be true ("more than 20" and "24" can;
    "two" and "three" cannot)."""
    if a.value == b.value:
        return True
    (lo_a, hi_a), (lo_b, hi_b) = a.interval(), b.interval()
    if math.isnan(lo_a) or math.isnan(lo_b):
        return False
    return lo_a <= hi_b and lo_b <= hi_a


def stem(word: str) -> str:
    """A light suffix stripper: enough for plurals ("workers"/"worker", "boxes"/"box")."""
    w = word.lower().strip("'’-")
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"),
                         ("ing", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + repl
    return w


def figures(sentence: str) -> list[Figure]:
    """Every counted quantity in a sentence, with what it counts."""
    found = []
    for m in _FIGURE.finditer(sentence):
        raw = m.group("num")
        if raw.isalpha() and raw.lower() in ("one",) and not m.group("scale"):
            continue  # "one of the", "one worker" is too ambiguous to compare
        scale = m.group("scale")
        if not scale and (shared := _RANGE_SCALE.match(sentence, m.end())):
            scale = shared.group(1)  # "$140-$150 million": the scale of the range's end is the start's too
        value = _value(raw, m.group("num2"), scale)
        if value is None or _is_year(raw, m, sentence) or _not_a_count(m, sentence):
            continue
        currency = m.group("cur") or m.group("cur2")
        tally = _TALLY.match(sentence, m.end()) if raw.isdigit() and not currency else None
        if tally:  # "31 to 14", "3-1": one figure, the tally
            noun = _counted_noun(sentence, tally.end())
            found.append(Figure("tally" + (f" {noun[0]}" if noun else ""), f"{raw}-{tally.group(1)}",
                                sentence[m.start():tally.end()].strip(), m.start(), tally.end()))
            continue
        if currency:
            slot, after = CURRENCIES.get(currency.lower(), currency), m.end()
        else:
            counted = _counted_noun(sentence, m.end())
            if not counted:
                continue
            slot, after = counted
        rate = _RATE.match(sentence, m.end()) or _RATE.match(sentence, after)
        if rate:
            slot += "/" + (rate.group(1) or "year").lower()
        elif (scope := _SCOPE_AFTER.match(sentence, after)) and " " not in slot:
            slot = f"{scope.group(1).lower()} {slot}"
        bound = _bound(sentence, m)
        if raw.lower() in ("dozen", "dozens") and re.match(r"\s+of\b", sentence[m.end():]):
            value, bound = 24, "over"  # "dozens of warships" (or "dozen of"): at least two dozen, no count
        found.append(Figure(slot, f"{value:.2f}".rstrip("0").rstrip("."), m.group(0).strip(), m.start(), m.end(),
                            bound))
    return found


def _bound(sentence: str, m: re.Match) -> str:
    before = sentence[max(0, m.start() - 25):m.start()]
    if _OVER.search(before) or _OR_MORE.match(sentence, m.end()):
        return "over"
    if _UNDER.search(before):
        return "under"
    return "about" if _ABOUT.search(before) else "exact"


def _value(raw: str, extra: str | None, scale: str | None) -> float | None:
    if raw.isalpha():
        word = NUMBER_WORDS.get(raw.lower())
        if word is None:
            return None
        base = float(word + (NUMBER_WORDS.get(extra.lower(), 0) if extra else 0))
    else:
        base = float(re.sub(r"[,\u202f ]", "", raw))
    return base * SCALES.get((scale or "").lower(), 1)


def _is_year(raw: str, m: re.Match, sentence: str) -> bool:
    """Years and clock times are dates, not figures."""
    if re.fullmatch(r"(1[89]|20)\d{2}", raw) and not m.group("cur") and not m.group("scale"):
        return True
    after = sentence[m.end():m.end() + 6].lower()
    return bool(re.match(r"\s?(a\.?m|p\.?m|:\d)", after)) or sentence[max(0, m.start() - 1):m.start()] == ":"


_MONTH = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$", re.I)
_MONTH_AFTER = re.compile(r"\s*(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.I)


# A money figure in parentheses after another amount is a conversion ("85 million euros
# ($108 million)"): exchange rates differ by day and outlet, so it is no claim of its own.
_CONVERTED = re.compile(r"(?:\d|\b(?:thousand|million|billion|trillion|euros?|pounds?|yen|yuan|dollars|rupees?|"
                        r"francs?|krona|kronor|rubles?|roubles?))\W{0,3}\(\s*$", re.I)
# Digits after a name or a model word are part of it: "AK-47", "IE 8", "Boeing 737", "version 6".
_MODEL_WORDS = frozenset({"version", "v", "release", "beta", "model", "flight", "route", "channel", "line", "chapter",
                          "article", "section", "room", "gate", "platform"})
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)(-|\s)$")


def _not_a_count(m: re.Match, sentence: str) -> bool:
    """Digits that are part of a name, an ordinal, a date or a range: "76ers", "79th",
    "9/11", "February 22", "22 February", "1978-89", "AK-47", "IE 8"; and converted
    amounts ("$US1 million ($1.52 million)")."""
    if m.group("cur") and _CONVERTED.search(sentence[max(0, m.start() - 40):m.start()]):
        return True
    if not m.group("num")[:1].isdigit():
        return False
    before, after = sentence[max(0, m.start() - 12):m.start()], sentence[m.end():m.end() + 1]
    if (after.isalpha() and not m.group("scale")) or re.match(r"\s?/", sentence[m.end():m.end() + 2]):
        return True
    if re.search(r"/\s?$|\b(?:no|nos|number)\.?\s*$|#$", before, re.I):
        return True
    if not m.group("cur") and _named_number(sentence, m.start()):
        return True
    if re.search(r"\d\s?[-–]\s?$|\d\s$", before) or re.match(r"0\d", m.group("num")):
        return True  # a range ("1978-89") or a code or phone number ("0845 125 2224")
    return bool(_MONTH.search(before) or _MONTH_AFTER.match(sentence, m.end()))


def _named_number(sentence: str, start: int) -> bool:
    """Whether the digits at ``start`` follow a name or a model word ("IE 8", "AK-47",
    "version 6"). A capitalised word that starts the sentence is no name ("About 300")."""
    found = _WORD_BEFORE.search(sentence, max(0, start - 20), start)
    if not found:
        return False
    word, joint = found.groups()
    if joint == "-" or word.lower() in _MODEL_WORDS:
        return True
    return (word[:1].isupper() and bool(sentence[:found.start()].strip()) and not _MONTH.search(word)
            and word.lower() not in _WEEKDAYS)


def counted_noun_end(sentence: str, fig: Figure) -> int:
    """Where the figure and the noun it counts end ("two injured workers|"); an amount of
    money, a day or a place ends with the figure."""
    if fig.slot.isupper() or fig.slot.startswith(("tally", "weekday", "calendar day", PLACE_SLOT)):
        return fig.end
    counted = _counted_noun(sentence, fig.end)
    return counted[1] if counted else fig.end


def _counted_noun(sentence: str, position: int) -> tuple[str, int] | None:
    """The first content word after the number ("two injured workers" → "worker"), with a
    scope before it kept ("676 career RBI" → "career rbi"), and where it ends."""
    scope = ""
    for token in _TOKEN.finditer(sentence, position):
        if token.start() - position > 40:
            return None
        word = token.group(0).lower()
        if word in _SKIP:
            continue
        if word in _NOT_SLOTS or word in _FUNCTION_WORDS:
            return None
        if word in _SCOPES and not scope:
            scope = word + " "
            continue
        return scope + stem(word), token.end()  # "two injured", "three dead": the state is the slot
    return None


# Who reported a figure says nothing of what it counts ("police said" is in both of two
# sentences about different things).
_ATTRIBUTION = {"said", "says", "say", "told", "according", "reported", "reports", "added", "announced"}


_COMMON = 4.5  # rarity (8 - Zipf frequency) below which a capitalised first word is a common word


def context(sentence: str, fig: Figure, found: list[Figure] | None = None, reach: int = 4) -> set[str]:
    """What a figure is said about: stems of the common words within ``reach`` words of it
    ("injuring two workers and sending" -> {"injur", "send"}), without names (capitalised
    words after the first), numbers, function words, nor what this or another figure of the
    sentence counts ("13 homers and 43 RBIs": "homer" says nothing about the 43), nor the
    attribution ("police said"). ``found``: the sentence's figures, when already known."""
    from .align import rarity
    from .lexicon import FUNCTION_WORDS

    counted = {w for f in (figures(sentence) if found is None else found) for w in f.slot.replace("/", " ").split()}
    tokens = list(_TOKEN.finditer(sentence))
    # The attribution ("police said", "the company told reporters") is who reported it.
    reported = {i - k for i, t in enumerate(tokens) if t.group(0).lower() in _ATTRIBUTION for k in range(2)}
    before = [i for i, t in enumerate(tokens) if t.end() <= fig.start][-reach:]
    after = [i for i, t in enumerate(tokens) if t.start() >= fig.end][:reach + 1]
    out = set()
    for i in before + after:
        word = tokens[i].group(0)
        if i in reported or (word[:1].isupper() and (tokens[i].start() > 0 or rarity(word.lower()) > _COMMON)):
            continue  # a name (the first word of the sentence only when it is no common word)
        lowered = word.lower()
        if lowered in FUNCTION_WORDS or lowered in NUMBER_WORDS or (lowered in _SKIP and lowered != "estimated"):
            continue
        s = stem(lowered)
        if s not in counted:
            out.add(s)
    return out


# The day something happened, as outlets write it: "on Monday", "said Tuesday", "on March 12".
_DAY_NAMES = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november|december|"
                "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec")
DATE_NAME = re.compile(rf"(?:{_DAY_NAMES}|{_MONTH_NAMES})", re.I)  # a weekday or month name, whole
_DAY = re.compile(
    rf"\b(?:(?P<prep>on|since|until|till|by|from|before|after|last|next|this|early|late)\s+)?"
    # "until the early hours of Wednesday" is until Wednesday
    rf"(?:the\s+(?:(?:early|small|late)\s+)?(?:hours|morning|afternoon|evening|night|end)\s+of\s+)?"
    rf"(?:(?P<weekday>{_DAY_NAMES})|(?P<month>{_MONTH_NAMES})\.?\s+(?P<mday>[0-3]?\d)\b(?!,?\s*\d{{3}})"
    rf"|(?P<mday2>[0-3]?\d)\s+(?P<month2>{_MONTH_NAMES})\b)",
    re.I,
)
DAY_SLOTS = ("weekday", "calendar day")
# Stemmed lemmas of the verbs that report (the day of "said Friday" is the report's).
REPORTING_VERBS = frozenset({"say", "tell", "report", "announce", "add", "confirm", "state", "write", "tweet", "post",
                             "declare", "claim"})
# "on Monday" and "Monday" (news style: "said Monday") date the same moment; "until Monday",
# "since Monday" and "last Monday" are other relations, compared only with their own kind.
_AT = {None: "on", "on": "on", "early": "on", "late": "on"}  # "late on Tuesday" is on Tuesday


def day_references(sentence: str) -> list[Figure]:
    """The days a sentence dates something to, as figures keyed by the relation and the kind
    of reference ("weekday", "calendar day", "weekday until"), so that "on Monday"
    and "on Tuesday" for one claim can be compared, but never a weekday with a date."""
    out = []
    for m in _DAY.finditer(sentence):
        day = m.group("weekday")
        if day and not day[:1].isupper():
            continue  # "may", "march" as words are not dates; weekdays are capitalised
        prep = (m.group("prep") or "").lower() or None
        relation = "" if _AT.get(prep) == "on" else f" {prep}"
        start = m.start("weekday") if day else m.start()
        if day:
            out.append(Figure(f"weekday{relation}", day.lower(), day, start, m.end()))
            continue
        month, mday = (m.group("month"), m.group("mday")) if m.group("month") else (m.group("month2"), m.group("mday2"))
        if not month[:1].isupper() or not 1 <= int(mday) <= 31:
            continue
        begin = m.start("month") if m.group("month") else m.start("mday2")
        out.append(Figure(f"calendar day{relation}", f"{month[:3].lower()} {int(mday)}", sentence[begin:m.end()], begin,
                          m.end()))
    return out


# Where something happened, as outlets write it: a place name right after a locative
# preposition ("struck near Lubbock", "met in Geneva", "at the Staples Center").
PLACE_SLOT = "place"
_PLACE_AT = re.compile(r"\b(in|at|near|outside|inside|off)\s+(?:the\s+)?$", re.I)
_THE = re.compile(r"^the\s+", re.I)


def place_name(name: str) -> str:
    """A place name as compared: lower-cased, without a leading "the"."""
    return " ".join(_THE.sub("", name).lower().split())


def place_references(sentence: str, names: Iterable[str]) -> list[Figure]:
    """The places a sentence puts something at, as figures keyed by the preposition ("place
    in", "place near"), valued by the name: ``names`` are the place names (spaCy's GPE, LOC
    and FAC mentions) found in the sentence. A name that is not right after a locative
    preposition ("Chicago police said") places nothing."""
    out: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(_THE.sub('', name))}(?!\w)", sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            at = _PLACE_AT.search(sentence[max(0, m.start() - 24):m.start()])
            if at is None or re.match(r"\s+[A-Z]", sentence[m.end():]):  # part of a longer name
                continue
            taken.append((m.start(), m.end()))
            out.append(Figure(f"{PLACE_SLOT} {at.group(1).lower()}", place_name(name), m.group(0), m.start(), m.end()))
    return sorted(out, key=lambda f: f.start)


def places_agree(a: Figure, b: Figure) -> bool:
    """Whether two places can both be right: the same name, or one name inside the other
    ("Manhattan" / "Lower Manhattan", "Los Angeles" / "Los Angeles County"), or one area by
    the gazetteer (a town and its state or country, two neighbouring towns)."""
    wa, wb = set(a.value.split()), set(b.value.split())
    return wa <= wb or wb <= wa or one_area(a.value, b.value)
