"""Tests for storyfuse.clean.segment: which lines of a saved text stand alone."""

from __future__ import annotations

from storyfuse.clean.segment import split_lines, wrap_width

WRAPPED = """The council of Port Velmar voted on Thursday evening to close the old
swing bridge over the Tanner canal for eighteen months of repairs, after an
inspection found corroded bolts in two of its four piers.

Traders on the quay said the closure would cost them customers. The harbour
master said a ferry would carry foot passengers across the canal every
twenty minutes while the work goes on."""


def test_hard_wrapped_paragraphs_are_joined_into_one_line_each():
    lines = split_lines(WRAPPED)
    assert len(lines) == 2
    assert lines[0].startswith("The council of Port Velmar") and lines[0].endswith("two of its four piers.")
    assert "old swing bridge" in lines[0] and "\n" not in lines[0]


def test_a_hard_wrapped_text_has_a_wrap_width():
    assert wrap_width(WRAPPED.split("\n")) is not None


def test_one_paragraph_per_line_is_kept_as_it_is():
    text = ("Bridge closes for repairs\n"
            "The swing bridge over the Tanner canal will close for eighteen months.\n"
            "Traders on the quay said the closure would cost them customers.\n"
            "Leave a Reply")
    assert split_lines(text) == text.split("\n")


def test_a_text_of_short_and_long_lines_is_not_taken_as_hard_wrapped():
    text = "Headline here\nA first paragraph that runs on for quite a while longer than the others do.\nShort."
    assert wrap_width(text.split("\n")) is None


def test_sentences_one_per_line_at_similar_widths_are_not_taken_as_hard_wrapped():
    lines = ["The swing bridge over the Tanner canal will close for eighteen months.",
             "Traders on the quay said the closure would cost them many customers.",
             "The harbour master said a ferry would carry passengers across it.",
             "Work on the two corroded piers is due to start early in the spring.",
             "The council will pay for the repairs from its own transport budget."]
    assert wrap_width(lines) is None


def test_bullet_points_stay_lines_of_their_own():
    text = ("The plan has three parts:\n"
            "- a new bridge deck\n"
            "- two replaced piers\n"
            "• a ferry while the work goes on\n"
            "1. first item\n"
            "2) second item")
    assert split_lines(text) == text.split("\n")


def test_a_wrapped_bullet_point_is_one_line():
    text = "Key points:\n- The council voted to close the bridge\n  for eighteen months of repairs\n- Traders object"
    assert split_lines(text) == ["Key points:", "- The council voted to close the bridge for eighteen months of repairs",
                                 "- Traders object"]


def test_a_subheading_is_never_glued_to_the_next_sentence():
    text = ("Regional Triangular Diplomacy\n"
            "In a trilateral meeting on Tuesday, the three leaders agreed to meet again in spring.")
    assert split_lines(text) == ["Regional Triangular Diplomacy",
                                 "In a trilateral meeting on Tuesday, the three leaders agreed to meet again in spring."]


def test_a_markdown_heading_stays_its_own_line():
    text = "## What happens next\nthe ferry will run every twenty minutes."
    assert split_lines(text) == ["## What happens next", "the ferry will run every twenty minutes."]


def test_a_line_that_continues_the_sentence_in_lower_case_joins_it():
    text = "The mayor said the bridge would reopen\nin the spring of next year."
    assert split_lines(text) == ["The mayor said the bridge would reopen in the spring of next year."]


def test_blank_lines_always_separate():
    assert split_lines("One line without a stop\n\nanother that starts low") == [
        "One line without a stop", "another that starts low"]


def test_extracted_html_is_never_joined():
    text = "The mayor said the bridge would reopen\nin the spring of next year."
    assert split_lines(text, html=True) == text.split("\n")


def test_zero_width_joiners_inside_emoji_are_kept():
    from storyfuse.clean.text import normalize

    firefighter = "\U0001F469\u200d\U0001F692"  # woman firefighter: two code points and a joiner
    text = f"Crews {firefighter} fought the fire.\u200b"
    assert normalize(text) == f"Crews {firefighter} fought the fire."
