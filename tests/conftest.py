"""Shared fixtures: the sample corpus run once through the whole pipeline."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from storyfuse.config import Config
from storyfuse.context import Models
from storyfuse.export import build_export
from storyfuse.pipeline import run
from storyfuse.store import Store

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
MODELS = Models()  # one set of loaded models for the whole test session (loaded on first use)


@pytest.fixture(scope="session")
def models() -> Models:
    return MODELS


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    return Path(str(resources.files("storyfuse").joinpath("sample/corpus")))


@pytest.fixture(scope="session")
def demo(tmp_path_factory, sample_corpus):
    """(database path, run report, storyfuse/1 export) of one run over the sample corpus."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(db) as store:
        report = run([str(sample_corpus)], store, Config(), models=MODELS)
        doc = build_export(store)
    return db, report, doc


@pytest.fixture(scope="session")
def demo_doc(demo):
    return demo[2]


@pytest.fixture
def demo_copy(demo, tmp_path) -> Path:
    """A private copy of the demo database, for tests that write to it."""
    target = tmp_path / "demo.db"
    with Store(demo[0]) as store:
        store.checkpoint()
    shutil.copy(demo[0], target)
    return target


def event_of(doc: dict, article_id: str) -> dict:
    eid = next(a["event"] for a in doc["articles"] if a["id"] == article_id)
    return next(e for e in doc["events"] if e["id"] == eid)


def memberships(doc: dict) -> set[frozenset[str]]:
    return {frozenset(e["articles"]) for e in doc["events"]}


@pytest.fixture(scope="session")
def check_export_tool() -> Path:
    tool = SHARED / "tools" / "check-export"
    if not tool.exists():
        pytest.skip(f"the contract checker {tool} is not here (it ships with ../shared)")
    return tool
