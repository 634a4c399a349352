"""The pipeline as a whole: counts, idempotence, bad input, replacement, crash and resume."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyfuse.config import Config, NlpConfig
from storyfuse.context import Progress
from storyfuse.errors import StoreLockedError
from storyfuse.export import build_export, validate
from storyfuse.pipeline import run
from storyfuse.store import Store

from conftest import MODELS, memberships

STORY = """---
title: Bridge reopens in Velmar
source: Harbour Ledger
published: 2026-04-02T08:00:00+02:00
---
The Old Canal Bridge in Port Velmar reopened to traffic on Tuesday after eight months of repairs.
Engineers replaced the deck and two of the four piers, the city's works department said.
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_on(db: Path, inputs: list, **kwargs):
    with Store(db) as store:
        report = run([str(i) for i in inputs], store, Config(), models=MODELS, **kwargs)
        doc = build_export(store)
    validate(doc)  # every export a test makes meets the contract
    assert report.counts_add_up
    return report, doc


def test_second_run_on_the_same_input_adds_nothing(demo_copy, sample_corpus, demo):
    report, doc = run_on(demo_copy, [sample_corpus])
    assert (report.read, report.added, report.already_stored, len(report.rejected)) == (25, 0, 25, 0)
    assert memberships(doc) == memberships(demo[2])
    assert len(doc["articles"]) == 25


def test_second_run_recomputes_no_event(demo_copy, sample_corpus):
    report, _ = run_on(demo_copy, [sample_corpus])
    assert report.events_updated == []


@pytest.fixture
def bad_inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    write(folder / "good.txt", STORY)
    write(folder / "empty.txt", "")
    write(folder / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(folder / "latin1.txt", "Caf\xe9 owners in Port Velmar said trade was slow.".encode("latin-1"))
    line = json.dumps({"id": "j1", "text": "A second bridge, the Tanner's Lane footbridge, will close in May for painting work."})
    write(folder / "feed.jsonl", line + '\nnot json at all\n{"title": "no text here"}\n')
    (folder / "notes.txt").mkdir()  # an unreadable "file"
    write(folder / "notes.txt" / "inner.md", "")
    return folder


def test_bad_inputs_are_rejected_with_path_and_reason_and_the_rest_is_stored(tmp_path, bad_inputs):
    report, doc = run_on(tmp_path / "s.db", [bad_inputs])
    reasons = {Path(r.input.split(":")[0]).name: r.reason for r in report.rejected}
    assert "empty file" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "invalid UTF-8 at byte 3" in reasons["latin1.txt"]
    assert sorted(a["id"] for a in doc["articles"]) == ["good", "j1"]


def test_bad_jsonl_lines_are_reported_by_line_number(tmp_path, bad_inputs):
    report, _ = run_on(tmp_path / "s.db", [bad_inputs])
    lines = {r.input.rsplit(":", 1)[1]: r.reason for r in report.rejected if "feed.jsonl" in r.input}
    assert "not valid JSON" in lines["2"] and "no non-empty 'text' or 'html'" in lines["3"]


def test_a_file_that_cannot_be_read_is_rejected_with_its_path(tmp_path, bad_inputs, monkeypatch):
    real = Path.read_bytes

    def locked(self):
        if self.name == "good.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    report, doc = run_on(tmp_path / "s.db", [bad_inputs])
    assert (str(bad_inputs / "good.txt"), "permission denied: the file cannot be read") in {
        (r["input"], r["reason"]) for r in doc["rejected"]}
    assert "good" not in {a["id"] for a in doc["articles"]}


def test_counts_add_up_with_rejections(tmp_path, bad_inputs):
    report, _ = run_on(tmp_path / "s.db", [bad_inputs])
    assert report.read == report.added + report.already_stored + len(report.rejected)
    assert report.added == 2 and len(report.rejected) == 6


def test_rejections_are_in_the_export(tmp_path, bad_inputs):
    report, doc = run_on(tmp_path / "s.db", [bad_inputs])
    validate(doc)
    assert {(r["input"], r["reason"]) for r in doc["rejected"]} == {(r.input, r.reason) for r in report.rejected}


def test_missing_input_is_rejected(tmp_path):
    report, _ = run_on(tmp_path / "s.db", [tmp_path / "nowhere.txt"])
    assert report.read == 1 and report.rejected[0].reason == "no such file or directory"


def test_same_id_with_a_new_text_is_rejected_unless_replace(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", STORY)
    run_on(tmp_path / "s.db", [story])
    write(story, STORY.replace("eight months", "nine months"))
    report, doc = run_on(tmp_path / "s.db", [story])
    assert "already stored with a different text" in report.rejected[0].reason
    assert "eight months" in doc["articles"][0]["text"]
    assert doc["rejected"] == [{"input": str(story), "reason": report.rejected[0].reason}]


def test_replace_overwrites_the_stored_text(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", STORY)
    run_on(tmp_path / "s.db", [story])
    write(story, STORY.replace("eight months", "nine months"))
    report, doc = run_on(tmp_path / "s.db", [story], replace=True)
    assert report.added == 1 and not report.rejected
    assert [a["text"].count("nine months") for a in doc["articles"]] == [1]
    assert len(doc["events"]) == 1 and doc["events"][0]["articles"] == ["bridge"]


def test_source_option_names_the_outlet_of_inputs_that_do_not(tmp_path):
    story = write(tmp_path / "in" / "plain.txt", "Velmar harbour opened a new ferry berth on Friday, port officials said.\n")
    _, doc = run_on(tmp_path / "s.db", [story], source="Kestrel Radio News")
    assert doc["articles"][0]["source"] == "Kestrel Radio News"


def test_an_exact_copy_is_added_and_marked_duplicate(tmp_path):
    write(tmp_path / "in" / "a.txt", STORY)
    write(tmp_path / "in" / "b.txt", STORY)
    report, doc = run_on(tmp_path / "s.db", [tmp_path / "in"])
    assert report.added == 2 and report.duplicates == 1
    assert [a["duplicate_of"] for a in doc["articles"]] == [None, "a"]
    assert doc["articles"][0]["event"] == doc["articles"][1]["event"]


class Interrupt(Progress):
    """Stops the run part-way through a stage, as a kill would."""

    def __init__(self, stage: str, after: int):
        self.stop_in, self.after = stage, after
        self.current, self.seen = None, 0

    def stage(self, name, total=None):
        self.current = name

    def advance(self, n=1):
        if self.current == self.stop_in:
            self.seen += n
            if self.seen > self.after:
                raise KeyboardInterrupt


SMALL_BATCHES = Config(nlp=NlpConfig(batch_size=4))
STAGES = [("reading", 10), pytest.param("clustering", 6, marks=pytest.mark.slow),
          pytest.param("consolidating", 0, marks=pytest.mark.slow),
          pytest.param("corroborating", 2, marks=pytest.mark.slow)]


@pytest.mark.parametrize("stage, after", STAGES)
def test_an_interrupted_run_leaves_a_consistent_store(tmp_path, sample_corpus, stage, after):
    db = tmp_path / "s.db"
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        run([str(sample_corpus)], store, SMALL_BATCHES, models=MODELS, progress=Interrupt(stage, after))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < stored <= 25
    orphans = conn.execute("SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()
    assert orphans[0] == 0


@pytest.mark.parametrize("stage, after", STAGES)
def test_running_again_after_an_interruption_finishes_the_job(tmp_path, sample_corpus, demo, stage, after):
    db = tmp_path / "s.db"
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        run([str(sample_corpus)], store, SMALL_BATCHES, models=MODELS, progress=Interrupt(stage, after))
    report, doc = run_on(db, [sample_corpus])
    assert report.added + report.already_stored == 25
    assert len(doc["articles"]) == 25 and len({a["id"] for a in doc["articles"]}) == 25
    assert memberships(doc) == memberships(demo[2])
    assert {e["id"]: len(e["facts"]) for e in doc["events"]} == {e["id"]: len(e["facts"]) for e in demo[2]["events"]}


@pytest.mark.slow
def test_a_killed_process_is_finished_by_running_again(tmp_path, sample_corpus, demo):
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-m", "storyfuse", "run", str(sample_corpus), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if db.exists() and sqlite3.connect(db, timeout=1).execute("SELECT count(*) FROM articles").fetchone()[0] >= 5:
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    out = subprocess.run(cmd + ["--json", str(tmp_path / "out.json")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    doc = json.loads((tmp_path / "out.json").read_text())
    assert len(doc["articles"]) == 25
    assert memberships(doc) == memberships(demo[2])


@pytest.mark.slow
def test_adding_articles_later_grows_the_events_incrementally(tmp_path, sample_corpus, demo):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus / "valdria-wire", corpus / "valdria-wire")
    first, _ = run_on(tmp_path / "s.db", [corpus])
    shutil.copytree(sample_corpus, corpus, dirs_exist_ok=True)
    second, doc = run_on(tmp_path / "s.db", [corpus])
    assert first.added == 4 and second.added == 21 and second.already_stored == 4
    assert memberships(doc) == memberships(demo[2])


def test_a_second_writer_waits_for_the_first(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", STORY)
    messages = []

    class Recorder(Progress):
        def message(self, text):
            messages.append(text)

    with Store(tmp_path / "s.db") as holder:
        holder.acquire_writer()
        with Store(tmp_path / "s.db", lock_wait_s=0.3) as second:
            with pytest.raises(StoreLockedError):
                run([str(story)], second, Config(), models=MODELS, progress=Recorder())
    assert messages and "another storyfuse process" in messages[0]


def test_an_article_over_the_nlp_limit_is_stored_unanalysed_with_the_reason(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", STORY)
    with Store(tmp_path / "s.db") as store:
        report = run([str(story)], store, Config(nlp=NlpConfig(max_chars=100)), models=MODELS)
        doc = build_export(store)
    assert report.added == 1 and report.not_analysed == 1
    assert "over the NLP limit" in doc["articles"][0]["analysis_note"]


def test_a_stage_that_fails_on_one_article_does_not_stop_the_run(tmp_path, monkeypatch):
    import storyfuse.quotes as quotes

    write(tmp_path / "in" / "a.txt", STORY)
    write(tmp_path / "in" / "b.txt", STORY.replace("Old Canal Bridge", "New Canal Bridge"))
    real = quotes.find_quotes

    def flaky(text, sentences, mentions, *models):
        if "Old Canal" in text:
            raise RuntimeError("boom")
        return real(text, sentences, mentions, *models)

    monkeypatch.setattr(quotes, "find_quotes", flaky)
    report, doc = run_on(tmp_path / "s.db", [tmp_path / "in"])
    notes = {a["id"]: (a["analysed"], a["analysis_note"]) for a in doc["articles"]}
    assert report.added == 2
    assert notes["a"][0] is False and "RuntimeError: boom" in notes["a"][1]
    assert notes["b"] == (True, None)


FIRE = STORY.replace("Bridge reopens in Velmar", "Fire at the Velmar mill").replace(
    "The Old Canal Bridge in Port Velmar reopened to traffic on Tuesday after eight months of repairs.",
    "A fire destroyed the old textile mill on Quayside Road in Port Velmar on Tuesday night.").replace(
    "Engineers replaced the deck and two of the four piers, the city's works department said.",
    "About 60 firefighters fought the blaze, the fire service said.")
TRAM = """---
title: Eastbrook approves tram line
source: Northmoor Courier
published: 2026-09-20T08:00:00+02:00
---
Eastbrook city council approved a new tram line to Marlow Heath on Thursday by 31 votes to 14.
Construction of the line is due to begin next spring, the council said.
"""


def test_replacing_the_article_that_started_an_event_keeps_unrelated_stories_apart(tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.txt", STORY)
    write(folder / "b.txt", STORY.replace("Harbour Ledger", "Kestrel Radio News").replace("eight months", "8 months"))
    run_on(tmp_path / "s.db", [folder])
    write(folder / "a.txt", TRAM)
    report, doc = run_on(tmp_path / "s.db", [folder], replace=True)
    validate(doc)
    events = {frozenset(e["articles"]): e for e in doc["events"]}
    assert set(events) == {frozenset({"a"}), frozenset({"b"})}
    assert events[frozenset({"b"})]["end"] == "2026-04-02"


def test_an_earlier_copy_arriving_later_takes_the_original_role_without_a_phantom_event(tmp_path):
    late = STORY.replace("2026-04-02T08:00:00+02:00", "2026-04-09T08:00:00+02:00")
    write(tmp_path / "first" / "late.txt", late)
    run_on(tmp_path / "s.db", [tmp_path / "first" / "late.txt"])
    write(tmp_path / "second" / "early.txt", STORY)
    _, doc = run_on(tmp_path / "s.db", [tmp_path / "second" / "early.txt"])
    validate(doc)
    rows = {a["id"]: a for a in doc["articles"]}
    assert rows["late"]["duplicate_of"] == "early" and rows["early"]["duplicate_of"] is None
    assert len(doc["events"]) == 1 and rows["late"]["event"] == rows["early"]["event"]


@pytest.mark.parametrize("stage, after", STAGES)
def test_an_export_taken_after_an_interruption_meets_the_contract(tmp_path, sample_corpus, stage, after):
    db = tmp_path / "s.db"
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        run([str(sample_corpus)], store, SMALL_BATCHES, models=MODELS, progress=Interrupt(stage, after))
    with Store(db) as store:
        doc = build_export(store)
    validate(doc)
    events = {e["id"] for e in doc["events"]}
    assert all(a["event"] in events for a in doc["articles"] if a["event"])


def test_a_correction_of_one_figure_is_a_new_text(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", STORY)
    run_on(tmp_path / "s.db", [story])
    write(story, STORY.replace("two of the four piers", "two of the five piers"))
    report, _ = run_on(tmp_path / "s.db", [story])
    assert report.already_stored == 0 and "already stored with a different text" in report.rejected[0].reason


def test_the_same_id_twice_in_one_run_is_taken_once_whatever_the_batch_size(tmp_path):
    feed = write(tmp_path / "in" / "feed.jsonl",
                 json.dumps({"id": "x", "text": "The quay reopened to boats on Monday after repairs."}) + "\n"
                 + json.dumps({"id": "x", "text": "The quay stayed closed on Monday for more repairs."}) + "\n")
    with Store(tmp_path / "s.db") as store:
        report = run([str(feed)], store, Config(nlp=NlpConfig(batch_size=1)), models=MODELS, replace=True)
        doc = build_export(store)
    assert report.added == 1 and "given twice in this run" in report.rejected[0].reason
    assert "reopened" in doc["articles"][0]["text"]


def test_a_fixed_input_is_no_longer_listed_as_rejected(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", "")
    run_on(tmp_path / "s.db", [story])
    write(story, STORY)
    _, doc = run_on(tmp_path / "s.db", [story])
    assert doc["rejected"] == []


def test_the_same_record_twice_in_one_run_counts_as_already_stored(tmp_path):
    line = json.dumps({"id": "x", "text": "The quay reopened to boats on Monday after repairs."}) + "\n"
    feed = write(tmp_path / "in" / "feed.jsonl", line + line)
    report, _ = run_on(tmp_path / "s.db", [feed])
    assert (report.read, report.added, report.already_stored, len(report.rejected)) == (2, 1, 1, 0)


def test_a_text_changed_and_changed_back_leaves_no_stale_rejection(tmp_path):
    story = write(tmp_path / "in" / "bridge.txt", STORY)
    run_on(tmp_path / "s.db", [story])
    write(story, STORY.replace("eight months", "nine months"))
    run_on(tmp_path / "s.db", [story])
    write(story, STORY)
    _, doc = run_on(tmp_path / "s.db", [story])
    assert doc["rejected"] == []


FOOTER = "Velmar Ledger weekend edition, printed in Port Velmar"


def test_a_short_line_recurring_in_articles_of_different_events_is_removed_from_all(tmp_path):
    folder = tmp_path / "in"
    write(folder / "bridge.txt", STORY + FOOTER + "\n")
    write(folder / "tram.txt", TRAM + FOOTER + "\n")
    report, doc = run_on(tmp_path / "s.db", [folder])
    assert len(doc["events"]) == 2
    for a in doc["articles"]:
        assert FOOTER not in a["text"] and FOOTER in a["removed"]
        assert all(a["text"][m["start"]:m["end"]] == m["text"] for m in a["entities"])


def test_a_short_line_shared_by_two_reports_of_one_event_stays(tmp_path):
    folder = tmp_path / "in"
    shared = "The bridge carries 9,000 vehicles a day."
    write(folder / "a.txt", STORY + shared + "\n")
    write(folder / "b.txt", STORY.replace("Harbour Ledger", "Kestrel Radio News").replace(
        "eight months", "8 months") + shared + "\n")
    _, doc = run_on(tmp_path / "s.db", [folder])
    assert len(doc["events"]) == 1
    assert all(shared in a["text"] for a in doc["articles"])


def test_running_again_after_lines_were_removed_adds_nothing(tmp_path):
    folder = tmp_path / "in"
    write(folder / "bridge.txt", STORY + FOOTER + "\n")
    write(folder / "tram.txt", TRAM + FOOTER + "\n")
    run_on(tmp_path / "s.db", [folder])
    report, _ = run_on(tmp_path / "s.db", [folder])
    assert (report.added, report.already_stored, len(report.rejected)) == (0, 2, 0)


def test_a_run_stopped_before_consolidation_leaves_it_pending_for_the_next(tmp_path, sample_corpus):
    db = tmp_path / "s.db"
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        run([str(sample_corpus)], store, Config(), models=MODELS, progress=Interrupt("consolidating", 0))
    with Store(db) as store:
        assert store.clustering.pending_consolidation()
        run([], store, Config(), models=MODELS)
        assert store.clustering.pending_consolidation() == []


def test_an_event_merged_away_is_exported_under_its_old_id(tmp_path, sample_corpus):
    db = tmp_path / "s.db"
    with Store(db) as store:
        run([str(sample_corpus / "kestrel-radio")], store, Config(), models=MODELS)
        first, second = sorted(store.stories.events(), key=lambda e: e.id)[:2]
        store.clustering.merge(first.id, second.id)
        assert build_export(store, second.id)["events"][0]["id"] == first.id



def _bridge_fact(doc: dict) -> dict:
    (event,) = doc["events"]
    return next(f for f in event["facts"] if "reopen" in f["text"].lower())


def test_an_outlet_added_in_a_later_run_joins_the_facts_it_reports(tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.txt", STORY)
    write(folder / "b.txt", STORY.replace("Harbour Ledger", "Kestrel Radio News"))
    run_on(tmp_path / "s.db", [folder])
    write(folder / "c.txt", STORY.replace("Harbour Ledger", "Valdria Wire"))
    _, doc = run_on(tmp_path / "s.db", [folder])
    assert set(_bridge_fact(doc)["articles"]) == {"a", "b", "c"}


def test_a_replaced_article_leaves_the_facts_its_old_text_gave(tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.txt", STORY)
    write(folder / "b.txt", STORY.replace("Harbour Ledger", "Kestrel Radio News"))
    run_on(tmp_path / "s.db", [folder])
    write(folder / "b.txt", STORY.replace("Harbour Ledger", "Kestrel Radio News").replace(
        "reopened to traffic on Tuesday after eight months of repairs", "was closed again on Friday for checks"))
    _, doc = run_on(tmp_path / "s.db", [folder], replace=True)
    of_b = [f["text"] for e in doc["events"] for f in e["facts"] if "b" in f["articles"]]
    assert any("closed again" in t for t in of_b) and not any("eight months" in t for t in of_b)


def test_a_run_keeps_the_figure_roles_it_parsed_for_later_runs(demo):
    with Store(demo[0], readonly=True) as store:
        assert store._db.one("SELECT count(*) FROM figure_roles")[0] > 0
