"""Tests for storyfuse.claims: the claims a sentence makes, split with the dependency parse."""

from __future__ import annotations

import pytest

from storyfuse.claims import ClaimSplitter, may_hold_several


def claims_of(models, sentence: str) -> list[str]:
    return [c.text for c in ClaimSplitter(models.figure_roles.parse).claims(sentence)]


# Fictional sentences about a tram line, a flood and a strike in made-up places.


def test_coordinated_clauses_with_their_own_subjects_are_two_claims(models):
    assert claims_of(models, "The council approved the tram line, and the mayor promised a start in spring.") == [
        "The council approved the tram line.", "The mayor promised a start in spring."]


def test_a_second_verb_keeps_the_subject_it_shares(models):
    assert claims_of(models, "The council approved the line on Tuesday and allocated €420 million to build it.") == [
        "The council approved the line on Tuesday.", "The council allocated €420 million to build it."]


def test_claims_inside_a_report_keep_who_reports_them(models):
    assert claims_of(models, "Police said the fire started at 3am and reached the warehouse within minutes.") == [
        "Police said the fire started at 3am.", "Police said the fire reached the warehouse within minutes."]


def test_a_contrasting_while_clause_is_a_claim_of_its_own(models):
    assert claims_of(models, "Two workers were injured, while three others were treated for smoke inhalation.") == [
        "Two workers were injured.", "Three others were treated for smoke inhalation."]


def test_clauses_on_either_side_of_a_semicolon_are_two_claims(models):
    found = claims_of(models, "The mill employs 220 people; its owner has not commented on the fire.")
    assert sorted(found) == ["Its owner has not commented on the fire.", "The mill employs 220 people."]


def test_a_count_in_an_apposition_is_a_claim_about_the_noun_it_describes(models):
    assert claims_of(models, "Dargahan, a town of about 30,000 people, was hit hardest by the flood.") == [
        "Dargahan was hit hardest by the flood.", "Dargahan, a town of about 30,000 people."]


def test_a_count_in_a_relative_clause_set_off_by_commas_is_a_claim(models):
    assert claims_of(models, "The Lakeline tram, which will have 14 stops, is expected to open in 2029.") == [
        "The Lakeline tram is expected to open in 2029.", "The Lakeline tram, which will have 14 stops."]


def test_a_list_of_counted_items_stays_one_claim(models):
    sentence = ("The seized equipment included seven rifles, three pistols, 13 loaded magazines, "
                "a launcher with 4 rockets, several grenades, a radio set and a phone.")
    assert claims_of(models, sentence) == [sentence]


def test_a_time_in_a_relative_clause_is_no_claim_of_its_own(models):
    sentence = "Three workers were hurt in the blaze at the depot, which broke out shortly before 11 p.m. on Friday."
    assert claims_of(models, sentence) == [sentence]


def test_an_age_in_an_apposition_stays_with_its_sentence(models):
    found = claims_of(models, "Duncan Rait, 36, was charged with arson and will appear in court on Monday.")
    assert found == ["Duncan Rait, 36, was charged with arson.", "Duncan Rait, 36, will appear in court on Monday."]


def test_coordinated_names_are_one_claim(models):
    sentence = "Mayor Hollis and Chief Okafor met in Wenbury on Monday, and they agreed a plan."
    assert claims_of(models, sentence)[0] == "Mayor Hollis and Chief Okafor met in Wenbury on Monday."


def test_a_fragment_is_never_split_off(models):
    sentence = "Police closed the ring road to traffic while crews worked."
    assert claims_of(models, sentence) == [sentence]


def test_claim_offsets_point_into_the_sentence(models):
    sentence = "The council approved the line on Tuesday, and the mayor promised a start in spring."
    first, second = ClaimSplitter(models.figure_roles.parse).claims(sentence)
    assert sentence[first.start:first.end] == "The council approved the line on Tuesday"
    assert sentence[second.start:second.end] == "the mayor promised a start in spring."


@pytest.mark.parametrize("sentence", [
    "The tram will run every six minutes at peak times.",
    "Smith and Jones met in Paris on Monday to discuss the deal.",
    "He was arrested on Friday, Oct. 5, 2009, in Los Angeles.",
])
def test_a_sentence_without_a_cue_is_never_parsed(sentence):
    def parse(_: str):
        raise AssertionError("parsed")

    assert not may_hold_several(sentence)
    assert [c.text for c in ClaimSplitter(parse).claims(sentence)] == [sentence]


def test_a_sentence_with_a_quotation_stays_whole(models):
    sentence = 'The mayor said the line was "a promise kept", and the council agreed to fund it.'
    assert claims_of(models, sentence) == [sentence]


def test_a_sentence_with_ptb_quotation_marks_stays_whole(models):
    sentence = "`` The line is a promise kept, and we will fund it , '' the mayor said."
    assert claims_of(models, sentence) == [sentence]


def test_a_second_clause_with_its_own_copula_takes_no_auxiliary_of_the_first(models):
    sentence = ("The talks will be chaired by Margit Haldane, a former judge, and are due to open next Monday "
                "at the conciliation service in Eastbrook.")
    found = claims_of(models, sentence)
    assert "The talks are due to open next Monday at the conciliation service in Eastbrook." in found


def test_a_finite_second_verb_takes_no_auxiliary_of_the_first(models):
    found = claims_of(models, "The Harlow crew agreement was signed in 2023 and expired in the spring.")
    assert "The Harlow crew agreement expired in the spring." in found


def test_a_while_clause_inside_a_report_keeps_who_reports_it(models):
    found = claims_of(models, "Ms Okafor said that crew had received a single rise of 2 percent since 2024, "
                              "while the airline had returned to profit.")
    assert "Ms Okafor said the airline had returned to profit." in found
