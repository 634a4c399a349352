"""The trafilatura evaluation pages: HTML, kept/dropped snippets, recorded metadata, site splits.

Reads ``trafilatura-eval/tests/evaldata.json`` and the gzip-compressed HTML next to it
(``tests/eval`` or ``tests/cache``) from the data folder; nothing is copied into the project.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import html as htmllib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tld import get_fld, get_tld

from .data import dataset_dir

NAME = "trafilatura-eval"
_HTML_DIRS = ("eval", "cache")
_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_ARCHIVE = re.compile(r"^https?://(?:web\.)?archive\.org/web/[^/]+/(.+)$", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_TAG = re.compile(r"<(?:link|meta)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_DATE = re.compile(r"(\d{4})-(\d{1,2})[-.](\d{1,2})")


@dataclass(frozen=True, slots=True)
class Page:
    """One evaluation page with its gold snippets and the metadata recorded for it."""

    page_id: str  # the ``file`` name without ``.html``
    url: str  # the evaldata.json key, stripped (a few keys are labels like ``hard::name.html``)
    site: str  # registered domain of the original page (archive copies map to their origin)
    html: str
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]
    title: str | None = None
    author: str | None = None  # several authors are joined with "; "
    date: str | None = None  # ISO ``YYYY-MM-DD`` where the recorded value could be read
    sitename: str | None = None  # recorded for a handful of pages only


def _byte_as_cp1252(err: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: read the offending bytes as cp1252."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start:err.end].decode("cp1252", errors="replace"), err.end


codecs.register_error("storyfuse.cp1252", _byte_as_cp1252)


def _legacy_codec(name: str) -> str | None:
    """A Python codec for a declared charset; latin-1 and ascii read as cp1252, as browsers do."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def decode_html(raw: bytes) -> str:
    """Bytes to text: UTF-8; mostly-UTF-8 pages keep stray bytes as cp1252; else the declared charset."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    valid = len(_UTF8_SEQ.findall(raw))
    invalid = raw.decode("utf-8", errors="replace").count("\ufffd")
    if valid > invalid:
        return raw.decode("utf-8", errors="storyfuse.cp1252")
    found = _CHARSET.search(raw[:8192])
    codec = _legacy_codec(found.group(1).decode("ascii")) if found else "cp1252"
    if codec == "utf-8":  # the declaration is wrong: guess
        from charset_normalizer import from_bytes  # a trafilatura dependency

        best = from_bytes(raw).best()
        codec = _legacy_codec(best.encoding) if best else None
    try:
        return raw.decode(codec or "cp1252")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def original_url(url: str) -> str | None:
    """The page's own URL: typos before the scheme dropped, web.archive.org copies unwrapped."""
    found = _SCHEME.search(url.strip())
    if not found:
        return None
    url = url.strip()[found.start():]
    while (wrapped := _ARCHIVE.match(url)) is not None:
        inner = wrapped.group(1)
        url = inner if _SCHEME.match(inner) else "http://" + inner
    return url


def registered_domain(url: str) -> str | None:
    """``https://www.bbc.co.uk/news`` -> ``bbc.co.uk`` (private suffixes such as blogspot.com count)."""
    fld = get_fld(url, fail_silently=True, fix_protocol=True)
    return fld.lower() if isinstance(fld, str) else None


def _declared_urls(text: str) -> list[str]:
    """The canonical link and og:url of a page, in that order."""
    canonical, og = [], []
    for tag in _TAG.finditer(text[:200_000]):
        attrs = {k.lower(): htmllib.unescape(v.strip("\"'")) for k, v in _ATTR.findall(tag.group())}
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            canonical.append(attrs["href"])
        elif attrs.get("property", attrs.get("name", "")).lower() == "og:url" and attrs.get("content"):
            og.append(attrs["content"])
    return canonical + og


def _domain_from_name(name: str) -> str | None:
    """``mercurynews.com.2023.01.16.letters-1119`` -> ``mercurynews.com`` (shortest host, longest suffix)."""
    parts = name.split("-")[0].split(".")
    best, suffix = None, None
    for end in range(2, len(parts) + 1):
        host = "http://" + ".".join(parts[:end])
        found = get_tld(host, fail_silently=True)
        tld = found if isinstance(found, str) else None
        if best is None and tld:
            best, suffix = registered_domain(host), tld
        elif best is not None and tld == f"{suffix}.{parts[end - 1]}":
            best, suffix = registered_domain(host), tld  # e.g. laestrella.com -> laestrella.com.pa
        elif best is not None:
            break
    return best


def site_of(url: str, html: str = "", file_name: str = "") -> str:
    """Registered domain of a page: from its URL, else its canonical URL, else its file name."""
    for candidate in [url, *_declared_urls(html)]:
        orig = original_url(candidate)
        domain = registered_domain(orig) if orig else None
        if domain and domain != "archive.org":
            return domain
    return _domain_from_name(file_name.removesuffix(".html")) or file_name or url


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = "; ".join(str(v).strip() for v in value if str(v).strip())
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _iso_date(value: object) -> str | None:
    """The recorded date as ISO; a few are ``2022-01.26``, ``2022-11-1`` or day before month."""
    text = _text(value)
    found = _DATE.fullmatch(text) if text else None
    if not found:
        return text
    year, first, second = (int(g) for g in found.groups())
    month, day = (second, first) if first > 12 >= second else (first, second)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def _html_path(tests: Path, file_name: str) -> Path | None:
    for sub in _HTML_DIRS:
        path = tests / sub / f"{file_name}.gz"
        if path.is_file():
            return path
    return None


def _entries(tests: Path) -> list[tuple[str, dict[str, Any]]]:
    """(url, entry) pairs of evaldata.json, sorted by page id."""
    with open(tests / "evaldata.json", encoding="utf-8") as fh:
        raw = json.load(fh)
    return sorted(raw.items(), key=lambda item: (item[1]["file"].removesuffix(".html"), item[0]))


def missing_files(data: str | Path | None = None) -> list[str]:
    """File names referenced by evaldata.json whose HTML is in neither folder."""
    tests = dataset_dir(NAME, data) / "tests"
    return [e["file"] for _, e in _entries(tests) if _html_path(tests, e["file"]) is None]


def load_pages(data: str | Path | None = None) -> list[Page]:
    """All pages whose HTML is present, sorted by page id (missing files are skipped)."""
    tests = dataset_dir(NAME, data) / "tests"
    pages = []
    for url, entry in _entries(tests):
        file_name = entry["file"]
        path = _html_path(tests, file_name)
        if path is None:
            continue
        text = decode_html(gzip.decompress(path.read_bytes()))
        pages.append(Page(
            page_id=file_name.removesuffix(".html"),
            url=url.strip(),
            site=site_of(url, text, file_name),
            html=text,
            with_snippets=tuple(entry.get("with") or ()),
            without_snippets=tuple(entry.get("without") or ()),
            title=_text(entry.get("title")),
            author=_text(entry.get("author")),
            date=_iso_date(entry.get("date")),
            sitename=_text(entry.get("sitename")),
        ))
    return pages


def _site_key(site: str, seed: int) -> float:
    """A stable number in [0, 1) for a site name and a seed."""
    digest = hashlib.sha256(f"{seed}:{site}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _by_site(pages: Iterable[Page]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        groups[page.site].append(page.page_id)
    return groups


def site_folds(pages: Iterable[Page], k: int = 5, seed: int = 0) -> list[list[str]]:
    """``k`` lists of page ids, each site wholly in one; biggest sites first into the smallest fold."""
    if k < 2:
        raise ValueError("k must be at least 2")
    groups = _by_site(pages)
    folds: list[list[str]] = [[] for _ in range(k)]
    for site in sorted(groups, key=lambda s: (-len(groups[s]), _site_key(s, seed), s)):
        smallest = min(range(k), key=lambda i: (len(folds[i]), i))
        folds[smallest].extend(groups[site])
    return [sorted(fold) for fold in folds]


def train_test_by_site(
    pages: Iterable[Page], test_share: float = 0.3, seed: int = 0
) -> tuple[set[str], set[str]]:
    """(training ids, held-out ids): a site is held out when its seeded hash is below ``test_share``."""
    if not 0.0 < test_share < 1.0:
        raise ValueError("test_share must be between 0 and 1")
    train: set[str] = set()
    test: set[str] = set()
    for site, ids in _by_site(pages).items():
        (test if _site_key(site, seed) < test_share else train).update(ids)
    return train, test
