"""http(s) URLs: a page, or a feed whose entries become articles."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator

from ..errors import InputError
from ..models import RawDocument, Rejection
from .feed import feed_documents, looks_like_feed
from .files import decode_html

USER_AGENT = "storyfuse/0.1 (+offline news corroboration)"
TIMEOUT_S = 20


def url_id(url: str) -> str:
    """A readable id from a URL: host and path, without scheme, query or trailing slash."""
    bare = re.sub(r"^https?://", "", url).split("#")[0].split("?")[0].rstrip("/")
    return bare or url


def url_documents(url: str, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            data = response.read(max_bytes + 1)
            ctype = response.headers.get("Content-Type", "")
            final_url = response.geturl()
    except urllib.error.HTTPError as err:
        raise InputError(url, f"HTTP error {err.code} {err.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise InputError(url, f"cannot be fetched: {reason}") from None
    if len(data) > max_bytes:
        raise InputError(url, f"response is over the {max_bytes:,}-byte limit ([ingest] max_bytes)")
    if not data.strip():
        raise InputError(url, "empty response")
    text = decode_html(data, url)
    media = ctype.split(";")[0].strip().lower()
    if media in ("application/rss+xml", "application/atom+xml", "application/rdf+xml") or (
        "html" not in media and looks_like_feed(text)
    ):
        yield from feed_documents(text, url, url_id(url))
        return
    yield RawDocument(id=url_id(final_url), input=url, kind="html", content=text, meta={"url": final_url})
