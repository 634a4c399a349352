"""JSON Lines: one article per line, ``text`` or ``html`` plus optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..errors import InputError
from ..models import RawDocument, Rejection
from .text import META_KEYS

# The json module recurses once per nesting level; an article record is a flat object.
TOO_DEEP = "JSON nested too deeply to read (past Python's recursion limit); an article record is one flat object"


def jsonl_documents(text: str, label: str, stem: str) -> Iterator[RawDocument | Rejection]:
    """Yield one document per non-blank line; a bad line is rejected, the rest go on."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            yield _record(line, where, f"{stem}:{number}")
        except InputError as err:
            yield Rejection(err.input, err.reason)


def json_documents(text: str, label: str, stem: str) -> Iterator[RawDocument | Rejection]:
    """A .json file: one record (an object) or several (an array of objects)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(label, f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise InputError(label, TOO_DEEP) from None
    if isinstance(data, dict):
        yield _document(data, label, stem)
        return
    if not isinstance(data, list):
        raise InputError(label, f"expected a JSON object or an array of objects, got {type(data).__name__}")
    for number, record in enumerate(data, start=1):
        try:
            yield _document(record, f"{label}[{number}]", f"{stem}:{number}")
        except InputError as err:
            yield Rejection(err.input, err.reason)


def _record(line: str, where: str, default_id: str) -> RawDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(where, f"not valid JSON: {err.msg} at column {err.colno}") from None
    except RecursionError:
        raise InputError(where, TOO_DEEP) from None
    return _document(record, where, default_id)


def _document(record, where: str, default_id: str) -> RawDocument:
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError(where, "record has no non-empty 'text' or 'html' field")
    meta = {}
    for key in META_KEYS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, int)):
            raise InputError(where, f"field {key!r} must be a string, got {type(value).__name__}")
        meta[key] = str(value)
    doc_id = meta.pop("id", None) or default_id
    if isinstance(text, str) and text.strip():
        return RawDocument(id=doc_id, input=where, kind="text", content=text, meta=meta)
    return RawDocument(id=doc_id, input=where, kind="html", content=str(html), meta=meta)
