"""``storyfuse eval align``: do two news sentences state the same thing? MRPC.

``--split cv`` (default): 5 folds of ``mrpc/msr_paraphrase_train.txt`` grouped so that no
sentence id is in two folds; for each, storyfuse's pair model is trained on the other four
exactly as ``storyfuse train align`` trains the shipped one (settings, calibration and
threshold chosen by cross-validation inside those four) and scored on the held-out fold.
``--split test``: ``mrpc/msr_paraphrase_test.txt`` placed under ``--data``, scored with the
shipped model (trained on the whole training file). For ``cv``, the same model over other
vectors is trained and scored on the same folds: over MiniLM's contextual token vectors (the
model shipped before the static vectors) and over static vectors alone.

Beside storyfuse, in the same run: answering "equivalent" for every pair, and TF-IDF cosine
and MiniLM sentence-embedding cosine, each with the threshold of best F1 on the training
part (for ``cv``, the training folds).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .data import dataset_dir

ANCHOR = ("MRPC test split (data README): all equivalent F1 0.799 / accuracy 0.665; TF-IDF cosine F1 0.815 / "
          "0.711; all-MiniLM-L6-v2 cosine F1 0.817 / 0.721; fine-tuned BERT-base about 0.89 / 0.85")
METRICS = ["f1", "accuracy", "precision", "recall"]
MINILM_ONLY = "storyfuse over MiniLM's token vectors (the model before the static ones, same run)"
STATIC_ONLY = "storyfuse over static vectors only (static cosine too, same run)"



def progress(message: str) -> None:
    """Progress goes to standard error, so that ``--json`` output stays JSON."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Pair:
    label: int
    first_id: str
    second_id: str
    first: str
    second: str


def train_path(data: str | None) -> Path:
    return dataset_dir("mrpc", data) / "msr_paraphrase_train.txt"


def split_path(split: str, data: str | None) -> Path:
    if split not in ("cv", "test"):
        raise ValueError(f"MRPC has no {split!r} split here; use cv (the training file) or test")
    path = dataset_dir("mrpc", data) / ("msr_paraphrase_train.txt" if split == "cv" else "msr_paraphrase_test.txt")
    if not path.is_file():
        raise ValueError(f"{path} is not there: place MRPC's {path.name} under --data DIR/mrpc to score "
                         f"--split {split}, or use --split cv")
    return path


def load_pairs(path: Path) -> list[Pair]:
    """MRPC's tab-separated file (UTF-8 with a byte-order mark; a header line)."""
    pairs = []
    with path.open(encoding="utf-8-sig") as handle:
        next(handle, None)
        for number, line in enumerate(handle, 2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 5 or parts[0] not in ("0", "1"):
                raise ValueError(f"{path}:{number}: expected Quality, two ids and two sentences, tab-separated")
            pairs.append(Pair(int(parts[0]), parts[1], parts[2], parts[3], parts[4]))
    return pairs


def sentence_groups(pairs: Sequence[Pair]) -> list[str]:
    """Each pair's group: pairs linked through a shared sentence id are one group, so that
    no sentence is on both sides of a fold boundary."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[find(p.first_id)] = find(p.second_id)
    return [find(p.first_id) for p in pairs]


def scores(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    return {"f1": round(float(f1_score(y, predicted)), 4), "accuracy": round(float(accuracy_score(y, predicted)), 4),
            "precision": round(float(precision_score(y, predicted, zero_division=0)), 4),
            "recall": round(float(recall_score(y, predicted)), 4)}


def _tfidf_cosine(train: Sequence[Pair], test: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True).fit([t for p in train for t in (p.first, p.second)])

    def cosine(pairs: Sequence[Pair]) -> np.ndarray:
        a = vectorizer.transform([p.first for p in pairs])
        b = vectorizer.transform([p.second for p in pairs])
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()

    return cosine(train), cosine(test)


def _thresholded(train_scores: np.ndarray, train_y: np.ndarray, test_scores: np.ndarray) -> np.ndarray:
    from sklearn.metrics import f1_score

    grid = np.unique(np.round(train_scores, 3))
    best = max((f1_score(train_y, train_scores >= t), t) for t in grid[:: max(1, len(grid) // 400)])[1]
    return test_scores >= best


def _baselines(train: Sequence[Pair], train_rows: np.ndarray, test: Sequence[Pair],
               test_rows: np.ndarray) -> dict[str, np.ndarray]:
    from ..align import FEATURES

    y = np.array([p.label for p in train])
    tf_train, tf_test = _tfidf_cosine(train, test)
    cos = FEATURES.index("cosine")
    return {"all equivalent (same run)": np.ones(len(test), dtype=bool),
            "TF-IDF cosine, threshold tuned on the training part (same run)": _thresholded(tf_train, y, tf_test),
            "MiniLM cosine, threshold tuned on the training part (same run)":
                _thresholded(train_rows[:, cos], y, test_rows[:, cos])}


def evaluate(split: str = "cv", data: str | None = None, config=None, log: Callable[[str], None] | None = None) -> dict:
    from ..align import pair_rows
    from ..context import Models

    log = log or progress
    from ..trainers.align import fit

    pairs = load_pairs(split_path(split, data))
    models = Models()
    texts = [(p.first, p.second) for p in pairs]
    rows = pair_rows(texts, models.static, models.encoder)
    y = np.array([p.label for p in pairs])
    result: dict[str, Any] = {"task": "align", "dataset": "MRPC", "split": split, "documents": len(pairs),
                              "metrics": METRICS, "published_anchor": ANCHOR}
    minilm_rows = pair_rows(texts, models.encoder)
    if split == "test":
        training = load_pairs(train_path(data))
        training_rows = pair_rows([(p.first, p.second) for p in training], models.encoder)
        decided = {"storyfuse": models.align.probability(rows) >= models.align.threshold}
        decided |= _baselines(training, training_rows, pairs, minilm_rows)
        result["rows"] = [{"system": name, **scores(y, d)} for name, d in decided.items()]
        return result
    from ..learning import group_folds
    from ..train import SEED

    # The same model over other vectors, trained and scored on the same folds: MiniLM's token
    # vectors and cosine (the model before the static vectors), static vectors only.
    variants = {"storyfuse": rows, MINILM_ONLY: minilm_rows, STATIC_ONLY: pair_rows(texts, models.static)}
    predicted: dict[str, np.ndarray] = {}
    per_fold: dict[str, list[float]] = {}
    folds = []
    for k, held in enumerate(group_folds(sentence_groups(pairs), 5, SEED)):
        test = np.array(held)
        train = np.setdiff1d(np.arange(len(pairs)), test)
        train_pairs = [pairs[i] for i in train]
        groups = sentence_groups(train_pairs)
        decided = {}
        for name, x in variants.items():
            model, _ = fit(x[train], y[train], groups, log=lambda _: None)
            decided[name] = model.probability(x[test]) >= model.threshold
        decided |= _baselines(train_pairs, minilm_rows[train], [pairs[i] for i in test], minilm_rows[test])
        for name, d in decided.items():
            predicted.setdefault(name, np.zeros(len(pairs), dtype=bool))[test] = d
            per_fold.setdefault(name, []).append(scores(y[test], d)["f1"])
        folds.append({"fold": k, "pairs": len(test), "storyfuse f1": per_fold["storyfuse"][-1]})
        log(f"  fold {k}: F1 {per_fold['storyfuse'][-1]:.4f}")
    result["rows"] = [{"system": name, **scores(y, d), "worst_fold_f1": min(per_fold[name]),
                       "fold_f1": per_fold[name]} for name, d in predicted.items()]
    result["folds"] = folds
    return result
