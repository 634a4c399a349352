"""Tests for storyfuse.dates: time expressions normalised to TIMEX3-style values."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from storyfuse.dates import find_dates, normalize_date
from storyfuse.models import Mention

from conftest import MODELS

# Publication day used throughout: Wednesday 12 March 2025 (ISO week 2025-W11).
PUBLISHED = "2025-03-12"
ANCHOR = dt.date(2025, 3, 12)
TIMEX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2}|-Q[1-4])?$")


def test_anchor_is_a_wednesday():
    # Guards the weekday expectations below.
    assert ANCHOR.weekday() == 2
    assert ANCHOR.isocalendar()[1] == 11


def _only(text: str, published: str | None = PUBLISHED, spans: tuple[Mention, ...] = ()):
    found = find_dates(text, spans, published)
    assert len(found) == 1, found
    return found[0]


# --- absolute dates ---------------------------------------------------------------------------


def test_day_month_year_is_a_full_date():
    assert normalize_date("11 March 2025", ANCHOR) == "2025-03-11"


def test_month_day_comma_year_is_a_full_date():
    assert normalize_date("March 11, 2025", ANCHOR) == "2025-03-11"


def test_iso_date_is_kept():
    assert normalize_date("2025-03-11", ANCHOR) == "2025-03-11"


def test_month_day_without_year_takes_the_anchor_year():
    assert normalize_date("March 12", ANCHOR) == "2025-03-12"


def test_day_without_year_in_december_read_in_january_is_last_year():
    assert normalize_date("December 28", dt.date(2025, 1, 5)) == "2024-12-28"


def test_day_without_year_in_january_read_in_december_is_next_year():
    assert normalize_date("3 January", dt.date(2025, 12, 20)) == "2026-01-03"


def test_weekday_with_day_and_month_resolves_to_the_date():
    assert normalize_date("Tuesday, 11 March", ANCHOR) == "2025-03-11"


def test_month_and_year_is_a_month():
    assert normalize_date("March 2025", ANCHOR) == "2025-03"


def test_in_month_and_year_is_a_month():
    assert normalize_date("in March 2025", ANCHOR) == "2025-03"


def test_bare_year_is_a_year():
    assert normalize_date("2023", ANCHOR) == "2023"


def test_in_year_is_a_year():
    assert normalize_date("in 2023", ANCHOR) == "2023"


def test_quarter_with_year():
    assert normalize_date("the first quarter of 2026", ANCHOR) == "2026-Q1"


def test_q_abbreviation_with_year():
    assert normalize_date("Q3 2024", ANCHOR) == "2024-Q3"


def test_quarter_without_year_takes_the_anchor_year():
    assert normalize_date("the second quarter", ANCHOR) == "2025-Q2"


def test_early_year_is_that_year():
    assert normalize_date("early 2023", ANCHOR) == "2023"


def test_season_with_explicit_year_keeps_that_year():
    assert normalize_date("the summer of 2024", ANCHOR) == "2024"


# --- relative days ----------------------------------------------------------------------------


def test_yesterday_is_the_day_before_publication():
    assert normalize_date("yesterday", ANCHOR) == "2025-03-11"


def test_today_is_the_publication_day():
    assert normalize_date("today", ANCHOR) == "2025-03-12"


def test_this_morning_is_the_publication_day():
    assert normalize_date("this morning", ANCHOR) == "2025-03-12"


def test_last_night_is_the_day_before_publication():
    assert normalize_date("last night", ANCHOR) == "2025-03-11"


def test_tomorrow_is_the_day_after_publication():
    assert normalize_date("tomorrow", ANCHOR) == "2025-03-13"


def test_three_days_ago_counts_back_from_publication():
    assert normalize_date("three days ago", ANCHOR) == "2025-03-09"


def test_a_year_ago_is_last_year():
    assert normalize_date("a year ago", ANCHOR) == "2024"


# --- relative weeks, months, years, seasons ---------------------------------------------------


def test_last_week_is_the_previous_iso_week():
    assert normalize_date("last week", ANCHOR) == "2025-W10"


def test_this_week_is_the_publication_iso_week():
    assert normalize_date("this week", ANCHOR) == "2025-W11"


def test_next_week_is_the_following_iso_week():
    assert normalize_date("next week", ANCHOR) == "2025-W12"


def test_next_month_is_a_month():
    assert normalize_date("next month", ANCHOR) == "2025-04"


def test_next_month_in_december_rolls_over_the_year():
    assert normalize_date("next month", dt.date(2025, 12, 10)) == "2026-01"


def test_earlier_this_month_is_the_publication_month():
    assert normalize_date("earlier this month", ANCHOR) == "2025-03"


def test_earlier_this_year_is_the_publication_year():
    assert normalize_date("earlier this year", ANCHOR) == "2025"


def test_last_year_is_the_year_before():
    assert normalize_date("last year", ANCHOR) == "2024"


def test_next_spring_said_in_autumn_is_next_year():
    assert normalize_date("next spring", dt.date(2025, 11, 5)) == "2026"


def test_next_spring_said_in_january_is_this_year():
    assert normalize_date("next spring", dt.date(2025, 1, 15)) == "2025"


def test_bare_month_in_past_context_is_the_most_recent_one():
    assert normalize_date("in October", ANCHOR) == "2024-10"


def test_bare_month_in_future_context_is_the_coming_one():
    assert normalize_date("in October", ANCHOR, "The new terminal will open ") == "2025-10"


# --- weekdays ---------------------------------------------------------------------------------


def test_weekday_in_past_context_is_the_most_recent_one():
    expr = _only("The council voted on Tuesday to close the bridge.")
    assert expr.text == "on Tuesday"
    assert expr.value == "2025-03-11"


def test_weekday_named_as_publication_day_in_past_context_is_that_day():
    expr = _only("The council voted on Wednesday to close the bridge.")
    assert expr.value == "2025-03-12"


def test_earlier_weekday_in_past_context_is_last_weeks_if_needed():
    expr = _only("The strike began on Friday at the main depot.")
    assert expr.value == "2025-03-07"


def test_weekday_in_future_context_is_the_coming_one():
    expr = _only("The two sides will meet on Friday to resume talks.")
    assert expr.text == "on Friday"
    assert expr.value == "2025-03-14"


def test_next_weekday_is_in_the_coming_week():
    assert normalize_date("next Monday", ANCHOR) == "2025-03-17"


def test_last_weekday_is_in_the_past():
    assert normalize_date("last Wednesday", ANCHOR) == "2025-03-05"


def test_until_weekday_with_future_verb_is_the_coming_one():
    expr = _only("The airport will stay closed until at least Thursday.")
    assert expr.value == "2025-03-13"


def test_until_at_least_weekday_is_the_coming_one():
    expr = _only("Flights remain suspended until at least Thursday, the airline said.")
    assert expr.text == "Thursday"
    assert expr.value == "2025-03-13"


# --- durations and clock times ----------------------------------------------------------------


@pytest.mark.parametrize("expr", ["48-hour", "two years", "90 days", "three months", "24 hours"])
def test_durations_have_no_value(expr):
    assert normalize_date(expr, ANCHOR) is None


@pytest.mark.parametrize("expr", ["a decade", "3 decades"])
def test_decade_durations_have_no_value(expr):
    assert normalize_date(expr, ANCHOR) is None


@pytest.mark.parametrize("expr", ["11 p.m.", "10:30", "noon", "7 a.m."])
def test_clock_times_have_no_value(expr):
    assert normalize_date(expr, ANCHOR) is None


# --- no anchor --------------------------------------------------------------------------------


def test_relative_expression_without_anchor_has_no_value():
    assert normalize_date("yesterday", None) is None


def test_absolute_date_without_anchor_still_resolves():
    assert normalize_date("11 March 2025", None) == "2025-03-11"


def test_find_dates_without_publication_date_resolves_only_absolute_dates():
    text = "The bridge closed on 11 March 2025 and the mayor visited yesterday."
    start = text.index("11 March 2025")
    spans = (Mention("11 March 2025", start, start + len("11 March 2025"), "DATE"),)
    values = {t.text: t.value for t in find_dates(text, spans, None)}
    assert values == {"11 March 2025": "2025-03-11", "yesterday": None}


# --- find_dates -------------------------------------------------------------------------------


def test_find_dates_scans_relative_expressions_without_spacy_spans():
    text = "The council met on Tuesday and approved the budget it had drafted last week."
    found = find_dates(text, (), PUBLISHED)
    assert [(t.text, t.value) for t in found] == [("on Tuesday", "2025-03-11"), ("last week", "2025-W10")]


def test_find_dates_offsets_point_at_the_expression():
    text = "Talks collapsed three days ago.\nThe union will strike next month, it said on Tuesday."
    found = find_dates(text, (), PUBLISHED)
    assert [t.text for t in found] == ["three days ago", "next month", "on Tuesday"]
    for t in found:
        assert text[t.start:t.end] == t.text


def test_find_dates_uses_given_spans():
    text = "The port reopened in the first quarter of 2026, officials said."
    expr = "the first quarter of 2026"
    start = text.index(expr)
    found = find_dates(text, (Mention(expr, start, start + len(expr), "DATE"),), PUBLISHED)
    assert [(t.text, t.start, t.end, t.value) for t in found] == [(expr, start, start + len(expr), "2026-Q1")]


def test_find_dates_merges_overlapping_spans_into_one():
    text = "Crews arrived on Tuesday, 11 March, after the storm."
    spacy_span = "Tuesday, 11 March"
    start = text.index(spacy_span)
    found = find_dates(text, (Mention(spacy_span, start, start + len(spacy_span), "DATE"),), PUBLISHED)
    assert len(found) == 1
    assert found[0].text == "on Tuesday, 11 March"
    assert text[found[0].start:found[0].end] == "on Tuesday, 11 March"
    assert found[0].value == "2025-03-11"


def test_find_dates_merges_duplicate_spans():
    text = "The mayor resigned yesterday."
    start = text.index("yesterday")
    span = Mention("yesterday", start, start + 9, "DATE")
    found = find_dates(text, (span, span), PUBLISHED)
    assert [(t.text, t.value) for t in found] == [("yesterday", "2025-03-11")]


def test_find_dates_context_is_the_sentence_before_the_expression():
    # A future verb in an earlier sentence does not make a past weekday future.
    text = "Negotiators will meet again soon. The strike began on Monday."
    found = find_dates(text, (), PUBLISHED, next(MODELS.nlp.analyse([text])).sentences)
    assert [(t.text, t.value) for t in found] == [("on Monday", "2025-03-10")]


# --- every value is TIMEX3-shaped -------------------------------------------------------------

SWEEP = [
    "11 March 2025", "March 11, 2025", "March 12", "12 March", "1 May", "May", "December", "mid-March",
    "early March", "March 2025", "in March 2025", "2023", "in 2023", "since 2019", "the year 2020",
    "the first quarter of 2026", "Q3 2024", "the fourth quarter", "yesterday", "today", "tonight",
    "this morning", "last night", "tomorrow", "tomorrow morning", "three days ago", "a week ago",
    "two weeks ago", "five years ago", "two decades ago", "in two weeks", "two weeks later",
    "last week", "this week", "next week", "the past week", "last month", "this month", "next month",
    "last year", "this year", "next year", "the past year", "earlier this week", "later this month",
    "earlier this year", "next spring", "last summer", "this autumn", "winter", "on Tuesday", "Monday",
    "next Monday", "last Wednesday", "this coming Friday", "Tuesday night", "Tuesday, 11 March",
    "48-hour", "two years", "90 days", "11 p.m.", "10:30", "noon", "24 hours", "the past 24 hours",
    "seven months", "the weekend", "recent weeks", "the 1990s", "12/03/2025", "2025-03-11",
    "the end of March", "the following day", "2024-25", "early 2023", "the summer of 2024",
]


@pytest.mark.parametrize("anchor", [ANCHOR, dt.date(2024, 12, 30), dt.date(2026, 1, 1), None])
def test_every_value_is_timex3_shaped_or_none(anchor):
    bad = {}
    for expr in SWEEP:
        for context in ("", "The council will vote "):
            value = normalize_date(expr, anchor, context)
            if value is not None and not TIMEX.match(value):
                bad[(expr, context)] = value
    assert bad == {}


def test_find_dates_values_are_timex3_shaped_or_none():
    text = ("The storm hit on Tuesday night, three days after forecasters warned of it. Repairs began "
            "yesterday and will last until next spring, the council said this morning. A report is "
            "due in the first quarter of 2026; the last one came out in 2023. Talks resume next week.")
    found = find_dates(text, (), PUBLISHED)
    assert found
    for t in found:
        assert t.value is None or TIMEX.match(t.value), t


def test_far_year_offset_gives_no_out_of_range_year():
    value = normalize_date("2000 years ago", ANCHOR)
    assert value is None or TIMEX.match(value)


def test_huge_day_offset_gives_none_instead_of_crashing():
    assert normalize_date("1000000 days ago", ANCHOR) is None


def test_a_future_word_inside_a_quote_does_not_move_a_past_date():
    text = 'The minister, who said "we will fight on", resigned on Tuesday.'
    [expr] = [d for d in find_dates(text, (), "2025-03-12") if "Tuesday" in d.text]
    assert expr.value == "2025-03-11"


def test_the_articles_own_weekday_in_a_future_sentence_is_that_day():
    assert normalize_date("Thursday", dt.date(1999, 5, 6), "stocks are expected to stay low until") == "1999-05-06"


def test_a_date_without_a_year_in_past_tense_looks_back_more_than_ahead():
    assert normalize_date("Oct. 23", dt.date(1999, 5, 5), "he was shot on the night of") == "1998-10-23"


def test_a_bare_month_soon_after_publication_is_this_year():
    assert normalize_date("May", dt.date(2000, 3, 29), "the case will be heard in") == "2000-05"


@pytest.mark.parametrize("expr, value", [("last April", "2025-04"), ("this September", "2025-09"), ("next March", "2026-03")])
def test_a_month_with_last_this_or_next(expr, value):
    assert normalize_date(expr, dt.date(2025, 8, 10)) == value


@pytest.mark.parametrize("expr, value", [("the 1988 third quarter", "1988-Q3"), ("the year-ago third quarter", "1988-Q3"),
                                         ("next year's first quarter", "1990-Q1"), ("fiscal 1989", "1989")])
def test_quarters_and_fiscal_years_keep_their_year(expr, value):
    assert normalize_date(expr, dt.date(1989, 10, 30)) == value


def test_next_monday_said_on_a_saturday_is_not_the_day_after_tomorrow():
    assert normalize_date("next Monday", dt.date(2025, 3, 15)) == "2025-03-24"
