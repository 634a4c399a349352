"""Tests for storyfuse.eval.conflicts: the changed claims, the flags and their labels."""

from __future__ import annotations

import pytest

from storyfuse.eval.conflicts import LABELS, changed_claims, load_labels, sentences_of
from storyfuse.eval.ecbplus import EcbDocument

# Fictional ECB+-shaped documents: one sentence per paragraph, tokens rejoined.
FIRST = EcbDocument("90_1ecb", 90, "ecb", "A fire at the Harlow mill injured 4 workers on Sunday.\n\nCrews came from Lund.")
SECOND = EcbDocument("90_2ecb", 90, "ecb", "The Harlow mill burned on Sunday night.\n\nThe owner was away.")


def test_sentences_of_rejoins_figures_the_tokeniser_split():
    doc = EcbDocument("90_3ecb", 90, "ecb", "About 1, 500 people fled a 6. 1 quake at 3: 33 a. m.")
    assert sentences_of(doc) == ["About 1,500 people fled a 6.1 quake at 3:33 a.m."]


def test_a_changed_claim_moves_a_changed_figure_into_another_article():
    (case,) = changed_claims([FIRST, SECOND])
    assert (case.source_doc, case.target_doc) == ("90_1ecb", "90_2ecb")
    assert case.changed == "A fire at the Harlow mill injured 8 workers on Sunday."
    assert (case.old_value, case.new_value) == ("4", "8")


def test_changed_claims_are_the_same_in_every_run():
    assert changed_claims([FIRST, SECOND]) == changed_claims([SECOND, FIRST])


def test_no_claim_is_moved_into_an_article_that_states_the_same_quantity():
    other = EcbDocument("90_2ecb", 90, "ecb", "Two workers were hurt at the Harlow mill.")
    assert [c.kind for c in changed_claims([FIRST, other])] == ["day"]  # only the day can move


def test_a_changed_day_moves_two_days_later_into_an_article_that_dates_nothing():
    other = EcbDocument("90_2ecb", 90, "ecb", "Two workers were hurt at the Harlow mill.")
    (case,) = [c for c in changed_claims([FIRST, other]) if c.kind == "day"]
    assert case.changed == "A fire at the Harlow mill injured 4 workers on Tuesday."
    assert (case.old_value, case.new_value, case.target_doc) == ("Sunday", "Tuesday", "90_2ecb")


class Places:
    """Place names by a fixed list, as spaCy's NER would give them."""

    def __init__(self, names: list[str]):
        self.names = names

    def __call__(self, sentence: str) -> tuple[str, ...]:
        return tuple(n for n in self.names if n in sentence)


def test_a_changed_place_is_one_named_in_another_event_and_moves_into_an_article_not_naming_it():
    first = EcbDocument("90_1ecb", 90, "ecb", "A fire broke out at a paper mill in Harlow on Sunday night.")
    second = EcbDocument("90_2ecb", 90, "ecb", "The owner of the mill was away for the weekend.")
    places = Places(["Harlow", "Lund"])
    (case,) = [c for c in changed_claims([first, second], places, ["Harlow", "Lund"]) if c.kind == "place"]
    assert case.changed == "A fire broke out at a paper mill in Lund on Sunday night."
    assert (case.old_value, case.new_value, case.target_doc) == ("Harlow", "Lund", "90_2ecb")


def test_no_place_is_changed_without_a_place_from_elsewhere():
    places = Places(["Harlow", "Lund"])
    assert [c.kind for c in changed_claims([FIRST, SECOND], places, ["Lund"])] == ["figure"]  # Lund is named here


def test_the_committed_labels_load_and_are_real_or_false():
    labels = load_labels()
    assert len(labels) >= 100 and set(labels.values()) == {"real", "false"}


def test_a_label_line_without_a_verdict_is_refused(tmp_path):
    path = tmp_path / "conflicts.tsv"
    path.write_text("id\tverdict\tnote\n12_ecb:worker:2|3\tmaybe\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="conflicts.tsv:2"):
        load_labels(path)


def test_the_labels_file_ships_with_the_package():
    assert LABELS.is_file()


def test_sentences_of_rejoins_a_time_in_capitals():
    doc = EcbDocument("90_4ecb", 90, "ecb", "2 A. M. FEB. 4, 2009")
    assert sentences_of(doc) == ["2 A.M. FEB. 4, 2009"]
