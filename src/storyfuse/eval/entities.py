"""``storyfuse eval entities``: cross-document name merging on MEANTIME English.

Gold: entity mentions headed by a proper noun, identified by their coreference chain; pairs
of mentions in different documents count only for chains annotated across documents. Each
topic's documents go through spaCy and ``resolve_mentions`` with one shared ``EntityIndex``
(as a store would hold), and a gold mention takes the entity of the predicted mention that
covers its head. Scored as pairwise precision, recall and F1 of same-entity decisions, beside
two baselines on the same mentions in the same run: same surface string, same head lemma.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict

from ..context import Models
from ..entities import EntityIndex, resolve_mentions
from .data import dataset_dir

ANCHOR = "a same-lemma baseline computed in the same run (data README)"
_NO_SPACE_BEFORE = {",", ".", ":", ";", "'s", "'", ")", "%", "?", "!", "n't", "''"}
_NO_SPACE_AFTER = {"(", "$", "``"}


def build_documents(root) -> dict[str, tuple[str, dict]]:
    """Each document's text rebuilt from its tokens, with every token's offsets."""
    tokens = defaultdict(list)
    with (root / "conll.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tokens[row["topic/subtopic_name"]].append((int(row["sent_id"]), int(row["token_id"]), row["token"]))
    docs = {}
    for key, rows in tokens.items():
        text, offsets, last_sentence, last_token = "", {}, None, None
        for sentence, number, token in rows:
            if last_sentence is not None and sentence != last_sentence:
                text += "\n"
            elif last_token is not None and token not in _NO_SPACE_BEFORE and last_token not in _NO_SPACE_AFTER:
                text += " "
            offsets[(sentence, number)] = (len(text), len(text) + len(token))
            text += token
            last_sentence, last_token = sentence, token
        docs[key] = (text, offsets)
    return docs


def pairwise(items: list[tuple], decide) -> dict[str, float]:
    """items: (document, gold id, annotated across documents, prediction key)."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(items, 2):
        if a[0] != b[0] and not (a[2] and b[2]):
            continue
        same_gold = a[1] == b[1]
        same_pred = decide(a) is not None and decide(a) == decide(b)
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4)}


def evaluate(split: str = "all", data: str | None = None, config=None) -> dict:
    from ..config import Config

    config = config or Config()
    root = dataset_dir("meantime", data) / "output_data" / "en"
    docs = build_documents(root)
    gold = [m for m in json.loads((root / "entities_mentions.json").read_text(encoding="utf-8"))
            if m["mention_head_pos"] == "PROPN"]
    by_doc = defaultdict(list)
    for m in gold:
        by_doc[m["conll_doc_key"]].append(m)
    keys = sorted(by_doc)
    results = dict(zip(keys, Models(config.nlp.model).nlp.analyse([docs[k][0] for k in keys], config.nlp.batch_size)))
    items, missed = [], 0
    indexes: dict[str, EntityIndex] = defaultdict(EntityIndex)  # one corpus state per topic
    for key in keys:
        text, offsets = docs[key]
        resolved = resolve_mentions(results[key].mentions, indexes[key.split("/")[0]])
        for m in by_doc[key]:
            head = m["mention_head_id"] if m["mention_head_id"] in m["tokens_number"] else m["tokens_number"][-1]
            h_start, h_end = offsets[(m["sent_id"], head)]
            hit = next((r for r in resolved if r.start <= h_start and h_end <= r.end), None)
            if hit is None:
                missed += 1
                continue
            chain = m["coref_chain"]
            items.append((key, chain.rsplit("_", 1)[1], chain.startswith("cross"),
                          {"entity": hit.entity, "surface": hit.text, "lemma": m["mention_head_lemma"]}))
    return {
        "task": "entities", "dataset": "MEANTIME English", "split": "all", "documents": len(keys),
        "metrics": ["precision", "recall", "f1"],
        "rows": [
            {"system": "storyfuse", **pairwise(items, lambda x: x[3]["entity"])},
            {"system": "same surface string (same run)", **pairwise(items, lambda x: x[3]["surface"])},
            {"system": "same head lemma (same run)", **pairwise(items, lambda x: x[3]["lemma"])},
        ],
        "gold_mentions": len(gold), "not_found_by_ner": missed,
        "published_anchor": ANCHOR,
    }
