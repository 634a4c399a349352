"""Plain text and Markdown files, with an optional front-matter block of ``key: value`` lines."""

from __future__ import annotations

import re

from ..errors import InputError
from ..models import RawDocument

META_KEYS = ("id", "title", "source", "published", "url", "author", "language")

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_MD_HEADING = re.compile(r"^#{1,6}\s+")


def split_front_matter(text: str, label: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` block off ``text``; return (metadata, body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            return meta, "\n".join(lines[number:])
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InputError(label, f"front matter line {number} is not 'key: value': {line[:60]!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[key.strip().lower()] = value
    raise InputError(label, "front matter opened with '---' on line 1 is never closed")


def markdown_to_text(body: str) -> tuple[str, str | None]:
    """Strip Markdown markup that is not prose; return (text, first-level heading or None)."""
    heading = None
    out = []
    for line in body.split("\n"):
        stripped = line.strip()
        if heading is None and stripped.startswith("# "):
            heading = stripped[2:].strip()
            continue
        line = _MD_HEADING.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub("", line)
        if stripped.startswith("> "):
            line = line.replace("> ", "", 1)
        out.append(line)
    return "\n".join(out), heading


def text_document(doc_id: str, label: str, text: str, markdown: bool) -> RawDocument:
    meta, body = split_front_matter(text, label)
    if markdown:
        body, heading = markdown_to_text(body)
        if heading and "title" not in meta:
            meta["title"] = heading
    if not body.strip():
        raise InputError(label, "no article text after the front matter")
    return RawDocument(id=meta.pop("id", "") or doc_id, input=label, kind="text", content=body, meta=meta)
