"""``storyfuse bench stream``: the cost of adding articles to a store whose events keep growing.

A stream of variants of the ECB+ documents arrives in runs of ``--step`` articles, one
``storyfuse run`` each, into one SQLite file (models loaded once, before any clock), the way
a user adds each day's news. Each variant is another report of a real ECB+ event: its
paragraphs are drawn from two or three real reports of that event (mixed, so that duplicate
detection takes none for a copy of another), every figure changed, and, from the second
family of variants on, every name changed (a family suffix), so that each family is an
event of its own that grows like the real one. Articles arrive in a seeded random order.

The figure that matters is the throughput of the last thousand articles against the
first: a story updated incrementally keeps it flat while its event grows.
"""

from __future__ import annotations

import json
import random
import re
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

SEED = 20261207
OUTLETS = 100
SUFFIXES = ("", "ov", "son", "ez", "berg", "ini", "ová", "sen", "ley", "ard")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}")  # a capitalised word inside a sentence


def _refigure(text: str, rng: random.Random) -> str:
    def change(m: re.Match) -> str:
        value = float(m.group().replace(",", ""))
        if 1900 <= value <= 2030 and "." not in m.group():  # a year stays a year
            return m.group()
        changed = max(1, round(value * rng.choice((0.5, 0.8, 1.25, 1.5, 2.0)) + rng.randint(0, 3)))
        changed += changed == value  # always another figure
        return f"{changed:,}" if "," in m.group() else str(changed)

    return _NUMBER.sub(change, text)


def variant_text(paragraphs: list[list[str]], family: int, rng: random.Random) -> str:
    """One new report from the paragraphs of two or three reports of one event."""
    base, *mates = rng.sample(paragraphs, min(len(paragraphs), rng.choice((2, 3))))
    chosen = [p for p in base if rng.random() < 0.6]
    for mate in mates:
        chosen += [p for p in mate if rng.random() < 0.35]
    if len(chosen) < 3:  # a report of a few lines: all of its base and the start of the others
        chosen = list(base) + [p for mate in mates for p in mate[:2]]
    lead, rest = chosen[0], chosen[1:]
    rng.shuffle(rest)
    text = "\n\n".join([lead, *rest])
    suffix = SUFFIXES[family % len(SUFFIXES)] + ("" if family < len(SUFFIXES) else str(family))
    if suffix:
        text = _NAME.sub(lambda m: m.group() + suffix, text)
    return _refigure(text, rng)


def stream(size: int, data: str | None, families: int | None = None) -> list[dict[str, str]]:
    """``size`` variant articles as JSON Lines records, in arrival order."""
    from .eval.ecbplus import load_documents

    docs = load_documents(data)
    by_event: dict[str, list[list[str]]] = {}
    for d in docs:
        paragraphs = [p.strip() for p in d.text.split("\n\n") if p.strip()]
        if paragraphs:
            by_event.setdefault(d.event, []).append(paragraphs)
    events = sorted(e for e, reports in by_event.items() if len(reports) >= 2)
    families = families or max(1, size // 2500)
    rng = random.Random(SEED)
    keys = [(family, e) for family in range(families) for e in events]
    out = []
    for n in range(size):
        family, event = keys[rng.randrange(len(keys))]
        text = variant_text(by_event[event], family, rng)
        out.append({"id": f"s{n:06d}", "text": text, "source": f"outlet-{rng.randrange(OUTLETS):02d}",
                    "title": text.split("\n", 1)[0][:120], "gold_event": f"{family}:{event}"})
    return out


def run(size: int, step: int, data: str | None) -> dict[str, Any]:
    from .bench import StageTimes, warm
    from .config import Config
    from .context import Models
    from .pipeline import run as run_pipeline
    from .store import Store

    records = stream(size, data)
    models = Models()
    warm(models)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "stream.db") as store:
        for start in range(0, size, step):
            chunk = Path(tmp) / f"chunk{start}.jsonl"
            chunk.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "gold_event"}) + "\n"
                                     for r in records[start:start + step]), encoding="utf-8")
            stages = StageTimes()
            began = time.perf_counter()
            report = run_pipeline([str(chunk)], store, Config(), models=models, progress=stages)  # type: ignore[arg-type]
            stages.end()
            runs.append({"articles": report.added, "seconds": time.perf_counter() - began,
                         "duplicates": report.duplicates, "stages": stages.seconds,
                         "stored": start + report.added})
        sizes = Counter(len(e.articles) for e in store.stories.events())
    block = min(1000, max(step, size // 5))

    def window(rows: list[dict[str, Any]]) -> dict[str, Any]:
        seconds = sum(r["seconds"] for r in rows)
        stages: Counter[str] = Counter()
        for r in rows:
            stages.update(r["stages"])
        articles = sum(r["articles"] for r in rows)
        return {"articles": articles, "seconds": round(seconds, 1), "articles_per_s": round(articles / seconds, 2),
                "stage_seconds": {k: round(v, 1) for k, v in stages.items()}}

    per_block = max(1, block // step)
    first, last = window(runs[:per_block]), window(runs[-per_block:])
    largest = max(sizes) if sizes else 0
    return {"task": "stream", "articles": size, "step": step, "block": block, "first": first, "last": last,
            "last_to_first": round(last["articles_per_s"] / first["articles_per_s"], 3),
            "duplicates": sum(r["duplicates"] for r in runs), "events": sum(sizes.values()),
            "largest_event": largest, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "runs": [{k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()} for r in runs]}


def print_result(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"storyfuse bench stream: {result['articles']:,} ECB+ variants in runs of {result['step']}")
    for column in ("articles", "articles/s", "seconds", "stages (s)"):
        table.add_column(column, justify="left" if column == "stages (s)" else "right")
    for name in ("first", "last"):
        w = result[name]
        table.add_row(f"{name} {w['articles']:,}", f"{w['articles_per_s']:.2f}", f"{w['seconds']:.1f}",
                      ", ".join(f"{k} {v:.1f}" for k, v in w["stage_seconds"].items()))
    console = Console()
    console.print(table)
    console.print(f"the last {result['last']['articles']:,} run at {result['last_to_first']:.2f}x the speed of the "
                  f"first; {result['events']:,} events (largest {result['largest_event']} articles), "
                  f"{result['duplicates']} duplicates; peak memory {result['peak_rss_mb']:,} MB")
