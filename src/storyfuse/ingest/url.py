"""http(s) URLs given as inputs: a page, or a feed whose entries become articles."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..models import RawDocument
from .feed import looks_like_feed
from .fetch import FetchError, fetch, url_id
from .files import decode_html

__all__ = ["Page", "fetch_input", "url_id"]

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True, slots=True)
class Page:
    """What a URL input gave: decoded text, its media type and where it ended up."""

    url: str  # as given
    final_url: str  # after redirects
    media_type: str
    text: str

    def is_feed(self) -> bool:
        return self.media_type in _FEED_TYPES or ("html" not in self.media_type and looks_like_feed(self.text))

    def document(self) -> RawDocument:
        return RawDocument(id=url_id(self.final_url), input=self.url, kind="html", content=self.text,
                           meta={"url": self.final_url})


def fetch_input(url: str, max_bytes: int, public_only: bool = False) -> Page:
    """Fetch a URL input (within the deadline and size limit of ``fetch.fetch``)."""
    try:
        got = fetch(url, max_bytes, public_only=public_only)
    except FetchError as err:
        raise InputError(url, f"cannot be fetched: {err.reason}") from None
    if not got.data.strip():
        raise InputError(url, "empty response")
    return Page(url, got.url, got.media_type, decode_html(got.data, url))
