"""Ingest: turn command-line inputs (files, directories, globs, URLs) into raw documents.

Only this package touches files and the network. Every input ends up either as a
``RawDocument`` or as a ``Rejection`` with a reason: nothing is dropped silently. Hidden
files and folders (names starting with a dot) under a directory are not inputs and are skipped.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..config import IngestConfig
from ..errors import InputError
from ..models import RawDocument, Rejection
from .feed import feed_documents, looks_like_feed
from .files import decode_html, decode_text, gunzip, read_bytes
from .jsonl import json_documents, jsonl_documents
from .text import text_document
from .url import url_documents
from .warc import warc_documents

__all__ = ["read_inputs", "read_file", "InputItem"]

InputItem = RawDocument | Rejection

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


def read_inputs(inputs: list[str], config: IngestConfig, source: str | None = None) -> Iterator[InputItem]:
    """Yield every document (or rejection) found in ``inputs``, in a stable order."""
    for item in _expand(inputs, config):
        if isinstance(item, RawDocument) and source and not item.meta.get("source"):
            item = dataclasses.replace(item, meta={**item.meta, "source": source})
        yield item


def _expand(inputs: list[str], config: IngestConfig) -> Iterator[InputItem]:
    seen: set[str] = set()  # real paths read so far: a file named twice is read once

    def once(path: Path) -> bool:
        real = os.path.realpath(path)
        if real in seen:
            return False
        seen.add(real)
        return True

    for given in inputs:
        if _URL.match(given):
            yield from _guarded(lambda url=given: url_documents(url, config.max_bytes))
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, config, once)
        elif path.is_file():
            if once(path):
                yield from _guarded(lambda p=path: read_file(p, _strip_suffix(p.name), config))
        elif _GLOB_CHARS.search(given):
            matches = sorted(m for m in glob.glob(given, recursive=True) if Path(m).is_file())
            if not matches:
                yield Rejection(given, "the pattern matched no files")
            for match in matches:
                p = Path(match)
                if once(p):
                    yield from _guarded(lambda p=p: read_file(p, _strip_suffix(p.name), config))
        elif os.path.lexists(given):
            yield Rejection(given, "not a regular file or directory (broken link or special file)")
        else:
            yield Rejection(given, "no such file or directory")


def _walk(root: Path, config: IngestConfig, once) -> Iterator[InputItem]:
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
    for rel, path in sorted(found):
        if not path.exists():
            yield Rejection(str(path), "broken link: the file it points to does not exist")
        elif once(path):
            doc_id = _strip_suffix(rel)
            yield from _guarded(lambda p=path, i=doc_id: read_file(p, i, config))
    for err in errors:
        yield Rejection(str(err.filename or root), f"folder cannot be read: {err.strerror or err}")


def _guarded(produce) -> Iterator[InputItem]:
    """Run a reader; an InputError becomes a Rejection and the run goes on."""
    try:
        yield from produce()
    except InputError as err:
        yield Rejection(err.input, err.reason)


def read_file(path: Path, doc_id: str, config: IngestConfig) -> Iterator[InputItem]:
    """Read one file by its extension (or, failing that, by its content); ``.gz`` files are
    decompressed first and read by the extension under it (``page.html.gz``)."""
    label = str(path)
    lower = path.name.lower()
    if lower.endswith(_WARC_SUFFIXES):
        yield from warc_documents(path, doc_id)
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
        yield from feed_documents(decode_html(data, label), label, doc_id)
    else:
        yield from _sniffed(data, label, doc_id)


def _sniffed(data: bytes, label: str, doc_id: str) -> Iterator[InputItem]:
    """A file with an unknown extension: decide by content, refuse what is not text."""
    text = decode_text(data, label)
    head = text.lstrip()[:2000].lower()
    if looks_like_feed(head):
        yield from feed_documents(text, label, doc_id)
    elif head.startswith(("<!doctype html", "<html")) or "<body" in head:
        yield RawDocument(id=doc_id, input=label, kind="html", content=text)
    elif head.startswith("{") and "\n{" in text:
        yield from jsonl_documents(text, label, doc_id)
    elif head.startswith(("{", "[")):
        yield from json_documents(text, label, doc_id)
    else:
        yield text_document(doc_id, label, text, markdown=False)
