"""Tests for storyfuse.clean.junk: the learned page-junk model and its decision rule."""

from __future__ import annotations

import numpy as np
import pytest

from storyfuse.clean.blocks import DOM_FEATURES, page_blocks, page_lines
from storyfuse.clean.junk import FEATURES, MIN_LINES, TEXT_FEATURES, body_span, decide, line_features

from conftest import MODELS

ARTICLE = [
    "The Tanner canal swing bridge in Port Velmar reopened to traffic on Tuesday after eight months of repairs.",
    "Engineers replaced the deck and two of the four piers, and fitted new bearings for the turning span.",
    "Traders on the quay said the closure had cost them customers through the winter months.",
    "The ferry that carried foot passengers across the canal will stop running at the end of the month.",
]


def test_each_line_gets_every_feature_and_text_leaves_the_page_features_missing():
    x = line_features(["Home", *ARTICLE, "Share this article"])
    assert x.shape == (6, len(FEATURES))
    assert np.isnan(x[:, TEXT_FEATURES:]).all() and not np.isnan(x[:, :TEXT_FEATURES]).any()


def test_the_body_is_the_densest_run_of_prose():
    assert body_span([-1, -1, 1, 1, -0.5, 1, -1, -1]) == (2, 5)


def test_lines_inside_the_body_need_the_stronger_evidence():
    lines = [ARTICLE[0], "A subheading", ARTICLE[1], "Footer line"]
    p = np.array([0.1, 0.6, 0.1, 0.6])
    assert decide(lines, p, outside=0.5, inside=0.8) == [False, False, False, True]


def test_a_comment_form_after_the_article_goes_as_one_block_when_the_model_agrees():
    lines = [*ARTICLE, "Leave a Reply", "A reader's long comment that reads like a sentence of prose, more or less.",
             "Post Comment"]
    p = np.array([0.0, 0.0, 0.0, 0.0, 0.9, 0.6, 0.9])  # the comment alone would stay (below 0.7)
    assert decide(lines, p, outside=0.7, inside=0.8) == [False] * 4 + [True] * 3


def test_a_text_of_a_line_or_two_is_not_judged():
    assert MODELS.junk.junk(["Quay closed.", "Ferries suspended."]) == [False] * (MIN_LINES - 1)


def test_the_model_keeps_an_article_and_drops_the_furniture_around_it():
    lines = ["Skip to content", "Home | News | Sport | Weather", *ARTICLE, "Share this article",
             "Sign up for our morning briefing", "© 2026 Velmar Ledger. All rights reserved."]
    verdict = MODELS.junk.junk(lines)
    assert verdict[2:6] == [False] * 4 and all(verdict[:2]) and all(verdict[6:])


def test_a_page_line_knows_its_place_in_the_page():
    html = ("<html><body><nav class='menu'><a href='/'>Home</a> <a href='/n'>News</a></nav><article>"
            + "".join(f"<p>{line}</p>" for line in ARTICLE) + "</article><footer>© 2026 Velmar Ledger</footer></body></html>")
    blocks = page_blocks(html)
    assert [b.text for b in blocks] == page_lines(html) == ["Home News", *ARTICLE, "© 2026 Velmar Ledger"]
    nav = dict(zip(DOM_FEATURES, blocks[0].dom))
    assert nav["in_nav"] == 1.0 and nav["link_share"] > 0.8 and nav["cue_nav"] == 1.0
    p = MODELS.junk.probabilities([b.text for b in blocks], [b.dom for b in blocks])
    assert p[0] > 0.5 and (p[1:5] < 0.5).all()


@pytest.mark.parametrize("html", ["", "<html>", "<div>" * 5000 + "deep" + "</div>" * 5000, "<?xml version='1.0'?><p>x</p>"])
def test_odd_pages_give_lines_or_nothing_never_an_error(html):
    assert isinstance(page_lines(html), list)


def test_a_read_more_link_inside_an_article_does_not_take_the_rest_with_it():
    lines = [*ARTICLE[:2], "Read more: Library reopens after refit", ARTICLE[2], "Sign up for our briefing"]
    p = np.array([0.0, 0.0, 0.99, 0.05, 0.98])
    assert decide(lines, p, outside=0.5, inside=0.8) == [False, False, True, False, True]
