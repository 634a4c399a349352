"""What the trained models share: a linear model read from plain arrays, calibration, seeded
folds of whole groups, and the calibration error.

Models are trained with scikit-learn (``storyfuse.train``) and shipped as arrays
(``storyfuse.trained``); at run time only numpy is needed, so a model means the same
whatever scikit-learn version is installed.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class LinearModel:
    """A logistic model over standardised features, with an optional isotonic calibration
    (``calibration_x`` ascending raw probabilities, ``calibration_y`` calibrated ones)."""

    weights: np.ndarray  # (n_features,)
    bias: float
    mean: np.ndarray  # standardisation learned on the training part
    scale: np.ndarray
    calibration_x: np.ndarray | None = None
    calibration_y: np.ndarray | None = None

    def raw(self, features: np.ndarray) -> np.ndarray:
        z = ((np.atleast_2d(features) - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def probability(self, features: np.ndarray) -> np.ndarray:
        p = self.raw(features)
        if self.calibration_x is None or self.calibration_y is None:
            return p
        return np.interp(p, self.calibration_x, self.calibration_y)

    def arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        out = {f"{prefix}weights": self.weights, f"{prefix}bias": np.array([self.bias]),
               f"{prefix}mean": self.mean, f"{prefix}scale": self.scale}
        if self.calibration_x is not None and self.calibration_y is not None:
            out[f"{prefix}calibration_x"] = self.calibration_x
            out[f"{prefix}calibration_y"] = self.calibration_y
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "") -> LinearModel:
        return cls(arrays[f"{prefix}weights"], float(arrays[f"{prefix}bias"][0]), arrays[f"{prefix}mean"],
                   arrays[f"{prefix}scale"], arrays.get(f"{prefix}calibration_x"), arrays.get(f"{prefix}calibration_y"))

    @classmethod
    def from_sklearn(cls, scaler: Any, logistic: Any, calibration: Any = None) -> LinearModel:
        """From a fitted StandardScaler and LogisticRegression (and IsotonicRegression)."""
        scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
        cx = cy = None
        if calibration is not None:
            cx = np.asarray(calibration.X_thresholds_, dtype=np.float64)
            cy = np.asarray(calibration.y_thresholds_, dtype=np.float64)
        return cls(np.asarray(logistic.coef_[0], dtype=np.float64), float(logistic.intercept_[0]),
                   np.asarray(scaler.mean_, dtype=np.float64), np.asarray(scale, dtype=np.float64), cx, cy)


@dataclass(frozen=True)
class TreeEnsemble:
    """Gradient-boosted trees (binary) evaluated from plain arrays: every tree's nodes
    concatenated, ``roots`` the index of each tree's first node.

    Hand-written because a scikit-learn model can only be saved by pickling it, which ties
    the file to one scikit-learn version; evaluation is a few vectorised steps per depth."""

    feature: np.ndarray  # int32, per node
    threshold: np.ndarray  # float64: go left when x <= threshold
    left: np.ndarray  # int32, absolute node index
    right: np.ndarray
    leaf: np.ndarray  # uint8
    missing_left: np.ndarray  # uint8: where a NaN goes
    value: np.ndarray  # float64, leaf value
    roots: np.ndarray  # int32
    baseline: float

    def raw(self, features: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(features, dtype=np.float64))
        n, k = len(x), len(self.roots)
        node = np.tile(self.roots, n)  # (row, tree) pairs, flat
        row = np.repeat(np.arange(n), k)
        # only the pairs not yet at a leaf take the next step: trees are of uneven depth, and
        # stepping every pair until the deepest path ends cost three times as much
        active = np.flatnonzero(self.leaf[node] == 0)
        while active.size:
            at = node[active]
            values = x[row[active], self.feature[at]]
            go_left = np.where(np.isnan(values), self.missing_left[at] == 1, values <= self.threshold[at])
            node[active] = reached = np.where(go_left, self.left[at], self.right[at])
            active = active[self.leaf[reached] == 0]
        return np.asarray(self.baseline + self.value[node].reshape(n, k).sum(axis=1))

    def probability(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(self.raw(features), -30, 30))))

    def arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        return {f"{prefix}{name}": getattr(self, name) for name in
                ("feature", "threshold", "left", "right", "leaf", "missing_left", "value", "roots")} | {
            f"{prefix}baseline": np.array([self.baseline])}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "") -> TreeEnsemble:
        a = {n: arrays[f"{prefix}{n}"] for n in ("feature", "threshold", "left", "right", "leaf", "missing_left",
                                                  "value", "roots")}
        return cls(a["feature"], a["threshold"], a["left"], a["right"], a["leaf"], a["missing_left"], a["value"],
                   a["roots"], float(arrays[f"{prefix}baseline"][0]))

    @classmethod
    def from_sklearn(cls, model: Any) -> TreeEnsemble:
        """From a fitted binary HistGradientBoostingClassifier."""
        parts, roots, offset = [], [], 0
        for (tree,) in model._predictors:
            nodes = tree.nodes
            roots.append(offset)
            parts.append((nodes["feature_idx"], nodes["num_threshold"], nodes["left"] + offset,
                          nodes["right"] + offset, nodes["is_leaf"], nodes["missing_go_to_left"], nodes["value"]))
            offset += len(nodes)
        columns = [np.concatenate([p[i] for p in parts]) for i in range(7)]
        return cls(columns[0].astype(np.int32), columns[1].astype(np.float64), columns[2].astype(np.int32),
                   columns[3].astype(np.int32), columns[4].astype(np.uint8), columns[5].astype(np.uint8),
                   columns[6].astype(np.float64), np.array(roots, dtype=np.int32),
                   float(np.ravel(model._baseline_prediction)[0]))


def stable_hash(value: str, seed: int = 0) -> int:
    """A hash that is the same in every process (Python's own is salted per process)."""
    return int.from_bytes(hashlib.blake2b(f"{seed}|{value}".encode(), digest_size=8).digest(), "little")


def hashed_column(feature: str, size: int) -> int:
    """The column of a hashed feature among ``size`` (CRC-32: cheap and the same everywhere)."""
    return zlib.crc32(feature.encode("utf-8")) % size


def group_folds(groups: Sequence[Hashable], k: int = 5, seed: int = 0) -> list[list[int]]:
    """Indexes of the items in ``k`` folds, every group wholly in one fold: groups are ordered
    by a seeded hash and dealt to the fold with the fewest items so far."""
    sizes: dict[Hashable, list[int]] = {}
    for i, g in enumerate(groups):
        sizes.setdefault(g, []).append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    order = sorted(sizes, key=lambda g: (-len(sizes[g]), stable_hash(str(g), seed)))
    for g in order:
        min(folds, key=len).extend(sizes[g])
    return [sorted(f) for f in folds]


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Mean gap between predicted probability and observed frequency, over equal-width bins,
    weighted by how many predictions fall in each."""
    p, y = np.asarray(probabilities, dtype=float), np.asarray(labels, dtype=float)
    if len(p) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.sum() / len(p) * abs(p[mask].mean() - y[mask].mean())
    return float(error)
