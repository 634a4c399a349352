"""The PostgreSQL database: schema and migrations, transactions, the writer lock, faults."""

from __future__ import annotations

import psycopg
import pytest

from storyfuse.errors import SchemaVersionError, StoreError, StoreLockedError
from storyfuse.store import Store, is_postgres
from storyfuse.store.postgres import SCHEMA_VERSION, PgDatabase
from storyfuse.store.postgres.db import redacted


def test_a_postgresql_address_opens_the_postgresql_store(pg_url):
    assert is_postgres(pg_url) and not is_postgres("news.db")
    with Store(pg_url) as store:
        assert type(store).__name__ == "PostgresStore"


def test_a_new_database_is_migrated_to_the_current_schema_version(pg_url):
    with PgDatabase(pg_url) as db:
        assert db.get_meta("schema_version") == str(SCHEMA_VERSION)


def test_reopening_keeps_the_stored_data(pg_url):
    with PgDatabase(pg_url) as db:
        db.set_meta("note", "kept")
    with PgDatabase(pg_url) as db:
        assert db.get_meta("note") == "kept"


def test_a_newer_schema_version_raises_schema_version_error(pg_url):
    with PgDatabase(pg_url) as db:
        db.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(SchemaVersionError):
        PgDatabase(pg_url)


def test_a_database_with_other_tables_is_refused_naming_them(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="not a storyfuse database.*invoices"):
        PgDatabase(pg_url)


def test_an_unreachable_server_is_one_store_error_without_the_password():
    with pytest.raises(StoreError) as err:
        PgDatabase("postgresql://someone:secret@127.0.0.1:9/nothing")
    assert "cannot connect to PostgreSQL" in str(err.value) and "secret" not in str(err.value)
    assert "\n" not in str(err.value)


def test_redacted_hides_only_the_password():
    assert redacted("postgresql://ann:pw@db.example:5432/news") == "postgresql://ann:***@db.example:5432/news"
    assert redacted("postgresql://db.example/news") == "postgresql://db.example/news"


def test_a_transaction_rolls_back_everything_on_an_exception(pg_url):
    with PgDatabase(pg_url) as db:
        with pytest.raises(RuntimeError), db.transaction():
            db.set_meta("half", "written")
            raise RuntimeError("stop")
        assert db.get_meta("half") is None


def test_an_error_in_an_inner_transaction_rolls_back_the_outer_one(pg_url):
    with PgDatabase(pg_url) as db:
        with pytest.raises(RuntimeError), db.transaction():
            db.set_meta("outer", "1")
            with db.transaction():
                db.set_meta("inner", "1")
                raise RuntimeError("stop")
        assert (db.get_meta("outer"), db.get_meta("inner")) == (None, None)


def test_rows_answer_by_position_and_by_name(pg_url):
    with PgDatabase(pg_url) as db:
        db.set_meta("k", "v")
        row = db.one("SELECT key, value FROM meta WHERE key = ?", ("k",))
        assert (row[0], row["value"]) == ("k", "v")


def test_a_second_writer_is_told_and_then_raises_store_locked_error(pg_url):
    told = []
    with PgDatabase(pg_url) as first, PgDatabase(pg_url) as second:
        first.acquire_writer()
        with pytest.raises(StoreLockedError):
            second.acquire_writer(wait_s=0.3, on_wait=told.append)
        first.release_writer()
        second.acquire_writer(wait_s=1)
    assert told and "another storyfuse process" in told[0]


def test_a_read_only_store_refuses_to_write(pg_url):
    with PgDatabase(pg_url):
        pass
    with PgDatabase(pg_url, readonly=True) as db, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        db.set_meta("x", "y")


def test_upgrading_a_database_of_schema_2_makes_its_stories_searchable_and_counted(pg_url):
    from pydantic import TypeAdapter

    from storyfuse.models import EventStory, Fact
    from storyfuse.store.postgres.schema import MIGRATIONS

    story = EventStory("ev-1", "Ferry", None, None, (Fact("f-1", "The ferry sailed late.", "contradicted", (), 0),),
                       (), (), (), actors=("ent-a",), subjects=("ent-a",))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for migration in MIGRATIONS[:2]:  # the schema as storyfuse wrote it before search over stories
            conn.execute(migration)
        conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '2')")
        conn.execute("INSERT INTO events(id, dirty, story) VALUES ('ev-1', 0, %s)",
                     (TypeAdapter(EventStory).dump_json(story).decode(),))
    with Store(pg_url) as upgraded:
        assert [(h.kind, h.ref) for h in upgraded.browse.search("ferry")] == [("fact", "f-1")]
        assert upgraded.browse.status_counts(["ev-1"])["ev-1"]["contradicted"] == 1
        assert upgraded.browse.thread_basis() == [("ev-1", None, ["ent-a"], ["ent-a"])]
