"""Tests for storyfuse.eval: every task's result has one shape."""

from __future__ import annotations

import pytest

from storyfuse.eval import TASKS, check_result


def result(**changes):
    base = {"task": "quotes", "dataset": "PolNeAR", "split": "dev", "documents": 3, "metrics": ["f1"],
            "rows": [{"system": "storyfuse", "f1": 0.8}, {"system": "baseline", "f1": 0.7}],
            "published_anchor": "0.66"}
    return {**base, **changes}


def test_a_complete_result_passes():
    assert check_result(result())["task"] == "quotes"


def test_a_result_without_a_storyfuse_row_is_refused():
    with pytest.raises(ValueError, match="no row named 'storyfuse'"):
        check_result(result(rows=[{"system": "storyfuse (threshold 0.2)", "f1": 0.8}]))


def test_a_row_missing_a_metric_is_refused():
    with pytest.raises(ValueError, match="lacks"):
        check_result(result(rows=[{"system": "storyfuse"}]))


def test_a_cross_validated_result_must_list_its_folds():
    with pytest.raises(ValueError, match="folds"):
        check_result(result(split="cv"))
    assert check_result(result(split="cv", folds=[{"fold": 0, "f1": 0.8}]))


def test_a_result_missing_a_key_names_it():
    bad = result()
    del bad["published_anchor"]
    with pytest.raises(ValueError, match="published_anchor"):
        check_result(bad)


def test_every_task_names_an_importable_module():
    import importlib

    for task in TASKS.values():
        assert callable(importlib.import_module(task.module).evaluate)
