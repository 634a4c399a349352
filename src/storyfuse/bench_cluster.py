"""``storyfuse bench cluster``: placing articles in events with a big store behind them.

The store is filled, without NLP, with variants of the ECB+ documents' clustering profiles
(the NLP and lead embeddings of the 772 real documents are computed once, before any
clock): each variant renames the people, places and organisations (a suffix on every name),
changes every figure, mixes the words of two reports of its event and moves its lead
vector a little, and its event is its source event with the same renaming, so that the
store holds many events as alike as real ones and none that duplicate detection would take
for a copy. Then new variants are placed one by one (timed: candidates from the key index,
pair probabilities, storage), and the events they touched are consolidated (timed
separately). Peak memory is that of the whole process.
"""

from __future__ import annotations

import dataclasses
import random
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from .cluster import load_model, place_articles
from .cluster.place import ModelScorer, consolidate
from .cluster.profile import Profile, Weights
from .cluster.stored import StoredIndex
from .models import Analysis, Article

SEED = 20261201
FILL_BATCH = 5000


def variant(base: Profile, mate: Profile, family: int, n: int, rng: random.Random) -> Profile:
    """Another article of event ``family`` of ``base``'s event: renamed, refigured, mixed."""
    tag = f"v{family}"

    def rename(key: str) -> str:
        return f"{key} {tag}"

    words = Counter({w: c for w, c in base.body.items() if rng.random() < 0.7})
    words.update({w: c for w, c in mate.body.items() if rng.random() < 0.3})
    lead = None
    if base.lead is not None:
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 0.02, len(base.lead))
        lead = ((base.lead + noise) / np.linalg.norm(base.lead + noise)).astype(np.float32)
    return dataclasses.replace(
        base, article_id=f"{base.article_id}~{family}~{n}", body=dict(words),
        title={w: c for w, c in base.title.items()} | {tag: 1},
        entities={k: tuple(rename(e) for e in v) for k, v in base.entities.items()},
        figures=tuple(str(int(f.replace(",", "").split(".")[0]) * 7 + family) for f in base.figures
                      if f.replace(",", "").split(".")[0].isdigit()),
        lead=lead, date=f"{2010 + family % 12}-{1 + family % 12:02d}-{1 + n % 27:02d}", published=True)


def variants(bases: list[tuple[Profile, str]], count: int, start: int, seed: int) -> list[tuple[Profile, str]]:
    """``count`` variants (profile, gold event), families ``start``..: every base document's
    event renamed per family."""
    rng = random.Random(seed)
    by_event: dict[str, list[Profile]] = {}
    for p, event in bases:
        by_event.setdefault(event, []).append(p)
    out: list[tuple[Profile, str]] = []
    family = start
    while len(out) < count:
        for p, event in bases:
            mate = rng.choice(by_event[event])
            out.append((variant(p, mate, family, len(out), rng), f"{event}~{family}"))
            if len(out) >= count:
                break
        family += 1
    return out


def add_articles(store: Any, profiles: list[Profile]) -> None:
    """Stored articles for the profiles (their words as text), not yet in an event."""
    with store.transaction():
        for p in profiles:
            store.articles.add(Article(p.article_id, "bench", "bench", None, " ".join(p.title), None, p.date, None,
                                       "en", " ".join(p.body)), Analysis(p.article_id, True), p.article_id,
                               p.article_id, None, None)


def fill(store: Any, profiles: list[tuple[Profile, str]]) -> None:
    """Articles and their placed profiles, in bulk (no NLP, no per-article placement)."""
    weights = Weights({}, 0)
    for start in range(0, len(profiles), FILL_BATCH):
        part = profiles[start:start + FILL_BATCH]
        add_articles(store, [p for p, _ in part])
        store.clustering.add_many([(p.article_id, "ev-" + event, p.to_json(), p.lead_bytes(), sorted(p.body),
                                    p.keys(weights)) for p, event in part])
    store.clustering.consolidated(store.clustering.pending_consolidation())


def run(size: int, probe: int, data: str | None) -> dict[str, Any]:
    from .context import Models
    from .eval.ecbplus import load_documents
    from .store import Store
    from .trainers.cluster import ecb_examples

    started = time.perf_counter()
    examples = ecb_examples(load_documents(data), Models())
    bases = [(e.profile, e.event) for e in examples]
    prepared = time.perf_counter()
    stored = variants(bases, size, 0, SEED)
    fresh = variants(bases, probe, size // len(bases) + 1, SEED + 1)
    model = load_model()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        fill(store, stored)
        add_articles(store, [p for p, _ in fresh])
        filled = time.perf_counter()
        place_articles([p for p, _ in fresh], store.clustering, model)
        placed = time.perf_counter()
        touched = store.clustering.pending_consolidation()
        index = StoredIndex(store.clustering)
        consolidate(index, ModelScorer(model, index), touched)
        store.clustering.consolidated(touched)
        consolidated = time.perf_counter()
        events = store.events.count()
    return {
        "task": "cluster", "store_articles": size, "placed_articles": probe, "events_in_store": events,
        "prepare_s": round(prepared - started, 1), "fill_s": round(filled - prepared, 1),
        "place_s": round(placed - filled, 2), "place_articles_per_s": round(probe / (placed - filled), 1),
        "consolidate_s": round(consolidated - placed, 2), "events_consolidated": len(touched),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def print_result(result: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    console.print(f"storyfuse bench cluster: {result['placed_articles']:,} articles placed one by one into a store "
                  f"of {result['store_articles']:,} ({result['events_in_store']:,} events)")
    console.print(f"  placing:       {result['place_articles_per_s']:,.1f} articles/s ({result['place_s']} s)")
    console.print(f"  consolidating: {result['consolidate_s']} s for {result['events_consolidated']:,} touched events")
    console.print(f"  filling the store: {result['fill_s']} s; NLP and embeddings of the ECB+ documents: "
                  f"{result['prepare_s']} s (not timed above)")
    console.print(f"  peak memory: {result['peak_rss_mb']:,} MB")
