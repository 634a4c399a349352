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
