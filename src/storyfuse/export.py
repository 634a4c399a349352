"""Export: the ``storyfuse/1`` document (JSON, validated by the shipped JSON Schema) and CSV.

This module is the one place that knows the export format: a view over the store's typed
records (articles, analyses, stories), which the reports and the web UI render.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from importlib import resources
from pathlib import Path
from typing import Any

from .cluster.threads import Thread, ThreadEvent, threads
from .dates import article_date
from .errors import EventNotFoundError
from .models import Analysis, Article, ArticleState, EventStory, Reuse, StoredEvent, count_statuses
from .store.interfaces import Store

SCHEMA_ID = "storyfuse/1"


def story_record(story: EventStory | None) -> dict[str, Any]:
    """An event's story as exported (everything but id, title, span and articles); an event
    whose story is not computed yet has empty lists."""
    if story is None:
        return {"summary": [], "facts": [], "quotes": [], "entities": [], "timeline": []}
    facts = []
    for f in story.facts:
        record = _plain(f)
        record["evidence"] = record.pop("sentences")
        facts.append(record)
    return {
        "summary": [_plain(s) for s in story.summary],
        "facts": facts,
        "quotes": [_plain(q) for q in story.quotes],
        "entities": list(story.entities),
        "timeline": [_plain(t) for t in story.timeline],
    }


def _plain(obj: Any) -> dict[str, Any]:
    return json.loads(json.dumps(dataclasses.asdict(obj)))


def json_schema() -> dict[str, Any]:
    return json.loads(resources.files("storyfuse").joinpath("schema/storyfuse-1.schema.json").read_text("utf-8"))


def validate(document: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when the document departs from storyfuse/1."""
    import jsonschema

    jsonschema.validate(document, json_schema())


def build_export(store: Store, event_id: str | None = None, since: str | None = None) -> dict[str, Any]:
    """The whole store (or one event, or what is newer than ``since``) as a storyfuse/1
    document, read in one snapshot so a run going on at the same time never shows half-done."""
    with store.snapshot():
        return _build(store, event_id, since)


def _build(store: Store, event_id: str | None, since: str | None) -> dict[str, Any]:
    if event_id:  # an event merged into another is found under its old id too
        event_id = store.events.resolve(event_id) or event_id
    events = store.stories.events([event_id] if event_id else None, since=since)
    if event_id and not events:
        raise EventNotFoundError(event_id)
    if event_id or since:
        members = [a for ev in events for a in ev.articles]
        newer = [a.id for a in store.articles.all(since=since)] if since else []
        ids = list(dict.fromkeys(newer + members))
        # An article's original is part of the picture even when it is older or elsewhere.
        originals = [s.duplicate_of for s in store.articles.states(ids).values() if s.duplicate_of]
        articles = store.articles.get(list(dict.fromkeys(ids + [o for o in originals if o not in ids])))
    else:
        articles = store.articles.all()
    ids = [a.id for a in articles]
    states, analyses, reuses = store.articles.states(ids), store.articles.analyses(ids), store.reuse.of(ids)
    all_entities = store.entities.get()
    entity_names = {e.id: e.name for e in all_entities}
    out_articles = [_article_record(a, analyses[a.id], states[a.id], reuses[a.id], entity_names) for a in articles]
    used = {m["entity"] for a in out_articles for m in a["entities"] if m["entity"]}
    included = set(ids)
    entity_articles = store.entities.articles()
    entities = [
        {"id": e.id, "name": e.name, "label": e.label, "aliases": list(e.aliases),
         "articles": [a for a in entity_articles.get(e.id, []) if a in included]}
        for e in all_entities if e.id in used
    ]
    known_events = {ev.id for ev in events}
    every_event = store.stories.events() if (event_id or since) else events
    found = event_threads(every_event, {e.id: e.label for e in all_entities}, entity_names)
    thread_records = [{"id": t.id, "title": t.title, "events": [e for e in t.events if e in known_events]}
                      for t in found if known_events.intersection(t.events)]
    thread_of = {e: t["id"] for t in thread_records for e in t["events"]}
    for a in out_articles:  # an original pulled in from another event: its event is not in this export
        if a["event"] not in known_events:
            a["event"] = None
    return {
        "schema": SCHEMA_ID,
        "rejected": [] if event_id else [{"input": i, "reason": r} for i, r in store.rejections.list()],
        "articles": out_articles,
        "entities": entities,
        "threads": thread_records,
        "events": [event_record(ev) | {"thread": thread_of.get(ev.id)} for ev in events],
    }


def _article_record(article: Article, analysis: Analysis, state: ArticleState, reuses: list[Reuse],
                    names: dict[str, str]) -> dict[str, Any]:
    date, date_source = article_date(article.published, analysis.dates, article.crawl_date)
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "published": article.published,
        "url": article.url,
        "author": article.author,
        "language": article.language,
        "dateline": article.dateline,
        "date": date,
        "date_source": date_source,
        "text": article.text,
        "removed": list(article.removed),
        "notes": list(article.notes),
        "event": state.event_id,
        "duplicate_of": state.duplicate_of,
        "reuses": [{"article": r.other, "kind": r.kind, "overlap": r.overlap, "origin": r.origin} for r in reuses],
        "entities": [{"text": m.text, "start": m.start, "end": m.end, "label": m.label, "entity": m.entity}
                     for m in analysis.mentions],
        "quotes": [{"text": q.text, "start": q.start, "end": q.end, "kind": q.kind,
                    "speaker": names.get(q.speaker_entity, q.speaker) if q.speaker_entity else q.speaker,
                    "speaker_entity": q.speaker_entity,
                    "segments": [{"start": a, "end": b} for a, b in q.parts()]} for q in analysis.quotes],
        "dates": [{"text": d.text, "start": d.start, "end": d.end, "value": d.value} for d in analysis.dates],
        "input": article.input,
        "analysed": analysis.analysed,
        "analysis_note": analysis.reason,
    }


def event_threads(events: list[StoredEvent], labels: dict[str, str], names: dict[str, str]) -> list[Thread]:
    """Threads among stored events (``cluster.threads``)."""
    return threads([ThreadEvent(ev.id, ev.start, ev.story.actors if ev.story else (), ev.story.subjects if ev.story else ()) for ev in events],
                   labels, names)


def event_record(event: StoredEvent) -> dict[str, Any]:
    """One event of the export: a view over its stored story."""
    return {"id": event.id, "title": event.title, "articles": list(event.articles), "start": event.start,
            "end": event.end, **story_record(event.story)}


def write_json(document: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def write_csv(document: dict[str, Any], folder: str | Path) -> list[Path]:
    """articles.csv, events.csv and facts.csv: one row per item, ids to join them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "articles.csv": (
            ["id", "source", "title", "published", "url", "author", "language", "event", "duplicate_of", "words"],
            [[a["id"], a["source"], a["title"], a["published"], a["url"], a["author"], a["language"], a["event"],
              a["duplicate_of"], len(a["text"].split())] for a in document["articles"]],
        ),
        "events.csv": (
            ["id", "title", "start", "end", "articles", "facts", "corroborated", "contradicted", "single_source"],
            [[e["id"], e["title"], e["start"], e["end"], len(e["articles"]), len(e["facts"]),
              *(count_statuses(f["status"] for f in e["facts"])[s] for s in ("corroborated", "contradicted",
                                                                            "single_source"))]
             for e in document["events"]],
        ),
        "facts.csv": (
            ["event", "id", "status", "independent_sources", "articles", "date", "text", "conflicts"],
            [[e["id"], f["id"], f["status"], f["independent_sources"], " ".join(f["articles"]), f.get("date"),
              f["text"], "; ".join(f"{c['slot']}: " + " vs ".join(s["value"] for s in c["sides"]) for c in f["conflicts"])]
             for e in document["events"] for f in e["facts"]],
        ),
    }
    written = []
    for name, (header, rows) in tables.items():
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written
