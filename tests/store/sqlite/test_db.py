"""Tests for storyfuse.store.sqlite.db: opening, migrating, transactions, the writer lock and meta."""

from __future__ import annotations

import sqlite3

import pytest

from storyfuse.errors import SchemaVersionError, StoreError, StoreLockedError
from storyfuse.store.sqlite import db as db_module
from storyfuse.store.sqlite.db import Database
from storyfuse.store.sqlite.schema import SCHEMA_VERSION

Store = Database  # the connection, migrations, transactions and lock of every SQLite store


@pytest.fixture
def path(tmp_path):
    return tmp_path / "news.db"


@pytest.fixture
def store(path):
    with Store(path) as s:
        yield s


def pragma(conn, name: str):
    return conn.execute(f"PRAGMA {name}").fetchone()[0]


# --- a new file -------------------------------------------------------------------------------


def test_new_file_is_migrated_to_the_current_schema_version(store):
    assert pragma(store.conn, "user_version") == SCHEMA_VERSION


def test_new_file_is_in_wal_mode(store):
    assert pragma(store.conn, "journal_mode") == "wal"


def test_new_file_has_foreign_keys_on(store):
    assert pragma(store.conn, "foreign_keys") == 1


def test_new_file_has_the_full_text_index(store):
    names = {r[0] for r in store.all("SELECT name FROM sqlite_master")}
    assert {"articles", "articles_fts", "events", "entities", "meta"} <= names


def test_database_creates_the_file(path):
    with Database(path):
        pass
    assert path.exists()


# --- reopening --------------------------------------------------------------------------------


def test_reopening_does_not_run_migrations_again(path, monkeypatch):
    Store(path).close()
    calls = []
    monkeypatch.setattr(db_module, "_statements", lambda script: calls.append(script) or [])
    with Store(path) as again:
        assert pragma(again.conn, "user_version") == SCHEMA_VERSION
    assert calls == []


def test_reopening_keeps_the_stored_data(path):
    with Store(path) as first:
        first.set_meta("greeting", "hello")
    with Store(path) as second:
        assert second.get_meta("greeting") == "hello"


def test_file_with_a_newer_schema_version_raises_schema_version_error(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaVersionError, match=rf"version {SCHEMA_VERSION + 1} is newer"):
        Store(path)


def test_schema_version_error_is_a_store_error():
    assert issubclass(SchemaVersionError, StoreError)


def test_non_sqlite_file_raises_store_error_naming_the_file(path):
    path.write_text("This is a shopping list, not a database.\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Store(path)
    assert str(path) in str(info.value)
    assert "not a storyfuse database" in str(info.value)


def test_readonly_open_of_a_missing_file_says_how_to_create_it(path):
    with pytest.raises(StoreError) as info:
        Store(path, readonly=True)
    message = str(info.value)
    assert str(path) in message
    assert f"storyfuse run INPUT --db {path}" in message
    assert not path.exists()


def test_open_in_a_missing_folder_raises_store_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nowhere" / "news.db")


def test_readonly_open_of_an_existing_store_reads_it(path):
    with Store(path) as writer:
        writer.set_meta("k", "v")
    with Store(path, readonly=True) as reader:
        assert reader.get_meta("k") == "v"


# --- transactions -----------------------------------------------------------------------------


def test_transaction_commits_on_success(store, path):
    with store.transaction() as c:
        c.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")
        c.execute("INSERT INTO meta(key, value) VALUES ('b', '2')")
    other = sqlite3.connect(path)
    try:
        assert other.execute("SELECT key, value FROM meta ORDER BY key").fetchall() == [("a", "1"), ("b", "2")]
    finally:
        other.close()


def test_transaction_rolls_back_everything_on_an_exception(store):
    with pytest.raises(RuntimeError, match="boom"):
        with store.transaction() as c:
            c.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")
            c.execute("INSERT INTO meta(key, value) VALUES ('b', '2')")
            raise RuntimeError("boom")
    assert store.all("SELECT key FROM meta") == []
    assert not store.conn.in_transaction


def test_transaction_rolls_back_on_a_database_error(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as c:
            c.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")
            c.execute("INSERT INTO meta(key, value) VALUES ('a', '2')")
    assert store.get_meta("a") is None


# --- the writer lock --------------------------------------------------------------------------


def test_second_writer_is_told_once_and_then_raises_store_locked_error(path):
    first, second = Store(path), Store(path)
    try:
        first.acquire_writer(wait_s=0)
        messages = []
        with pytest.raises(StoreLockedError):
            second.acquire_writer(wait_s=0.5, on_wait=messages.append)
        assert len(messages) == 1
        assert str(path) in messages[0]
        assert "waiting" in messages[0]
    finally:
        second.close()
        first.close()


def test_store_locked_error_names_the_file_and_a_fix(path):
    first, second = Store(path), Store(path)
    try:
        first.acquire_writer(wait_s=0)
        with pytest.raises(StoreLockedError) as info:
            second.acquire_writer(wait_s=0.2)
        assert str(path) in str(info.value)
        assert "--db" in str(info.value)
    finally:
        second.close()
        first.close()


def test_second_writer_acquires_the_lock_after_release(path):
    first, second = Store(path), Store(path)
    try:
        first.acquire_writer(wait_s=0)
        first.release_writer()
        messages = []
        second.acquire_writer(wait_s=0.5, on_wait=messages.append)
        assert messages == []
        with pytest.raises(StoreLockedError):
            first.acquire_writer(wait_s=0)  # now the second one holds it
    finally:
        second.close()
        first.close()


def test_closing_the_writer_releases_the_lock(path):
    first, second = Store(path), Store(path)
    try:
        first.acquire_writer(wait_s=0)
        first.close()
        messages = []
        second.acquire_writer(wait_s=0.5, on_wait=messages.append)
        assert messages == []
    finally:
        second.close()


# --- meta -------------------------------------------------------------------------------------


def test_meta_value_reads_back(store):
    store.set_meta("n_docs", "12")
    assert store.get_meta("n_docs") == "12"


def test_meta_set_twice_keeps_the_last_value(store):
    store.set_meta("n_docs", "12")
    store.set_meta("n_docs", "13")
    assert store.get_meta("n_docs") == "13"
    assert store.one("SELECT count(*) FROM meta WHERE key = 'n_docs'")[0] == 1


def test_meta_missing_key_gives_the_default(store):
    assert store.get_meta("absent") is None
    assert store.get_meta("absent", "0") == "0"


# --- nesting ----------------------------------------------------------------------------------


def test_a_transaction_inside_another_joins_it(store):
    with store.transaction():
        with store.transaction() as inner:
            inner.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")
        assert store.conn.in_transaction  # the inner one did not commit
    assert store.get_meta("a") == "1"


def test_an_error_in_an_inner_transaction_rolls_back_the_outer_one(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as outer:
            outer.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")
            with store.transaction():
                raise RuntimeError("inner")
    assert store.get_meta("a") is None and not store.conn.in_transaction


def test_integrity_errors_of_a_sound_file_are_none(store):
    assert store.integrity_errors() == []


def _older_story() -> str:
    from pydantic import TypeAdapter

    from storyfuse.models import EventStory, Fact

    story = EventStory("ev-1", "Ferry", None, None, (Fact("f-1", "The ferry sailed late.", "contradicted", (), 0),),
                       (), (), (), actors=("ent-a",), subjects=("ent-a",))
    return TypeAdapter(EventStory).dump_json(story).decode()


def test_upgrading_a_store_of_schema_7_makes_its_stories_searchable_and_counted(tmp_path):
    from storyfuse.models import EventFilter
    from storyfuse.store import SqliteStore
    from storyfuse.store.sqlite.schema import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:7]:  # the schema as storyfuse wrote it before search over stories
        conn.executescript(migration)
    conn.execute("INSERT INTO events(id, dirty, story) VALUES ('ev-1', 0, ?)", (_older_story(),))
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with SqliteStore(path) as upgraded:
        assert [(h.kind, h.ref) for h in upgraded.browse.search("ferry")] == [("fact", "f-1")]
        assert upgraded.browse.status_counts(["ev-1"])["ev-1"]["contradicted"] == 1
        assert upgraded.browse.thread_basis() == [("ev-1", None, ["ent-a"], ["ent-a"])]
        assert upgraded.browse.events(EventFilter())[1] == 1
