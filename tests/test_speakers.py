"""Tests for storyfuse.speakers: the learned speaker ranker, and its trainer's accuracy
(data-free parts)."""

from __future__ import annotations

import numpy as np
import pytest

from storyfuse.context import Models
from storyfuse.models import Mention, Quote, Sentence
from storyfuse.quotes import find_quotes
from storyfuse.speakers import DENSE, ArticleContext, candidates, features
from storyfuse.trainers.quotes import SpeakerCase, speaker_accuracy


def mentions_of(text: str, *names: str) -> tuple[Mention, ...]:
    out = []
    for name in names:
        start = text.index(name)
        out.append(Mention(name, start, start + len(name), "PERSON"))
    return tuple(out)


def quotes_in(text: str, *names: str, ranker=None) -> list[Quote]:
    sentences = (Sentence(0, len(text)),)
    found = find_quotes(text, sentences, mentions_of(text, *names), None, ranker)
    return [q for q in found if q.kind == "direct"]


@pytest.fixture(scope="module")
def ranker():
    return Models().speakers


def context_for(text: str, *names: str) -> tuple[ArticleContext, Quote]:
    mentions = mentions_of(text, *names)
    [quote] = quotes_in(text, *names)
    return ArticleContext.of(text, mentions, [0], [quote]), quote


def test_candidates_are_the_names_near_the_quote_not_inside_it():
    text = 'Lucia Ferrante spoke first. "Ask Marek Dole about the money," she said.'
    context, quote = context_for(text, "Lucia Ferrante", "Marek Dole")
    assert [m.text for m in candidates(context, quote)] == ["Lucia Ferrante"]


def test_features_have_one_row_per_candidate_and_are_deterministic():
    text = 'Lucia Ferrante and Marek Dole met. "We will rebuild the mill this year," Dole said.'
    context, quote = context_for(text, "Lucia Ferrante", "Marek Dole")
    found = candidates(context, quote)
    rows = features(context, quote, found)
    assert rows.shape == (len(found), len(DENSE))
    assert np.array_equal(rows, features(context, quote, found))


def test_the_teller_not_the_addressee_of_told_is_the_speaker(ranker):
    text = 'At the depot on Monday. "We will not cut a single route," Lucia Ferrante told Marek Dole.'
    [quote] = quotes_in(text, "Lucia Ferrante", "Marek Dole", ranker=ranker)
    assert quote.speaker == "Lucia Ferrante"


def test_a_verb_outside_any_list_still_finds_its_speaker(ranker):
    text = 'Marek Dole spoke first. "France will always be France, whatever they say," Lucia Ferrante retorted.'
    [quote] = quotes_in(text, "Marek Dole", "Lucia Ferrante", ranker=ranker)
    assert quote.speaker == "Lucia Ferrante"


def test_the_ranker_keeps_a_clear_attribution(ranker):
    text = 'Marek Dole was there. "The bridge reopens on Friday after the repairs," said Lucia Ferrante.'
    [quote] = quotes_in(text, "Marek Dole", "Lucia Ferrante", ranker=ranker)
    assert quote.speaker == "Lucia Ferrante"


def test_speaker_accuracy_counts_a_case_without_a_pick_as_wrong():
    rows = np.zeros((2, 1))
    right = SpeakerCase(rows, np.array([True, False]), rule=None, document=0)
    probabilities = [np.array([0.9, 0.1])]
    assert speaker_accuracy([right], probabilities, margin=0.0, sure=0.5) == 1.0
    assert speaker_accuracy([right], probabilities, margin=0.0, sure=0.95) == 0.0


def test_speaker_accuracy_replaces_the_rules_choice_only_by_the_margin():
    case = SpeakerCase(np.zeros((2, 1)), np.array([True, False]), rule=1, document=0)
    probabilities = [np.array([0.6, 0.5])]
    assert speaker_accuracy([case], probabilities, margin=0.05, sure=0.5) == 1.0
    assert speaker_accuracy([case], probabilities, margin=0.2, sure=0.5) == 0.0


def test_the_first_name_of_a_sentence_holding_a_partial_quote_is_its_speaker(ranker):
    text = ('Marek Dole chaired the meeting. Lucia Ferrante then dismissed the plan as '
            '"a gift to the developers and nobody else" before leaving.')
    second = text.index("Lucia")
    sentences = (Sentence(0, second - 1), Sentence(second, len(text)))
    found = find_quotes(text, sentences, mentions_of(text, "Marek Dole", "Lucia Ferrante"), None, ranker)
    assert [q.speaker for q in found if q.kind == "direct"] == ["Lucia Ferrante"]


def test_a_speaker_of_the_previous_quote_is_marked_for_the_next():
    text = ('"We will rebuild the mill this year," said Marek Dole. Lucia Ferrante nodded and sat down. '
            '"It will cost less."')
    mentions = mentions_of(text, "Marek Dole", "Lucia Ferrante")
    second, third = text.index("Lucia"), text.index('"It')
    sentences = (Sentence(0, second - 1), Sentence(second, third - 1), Sentence(third, len(text)))
    found_quotes = [q for q in find_quotes(text, sentences, mentions) if q.kind == "direct"]
    assert len(found_quotes) == 2  # a sentence between them: two quotes
    context = ArticleContext.of(text, mentions, [s.start for s in sentences], found_quotes)
    assert context.previous_speaker(found_quotes[-1].start) == "dole"
