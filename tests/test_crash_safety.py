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


def watched_run(corpus: Path, db: Path, out: Path) -> tuple[dict, float, float]:
    """One uninterrupted run, as the chain's runs are (no export at its end): its export, taken
    after it, when it stored its first article and when it ended (seconds after it started)."""
    started, first = time.monotonic(), None
    proc = subprocess.Popen(storyfuse_run(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        if first is None and stored_articles(db) > 0:
            first = time.monotonic() - started
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    ended = time.monotonic() - started
    export = subprocess.run([sys.executable, "-m", "storyfuse", "export", "--db", str(db), "--out", str(out)],
                            capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    return json.loads(out.read_text(encoding="utf-8")), first or 0.0, ended


@pytest.mark.slow
def test_a_chain_of_runs_killed_at_random_moments_ends_as_one_uninterrupted_run(tmp_path):
    corpus = write_fictional_jsonl(tmp_path / "news.jsonl", events=50, per_event=10)
    whole, first, ended = watched_run(corpus, tmp_path / "whole.db", tmp_path / "whole.json")
    assert len(whole["articles"]) == 500

    # Ten seeded moments of the work (the time after the models are loaded and the first
    # article is stored, up to the end of an uninterrupted run): run k of the chain is killed
    # once it has worked from moment k-1 to moment k, so the kills fall all through the job:
    # reading, clustering, consolidating, stories. The last tenth of the work is left out, so
    # that a run a little faster than the measured one is still killed before it ends.
    rng = random.Random(SEED)
    moments = sorted(rng.uniform(0, 0.9 * (ended - first)) for _ in range(KILLS))
    db, stored, last = tmp_path / "chain.db", [], 0.0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for moment in moments:
        proc = subprocess.Popen(storyfuse_run(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env)
        time.sleep(first + moment - last)
        last = moment
        assert proc.poll() is None, "a run of the chain finished before it was killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_consistent(db)
        stored.append(stored_articles(db))
    assert stored == sorted(stored) and stored[-1] > 0  # each run went on from where the last one stopped

    chain = finish(corpus, db, tmp_path / "chain.json")
    ids = [a["id"] for a in chain["articles"]]
    assert len(ids) == len(set(ids)) == 500
    assert set(ids) == {a["id"] for a in whole["articles"]}
    assert memberships(chain) == memberships(whole)
    assert sorted(len(e["facts"]) for e in chain["events"]) == sorted(len(e["facts"]) for e in whole["events"])
