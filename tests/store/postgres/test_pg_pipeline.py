"""The whole pipeline into PostgreSQL gives what it gives into SQLite."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from storyfuse.cli import main
from storyfuse.config import Config
from storyfuse.export import build_export, validate
from storyfuse.pipeline import run
from storyfuse.store import Store

from conftest import MODELS, memberships


def facts_by_event(doc: dict) -> set:
    return {(frozenset(e["articles"]), tuple(sorted((f["text"], f["status"], f["independent_sources"])
                                                    for f in e["facts"]))) for e in doc["events"]}


@pytest.mark.slow
def test_the_sample_corpus_into_postgresql_gives_the_same_events_facts_and_statuses(pg_url, sample_corpus, demo):
    with Store(pg_url) as store:
        report = run([str(sample_corpus)], store, Config(), models=MODELS)
        doc = build_export(store)
    validate(doc)
    assert report.counts_add_up and report.added == demo[1].added
    assert memberships(doc) == memberships(demo[2])
    assert facts_by_event(doc) == facts_by_event(demo[2])
    assert {e["id"] for e in doc["events"]} == {e["id"] for e in demo[2]["events"]}


@pytest.mark.slow
def test_a_second_run_into_postgresql_adds_nothing(pg_url, sample_corpus):
    with Store(pg_url) as store:
        run([str(sample_corpus)], store, Config(), models=MODELS)
        again = run([str(sample_corpus)], store, Config(), models=MODELS)
    assert (again.added, again.already_stored, again.events_updated) == (0, 25, [])


def test_export_reads_a_postgresql_store_from_the_command_line(pg_url, tmp_path):
    with Store(pg_url):
        pass  # an empty store, migrated
    result = CliRunner().invoke(main, ["export", "--db", pg_url, "--format", "json", "--out", str(tmp_path / "e.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "e.json").read_text().startswith("{")
