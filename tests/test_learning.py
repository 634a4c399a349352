"""Tests for storyfuse.learning: a linear model from plain arrays, folds, calibration error."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from storyfuse.learning import LinearModel, expected_calibration_error, group_folds, stable_hash


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 3)) * [1.0, 5.0, 0.1] + [0.0, 10.0, 2.0]
    signal = x[:, 0] + 0.2 * x[:, 1] - 3 * x[:, 2] + rng.normal(scale=0.5, size=400)
    y = (signal > np.median(signal)).astype(int)
    scaler = StandardScaler().fit(x)
    logistic = LogisticRegression(random_state=0).fit(scaler.transform(x), y)
    return x, y, scaler, logistic


def test_linear_model_gives_the_probabilities_of_scikit_learn(fitted):
    x, _, scaler, logistic = fitted
    model = LinearModel.from_sklearn(scaler, logistic)
    assert np.allclose(model.probability(x), logistic.predict_proba(scaler.transform(x))[:, 1], atol=1e-9)


def test_linear_model_round_trips_through_arrays(fitted):
    x, y, scaler, logistic = fitted
    raw = logistic.predict_proba(scaler.transform(x))[:, 1]
    iso = IsotonicRegression(out_of_bounds="clip").fit(raw, y)
    model = LinearModel.from_sklearn(scaler, logistic, iso)
    again = LinearModel.from_arrays(model.arrays("m_"), "m_")
    assert np.allclose(again.probability(x), iso.predict(raw), atol=1e-9)


def test_group_folds_keep_each_group_in_one_fold():
    groups = [f"site{i % 13}" for i in range(100)]
    folds = group_folds(groups, k=5, seed=1)
    assert sorted(i for f in folds for i in f) == list(range(100))
    for fold in folds:
        others = {groups[i] for f in folds if f is not fold for i in f}
        assert not {groups[i] for i in fold} & others


def test_group_folds_are_the_same_for_the_same_seed_and_differ_for_another():
    groups = [f"topic{i % 11}" for i in range(60)]
    assert group_folds(groups, 5, 3) == group_folds(groups, 5, 3)
    assert group_folds(groups, 5, 3) != group_folds(groups, 5, 4)


def test_stable_hash_does_not_depend_on_the_process():
    assert stable_hash("Harbin", 0) == stable_hash("Harbin", 0) != stable_hash("Harbin", 1)


def test_calibration_error_of_perfect_calibration_is_small():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=20000)
    y = rng.uniform(size=20000) < p
    assert expected_calibration_error(p, y) < 0.02


def test_calibration_error_of_overconfidence_is_large():
    p = np.full(1000, 0.9)
    y = np.r_[np.ones(500), np.zeros(500)]
    assert expected_calibration_error(p, y) == pytest.approx(0.4)


def test_tree_ensemble_gives_the_probabilities_of_scikit_learn(fitted):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from storyfuse.learning import TreeEnsemble

    x, y, _, _ = fitted
    x = x.copy()
    x[::17, 1] = np.nan  # missing values take the side the trees learned
    model = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=7, random_state=0).fit(x, y)
    trees = TreeEnsemble.from_arrays(TreeEnsemble.from_sklearn(model).arrays("t_"), "t_")
    assert np.allclose(trees.probability(x), model.predict_proba(x)[:, 1], atol=1e-9)
