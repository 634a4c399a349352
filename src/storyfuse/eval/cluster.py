"""``storyfuse eval cluster``: event clustering on ECB+, scored with B³.

Each ECB+ topic holds two real-world events of the same kind (an ``ecb`` half and an
``ecbplus`` half), so a system has to keep apart stories that look alike.

- ``--split dev``: the development topics go through the real pipeline (``storyfuse run``
  into a fresh store, with the shipped model trained on the training topics), so what is
  scored is what a user gets.
- ``--split cv``: 5 seeded folds of whole training topics; for each, the pair model is
  trained on four (``trainers.cluster.fit``, its own choices by inner cross-validation) and
  all documents of the fifth are clustered together, online then consolidated, with no
  number of events given. Mean and worst fold.

Beside each, in the same run and tuned the same way (distance threshold chosen on the
training part): TF-IDF average linkage, and TF-IDF plus entity TF-IDF average linkage.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .data import dataset_dir
from .ecbplus import DEV_TOPICS, EcbDocument, load_documents

PUBLISHED_ANCHOR = ("TF-IDF average-linkage, threshold tuned: B³ F1 ≈ 0.87 on unseen topics (data README); "
                    "TF-IDF + entity TF-IDF ≈ 0.94; K-means given the number of events ≈ 0.97")
BASELINE_THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.5, 1.0, 0.025))
FOLDS = 5


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B³ precision, recall and F1 over documents (Bagga & Baldwin 1998): the clustering metric."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for doc, label in predicted.items():
        by_pred[label].add(doc)
    for doc, label in gold.items():
        by_gold[label].add(doc)
    precision = sum(len(by_pred[predicted[d]] & by_gold[gold[d]]) / len(by_pred[predicted[d]]) for d in gold) / len(gold)
    recall = sum(len(by_pred[predicted[d]] & by_gold[gold[d]]) / len(by_gold[gold[d]]) for d in gold) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def split_topics(split: str, data: str | None) -> tuple[int, ...] | None:
    if split == "dev":
        return DEV_TOPICS
    if split in ("train", "cv"):
        folders = (dataset_dir("ecbplus", data) / "ECB+").iterdir()
        return tuple(sorted(int(p.name) for p in folders if p.name.isdigit() and int(p.name) not in DEV_TOPICS))
    raise ValueError(f"unknown split {split!r}: use dev or cv")


def storyfuse_clusters(docs: list[EcbDocument], config, thread_links: list | None = None) -> dict[str, str]:
    """Run the real pipeline on the documents; each document's event id (and the threads
    found, as lists of events' articles, into ``thread_links``)."""
    from ..pipeline import run
    from ..store import Store

    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "ecbplus.jsonl"
        with jsonl.open("w", encoding="utf-8") as handle:
            for d in docs:
                # Every document is its own outlet: ECB+ gives neither outlets nor dates.
                handle.write(json.dumps({"id": d.doc_id, "text": d.text, "source": f"ecb:{d.doc_id}"}) + "\n")
        with Store(Path(tmp) / "eval.db") as store:
            run([str(jsonl)], store, config)
            states = store.articles.states()
            threads = stored_threads(store)
    predicted = {a: s.event_id or a for a, s in states.items()}
    if thread_links is not None:
        thread_links.extend(threads)
    return predicted


def stored_threads(store) -> list[list[list[str]]]:
    """Each thread of the store as the articles of its events, event by event."""
    from ..export import event_threads

    events = store.stories.events()
    entities = store.entities.get()
    found = event_threads(events, {e.id: e.label for e in entities}, {e.id: e.name for e in entities})
    members = {e.id: list(e.articles) for e in events}
    out: list[list[list[str]]] = [[members[e] for e in t.events] for t in found]
    return out


def thread_figures(threads: list[list[list[str]]], docs: Sequence[EcbDocument]) -> dict[str, Any]:
    """How threads link ECB+ events: never across topics, and how often a topic's two events."""
    topic = {d.doc_id: d.topic for d in docs}
    half = {d.doc_id: d.event for d in docs}

    def majority(articles: list[str], of: dict) -> Any:
        values = [of[a] for a in articles if a in of]
        return max(set(values), key=values.count) if values else None

    cross, same_topic_pairs = 0, set()
    for thread in threads:
        labels = [(majority(ev, topic), majority(ev, half)) for ev in thread]
        for (t1, h1), (t2, h2) in ((x, y) for i, x in enumerate(labels) for y in labels[i + 1:]):
            if t1 != t2:
                cross += 1
            elif h1 != h2:
                same_topic_pairs.add(t1)
    topics = sorted({d.topic for d in docs})
    return {"threads": len(threads), "event_pairs_across_topics": cross,
            "topics_with_their_two_events_linked": f"{len(same_topic_pairs)} of {len(topics)}",
            "linked_topics": sorted(same_topic_pairs)}


def _matrix(texts: list[str], entities: list[str] | None):
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    if entities is None:
        return words.toarray()
    names = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit_transform(entities)
    return normalize(sp.hstack([normalize(words), normalize(names)]).tocsr()).toarray()


def average_linkage(docs: Sequence[EcbDocument], threshold: float, entities: dict[str, str] | None = None,
                    ) -> dict[str, str]:
    """Cosine distance, average linkage over TF-IDF (and, given each document's entity
    names, entity TF-IDF as a second, equally weighted block)."""
    matrix = _matrix([d.text for d in docs], [entities[d.doc_id] for d in docs] if entities is not None else None)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    return {d.doc_id: f"c{label}" for d, label in zip(docs, model.fit_predict(matrix))}


def tuned_threshold(docs: Sequence[EcbDocument], entities: dict[str, str] | None) -> float:
    gold = {d.doc_id: d.event for d in docs}
    return max(BASELINE_THRESHOLDS, key=lambda t: (b_cubed(average_linkage(docs, t, entities), gold)["f1"], -t))


def entity_names(examples: Sequence[Any]) -> dict[str, str]:
    """Each document's named entities as one token each (for the entity TF-IDF baseline)."""
    return {e.profile.article_id: " ".join(k.replace(" ", "_") for kind in sorted(e.profile.entities)
                                           for k in e.profile.entities[kind]) for e in examples}


def _baselines(train: list[EcbDocument], test: list[EcbDocument], names: dict[str, str]) -> list[dict[str, Any]]:
    gold = {d.doc_id: d.event for d in test}
    rows = []
    for label, ents in (("TF-IDF average linkage", None), ("TF-IDF + entity TF-IDF average linkage", names)):
        threshold = tuned_threshold(train, ents)
        rows.append({"system": label, "threshold": threshold, **b_cubed(average_linkage(test, threshold, ents), gold)})
    return rows


def evaluate(split: str = "dev", data: str | None = None, config=None) -> dict:
    from ..config import Config
    from ..context import Models
    from ..trainers.cluster import ecb_examples

    config = config or Config()
    topics = split_topics(split, data)
    train_topics = split_topics("train", data)
    everything = load_documents(data)
    train_docs = [d for d in everything if d.topic in (train_topics or ())]
    examples = ecb_examples(everything, Models())
    names = entity_names(examples)
    result: dict[str, Any] = {"task": "cluster", "dataset": "ECB+", "split": split,
                              "metrics": ["precision", "recall", "f1"], "published_anchor": PUBLISHED_ANCHOR}
    if split == "cv":
        return result | _cross_validate(train_docs, examples, names)
    docs = [d for d in everything if topics is None or d.topic in topics]
    gold = {d.doc_id: d.event for d in docs}
    threads: list[list[list[str]]] = []
    predicted = storyfuse_clusters(docs, config, threads)
    baselines = [{**row, "system": f"{row['system']}, distance {row.pop('threshold')} tuned on the training topics "
                                   "(same run)"} for row in _baselines(train_docs, docs, names)]
    return result | {
        "documents": len(docs), "gold_events": len(set(gold.values())),
        "predicted_events": len(set(predicted.values())), "threads": thread_figures(threads, docs),
        "rows": [{"system": "storyfuse", **b_cubed(predicted, gold)}, *baselines,
                 {"system": "one event per topic", **b_cubed({d.doc_id: str(d.topic) for d in docs}, gold)},
                 {"system": "one event per document", **b_cubed({d.doc_id: d.doc_id for d in docs}, gold)}],
    }


def _cross_validate(train_docs: list[EcbDocument], examples: list, names: dict[str, str]) -> dict[str, Any]:
    from ..cluster.place import cluster_in_memory
    from ..learning import group_folds
    from ..train import SEED
    from ..trainers.cluster import fit

    topics = sorted({d.topic for d in train_docs})
    folds = [sorted(topics[i] for i in f) for f in group_folds(topics, FOLDS, SEED)]
    by_id = {e.profile.article_id: e for e in examples}
    per_system: dict[str, list[dict[str, float]]] = defaultdict(list)
    for held in folds:
        train = [d for d in train_docs if d.topic not in held]
        test = [d for d in train_docs if d.topic in held]
        model, _ = fit([by_id[d.doc_id] for d in train], folds=FOLDS - 1, log=lambda _: None)
        predicted = cluster_in_memory([by_id[d.doc_id].profile for d in sorted(test, key=lambda d: d.doc_id)], model)
        per_system["storyfuse"].append(b_cubed(predicted, {d.doc_id: d.event for d in test}))
        for row in _baselines(train, test, names):
            per_system[row.pop("system")].append(row)
    rows: list[dict[str, Any]] = []
    for system, scores in per_system.items():
        mean = {m: round(float(np.mean([s[m] for s in scores])), 4) for m in ("precision", "recall", "f1")}
        worst = min(scores, key=lambda s: s["f1"])
        rows.append({"system": system, **mean, "worst_fold_f1": worst["f1"],
                     "fold_f1": [s["f1"] for s in scores]})
    best_baseline = max((r for r in rows if r["system"] != "storyfuse"), key=lambda r: r["f1"])
    ours = rows[0]
    gaps = [a - b for a, b in zip(ours["fold_f1"], best_baseline["fold_f1"])]
    return {"documents": len(train_docs), "gold_events": len({d.event for d in train_docs}), "folds": folds,
            "rows": rows, "worst_fold_gap_to_stronger_baseline": round(min(gaps), 4)}
