"""The command line: exit codes, what is printed and written."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from storyfuse.cli import main
from storyfuse.export import validate

STORY = """---
title: Ferry service to Northmoor resumes
source: Northmoor Courier
published: 2026-06-01T07:00:00+02:00
---
The ferry between Port Velmar and Northmoor resumed on Monday after a three-week suspension caused by engine repairs.
The operator said that two boats would run every hour until the end of the summer.
"""


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if "--json" in args:  # every export a test makes meets the contract
        validate(json.loads(open(args[args.index("--json") + 1], encoding="utf-8").read()))
    return result


def test_run_prints_the_counts_and_exits_0(tmp_path, story):
    result = invoke("run", story, "--db", tmp_path / "s.db")
    assert result.exit_code == 0
    assert "read 1 = added 1 + already stored 0 + rejected 0" in result.output


def test_run_writes_a_valid_json_export_and_a_report(tmp_path, story):
    result = invoke("run", story, "--db", tmp_path / "s.db", "--json", tmp_path / "x.json", "--report", tmp_path / "r.md")
    assert result.exit_code == 0
    doc = json.loads((tmp_path / "x.json").read_text())
    validate(doc)
    assert doc["articles"][0]["id"] == "ferry"
    assert (tmp_path / "r.md").read_text().startswith("# storyfuse report")


def test_run_exits_1_when_every_input_is_rejected(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = invoke("run", tmp_path / "empty.txt", tmp_path / "missing.txt", "--db", tmp_path / "s.db")
    assert result.exit_code == 1
    assert "rejected 2" in result.output


def test_run_prints_each_rejected_input_with_its_path_and_reason(tmp_path, story):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(main, ["run", str(story), str(tmp_path / "empty.txt"),
                                                       "--db", str(tmp_path / "s.db")])
    assert f"rejected {tmp_path / 'empty.txt'}: empty file" in result.stderr


def test_the_progress_bar_stays_silent_when_output_is_not_a_terminal():
    from storyfuse.console import TerminalProgress

    assert TerminalProgress().enabled is False  # pytest captures stderr: not a terminal


def test_bench_prints_the_speed_ratios(monkeypatch):
    import storyfuse.bench as bench

    row = {"articles": 3, "words": 900, "load_s": 1.0, "seconds": 1.0, "articles_per_s": 3.0, "words_per_s": 900,
           "peak_rss_mb": 400}
    fake = {"task": "pipeline", "dataset": "test", "articles": 3, "cpu_count": 2,
            "results": [{"mode": m, **row} for m in bench.MODES],
            "pipeline_speed_relative_to": {m: 1.0 for m in bench.MODES[1:]}}
    asked = []
    monkeypatch.setattr(bench, "run_bench", lambda task, size, data, processes: asked.append(processes) or fake)
    result = invoke("bench", "--size", "3")
    assert "storyfuse end to end runs at 1.00x the speed of spacy-storyfuse" in result.output
    assert asked == [2]  # two spaCy processes everywhere by default (one a core here)


def test_run_exits_0_when_some_inputs_are_rejected(tmp_path, story):
    (tmp_path / "empty.txt").write_text("")
    result = invoke("run", story, tmp_path / "empty.txt", "--db", tmp_path / "s.db")
    assert result.exit_code == 0


def test_run_exits_0_when_everything_was_already_stored(tmp_path, story):
    invoke("run", story, "--db", tmp_path / "s.db")
    result = invoke("run", story, "--db", tmp_path / "s.db")
    assert result.exit_code == 0 and "already stored 1" in result.output


def test_run_with_an_invalid_config_fails_with_the_reason(tmp_path, story):
    (tmp_path / "c.toml").write_text("[cluster]\nthreshhold = 0.3\n")
    result = invoke("run", story, "--db", tmp_path / "s.db", "--config", tmp_path / "c.toml")
    assert result.exit_code == 2 and "unknown key 'threshhold' in [cluster]" in result.output


def test_extract_prints_one_json_object_per_input(tmp_path, story):
    result = invoke("extract", story)
    record = json.loads(result.output.strip())
    assert result.exit_code == 0
    assert record["title"] == "Ferry service to Northmoor resumes" and record["source"] == "Northmoor Courier"
    assert set(record) >= {"input", "title", "text", "published", "author", "source", "url", "language", "removed"}


def test_extract_reports_a_failed_input_and_exits_1(tmp_path, story):
    (tmp_path / "empty.txt").write_text("")
    result = invoke("extract", story, tmp_path / "empty.txt")
    records = [json.loads(line) for line in result.output.strip().splitlines()]
    assert result.exit_code == 1
    assert records[1] == {"input": str(tmp_path / "empty.txt"), "error": "empty file"}


@pytest.mark.parametrize("fmt, expect", [("json", '"schema": "storyfuse/1"'), ("md", "# storyfuse report"),
                                         ("html", "<!doctype html>")])
def test_export_writes_each_format(tmp_path, story, fmt, expect):
    invoke("run", story, "--db", tmp_path / "s.db")
    result = invoke("export", "--db", tmp_path / "s.db", "--format", fmt)
    assert result.exit_code == 0 and expect in result.output


def test_export_csv_writes_three_tables(tmp_path, story):
    invoke("run", story, "--db", tmp_path / "s.db")
    result = invoke("export", "--db", tmp_path / "s.db", "--format", "csv", "--out", tmp_path / "tables")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["articles.csv", "events.csv", "facts.csv"]


def test_export_of_one_event_contains_only_its_articles(demo_copy, demo_doc):
    event = demo_doc["events"][0]
    result = invoke("export", "--db", demo_copy, "--event", event["id"])
    doc = json.loads(result.output)
    assert [e["id"] for e in doc["events"]] == [event["id"]]
    assert sorted(a["id"] for a in doc["articles"]) == sorted(event["articles"])
    validate(doc)


def test_export_since_keeps_later_events(demo_copy, demo_doc):
    doc = json.loads(invoke("export", "--db", demo_copy, "--since", "2026-05-01").output)
    validate(doc)
    later = {e["id"] for e in demo_doc["events"] if e["end"] >= "2026-05-01"}
    assert {e["id"] for e in doc["events"]} == later and len(later) == 4
    events = {e["id"] for e in doc["events"]}
    assert all(a["event"] in events for a in doc["articles"] if a["event"])
    assert {a["id"] for a in doc["articles"]} >= {a for e in doc["events"] for a in e["articles"]}


def test_export_of_an_unknown_event_fails_with_a_message(demo_copy):
    result = invoke("export", "--db", demo_copy, "--event", "ev-nope")
    assert result.exit_code == 2 and "no event with id 'ev-nope'" in result.output


def test_export_of_a_missing_database_says_how_to_create_it(tmp_path):
    result = invoke("export", "--db", tmp_path / "none.db")
    assert result.exit_code == 2 and "storyfuse run" in result.output


@pytest.mark.slow
def test_demo_runs_on_the_sample_corpus_and_prints_the_report(tmp_path):
    result = invoke("demo", "--db", tmp_path / "demo.db")
    assert result.exit_code == 0
    assert "read 25 = added 25" in result.output
    headings = [line for line in result.output.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Contents" and len(headings) == 7  # contents, 5 events, rejected inputs
    assert "### Where outlets disagree" in result.output


def test_every_command_help_has_an_example():
    for command in ("run", "demo", "extract", "export", "bench"):
        assert "Example:" in invoke(command, "--help").output


def test_export_since_must_be_a_date(demo_copy):
    result = invoke("export", "--db", demo_copy, "--since", "yesterday")
    assert result.exit_code == 2 and "use YYYY-MM-DD" in result.output


# --- faults: one line saying what is wrong, where and what to do; never a traceback ----------


def one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and lines and lines[-1].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[-1]


def test_run_with_json_into_a_missing_folder_fails_before_any_work(tmp_path, story):
    line = one_line_error(CliRunner().invoke(main, ["run", str(story), "--db", str(tmp_path / "s.db"),
                                                    "--json", str(tmp_path / "nowhere" / "x.json")]))
    assert str(tmp_path / "nowhere") in line and "--json" in line
    assert not (tmp_path / "s.db").exists()  # nothing was run


def test_run_with_a_report_path_that_is_a_folder_fails_before_any_work(tmp_path, story):
    line = one_line_error(invoke("run", story, "--db", tmp_path / "s.db", "--report", tmp_path))
    assert "is a directory" in line and not (tmp_path / "s.db").exists()


def test_export_out_into_a_missing_folder_is_one_line(demo_copy, tmp_path):
    line = one_line_error(invoke("export", "--db", demo_copy, "--format", "md", "--out", tmp_path / "no" / "r.md"))
    assert "does not exist" in line


def test_export_csv_without_out_asks_for_a_folder_and_writes_nothing(demo_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "--db", demo_copy, "--format", "csv")
    assert result.exit_code == 2 and "give --out FOLDER" in result.output
    assert not list(tmp_path.glob("*.csv"))


def test_a_damaged_database_is_one_line_naming_it(tmp_path, story):
    db = tmp_path / "s.db"
    db.write_bytes(b"this is not a database at all" * 100)
    line = one_line_error(invoke("run", story, "--db", db))
    assert str(db) in line and "restore the file from a copy" in line


def test_a_read_only_database_is_one_line_saying_what_to_do(tmp_path, story, monkeypatch):
    import sqlite3

    from storyfuse.store.sqlite import db as sqlite_db

    def read_only(self):  # as SQLite answers where the file or its folder cannot be written
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(sqlite_db.Database, "_migrate", read_only)
    line = one_line_error(invoke("run", story, "--db", tmp_path / "s.db"))
    assert str(tmp_path / "s.db") in line and "read-only" in line and "make them writable" in line


def test_a_full_disk_while_storing_is_one_line_and_what_was_stored_stays(tmp_path, story, monkeypatch):
    import sqlite3

    from storyfuse.store.sqlite import articles

    assert invoke("run", story, "--db", tmp_path / "s.db").exit_code == 0
    other = tmp_path / "other.txt"
    other.write_text(STORY.replace("Ferry service", "Bus service").replace("ferry", "bus"), encoding="utf-8")

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(articles.SqliteArticles, "add", full)
    line = one_line_error(invoke("run", other, "--db", tmp_path / "s.db"))
    assert str(tmp_path / "s.db") in line and "disk is full" in line
    monkeypatch.undo()
    doc = json.loads(invoke("export", "--db", tmp_path / "s.db").output)
    assert [a["id"] for a in doc["articles"]] == ["ferry"]


def test_an_unexpected_fault_is_one_line_not_a_traceback(tmp_path, story, monkeypatch):
    from storyfuse import pipeline

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(pipeline, "run_in", broken)
    line = one_line_error(CliRunner().invoke(main, ["run", str(story), "--db", str(tmp_path / "s.db")]))
    assert "internal error (KeyError" in line and "STORYFUSE_DEBUG=1" in line


def test_input_names_are_never_read_as_console_markup(tmp_path, story):
    odd = tmp_path / "[x]a.txt"
    odd.write_text("")
    result = CliRunner().invoke(main, ["run", str(story), str(odd), "--db", str(tmp_path / "s.db")])
    assert f"rejected {odd}: empty file" in result.stderr


def test_an_invalid_regular_expression_in_the_config_is_one_line_before_any_work(tmp_path, story):
    (tmp_path / "c.toml").write_text('[clean]\nextra_junk_patterns = ["("]\n')
    line = one_line_error(invoke("run", story, "--db", tmp_path / "s.db", "--config", tmp_path / "c.toml"))
    assert "'(' is not a valid regular expression" in line and not (tmp_path / "s.db").exists()


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path, story):
    result = CliRunner().invoke(main, ["run", str(story), "--db", str(tmp_path / "s.db"),
                                       "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.output


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_one_line_naming_it(tmp_path, story):
    line = one_line_error(CliRunner().invoke(main, ["run", str(story), "--db", str(tmp_path / "s.db"),
                                                    "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]))
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in line and "dask scheduler" in line


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "news.db"), "--port", str(port)])
    assert result.exit_code != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "Traceback" not in result.output
