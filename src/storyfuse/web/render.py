"""Pure helpers of the pages: an article's text cut into highlighted pieces, search snippets
split at their matches, and where timeline entries sit on a chart. No markup is built here:
the templates escape every piece of text they show."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

from ..models import Analysis, TimelineEntry


class Segment(BaseModel):
    """A piece of an article's text and what covers it."""

    text: str
    entity: str | None = None  # entity id, when the piece is (part of) a named entity
    entity_name: str | None = None
    label: str | None = None
    quote: bool = False
    speaker: str | None = None
    date: str | None = None  # a date expression's normalised value


def highlight(text: str, analysis: Analysis, names: dict[str, str]) -> list[Segment]:
    """``text`` cut at every boundary of its entities, quotes and dates: each piece says what
    covers it. Spans that overlap (an entity inside a quote) both mark the shared piece."""
    spans: list[tuple[int, int, str, dict]] = []
    for m in analysis.mentions:
        spans.append((m.start, m.end, "entity", {"entity": m.entity, "entity_name": names.get(m.entity or ""),
                                                  "label": m.label}))
    for q in analysis.quotes:
        speaker = names.get(q.speaker_entity or "", q.speaker)
        for start, end in q.parts():
            spans.append((start, end, "quote", {"quote": True, "speaker": speaker}))
    for d in analysis.dates:
        spans.append((d.start, d.end, "date", {"date": d.value or d.text}))
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        fields: dict = {}
        for start, end, _, values in spans:
            if start <= a and b <= end:
                fields.update({k: v for k, v in values.items() if v is not None})
        out.append(Segment(text=text[a:b], **fields))
    return out


def snippet_parts(snippet: str, start: str, end: str) -> list[tuple[str, bool]]:
    """A snippet with its matches between ``start`` and ``end`` marks, as (text, is_match)."""
    parts: list[tuple[str, bool]] = []
    for piece in re.split(f"({re.escape(start)}.*?{re.escape(end)})", snippet):
        if piece.startswith(start) and piece.endswith(end):
            parts.append((piece[len(start):-len(end)], True))
        elif piece:
            parts.append((piece.replace(start, "").replace(end, ""), False))
    return parts


def timex_day(value: str) -> dt.date | None:
    """The first day a TIMEX3-style value names: 2025-03-12, 2025-03, 2025, 2025-W11, 2025-Q2."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d).*", value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{4})-W(\d\d)", value):
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            return dt.date(int(m[1]), int(m[2]), 1)
        if m := re.fullmatch(r"(\d{4})", value):
            return dt.date(int(m[1]), 1, 1)
    except ValueError:
        return None
    return None


def timeline_points(entries: list[TimelineEntry]) -> list[tuple[float, TimelineEntry]]:
    """Each entry with its place on a chart from 0 (the earliest date) to 1 (the latest);
    entries whose date cannot be read sit at the end."""
    days = [timex_day(e.date) for e in entries]
    known = [d for d in days if d]
    if not known:
        return [(1.0, e) for e in entries]
    first, last = min(known), max(known)
    span = (last - first).days
    return [((d - first).days / span if d and span else (0.5 if d else 1.0), e) for d, e in zip(days, entries,
                                                                                                 strict=True)]
