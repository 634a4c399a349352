"""Recurring lines: page junk that only the corpus shows.

A short line that turns up in articles of different events ("Leave a Reply" on two unrelated
blogs, an outlet's newsletter prompt under every story) is page furniture, whatever the line
classifier thought of it alone. Copies of one story are in the same event as their original,
so they never make a line recur; nor do two outlets' reports of one event that share a short
sentence (that is corroboration, not junk).

This is a corpus step after placement (the per-article map stays pure): the store indexes
every article's short lines by a hash of their normalised text; the lines of the articles
not yet checked are looked up; every article holding a recurring line, earlier ones
included, is re-cleaned: the lines are only removed (kept in ``removed``), the offsets of
its sentences, mentions, quotes and dates are remapped, and its event's story is rebuilt.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from typing import Any

from .models import Analysis, Article

MAX_WORDS = 15  # longer lines that recur are copied text, which dedupe handles
PARAGRAPH = "\n\n"


def line_key(line: str) -> str:
    return hashlib.sha1(" ".join(line.lower().split()).encode()).hexdigest()[:20]


def short_lines(text: str) -> dict[str, str]:
    """Key -> line, for the article's lines short enough to be page furniture."""
    return {line_key(line): line for line in text.split(PARAGRAPH) if 0 < len(line.split()) <= MAX_WORDS}


def without_lines(article: Article, analysis: Analysis, keys: set[str],
                  min_chars: int) -> tuple[Article, Analysis] | None:
    """The article with the lines of ``keys`` removed and every offset remapped; None when
    nothing would change or too little text would remain."""
    lines = article.text.split(PARAGRAPH)
    drop = [i for i, line in enumerate(lines) if line_key(line) in keys and 0 < len(line.split()) <= MAX_WORDS]
    if not drop:
        return None
    dropped = set(drop)
    kept = [line for i, line in enumerate(lines) if i not in dropped]
    text = PARAGRAPH.join(kept)
    if len(text) < min_chars:
        return None
    # Old start of every line, and where its text now starts (None for a dropped line).
    starts, position, moved = [], 0, {}
    new_position = 0
    for i, line in enumerate(lines):
        starts.append(position)
        if i not in dropped:
            moved[i] = new_position
            new_position += len(line) + len(PARAGRAPH)
        position += len(line) + len(PARAGRAPH)

    def remap(start: int, end: int) -> tuple[int, int] | None:
        i = max(j for j, s in enumerate(starts) if s <= start)
        if i not in moved or end > starts[i] + len(lines[i]):
            return None  # in a dropped line, or running across lines
        shift = moved[i] - starts[i]
        return start + shift, end + shift

    def spans(items: Iterable[Any]) -> tuple[Any, ...]:
        out = []
        for item in items:
            new = remap(item.start, item.end)
            if new is None:
                continue
            changes = {"start": new[0], "end": new[1]}
            replaced = dataclasses.replace(item, **changes)
            if getattr(item, "segments", None):
                parts = [remap(a, b) for a, b in item.segments]
                if any(part is None for part in parts):
                    continue
                replaced = dataclasses.replace(replaced, segments=tuple(p for p in parts if p is not None))
            if getattr(item, "speaker_start", None) is not None:
                speaker = remap(item.speaker_start, item.speaker_end)
                replaced = dataclasses.replace(replaced, speaker_start=speaker[0] if speaker else None,
                                               speaker_end=speaker[1] if speaker else None)
            out.append(replaced)
        return tuple(out)

    cleaned = dataclasses.replace(article, text=text, removed=article.removed + tuple(lines[i] for i in drop))
    return cleaned, dataclasses.replace(analysis, sentences=spans(analysis.sentences),
                                        mentions=spans(analysis.mentions), quotes=spans(analysis.quotes),
                                        dates=spans(analysis.dates))
