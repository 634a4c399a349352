"""WARC archives (through warcio): one article per HTML response record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import InputError
from ..models import RawDocument, Rejection
from .files import decode_html


def warc_documents(path: Path, stem: str) -> Iterator[RawDocument | Rejection]:
    label = str(path)
    try:
        if path.stat().st_size == 0:
            raise InputError(label, "empty file")
        found = 0
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if record.format != "warc":
                    # warcio also reads old ARC files, and takes some plain text for one.
                    raise InputError(label, "not a readable WARC file (no WARC/1.x record header)")
                if record.rec_type not in ("response", "resource"):
                    continue
                found += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{label}#{number} {uri}".rstrip()
                headers = record.http_headers if record.rec_type == "response" else None
                ctype = (headers.get_header("Content-Type") if headers else
                         record.rec_headers.get_header("Content-Type")) or ""
                if "html" not in ctype.lower():
                    yield Rejection(where, f"WARC response is {ctype or 'of unknown type'}, not HTML")
                    continue
                status = headers.get_statuscode() if headers else "200"
                if status and not str(status).startswith("2"):
                    yield Rejection(where, f"WARC response has HTTP status {status}, not a page")
                    continue
                try:
                    html = decode_html(record.content_stream().read(), where)
                except InputError as err:
                    yield Rejection(err.input, err.reason)
                    continue
                meta = {"url": uri} if uri else {}
                date = record.rec_headers.get_header("WARC-Date")
                if date:
                    meta["crawled"] = date
                yield RawDocument(id=f"{stem}:{number}", input=where, kind="html", content=html, meta=meta)
            if not found:
                raise InputError(label, "the WARC file holds no response or resource records to read")
    except ArchiveLoadFailed as err:
        raise InputError(label, f"not a readable WARC file: {err}") from None
    except OSError as err:
        raise InputError(label, f"cannot be read: {err}") from None
