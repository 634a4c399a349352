"""The spaCy wrapper: which components run, and what comes out."""

from __future__ import annotations

import pytest

from storyfuse.config import NlpConfig
from storyfuse.nlp import COMPONENTS, analyse_texts, load_model

TEXT = ("Mayor Lucia Ferrante of Eastbrook said on Thursday that the tram would open in 2030.\n\n"
        "Piet Haverkamp voted against the plan in Eastbrook")


@pytest.fixture(scope="module")
def result():
    return next(analyse_texts([TEXT], NlpConfig()))


def test_only_the_components_storyfuse_uses_are_loaded():
    assert tuple(load_model("auto").pipe_names) == COMPONENTS == ("senter", "ner")


def test_the_model_is_loaded_once_per_process():
    assert load_model("auto") is load_model("auto")


def test_a_paragraph_break_always_ends_a_sentence(result):
    assert [TEXT[s.start:s.end] for s in result.sentences][-1] == "Piet Haverkamp voted against the plan in Eastbrook"


def test_people_are_found_with_offsets_into_the_text(result):
    people = [m for m in result.mentions if m.label == "PERSON"]
    assert {m.text for m in people} >= {"Lucia Ferrante", "Piet Haverkamp"}
    assert all(TEXT[m.start:m.end] == m.text for m in result.mentions)


def test_dates_are_handed_to_the_dates_stage_not_kept_as_entities(result):
    assert {m.text for m in result.time_spans} >= {"Thursday", "2030"}
    assert not any(m.label == "DATE" for m in result.mentions)


def test_one_word_name_after_in_is_a_place():
    text = "The decision was welcomed in Velmarsk by shopkeepers and commuters alike."
    mentions = next(analyse_texts([text], NlpConfig())).mentions
    assert all(m.label != "PERSON" for m in mentions if m.text == "Velmarsk")
