"""``storyfuse train quotes``: whether a quotation is speech, learned on PolNeAR.

Examples: every direct quote the rules find (``quotes.find_quotes`` without the model) in
PolNeAR's training documents, labelled speech when it matches a gold direct attribution the
way ``storyfuse eval quotes`` scores it (half its tokens inside the gold Content). A
logistic model over ``speech.features``; its C and the threshold below which a quote is
dropped are chosen by 5-fold cross-validation over whole documents (the threshold maximises
the direct-quote F1 of the out-of-fold probabilities, counting the gold quotes the rules
never find as misses), probabilities calibrated by isotonic regression on the out-of-fold
scores. The development documents are scored once, at the end.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from .. import trained
from ..context import Models
from ..eval.data import dataset_dir
from ..eval.quotes import _QUOTE_MARK, _tokens, load_split
from ..learning import LinearModel, expected_calibration_error, group_folds
from ..quotes import find_quotes
from ..speech import DENSE, HASHED, SpeechModel, features
from ..train import SEED

C_GRID = (0.03, 0.1, 0.3, 1.0)
FOLDS = 5
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.05))


def examples(split: str, data: str | None) -> tuple[np.ndarray, np.ndarray, list[int], int]:
    """Features, labels and document of every rule-found direct quote, and the number of
    gold direct quotes (the recall denominator)."""
    docs = load_split(split, data)
    results = Models().nlp.analyse([text for _, text, _ in docs])
    rows, labels, groups, gold_total = [], [], [], 0
    for d, ((_, text, gold), r) in enumerate(zip(docs, results)):
        direct = [g for g in gold if any(_QUOTE_MARK.search(text[a:b]) for a, b in g.content)]
        gold_total += len(direct)
        for q in find_quotes(text, r.sentences, r.mentions):
            if q.kind != "direct":
                continue
            tokens = [t for a, b in q.parts() for t in _tokens(text, a, b)]
            share = max((sum(any(a <= t0 and t1 <= b for a, b in g.content) for t0, t1 in tokens) / max(1, len(tokens))
                         for g in direct), default=0.0)
            rows.append(features(text, q))
            labels.append(int(share >= 0.5))
            groups.append(d)
    return np.vstack(rows), np.array(labels), groups, gold_total


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of the dense features; the hashed ones stay 0/1."""
    mean = np.zeros(x.shape[1])
    scale = np.ones(x.shape[1])
    mean[:len(DENSE)] = x[:, :len(DENSE)].mean(axis=0)
    std = x[:, :len(DENSE)].std(axis=0)
    scale[:len(DENSE)] = np.where(std == 0, 1.0, std)
    return mean, scale


def fit(x: np.ndarray, y: np.ndarray, c: float) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardise(x)
    logistic = LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit((x - mean) / scale, y)
    return LinearModel(np.asarray(logistic.coef_[0], dtype=np.float64), float(logistic.intercept_[0]), mean, scale)


def f1_at(p: np.ndarray, y: np.ndarray, gold_total: int, threshold: float) -> dict[str, float]:
    kept = p >= threshold
    tp, fp = int((kept & (y == 1)).sum()), int((kept & (y == 0)).sum())
    precision, recall = tp / max(1, tp + fp), tp / max(1, gold_total)
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4)}


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[int], c: float) -> np.ndarray:
    p = np.zeros(len(y))
    for held in group_folds(groups, FOLDS, SEED):
        held_set = set(held)
        rest = [i for i in range(len(y)) if i not in held_set]
        p[held] = fit(x[rest], y[rest], c).raw(x[held])
    return p


def train(data: str | None = None, out: Path | None = None) -> dict[str, Any]:
    from sklearn.isotonic import IsotonicRegression
    from sklearn.metrics import log_loss

    started = time.time()
    x, y, groups, gold_total = examples("train", data)
    by_c = {c: out_of_fold(x, y, groups, c) for c in C_GRID}
    c = min(C_GRID, key=lambda c: (round(log_loss(y, np.clip(by_c[c], 1e-6, 1 - 1e-6)), 6), c))
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(by_c[c], y)
    calibrated = isotonic.predict(by_c[c])
    # The calibration error is measured on folds the calibration did not see.
    held_out_calibrated = np.zeros(len(y))
    for held in group_folds(groups, FOLDS, SEED + 1):
        rest = np.setdiff1d(np.arange(len(y)), held)
        fold_isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(by_c[c][rest], y[rest])
        held_out_calibrated[held] = fold_isotonic.predict(by_c[c][held])
    threshold = max(THRESHOLDS, key=lambda t: (f1_at(calibrated, y, gold_total, t)["f1"], -t))
    final = fit(x, y, c)
    model = LinearModel(final.weights, final.bias, final.mean, final.scale,
                        np.asarray(isotonic.X_thresholds_, dtype=np.float64),
                        np.asarray(isotonic.y_thresholds_, dtype=np.float64))
    dev_x, dev_y, _, dev_gold = examples("dev", data)
    dev_p = model.probability(dev_x)
    root = dataset_dir("polnear", data)
    card = trained.make_card(
        "quotes", seed=SEED, data_root=root.parent, data_files=[root / "data" / "metadata.tsv"],
        settings={"C": c, "C_grid": list(C_GRID), "threshold": threshold, "folds": FOLDS,
                  "training_quotes": int(len(y)), "training_speech": int(y.sum()),
                  "selection": "C by out-of-fold log loss; threshold by out-of-fold direct-quote F1"},
        scores={"cv_training_documents": {"without_model": f1_at(np.ones(len(y)), y, gold_total, 0.5),
                                          "with_model": f1_at(calibrated, y, gold_total, threshold),
                                          "ece_held_out_folds": round(expected_calibration_error(held_out_calibrated, y), 4)},
                "development_documents": {"without_model": f1_at(np.ones(len(dev_y)), dev_y, dev_gold, 0.5),
                                          "with_model": f1_at(dev_p, dev_y, dev_gold, threshold)}},
        description="Whether a quotation is speech (not a title, term or scare quote): a calibrated logistic "
                    "model over the quote's form, its surroundings and hashed neighbouring words (speech).",
    )
    card["seconds"] = round(time.time() - started)
    params = {"features": list(DENSE), "hashed_features": HASHED, "threshold": threshold}
    trained.save("quotes", model.arrays(), params, card, out)
    SpeechModel.from_trained(trained.load("quotes", out))  # the written model loads
    return card
