"""Ingest: turn command-line inputs (files, directories, globs, URLs) into raw documents.

Only this package touches files and the network. Every input ends up either as a
``RawDocument`` or as a ``Rejection`` with a one-line reason: nothing is dropped silently,
and no input, however malformed, stops the run. Hidden files and folders (names starting
with a dot) under a directory are not inputs and are skipped.

Feeds: an entry that holds only a summary or a teaser is fetched from its link within a
deadline (``fetch.FETCH_DEADLINE_S``); when that fails the summary is kept, with
``meta["note"]`` saying why (see ``feed.py``). To read a grown feed again without fetching
what is already stored, pass ``is_stored``: an entry whose id it accepts is neither read nor
fetched, and comes out as ``AlreadyStored(id, input)`` instead, for the caller to count as
already stored (it is one input read, like a document). Entries the caller wants read again
(to replace them, or to retry one stored as a summary only) are the ones ``is_stored``
refuses. Without ``is_stored`` no ``AlreadyStored`` is ever yielded.
"""

from __future__ import annotations

import dataclasses
import glob
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..config import IngestConfig
from ..errors import InputError
from ..models import RawDocument, Rejection
from .feed import EntryReader, feed_entries, looks_like_feed
from .files import decode_html, decode_text, gunzip, read_bytes
from .jsonl import json_documents, jsonl_documents
from .text import text_document
from .url import fetch_input, url_id
from .warc import warc_documents

__all__ = ["read_inputs", "read_file", "InputItem", "AlreadyStored", "IsStored"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    """A feed entry whose id the caller says is stored: not read again, not fetched."""

    id: str
    input: str  # the feed and the entry's position, as for a document: "feed.rss#3"


InputItem = RawDocument | Rejection | AlreadyStored
IsStored = Callable[[str], bool]

_URL = re.compile(r"^https?://", re.I)
_GLOB_CHARS = re.compile(r"[*?\[]")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_FEED_SUFFIXES = (".rss", ".atom", ".xml")


def _strip_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in _WARC_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    if lower.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[0]


def read_inputs(
    inputs: list[str], config: IngestConfig, source: str | None = None, is_stored: IsStored | None = None
) -> Iterator[InputItem]:
    """Yield every document (or rejection) found in ``inputs``, in a stable order; with
    ``is_stored``, feed entries it accepts come out as ``AlreadyStored`` (module docstring)."""
    for item in _expand(inputs, config, is_stored):
        if isinstance(item, RawDocument) and source and not item.meta.get("source"):
            item = dataclasses.replace(item, meta={**item.meta, "source": source})
        yield item


def _expand(inputs: list[str], config: IngestConfig, is_stored: IsStored | None) -> Iterator[InputItem]:
    seen: set[str] = set()  # real paths read so far: a file named twice is read once

    def once(path: Path) -> bool:
        real = os.path.realpath(path)
        if real in seen:
            return False
        seen.add(real)
        return True

    for given in inputs:
        if _URL.match(given):
            yield from _guarded(given, partial(_url_items, given, config, is_stored))
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, config, once, is_stored)
        elif path.is_file():
            if once(path):
                yield from _guarded(given, partial(read_file, path, _strip_suffix(path.name), config, is_stored))
        elif _GLOB_CHARS.search(given):
            matches = sorted(m for m in glob.glob(given, recursive=True) if Path(m).is_file())
            if not matches:
                yield Rejection(given, "the pattern matched no files")
            for match in matches:
                p = Path(match)
                if once(p):
                    yield from _guarded(match, partial(read_file, p, _strip_suffix(p.name), config, is_stored))
        elif os.path.lexists(given):
            yield Rejection(given, "not a regular file or directory (broken link or special file)")
        else:
            yield Rejection(given, "no such file or directory")


def _walk(root: Path, config: IngestConfig, once: Callable[[Path], bool],
          is_stored: IsStored | None) -> Iterator[InputItem]:
    """Every visible file under ``root``, in order of relative path; linked folders are
    followed, each real folder once (no loops)."""
    errors: list[OSError] = []
    found: list[tuple[str, Path]] = []
    folders: set[str] = set()
    for folder, dirs, files in os.walk(root, onerror=errors.append, followlinks=True):
        real = os.path.realpath(folder)
        if real in folders:
            dirs[:] = []
            continue
        folders.add(real)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = Path(folder, name)
                found.append((path.relative_to(root).as_posix(), path))
    if not found and not errors:
        yield Rejection(str(root), "the folder holds no files to read (hidden files are skipped)")
    ids = walk_ids(rel for rel, _ in found)
    for rel, path in sorted(found):
        if not path.exists():
            yield Rejection(str(path), "broken link: the file it points to does not exist")
        elif once(path):
            yield from _guarded(str(path), partial(read_file, path, ids[rel], config, is_stored))
    for err in errors:
        yield Rejection(str(err.filename or root), f"folder cannot be read: {err.strerror or err}")


def walk_ids(relative_paths: Iterable[str]) -> dict[str, str]:
    """The id of each file found under a directory: its relative path without extension, or
    with it when another file of the same folder has the same stem (``a.txt`` and ``a.html``
    are ``a.txt`` and ``a.html``). It depends only on the folder's files, so it is the same
    on every run over the same folder."""
    paths = list(relative_paths)
    stems = Counter(_strip_suffix(rel) for rel in paths)
    return {rel: rel if stems[_strip_suffix(rel)] > 1 else _strip_suffix(rel) for rel in paths}


def _guarded(label: str, produce: Callable[[], Iterable[InputItem]]) -> Iterator[InputItem]:
    """Run a reader; an InputError becomes a Rejection and the run goes on. So does any other
    error: a parser failing on malformed input must not end the run."""
    try:
        yield from produce()
    except InputError as err:
        yield Rejection(err.input, err.reason)
    except RecursionError:
        yield Rejection(label, "nested too deeply to read (past Python's recursion limit); is the file malformed?")
    except Exception as err:
        log.debug("reading %s failed", label, exc_info=True)
        message = " ".join(str(err).split())[:120]
        yield Rejection(label, f"cannot be read ({type(err).__name__}: {message}); is the file malformed? "
                               "If it is not, please report this as a bug")


def _url_items(url: str, config: IngestConfig, is_stored: IsStored | None) -> Iterator[InputItem]:
    page = fetch_input(url, config.max_bytes, config.public_addresses_only)
    if page.is_feed():
        yield from _feed_items(page.text, url, url_id(url), config, is_stored)
    else:
        yield page.document()


def _feed_items(text: str, label: str, stem: str, config: IngestConfig,
                is_stored: IsStored | None) -> Iterator[InputItem]:
    reader = EntryReader(config.max_bytes, public_only=config.public_addresses_only)
    for entry in feed_entries(text, label, stem):
        if isinstance(entry, Rejection):
            yield entry
        elif is_stored is not None and is_stored(entry.id):
            yield AlreadyStored(entry.id, entry.input)
        else:
            yield reader.document(entry)


def read_file(path: Path, doc_id: str, config: IngestConfig, is_stored: IsStored | None = None) -> Iterator[InputItem]:
    """Read one file by its extension (or, failing that, by its content); ``.gz`` files are
    decompressed first and read by the extension under it (``page.html.gz``)."""
    label = str(path)
    lower = path.name.lower()
    if lower.endswith(_WARC_SUFFIXES):
        yield from warc_documents(path, doc_id, config.max_bytes)
        return
    data = read_bytes(path, config.max_bytes)
    name = path.name
    if lower.endswith(".gz"):  # a compressed page or text: read what is inside
        data = gunzip(data, label, config.max_bytes)
        name = name[:-3]
    suffix = Path(name).suffix.lower()
    if suffix in config.jsonl_extensions:
        yield from jsonl_documents(decode_text(data, label), label, doc_id)
    elif suffix == ".json":
        yield from json_documents(decode_text(data, label), label, doc_id)
    elif suffix in config.html_extensions:
        yield RawDocument(id=doc_id, input=label, kind="html", content=decode_html(data, label))
    elif suffix in config.text_extensions:
        markdown = suffix in (".md", ".markdown")
        yield text_document(doc_id, label, decode_text(data, label), markdown)
    elif suffix in _FEED_SUFFIXES:
        yield from _feed_items(decode_html(data, label), label, doc_id, config, is_stored)
    else:
        yield from _sniffed(data, label, doc_id, config, is_stored)


def _sniffed(data: bytes, label: str, doc_id: str, config: IngestConfig,
             is_stored: IsStored | None) -> Iterator[InputItem]:
    """A file with an unknown extension: decide by content, refuse what is not text."""
    text = decode_text(data, label)
    head = text.lstrip()[:2000].lower()
    if looks_like_feed(head):
        yield from _feed_items(text, label, doc_id, config, is_stored)
    elif head.startswith(("<!doctype html", "<html")) or "<body" in head:
        yield RawDocument(id=doc_id, input=label, kind="html", content=text)
    elif head.startswith("{") and "\n{" in text:
        yield from jsonl_documents(text, label, doc_id)
    elif head.startswith(("{", "[")):
        yield from json_documents(text, label, doc_id)
    else:
        yield text_document(doc_id, label, text, markdown=False)
