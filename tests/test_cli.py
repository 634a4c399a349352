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
    monkeypatch.setattr(bench, "run_bench", lambda task, size, data: fake)
    result = invoke("bench", "--size", "3")
    assert "storyfuse end to end runs at 1.00x the speed of spacy-storyfuse" in result.output


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
