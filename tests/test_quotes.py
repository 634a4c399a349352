"""Tests for storyfuse.quotes.find_quotes: direct and indirect quotes with their speakers."""

from __future__ import annotations

import pytest

from storyfuse.models import Mention, Sentence
from storyfuse.quotes import find_quotes

from conftest import MODELS


def sentences(text: str) -> tuple[Sentence, ...]:
    """The NLP stage's sentences, as find_quotes gets them in a run."""
    return next(MODELS.nlp.analyse([text])).sentences


def mention(text: str, surface: str, label: str, nth: int = 0) -> Mention:
    """The nth occurrence of surface in text as a mention, offsets computed with str.index."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(surface, start, start + len(surface), label)


def quotes(text: str, *mentions: Mention):
    return find_quotes(text, sentences(text), tuple(sorted(mentions, key=lambda m: m.start)))


def only(text: str, *mentions: Mention):
    found = quotes(text, *mentions)
    assert len(found) == 1, found
    return found[0]


def test_sentence_helper_splits_sentences():
    text = 'Anna Kovač arrived. "We will rebuild," she said.\nIt rained.'
    assert [text[s.start:s.end] for s in sentences(text)] == [
        "Anna Kovač arrived.", '"We will rebuild," she said.', "It rained."]


# --- direct quotes: attribution -----------------------------------------------------------------


def test_quote_then_said_full_name():
    text = '"We will rebuild the bridge before winter," said Anna Kovač.'
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert q.kind == "direct"
    assert q.text == "We will rebuild the bridge before winter"
    assert q.speaker == "Anna Kovač"


def test_quote_then_surname_said():
    text = '"We will rebuild the bridge before winter," Kovač said.'
    q = only(text, mention(text, "Kovač", "PERSON"))
    assert (q.kind, q.speaker) == ("direct", "Kovač")


def test_speaker_said_colon_then_quote():
    text = 'Kovač said: "We will rebuild the bridge before winter."'
    q = only(text, mention(text, "Kovač", "PERSON"))
    assert q.kind == "direct"
    assert q.text == "We will rebuild the bridge before winter."
    assert q.speaker == "Kovač"


def test_speaker_told_reporters_colon_then_quote():
    text = 'Kovač told reporters: "We will rebuild the bridge before winter."'
    q = only(text, mention(text, "Kovač", "PERSON"))
    assert q.speaker == "Kovač"


def test_pronoun_speaker_is_the_person_named_in_an_earlier_sentence():
    text = 'Anna Kovač visited the site on Monday. "We will rebuild the bridge before winter," she said.'
    anna = mention(text, "Anna Kovač", "PERSON")
    q = only(text, anna)
    assert q.speaker == "Anna Kovač"
    assert (q.speaker_start, q.speaker_end) == (anna.start, anna.end)


def test_pronoun_speaker_is_the_nearest_person_before_the_quote():
    text = ('"We will rebuild the bridge before winter," said Anna Kovač.\n'
            'Marko Petrić, who runs a ferry, was sceptical. "I have heard that promise three times before," he said.')
    found = quotes(text, mention(text, "Anna Kovač", "PERSON"), mention(text, "Marko Petrić", "PERSON"))
    assert [(q.text, q.speaker) for q in found] == [
        ("We will rebuild the bridge before winter", "Anna Kovač"),
        ("I have heard that promise three times before", "Marko Petrić"),
    ]


def test_curly_quotes_are_direct_quotes():
    text = "“We will rebuild the bridge before winter,” said Anna Kovač."
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert q.text == "We will rebuild the bridge before winter"
    assert q.speaker == "Anna Kovač"


def test_question_quote_with_asked():
    text = '"Why did nobody warn us about the storm?" asked Marko Petrić.'
    q = only(text, mention(text, "Marko Petrić", "PERSON"))
    assert q.text == "Why did nobody warn us about the storm?"
    assert q.speaker == "Marko Petrić"


def test_quote_split_by_attribution_is_one_quote_of_the_speaker():
    text = '"We will rebuild," said Kovač, "and we will do it before the winter comes."'
    found = quotes(text, mention(text, "Kovač", "PERSON"))
    assert [(q.text, q.speaker) for q in found] == [
        ("We will rebuild and we will do it before the winter comes.", "Kovač")]


def test_continuation_quote_in_next_paragraph_takes_previous_speaker():
    text = ('"We will rebuild the bridge before winter," said Anna Kovač.\n'
            '"Nobody should have to wait that long for a crossing."')
    anna = mention(text, "Anna Kovač", "PERSON")
    found = quotes(text, anna)
    assert len(found) == 2
    second = found[1]
    assert second.text == "Nobody should have to wait that long for a crossing."
    assert second.speaker == "Anna Kovač"
    assert (second.speaker_start, second.speaker_end) == (anna.start, anna.end)


def test_unattributed_quote_with_no_earlier_speaker_has_no_speaker():
    text = 'The storm damaged the roof.\n"Nobody should have to wait that long for a crossing."'
    q = only(text)
    assert q.kind == "direct"
    assert q.speaker is None
    assert q.speaker_start is None and q.speaker_end is None


def test_org_speaker_when_no_person_is_near():
    text = ('Anna Kovač toured the harbour on Monday. "The fire is under control and crews will stay '
            'overnight," the Port Velmar Fire Service said.')
    service = mention(text, "the Port Velmar Fire Service", "ORG")
    q = only(text, mention(text, "Anna Kovač", "PERSON"), service)
    assert q.speaker == "the Port Velmar Fire Service"
    assert (q.speaker_start, q.speaker_end) == (service.start, service.end)


def test_person_is_preferred_over_org_after_the_quote():
    text = ('"The fire is under control and crews will stay overnight," said Anna Kovač of the '
            'Port Velmar Fire Service.')
    q = only(text, mention(text, "Anna Kovač", "PERSON"), mention(text, "the Port Velmar Fire Service", "ORG"))
    assert q.speaker == "Anna Kovač"


# --- direct quotes: what counts, and offsets ----------------------------------------------------


def test_scare_quotes_of_one_or_two_words_are_ignored():
    text = 'Residents called it a "disaster" and a "total failure" on Monday.'
    assert quotes(text) == ()


def test_quote_text_excludes_marks_and_trailing_comma():
    text = '"We will rebuild the bridge before winter," said Anna Kovač.'
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert not q.text.startswith('"')
    assert not q.text.endswith(",")
    assert not q.text.endswith('"')


def test_quote_offsets_point_at_the_quote_text():
    text = ('The ferry stopped at noon. "Crews will check every cable twice," Kovač said.\n'
            '“The harbour stays shut until the wind drops,” she added.')
    found = quotes(text, mention(text, "Kovač", "PERSON"))
    assert len(found) == 2
    for q in found:
        assert text[q.start:q.end] == q.text


def test_speaker_offsets_point_at_the_speaker_mention():
    text = 'Crews worked overnight. "We will rebuild the bridge before winter," said Anna Kovač.'
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert text[q.speaker_start:q.speaker_end] == "Anna Kovač"


def test_speaker_entity_is_left_unset():
    text = '"We will rebuild the bridge before winter," said Anna Kovač.'
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert q.speaker_entity is None


def test_quotes_are_returned_in_text_order():
    text = ('"We will rebuild the bridge before winter," said Anna Kovač. The bridge would cost more '
            'than expected, Marko Petrić said.')
    found = quotes(text, mention(text, "Anna Kovač", "PERSON"), mention(text, "Marko Petrić", "PERSON"))
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert [q.kind for q in found] == ["direct", "indirect"]


# --- indirect quotes ----------------------------------------------------------------------------


def test_indirect_clause_then_speaker_said():
    text = "The bridge would be rebuilt before the winter, Anna Kovač said."
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert q.kind == "indirect"
    assert q.text == "The bridge would be rebuilt before the winter"
    assert q.speaker == "Anna Kovač"
    assert text[q.start:q.end] == q.text


def test_indirect_clause_then_said_speaker():
    text = "The bridge would be rebuilt before the winter, said Anna Kovač."
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert (q.kind, q.text, q.speaker) == ("indirect", "The bridge would be rebuilt before the winter", "Anna Kovač")


def test_indirect_according_to_speaker():
    text = "According to Anna Kovač, the bridge would be rebuilt before the winter."
    anna = mention(text, "Anna Kovač", "PERSON")
    q = only(text, anna)
    assert q.kind == "indirect"
    assert q.text == "the bridge would be rebuilt before the winter"
    assert q.speaker == "Anna Kovač"
    assert (q.speaker_start, q.speaker_end) == (anna.start, anna.end)
    assert text[q.start:q.end] == q.text


def test_indirect_speaker_said_that_clause():
    text = "Anna Kovač said that the bridge would be rebuilt before the winter."
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert q.kind == "indirect"
    assert q.text == "the bridge would be rebuilt before the winter"
    assert q.speaker == "Anna Kovač"


def test_indirect_speaker_said_clause_without_that():
    text = "Anna Kovač said the bridge would be rebuilt before the winter."
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert (q.kind, q.speaker) == ("indirect", "Anna Kovač")
    assert q.text == "the bridge would be rebuilt before the winter"


def test_indirect_speaker_told_reporters_that_clause():
    text = "Anna Kovač told reporters that the bridge would be rebuilt before the winter."
    q = only(text, mention(text, "Anna Kovač", "PERSON"))
    assert (q.kind, q.speaker) == ("indirect", "Anna Kovač")
    assert q.text == "the bridge would be rebuilt before the winter"


def test_sentence_without_reporting_verb_gives_no_indirect_quote():
    text = "Anna Kovač visited the bridge before the winter storms arrived."
    assert quotes(text, mention(text, "Anna Kovač", "PERSON")) == ()


def test_indirect_quote_needs_a_named_speaker():
    text = "The bridge would be rebuilt before the winter, officials said."
    assert quotes(text) == ()


@pytest.mark.parametrize("text", [
    'Anna Kovač said: "We will rebuild the bridge before winter."',
    '"We will rebuild the bridge before winter," Anna Kovač said.',
    'According to Anna Kovač, "the bridge will be rebuilt before the winter storms."',
])
def test_sentence_with_direct_quote_yields_no_indirect_quote(text):
    found = quotes(text, mention(text, "Anna Kovač", "PERSON"))
    assert [q.kind for q in found] == ["direct"]


def _quotes_of(text, people):
    mentions = tuple(Mention(p, text.index(p), text.index(p) + len(p), label) for p, label in people)
    return find_quotes(text, sentences(text), mentions)


def test_a_title_abbreviation_does_not_end_the_attribution():
    text = '"The plan will fail, and everybody knows it," said Sen. Elizabeth Warren.'
    [quote] = _quotes_of(text, [("Elizabeth Warren", "PERSON")])
    assert quote.speaker == "Elizabeth Warren"


def test_a_name_far_from_the_reporting_verb_is_not_the_speaker():
    text = ('Ferrante said the line was "the most important decision in a generation." '
            'She told an invited crowd at Eastbrook\'s Union Hall that work would begin soon.')
    quotes = [q for q in _quotes_of(text, [("Ferrante", "PERSON"), ("Eastbrook", "GPE")]) if q.kind == "direct"]
    assert quotes[0].speaker == "Ferrante"


def test_a_quote_after_someone_else_is_attributed_does_not_inherit_the_first_speaker():
    text = ('"We will win this vote easily," Ferrante said. Piet Haverkamp told reporters that he disagreed. '
            '"Nobody should take a single vote for granted."')
    quotes = [q for q in _quotes_of(text, [("Ferrante", "PERSON"), ("Piet Haverkamp", "PERSON")]) if q.kind == "direct"]
    assert quotes[1].speaker != "Ferrante"


def test_a_partial_quote_takes_the_subject_of_the_sentence():
    text = 'Haverkamp said he was not going to "act like a servile puppy dog" for the mayor.'
    [quote] = [q for q in _quotes_of(text, [("Haverkamp", "PERSON")]) if q.kind == "direct"]
    assert quote.speaker == "Haverkamp"


def test_a_paragraph_ending_with_a_colon_introduces_the_next_quote():
    text = 'Mbeki-Ross continued:\n\n"The members have been patient for two years now."'
    [quote] = _quotes_of(text, [("Mbeki-Ross", "PERSON")])
    assert quote.speaker == "Mbeki-Ross"


def test_a_dash_after_the_quote_names_the_speaker():
    text = "“The tram will change my street for the better.” ― Dorota Kwiatek"
    [quote] = _quotes_of(text, [("Dorota Kwiatek", "PERSON")])
    assert quote.speaker == "Dorota Kwiatek"


def test_a_possessive_is_never_the_speaker():
    text = "Ferrante says Haverkamp’s “latest complaint is simply unserious, even for him.”"
    [quote] = [q for q in _quotes_of(text, [("Ferrante", "PERSON"), ("Haverkamp", "PERSON")]) if q.kind == "direct"]
    assert quote.speaker == "Ferrante"


def test_a_partial_quote_without_a_reporting_verb_takes_the_person_the_sentence_opens_with():
    text = "Haverkamp is promising lower fares and “trams every five minutes” if his group wins."
    [quote] = [q for q in _quotes_of(text, [("Haverkamp", "PERSON")]) if q.kind == "direct"]
    assert quote.speaker == "Haverkamp"


def test_a_name_in_the_next_sentence_is_not_the_speaker():
    text = '"The repairs are going well and will finish soon," a spokesman said. Anna Kovač toured the site later.'
    [quote] = [q for q in _quotes_of(text, [("Anna Kovač", "PERSON")]) if q.kind == "direct"]
    assert quote.speaker is None


def test_the_speaker_is_the_name_next_to_the_verb_not_the_listener():
    text = '"The repairs are going well and will finish soon," Anna Kovač told Ms Petrić.'
    [quote] = [q for q in _quotes_of(text, [("Anna Kovač", "PERSON"), ("Petrić", "PERSON")]) if q.kind == "direct"]
    assert quote.speaker == "Anna Kovač"


def test_a_person_is_preferred_to_an_organisation_beside_the_verb():
    text = '"The repairs are going well and will finish soon," Anna Kovač of the Fire Service said.'
    people = [("Anna Kovač", "PERSON"), ("the Fire Service", "ORG")]
    [quote] = [q for q in _quotes_of(text, people) if q.kind == "direct"]
    assert quote.speaker == "Anna Kovač"


def test_a_name_far_after_the_verb_is_not_the_speaker():
    text = '"The repairs are going well and will finish soon," a spokesman said after a meeting with Anna Kovač.'
    [quote] = [q for q in _quotes_of(text, [("Anna Kovač", "PERSON")]) if q.kind == "direct"]
    assert quote.speaker is None


def test_a_place_after_a_preposition_is_not_who_spoke():
    text = "Neighbours on Chandler Row said they saw flames climbing through the roof within minutes."
    assert [q for q in _quotes_of(text, [("Chandler Row", "FAC")]) if q.speaker == "Chandler Row"] == []


def test_a_spokesman_for_an_organisation_makes_it_the_speaker():
    text = "A spokesman for Dunmore Textiles said that the company had met every safety requirement."
    [quote] = _quotes_of(text, [("Dunmore Textiles", "ORG")])
    assert quote.speaker == "Dunmore Textiles" and quote.text.startswith("the company had met")


def test_the_reported_clause_starts_after_yesterday_and_adding_that():
    text = "Anna Kovač said yesterday, adding that the bridge would be rebuilt before the winter."
    [quote] = _quotes_of(text, [("Anna Kovač", "PERSON")])
    assert quote.text == "the bridge would be rebuilt before the winter"


# --- a quotation interrupted by its attribution -----------------------------------------------


def test_a_quotation_interrupted_by_its_named_speaker_is_one_quote_with_two_segments():
    text = '"We will rebuild the bridge by spring," Mayor Ada Quill said on Monday. "The money is already there."'
    q = only(text, mention(text, "Ada Quill", "PERSON"))
    assert (q.speaker, q.start, q.end) == ("Ada Quill", 1, len(text) - 1)
    assert [text[a:b] for a, b in q.segments] == ["We will rebuild the bridge by spring",
                                                   "The money is already there."]
    assert q.text == "We will rebuild the bridge by spring The money is already there."


def test_a_quotation_interrupted_by_a_pronoun_and_verb_is_one_quote():
    text = ('Ada Quill spoke to the council.\n"The bridge will reopen in May," she said, "and the ferry '
            'will run until then."')
    q = only(text, mention(text, "Ada Quill", "PERSON"))
    assert len(q.segments) == 2 and q.speaker == "Ada Quill"


def test_quotes_of_two_speakers_in_one_paragraph_stay_apart():
    text = ('"The bridge will reopen in May," said Ada Quill. "We have heard that before," '
            'replied Ivo Brandt.')
    found = quotes(text, mention(text, "Ada Quill", "PERSON"), mention(text, "Ivo Brandt", "PERSON"))
    assert [(q.speaker, q.segments) for q in found] == [("Ada Quill", ()), ("Ivo Brandt", ())]


def test_quotes_in_separate_paragraphs_are_not_joined_as_segments():
    text = ('"The bridge will reopen in May," said Ada Quill.\n\n"The money is already there and the '
            'work is on time."')
    found = quotes(text, mention(text, "Ada Quill", "PERSON"))
    assert len(found) == 2 and all(not q.segments for q in found)


def test_an_attribution_sentence_between_two_quotes_makes_them_one_quotation():
    text = '"Will the bridge reopen in May?" Mayor Ada Quill asked. "The money is already there."'
    q = only(text, mention(text, "Ada Quill", "PERSON"))
    assert q.speaker == "Ada Quill"
    assert [text[a:b] for a, b in q.segments] == ["Will the bridge reopen in May?", "The money is already there."]


def test_a_name_inside_a_quotation_is_not_what_a_later_pronoun_points_to():
    text = ('Ada Quill spoke first.\n"I have asked Ivo Brandt to resign today," she said. '
            '"He has lost the trust of the council."')
    q = only(text, mention(text, "Ada Quill", "PERSON"), mention(text, "Ivo Brandt", "PERSON"))
    assert q.speaker == "Ada Quill" and len(q.segments) == 2


def test_a_word_or_two_quoted_inside_a_reported_clause_is_the_speakers_words():
    text = 'Ada Quill said the closure of the bridge was a "reckless gamble" by the council.'
    found = quotes(text, mention(text, "Ada Quill", "PERSON"))
    direct = [q for q in found if q.kind == "direct"]
    assert [(q.text, q.speaker) for q in direct] == [("reckless gamble", "Ada Quill")]
    assert [q.kind for q in found].count("indirect") == 1  # the clause is kept beside it


def test_a_quote_that_ends_its_sentence_is_not_given_to_a_name_in_the_next_long_sentence():
    text = ('"The bridge will reopen in May." Later that evening at the harbour, Ivo Brandt said '
            'the cranes were old.')
    direct = [q for q in quotes(text, mention(text, "Ivo Brandt", "PERSON")) if q.kind == "direct"]
    assert direct[0].speaker is None


def test_a_short_attribution_sentence_after_a_quote_names_its_speaker():
    text = '"The bridge will reopen in May." Ada Quill said.'
    assert only(text, mention(text, "Ada Quill", "PERSON")).speaker == "Ada Quill"
