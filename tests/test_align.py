"""Tests for storyfuse.align: the features and the shipped model that decide whether two
sentences from different outlets state the same thing."""

from __future__ import annotations

import numpy as np
import pytest

from storyfuse import trained
from storyfuse.align import FEATURES, PairJudge, PairModel, Sentence, TokenVectors, pair_features, pair_rows, rarity

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
    """Token vectors from one of the session's encoders (MiniLM unless told), counting the texts
    it is asked for."""

    def __init__(self, encoder=None):
        self.encoder = encoder or MODELS.encoder
        self.asked: list[str] = []

    def encode_tokens(self, texts):
        self.asked += texts
        return self.encoder.encode_tokens(texts)


@pytest.fixture(scope="module")
def model() -> PairModel:
    return MODELS.align


def judge_of(model: PairModel, contextual=None, kept: int = 2000) -> PairJudge:
    return PairJudge(model, MODELS.static, contextual or MODELS.encoder, kept)


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


def test_the_shipped_model_asks_minilm_within_a_band_narrower_than_everything(model):
    assert 0 < model.band < 1
    assert 0 < model.static.threshold < 1 and 0 < model.contextual.threshold < 1


@pytest.mark.parametrize("part", ["static", "contextual"])
def test_calibrated_probabilities_stay_between_zero_and_one_and_follow_the_raw_score(model, part):
    rows = np.random.default_rng(0).uniform(0, 3, size=(50, len(FEATURES)))
    raw, calibrated = getattr(model, part).raw(rows), getattr(model, part).probability(rows)
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


def test_the_judge_encodes_each_sentence_once_across_calls(model):
    encoder = CountingEncoder()
    judge = judge_of(model, encoder)
    judge.encode([ORIGINAL, PARAPHRASE, FIGURE_CHANGED])
    judge.encode([ORIGINAL])
    judge.probabilities([(ORIGINAL, PARAPHRASE), (ORIGINAL, FIGURE_CHANGED)])
    assert sorted(encoder.asked) == sorted([ORIGINAL, PARAPHRASE, FIGURE_CHANGED])


def test_the_judge_keeps_a_bounded_number_of_sentences(model):
    judge = judge_of(model, CountingEncoder(), kept=2)
    judge.encode([ORIGINAL, PARAPHRASE, FIGURE_CHANGED, UNRELATED])
    assert len(judge._tokens) == 2


def test_the_judge_of_no_pairs_is_empty(model):
    assert judge_of(model, CountingEncoder()).probabilities([]).shape == (0,)


def test_minilm_judges_only_the_pairs_the_static_model_is_unsure_of(model):
    pairs = [(ORIGINAL, PARAPHRASE), (ORIGINAL, FIGURE_CHANGED), (ORIGINAL, OTHER_CLAIM), (ORIGINAL, UNRELATED),
             (PARAPHRASE, OTHER_CLAIM), (FIGURE_CHANGED, UNRELATED)]
    wide = PairModel(model.static, model.contextual, band=1.0)
    narrow = PairModel(model.static, model.contextual, band=0.0)
    asked_wide, asked_narrow = CountingEncoder(), CountingEncoder()
    wide_judge, narrow_judge = judge_of(wide, asked_wide), judge_of(narrow, asked_narrow)
    everything, static = wide_judge.probabilities(pairs), narrow_judge.probabilities(pairs)
    assert (wide_judge.contextual_pairs, narrow_judge.contextual_pairs) == (len(pairs), 0)
    assert asked_narrow.asked == [] and len(asked_wide.asked) == 5
    assert np.allclose(static, model.static.probability(pair_rows(pairs, MODELS.static)))
    assert not np.allclose(everything, static)


def test_the_combined_probability_is_minilms_inside_the_band_and_the_static_one_outside(model):
    both = PairModel(model.static, model.contextual, band=0.1)
    t, c = model.static.threshold, model.contextual.threshold
    static = np.array([t - 0.3, t - 0.05, t + 0.05, t + 0.3])
    contextual = np.array([c + 0.2, c + 0.01, c - 0.01, c - 0.2])
    assert np.allclose(both.combine(static, contextual), [t - 0.3, t + 0.01, t - 0.01, t + 0.3])


def test_inside_the_band_minilms_model_decides_at_its_own_threshold(model):
    both = PairModel(model.static, model.contextual, band=1.0)
    contextual = np.array([model.contextual.threshold - 1e-6, model.contextual.threshold])
    decided = both.combine(np.full(2, model.static.threshold), contextual) >= both.threshold
    assert decided.tolist() == [False, True]
