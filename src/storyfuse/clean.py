"""Clean: main text and metadata out of a raw document, page junk removed and kept aside.

HTML goes through trafilatura (main-text extraction); text of any origin then goes through
the same normalisation and line-level junk filter, and every line or block dropped is kept
in ``Article.removed`` so a user can see what was taken out and why nothing vanished.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import unicodedata
from typing import Any
from urllib.parse import urlparse

import lxml.html
import py3langid
import trafilatura
from lxml import etree

from .components import Component, MapEnv, Work
from .config import CleanConfig
from .errors import InputError
from .models import Article, RawDocument, Rejection

log = logging.getLogger(__name__)

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
_DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3})"
    r"(?:,\s*[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)?)?"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
    r"(?:\s*\([A-Za-z][\w .&'\-]{0,40}\))?)"
    r"\s*(?:—|–|--|-)\s+"
)
_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "figcaption",
    "caption", "dt", "dd", "pre", "address", "header", "footer", "nav", "aside", "section",
    "article", "main", "form", "button", "label", "ul", "ol", "table", "figure", "body",
}
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
    "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date",
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


def clean_document(doc: RawDocument, config: CleanConfig) -> Article:
    """Raw document → Article. Raises InputError when no article text remains."""
    meta = dict(doc.meta)
    removed: list[str] = []
    if doc.kind == "html":
        body, found = _extract_html(doc.content, meta.get("url"), doc.input)
        for key, value in found.items():
            if value and not meta.get(key):
                meta[key] = value
        removed.extend(found.get("removed_blocks") or [])
    else:
        body = doc.content
    extra = [re.compile(p, re.I) for p in config.extra_junk_patterns]
    paragraphs, junk, byline = _filter_lines(normalize(body), extra, html=doc.kind == "html")
    removed.extend(junk)
    title = _clean_field(meta.get("title"))
    if title and paragraphs and paragraphs[0].strip().rstrip(".") == title.rstrip("."):
        removed.append(paragraphs.pop(0))  # the headline repeated as the first line
    elif not title and paragraphs and _looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
        title = paragraphs.pop(0)
    dateline = None
    if paragraphs:
        match = _DATELINE.match(paragraphs[0])
        if match and len(match.group(1)) <= 80:
            dateline = match.group(1).strip()
            paragraphs[0] = paragraphs[0][match.end():]
    text = "\n\n".join(p for p in paragraphs if p)
    if len(text) < config.min_text_chars:
        raise InputError(
            doc.input,
            f"no article text after cleaning ({len(text)} characters left; "
            f"page junk or too short, [clean] min_text_chars = {config.min_text_chars})",
        )
    url = _clean_field(meta.get("url"))
    source = _clean_field(meta.get("source")) or (urlparse(url).hostname if url else None)
    language = (_clean_field(meta.get("language")) or detect_language(text)).lower()
    return Article(
        id=doc.id,
        input=doc.input,
        source=source,
        url=url,
        title=title,
        author=_clean_field(meta.get("author")) or byline,
        published=normalize_timestamp(meta.get("published")),
        dateline=dateline,
        language=language.split("-")[0].split("_")[0],
        text=text,
        removed=tuple(removed),
    )


def _clean(works: list[Work], env: MapEnv) -> list[Work]:
    out = []
    for work in works:
        try:
            out.append(dataclasses.replace(work, article=clean_document(work.raw, env.config.clean)))
        except InputError as err:
            out.append(dataclasses.replace(work, rejection=Rejection(err.input, err.reason)))
        except Exception as err:  # e.g. a parser crashing on a malformed page: reject it, go on
            log.exception("cleaning %s failed", work.raw.input)
            out.append(dataclasses.replace(work, rejection=Rejection(
                work.raw.input, f"cleaning failed ({type(err).__name__}: {err})")))
    return out


COMPONENT = Component("clean", requires=("raw",), sets=("article",), apply=_clean)


def detect_language(text: str) -> str:
    return py3langid.classify(text[:5000])[0]


def normalize_timestamp(value: str | None) -> str | None:
    """ISO 8601 as given when it parses; a bare date stays a date (no invented midnight);
    anything dateparser cannot read is dropped."""
    if not value:
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat()
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        import dateparser  # imported here: slow to import and rarely needed

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            return None
        has_time = re.search(r"\d{1,2}[:.h]\d{2}|\b\d{1,2}\s*(am|pm|a\.m\.|p\.m\.)", value, re.I)
        return parsed.isoformat() if has_time else parsed.date().isoformat()


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalize(str(value)).replace("\n", " ").strip()
    return value or None


def _looks_like_headline(line: str) -> bool:
    return len(line) <= 120 and not line.rstrip().endswith((".", "?", "!", '"', "”", ":")) and "\n" not in line


def _filter_lines(text: str, extra: list[re.Pattern[str]], html: bool) -> tuple[list[str], list[str], str | None]:
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


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _extract_html(html: str, url: str | None, label: str) -> tuple[str, dict[str, Any]]:
    html = _XML_DECLARATION.sub("", html)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as err:
        raise InputError(label, f"HTML cannot be parsed: {err}") from None
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=False,
        deduplicate=False,
    )
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise InputError(label, "no main text found in the HTML page (trafilatura extracted nothing)")
    text: str = doc.text or ""
    found: dict[str, Any] = {
        "title": doc.title,
        "author": doc.author,
        "source": doc.sitename,
        "url": doc.url,
        "published": _published_from_meta(tree) or doc.date,
    }
    kept = _squash(normalize(text))
    found["removed_blocks"] = [b for b in _visible_blocks(html) if _squash(b) not in kept]
    return text, found


def _published_from_meta(tree) -> str | None:
    """The full publication timestamp from the page's meta tags (trafilatura keeps the day only)."""
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip()
        if key.lower() in {k.lower() for k in _PUBLISHED_META} and el.get("content"):
            stamp = normalize_timestamp(el.get("content"))
            if stamp:
                return stamp
    for el in tree.iter("time"):
        if el.get("datetime") and (el.get("itemprop") == "datePublished" or el.get("pubdate") is not None):
            return normalize_timestamp(el.get("datetime"))
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _visible_blocks(html: str) -> list[str]:
    """The text of every innermost block of the page, for the record of what was removed."""
    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script|//style|//noscript|//template|//head|//svg"):
        bad.drop_tree()
    blocks = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCK_TAGS:
            continue
        if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el.iterdescendants()):
            # Text sitting directly in a container (not inside its child blocks) is a block too.
            own = " ".join(t.strip() for t in [el.text or ""] + [c.tail or "" for c in el] if t.strip())
            if own:
                blocks.append(normalize(own))
            continue
        text = normalize(" ".join(t.strip() for t in el.itertext() if t.strip()))
        if text:
            blocks.append(text)
    return blocks
