"""``storyfuse bench web``: a bounded load test of ``storyfuse serve`` on 127.0.0.1.

Closed-loop clients (each sends its next request when the last one is answered) ask in turn
for the events list, an event page (the largest event and 100 others drawn with a fixed
seed) and a search, for a fixed time; then again while ``storyfuse run --workers 1`` adds
articles to the same store. The server runs in its own process, as a user runs it; the store
is a copy, so the given one is never written.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

SEED = 20261207
KINDS = ("events list", "event page", "search")
SEARCH_WORDS = 60  # distinct searches, drawn from event titles


class BenchError(Exception):
    """The bench could not run; the message says why."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _targets(db: Path) -> tuple[list[str], list[str], str]:
    """Event ids (the largest first, then up to 100 drawn), searches, and the largest's id."""
    from .models import EventFilter
    from .store import Store

    with Store(db, readonly=True) as store:
        by_size, total = store.browse.events(EventFilter(order="size", limit=1))
        ids = store.events.ids()
        titles = [e.title or "" for e in store.stories.events(random.Random(SEED).sample(ids, min(200, len(ids))))]
    if not by_size:
        raise ValueError(f"{db} holds no events; run `storyfuse run` on it first")
    rng = random.Random(SEED)
    events = [by_size[0].id] + rng.sample(ids, min(100, len(ids)))
    words = sorted({w.strip(".,:;'\"()").lower() for t in titles for w in t.split() if len(w) > 4})
    searches = rng.sample(words, min(SEARCH_WORDS, len(words))) or ["news"]
    return events, searches, by_size[0].id


class Client(threading.Thread):
    """One closed-loop client: requests in turn until the deadline, latencies by kind."""

    def __init__(self, port: int, n: int, events: list[str], searches: list[str], deadline: float):
        super().__init__(daemon=True)
        self.port, self.n, self.events, self.searches, self.deadline = port, n, events, searches, deadline
        self.latencies: dict[str, list[float]] = {k: [] for k in KINDS}
        self.failures = 0

    def path(self, i: int) -> tuple[str, str]:
        kind = KINDS[(i + self.n) % len(KINDS)]
        if kind == "events list":
            return kind, f"/?offset={20 * (i % 5)}"
        if kind == "event page":
            # the largest event every fourth event request, the others in turn
            ev = self.events[0] if i % 4 == 0 else self.events[1 + (i * 7 + self.n) % (len(self.events) - 1 or 1)]
            return kind, f"/events/{quote(ev)}"
        return kind, f"/search?q={quote(self.searches[(i * 3 + self.n) % len(self.searches)])}"

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = 0
        while time.monotonic() < self.deadline:
            kind, path = self.path(i)
            began = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            if ok:
                self.latencies[kind].append(time.perf_counter() - began)
            else:
                self.failures += 1
            i += 1
        conn.close()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _load(port: int, events: list[str], searches: list[str], clients: int, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    workers = [Client(port, n, events, searches, deadline) for n in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out: dict[str, Any] = {"failures": sum(w.failures for w in workers)}
    for kind in KINDS:
        lat = [x for w in workers for x in w.latencies[kind]]
        out[kind] = {"requests": len(lat), "per_s": round(len(lat) / seconds, 1),
                     "p50_ms": round(1000 * _percentile(lat, 0.50), 1), "p99_ms": round(1000 * _percentile(lat, 0.99), 1)}
    return out


def _first_visits(port: int, events: list[str]) -> dict[str, float]:
    """Each event page asked for once, one at a time: what a first visit costs (the server
    keeps a page it built while its event is unchanged)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    took = []
    for ev in dict.fromkeys(events):
        began = time.perf_counter()
        conn.request("GET", f"/events/{quote(ev)}")
        conn.getresponse().read()
        took.append(time.perf_counter() - began)
    conn.close()
    return {"pages": len(took), "p50_ms": round(1000 * _percentile(took, 0.5), 1),
            "max_ms": round(1000 * max(took), 1)}


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"storyfuse serve stopped (exit status {server.returncode}); run it alone to see why")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/api/events?limit=1")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise BenchError("storyfuse serve did not answer within 2 minutes")


def _ingest_input(folder: Path, data: str | None, size: int) -> Path:
    """Articles for the concurrent run: variants of ECB+ reports that are not in the store."""
    from .bench_stream import stream

    path = folder / "ingest.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in stream(size, data, families=7):
            record = {k: v for k, v in r.items() if k != "gold_event"} | {"id": "bench-web-" + r["id"]}
            out.write(json.dumps(record) + "\n")
    return path


def _stored(db: Path) -> int:
    from .store import Store

    with Store(db, readonly=True) as store:
        return store.articles.count()


def _build(copy: Path, folder: Path, data: str | None, size: int) -> None:
    """A store of ``size`` variants of ECB+ reports, for a machine that has none to load."""
    from .bench_stream import stream

    path = folder / "fill.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in stream(size, data, families=max(1, size // 500)):
            out.write(json.dumps({k: v for k, v in r.items() if k != "gold_event"}) + "\n")
    done = subprocess.run([sys.executable, "-m", "storyfuse", "run", str(path), "--db", str(copy), "--workers", "2"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise BenchError(f"filling the store failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")


def run(db: str | None, seconds: float = 30, clients: int = 4, data: str | None = None, size: int = 1000,
        ingest_size: int = 400) -> dict[str, Any]:
    """Load a copy of the store ``db`` (or, without one, a store built from ``size`` ECB+
    variants)."""
    source = Path(db) if db else None
    if source is not None and not source.exists():
        raise FileNotFoundError(f"{db}: no such store; fill one with `storyfuse run INPUT --db {db}`")
    with tempfile.TemporaryDirectory(prefix="storyfuse-bench-web-") as tmp:
        folder = Path(tmp)
        copy = folder / "store.db"
        if source is None:
            _build(copy, folder, data, size)
        for suffix in ("", "-wal", "-shm") if source else ():
            if Path(f"{source}{suffix}").exists():
                shutil.copy(f"{source}{suffix}", f"{copy}{suffix}")
        from .store import Store

        with Store(copy):  # a store of an older schema is upgraded (the copy only)
            pass
        events, searches, largest = _targets(copy)
        articles = _stored(copy)
        port = _free_port()
        exe = [sys.executable, "-m", "storyfuse"]
        server = subprocess.Popen(exe + ["serve", "--db", str(copy), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_ready(port, server)
            first = _first_visits(port, events)  # also warms: the pages kept, the thread map, the OS's cache
            _load(port, events, searches, clients, 3)
            quiet = _load(port, events, searches, clients, seconds)
            ingest_input = _ingest_input(folder, data, ingest_size)
            writer = subprocess.Popen(exe + ["run", str(ingest_input), "--db", str(copy), "--workers", "1"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + 300
                while _stored(copy) == articles and writer.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.5)  # the run loads its models first: measure once it writes
                busy = _load(port, events, searches, clients, seconds)
                added_during = _stored(copy) - articles
                still_running = writer.poll() is None
            finally:
                if writer.poll() is None:
                    writer.send_signal(signal.SIGTERM)
                    try:
                        writer.wait(30)
                    except subprocess.TimeoutExpired:
                        writer.kill()
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    return {"task": "web", "store": str(source) if source else f"built from {size} ECB+ variants", "articles": articles, "events": len(set(events)),
            "largest_event": largest, "clients": clients, "seconds": seconds, "cores": os.cpu_count(),
            "first_visit": first, "without_ingest": quiet, "with_ingest": busy, "articles_added_during_load": added_during,
            "run_still_writing_at_end": still_running}


def print_result(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"storyfuse serve on {result['articles']:,} stored articles: {result['clients']} closed-loop "
                        f"clients, {result['seconds']:g} s each", title_justify="left")
    for column in ("request", "load", "requests/s", "p50 ms", "p99 ms"):
        table.add_column(column, justify="left" if column in ("request", "load") else "right")
    for kind in KINDS:
        for load in ("without_ingest", "with_ingest"):
            row = result[load][kind]
            table.add_row(kind, load.replace("_", " "), f"{row['per_s']:.1f}", f"{row['p50_ms']:.1f}",
                          f"{row['p99_ms']:.1f}")
    console.print(table)
    first = result["first_visit"]
    console.print(f"first visit of each of the {first['pages']} event pages, one at a time (before the loads): "
                  f"p50 {first['p50_ms']} ms, slowest {first['max_ms']} ms", markup=False)
    console.print(f"articles added by the concurrent run during its load: {result['articles_added_during_load']}; "
                  f"failed requests: {result['without_ingest']['failures']} + {result['with_ingest']['failures']}. "
                  "Targets (10k articles, 2 cores): event page p99 under 100 ms without ingest, under 300 ms with it.",
                  markup=False)
