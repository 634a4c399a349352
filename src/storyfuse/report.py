"""Reports: a storyfuse/1 document as Markdown or as one self-contained HTML page.

Articles are cited by number ([1], [2], ...) in both, with a numbered list of sources per
event, so every sentence of the report can be followed back to where it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .models import count_statuses

# spaCy's label names mean nothing to a reader of the news.
LABELS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation",
          "NORP": "group", "EVENT": "event", "PRODUCT": "product", "WORK_OF_ART": "work", "LAW": "law"}
CONTENTS_FROM = 5  # events in a report from which a table of contents is worth its space


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 event", "2 events" ("1 inputs" reads as a slip to a journalist)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def label_name(label: str) -> str:
    return LABELS.get(label, label.lower().replace("_", " "))


def slot_name(slot: str) -> str:
    """What a conflict is about, in words: "weekday next" -> "day (next)", "place near" ->
    "place (near)", "USD" -> "amount (USD)", "worker" stays "worker"."""
    if slot.isupper():
        return f"amount ({slot})"
    for kind, word in (("weekday", "day"), ("calendar day", "date"), ("place", "place")):
        if slot == kind:
            return word
        if slot.startswith(kind + " "):
            return f"{word} ({slot[len(kind) + 1:]})"
    return slot


def ordered_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events as the export orders them, single-article events grouped at the end."""
    return [e for e in events if len(e["articles"]) > 1] + [e for e in events if len(e["articles"]) <= 1]


def _citations(event: dict[str, Any]) -> dict[str, int]:
    return {a: i for i, a in enumerate(event["articles"], start=1)}


def cited(ids: list[str], numbers: dict[str, int]) -> list[tuple[str, int]]:
    """The articles with their numbers, in numeric order."""
    return sorted(((a, numbers[a]) for a in ids if a in numbers), key=lambda pair: pair[1])


def _cite(ids: list[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{i}]" for _, i in cited(ids, numbers))


def only_one_source(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures one source alone gives inside claims that others corroborate."""
    return [s for f in event["facts"] for s in f.get("only_one_source", [])]


def one_source_reason(fact: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str | None:
    """Why a fact cited by several articles counts one independent source: "2 articles,
    1 independent source: a copy" (articles that reuse one another) or "the same outlet"."""
    ids = fact["articles"]
    if fact["independent_sources"] != 1 or len(ids) < 2:
        return None
    linked = any(r["article"] in ids for a in ids for r in articles.get(a, {}).get("reuses", [])) or any(
        articles.get(a, {}).get("duplicate_of") in ids for a in ids)
    why = "copies of one story" if len(ids) > 2 else "a copy"
    if not linked:
        why = "the same outlet"
    return f"{plural(len(ids), 'article')}, 1 independent source: {why}"


def _md(text: str | None) -> str:
    """Article text made inert in Markdown: viewers that render raw HTML get none from us."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _md_escape(text: str | None) -> str:
    return _md(text).replace("|", "\\|")


def thread_of(doc: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
    """The thread an event belongs to, if any."""
    return next((t for t in doc.get("threads", []) if t["id"] == event.get("thread")), None)


def markdown_report(doc: dict[str, Any]) -> str:
    arts = {a["id"]: a for a in doc["articles"]}
    outlets = {a["source"] for a in doc["articles"] if a["source"]}
    out = [
        "# storyfuse report",
        "",
        f"{plural(len(doc['articles']), 'article')} from {plural(len(outlets), 'outlet')}, "
        f"{plural(len(doc['events']), 'event')}, {plural(len(doc['rejected']), 'input')} rejected.",
        "",
    ]
    entity_names = {e["id"]: e for e in doc["entities"]}
    titles = {e["id"]: e["title"] or e["id"] for e in doc["events"]}
    events = ordered_events(doc["events"])
    if len(events) >= CONTENTS_FROM:
        out += ["## Contents", ""]
        out += [f"- {_md(titles[e['id']])} ({plural(len(e['articles']), 'article')})" for e in events]
        out.append("")
    for ev in events:
        n = _citations(ev)
        out += [f"## {_md(ev['title'] or ev['id'])}", "", f"{ev['start'] or '?'} – {ev['end'] or '?'} · "
                f"{plural(len(ev['articles']), 'article')} · event `{ev['id']}`", ""]
        thread = thread_of(doc, ev)
        if thread:
            steps = [("**this event**" if e == ev["id"] else _md(titles.get(e, e))) for e in thread["events"]]
            out += [f"Thread *{_md(thread['title'])}*: " + " → ".join(steps), ""]
        if ev["summary"]:
            out += ["### Summary", ""]
            marks = {"contradicted": " *(contradicted)*", "single_source": " *(one source only)*"}
            out += [f"- {_md(s['text'])} {_cite(s['articles'], n)}{marks.get(s['status'], '')}" for s in ev["summary"]]
            out.append("")
        corroborated = [f for f in ev["facts"] if f["status"] == "corroborated"]
        if corroborated:
            out += ["### Corroborated facts", "", "| independent sources | fact | articles |", "|---:|---|---|"]
            out += [f"| {f['independent_sources']} | {_md_escape(f['text'])} | {_cite(f['articles'], n)} |" for f in corroborated]
            out.append("")
        contradicted = [f for f in ev["facts"] if f["status"] == "contradicted"]
        if contradicted:
            out += ["### Where outlets disagree", ""]
            for f in contradicted:
                for c in f["conflicts"]:  # each side with a sentence that states it
                    sides = " vs ".join(f"**{_md(s['value'])}** {_cite(s['articles'], n)}" for s in c["sides"])
                    out.append(f"- {_md(slot_name(c['slot']))}: {sides}")
                    out += [f"  - **{_md(s['value'])}**: “{_md(s['text'])}” {_cite(s['articles'], n)}" for s in c["sides"]]
            out.append("")
        updated = [(f, u) for f in ev["facts"] for u in f.get("updates", [])]
        if updated:  # a count that changed from one day's reports to the next's: no contradiction
            out += ["### Updated as the story developed", ""]
            out += [f"- {_md(slot_name(u['slot']))}: " + " → ".join(f"**{_md(s['value'])}** {_cite(s['articles'], n)}"
                                                              for s in u["sides"]) for f, u in updated]
            out.append("")
        single = [f for f in ev["facts"] if f["status"] == "single_source" and len(f["articles"]) >= 1]
        lone = only_one_source(ev)
        if single or lone:
            out += ["### Reported by one source only", ""]
            out += [f"- {_md(f['text'])} {_cite(f['articles'], n)}"
                    + (f" *({reason})*" if (reason := one_source_reason(f, arts)) else "") for f in single[:15]]
            if len(single) > 15:
                out.append(f"- … and {len(single) - 15} more (see the JSON export)")
            # a figure only one source gives, inside a claim others corroborate
            out += [f"- **{_md(s['value'])}**, given by one source only: “{_md(s['text'])}” {_cite(s['articles'], n)}"
                    for s in lone]
            out.append("")
        if ev["quotes"]:
            out += ["### Who said what", ""]
            for q in ev["quotes"][:20]:
                text = f"“{_md(q['text'])}”" if q["kind"] == "direct" else _md(q["text"])
                line = f"- {_md(q['speaker']) or 'unattributed'}: {text} {_cite(q['articles'], n)}"
                if q["speaker_conflict"]:
                    line += " — attributed differently: " + "; ".join(
                        f"{_md(c['speaker'])} {_cite(c['articles'], n)}" for c in q["speaker_conflict"])
                out.append(line)
            out.append("")
        people = [entity_names[e] for e in ev["entities"] if e in entity_names][:15]
        if people:
            out += ["### Who and where", ""]
            for e in people:
                variants = [a for a in e["aliases"] if a != e["name"]]
                out.append(f"- {_md(e['name'])} ({label_name(e['label'])})"
                           + (f" — also {_md(', '.join(variants))}" if variants else ""))
            out.append("")
        if ev["timeline"]:
            out += ["### Timeline", ""]
            out += [f"- **{t['date']}** {_md(t['text'])} {_cite(t['articles'], n)}" + (" ⚠ disputed" if t["conflict"] else "")
                    for t in ev["timeline"]]
            out.append("")
        out += ["### Sources", ""]
        for a, i in n.items():
            art = arts.get(a, {})
            extra = " (duplicate)" if art.get("duplicate_of") else ""
            out.append(f"{i}. {_md(art.get('source')) or '?'} — {_md(art.get('title') or a)} ({(art.get('published') or '')[:10]}) `{a}`{extra}")
        out.append("")
    if doc["rejected"]:
        out += ["## Rejected inputs", ""]
        out += [f"- `{_md(r['input'])}`: {_md(r['reason'])}" for r in doc["rejected"]]
        out.append("")
    return "\n".join(out)


def html_report(doc: dict[str, Any]) -> str:
    env = Environment(loader=PackageLoader("storyfuse", "templates"), autoescape=select_autoescape(default=True))
    env.filters["slot_name"] = slot_name
    template = env.get_template("report.html.j2")
    events = []
    entity_names = {e["id"]: e for e in doc["entities"]}
    articles = {a["id"]: a for a in doc["articles"]}
    for ev in ordered_events(doc["events"]):
        events.append({**ev, "numbers": _citations(ev), "status_counts": count_statuses(f["status"] for f in ev["facts"]),
                       "lone": only_one_source(ev),
                       "people": [entity_names[e] for e in ev["entities"] if e in entity_names][:15],
                       "thread_record": thread_of(doc, ev),
                       "reasons": {f["id"]: one_source_reason(f, articles) for f in ev["facts"]}})
    return template.render(doc=doc, events=events, articles=articles, contents=len(events) >= CONTENTS_FROM,
                           titles={e["id"]: e["title"] or e["id"] for e in doc["events"]},
                           outlets=len({a["source"] for a in doc["articles"] if a["source"]}),
                           plural=plural, label_name=label_name, cited=cited)


def write_report(doc: dict[str, Any], path: str | Path) -> None:
    path = Path(path)
    text = html_report(doc) if path.suffix.lower() in (".html", ".htm") else markdown_report(doc)
    path.write_text(text, encoding="utf-8")
