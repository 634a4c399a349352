"""Text cleaning: Unicode made plain, paragraphs, and page-junk lines found and kept aside."""

from __future__ import annotations

import re
import unicodedata

# Invisible or look-alike characters made plain. Curly quotes and dashes are kept: they carry
# meaning (quotations, ranges) and offsets must match what the user sees.
_PLAIN = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u2011": "-", "\u2010": "-", "\u00ad": None, "\u200b": None, "\u200c": None,
    "\u200d": None, "\u2060": None, "\ufeff": None, "\r": None,
})

# Whole lines that are page furniture, not reporting. Only short lines are tested (see
# _MAX_JUNK_CHARS) so a real sentence that happens to start with "Share" survives.
_JUNK_LINES = [
    r"advertisements?|sponsored( content)?|ad|promoted|paid (content|post)",
    r"share(?: this(?: article| story| page| post)?)?(?: (?:on|via|to) [\w ]+)?(?:\s*[:|].*)?",
    r"(sign up|subscribe)( now| here| today| free| for free)?"
    r"|(sign up|subscribe) (for|to) (our|the|a) .*(newsletter|briefing|bulletin|alerts?|digest|emails?|updates|edition)\b.*"
    r"|register (now|here|for free|to (read|continue|comment))\b.*",
    r"(read|see) (more|also|next)\b\s*[:|>\-–—]?.*",
    r"related( articles?| stories| coverage| content)?\s*[:|>\-–—].*|related( articles?| stories)?",
    r"(photo|image|picture|video|graphic|credit|illustration)s?\s*[:|/].*",
    r"(©|\(c\)).*|copyright\s*(©|\(c\)|\d{4}).*",
    r".*\ball rights reserved\.?",
    r"follow us\b.*",
    r"click here\b.*",
    r"(we|this (site|website)) uses? cookies\b.*|.*\b(accept|manage) (all )?cookies\b.*",
    r"(tags?|topics?|filed under|categories)\s*:.*",
    r"(\d+\s+)?comments?|leave a comment|join the conversation",
    r"((print|email|e-mail|facebook|twitter|x|linkedin|whatsapp|reddit|copy link)\s*[|·•/]?\s*)+",
    r"most (read|popular|viewed|shared)|trending( now)?|you (may|might) also like|recommended( for you)?|more from .*",
    r"(updated|published|posted|last modified)\s*(:|on\b).*\d.*"
    r"|(updated|published|posted|last modified)\s+[\d/.\-]+(\s+[\d:]+)?\s*(am|pm|gmt|utc)?",
    r"(loading|please enable javascript)\b.*",
    r"(we('ll| will) (have|bring you) more|more on this (story|later)|this (story|article) (is developing|will be updated)).*",
    r"https?://\S+|www\.\S+",
    r"(back to top|skip to (main )?content|menu|home|search)",
]
_JUNK = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _JUNK_LINES) + r")$", re.I)
_BYLINE = re.compile(r"^(?:[Bb]y|[Ww]ritten by)\s+([A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3})(?:\s*[,|].*)?$")
_BYLINE_LINES = 3  # a byline comes right under the headline, if anywhere
_MAX_JUNK_CHARS = 140
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "’", "'", ")", "]")
# "PORT VELMAR, March 12 (VWS) — " and similar wire datelines at the start of the body.
DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3})"
    r"(?:,\s*[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)?)?"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
    r"(?:\s*\([A-Za-z][\w .&'\-]{0,40}\))?)"
    r"\s*(?:—|–|--|-)\s+"
)
def normalize(text: str) -> str:
    """NFC, plain spaces and hyphens, no invisible characters, no trailing spaces."""
    text = unicodedata.normalize("NFC", text).translate(_PLAIN)
    text = re.sub(r"[ \t\f\v]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def is_junk_line(line: str, extra: list[re.Pattern[str]] | None = None) -> bool:
    line = line.strip()
    if not line or len(line) > _MAX_JUNK_CHARS:
        return False
    return bool(_JUNK.match(line)) or any(p.search(line) for p in extra or ())


def looks_like_headline(line: str) -> bool:
    return len(line) <= 120 and not line.rstrip().endswith((".", "?", "!", '"', "”", ":")) and "\n" not in line


def filter_lines(text: str, extra: list[re.Pattern[str]], html: bool) -> tuple[list[str], list[str], str | None]:
    """Split into paragraphs and drop junk lines. Text files wrap paragraphs over several
    lines (joined with a space); extracted HTML has one paragraph per line. A line that
    continues a sentence (the line before it ends mid-sentence) is never junk."""
    paragraphs: list[str] = []
    junk: list[str] = []
    byline = None
    current: list[str] = []
    lines = text.split("\n")
    previous_was_junk = False
    for i, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        previous = lines[i - 1] if i else ""
        following = lines[i + 1] if i + 1 < len(lines) else ""
        stands_alone = (not previous or html or previous_was_junk or previous.rstrip().endswith(_SENTENCE_END)) and (
            not following or html or following.lstrip()[:1].isupper() or following.lstrip()[:1] in "\"“'‘0123456789")
        previous_was_junk = stands_alone and is_junk_line(line, extra)
        if previous_was_junk:
            junk.append(line)
            continue
        by = _BYLINE.match(line) if len(line) <= 80 else None
        if by and len(paragraphs) + bool(current) < _BYLINE_LINES and not byline:
            byline = byline or by.group(1)
            junk.append(line)
            continue
        if html:
            paragraphs.append(line)
        else:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, junk, byline


