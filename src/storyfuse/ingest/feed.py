"""RSS and Atom feeds (through feedparser): one article per entry."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Literal

import feedparser

from ..errors import InputError
from ..models import RawDocument, Rejection


def looks_like_feed(head: str) -> bool:
    head = head.lstrip()[:1000].lower()
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head) or head.startswith(("<rss", "<feed"))


def _iso(parsed) -> str | None:
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).isoformat()


def feed_documents(text: str, label: str, stem: str) -> Iterator[RawDocument | Rejection]:
    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        raise InputError(label, f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
    if not parsed.version and not parsed.entries:
        raise InputError(label, "XML but not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
    if not parsed.entries:
        raise InputError(label, "the feed has no entries")
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{label}#{number}"
        body = ""
        kind: Literal["text", "html"] = "html"
        if entry.get("content"):
            body = entry.content[0].get("value", "")
            kind = "text" if entry.content[0].get("type") == "text/plain" else "html"
        elif entry.get("summary"):
            body = entry.summary
        if not body.strip():
            yield Rejection(where, "feed entry has no content or summary to read")
            continue
        meta = {
            k: v
            for k, v in {
                "title": entry.get("title"),
                "url": entry.get("link"),
                "author": entry.get("author"),
                "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                "source": feed_title,
                "language": parsed.feed.get("language"),
            }.items()
            if v
        }
        if kind == "html" and "<" not in body:
            kind = "text"
        yield RawDocument(id=entry_id(entry, stem, number), input=where, kind=kind, content=body, meta=meta)


def entry_id(entry, stem: str, number: int) -> str:
    """A feed entry keeps its id when the feed is fetched again with new entries on top: its
    guid (or Atom id), else its link, else (nothing better) its position."""
    from .url import url_id

    guid = (entry.get("id") or "").strip()
    if guid:
        return url_id(guid) if guid.lower().startswith(("http://", "https://")) else f"{stem}:{guid}"
    link = (entry.get("link") or "").strip()
    return url_id(link) if link else f"{stem}:{number}"
