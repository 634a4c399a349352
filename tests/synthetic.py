"""A small hand-built storyfuse/1 document (fictional text) shared by the report and export tests.

Imported as ``from synthetic import ...``: ``tests/`` is on ``sys.path`` because pytest inserts
the folder of the root ``conftest.py`` (no ``__init__.py`` here).
"""

from __future__ import annotations

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'

A1_TEXT = (
    "Fire crews fought a blaze at the Quay Nine grain store in Oakmere on 2031-04-02. "
    "Three workers were injured, said fire chief Mara Lindqvist. "
    '"We had it under control by midnight," Lindqvist said.'
)
A2_TEXT = (
    "A fire broke out at the Quay Nine grain store in Oakmere on Tuesday. "
    "Five workers were injured, according to the harbour office. "
    '"We had it under control by midnight," said Tomas Brell.'
)


def _span(text: str, part: str, last: bool = False) -> tuple[int, int]:
    start = text.rindex(part) if last else text.index(part)
    return start, start + len(part)


def _mention(text: str, part: str, label: str, entity: str | None, last: bool = False) -> dict:
    start, end = _span(text, part, last)
    return {"text": part, "start": start, "end": end, "label": label, "entity": entity}


def _quote(text: str, part: str, speaker: str | None, speaker_entity: str | None) -> dict:
    start, end = _span(text, part)
    return {"text": part, "start": start, "end": end, "kind": "direct", "speaker": speaker,
            "speaker_entity": speaker_entity, "segments": [{"start": start, "end": end}]}


def _date(text: str, part: str, value: str | None) -> dict:
    start, end = _span(text, part)
    return {"text": part, "start": start, "end": end, "value": value}


def article_one() -> dict:
    return {
        "id": "oakmere-post:1",
        "source": "Oakmere Post",
        "title": "Grain store fire at Quay Nine",
        "published": "2031-04-02T21:00:00+00:00",
        "url": "https://oakmere-post.example/quay-nine-fire",
        "author": "Ilse Varga",
        "language": "en",
        "dateline": "OAKMERE",
        "date": "2031-04-02",
        "date_source": "published",
        "text": A1_TEXT,
        "removed": ["Subscribe to our newsletter"],
        "event": "ev-quay-nine",
        "duplicate_of": None,
        "reuses": [],
        "entities": [
            _mention(A1_TEXT, "Oakmere", "GPE", "ent-oakmere"),
            _mention(A1_TEXT, "Mara Lindqvist", "PERSON", "ent-lindqvist"),
            _mention(A1_TEXT, "Lindqvist", "PERSON", "ent-lindqvist", last=True),
        ],
        "quotes": [_quote(A1_TEXT, "We had it under control by midnight,", "Mara Lindqvist", "ent-lindqvist")],
        "dates": [_date(A1_TEXT, "2031-04-02", "2031-04-02")],
    }


def article_two() -> dict:
    return {
        "id": "harbour-bell:7",
        "source": "Harbour Bell",
        "title": "Workers hurt in Oakmere warehouse blaze",
        "published": "2031-04-03T08:30:00+00:00",
        "url": "https://harbour-bell.example/news/7",
        "author": None,
        "language": "en",
        "dateline": None,
        "date": "2031-04-03",
        "date_source": "published",
        "text": A2_TEXT,
        "removed": [],
        "event": "ev-quay-nine",
        "duplicate_of": None,
        "reuses": [{"article": "oakmere-post:1", "kind": "rewrite", "overlap": 0.42, "origin": "oakmere-post:1"}],
        "entities": [
            _mention(A2_TEXT, "Oakmere", "GPE", "ent-oakmere"),
            _mention(A2_TEXT, "Tomas Brell", "PERSON", "ent-brell"),
        ],
        "quotes": [_quote(A2_TEXT, "We had it under control by midnight,", "Tomas Brell", "ent-brell")],
        "dates": [_date(A2_TEXT, "Tuesday", "2031-04-01")],
    }


def event() -> dict:
    return {
        "id": "ev-quay-nine",
        "title": "Fire at the Quay Nine grain store",
        "articles": ["oakmere-post:1", "harbour-bell:7"],
        "start": "2031-04-02",
        "end": "2031-04-03",
        "thread": None,
        "summary": [
            {"text": "Fire crews fought a blaze at the Quay Nine grain store in Oakmere.",
             "articles": ["oakmere-post:1", "harbour-bell:7"], "fact": "f-blaze", "status": "corroborated"},
            {"text": "Three workers were injured.", "articles": ["oakmere-post:1"], "fact": "f-injured",
             "status": "contradicted"},
        ],
        "facts": [
            {"id": "f-blaze", "text": "A fire broke out at the Quay Nine grain store in Oakmere.",
             "status": "corroborated", "articles": ["oakmere-post:1", "harbour-bell:7"],
             "independent_sources": 2, "conflicts": [], "date": "2031-04-02"},
            {"id": "f-injured", "text": "Workers were injured in the fire.", "status": "contradicted",
             "articles": ["oakmere-post:1", "harbour-bell:7"], "independent_sources": 2,
             "conflicts": [{"slot": "worker", "sides": [
                 {"value": "3", "text": "Three workers were injured", "articles": ["oakmere-post:1"]},
                 {"value": "5", "text": "Five workers were injured", "articles": ["harbour-bell:7"]},
             ]}]},
            {"id": "f-office", "text": "The harbour office reported the injuries.", "status": "single_source",
             "articles": ["harbour-bell:7"], "independent_sources": 1, "conflicts": []},
        ],
        "quotes": [
            {"id": "q-midnight", "text": "We had it under control by midnight,", "kind": "direct",
             "speaker": "Mara Lindqvist", "speaker_entity": "ent-lindqvist",
             "articles": ["oakmere-post:1", "harbour-bell:7"],
             "speaker_conflict": [
                 {"speaker": "Mara Lindqvist", "articles": ["oakmere-post:1"]},
                 {"speaker": "Tomas Brell", "articles": ["harbour-bell:7"]},
             ]},
        ],
        "entities": ["ent-lindqvist", "ent-oakmere", "ent-brell"],
        "timeline": [
            {"date": "2031-04-02", "text": "A fire broke out at the Quay Nine grain store.", "facts": ["f-blaze"],
             "articles": ["oakmere-post:1", "harbour-bell:7"], "conflict": False},
        ],
    }


def synthetic_doc() -> dict:
    """A valid storyfuse/1 document: 2 articles, 1 event, 3 facts (one of each status), 1 rejection."""
    return {
        "schema": "storyfuse/1",
        "rejected": [{"input": "inbox/empty-page.html", "reason": "no main text found in the page"}],
        "articles": [article_one(), article_two()],
        "entities": [
            {"id": "ent-lindqvist", "name": "Mara Lindqvist", "label": "PERSON",
             "aliases": ["Mara Lindqvist", "fire chief Mara Lindqvist", "Lindqvist"],
             "articles": ["oakmere-post:1"]},
            {"id": "ent-oakmere", "name": "Oakmere", "label": "GPE", "aliases": ["Oakmere"],
             "articles": ["oakmere-post:1", "harbour-bell:7"]},
            {"id": "ent-brell", "name": "Tomas Brell", "label": "PERSON", "aliases": ["Tomas Brell", "Brell"],
             "articles": ["harbour-bell:7"]},
        ],
        "threads": [],
        "events": [event()],
    }


# Hostile text, as an article could carry it: each field gets a distinct prefix so a test can
# tell which field leaked.
HOSTILE_ARTICLE_TITLE = f"Title {SCRIPT} {IMG}"
HOSTILE_EVENT_TITLE = f"Event {SCRIPT} {IMG}"
HOSTILE_FACT = f"Fact {SCRIPT} {IMG}"
HOSTILE_QUOTE = f"Quote {SCRIPT} {IMG}"
JAVASCRIPT_URL = "javascript:alert(1)"


def hostile_doc() -> dict:
    """The synthetic document with script/markup in titles, a fact and a quote, and a javascript: url."""
    doc = synthetic_doc()
    doc["articles"][0]["title"] = HOSTILE_ARTICLE_TITLE
    doc["articles"][1]["url"] = JAVASCRIPT_URL
    ev = doc["events"][0]
    ev["title"] = HOSTILE_EVENT_TITLE
    ev["facts"][0]["text"] = HOSTILE_FACT
    ev["quotes"][0]["text"] = HOSTILE_QUOTE
    return doc
