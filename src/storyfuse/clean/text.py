"""Text cleaning: Unicode made plain, paragraphs, and page-junk lines found and kept aside."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Invisible or look-alike characters made plain. Curly quotes and dashes are kept: they carry
# meaning (quotations, ranges) and offsets must match what the user sees. Zero-width joiners
# and non-joiners are kept too: they build emoji ("👩‍🚒") and shape Indic and Persian words.
_PLAIN = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u2011": "-", "\u2010": "-", "\u00ad": None, "\u200b": None, "\u2060": None, "\ufeff": None, "\r": None,
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
BYLINE = re.compile(r"^(?:[Bb]y|[Ww]ritten by)\s+([A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3})(?:\s*[,|].*)?$")
_MAX_JUNK_CHARS = 140
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


_GLUE = re.compile(r"\s*/\s+|\s+\|\s+|\s+[·•]\s+")
_CAPS_PLACE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .'\-]{1,40}$")
_PERSON = re.compile(r"^(?:by\s+)?([A-ZÀ-Þ][\w'’\-]+(?:\s+[A-ZÀ-Þ][\w'’.\-]+){1,3})$", re.I)
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class GluedHeader:
    """A headline with its outlet, dateline and author glued on one line before the body."""

    title: str
    outlet: str | None
    dateline: str | None
    author: str | None
    edition: str | None  # "Updated: 12 March" and the like: said, not trusted as a date
    rest: str  # the body text that followed on the same line


def split_glued_header(line: str) -> GluedHeader | None:
    """"Headline/ Outlet/ CITY/ Author/ Edition/ First sentence…" (a copy of a page's header
    pasted as one line) taken apart; None when the line is not of that shape."""
    parts = [p.strip() for p in _GLUE.split(line) if p.strip()]
    if len(parts) < 3:
        return None
    title, *middle, rest = parts
    if len(rest.split()) < 8 or len(title.split()) > 25 or title.endswith((".", "!", "?")):
        return None
    if any(len(m.split()) > 8 for m in middle):
        return None
    outlet = dateline = author = edition = None
    for m in middle:
        person = _PERSON.match(m)
        if _CAPS_PLACE.match(m) and not _HAS_DIGIT.search(m) and dateline is None:
            dateline = m
        elif _HAS_DIGIT.search(m):
            edition = edition or m
        elif person and m[:1].isupper() and author is None and outlet is not None:
            author = person.group(1)  # the outlet comes first in such headers, then the writer
        elif outlet is None:
            outlet = m
        elif person and author is None:
            author = person.group(1)
    return GluedHeader(title, outlet, dateline, author, edition, rest)


def looks_like_headline(line: str) -> bool:
    """A first line that names the story: a few words, no closing stop, not a byline, and
    not one of the furniture phrases the pattern list knows ("Advertisement", "Share this")."""
    return (3 <= len(line.split()) and len(line) <= 120 and not line.rstrip().endswith((".", "?", "!", '"', "”", ":"))
            and "\n" not in line and not BYLINE.match(line) and not is_junk_line(line))


# Characters XML forbids: lxml parses a page that holds them but refuses them when text is set
# on an element, as trafilatura and lxml's drop_tree do (found by fuzzing: "<time/>-->\x1f").
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(html: str) -> str:
    """The page with the characters XML forbids made spaces."""
    return _NOT_XML.sub(" ", html)
