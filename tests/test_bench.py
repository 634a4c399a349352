"""storyfuse bench on real ECB+ texts (skipped where ../shared/data is absent)."""

from __future__ import annotations

import pytest

from storyfuse.bench import MODES, run_bench
from storyfuse.eval.data import DataNotFoundError, dataset_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data():
    try:
        dataset_dir("ecbplus")
    except DataNotFoundError as err:
        pytest.skip(f"ECB+ not available: {err}")


def test_bench_measures_every_mode_on_the_same_articles(data):
    result = run_bench("pipeline", 12, None)
    assert [r["mode"] for r in result["results"]] == list(MODES)
    assert {r["articles"] for r in result["results"]} == {12}
    assert all(r["articles_per_s"] > 0 and r["peak_rss_mb"] > 50 for r in result["results"])
    assert set(result["pipeline_speed_relative_to"]) == set(MODES) - {"pipeline"}
    pipeline = result["results"][0]
    assert 0 <= pipeline["sentences_parsed"] <= pipeline["sentences"] and pipeline["sentences"] > 12


def test_bench_cluster_fills_the_store_and_places_new_articles(data):
    from storyfuse.bench_cluster import run

    result = run(1500, 30, None)
    assert result["store_articles"] == 1500 and result["placed_articles"] == 30
    assert result["place_articles_per_s"] > 0 and result["events_consolidated"] >= 1
    assert 1 < result["events_in_store"] <= 1530


def test_a_variant_renames_its_names_and_changes_its_figures():
    import random

    from storyfuse.bench_cluster import variant
    from storyfuse.cluster.profile import profile_of
    from storyfuse.models import Mention

    base = profile_of("d1", None, "Rescuers pulled 12 people from the rubble in Harbin.", [Mention("Harbin", 44, 50, "GPE")],
                      None)
    v = variant(base, base, 3, 0, random.Random(1))
    assert v.entities["places"] == ("harbin v3",)
    assert v.figures != base.figures and v.article_id != base.article_id
