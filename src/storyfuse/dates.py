"""Dates: time expressions found and normalised against the article's publication date.

Candidates are spaCy's DATE/TIME entities plus a scan for the relative expressions news
prose uses ("on Tuesday", "last week", "three days ago"). Values are TIMEX3-style:
``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYY-Www`` or ``YYYY-Qn``; durations and bare
clock times get ``None``.

The rules are hand-written because dateparser, the maintained library for this, resolves
a bare weekday to the wrong week in past-tense news, has no notion of granularity for
"last week" or "next month" (returning a day) and returns None for "later this month";
it is still used as the fallback for absolute formats the rules do not cover.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from .components import Component, MapEnv, Work, analysing
from .lexicon import MONTHS, NUMBER_WORDS, WEEKDAYS
from .models import Mention, Sentence, TimeExpr
from .nlp import SentenceIndex

_COUNTS = {**NUMBER_WORDS, "a": 1, "an": 1}  # "a week ago"
SEASON_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "q1": 1, "q2": 2, "q3": 3, "q4": 4}

_M = r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"((?:19|20)\d{2})"
_WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_N = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"
_UNIT = r"(day|week|month|year)s?"
_FUTURE_CUE = re.compile(r"\b(will|shall|is due|are due|due to|scheduled|plans? to|planned|expected to|set to|is to|are to|going to)\b|'ll\b", re.I)
_FUTURE_LAST_WORD = re.compile(
    r"\b(until|till|next|coming|upcoming)(\s+at\s+(the\s+)?(least|earliest|latest))?\s*$", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b")

# Relative expressions spaCy's NER often leaves out, scanned directly.
_SCAN = re.compile(
    r"\b(?:(?:on|last|this|next|this past|this coming)\s+)?" + _WD + r"(?:\s+(?:morning|afternoon|evening|night))?\b"
    r"|\b(?:yesterday|today|tonight|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?\b"
    r"|\b(?:this|last) (?:morning|afternoon|evening|night)\b"
    r"|\b(?:earlier|later) this (?:week|month|year)\b"
    r"|\b(?:last|this|next|coming) (?:week|month|year|spring|summer|autumn|fall|winter)\b"
    r"|\b" + _N + r" " + _UNIT + r" ago\b",
    re.I,
)


def find_dates(text: str, time_spans: tuple[Mention, ...], published: str | None,
               sentences: tuple[Sentence, ...] = ()) -> tuple[TimeExpr, ...]:
    """Time expressions of ``text`` with their values; ``sentences`` (the NLP stage's) bound
    the clause that says whether an expression lies in the past or the future."""
    anchor = _anchor(published)
    index = SentenceIndex(sentences)
    spans = [(m.start, m.end) for m in time_spans]
    spans += [(m.start(), m.end()) for m in _SCAN.finditer(text)]
    out = []
    for start, end in _merge(spans):
        expr = text[start:end]
        out.append(TimeExpr(expr, start, end, normalize_date(expr, anchor, _clause_before(text, start, index))))
    return tuple(out)


def _dates(work: Work, env: MapEnv) -> Work:
    assert work.article is not None and work.nlp is not None
    article, nlp = work.article, work.nlp
    return dataclasses.replace(work, dates=find_dates(article.text, nlp.time_spans, article.published, nlp.sentences))


COMPONENT = Component("dates", requires=("article", "nlp"), sets=("dates",), apply=analysing(_dates))


def _clause_before(text: str, position: int, sentences: SentenceIndex) -> str:
    """The words that govern a time expression: its clause, back to the sentence start or the
    nearest quotation mark (a "will" inside someone's quote does not make a past event future)."""
    low = max(0, position - 120, sentences.start_at(position))
    window = text[low:position]
    cut = max(window.rfind("\n"), window.rfind('"'), window.rfind("“"), window.rfind("”"), window.rfind(";"))
    return window[cut + 1:] if cut >= 0 else window


def _anchor(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping candidates become one span (the union)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _COUNTS.get(word)


def _nearest_year(month: int, day: int, anchor: dt.date, future: bool) -> int:
    """The year of a date written without one. News looks back more than ahead: the date lies
    within about eight months before or three after publication (the other way round when
    the sentence speaks of the future)."""
    back, ahead = (90, 270) if future else (245, 95)
    for year in (anchor.year, anchor.year - 1, anchor.year + 1):
        try:
            offset = (dt.date(year, month, min(day, 28)) - anchor).days
        except ValueError:
            continue
        if -back <= offset <= ahead:
            return year
    return anchor.year


def normalize_date(expr: str, anchor: dt.date | None, context: str = "") -> str | None:
    """TIMEX3-style value of a time expression, or None (durations, clock times, unknown)."""
    e = " ".join(expr.lower().replace(",", " ").split())
    future = bool(_FUTURE_CUE.search(context) or _FUTURE_LAST_WORD.search(context) or re.match(r"(next|coming)\b", e))
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", e):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(_D + r" (?:of )?" + _M + r" " + _Y, e):
        return _iso(int(m[3]), MONTHS[m[2]], int(m[1]))
    if m := re.search(_M + r" " + _D + r" " + _Y, e):
        return _iso(int(m[3]), MONTHS[m[1]], int(m[2]))
    if re.search(r"\b(ago|in|for|past|last|next)\b", e) is None or re.search(_M, e):
        if m := re.search(_D + r" (?:of )?" + _M + r"(?! \d)", e):
            return _day_without_year(MONTHS[m[2]], int(m[1]), anchor, future)
        if m := re.search(_M + r" " + _D + r"\b(?! ?\d)", e):
            return _day_without_year(MONTHS[m[1]], int(m[2]), anchor, future)
    if m := re.search(_M + r" (?:of )?" + _Y, e):
        return f"{m[2]}-{MONTHS[m[1]]:02d}"
    if m := re.search(r"\b(first|second|third|fourth|q[1-4])(?: quarter)?(?: of)?(?: " + _Y + r")?\b", e):
        if "quarter" in e or m[1].startswith("q"):
            return _quarter(e, QUARTERS[m[1]], int(m[2]) if m[2] else None, anchor)
    if m := re.fullmatch(r"(?:in )?(?:the )?fiscal(?: year)? " + _Y, e):
        return m[1]
    if m := re.fullmatch(r"(?:(?:in|since|by|until|from) )?(?:the )?(?:year |early |late |mid-|mid |the (?:start|end|middle) of )?" + _Y, e):
        return m[1]
    if m := re.search(r"\b(spring|summer|autumn|fall|winter)\b(?: of)? " + _Y, e):
        return m[2]
    if anchor is None:
        return None
    return _relative(e, anchor, future) or _dateparser_fallback(expr, anchor)


def _quarter(e: str, quarter: int, year: int | None, anchor: dt.date | None) -> str | None:
    """"the 1988 third quarter", "the year-ago quarter", "next year's first quarter"."""
    if year is None and (written := re.search(_Y, e)):
        year = int(written[1])
    if year is None and anchor is not None:
        year = anchor.year - 1 if re.search(r"year-ago|year ago|last year", e) else (
            anchor.year + 1 if re.search(r"next year", e) else anchor.year)
    return f"{year}-Q{quarter}" if year else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _day_without_year(month: int, day: int, anchor: dt.date | None, future: bool) -> str | None:
    if anchor is None:
        return None
    return _iso(_nearest_year(month, day, anchor, future), month, day)


def _relative(e: str, anchor: dt.date, future: bool) -> str | None:
    if re.search(r"\b(yesterday|last night)\b", e):
        return (anchor - dt.timedelta(days=1)).isoformat()
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", e):
        return anchor.isoformat()
    if re.search(r"\btomorrow\b", e):
        return (anchor + dt.timedelta(days=1)).isoformat()
    if m := re.search(_N + r" " + _UNIT + r" (ago|earlier|later|from now)", e):
        n = _number(m[1])
        if n is None:
            return None
        sign = 1 if m[3] in ("later", "from now") else -1
        return _shift(anchor, m[2], sign * n)
    if m := re.search(r"\bin " + _N + r" " + _UNIT + r"\b", e):
        n = _number(m[1])
        return _shift(anchor, m[2], n) if n is not None else None
    if m := re.search(r"\b(?:(last|this|next|this past|this coming|coming)\s+)?" + _WD, e):
        return _weekday(anchor, WEEKDAYS[m[2]], m[1], future).isoformat()
    if m := re.search(r"\b(earlier|later|last|this|next|coming|past) (week|month|year)\b", e):
        shift = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(m[1], 0)
        return _shift(anchor, m[2], shift)
    if m := re.search(r"\b(last|this|next|coming)? ?(spring|summer|autumn|fall|winter)\b", e):
        month = SEASON_MONTH[m[2]]
        year = anchor.year
        if m[1] in ("next", "coming") and month <= anchor.month:
            year += 1
        elif m[1] == "last" and month >= anchor.month:
            year -= 1
        return str(year)
    if m := re.fullmatch(r"(last|this|next|this past|this coming) " + _M, e):
        month = MONTHS[m[2]]
        year = anchor.year
        if m[1] in ("last", "this past") and month >= anchor.month:
            year -= 1
        elif m[1] in ("next", "this coming") and month <= anchor.month:
            year += 1
        return f"{year}-{month:02d}"
    if m := re.fullmatch(r"(?:in |early |late |mid-|mid |early-|late-|the end of |the start of )?" + _M, e):
        month = MONTHS[m[1]]
        return f"{_nearest_year(month, 15, anchor, future)}-{month:02d}"
    return None


def _shift(anchor: dt.date, unit: str, n: int) -> str | None:
    """The anchor moved by n units, at that unit's precision; None outside years 1000-9999."""
    try:
        if unit == "day":
            value = (anchor + dt.timedelta(days=n)).isoformat()
        elif unit == "week":
            value = _week(anchor + dt.timedelta(weeks=n))
        elif unit == "month":
            year, month = _add_months(anchor, n)
            value = f"{year:04d}-{month:02d}"
        else:
            value = f"{anchor.year + n:04d}"
    except (OverflowError, ValueError):
        return None
    return value if re.match(r"^[1-9]\d{3}\b", value) else None


def _weekday(anchor: dt.date, weekday: int, modifier: str | None, future: bool) -> dt.date:
    """News convention: a bare weekday is the most recent one (past tense) or the coming one."""
    delta = (anchor.weekday() - weekday) % 7
    if modifier in ("next", "this coming", "coming") or (modifier in (None, "this") and future):
        # The article's own weekday is that very day, unless it says "next".
        ahead = (weekday - anchor.weekday()) % 7 or (7 if modifier == "next" else 0)
        if modifier == "next" and ahead < 3:
            ahead += 7  # "next Monday" said on a Saturday is not the day after tomorrow
        return anchor + dt.timedelta(days=ahead)
    if modifier in ("last", "this past") and delta == 0:
        delta = 7
    return anchor - dt.timedelta(days=delta)


_CLOCK = re.compile(r"\b\d{1,2}([:.]\d{2})?\s*(a\.?m\b\.?|p\.?m\b\.?|o'clock|h\b|hours\b|gmt|utc)|\b(noon|midnight)\b|^\d{1,2}[:.]\d{2}$", re.I)


def _dateparser_fallback(expr: str, anchor: dt.date) -> str | None:
    if not (re.search(_M, expr.lower()) or _NUMERIC_DATE.search(expr)) or _CLOCK.search(expr):
        return None  # only dates dateparser can read reliably; clock times and durations are no points
    from dateparser.date import DateDataParser  # slow import, rarely needed

    base = dt.datetime.combine(anchor, dt.time(12))
    data = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}).get_date_data(expr)
    if not data or not data.date_obj:
        return None
    d = data.date_obj.date()
    if d.year < 1000:
        return None
    return {"year": str(d.year), "month": f"{d.year}-{d.month:02d}", "week": _week(d)}.get(data.period, d.isoformat())


def article_date(published: str | None, dates: Iterable[TimeExpr], crawl: str | None = None
                 ) -> tuple[str | None, str | None]:
    """An article's date and where it came from: the publication day (``published``); else
    the latest date it mentions at the finest precision it gives (``text``: a report names
    the year of what it reports, background years come earlier); else the day an archive
    captured it (``crawl``); else nothing."""
    if published and len(published) >= 10:
        return published[:10], "published"
    values = [d.value for d in dates if d.value and re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", d.value)]
    if values:
        latest_year = max(v[:4] for v in values)
        return max((v for v in values if v.startswith(latest_year)), key=lambda v: (len(v), v)), "text"
    if crawl and len(crawl) >= 10:
        return crawl[:10], "crawl"
    return None, None
