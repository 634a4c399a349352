"""RSS and Atom feeds (through feedparser): one article per entry.

Many feeds carry only a summary or a teaser of each article. Such an entry is fetched from its
link (http/https only, with the limits of URL inputs) and the page becomes the document; when
the fetch fails the summary is kept, with a note saying so (``meta["note"]``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import feedparser

from ..errors import InputError
from ..models import RawDocument, Rejection
from .fetch import FetchError, fetch, is_web_url, url_id
from .files import decode_html

TEASER_WORDS = 80  # an entry body shorter than this is a summary, not the article
_TAG = re.compile(r"<[^>]*>")
_ELLIPSIS = re.compile(r"(\.\.\.|…)\s*[\])]?$")
# Links and sign-offs that end a teaser; matched at the very end of the entry's text.
_READ_MORE = re.compile(
    r"(read\s+more|continue\s+reading|keep\s+reading|read\s+the\s+(full|whole|rest\s+of\s+the)\s+(story|article|post)"
    r"|read\s+the\s+rest|appeared\s+first\s+on\s+[^\n]{1,150})[\s\W]*$",
    re.I,
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def looks_like_feed(head: str) -> bool:
    head = head.lstrip()[:1000].lower()
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head) or head.startswith(("<rss", "<feed"))


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry as the feed gives it, before any fetch."""

    id: str
    input: str  # the feed and the entry's position: "feed.rss#3"
    body: str  # "" when the entry has a link but no content or summary
    kind: Literal["text", "html"]
    link: str
    meta: dict[str, str] = field(default_factory=dict)


def _iso(parsed) -> str | None:
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).isoformat()


def feed_entries(text: str, label: str, stem: str) -> Iterator[FeedEntry | Rejection]:
    """The entries of a feed; raises InputError when the feed as a whole cannot be read."""
    # As a stream: feedparser takes a string that looks like an address or a path for one,
    # and fetches or opens it (found by fuzzing: a feed file holding "//[>" raised; one holding
    # "http://…" or "/etc/passwd" would have been fetched or read).
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8", "surrogatepass")))
    if parsed.get("bozo") and not parsed.entries:
        reason = " ".join(str(parsed.get("bozo_exception")).split())[:150]
        raise InputError(label, f"not a readable RSS/Atom feed: {reason}")
    # (.get: feedparser leaves out "version" for a text that is only a byte-order mark; found by fuzzing)
    if not parsed.get("version") and not parsed.entries:
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
        link = (entry.get("link") or "").strip()
        if not body.strip() and not is_web_url(link):
            yield Rejection(where, "feed entry has no content or summary to read")
            continue
        meta = {
            k: v
            for k, v in {
                "title": entry.get("title"),
                "url": link,
                "author": entry.get("author"),
                "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                "source": feed_title,
                "language": parsed.feed.get("language"),
            }.items()
            if v
        }
        if kind == "html" and "<" not in body:
            kind = "text"
        yield FeedEntry(entry_id(entry, stem, number), where, body, kind, link, meta)


def entry_id(entry, stem: str, number: int) -> str:
    """A feed entry keeps its id when the feed is fetched again with new entries on top: its
    guid (or Atom id), else its link, else (nothing better) its position."""
    guid = (entry.get("id") or "").strip()
    if guid:
        return url_id(guid) if guid.lower().startswith(("http://", "https://")) else f"{stem}:{guid}"
    link = (entry.get("link") or "").strip()
    return url_id(link) if link else f"{stem}:{number}"


def is_teaser(body: str) -> bool:
    """A summary rather than the article: short, cut off with an ellipsis, or ending in a
    "Read more" link."""
    text = " ".join(html.unescape(_TAG.sub(" ", body)).split())
    return len(text.split()) < TEASER_WORDS or bool(_ELLIPSIS.search(text) or _READ_MORE.search(text))


class EntryReader:
    """Turns the entries of one feed into documents, fetching the article behind a teaser.

    A host that cannot be reached at all is not tried again for the rest of the feed, so a
    feed of fifty teasers read offline costs one failed connection per host, not fifty.
    """

    def __init__(self, max_bytes: int, deadline_s: float | None = None, public_only: bool = False):
        self.max_bytes = max_bytes
        self.public_only = public_only
        self.deadline_s = deadline_s
        self._unreachable: set[str] = set()

    def document(self, entry: FeedEntry) -> RawDocument | Rejection:
        if entry.body.strip() and not is_teaser(entry.body):
            return RawDocument(id=entry.id, input=entry.input, kind=entry.kind, content=entry.body, meta=entry.meta)
        if not is_web_url(entry.link):
            note = "feed summary only: the entry has no http(s) link to fetch the article from"
            return self._summary(entry, note)
        try:
            page, url = self._fetch(entry.link)
        except FetchError as err:
            if not entry.body.strip():
                return Rejection(entry.input, f"feed entry has no content or summary, and fetching {_clip(entry.link)} "
                                              f"failed ({err.reason})")
            return self._summary(entry, f"feed summary only: fetching {_clip(entry.link)} failed ({err.reason})")
        return RawDocument(id=entry.id, input=entry.input, kind="html", content=page,
                           meta={**entry.meta, "url": url})

    def _summary(self, entry: FeedEntry, note: str) -> RawDocument:
        return RawDocument(id=entry.id, input=entry.input, kind=entry.kind, content=entry.body,
                           meta={**entry.meta, "note": note})

    def _fetch(self, link: str) -> tuple[str, str]:
        """The page behind ``link`` and its URL after redirects."""
        try:
            host = (urlsplit(link).hostname or "").lower()
        except ValueError:
            raise FetchError("not a valid URL") from None
        if host in self._unreachable:
            raise FetchError(f"skipped: {host} could not be reached for an earlier entry")
        try:
            got = fetch(link, self.max_bytes, self.deadline_s, public_only=self.public_only)
        except FetchError as err:
            if err.unreachable:
                self._unreachable.add(host)
            raise
        if got.media_type and got.media_type not in _HTML_TYPES:
            raise FetchError(f"the link gives {got.media_type}, not an HTML page")
        if not got.data.strip():
            raise FetchError("empty response")
        try:
            page = decode_html(got.data, link)
        except InputError as err:
            raise FetchError(err.reason) from None
        if not got.media_type and "<html" not in page[:4096].lower() and "<body" not in page[:4096].lower():
            raise FetchError("the link gives no content type and does not look like an HTML page")
        return page, got.url


def _clip(url: str, limit: int = 150) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"
