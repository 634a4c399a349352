"""The shipped event model on ECB+ (skipped, with a message, where the data set is absent):
scores that do not depend on the size of the store, and decisions that do not depend on the
order articles arrive in."""

from __future__ import annotations

import random

import pytest

from storyfuse.cluster import load_model
from storyfuse.cluster.place import MemoryIndex, cluster_in_memory
from storyfuse.cluster.profile import Compared, Weights, pair_features, profile_of
from storyfuse.errors import StoryfuseError
from storyfuse.eval.cluster import b_cubed
from storyfuse.eval.ecbplus import DEV_TOPICS, load_documents
from storyfuse.trainers.cluster import ecb_examples

from conftest import MODELS


@pytest.fixture(scope="module")
def documents():
    try:
        return load_documents()
    except StoryfuseError as err:
        pytest.skip(f"ECB+ not available: {err}")


def weights_of_texts(texts: list[str]) -> Weights:
    df: dict[str, int] = {}
    for i, text in enumerate(texts):
        for term in profile_of(str(i), None, text, (), None).body:
            df[term] = df.get(term, 0) + 1
    return Weights(df, len(texts))


def test_a_pair_scores_the_same_in_a_store_of_5_and_of_772(documents):
    assert len(documents) == 772
    topic = [d for d in documents if d.topic == 2]
    same = [d for d in topic if d.half == "ecb"][:2]
    other = [d for d in topic if d.half == "ecbplus"][:1]
    a, b, c = (e.profile for e in ecb_examples(same + other, MODELS))
    model = load_model()
    for x, y in ((a, b), (a, c)):
        scores = []
        for store in (documents[:5], documents):
            w = weights_of_texts([d.text for d in store])
            scores.append(model.probabilities([pair_features(Compared(x, w), Compared(y, w))])[0])
        assert abs(scores[0] - scores[1]) <= 0.05, scores


RUN = 25  # articles a run brings (a feed poll, a folder of saved pages)


@pytest.mark.slow
def test_arrival_order_changes_b_cubed_on_the_dev_topics_by_at_most_002(documents):
    # The development topics arrive in runs of RUN articles, each placed and consolidated as
    # `storyfuse run` does: in the order by id, and in three shuffled orders.
    examples = ecb_examples([d for d in documents if d.topic in DEV_TOPICS], MODELS)
    gold = {e.profile.article_id: e.event for e in examples}
    by_id = sorted((e.profile for e in examples), key=lambda p: p.article_id)
    model = load_model()
    reference = b_cubed(cluster_in_memory(by_id, model, index=MemoryIndex(), run_size=RUN), gold)["f1"]
    for seed in (1, 2, 3):
        shuffled = by_id[:]
        random.Random(seed).shuffle(shuffled)
        f1 = b_cubed(cluster_in_memory(shuffled, model, index=MemoryIndex(), run_size=RUN), gold)["f1"]
        assert abs(f1 - reference) <= 0.02, (seed, f1, reference)
