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
    result = run_bench("pipeline", 12, None, processes=2)
    assert result["processes"] == 2
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


def test_a_stream_variant_mixes_reports_of_one_event_and_changes_names_and_figures():
    import random

    from storyfuse.bench_stream import variant_text

    reports = [["Rescuers pulled 12 people from the rubble, said Mayor Lin Bao.", "The quake struck at dawn."],
               ["Officials said 40 homes collapsed in the town, according to Lin Bao."]]
    texts = [variant_text(reports, 3, random.Random(seed)) for seed in range(20)]
    assert not any("12 people" in t or "40 homes" in t or "Lin Bao" in t for t in texts)
    assert any("Linez Baoez" in t for t in texts)
    assert any("Rescuers pulled" in t and "homes collapsed" in t for t in texts)


def test_stream_variants_are_not_taken_for_copies_of_each_other(data):
    from itertools import combinations

    from storyfuse.bench_stream import stream
    from storyfuse.config import DedupeConfig
    from storyfuse.dedupe import classify, overlap, shingles

    records = stream(400, None)
    assert len({r["gold_event"] for r in records}) > 50
    config = DedupeConfig()
    flagged = [(a["id"], b["id"]) for a, b in combinations(records, 2) if a["gold_event"] == b["gold_event"]
               and classify(overlap(shingles(a["text"], 5), shingles(b["text"], 5)), a["source"], b["source"],
                            a["text"] == b["text"], config) == "duplicate"]
    assert flagged == []


def test_bench_stream_times_the_first_and_the_last_runs(data):
    from storyfuse.bench_stream import run

    result = run(40, 10, None)
    assert [r["stored"] for r in result["runs"]] == [10, 20, 30, 40]
    assert result["first"]["articles"] == 10 and result["last"]["articles"] == 10
    assert result["last_to_first"] > 0 and result["events"] >= 1


def test_bench_web_loads_the_pages_with_and_without_a_concurrent_run(data, demo_copy):
    from storyfuse.bench_web import KINDS, run

    result = run(str(demo_copy), seconds=2, clients=2, data=None, ingest_size=40)
    for load in ("without_ingest", "with_ingest"):
        assert result[load]["failures"] == 0
        for kind in KINDS:
            row = result[load][kind]
            assert row["requests"] > 0 and 0 < row["p50_ms"] <= row["p99_ms"]
    assert result["articles"] == 25 and result["events"] >= 2
