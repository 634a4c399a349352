"""A page as a scraper that keeps everything would save it: one line per block element,
whitespace collapsed, scripts and styles dropped.

This is the shape of the junk model's training data (the trafilatura-eval pages turned to
text with their junk) and of the record of what cleaning removed from a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from .text import xml_safe

BLOCK_TAGS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "figcaption",
    "caption", "dt", "dd", "pre", "address", "header", "footer", "nav", "aside", "section", "article",
    "main", "form", "button", "label", "ul", "ol", "table", "figure", "body", "tr", "dl", "details",
    "summary", "option", "select", "legend", "fieldset", "center",
})
_INVISIBLE = "//script|//style|//noscript|//template|//head|//svg|//iframe|//object"


# What a block's place in the page says (the junk model's page features, absent for text).
_TAG_GROUPS = (("p",), ("li",), ("h1", "h2", "h3", "h4", "h5", "h6"), ("td", "th"), ("div",), ("dd", "dt"),
               ("figcaption", "caption"), ("blockquote",), ("label", "button", "option", "select", "legend"), ("pre",))
_ANCESTORS = ("article", "main", "nav", "footer", "header", "aside", "form", "ul", "ol", "table", "figure", "section")
# Words of class and id attributes that name a part of a page, in the languages of web
# templates (mostly English whatever the page's language). Features, not rules.
_CUES = tuple(re.compile(p, re.I) for p in (
    r"nav|menu|breadcrumb", r"foot|copyright|legal|imprint|impressum", r"side|widget|aside",
    r"comment|reply|respond|discuss|kommentar", r"share|social|follow|facebook|twitter|whatsapp",
    r"related|recommend|teaser|popular|trending|also|more-|weitere", r"\bads?\b|advert|sponsor|promo|banner|anzeige",
    r"content|article|entry|post|story|body|text|main", r"meta|byline|author|date|time|tag|categor",
    r"newsletter|subscribe|signup|abo", r"header|masthead|logo|brand", r"caption|credit|photo|image|figure|bild"))
DOM_FEATURES = ("link_share", *(f"tag_{g[0]}" for g in _TAG_GROUPS), *(f"in_{a}" for a in _ANCESTORS),
                *(f"cue_{n}" for n in ("nav", "footer", "side", "comment", "share", "related", "ad", "content",
                                       "meta", "newsletter", "header", "caption")), "depth")


@dataclass(frozen=True)
class Block:
    text: str
    dom: tuple[float, ...]  # DOM_FEATURES


def page_lines(html: str) -> list[str]:
    """The visible text of a page, one line per block (a ``<br>`` breaks a line too)."""
    return [b.text for b in page_blocks(html)]


def page_blocks(html: str) -> list[Block]:
    """The page's lines with what their place in the page says.

    Written by hand: lxml's ``text_content()`` runs blocks together, and trafilatura's own
    conversions drop the page junk this must keep. Walked with events, not recursion, so a
    page nested thousands of levels deep cannot exhaust the stack."""
    try:
        html = xml_safe(html)
        tree = lxml.html.fromstring(html.encode("utf-8") if html.lstrip().startswith("<?xml") else html)
    except (etree.ParserError, ValueError):
        return []
    for invisible in tree.xpath(_INVISIBLE):
        invisible.drop_tree()
    out: list[Block] = []
    buffer: list[str] = []
    linked = [0]  # characters of the current line inside links
    # One entry per open element: its tag, whether a link is open, the tags and class-name
    # cues of it and its ancestors (carried down, so each element is looked at once).
    stack: list[tuple[str, bool, frozenset[str], tuple[bool, ...], str]] = []

    def add(text: str | None) -> None:
        if text:
            buffer.append(text)
            if stack and stack[-1][1]:
                linked[0] += len(" ".join(text.split()))

    def flush() -> None:
        line = " ".join(" ".join(buffer).split())
        if line:
            tag, _, present, cues, block = stack[-1] if stack else ("", False, frozenset(), (False,) * len(_CUES), "")
            depth = sum(1 for entry in stack if entry[0])
            out.append(Block(line, (min(1.0, linked[0] / len(line)), *(float(block in g) for g in _TAG_GROUPS),
                                    *(float(a in present) for a in _ANCESTORS), *(float(c) for c in cues),
                                    float(depth))))
        buffer.clear()
        linked[0] = 0

    for event, element in etree.iterwalk(tree, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):  # not shown, but the text after it is
            add(element.tail)
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        breaks = tag in BLOCK_TAGS or tag == "br"
        if event == "start":
            if breaks:
                flush()
            parent = stack[-1] if stack else ("", False, frozenset(), (False,) * len(_CUES), "")
            names = f"{element.get('class') or ''} {element.get('id') or ''}" if tag else ""
            cues = tuple(p or bool(names.strip() and c.search(names)) for p, c in zip(parent[3], _CUES))
            stack.append((tag, parent[1] or tag == "a", parent[2] | {tag}, cues,
                          tag if tag in BLOCK_TAGS else parent[4]))
            if tag:  # a comment's text is not shown
                add(element.text)
        else:
            if breaks:
                flush()
            stack.pop()
            if element is not tree:
                add(element.tail)
    flush()
    return out
