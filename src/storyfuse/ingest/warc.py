"""WARC archives (through warcio): one article per HTML response record.

warcio stops quietly at a file cut short (a truncated download), and trips over a record
header cut in the middle. So each record is read to its end and checked against its
Content-Length, and the bytes after the last whole record are looked at: the records before
the damage become documents, the loss one rejection naming the record where reading stopped.
The record's WARC-Date is when it was crawled, not when the article was published: it goes
to ``meta["crawl_date"]``, and the publication time is left to the page itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord

from ..errors import InputError
from ..models import RawDocument, Rejection
from .files import decode_html

log = logging.getLogger(__name__)

_BLOCK = 1 << 16
_HEADER_MAX = 1 << 16  # a WARC record header is a few hundred bytes
TRUNCATED = "the file ends in the middle of a record (truncated download?)"
DAMAGED = "the record header is damaged, so the rest cannot be read (is the file corrupt?)"
NOT_WARC = "not a readable WARC file (it does not start with a 'WARC/1.x' record header)"


def warc_documents(path: Path, stem: str, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    label = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(label, "empty file")
        with path.open("rb") as stream:
            _check_start(stream, label)
            yield from _records(stream, size, label, stem, max_bytes)
    except OSError as err:
        raise InputError(label, f"cannot be read: {err.strerror or err}") from None


def _check_start(stream: IO[bytes], label: str) -> None:
    """Refuse at once what is not a WARC (random bytes, a page saved as .warc): warcio's own
    message quotes the whole first line, which can be kilobytes of binary."""
    head = stream.read(4096)
    stream.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            raise InputError(label, "not a readable WARC file (starts like gzip but cannot be decompressed)") from None
    if not head.lstrip(b"\r\n").startswith(b"WARC/"):
        raise InputError(label, NOT_WARC)


def _records(stream: IO[bytes], size: int, label: str, stem: str, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    records = ArchiveIterator(stream)
    done = 0  # records read to their end; the one being read is done + 1
    found = 0
    try:
        for record in records:
            length = (record.rec_headers.get_header("Content-Length") or "").strip()
            if record.format != "warc" or not length.isdigit() or not isinstance(record.raw_stream, LimitReader):
                # no WARC/1.x line, or no Content-Length: a header cut short or garbled
                yield _stop(label, done + 1, _damage(stream, records.offset))
                return
            item = _item(record, done + 1, label, stem, max_bytes)
            while record.raw_stream.read(_BLOCK):  # to the record's end, to see whether it is all there
                pass
            if record.raw_stream.limit > 0:
                yield _stop(label, done + 1, TRUNCATED)
                return
            done += 1
            if item is not None:
                found += 1
                yield item
    except Exception:  # warcio raises many kinds on damaged input; none may end the run
        log.debug("reading %s failed at record %d", label, done + 1, exc_info=True)
        yield _stop(label, done + 1, _damage(stream, records.offset))
        return
    if _more_after(stream, records.offset, size):
        yield _stop(label, done + 1, TRUNCATED)
    elif not found:
        raise InputError(label, "the WARC file holds no response or resource records to read")


def _stop(label: str, number: int, why: str) -> Rejection:
    return Rejection(label, f"record {number} and after: {why}")


def _damage(stream: IO[bytes], offset: int) -> str:
    """Why the record starting at ``offset`` cannot be read: the file ends inside its header
    (no blank line closes it), or the header is garbled."""
    stream.seek(offset)
    raw = stream.read(_HEADER_MAX)
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = zlib.decompressobj(wbits=31).decompress(raw, _HEADER_MAX)
        except zlib.error:
            return DAMAGED
    return TRUNCATED if b"\r\n\r\n" not in raw and len(raw) < _HEADER_MAX else DAMAGED


def _more_after(stream: IO[bytes], offset: int, size: int) -> bool:
    """Whether anything but blank lines follows the last whole record."""
    if offset >= size:
        return False
    stream.seek(offset)
    while block := stream.read(_BLOCK):
        if block.strip():
            return True
    return False


def _item(record: ArcWarcRecord, number: int, label: str, stem: str, max_bytes: int) -> RawDocument | Rejection | None:
    """The document (or rejection) of one record; None for records that hold no page."""
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    where = f"{label}#{number} {uri}".rstrip()
    headers = record.http_headers if record.rec_type == "response" else None
    ctype = (headers.get_header("Content-Type") if headers else record.rec_headers.get_header("Content-Type")) or ""
    if "html" not in ctype.lower():
        return Rejection(where, f"WARC response is {ctype or 'of unknown type'}, not HTML")
    status = headers.get_statuscode() if headers else "200"
    if status and not str(status).startswith("2"):
        return Rejection(where, f"WARC response has HTTP status {status}, not a page")
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as err:  # a bad Content-Encoding inside one record: that record only
        return Rejection(where, f"WARC record content cannot be decoded ({type(err).__name__})")
    if len(data) > max_bytes:
        return Rejection(where, f"WARC record is over the {max_bytes:,}-byte limit ([ingest] max_bytes)")
    try:
        html = decode_html(data, where)
    except InputError as err:
        return Rejection(err.input, err.reason)
    meta = {"url": uri} if uri else {}
    crawled = _iso(record.rec_headers.get_header("WARC-Date") or "")
    if crawled:
        meta["crawl_date"] = crawled
    return RawDocument(id=f"{stem}:{number}", input=where, kind="html", content=html, meta=meta)


def _iso(value: str) -> str | None:
    """A WARC-Date (W3C date-time, usually UTC with a 'Z') as ISO 8601 in UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).isoformat()
