"""Tests for storyfuse.align: the features and the shipped model that decide whether two
sentences from different outlets state the same thing."""

from __future__ import annotations

import numpy as np
import pytest

from storyfuse import trained
from storyfuse.align import FEATURES, AlignModel, PairJudge, Sentence, TokenVectors, pair_features, pair_rows, rarity

from conftest import MODELS

# Fictional sentences about a made-up transport decision.
ORIGINAL = "The Ostrava council approved 300 new electric buses for the Karsk line on Tuesday."
PARAPHRASE = "On Tuesday, Ostrava's council gave its approval to 300 new electric buses for the Karsk line."
FIGURE_CHANGED = "The Ostrava council approved 450 new electric buses for the Karsk line on Tuesday."
OTHER_CLAIM = "The Ostrava council rejected a plan for a new tram depot on the Karsk line on Tuesday."
UNRELATED = "A bakery in Lindau won a regional prize for its rye bread."


def tokens(pieces: list[str], seed: int) -> TokenVectors:
    vectors = np.random.default_rng(seed).normal(size=(len(pieces), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sentence = vectors.mean(axis=0)
    return TokenVectors(tuple(pieces), vectors, sentence / np.linalg.norm(sentence))


class CountingEncoder:
    """Sentence vectors from the session's MiniLM, counting the texts it is asked for."""

    def __init__(self):
        self.asked: list[str] = []

    def encode(self, texts):
        self.asked += texts
        return MODELS.encoder.encode(texts)


@pytest.fixture(scope="module")
def model() -> AlignModel:
    return MODELS.align


def judge_of(model: AlignModel, encoder=None, kept: int = 2000) -> PairJudge:
    return PairJudge(model, MODELS.static, encoder or MODELS.encoder, kept)


# --- words ---------------------------------------------------------------------------------------


def test_rarity_ranks_a_rare_word_above_a_common_one():
    assert rarity("ostrava") > rarity("council") > rarity("the")


def test_sentence_reads_digits_and_number_words_as_the_same_figures():
    assert Sentence.of("Three buses and 1,200 seats.").numbers == {"3", "1200"}


def test_sentence_takes_capitalised_words_after_the_first_as_names():
    assert Sentence.of("Yesterday the Ostrava council met Jana Novak.").names == {"ostrava", "jana", "novak"}


def test_sentence_notices_a_negation():
    assert Sentence.of("The council did not approve the buses.").negated
    assert not Sentence.of("The council approved the buses.").negated


# --- features ------------------------------------------------------------------------------------


def test_pair_features_give_one_value_per_feature_name():
    a, b = tokens(["the", "council"], 1), tokens(["a", "council", "met"], 2)
    assert pair_features(ORIGINAL, PARAPHRASE, 0.8, a, b).shape == (len(FEATURES),)


def test_pair_features_do_not_depend_on_which_sentence_comes_first():
    a, b = tokens(["the", "council", "approved"], 1), tokens(["council", "gave", "approval"], 2)
    assert np.allclose(pair_features(ORIGINAL, FIGURE_CHANGED, 0.7, a, b),
                       pair_features(FIGURE_CHANGED, ORIGINAL, 0.7, b, a))


def test_pair_features_count_a_figure_that_only_one_side_gives():
    a, b = tokens(["x"], 1), tokens(["y"], 2)
    row = dict(zip(FEATURES, pair_features(ORIGINAL, FIGURE_CHANGED, 0.9, a, b)))
    assert row["numbers_only_one"] == 2 and row["numbers_shared"] == 0


def test_pair_features_of_identical_token_vectors_match_every_token():
    a = tokens(["the", "council", "approved"], 1)
    row = dict(zip(FEATURES, pair_features(ORIGINAL, ORIGINAL, 1.0, a, a)))
    assert row["token_f"] == pytest.approx(1.0) and row["tokens_unmatched"] == 0


# --- the shipped model ---------------------------------------------------------------------------


def test_the_shipped_model_loads_with_a_threshold_between_zero_and_one(model):
    assert 0 < model.threshold < 1
    assert trained.load("align").params["features"] == list(FEATURES)


def test_calibrated_probabilities_stay_between_zero_and_one_and_follow_the_raw_score(model):
    rows = np.random.default_rng(0).uniform(0, 3, size=(50, len(FEATURES)))
    raw, calibrated = model.raw(rows), model.probability(rows)
    assert ((calibrated >= 0) & (calibrated <= 1)).all()
    order = np.argsort(raw)
    assert (np.diff(calibrated[order]) >= -1e-12).all()


def test_a_paraphrase_is_judged_equivalent(model):
    judge = judge_of(model)
    (p,) = judge.probabilities([(ORIGINAL, PARAPHRASE)])
    assert p >= judge.threshold


def test_another_claim_in_the_same_words_is_less_likely_the_same_than_a_paraphrase(model):
    judge = judge_of(model)
    paraphrase, other = judge.probabilities([(ORIGINAL, PARAPHRASE), (ORIGINAL, OTHER_CLAIM)])
    assert other < paraphrase


def test_an_unrelated_sentence_is_judged_not_equivalent(model):
    judge = judge_of(model)
    (p,) = judge.probabilities([(ORIGINAL, UNRELATED)])
    assert p < judge.threshold


def test_the_judge_embeds_each_sentence_once_across_calls(model):
    encoder = CountingEncoder()
    judge = judge_of(model, encoder)
    judge.probabilities([(ORIGINAL, PARAPHRASE), (ORIGINAL, FIGURE_CHANGED)])
    judge.probabilities([(PARAPHRASE, FIGURE_CHANGED)])
    assert sorted(encoder.asked) == sorted([ORIGINAL, PARAPHRASE, FIGURE_CHANGED])


def test_the_judge_embeds_nothing_when_given_the_cosines(model):
    encoder = CountingEncoder()
    judge_of(model, encoder).probabilities([(ORIGINAL, PARAPHRASE)], [0.9])
    assert encoder.asked == []


def test_given_cosines_give_what_the_judge_would_compute(model):
    pairs = [(ORIGINAL, PARAPHRASE), (ORIGINAL, OTHER_CLAIM)]
    a, b, c = MODELS.encoder.encode([ORIGINAL, PARAPHRASE, OTHER_CLAIM])
    given = judge_of(model).probabilities(pairs, [float(a @ b), float(a @ c)])
    assert np.allclose(given, judge_of(model).probabilities(pairs))


def test_the_cosine_is_a_feature_the_judge_listens_to(model):
    low, high = judge_of(model).probabilities([(ORIGINAL, OTHER_CLAIM)] * 2, [0.2, 0.99])
    assert high > low


def test_the_judge_keeps_a_bounded_number_of_sentences(model):
    judge = judge_of(model, CountingEncoder(), kept=2)
    judge.probabilities([(ORIGINAL, PARAPHRASE), (FIGURE_CHANGED, UNRELATED)])
    assert len(judge._vectors) == 2


def test_the_judge_of_no_pairs_is_empty(model):
    assert judge_of(model, CountingEncoder()).probabilities([]).shape == (0,)


def test_pair_rows_take_the_cosine_from_the_sentence_encoder_when_given():
    (with_minilm,) = pair_rows([(ORIGINAL, PARAPHRASE)], MODELS.static, MODELS.encoder)
    (static_only,) = pair_rows([(ORIGINAL, PARAPHRASE)], MODELS.static)
    a, b = MODELS.encoder.encode([ORIGINAL, PARAPHRASE])
    cosine = FEATURES.index("cosine")
    assert with_minilm[cosine] == pytest.approx(float(a @ b), abs=1e-4)
    assert np.array_equal(np.delete(with_minilm, cosine), np.delete(static_only, cosine))


def test_pair_rows_are_rounded_so_that_float_noise_does_not_change_training():
    rows = pair_rows([(ORIGINAL, PARAPHRASE), (ORIGINAL, UNRELATED)], MODELS.static, MODELS.encoder)
    assert np.array_equal(rows, np.round(rows, 4))


def test_the_judge_reads_stored_vectors_before_embedding(model):
    encoder = CountingEncoder()
    a, b = MODELS.encoder.encode([ORIGINAL, PARAPHRASE])
    judge = PairJudge(model, MODELS.static, encoder, stored=lambda texts: {ORIGINAL: a} if ORIGINAL in texts else {})
    judge.probabilities([(ORIGINAL, PARAPHRASE)])
    assert encoder.asked == [PARAPHRASE]


def test_the_judge_refuses_cosines_that_do_not_match_the_pairs(model):
    with pytest.raises(ValueError, match="1 cosines for 2 pairs"):
        judge_of(model).probabilities([(ORIGINAL, PARAPHRASE), (ORIGINAL, UNRELATED)], [0.5])


def test_the_judge_loads_the_static_model_when_the_first_pair_is_judged(model):
    loads = []
    judge = PairJudge(model, lambda: loads.append(1) or MODELS.static, MODELS.encoder)
    judge.probabilities([])
    assert loads == []
    judge.probabilities([(ORIGINAL, PARAPHRASE)], [0.8])
    judge.probabilities([(ORIGINAL, UNRELATED)], [0.1])
    assert loads == [1]
