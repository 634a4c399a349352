"""``storyfuse eval quotes --split cv`` on a small PolNeAR-shaped data set written here: both
models are refitted on four folds and scored on the fifth, and the result lists its folds."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyfuse.eval import check_result
from storyfuse.eval import quotes as quotes_eval

PEOPLE = [("Marek Dole", "Lucia Ferrante"), ("Ines Varga", "Piet Haverkamp"), ("Ada Quill", "Ivo Brandt"),
          ("Nora Lind", "Tomas Ek"), ("Dario Castellane", "Ines Farrow")]
SAID = ["We will rebuild the mill before the first snow falls", "Nobody should take a single vote for granted",
        "The money for the bridge is already in the budget", "We have asked the council to think again",
        "The ferry will run every hour until the spring"]


def write_document(root: Path, n: int) -> None:
    speaker, other = PEOPLE[n % len(PEOPLE)]
    said = SAID[(n * 2) % len(SAID)]
    text = (f"{other} opened the meeting on Monday. \"{said},\" said {speaker}. "
            f"Residents of the town called it the so-called \"fair share plan\" in letters.\n")
    content_start = text.index(said)
    source_start = text.index(f"said {speaker}") + 5
    (root / "text" / f"doc{n:02d}.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / f"doc{n:02d}_a1.ann").write_text(
        f"T1\tSource {source_start} {source_start + len(speaker)}\t{speaker}\n"
        f"T2\tCue {source_start - 5} {source_start - 1}\tsaid\n"
        f"T3\tContent {content_start - 1} {content_start + len(said) + 2}\t\"{said},\"\n"
        f"T4\tAttribution {source_start - 5} {source_start - 1}\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n", encoding="utf-8")


@pytest.mark.slow  # fits both models five times (about 20 s)
def test_cross_validation_refits_the_models_and_scores_every_fold(tmp_path):
    root = tmp_path / "polnear" / "data" / "train"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for n in range(20):
        write_document(root, n)
    result = check_result(quotes_eval.evaluate("cv", str(tmp_path)))
    assert result["split"] == "cv" and result["documents"] == 20
    assert [f["fold"] for f in result["folds"]] == [0, 1, 2, 3, 4]
    assert sum(f["documents"] for f in result["folds"]) == 20
    ours = result["rows"][0]
    assert ours["system"] == "storyfuse" and ours["worst_fold_f1"] <= ours["f1"] + 1e-9
    assert ours["recall"] == 1.0  # every attributed statement is found, in its held-out fold
    assert ours["speaker_accuracy"] == 1.0
