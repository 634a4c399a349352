"""Engines: the per-article map in this process or as Dask tasks, the reduce here."""

from __future__ import annotations

import pytest

from storyfuse.components import Work
from storyfuse.config import Config
from storyfuse.engines import LocalEngine, make_engine, partition
from storyfuse.export import build_export
from storyfuse.models import RawDocument
from storyfuse.pipeline import run
from storyfuse.store import Store

from conftest import MODELS, memberships


def works(n: int) -> list[Work]:
    return [Work(RawDocument(f"a{k}", f"a{k}.txt", "text", "text")) for k in range(n)]


def test_partition_keeps_input_order_in_nearly_equal_runs():
    parts = partition(works(7), 3)
    assert [len(p) for p in parts] == [3, 2, 2]
    assert [w.raw.id for p in parts for w in p] == [f"a{k}" for k in range(7)]


def test_partition_never_makes_empty_parts():
    assert [len(p) for p in partition(works(2), 4)] == [1, 1]


def test_the_local_engine_is_the_default_and_refuses_a_scheduler():
    assert isinstance(make_engine("local"), LocalEngine)
    with pytest.raises(ValueError, match="--engine dask"):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")


def facts_by_event(doc: dict) -> set[tuple[frozenset[str], tuple[tuple[str, str], ...]]]:
    return {(frozenset(e["articles"]), tuple(sorted((f["text"], f["status"]) for f in e["facts"])))
            for e in doc["events"]}


@pytest.mark.slow
def test_the_dask_engine_gives_the_same_events_facts_and_statuses_as_the_local_engine(tmp_path, sample_corpus, demo):
    engine = make_engine("dask", workers=2)
    try:
        with Store(tmp_path / "dask.db") as store:
            report = run([str(sample_corpus)], store, Config(), models=MODELS, engine=engine)
            doc = build_export(store)
    finally:
        engine.close()
    assert report.counts_add_up and report.added == demo[1].added
    assert [a["id"] for a in doc["articles"]] == [a["id"] for a in demo[2]["articles"]]
    assert memberships(doc) == memberships(demo[2])
    assert facts_by_event(doc) == facts_by_event(demo[2])
