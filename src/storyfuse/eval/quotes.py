"""``storyfuse eval quotes``: direct quotes and their speakers on PolNeAR (brat attributions).

The data README's method: a gold direct quote is an attribution whose Content contains
quotation marks; a predicted direct quote matches when at least half its tokens lie inside
that Content (each gold quote matched once). Speaker accuracy is scored on matched quotes
whose gold Source contains a capitalised name: right when the predicted speaker overlaps the
Source span, or shares a name word with it (a continued quote points at an earlier mention).
Beside storyfuse, in the same run: the regex-quotes-plus-nearest-person baseline.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..context import Models
from ..models import Mention, Quote
from ..quotes import find_quotes
from .data import dataset_dir

ANCHOR = ("regex quotes + nearest entity ≈ F1 0.66 / speaker accuracy 0.73; a widely used news quote "
          "extractor reports 0.837 / 0.86 on its own news set (data README)")
_QUOTE_MARK = re.compile(r"[\"“”]")
_NOT_NAMES = frozenset("""he she they it we i you his her their its our my him them us the a an this that these
those some one many most others other another both all several""".split())


@dataclass(frozen=True, slots=True)
class Attribution:
    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]


def read_attributions(path: Path) -> list[Attribution]:
    spans: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0].startswith("T") and len(parts) > 1:
            _, offsets = parts[1].split(" ", 1)
            spans[parts[0]] = [(int(a), int(b)) for a, b in (piece.split()[:2] for piece in offsets.split(";"))]
        elif parts[0].startswith("E") and len(parts) > 1:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    return [Attribution(tuple(spans[r["Content"]]), tuple(spans.get(r.get("Source") or "", ())))
            for r in relations if r.get("Content") in spans]


def load_split(split: str, data: str | None) -> list[tuple[str, str, list[Attribution]]]:
    root = dataset_dir("polnear", data) / "data" / split
    if not root.is_dir():
        raise ValueError(f"PolNeAR has no {split!r} split here ({root}); use dev or train")
    annotations: dict[str, Path] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)  # the alphabetically first annotator
    docs = []
    for text_path in sorted((root / "text").glob("*.txt")):
        ann = annotations.get(text_path.stem)
        docs.append((text_path.stem, text_path.read_text(encoding="utf-8"), read_attributions(ann) if ann else []))
    return docs


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in re.finditer(r"\w+", text[start:end])]


def _names_a_person(source_text: str) -> bool:
    return any(w[0].isupper() and w.lower() not in _NOT_NAMES for w in re.findall(r"[A-Za-z][\w'’.\-]*", source_text))


def score(docs, predicted: list[list[Quote]]) -> dict[str, float]:
    tp = fp = fn = scored = right = 0
    for (_, text, gold), quotes in zip(docs, predicted):
        direct = [g for g in gold if any(_QUOTE_MARK.search(text[a:b]) for a, b in g.content)]
        used: set[int] = set()
        for q in (q for q in quotes if q.kind == "direct"):
            tokens = [t for a, b in q.parts() for t in _tokens(text, a, b)]
            shares = [(sum(any(a <= t0 and t1 <= b for a, b in g.content) for t0, t1 in tokens) / max(1, len(tokens)), i)
                      for i, g in enumerate(direct) if i not in used]
            share, best = max(shares, default=(0.0, -1))
            if share < 0.5:
                fp += 1
                continue
            tp += 1
            used.add(best)
            gold_source = direct[best].source
            source_text = " ".join(text[a:b] for a, b in gold_source)
            if gold_source and _names_a_person(source_text):
                scored += 1
                right += _speaker_right(q, gold_source, source_text)
        fn += len(direct) - len(used)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
            "speaker_accuracy": round(right / max(1, scored), 4), "speakers_scored": scored}


def _speaker_right(q: Quote, gold_source, source_text: str) -> bool:
    if q.speaker is None:
        return False
    if q.speaker_start is not None and any(q.speaker_start < b and a < (q.speaker_end or 0) for a, b in gold_source):
        return True
    words = {w.lower() for w in re.findall(r"\w+", q.speaker)} - _NOT_NAMES
    return bool(words & {w.lower() for w in re.findall(r"\w+", source_text)})


def baseline(text: str, mentions: tuple[Mention, ...]) -> list[Quote]:
    """Quoted spans of three words or more, each given the nearest person mentioned."""
    people = [m for m in mentions if m.label == "PERSON"]
    out = []
    for m in re.finditer(r"“([^”\n]+)”|\"([^\"\n]+)\"", text):
        group = 1 if m.group(1) is not None else 2
        start, end = m.start(group), m.end(group)
        if len(text[start:end].split()) < 3:
            continue
        near = min(people, key=lambda p: min(abs(p.start - end), abs(start - p.end)), default=None)
        out.append(Quote(text[start:end], start, end, "direct", near.text if near else None,
                         near.start if near else None, near.end if near else None))
    return out


def evaluate(split: str = "dev", data: str | None = None, config=None) -> dict:
    """``dev`` or ``train``: the shipped models on that split; ``cv``: 5 folds of the training
    documents, the speech model and the speaker ranker refitted on four (their own settings
    chosen inside those four, as ``storyfuse train quotes`` does) and scored on the fifth."""
    from ..config import Config

    config = config or Config()
    docs = load_split("train" if split == "cv" else split, data)
    models = Models(config.nlp.model)
    results = list(models.nlp.analyse([text for _, text, _ in docs], config.nlp.batch_size))
    theirs = [baseline(text, r.mentions) for (_, text, _), r in zip(docs, results)]
    result: dict = {"task": "quotes", "dataset": "PolNeAR", "split": split, "documents": len(docs),
                    "metrics": ["precision", "recall", "f1", "speaker_accuracy"], "published_anchor": ANCHOR}
    if split != "cv":
        ours = [list(find_quotes(text, r.sentences, r.mentions, models.speech, models.speakers))
                for (_, text, _), r in zip(docs, results)]
        result["rows"] = [{"system": "storyfuse", **score(docs, ours)},
                          {"system": "regex quotes + nearest person (same run)", **score(docs, theirs)}]
        return result
    from ..learning import group_folds
    from ..train import SEED
    from ..trainers.quotes import FOLDS, fit_models

    ours = [[] for _ in docs]
    folds = []
    for k, held in enumerate(group_folds(list(range(len(docs))), FOLDS, SEED + 7)):
        held_set = set(held)
        rest = [i for i in range(len(docs)) if i not in held_set]
        fitted = fit_models([docs[i] for i in rest], [results[i] for i in rest])
        for i in held:
            (_, text, _), r = docs[i], results[i]
            ours[i] = list(find_quotes(text, r.sentences, r.mentions, fitted.speech, fitted.speakers))
        fold = score([docs[i] for i in held], [ours[i] for i in held])
        folds.append({"fold": k, "documents": len(held), "f1": fold["f1"], "speaker_accuracy": fold["speaker_accuracy"]})
        print(f"  fold {k}: F1 {fold['f1']:.4f}, speaker accuracy {fold['speaker_accuracy']:.4f}", file=sys.stderr, flush=True)
    result["rows"] = [{"system": "storyfuse", **score(docs, ours), "worst_fold_f1": min(f["f1"] for f in folds),
                       "worst_fold_speaker_accuracy": min(f["speaker_accuracy"] for f in folds)},
                      {"system": "regex quotes + nearest person (same run)", **score(docs, theirs)}]
    result["folds"] = folds
    return result
