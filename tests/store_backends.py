"""Helpers of the store tests that run on both databases (fixtures: ``conftest``)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

# The test database: $STORYFUSE_TEST_PG, else what scripts/test-postgres set up (make test).
_SET_UP = Path(__file__).resolve().parents[1] / ".venv" / "test-postgres-url"
PG_URL = os.environ.get("STORYFUSE_TEST_PG") or (_SET_UP.read_text().strip() if _SET_UP.is_file() else
                                                 "postgresql://storyfuse:storyfuse@127.0.0.1:5432/storyfuse_test")


def _pg_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:
        return ()
    return (psycopg.errors.IntegrityError,)


# A key, reference or check refused, whichever database refuses it.
INTEGRITY = (sqlite3.IntegrityError, *_pg_errors())




def pg_schema_url(schema: str) -> str:
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options={quote(f'-csearch_path={schema}')}"


def sql(store, query: str, params: tuple = ()) -> list[tuple]:
    """What the database holds, read through a connection of the test's own."""
    if isinstance(store.path, str) and store.path.startswith("postgres"):
        import psycopg

        url = store._db.conn.raw.info.dsn  # the same server, schema and user, without the password
        with psycopg.connect(url, password="storyfuse" if "password" not in url else None) as conn:
            return [tuple(r) for r in conn.execute(query.replace("?", "%s"), params).fetchall()]
    conn = sqlite3.connect(store.path)
    try:
        return [tuple(r) for r in conn.execute(query, params).fetchall()]
    finally:
        conn.close()
