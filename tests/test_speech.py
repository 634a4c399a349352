"""Tests for storyfuse.speech: the learned decision whether a quotation is speech, and its
trainer's scoring (data-free parts)."""

from __future__ import annotations

import numpy as np
import pytest

from storyfuse.context import Models
from storyfuse.models import Mention, Quote, Sentence
from storyfuse.quotes import find_quotes
from storyfuse.speech import DENSE, HASHED, features
from storyfuse.trainers.quotes import f1_at

SPEECH = '"We will not cut a single route this winter, whatever the fuel costs," said Lucia Ferrante.'
TITLE = 'She starred in a series called "The Marvelous Mrs Maisel Returns Home" for four years.'


@pytest.fixture(scope="module")
def speech():
    return Models().speech


def direct_quotes(text: str, speakers: tuple[Mention, ...] = ()) -> list[Quote]:
    return [q for q in find_quotes(text, (Sentence(0, len(text)),), speakers) if q.kind == "direct"]


def ferrante(text: str) -> tuple[Mention, ...]:
    start = text.index("Lucia Ferrante")
    return (Mention("Lucia Ferrante", start, start + 14, "PERSON"),)


def test_features_have_the_dense_and_hashed_parts_and_are_deterministic():
    [quote] = direct_quotes(SPEECH, ferrante(SPEECH))
    first, second = features(SPEECH, quote), features(SPEECH, quote)
    assert first.shape == (len(DENSE) + HASHED,) and np.array_equal(first, second)
    assert first[DENSE.index("attributed")] == 1.0 and first[DENSE.index("verb_after")] == 1.0


def test_an_attributed_statement_is_more_likely_speech_than_a_title(speech):
    [said] = direct_quotes(SPEECH, ferrante(SPEECH))
    start = TITLE.index("The Marvelous")
    title = Quote("The Marvelous Mrs Maisel Returns Home", start, start + 37, "direct")
    assert speech.probabilities(SPEECH, [said])[0] > speech.probabilities(TITLE, [title])[0]


def test_the_model_keeps_an_attributed_statement(speech):
    [said] = direct_quotes(SPEECH, ferrante(SPEECH))
    assert speech.keep(SPEECH, [said]) == [said]


def test_the_model_leaves_out_the_title_of_a_show(speech):
    found = find_quotes(TITLE, (Sentence(0, len(TITLE)),), (), speech)
    assert [q for q in found if q.kind == "direct"] == []


def test_the_model_never_drops_indirect_speech(speech):
    indirect = Quote("the road will reopen", 0, 20, "indirect", "Lucia Ferrante", 30, 44)
    assert speech.keep("x" * 60, [indirect]) == [indirect]


def test_trainer_f1_counts_gold_quotes_never_found_as_misses():
    p, y = np.array([0.9, 0.8, 0.2]), np.array([1, 0, 1])
    assert f1_at(p, y, gold_total=4, threshold=0.5) == {"precision": 0.5, "recall": 0.25, "f1": 0.3333}
