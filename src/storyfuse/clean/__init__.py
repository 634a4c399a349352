"""Clean: main text and metadata out of a raw document, page junk removed and kept aside.

HTML goes through trafilatura (main-text extraction); text of any origin then goes through
the same normalisation and line-level junk filter, and every line or block dropped is kept
in ``Article.removed`` so a user can see what was taken out and why nothing vanished.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from urllib.parse import urlparse

from ..components import Component, MapEnv, Work
from ..config import CleanConfig
from ..errors import InputError
from ..models import Article, RawDocument, Rejection
from .html import extract_html
from .metadata import clean_field, detect_language, normalize_timestamp
from .text import DATELINE, filter_lines, is_junk_line, looks_like_headline, normalize

log = logging.getLogger(__name__)


def clean_document(doc: RawDocument, config: CleanConfig) -> Article:
    """Raw document → Article. Raises InputError when no article text remains."""
    meta = dict(doc.meta)
    removed: list[str] = []
    if doc.kind == "html":
        body, found = extract_html(doc.content, meta.get("url"), doc.input)
        for key, value in found.items():
            if value and not meta.get(key):
                meta[key] = value
        removed.extend(found.get("removed_blocks") or [])
    else:
        body = doc.content
    extra = [re.compile(p, re.I) for p in config.extra_junk_patterns]
    paragraphs, junk, byline = filter_lines(normalize(body), extra, html=doc.kind == "html")
    removed.extend(junk)
    title = clean_field(meta.get("title"))
    if title and paragraphs and paragraphs[0].strip().rstrip(".") == title.rstrip("."):
        removed.append(paragraphs.pop(0))  # the headline repeated as the first line
    elif not title and paragraphs and looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
        title = paragraphs.pop(0)
    dateline = None
    if paragraphs:
        match = DATELINE.match(paragraphs[0])
        if match and len(match.group(1)) <= 80:
            dateline = match.group(1).strip()
            paragraphs[0] = paragraphs[0][match.end():]
    text = "\n\n".join(p for p in paragraphs if p)
    if len(text) < config.min_text_chars:
        raise InputError(
            doc.input,
            f"no article text after cleaning ({len(text)} characters left; "
            f"page junk or too short, [clean] min_text_chars = {config.min_text_chars})",
        )
    url = clean_field(meta.get("url"))
    source = clean_field(meta.get("source")) or (urlparse(url).hostname if url else None)
    language = (clean_field(meta.get("language")) or detect_language(text)).lower()
    return Article(
        id=doc.id,
        input=doc.input,
        source=source,
        url=url,
        title=title,
        author=clean_field(meta.get("author")) or byline,
        published=normalize_timestamp(meta.get("published")),
        dateline=dateline,
        language=language.split("-")[0].split("_")[0],
        text=text,
        removed=tuple(removed),
        crawl_date=normalize_timestamp(meta.get("crawl_date")),
        notes=tuple(n for n in (clean_field(meta.get("note")),) if n),
    )


def _clean(works: list[Work], env: MapEnv) -> list[Work]:
    out = []
    for work in works:
        try:
            out.append(dataclasses.replace(work, article=clean_document(work.raw, env.config.clean)))
        except InputError as err:
            out.append(dataclasses.replace(work, rejection=Rejection(err.input, err.reason)))
        except Exception as err:  # e.g. a parser crashing on a malformed page: reject it, go on
            log.exception("cleaning %s failed", work.raw.input)
            out.append(dataclasses.replace(work, rejection=Rejection(
                work.raw.input, f"cleaning failed ({type(err).__name__}: {err})")))
    return out


COMPONENT = Component("clean", requires=("raw",), sets=("article",), apply=_clean)




__all__ = ["COMPONENT", "clean_document", "detect_language", "is_junk_line", "normalize", "normalize_timestamp"]
