"""Tests for storyfuse.cluster.profile: what clustering knows of an article and how two
articles compare."""

from __future__ import annotations

import math

import numpy as np
import pytest

from storyfuse.cluster.profile import (
    FEATURES,
    Compared,
    Profile,
    Weights,
    background,
    compare_many,
    estimate_date,
    lead_text,
    pair_features,
    pair_features_many,
    profile_of,
    rarity,
)
from storyfuse.models import Mention, TimeExpr

TEXT = ("Fire crews fought a blaze at a timber warehouse on Millrace Road in Brackenford overnight. "
        "The roof collapsed and 40 firefighters stayed until dawn.")
MENTIONS = (Mention("Millrace Road", 52, 65, "FAC"), Mention("Brackenford", 69, 80, "GPE"),
            Mention("Ada Quill", 0, 9, "PERSON"), Mention("Brackenford Fire Service", 0, 24, "ORG"))
EMPTY = Weights({}, 0)


def feature(row: list[float], name: str) -> float:
    return row[FEATURES.index(name)]


def test_a_profile_without_a_title_takes_its_first_line():
    p = profile_of("a", None, "Warehouse blaze in Brackenford\nFire crews fought it.", (), None)
    assert set(p.title) == {"warehouse", "blaze", "brackenford"}


def test_a_profile_sorts_entities_by_type():
    p = profile_of("a", "Blaze", TEXT, MENTIONS, None)
    assert p.entities["places"] == ("brackenford", "millrace road")
    assert p.entities["people"] == ("ada quill",)
    assert p.entities["orgs"] == ("brackenford fire service",)


def test_a_profile_keeps_figures_but_not_years():
    p = profile_of("a", "Blaze", TEXT + " It was the worst fire since 2019.", (), None)
    assert p.figures == ("40",)


def test_a_profile_round_trips_through_the_store_format():
    p = profile_of("a", "Blaze", TEXT, MENTIONS, "2024-03-12", np.ones(4, dtype=np.float32) / 2)
    back = Profile.from_json(p.to_json(), p.lead_bytes())
    assert (back.article_id, back.date, dict(back.body), back.entities) == (p.article_id, p.date, dict(p.body),
                                                                              p.entities)
    assert np.allclose(back.lead, p.lead, atol=1e-3)


def test_background_frequency_knows_a_place_name_is_rarer_than_a_common_word():
    assert background("harbin") < background("talks")
    assert rarity("harbin") > rarity("talks")


def test_weights_start_warm_from_background_frequencies():
    # An empty store already weighs a rare name above a common word.
    assert EMPTY.idf("harbin") > EMPTY.idf("talks")


def test_store_counts_lower_the_weight_of_a_word_every_article_holds():
    assert Weights({"harbin": 500}, 500).idf("harbin") < Weights({}, 500).idf("harbin")


def test_the_published_day_is_the_date():
    assert estimate_date("2024-03-12T08:00:00", ()) == ("2024-03-12", "published")


def test_without_a_published_day_the_latest_year_mentioned_gives_the_date():
    dates = (TimeExpr("2019", 0, 4, "2019"), TimeExpr("March 12, 2024", 10, 24, "2024-03-12"),
             TimeExpr("2024", 30, 34, "2024"))
    assert estimate_date(None, dates) == ("2024-03-12", "text")


def test_without_any_date_there_is_none():
    assert estimate_date(None, (TimeExpr("last week", 0, 9, None),)) == (None, None)


def test_lead_text_is_the_title_and_first_line():
    assert lead_text("Blaze", "First line.\nSecond line.") == "Blaze First line."
    assert lead_text(None, "First line.\n\nSecond line.\nThird.") == "First line. Second line."


def test_pair_features_of_an_article_with_itself_are_at_their_maximum():
    p = profile_of("a", "Blaze", TEXT, MENTIONS, "2024-03-12")
    c = Compared(p, EMPTY)
    row = pair_features(c, c)
    assert len(row) == len(FEATURES)
    assert feature(row, "body") > 0.999 and feature(row, "places") > 0.999
    assert feature(row, "year_gap") == 0.0 and feature(row, "day_gap") == 0.0


def test_profiles_compared_in_a_batch_give_the_features_of_each_pair_alone():
    weights = Weights({"blaze": 3, "tram": 1}, 10)
    profiles = [profile_of("a", "Blaze", TEXT, MENTIONS, "2024-03-12"),
                profile_of("b", "Tram vote", "Oskerby council approved a tram line in Brackenford.", MENTIONS[1:2], None),
                profile_of("c", "Blaze again", TEXT + " A second blaze followed.", MENTIONS[:2], "2024-03-14", published=True),
                profile_of("d", None, "", (), None)]
    batch = compare_many(profiles, weights)
    rows = pair_features_many(batch[0], batch)
    for row, other in zip(rows, profiles):
        assert np.allclose(row, pair_features(Compared(profiles[0], weights), Compared(other, weights)))
    assert rows.shape == (4, len(FEATURES))
    assert feature(list(rows[1]), "places") > 0 and feature(list(rows[3]), "body") == 0.0


def test_pair_features_are_symmetric():
    a = Compared(profile_of("a", "Blaze", TEXT, MENTIONS, "2024-03-12"), EMPTY)
    b = Compared(profile_of("b", "Tram vote", "Oskerby council approved a tram line in Brackenford.", MENTIONS[1:2],
                            "2024-03-14"), EMPTY)
    assert np.allclose(pair_features(a, b), pair_features(b, a))


def test_pair_features_give_the_gap_between_dates_estimated_from_the_text():
    a = Compared(profile_of("a", "Blaze", TEXT, (), "2023-03-14"), EMPTY)
    b = Compared(profile_of("b", "Blaze", TEXT, (), "2024-03-12"), EMPTY)
    row = pair_features(a, b)
    assert (feature(row, "year_gap"), feature(row, "month_gap"), feature(row, "both_published")) == (1.0, 12.0, 0.0)


def test_publication_days_have_a_gap_of_their_own():
    a = Compared(profile_of("a", "Blaze", TEXT, (), "2024-03-12", published=True), EMPTY)
    b = Compared(profile_of("b", "Blaze", TEXT, (), "2024-03-14", published=True), EMPTY)
    row = pair_features(a, b)
    assert feature(row, "published_gap") == pytest.approx(math.log1p(2))
    assert (feature(row, "year_gap"), feature(row, "both_published")) == (0.0, 1.0)


def test_without_both_dates_every_gap_is_zero():
    a = Compared(profile_of("a", "Blaze", TEXT, (), None), EMPTY)
    b = Compared(profile_of("b", "Blaze", TEXT, (), "2024-03-14", published=True), EMPTY)
    assert pair_features(a, b)[-5:] == [0.0] * 5


def test_names_of_people_are_compared_as_people_not_as_words():
    p = profile_of("a", "Quill visits Brackenford", TEXT + " Ada Quill praised the crews.", MENTIONS, None)
    assert "quill" not in p.body and "quill" not in p.title
    assert "brackenford" in p.body
