"""Shared fixtures: the sample corpus run once through the whole pipeline."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from storyfuse.config import Config
from storyfuse.context import Models
from storyfuse.export import build_export
from storyfuse.pipeline import run
from storyfuse.store import Store

from store_backends import PG_URL, pg_schema_url

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


# --- the store tests run on SQLite and on PostgreSQL (tests/store) -----------------------------
# PostgreSQL: a fresh schema of the test database at $STORYFUSE_TEST_PG (by default the one
# `make test` sets up); its runs are skipped, saying so, when no server answers there.


@pytest.fixture(scope="session")
def pg_server() -> str:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            pass
    except Exception as err:  # no driver or no server: these runs say why and are skipped
        pytest.skip(f"no PostgreSQL at {PG_URL} ({type(err).__name__}); `make test` sets one up, or set "
                    "STORYFUSE_TEST_PG")
    return PG_URL


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """The address of a fresh, empty schema, dropped after the test."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(schema)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_address(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_address):
    with Store(store_address) as s:
        yield s


