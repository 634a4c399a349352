"""Clean: main text and metadata out of a raw document, page junk removed and kept aside.

HTML goes through trafilatura (main-text extraction); text of any origin then goes through
the same normalisation and line-level junk filter, and every line or block dropped is kept
in ``Article.removed`` so a user can see what was taken out and why nothing vanished.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from urllib.parse import urlsplit

from ..components import Component, MapEnv, Work
from ..config import CleanConfig
from ..errors import InputError
from ..models import Article, RawDocument, Rejection
from .blocks import Block, page_blocks
from .html import extract_html, registered_domain
from .junk import JunkModel
from .metadata import clean_authors, clean_field, detect_language, normalize_timestamp
from .segment import split_lines
from .text import BYLINE, DATELINE, is_junk_line, looks_like_headline, normalize, split_glued_header

log = logging.getLogger(__name__)


def clean_document(doc: RawDocument, config: CleanConfig, junk: JunkModel | None = None) -> Article:
    """Raw document → Article. Raises InputError when no article text remains. ``junk`` is the
    page-junk model (``Models.junk``); without it only the config's own patterns remove lines."""
    meta = dict(doc.meta)
    if meta.get("url") and not readable_url(meta["url"]):
        del meta["url"]  # "http://[" (a feed's broken link): no address, rather than one nothing can read
    removed: list[str] = []
    html = doc.kind == "html"
    blocks: list[Block] = []
    if html:
        body, found = extract_html(doc.content, meta.get("url"), doc.input)
        for key, value in found.items():
            if value and not meta.get(key):
                meta[key] = value
        blocks = page_blocks(doc.content)
        kept = _key(normalize(body))
        removed.extend(b.text for b in blocks if _key(b.text) not in kept)  # what the extraction left out
    else:
        body = doc.content
    lines = split_lines(normalize(body), html=html)
    title = clean_field(meta.get("title"))
    dateline = None
    if not html and lines and (glued := split_glued_header(lines[0])) is not None:
        removed.append(lines[0][: len(lines[0]) - len(glued.rest)].strip())
        lines[0] = glued.rest
        title = title or glued.title
        dateline = glued.dateline
        for key, value in (("source", glued.outlet), ("author", glued.author)):
            if value and not meta.get(key):
                meta[key] = value
    extra = [re.compile(p, re.I) for p in config.extra_junk_patterns]
    # The headline first: to the junk model a lone short first line looks like furniture.
    if title and lines and lines[0].strip().rstrip(".") == title.rstrip("."):
        removed.append(lines.pop(0))  # the headline repeated as the first line
    elif not title and len(lines) > 1 and looks_like_headline(lines[0]) and not any(p.search(lines[0]) for p in extra):
        title = lines.pop(0)
    verdict = _junk_of_page(blocks, lines, junk) if html else junk.junk(lines) if junk else None
    lines, dropped, byline = _drop_junk(lines, verdict, extra)
    removed.extend(dropped)
    if lines and dateline is None:
        match = DATELINE.match(lines[0])
        if match and len(match.group(1)) <= 80:
            dateline = match.group(1).strip()
            lines[0] = lines[0][match.end():]
    text = "\n\n".join(line for line in lines if line)
    if len(text) < config.min_text_chars:
        raise InputError(
            doc.input,
            f"no article text after cleaning ({len(text)} characters left; "
            f"page junk or too short, [clean] min_text_chars = {config.min_text_chars})",
        )
    url = clean_field(meta.get("url"))
    source = clean_field(meta.get("source")) or registered_domain(url)
    language = (clean_field(meta.get("language")) or detect_language(text)).lower()
    return Article(
        id=doc.id,
        input=doc.input,
        source=source,
        url=url,
        title=title,
        author=clean_field(meta.get("author")) or (clean_authors(byline, strict=True, lone_word=True) if byline else None),
        published=normalize_timestamp(meta.get("published")),
        dateline=dateline,
        language=language.split("-")[0].split("_")[0],
        text=text,
        removed=tuple(removed),
        crawl_date=normalize_timestamp(meta.get("crawl_date")),
        notes=tuple(n for n in (clean_field(meta.get("note")),) if n),
    )


def _junk_of_page(blocks: list[Block], lines: list[str], junk: JunkModel | None) -> list[bool] | None:
    """The second pass over the main text of a page: the model judges every line of the whole
    page, seeing each line's place in it, and a line of the main text goes when the page line
    it comes from is junk beyond doubt (a text the page holds both as junk and not is kept)."""
    if junk is None or not blocks:
        return None
    p = junk.probabilities([b.text for b in blocks], [b.dom for b in blocks])
    junk_keys = {_key(b.text) for b, q in zip(blocks, p) if q >= junk.extraction}
    junk_keys -= {_key(b.text) for b, q in zip(blocks, p) if q < junk.extraction}
    return [_key(line) in junk_keys for line in lines]


def _key(line: str) -> str:
    return " ".join(line.lower().split())


def _drop_junk(lines: list[str], verdict: list[bool] | None,
               extra: list[re.Pattern[str]]) -> tuple[list[str], list[str], str | None]:
    """The lines kept, the lines dropped (page junk, a byline, a repeated caption) and the
    byline's name. The model's verdict says what is junk; the config's patterns are the
    user's own knowledge of their sources, which no model has."""
    verdict = verdict if verdict is not None else [False] * len(lines)
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    byline = None
    for line, is_junk in zip(lines, verdict):
        key = _key(line)
        by = BYLINE.match(line) if len(line) <= 80 and len(kept) < 3 and byline is None else None
        if by:
            byline = by.group(1)
            dropped.append(line)
        elif is_junk or any(p.search(line) for p in extra) or key in seen:
            dropped.append(line)  # a line said twice is a caption or a pull quote: once is enough
        else:
            kept.append(line)
            seen.add(key)
    return kept, dropped, byline


def _clean(works: list[Work], env: MapEnv) -> list[Work]:
    out = []
    for work in works:
        try:
            article = clean_document(work.raw, env.config.clean, env.models.junk)
            out.append(dataclasses.replace(work, article=article))
        except InputError as err:
            out.append(dataclasses.replace(work, rejection=Rejection(err.input, err.reason)))
        except Exception as err:  # e.g. a parser crashing on a malformed page: reject it, go on
            log.exception("cleaning %s failed", work.raw.input)
            out.append(dataclasses.replace(work, rejection=Rejection(
                work.raw.input, f"cleaning failed ({type(err).__name__}: {err})")))
    return out


COMPONENT = Component("clean", requires=("raw",), sets=("article",), apply=_clean)




__all__ = ["COMPONENT", "clean_document", "detect_language", "is_junk_line", "normalize", "normalize_timestamp"]


def readable_url(url: str) -> bool:
    """Whether an address can be taken apart (``urlsplit`` refuses "http://[")."""
    try:
        urlsplit(url).hostname  # noqa: B018 - what is checked is that it can be read
    except ValueError:
        return False
    return True
