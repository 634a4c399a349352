"""Tests for storyfuse.clean.clean_document on saved text of each shape: headlines, glued
bylines, subheadings, bullet points, repeated captions and the page junk around an article."""

from __future__ import annotations

import pytest

from storyfuse.clean import clean_document
from storyfuse.config import CleanConfig
from storyfuse.errors import InputError
from storyfuse.models import Article, RawDocument

from conftest import MODELS

BODY = [
    "The Tanner canal swing bridge in Port Velmar reopened to traffic on Tuesday after eight months of "
    "repairs to its corroded piers, the city's works department said.",
    "Engineers replaced the bridge deck and two of the four piers, and fitted new bearings that should "
    "keep the span turning for another forty years.",
    "Traders on the quay said the closure had cost them customers through the winter, and several asked "
    "the council for help with their rents.",
    "The council said a ferry that carried foot passengers across the canal during the works would stop "
    "running at the end of the month.",
]


def clean(text: str, **meta: str) -> Article:
    return clean_document(RawDocument("t", "t.txt", "text", text, dict(meta)), CleanConfig(), MODELS.junk)


def test_a_headline_on_the_first_line_becomes_the_title():
    article = clean("Canal bridge reopens after eight months\n" + "\n".join(BODY))
    assert article.title == "Canal bridge reopens after eight months"
    assert article.text.startswith("The Tanner canal swing bridge")


def test_a_byline_glued_to_the_headline_is_split_into_its_parts():
    glued = ("Canal bridge reopens after eight months/ Velmar Ledger/ PORT VELMAR/ Ines Halloran/ "
             "Updated: 14 March 2026/ " + BODY[0])
    article = clean(glued + "\n" + "\n".join(BODY[1:]))
    assert (article.title, article.source, article.dateline, article.author) == (
        "Canal bridge reopens after eight months", "Velmar Ledger", "PORT VELMAR", "Ines Halloran")
    assert article.text.startswith("The Tanner canal swing bridge")
    assert "Velmar Ledger/" in article.removed[0]


def test_a_subheading_stays_its_own_paragraph():
    article = clean("\n".join([BODY[0], BODY[1], "What the repairs cost", BODY[2], BODY[3]]))
    assert "What the repairs cost" in article.text.split("\n\n")


def test_bullet_points_between_paragraphs_survive():
    bullets = ["- a new deck of Velmar oak", "- two rebuilt piers", "- new bearings for the turning span"]
    article = clean("\n".join([BODY[0], BODY[1], *bullets, BODY[2], BODY[3]]))
    assert all(b in article.text.split("\n\n") for b in bullets)


def test_a_caption_said_twice_is_kept_once():
    caption = "The reopened bridge on Tuesday morning. Photo: Velmar Ledger"
    article = clean("\n".join([BODY[0], caption, BODY[1], caption, BODY[2], BODY[3]]))
    assert article.text.count(caption) <= 1 and caption in article.removed


def test_comment_prompts_and_social_appeals_after_the_article_are_removed():
    junk = ["Leave a Reply", "Your email address will not be published. Required fields are marked *",
            "Learn how your comment data is processed.",
            "Click here to join our WhatsApp channel for the latest news from Port Velmar",
            "Don't forget to follow us on Facebook and Instagram!"]
    article = clean("\n".join([*BODY, *junk]))
    assert all(line in article.text for line in BODY)
    assert all(line not in article.text for line in junk)
    assert set(junk) <= set(article.removed)


# --- found by fuzzing (tests/ingest/test_fuzz.py) --------------------------------------------

PAGE = ("<html><body><article><p>The Harlow ferry resumed its crossings on Monday after a three-week "
        "repair, the operator said.</p></article></body></html>")


def page(html: str, **meta: str) -> Article:
    return clean_document(RawDocument("p", "p.html", "html", html, dict(meta)), CleanConfig(), MODELS.junk)


def test_a_page_with_characters_xml_forbids_is_cleaned():
    article = page(PAGE.replace("<p>The", "<p>\x1f<iframe/>The\x08"))
    assert "Harlow ferry resumed" in article.text


def test_a_page_the_date_finder_trips_on_is_rejected_with_a_reason():
    # htmldate asserts on a page that is one open iframe; the page has no text to keep either
    with pytest.raises(InputError, match="no main text"):
        page("<iframe>" + PAGE)


def test_an_address_nothing_can_read_is_dropped_not_fatal():
    article = page(PAGE, url="http://[")
    assert article.url is None and "Harlow ferry resumed" in article.text
