"""storyfuse eval cluster: the B³ scorer and the evaluation on ECB+ (skipped without data)."""

from __future__ import annotations

import pytest

from storyfuse.eval.cluster import b_cubed, evaluate
from storyfuse.eval.data import DataNotFoundError, dataset_dir


def test_b_cubed_is_perfect_for_the_gold_clustering():
    gold = {"a": "x", "b": "x", "c": "y"}
    assert b_cubed(dict(gold), gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_b_cubed_of_one_big_cluster_has_full_recall_and_low_precision():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    score = b_cubed({d: "all" for d in gold}, gold)
    assert score["recall"] == 1.0 and score["precision"] == 0.5


def test_b_cubed_of_singletons_has_full_precision_and_low_recall():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    score = b_cubed({d: d for d in gold}, gold)
    assert score["precision"] == 1.0 and score["recall"] == 0.5 and score["f1"] == pytest.approx(2 / 3, abs=1e-4)


@pytest.mark.slow
def test_eval_cluster_on_the_dev_topics_beats_both_extremes():
    try:
        dataset_dir("ecbplus")
    except DataNotFoundError as err:
        pytest.skip(f"ECB+ not available: {err}")
    result = evaluate("dev")
    assert result["documents"] == 197 and result["gold_events"] == 16
    f1 = {row["system"].split(",")[0]: row["f1"] for row in result["rows"]}
    assert f1["storyfuse"] > f1["one event per topic"] and f1["storyfuse"] > f1["one event per document"]
    assert 0 < f1["TF-IDF average linkage"] <= 1 and 0 < f1["TF-IDF + entity TF-IDF average linkage"] <= 1
    assert result["threads"]["event_pairs_across_topics"] == 0
