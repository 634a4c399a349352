"""``storyfuse eval entities``: cross-document name merging on MEANTIME and on ECB+.

Gold: the named mentions of each data set, identified by their coreference chain, pooled by
topic (MEANTIME's four corpora; ECB+ topics, development topics by default). Each topic's
documents go through spaCy, ``recover_mentions`` and ``resolve_mentions`` with one shared ``EntityIndex`` (as a
store would hold), and a gold mention takes the entity of the predicted mention that covers
its head word; a mention the NER misses is a singleton, never dropped. Scored by B³ over the
gold mentions, beside a baseline in the same run that joins mentions whose lower-cased head
word is the same within a topic.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..context import Models
from ..entities import EntityIndex, recover_mentions, resolve_mentions
from .cluster import b_cubed
from .data import dataset_dir
from .ecbplus import DEV_TOPICS

ANCHOR = ("a baseline joining mentions with the same lower-cased head word within a topic, in the same run "
          "(about 0.69 B³ F1 on MEANTIME); target: 10 points above it on both data sets")
_NO_SPACE_BEFORE = {",", ".", ":", ";", "'s", "'", ")", "%", "?", "!", "n't", "''", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "$", "``"}
# ECB+ markables that are entities (the rest are actions and times).
_ENTITY_TAGS = re.compile(r"^(HUMAN_PART|NON_HUMAN_PART|LOC_)")


@dataclass(frozen=True, slots=True)
class GoldMention:
    topic: str
    document: str
    chain: str  # gold entity, unique within the topic
    head: tuple[int, int]  # character span of the head word in the document's text
    head_word: str


def join_tokens(sentences: Iterable[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text rebuilt from tokenised sentences (one per line), with every token's offsets."""
    text, offsets = "", []
    for tokens in sentences:
        if text:
            text += "\n"
        spans, last = [], None
        for token in tokens:
            if last is not None and token not in _NO_SPACE_BEFORE and last not in _NO_SPACE_AFTER:
                text += " "
            spans.append((len(text), len(text) + len(token)))
            text += token
            last = token
        offsets.append(spans)
    return text, offsets


def meantime(data: str | None) -> tuple[dict[str, str], list[GoldMention]]:
    """MEANTIME English: mentions headed by a proper noun; a chain's number names the entity
    across its ``cross_``/``cross_intra_`` forms."""
    root = dataset_dir("meantime", data) / "output_data" / "en"
    rows: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    with (root / "conll.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["topic/subtopic_name"]][int(row["sent_id"])].append(row["token"])
    texts, offsets = {}, {}
    for key, sentences in rows.items():
        numbers = sorted(sentences)
        texts[key], spans = join_tokens(sentences[n] for n in numbers)
        offsets[key] = dict(zip(numbers, spans))
    gold = []
    for m in json.loads((root / "entities_mentions.json").read_text(encoding="utf-8")):
        if m["mention_head_pos"] != "PROPN":
            continue
        key = m["conll_doc_key"]
        head = m["mention_head_id"] if m["mention_head_id"] in m["tokens_number"] else m["tokens_number"][-1]
        span = offsets[key][m["sent_id"]][head]
        gold.append(GoldMention(key.split("/")[0], key, m["coref_chain"].rsplit("_", 1)[1], span,
                                texts[key][span[0]:span[1]]))
    return texts, gold


def _tagger(models: Models):
    """The installed spaCy model with its tagger, to tell proper nouns (the gold's "named")."""
    import spacy

    return spacy.load(models.nlp.package, exclude=["ner", "parser", "lemmatizer", "senter"])


def _head(anchors: list[str], where: dict[str, tuple[tuple[int, int], str]]) -> tuple[int, int] | None:
    """A named mention's head: its last proper noun before a preposition, conjunction or
    punctuation ("Center" of "Betty Ford Center in Rancho Mirage, Calif."), else its last
    proper noun; None when it has none (not a named mention)."""
    proper = [where[a][0] for a in anchors if where[a][1] == "PROPN"]
    if not proper:
        return None
    first_part: list[str] = []
    for a in anchors:
        if where[a][1] in ("ADP", "CCONJ", "PUNCT") and first_part:
            break
        first_part.append(a)
    heads = [where[a][0] for a in first_part if where[a][1] == "PROPN"]
    return heads[-1] if heads else proper[-1]


def ecbplus(data: str | None, topics: tuple[int, ...], tagger) -> tuple[dict[str, str], list[GoldMention]]:
    """ECB+ entity chains (people, organisations, places, things) of the given topics: the
    mentions in a cross-document chain that hold a proper noun (spaCy's tagger on the tokens
    as given), headed as ``_head`` says."""
    from spacy.tokens import Doc

    root = dataset_dir("ecbplus", data) / "ECB+"
    texts, gold = {}, []
    for topic in topics:
        for path in sorted((root / str(topic)).glob("*.xml")):
            doc = ET.parse(path).getroot()
            sentences: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for token in doc.iter("token"):
                sentences[int(token.get("sentence") or 0)].append((token.get("t_id") or "", token.text or ""))
            if path.stem.endswith("ecbplus"):
                sentences.pop(0, None)  # the source URL
            numbers = sorted(sentences)
            text, spans = join_tokens([w for _, w in sentences[n]] for n in numbers)
            ids = [tid for n in numbers for tid, _ in sentences[n]]
            words = [w for n in numbers for _, w in sentences[n]]
            tags = [t.pos_ for t in tagger(Doc(tagger.vocab, words=words))] if words else []
            where = dict(zip(ids, zip((s for spans_n in spans for s in spans_n), tags)))
            texts[path.stem] = text
            chains = {}
            for relation in doc.iter("CROSS_DOC_COREF"):
                for source in relation.iter("source"):
                    chains[source.get("m_id")] = relation.get("note")
            markables = doc.find("Markables")
            for markable in markables if markables is not None else ():
                chain = chains.get(markable.get("m_id"))
                anchors = [a.get("t_id") or "" for a in markable.iter("token_anchor")]
                if not chain or not _ENTITY_TAGS.match(markable.tag) or not all(a in where for a in anchors):
                    continue
                span = _head(anchors, where)
                if span is not None:
                    gold.append(GoldMention(str(topic), path.stem, chain, span, text[span[0]:span[1]]))
    return texts, gold


def predicted_entities(texts: dict[str, str], gold: list[GoldMention], models: Models,
                       batch_size: int = 32) -> dict[int, str]:
    """Each gold mention's predicted entity: that of the resolved mention covering its head,
    one corpus state per topic, documents in name order."""
    documents = sorted({m.document for m in gold})
    results = dict(zip(documents, models.nlp.analyse((texts[d] for d in documents), batch_size)))
    by_document: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(gold):
        by_document[m.document].append(i)
    indexes: dict[str, EntityIndex] = defaultdict(EntityIndex)
    predicted = {}
    for document in documents:
        topic = gold[by_document[document][0]].topic
        found = recover_mentions(texts[document], results[document].mentions, indexes[topic])
        resolved = resolve_mentions(found, indexes[topic])
        for i in by_document[document]:
            start, end = gold[i].head
            hit = next((r for r in resolved if r.entity and r.start <= start < r.end), None)
            predicted[i] = f"{topic}|{hit.entity}" if hit else f"missed|{i}"
    return predicted


def score(gold: list[GoldMention], predicted: dict[int, str]) -> list[dict]:
    """B³ of storyfuse's entities and of the same-head baseline over the same gold mentions."""
    truth = {str(i): f"{m.topic}|{m.chain}" for i, m in enumerate(gold)}
    ours = {str(i): predicted[i] for i in range(len(gold))}
    head = {str(i): f"{m.topic}|{m.head_word.lower()}" for i, m in enumerate(gold)}
    return [{"system": "storyfuse", **b_cubed(ours, truth)},
            {"system": "same head word within a topic (same run)", **b_cubed(head, truth)}]


def evaluate(split: str = "dev", data: str | None = None, config=None) -> dict:
    """MEANTIME (all of it) and ECB+ (``split``: dev topics, train topics or all)."""
    from ..config import Config

    config = config or Config()
    models = Models(config.nlp.model)
    ecb_root = dataset_dir("ecbplus", data) / "ECB+"
    all_topics = tuple(sorted(int(p.name) for p in Path(ecb_root).iterdir() if p.name.isdigit()))
    topics = {"dev": DEV_TOPICS, "all": all_topics,
              "train": tuple(t for t in all_topics if t not in DEV_TOPICS)}.get(split)
    if topics is None:
        raise ValueError(f"unknown split {split!r}: use dev, train or all (MEANTIME is always scored whole)")
    rows, counts, documents = [], {}, 0
    for name, (texts, gold) in (("MEANTIME", meantime(data)), (f"ECB+ {split}", ecbplus(data, topics, _tagger(models)))):
        predicted = predicted_entities(texts, gold, models, config.nlp.batch_size)
        for row in score(gold, predicted):
            rows.append({**row, "data": name})
        counts[name] = {"gold_mentions": len(gold),
                        "missed_by_ner": sum(1 for p in predicted.values() if p.startswith("missed|"))}
        documents += len({m.document for m in gold})
    return {
        "task": "entities", "dataset": f"MEANTIME English + ECB+ {split} topics", "split": split,
        "documents": documents, "metrics": ["data", "precision", "recall", "f1"], "rows": rows,
        "gold": counts, "published_anchor": ANCHOR,
    }
