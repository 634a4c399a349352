"""What fuzzing checks, shared by the property-based tests (hypothesis, in the suite) and the
coverage-guided run (atheris, ``make fuzz``, outside it): a file of any content, given to a
reader by its extension, comes out as documents and rejections; every rejection has a
one-line reason; no reader or cleaning error escapes, and none is caught only by the last
guard (whose reason asks the user to report a bug).

Imported as ``from fuzzing import ...`` (``tests/`` is on ``sys.path``, see ``synthetic``).
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from storyfuse.config import Config
from storyfuse.errors import InputError
from storyfuse.ingest import read_inputs
from storyfuse.ingest.fetch import FetchError
from storyfuse.models import RawDocument, Rejection

# Each reader by the file name that selects it (``.dat``: read by sniffing its content).
READERS = {"text": "article.txt", "markdown": "article.md", "html": "page.html", "feed": "feed.rss",
           "atom": "feed.atom", "jsonl": "news.jsonl", "json": "news.json", "warc": "crawl.warc",
           "warc_gz": "crawl.warc.gz", "gzip": "article.txt.gz", "sniffed": "input.dat"}
BUG = "report this as a bug"  # what the last guard says of an error no reader expected
CONFIG = Config()


class Escaped(AssertionError):
    """A fault the readers or cleaning did not turn into a rejection."""


def _offline(url: str, *args, **kwargs):
    raise FetchError("offline while fuzzing", unreachable=True)


def read_and_clean(data: bytes, name: str, folder: Path) -> tuple[int, int]:
    """Read ``data`` as a file called ``name`` and clean every document; returns (articles,
    rejections). Raises ``Escaped`` (or the escaped error itself) when a fault gets out."""
    from storyfuse.clean import clean_document

    path = folder / name
    path.write_bytes(data)
    articles = rejections = 0
    with mock.patch("storyfuse.ingest.feed.fetch", _offline):  # a feed's links are never fetched here
        items = list(read_inputs([str(path)], CONFIG.ingest))
    for item in items:
        if isinstance(item, Rejection):
            _check_reason(item.reason, item.input)
            rejections += 1
            continue
        if not isinstance(item, RawDocument):
            raise Escaped(f"a reader gave {type(item).__name__}, not a document or a rejection")
        try:
            clean_document(item, CONFIG.clean)
        except InputError as err:
            _check_reason(err.reason, item.input)
            rejections += 1
        else:
            articles += 1
    return articles, rejections


def _check_reason(reason: str, where: str) -> None:
    if not reason or "\n" in reason:
        raise Escaped(f"{where}: a rejection needs a one-line reason, got {reason!r}")
    if BUG in reason:
        raise Escaped(f"{where}: an error escaped the reader: {reason}")
