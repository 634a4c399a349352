"""Reports: a storyfuse/1 document as Markdown or as one self-contained HTML page.

Articles are cited by number ([1], [2], ...) in both, with a numbered list of sources per
event, so every sentence of the report can be followed back to where it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .models import count_statuses


def _citations(event: dict[str, Any]) -> dict[str, int]:
    return {a: i for i, a in enumerate(event["articles"], start=1)}


def _cite(ids: list[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[a]}]" for a in ids if a in numbers)


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
        f"{len(doc['articles'])} articles from {len(outlets)} outlets, {len(doc['events'])} events, "
        f"{len(doc['rejected'])} inputs rejected.",
        "",
    ]
    entity_names = {e["id"]: e for e in doc["entities"]}
    titles = {e["id"]: e["title"] or e["id"] for e in doc["events"]}
    for ev in doc["events"]:
        n = _citations(ev)
        out += [f"## {_md(ev['title'] or ev['id'])}", "", f"`{ev['id']}` · {ev['start'] or '?'} – {ev['end'] or '?'} · "
                f"{len(ev['articles'])} articles", ""]
        thread = thread_of(doc, ev)
        if thread:
            steps = [("**this event**" if e == ev["id"] else _md(titles.get(e, e))) for e in thread["events"]]
            out += [f"Thread *{_md(thread['title'])}*: " + " → ".join(steps), ""]
        if ev["summary"]:
            out += ["### Summary", ""]
            out += [f"- {_md(s['text'])} {_cite(s['articles'], n)}" + (" *(contradicted)*" if s["status"] == "contradicted" else "")
                    for s in ev["summary"]]
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
                for c in f["conflicts"]:
                    sides = " vs ".join(f"**{_md(s['value'])}** {_cite(s['articles'], n)}" for s in c["sides"])
                    out.append(f"- {_md(c['slot'])}: {sides} — “{_md(f['text'])}”")
            out.append("")
        single = [f for f in ev["facts"] if f["status"] == "single_source" and len(f["articles"]) >= 1]
        if single:
            out += ["### Reported by one source only", ""]
            out += [f"- {_md(f['text'])} {_cite(f['articles'], n)}" for f in single[:15]]
            if len(single) > 15:
                out.append(f"- … and {len(single) - 15} more (see the JSON export)")
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
                out.append(f"- {_md(e['name'])} ({e['label']})" + (f" — also {_md(', '.join(variants))}" if variants else ""))
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
    template = env.get_template("report.html.j2")
    events = []
    entity_names = {e["id"]: e for e in doc["entities"]}
    for ev in doc["events"]:
        events.append({**ev, "numbers": _citations(ev), "status_counts": count_statuses(f["status"] for f in ev["facts"]),
                       "people": [entity_names[e] for e in ev["entities"] if e in entity_names][:15],
                       "thread_record": thread_of(doc, ev)})
    return template.render(doc=doc, events=events, articles={a["id"]: a for a in doc["articles"]},
                           titles={e["id"]: e["title"] or e["id"] for e in doc["events"]},
                           outlets=len({a["source"] for a in doc["articles"] if a["source"]}))


def write_report(doc: dict[str, Any], path: str | Path) -> None:
    path = Path(path)
    text = html_report(doc) if path.suffix.lower() in (".html", ".htm") else markdown_report(doc)
    path.write_text(text, encoding="utf-8")
