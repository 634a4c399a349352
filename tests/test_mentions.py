"""Tests for storyfuse.mentions: NER spans cut to the name, typed by what the text shows."""

from __future__ import annotations

from storyfuse.mentions import clean_mentions, headline_lines, is_headline_case


def spans_of(text: str, *names: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Raw NER spans for the given (surface, label) pairs, at their first occurrence."""
    return [(text.index(name), text.index(name) + len(name), label) for name, label in names]


def cleaned(text: str, *names: tuple[str, str]) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in clean_mentions(text, spans_of(text, *names), headline_lines(text))]


def test_a_span_never_crosses_a_line_break():
    text = "The surgeon general is Regina Benjamin\nJul 13 2009 was the date."
    assert cleaned(text, ("Regina Benjamin\nJul", "PERSON")) == [("Regina Benjamin", "PERSON")]


def test_a_span_loses_trailing_punctuation_and_function_words():
    text = 'Stirling called Orozco a "killer" on Monday.'
    assert cleaned(text, ('Orozco a "', "PERSON")) == [("Orozco", "PERSON")]


def test_a_span_loses_a_trailing_score():
    text = "North Carolina beat Evansville 91-73 in the final."
    assert cleaned(text, ("Evansville 91-73", "ORG")) == [("Evansville", "ORG")]


def test_a_span_loses_leading_punctuation():
    text = 'He said: "Hunger Games" was the sequel.'
    assert cleaned(text, ('"Hunger Games', "WORK_OF_ART")) == [("Hunger Games", "WORK_OF_ART")]


def test_title_case_lines_are_headlines_and_prose_is_not():
    assert is_headline_case("Lindsay Lohan Checks Into Rehab After Court Order")
    assert not is_headline_case("Lindsay Lohan checked into rehab on Thursday, her lawyer said.")


def test_a_headline_span_is_cut_to_the_name_the_prose_uses():
    text = "Lindsay Lohan Checks Into Rehab Clinic\nThe actress Lindsay Lohan arrived on Thursday."
    prose = text.rindex("Lindsay Lohan")
    spans = [(0, len("Lindsay Lohan Checks Into Rehab"), "PERSON"), (prose, prose + len("Lindsay Lohan"), "PERSON")]
    found = clean_mentions(text, spans, headline_lines(text))
    assert [(m.text, m.start) for m in found] == [("Lindsay Lohan", 0), ("Lindsay Lohan", prose)]


def test_a_headline_fragment_the_prose_never_names_is_dropped():
    text = "Quick Looks Ahead Before Summit\nLeaders met in Harbin on Friday."
    assert cleaned(text, ("Quick Looks Ahead", "PERSON")) == []


def test_a_headline_fragment_with_a_prose_family_name_is_cut_to_it():
    text = "Quick Looks - Xi Welcomes Visitors\nPresident Xi Jinping met the delegation."
    found = cleaned(text, ("Quick Looks - Xi", "PERSON"), ("Xi Jinping", "PERSON"))
    assert found[0] == ("Xi", "PERSON")


def test_a_legal_form_makes_an_organisation():
    text = "Shares of Dunmore Holdings Ltd. fell sharply."
    assert cleaned(text, ("Dunmore Holdings Ltd", "PERSON")) == [("Dunmore Holdings Ltd", "ORG")]


def test_based_in_makes_a_place():
    text = "The company, based in Northmoor, hired staff."
    assert cleaned(text, ("Northmoor", "PERSON")) == [("Northmoor", "GPE")]


def test_a_persons_title_makes_a_person():
    text = "On Monday Mr. Haverkamp resigned."
    assert cleaned(text, ("Haverkamp", "ORG")) == [("Haverkamp", "PERSON")]
