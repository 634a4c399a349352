"""``storyfuse eval metadata``: title, author, date and outlet of real pages (trafilatura-eval).

Gold: the title, author and date recorded in ``evaldata.json`` (pages without a recorded
value are not scored for that field) and the hand-labelled outlets of 124 pages
(``labels/outlets.tsv``). Each field is scored as accuracy over the pages with a gold value; a
missing prediction is wrong. Matching:

- **title**: equal after folding case and accents and dropping everything but letters and
  digits (so spacing, punctuation, quote marks and dashes do not count).
- **author**: both sides are reduced to the set of their words (case and accents folded;
  connectors and honorifics such as "and", "und", "by", "von", "Dr", "PhD" dropped, so the
  separator does not count); right when the F1 of the two word sets is at least 0.8. A
  missing middle initial passes ("Christian P. Stadtfeld" / "Christian Stadtfeld" = 0.8); a
  missing co-author, or a site name glued to the name, fails. Rows also give
  ``author_people``: the same over the pages whose recorded author is a person's name by the
  rules of ``clean.metadata.clean_authors`` (the records also hold "Redaktion", site names
  and agencies, which storyfuse by design never gives as an author). ``author`` is the
  headline figure.
- **date**: the same day (``YYYY-MM-DD``); a time of day is not compared.
- **outlet**: equal after folding case and accents, dropping a leading "The", a leading
  "www." and a trailing domain suffix (".de", ".co.uk"), and everything but letters and
  digits: "ZEIT ONLINE" = "Zeit Online", "Popkultur.de" = "Popkultur".

Splits: ``all``; ``train`` and ``dev`` are ``pages.train_test_by_site`` (whole sites held
out, 30 %, seed 0). Rules are tuned on ``train`` only; ``dev`` is the headline figure.
Beside storyfuse (``clean.html.page_metadata``, what ``clean`` uses), in the same run:
trafilatura's own metadata (``trafilatura.extract_metadata`` with its defaults) and, for
dates only, htmldate alone (reported under ``date_only``, as it has no other fields).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tld import get_tld

from ..clean.html import page_metadata, parse_html, registered_domain
from ..clean.metadata import clean_authors
from ..errors import InputError
from .pages import Page, load_pages, train_test_by_site

ANCHOR = ("no published metadata figures for these pages; trafilatura's own metadata and htmldate, "
          "computed in the same run, are the baselines")
FIELDS = ("title", "author", "date", "outlet")
LABELS = Path(__file__).parent / "labels" / "outlets.tsv"
AUTHOR_THRESHOLD = 0.8
_NOT_NAME_WORDS = frozenset("and und et y e by von par por de dr prof phd md mit for".split())
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- matching -------------------------------------------------------------------------------

def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _squash(text: str) -> str:
    return "".join(c for c in _fold(text) if c.isalnum())


def title_matches(predicted: str | None, gold: str) -> bool:
    return bool(predicted) and _squash(predicted or "") == _squash(gold)


def _author_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", _fold(text)) if w not in _NOT_NAME_WORDS}


def author_matches(predicted: str | None, gold: str) -> bool:
    if not predicted:
        return False
    ours, theirs = _author_words(predicted), _author_words(gold)
    common = len(ours & theirs)
    if not common:
        return False
    return 2 * common / (len(ours) + len(theirs)) >= AUTHOR_THRESHOLD


def date_matches(predicted: str | None, gold: str) -> bool:
    return bool(predicted) and (predicted or "")[:10] == gold[:10]


def outlet_key(name: str) -> str:
    name = _fold(name).strip()
    name = re.sub(r"^(?:https?://)?(?:www\.)?", "", name).rstrip("/")
    name = re.sub(r"^the\s+", "", name)
    if " " not in name and "." in name:  # "popkultur.de" → "popkultur"; "st.georg" stays
        suffix = get_tld("http://" + name, fail_silently=True)
        if isinstance(suffix, str) and name.endswith("." + suffix):
            name = name[: -len(suffix) - 1]
    return "".join(c for c in name if c.isalnum())


def outlet_matches(predicted: str | None, gold: str) -> bool:
    return bool(predicted) and outlet_key(predicted or "") == outlet_key(gold)


_MATCH: dict[str, Callable[[str | None, str], bool]] = {
    "title": title_matches, "author": author_matches, "date": date_matches, "outlet": outlet_matches}


# --- data -----------------------------------------------------------------------------------

def read_outlets(path: Path = LABELS) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["page_id"]: row["outlet"] for row in csv.DictReader(fh, delimiter="\t")}


def gold_of(page: Page, outlets: dict[str, str]) -> dict[str, str | None]:
    person = page.author and clean_authors(page.author, (), registered_domain(page.url))
    return {"title": page.title, "author": page.author, "author_people": page.author if person else None,
            "date": page.date if page.date and _ISO_DAY.fullmatch(page.date) else None,
            "outlet": outlets.get(page.page_id)}


def select(pages: list[Page], split: str) -> list[Page]:
    if split == "all":
        return pages
    train, dev = train_test_by_site(pages)
    if split not in ("train", "dev"):
        raise ValueError(f"unknown split {split!r} for metadata; use all, train or dev")
    keep = train if split == "train" else dev
    return [p for p in pages if p.page_id in keep]


# --- the systems ----------------------------------------------------------------------------

def storyfuse_fields(page: Page) -> dict[str, str | None]:
    try:
        meta = page_metadata(parse_html(page.html, page.page_id), page.url)
    except InputError:
        return dict.fromkeys(FIELDS)
    return {"title": meta.title, "author": meta.author, "date": meta.published, "outlet": meta.source}


def trafilatura_fields(page: Page) -> dict[str, str | None]:
    from trafilatura import extract_metadata

    try:
        doc = extract_metadata(parse_html(page.html, page.page_id), page.url)
    except InputError:
        return dict.fromkeys(FIELDS)
    return {"title": doc.title, "author": doc.author, "date": doc.date, "outlet": doc.sitename}


def htmldate_dates(page: Page) -> dict[str, str | None]:
    from htmldate import find_date

    try:
        tree = parse_html(page.html, page.page_id)
    except InputError:
        return {"defaults": None, "fast": None}
    return {"defaults": find_date(tree, url=page.url),
            "fast": find_date(tree, url=page.url, extensive_search=False, original_date=True)}


def score(golds: list[dict[str, str | None]], predicted: list[dict[str, str | None]]) -> dict[str, float]:
    row: dict[str, float] = {}
    for name in (*FIELDS, "author_people"):
        field = "author" if name == "author_people" else name
        pairs = [(p.get(field), g[name]) for g, p in zip(golds, predicted) if g.get(name)]
        row[name] = round(sum(_MATCH[field](p, g or "") for p, g in pairs) / max(1, len(pairs)), 4)
    return row


def _date_row(golds: list[dict[str, str | None]], dates: list[str | None]) -> float:
    pairs = [(d, g["date"]) for g, d in zip(golds, dates) if g.get("date")]
    return round(sum(date_matches(d, g or "") for d, g in pairs) / max(1, len(pairs)), 4)


def evaluate(split: str = "all", data: str | None = None, config: Any = None, every: int = 1) -> dict[str, Any]:
    """Score the split (``every``: only every n-th page of it, for a quick check)."""
    import trafilatura

    pages = select(load_pages(data), split)[::every]
    outlets = read_outlets()
    golds = [gold_of(p, outlets) for p in pages]
    ours = [storyfuse_fields(p) for p in pages]
    theirs = [trafilatura_fields(p) for p in pages]
    alone = [htmldate_dates(p) for p in pages]
    return {
        "task": "metadata", "dataset": "trafilatura-eval (evaldata.json metadata + labels/outlets.tsv)",
        "split": split, "documents": len(pages),
        "metrics": list(FIELDS),
        "rows": [{"system": "storyfuse", **score(golds, ours)},
                 {"system": f"trafilatura {trafilatura.__version__} extract_metadata (same run)", **score(golds, theirs)}],
        "date_only": [
            {"system": "htmldate alone, defaults (same run)", "date": _date_row(golds, [a["defaults"] for a in alone])},
            {"system": "htmldate alone, extensive_search=False, original_date=True (same run)",
             "date": _date_row(golds, [a["fast"] for a in alone])}],
        "scored": {name: sum(1 for g in golds if g.get(name)) for name in (*FIELDS, "author_people")},
        "published_anchor": ANCHOR,
    }
