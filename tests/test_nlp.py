"""The spaCy wrapper: which components run, and what comes out."""

from __future__ import annotations

import pytest

from storyfuse.components import MapEnv, Work
from storyfuse.config import Config, NlpConfig
from storyfuse.context import Models
from storyfuse.models import Article, RawDocument
from storyfuse.nlp import COMPONENT, COMPONENTS

from conftest import MODELS

TEXT = ("Mayor Lucia Ferrante of Eastbrook said on Thursday that the tram would open in 2030.\n\n"
        "Piet Haverkamp voted against the plan in Eastbrook")


@pytest.fixture(scope="module")
def result():
    return next(MODELS.nlp.analyse([TEXT]))


def test_only_the_components_storyfuse_uses_are_loaded():
    assert MODELS.nlp.pipe_names == COMPONENTS == ("senter", "ner")


def test_the_model_is_loaded_once_by_its_owner():
    assert MODELS.nlp is MODELS.nlp


def test_models_load_nothing_until_asked():
    models = Models()
    assert models._nlp is None and models._encoder is None


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
    mentions = next(MODELS.nlp.analyse([text])).mentions
    assert all(m.label != "PERSON" for m in mentions if m.text == "Velmarsk")


def _work(text: str, language: str = "en") -> Work:
    article = Article("a", "a.txt", None, None, None, None, None, None, language, text)
    return Work(RawDocument("a", "a.txt", "text", text), article=article)


def test_the_component_analyses_english_articles():
    (work,) = COMPONENT.apply([_work(TEXT)], MapEnv(Config(), MODELS))
    assert work.analysed and work.nlp is not None and work.nlp.sentences


def test_the_component_skips_another_language_with_the_reason():
    (work,) = COMPONENT.apply([_work("Le tram ouvrira en 2030.", "fr")], MapEnv(Config(), MODELS))
    assert work.nlp is None and "language 'fr' is not analysed" in (work.not_analysed or "")


def test_the_component_skips_a_text_over_the_limit_with_the_reason():
    env = MapEnv(Config(nlp=NlpConfig(max_chars=20)), MODELS)
    (work,) = COMPONENT.apply([_work(TEXT)], env)
    assert work.nlp is None and "over the NLP limit" in (work.not_analysed or "")


@pytest.mark.slow
def test_two_workers_analyse_as_one_does_in_the_same_order():
    texts = [f"Mayor Lena Voss of Quillhaven opened bridge number {n} on Monday. It cost {n} million." for n in
             range(9)]
    one = list(MODELS.nlp.analyse(texts, batch_size=4, workers=1))
    two = list(MODELS.nlp.analyse(texts, batch_size=4, workers=2))
    assert [r.sentences for r in two] == [r.sentences for r in one]
    assert [r.mentions for r in two] == [r.mentions for r in one]


def test_sentence_index_lists_the_sentences_wholly_inside_a_span():
    from storyfuse.models import Sentence
    from storyfuse.nlp import SentenceIndex

    index = SentenceIndex((Sentence(0, 10), Sentence(11, 20), Sentence(21, 30)))
    assert index.within(5, 30) == [(11, 20), (21, 30)]
    assert index.within(11, 25) == [(11, 20)]
    assert index.within(12, 19) == []
