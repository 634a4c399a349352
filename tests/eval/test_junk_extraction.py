"""Tests for storyfuse eval junk and eval extraction (skipped without ../shared/data)."""

from __future__ import annotations

import pytest

from storyfuse.eval import check_result
from storyfuse.eval.data import DataNotFoundError
from storyfuse.eval.junk import label_lines, line_scores


def test_a_line_is_junk_when_it_holds_a_must_drop_snippet_and_kept_when_a_must_keep_one():
    lines = ["Share this story on Facebook", "The bridge reopened on Tuesday.", "Both: reopened, Facebook", "Other"]
    assert label_lines(lines, ["bridge reopened", "reopened, facebook"], ["facebook"]) == [1, 0, None, None]


@pytest.fixture(scope="module")
def held_out():
    from storyfuse.eval.junk import labelled_pages

    try:
        pages, _, held = labelled_pages()
    except DataNotFoundError as err:
        pytest.skip(f"trafilatura-eval data not here: {err}")
    return [lp for lp in pages if lp.page.page_id in held][:60]


@pytest.mark.slow
def test_the_junk_model_beats_the_old_pattern_list_on_held_out_sites(held_out):
    from storyfuse.clean.text import is_junk_line

    from conftest import MODELS

    ours = line_scores(held_out, lambda lp: MODELS.junk.junk(lp.lines))
    patterns = line_scores(held_out, lambda lp: [is_junk_line(line) for line in lp.lines])
    assert ours["f1"] > patterns["f1"] + 0.3 and ours["precision"] > 0.8


@pytest.mark.slow
def test_eval_extraction_gives_the_result_shape_with_both_trafilatura_rows():
    from storyfuse.eval import extraction

    try:
        result = extraction.evaluate("dev")
    except DataNotFoundError as err:
        pytest.skip(f"trafilatura-eval data not here: {err}")
    check_result(result)
    assert len(result["rows"]) == 3 and result["rows"][0]["f1"] > 0.85
