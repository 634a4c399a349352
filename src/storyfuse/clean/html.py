"""HTML: the main text and metadata of a page (trafilatura), and the page's visible blocks
(for the record of what was removed)."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from ..errors import InputError
from .metadata import normalize_timestamp
from .text import normalize

_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "figcaption",
    "caption", "dt", "dd", "pre", "address", "header", "footer", "nav", "aside", "section",
    "article", "main", "form", "button", "label", "ul", "ol", "table", "figure", "body",
}
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
    "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date",
)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def extract_html(html: str, url: str | None, label: str) -> tuple[str, dict[str, Any]]:
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
