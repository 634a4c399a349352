"""Segmentation: the lines of a text that stand alone (paragraphs, headings, list items).

Saved articles come in two shapes: one paragraph, heading or list item per line (what a
scraper or a copy from a browser gives), or prose hard-wrapped at a fixed width (e-mail,
wire copy, some text exports). Lines are joined only where the text really is hard-wrapped:
the line before reaches the wrap width and does not end its sentence, or the next line
starts in lower case, continuing the sentence. Bullets, numbered items, headings and
single-line paragraphs stay lines of their own.

Hand-written: paragraph reconstruction of plain text is not something trafilatura, jusText
or spaCy do (they work on HTML or on already segmented text).
"""

from __future__ import annotations

import re
from statistics import quantiles

_BULLET = re.compile(r"^(?:[-*•·–—▪►✓✔]\s+|\(?\d{1,3}[.)]\s+|\(?[a-zA-Z][.)]\s+(?=\S))")
_HEADING = re.compile(r"^#{1,6}\s")
_TERMINAL = (".", "!", "?", ":", ";", '"', "”", "’", "»", "«", ")", "]", "…")
_WRAP_MIN, _WRAP_MAX = 40, 110  # widths at which text is hard-wrapped (e-mail 72, wire 68-80)


def is_list_item(line: str) -> bool:
    return bool(_BULLET.match(line)) or bool(_HEADING.match(line))


def wrap_width(lines: list[str]) -> int | None:
    """The width a text is hard-wrapped at, or None when it is not: the lines of its
    multi-line blocks mostly end within a few characters of one width, and mostly in the
    middle of a sentence (one paragraph per line ends each line with its sentence)."""
    inner = [a.strip() for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]  # followed by a line of the block
    if len(inner) < 4:
        return None
    lengths = [len(a) for a in inner]
    width = int(quantiles(lengths, n=10)[8]) if len(lengths) >= 10 else max(lengths)
    if not _WRAP_MIN <= width <= _WRAP_MAX:
        return None
    near = sum(1 for n in lengths if width - 20 <= n <= width + 2)
    mid_sentence = sum(1 for a in inner if not a.endswith(_TERMINAL))
    return width if near >= 0.6 * len(inner) and mid_sentence >= 0.5 * len(inner) else None


def _continues(previous: str, line: str, width: int | None) -> bool:
    """Whether ``line`` continues the paragraph that ``previous`` is part of."""
    if not previous or is_list_item(line) or _HEADING.match(previous):
        return False
    starts_lower = line[:1].islower() or line[:1] in ",;)"
    if starts_lower and not previous.rstrip().endswith((".", "!", "?")):
        return True  # the sentence goes on: "…said the\nmayor"
    if width is None:
        return False
    # Hard-wrapped prose: a line that reached the margin was wrapped there.
    return len(previous) >= width - 20 and not (previous.endswith(_TERMINAL) and line[:1].isupper()
                                                 and len(previous) < width - 10)


def split_lines(text: str, html: bool = False) -> list[str]:
    """The stand-alone lines of ``text`` (normalised, one per line), wrapped prose joined.
    Extracted HTML has one block per line already and is never joined."""
    raw = text.split("\n")
    width = None if html else wrap_width(raw)
    out: list[str] = []
    previous = ""
    for line in raw:
        line = line.strip()
        if not line:
            previous = ""
            continue
        if not html and out and _continues(previous, line, width):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        previous = line
    return out
