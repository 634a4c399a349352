"""Tests for storyfuse.slots: figures keyed by what they count."""

from __future__ import annotations

import pytest

from storyfuse.slots import compatible, context, day_references, figures, place_references, places_agree, stem


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




# --- bounds, estimates, scopes and rates ---------------------------------------------------------


def one(sentence: str):
    (fig,) = figures(sentence)
    return fig


@pytest.mark.parametrize("sentence, bound", [
    ("More than 20 people were hurt.", "over"),
    ("At least 20 people were hurt.", "over"),
    ("20 or more people were hurt.", "over"),
    ("Nearly 20 people were hurt.", "under"),
    ("Up to 20 people were hurt.", "under"),
    ("About 300 people were evacuated.", "about"),
    ("An estimated 300 people were evacuated.", "about"),
    ("300 people were evacuated.", "exact"),
])
def test_words_before_a_figure_make_it_a_bound_or_an_estimate(sentence, bound):
    assert one(sentence).bound == bound


def test_a_lower_bound_admits_a_larger_figure():
    assert compatible(one("More than 20 people were hurt."), one("24 people were hurt."))


def test_an_estimate_admits_a_close_figure():
    assert compatible(one("About 300 people were evacuated."), one("312 people were evacuated."))


def test_an_estimate_does_not_admit_a_far_figure():
    assert not compatible(one("About 300 people were evacuated."), one("450 people were evacuated."))


def test_two_exact_figures_that_differ_are_not_compatible():
    assert not compatible(one("Two workers were hurt."), one("Three workers were hurt."))


def test_an_upper_bound_does_not_admit_a_larger_figure():
    assert not compatible(one("Fewer than 10 flights were cancelled."), one("14 flights were cancelled."))


def test_a_career_figure_counts_something_else_than_a_season_figure():
    assert one("He has 676 career RBI.").slot == "career rbi"
    assert one("He drove in 121 RBI.").slot == "rbi"


def test_a_yearly_rate_is_another_slot_than_a_total():
    assert one("The deal is worth $21 million a year.").slot == "USD/year"
    assert one("The deal is worth $200 million in total.").slot == "USD"


def test_a_rate_after_the_counted_noun_is_kept():
    assert one("The line carries 40,000 passengers a day.").slot == "passenger/day"


def test_a_scope_after_the_counted_noun_is_kept():
    assert one("She has attended more than 300 fires in her career.").slot == "career fire"
    assert one("Her crews attended 41 fires this year.").slot == "year fire"


@pytest.mark.parametrize("sentence", [
    "He coached the 76ers before joining the league office.",
    "She hosted the 79th Academy Awards.",
    "The show was cancelled after the 9/11 attacks.",
    "The show was cancelled after the 9 / 11 attacks.",
    "His No. 10 jersey hangs in the rafters.",
    "The ceremony on February 22 drew a crowd.",
    "The ceremony on 22 February drew a crowd.",
    "He played for the club from 1978-89 as a guard.",
])
def test_names_ordinals_dates_and_ranges_are_not_counts(sentence):
    assert figures(sentence) == [] or all(f.slot.startswith("tally") for f in figures(sentence))


def test_a_scale_letter_after_digits_is_still_a_figure():
    assert slots("The club paid €5m for 3 players.") == [("EUR", "5000000"), ("player", "3")]


@pytest.mark.parametrize("sentence", [
    "Police recovered seven AK-47 rifles.",
    "The flaw affects IE 8 on every desktop.",
    "Version 6 and version 8 are also vulnerable.",
    "Flight 370 left at dawn.",
])
def test_digits_after_a_name_or_a_model_word_are_part_of_it(sentence):
    assert all(f.value not in ("47", "8", "6", "370") for f in figures(sentence))


def test_a_capitalised_first_word_or_a_weekday_before_digits_is_no_name():
    assert slots("About 300 people came.") == [("people", "300")]
    assert slots("On Tuesday 4 people died.") == [("people", "4")]


def test_a_phone_number_is_no_figure():
    assert slots("Call Surrey Police on 0845 125 2224 with any information.") == []


def test_a_hyphenated_scale_belongs_to_the_figure():
    assert slots("Thieves made off with $137-million of diamonds.") == [("USD", "137000000")]


def test_a_converted_amount_in_parentheses_is_no_figure_of_its_own():
    assert slots("Diamonds valued at 85 million euros ($108 million) were stolen.") == [("EUR", "85000000")]


# --- what a figure is said about -----------------------------------------------------------------


def test_context_holds_the_common_words_around_a_figure():
    sentence = "A fire tore through the mill on Tuesday, injuring two workers and sending smoke over the town."
    assert context(sentence, figures(sentence)[0]) >= {"injur", "send"}


def test_context_leaves_out_names_function_words_and_the_counted_noun():
    sentence = "Teixeira had 33 homers with the Angels."
    assert context(sentence, figures(sentence)[0]) == set()


def test_context_leaves_out_what_another_figure_counts():
    sentence = "He hit 13 homers and 43 RBIs in the series."
    rbi = next(f for f in figures(sentence) if f.slot == "rbi")
    assert "homer" not in context(sentence, rbi)


def test_context_leaves_out_who_reported_the_figure():
    sentence = "Police said 12 people were arrested."
    assert "said" not in context(sentence, figures(sentence)[0])


# --- days ------------------------------------------------------------------------------------------


def days(sentence: str) -> list[tuple[str, str]]:
    return [(f.slot, f.value) for f in day_references(sentence)]


def test_a_weekday_on_which_something_happened_is_a_weekday_slot():
    assert days("The council approved the plan on Monday.") == [("weekday", "monday")]


def test_a_bare_weekday_in_news_style_is_the_same_relation_as_on():
    assert days("Police said Tuesday that two men were held.") == [("weekday", "tuesday")]


def test_other_relations_to_a_day_are_their_own_slots():
    assert days("The road stays closed until Thursday.") == [("weekday until", "thursday")]


def test_a_month_and_day_in_either_order_is_a_calendar_day():
    assert days("The fire broke out on March 12.") == days("The fire broke out on 12 March.") == [("calendar day", "mar 12")]


def test_month_and_weekday_words_in_lower_case_are_no_days():
    assert days("You may march on, said the sunday school teacher.") == []


def test_dozens_of_is_at_least_two_dozen_not_a_count():
    (fig,) = figures("Dozens of boats were patrolling the Harlow estuary.")
    assert (fig.value, fig.bound) == ("24", "over")
    assert compatible(fig, figures("Over 20 boats were patrolling the estuary.")[0])


def test_the_start_of_a_money_range_takes_the_scale_of_its_end():
    (fig,) = figures("The Harlow club offered $140-$150 million over seven years.")
    assert (fig.text, fig.value) == ("$140", "140000000")


def test_more_than_a_hundred_is_a_bound():
    (fig,) = figures("Hillis rushed for more than a hundred yards at Harlow.")
    assert (fig.value, fig.bound) == ("100", "over")


def test_until_the_early_hours_of_a_day_is_until_that_day():
    (day,) = day_references("Crews fought the fire until the early hours of Wednesday at the Harlow depot.")
    assert (day.slot, day.value) == ("weekday until", "wednesday")


def test_place_references_key_a_place_by_its_locative_preposition():
    (place,) = place_references("The quake struck near Lubbock on Monday.", ["Lubbock"])
    assert (place.slot, place.value, place.text) == ("place near", "lubbock", "Lubbock")


def test_place_references_read_a_place_after_the():
    (place,) = place_references("The concert was held at the Staples Center on Friday.", ["the Staples Center"])
    assert (place.slot, place.value) == ("place at", "staples center")


def test_place_references_skip_a_name_that_is_not_placed():
    assert place_references("Lubbock police said the quake struck on Monday.", ["Lubbock"]) == []


def test_place_references_skip_a_name_that_is_part_of_a_longer_one():
    assert place_references("He spoke in Crosby County Court on Monday.", ["Crosby"]) == []


def test_places_agree_when_one_name_holds_the_other():
    a, = place_references("It broke out in Manhattan.", ["Manhattan"])
    b, = place_references("It broke out in Lower Manhattan.", ["Lower Manhattan"])
    c, = place_references("It broke out in Boston.", ["Boston"])
    assert places_agree(a, b) and not places_agree(a, c)


def test_places_agree_when_the_gazetteer_puts_them_in_one_area():
    a, = place_references("It broke out in Manhattan.", ["Manhattan"])
    b, = place_references("It broke out in Brooklyn.", ["Brooklyn"])
    assert places_agree(a, b)
