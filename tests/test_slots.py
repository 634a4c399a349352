"""Tests for storyfuse.slots: figures keyed by what they count."""

from __future__ import annotations

import pytest

from storyfuse.slots import figures, stem


def slots(sentence: str) -> list[tuple[str, str]]:
    return [(f.slot, f.value) for f in figures(sentence)]


# --- counted nouns ------------------------------------------------------------------------------


def test_number_word_counts_the_following_noun():
    assert slots("The blast injured two workers at the depot.") == [("worker", "2")]


def test_number_word_at_sentence_start_counts_the_following_noun():
    assert slots("Two workers were hurt when the crane fell.") == [("worker", "2")]


def test_digits_count_the_following_noun():
    assert slots("More than 60 firefighters fought the blaze overnight.") == [("firefighter", "60")]


def test_thousands_separator_is_removed_from_the_value():
    assert slots("The strike stranded 20,000 passengers at the airport.") == [("passenger", "20000")]


def test_hyphenated_number_words_are_added():
    assert slots("Fifty-two families lost their homes.") == [("family", "52")]


def test_adjective_like_filler_words_are_skipped_before_the_noun():
    assert slots("Crews evacuated about 300 more residents overnight.") == [("resident", "300")]


def test_two_figures_in_one_sentence():
    assert slots("Fire crews rescued 25 people and two dogs.") == [("people", "25"), ("dog", "2")]


def test_figure_text_is_the_figure_as_written():
    [fig] = figures("The strike stranded 20,000 passengers at the airport.")
    assert fig.text == "20,000"


def test_figure_offsets_point_at_the_figure_text():
    sentence = "The strike stranded 20,000 passengers at the airport."
    [fig] = figures(sentence)
    assert sentence[fig.start:fig.end] == fig.text


# --- money --------------------------------------------------------------------------------------


def test_euro_sign_with_million_is_eur_in_units():
    assert slots("The council approved a €412 million budget for the port.") == [("EUR", "412000000")]


def test_million_euros_written_out_is_eur():
    assert slots("The port will receive 5 million euros from the fund.") == [("EUR", "5000000")]


def test_short_scale_suffix_after_currency_sign():
    assert slots("The union will receive €5m from the fund.") == [("EUR", "5000000")]


def test_decimal_billion_dollars():
    assert slots("The fund paid $2.5 billion to victims.") == [("USD", "2500000000")]


def test_pound_sign_is_gbp():
    assert slots("Flood damage reached £30 million.") == [("GBP", "30000000")]


def test_money_figure_text_includes_the_currency_and_scale():
    [fig] = figures("The council approved a €412 million budget for the port.")
    assert fig.text == "€412 million"


# --- tallies ------------------------------------------------------------------------------------


def test_tally_with_to_is_one_figure():
    [fig] = figures("The motion passed 31 to 14 in the assembly.")
    assert fig.value == "31-14"
    assert fig.slot.startswith("tally")


def test_tally_with_votes_to_is_one_figure():
    [fig] = figures("The motion passed by 31 votes to 14.")
    assert (fig.slot, fig.value) == ("tally", "31-14")
    assert fig.text == "31 votes to 14"


def test_hyphenated_score_is_a_tally():
    assert slots("The vote was 31-14.") == [("tally", "31-14")]


# --- not figures --------------------------------------------------------------------------------


def test_year_is_not_a_figure():
    assert figures("The bridge opened in 2023 after a long delay.") == []


def test_year_before_a_noun_is_not_a_figure():
    assert figures("The 2024 budget was approved.") == []


def test_clock_time_with_pm_is_not_a_figure():
    assert figures("The fire started at 11 p.m. near the depot.") == []


def test_clock_time_with_colon_is_not_a_figure():
    assert figures("The meeting ended at 10:30 in the town hall.") == []


def test_clock_time_does_not_hide_a_later_figure():
    assert slots("The ferry left at 7 a.m. with 80 passengers.") == [("passenger", "80")]


@pytest.mark.parametrize("sentence", [
    "Crews found 12 in the basement.",
    "14 were arrested after the march.",
    "Of the 40 who were evacuated, most returned.",
    "The count rose to 14 on Monday.",
])
def test_number_followed_by_function_word_is_not_a_figure(sentence):
    assert figures(sentence) == []


def test_durations_are_not_figures():
    assert figures("The storm lasted three days.") == []


def test_percentages_are_not_figures():
    assert figures("Prices rose 4 percent in March.") == []


def test_one_alone_is_not_compared():
    assert figures("The crash killed one person.") == []


# --- stem ---------------------------------------------------------------------------------------


def test_stem_plural_and_singular_agree():
    assert stem("workers") == stem("worker") == "worker"


def test_stem_ies_plural_becomes_y():
    assert stem("injuries") == "injury"


def test_stem_is_case_insensitive():
    assert stem("Passengers") == "passenger"


def test_stem_keeps_short_words():
    assert stem("bus") == "bus"


