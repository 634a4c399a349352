"""``storyfuse train align``: whether two sentences state the same thing, learned on MRPC.

Examples: the sentence pairs of ``mrpc/msr_paraphrase_train.txt`` (equivalent or not), each
turned into ``align.FEATURES``. Every choice is made by cross-validation over seeded folds
grouped so that no sentence id is in two folds (pairs sharing a sentence are one group): the
trees' settings, and whether to average them with a logistic model over the standardised
features, by out-of-fold log loss; a sigmoid calibration fitted on the out-of-fold
scores (its error on held-out folds is reported), and the threshold by out-of-fold F1 of
the calibrated probabilities. The final trees are fitted on every pair.

The rows (``align.pair_rows``) take their token vectors from the static model distilled from
MiniLM and their cosine from MiniLM's sentence vectors, as corroboration computes them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.preprocessing import StandardScaler

from .. import trained
from ..align import FEATURES, AlignModel, pair_rows
from ..eval.align import load_pairs, sentence_groups, train_path
from ..eval.data import dataset_dir
from ..learning import LinearModel, TreeEnsemble, expected_calibration_error, group_folds
from ..train import SEED

FOLDS = 5
SETTINGS: tuple[dict[str, Any], ...] = tuple(
    dict(max_iter=n, learning_rate=rate, max_leaf_nodes=leaves, min_samples_leaf=leaf, max_features=share,
         l2_regularization=1.0)
    for n, rate, leaves, leaf, share in ((200, 0.05, 7, 80, 1.0), (400, 0.03, 15, 80, 1.0), (600, 0.02, 15, 40, 0.5),
                                         (500, 0.02, 31, 40, 0.5)))
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.01))


def _trees(x: np.ndarray, y: np.ndarray, setting: dict[str, Any]) -> TreeEnsemble:
    model = HistGradientBoostingClassifier(random_state=SEED, early_stopping=False, **setting)
    return TreeEnsemble.from_sklearn(model.fit(x, y))


def _linear(x: np.ndarray, y: np.ndarray) -> LinearModel:
    scaler = StandardScaler().fit(x)
    logistic = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(x), y)
    return LinearModel.from_sklearn(scaler, logistic)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _platt(p: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A sigmoid over the score's log-odds, fitted to the labels and tabulated on a grid (the
    model interpolates): strictly increasing, so the threshold of best F1 stays where it is,
    where isotonic steps lose F1 on held-out folds."""
    fitted = LogisticRegression(C=1e6).fit(_logit(p)[:, None], y)
    grid = np.concatenate([[0.0], np.linspace(1e-4, 1 - 1e-4, 399), [1.0]])
    return grid, fitted.predict_proba(_logit(grid)[:, None])[:, 1]


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 (ties: the higher one, fewer false equivalences)."""
    scores = [(f1_score(y, p >= t), t) for t in THRESHOLDS]
    return max(scores)[1]


def fit(x: np.ndarray, y: np.ndarray, groups: list, seed: int = SEED, log=print) -> tuple[AlignModel, dict[str, Any]]:
    """The pair model for these rows, every choice by cross-validation over the groups."""
    folds = [np.array(f) for f in group_folds(groups, FOLDS, seed)]
    splits = [(np.setdiff1d(np.arange(len(y)), f), f) for f in folds]
    linear_oof = np.zeros(len(y))
    for train, test in splits:
        linear_oof[test] = _linear(x[train], y[train]).raw(x[test])
    candidates: list[tuple[float, int, bool, np.ndarray]] = []
    for k, setting in enumerate(SETTINGS):
        oof = np.zeros(len(y))
        for train, test in splits:
            oof[test] = _trees(x[train], y[train], setting).probability(x[test])
        for with_linear, scores in ((False, oof), (True, (oof + linear_oof) / 2)):
            candidates.append((log_loss(y, np.clip(scores, 1e-6, 1 - 1e-6)), k, with_linear, scores))
    loss, best, with_linear, oof = min(candidates, key=lambda c: (c[0], c[1], c[2]))
    setting = SETTINGS[best]
    log(f"  trees: {setting}{' + logistic' if with_linear else ''} (out-of-fold log loss {loss:.4f})")
    held_out = np.zeros(len(y))  # each fold calibrated by the others' scores
    for train, test in splits:
        held_out[test] = np.interp(oof[test], *_platt(oof[train], y[train]))
    grid, calibrated_grid = _platt(oof, y)
    threshold = float(best_threshold(np.interp(oof, grid, calibrated_grid), y))
    model = AlignModel(_trees(x, y, setting), grid, calibrated_grid, threshold,
                       _linear(x, y) if with_linear else None)
    info = {"trees": setting, "with_logistic": with_linear, "oof_log_loss": round(float(loss), 4),
            "threshold": threshold,
            "ece_held_out": round(expected_calibration_error(held_out, y), 4),
            "oof_f1": round(float(f1_score(y, held_out >= threshold)), 4),
            "oof_accuracy": round(float(accuracy_score(y, held_out >= threshold)), 4),
            "pairs": int(len(y)), "equivalent": int(y.sum())}
    return model, info


def model_arrays(model: AlignModel) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    return model.arrays(), {"features": list(FEATURES), "threshold": model.threshold}


def train(data: str | None = None, out: Path | None = None, models: Any = None) -> dict[str, Any]:
    from ..context import Models

    started = time.time()
    path = train_path(data)
    pairs = load_pairs(path)
    models = models or Models()
    print(f"align: {len(pairs)} MRPC training pairs; encoding their sentences…", flush=True)
    x = pair_rows([(p.first, p.second) for p in pairs], models.static, models.encoder)
    y = np.array([p.label for p in pairs])
    model, info = fit(x, y, sentence_groups(pairs))
    arrays, params = model_arrays(model)
    root = dataset_dir("mrpc", data).parent
    card = trained.make_card(
        "align", seed=SEED, data_root=root, data_files=[path], settings={"features": list(FEATURES)} | info,
        scores={"cv_f1": info["oof_f1"], "cv_accuracy": info["oof_accuracy"], "ece_held_out": info["ece_held_out"]},
        description="whether two sentences from different outlets state the same thing (MRPC training pairs); "
                    "gradient-boosted trees (and a logistic model) over pair features (static token vectors "
                    "distilled from MiniLM, MiniLM's sentence cosine), sigmoid calibration")
    trained.save("align", arrays, params, card, out)
    print(f"align: cross-validated F1 {info['oof_f1']:.4f}, accuracy {info['oof_accuracy']:.4f} at "
          f"{info['threshold']} ({time.time() - started:.0f} s)", flush=True)
    return card
