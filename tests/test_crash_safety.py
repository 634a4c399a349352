"""Crash safety at scale: ``storyfuse run`` killed with SIGKILL at seeded random moments of one
chain of resumed runs over 500 fictional articles leaves, after each kill, a store that passes
SQLite's integrity checks, and the chain finishes with exactly one copy of every article and
the same events as one uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import memberships
from fictional import write_fictional_jsonl

KILLS = 10
SEED = 20261207
EARLIEST, LATEST = 3.0, 30.0  # seconds after a run starts (its models load in the first few)


def storyfuse_run(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "storyfuse", "run", str(corpus), "--db", str(db), *extra]


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.OperationalError:  # killed before the schema was written
            return 0


def assert_consistent(db: Path) -> None:
    if not db.exists():
        return
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def finish(corpus: Path, db: Path, out: Path) -> dict:
    done = subprocess.run(storyfuse_run(corpus, db, "--json", str(out)), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_chain_of_runs_killed_at_random_moments_ends_as_one_uninterrupted_run(tmp_path):
    corpus = write_fictional_jsonl(tmp_path / "news.jsonl", events=50, per_event=10)
    whole = finish(corpus, tmp_path / "whole.db", tmp_path / "whole.json")
    assert len(whole["articles"]) == 500

    db, moments, stored = tmp_path / "chain.db", random.Random(SEED), []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for _ in range(KILLS):
        proc = subprocess.Popen(storyfuse_run(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env)
        time.sleep(moments.uniform(EARLIEST, LATEST))
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_consistent(db)
        stored.append(stored_articles(db))
        if finished:
            break
    assert stored == sorted(stored) and stored[-1] > 0  # each run went on from where the last one stopped

    chain = finish(corpus, db, tmp_path / "chain.json")
    ids = [a["id"] for a in chain["articles"]]
    assert len(ids) == len(set(ids)) == 500
    assert set(ids) == {a["id"] for a in whole["articles"]}
    assert memberships(chain) == memberships(whole)
    assert sorted(len(e["facts"]) for e in chain["events"]) == sorted(len(e["facts"]) for e in whole["events"])
