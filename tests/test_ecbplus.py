"""The ECB+ loader used by bench (skipped where ../shared/data is absent)."""

from __future__ import annotations

import pytest

from storyfuse.eval.data import DataNotFoundError, dataset_dir
from storyfuse.eval.ecbplus import detokenize, load_documents


def test_detokenize_rejoins_punctuation_and_hyphens():
    assert detokenize(["He", "said", ",", "\"", "a", "90", "-", "day", "stay", "\"", "(", "roughly", ")", "."]) == \
        'He said, "a 90-day stay" (roughly).'


def test_missing_data_says_where_it_looked(tmp_path):
    with pytest.raises(DataNotFoundError, match="STORYFUSE_DATA"):
        dataset_dir("ecbplus", tmp_path)


def test_ecbplus_documents_drop_their_source_url():
    try:
        docs = load_documents(topics=(1,))
    except DataNotFoundError as err:
        pytest.skip(f"ECB+ not available: {err}")
    plus = [d for d in docs if d.half == "ecbplus"]
    assert plus and not any(d.text.startswith("http") for d in plus)
    assert {d.event for d in docs} == {"1_ecb", "1_ecbplus"}
