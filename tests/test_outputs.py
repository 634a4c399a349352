"""Tests for storyfuse.outputs: output paths checked before work, faults told in one line."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from storyfuse.outputs import OutputError, check_output_file, check_output_folder, os_fault, store_fault


def test_a_file_in_an_existing_folder_may_be_written(tmp_path):
    check_output_file(tmp_path / "export.json", "--json")


def test_a_file_in_a_missing_folder_is_refused_with_the_folder_and_the_option(tmp_path):
    with pytest.raises(OutputError, match=r"folder .*nowhere does not exist; create it or give --json"):
        check_output_file(tmp_path / "nowhere" / "export.json", "--json")


def test_a_folder_given_as_a_file_is_refused(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        check_output_file(tmp_path, "--out")


def test_a_missing_folder_for_tables_may_be_made(tmp_path):
    check_output_folder(tmp_path / "a" / "b", "--out")


def test_a_file_given_as_a_folder_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        check_output_folder(tmp_path / "f", "--out")


@pytest.mark.parametrize("message, hint", [
    ("attempt to write a readonly database", "read-only"),
    ("database or disk is full", "disk is full"),
    ("database disk image is malformed", "damaged"),
    ("database is locked", "another program"),
])
def test_a_database_fault_names_the_file_and_what_to_do(message, hint):
    line = store_fault("news.db", sqlite3.OperationalError(message))
    assert line.startswith("news.db: ") and hint in line and "\n" not in line


def test_a_full_disk_names_the_file():
    line = os_fault(OSError(errno.ENOSPC, "No space left on device", "out/export.json"))
    assert line == "out/export.json: the disk is full; free some space and run again (what was stored is kept)"
