"""Tests for storyfuse.eval.align: reading MRPC, grouping its folds, the splits."""

from __future__ import annotations

import numpy as np
import pytest

from storyfuse.eval.align import load_pairs, scores, sentence_groups, split_path

HEADER = "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"


def mrpc(tmp_path, lines: list[str], name: str = "msr_paraphrase_train.txt"):
    folder = tmp_path / "mrpc"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return folder / name


def test_load_pairs_reads_label_ids_and_both_sentences(tmp_path):
    path = mrpc(tmp_path, ["1\t11\t12\tThe ferry sank.\tA ferry went down.", "0\t13\t14\tIt rained.\tIt snowed."])
    first, second = load_pairs(path)
    assert (first.label, first.first_id, first.second_id, first.first, first.second) == (
        1, "11", "12", "The ferry sank.", "A ferry went down.")
    assert second.label == 0


def test_load_pairs_names_the_line_that_is_not_a_pair(tmp_path):
    path = mrpc(tmp_path, ["1\t11\t12\tThe ferry sank.\tA ferry went down.", "yes\t13\tonly three"])
    with pytest.raises(ValueError, match=r"msr_paraphrase_train.txt:3"):
        load_pairs(path)


def test_pairs_sharing_a_sentence_are_one_group(tmp_path):
    path = mrpc(tmp_path, ["1\t1\t2\ta b c\td e f", "0\t2\t3\td e f\tg h i", "1\t4\t5\tj k l\tm n o"])
    groups = sentence_groups(load_pairs(path))
    assert groups[0] == groups[1] != groups[2]


def test_the_cv_split_is_the_training_file(tmp_path):
    path = mrpc(tmp_path, ["1\t1\t2\ta b c\td e f"])
    assert split_path("cv", str(tmp_path)) == path.resolve()


def test_the_test_split_without_its_file_says_where_to_put_it(tmp_path):
    mrpc(tmp_path, ["1\t1\t2\ta b c\td e f"])
    with pytest.raises(ValueError, match="msr_paraphrase_test.txt.*--split cv"):
        split_path("test", str(tmp_path))


def test_an_unknown_split_is_refused(tmp_path):
    mrpc(tmp_path, ["1\t1\t2\ta b c\td e f"])
    with pytest.raises(ValueError, match="no 'dev' split"):
        split_path("dev", str(tmp_path))


def test_scores_count_f1_accuracy_precision_and_recall():
    y = np.array([1, 1, 0, 0])
    assert scores(y, np.array([True, False, True, False])) == {"f1": 0.5, "accuracy": 0.5, "precision": 0.5,
                                                               "recall": 0.5}
